#!/usr/bin/env bash
# `npm run package`: builds dist/openstack-net-debug.vsix. @vscode/vsce (pinned in
# scripts/e2e/env.sh) is not a devDependency, to keep `npm ci` small: it is taken from the e2e
# tool cache when the end-to-end harness installed it, else installed once into its own cache
# folder (npm registry, ~20 s).
set -euo pipefail
source "$(dirname "$0")/e2e/env.sh"
if [ ! -x "$E2E_TOOLS/@vscode/vsce/vsce" ] && [ ! -x "$E2E_CACHE/vsce/node_modules/@vscode/vsce/vsce" ]; then
  mkdir -p "$E2E_CACHE/vsce"
  echo '{"name":"osnet-vsce","private":true}' > "$E2E_CACHE/vsce/package.json"
  (cd "$E2E_CACHE/vsce" && npm i --no-audit --no-fund --no-save --loglevel=error "@vscode/vsce@$VSCE_VERSION")
fi
exec bash "$(dirname "$0")/e2e/package.sh" "$@"
