#!/usr/bin/env bash
# The whole test suite, as CI runs it (`npm test`): system packages, type check, lint, build,
# then every mocha test (unit, corpus, real netfilter/OVS/sshd, end-to-end).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" = 0 ]; then bash scripts/install-system-deps.sh; else echo "test: not root; tests that need real netfilter/OVS/sshd will say why they skip"; fi
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run typecheck
npx eslint --max-warnings 0 src test
node scripts/build.mjs
if [ $# -eq 0 ]; then
  npx mocha "test/**/*.test.ts"
  # A real VS Code (code-server) in a real browser (Debian chromium); prints why and exits 0 when it cannot run here.
  bash scripts/e2e/run.sh
else
  npx mocha "$@"
fi
