#!/usr/bin/env bash
# Builds the bundles and packages the extension as a .vsix with @vscode/vsce (from the e2e cache,
# see install.sh). The bundle carries everything it needs, so no node_modules are packed
# (--no-dependencies); .vscodeignore decides what else ships. Prints the .vsix path and size.
# Usage: scripts/e2e/package.sh [out.vsix]   (default dist/openstack-net-debug.vsix)
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$E2E_PROJECT"
OUT=${1:-dist/openstack-net-debug.vsix}
VSCE=$E2E_TOOLS/@vscode/vsce/vsce
[ -x "$VSCE" ] || VSCE=$E2E_CACHE/vsce/node_modules/@vscode/vsce/vsce   # installed by scripts/package.sh
[ -x "$VSCE" ] || { echo "package: @vscode/vsce is not installed; run scripts/package.sh or scripts/e2e/install.sh" >&2; exit 1; }
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run -s build
# Still external in the bundle: anything required at run time must be packed, which --no-dependencies
# would not do. Fail loudly instead of shipping an extension that cannot activate.
# cpu-features stays external on purpose: ssh2 loads it inside try/catch and runs without it.
if grep -qE 'require\("ssh2"\)' dist/extension.js; then
  echo "package: dist/extension.js requires ssh2 at run time but the .vsix packs no node_modules" >&2; exit 1
fi
flags=(--no-dependencies)
# README links are relative; vsce rewrites them against the repository, which it only detects by
# itself on GitHub/GitLab: give it the base URLs derived from package.json's repository.
repo=$(node -p "String((require('./package.json').repository||{}).url||'').replace(/^git\+/,'').replace(/\.git$/,'')")
if [ -n "$repo" ]; then flags+=(--baseContentUrl "$repo/blob/HEAD" --baseImagesUrl "$repo/raw/HEAD"); else flags+=(--allow-missing-repository); fi
[ -f LICENSE ] || [ -f LICENSE.md ] || flags+=(--skip-license)
mkdir -p "$(dirname "$OUT")"
"$VSCE" package "${flags[@]}" -o "$OUT" </dev/null
bytes=$(stat -c %s "$OUT")
echo "package: $OUT $((bytes / 1024)) KiB ($(unzip -l "$OUT" | tail -1 | awk '{print $2}') files)"
if [ "$bytes" -gt $((2 * 1024 * 1024)) ]; then echo "package: WARNING: over the 2 MB target" >&2; fi
