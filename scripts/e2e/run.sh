#!/usr/bin/env bash
# End-to-end tests in a real VS Code (code-server) in a real browser (Debian's chromium driven by
# playwright-core): install the toolchain (cached), package the .vsix, install it into a fresh
# extensions dir, start code-server on loopback in its own process group, run
# test/e2e/*.e2e.ts (mocha + tsx, as the unit tests; each spec file opens its own window), stop the
# group. liveHost.e2e.ts also starts its own sshd, namespaces and OVS (root only; it says why it
# skips otherwise) and stops them itself.
# Exit 0 with "e2e: SKIPPED — reason" when the toolchain cannot be installed here (not root, no
# registry, install failure); non-zero when packaging or a test fails.
# Artifacts (screenshots, server and extension-host logs): test/e2e/artifacts/ (gitignored).
# Knobs: OSNET_E2E_CACHE (toolchain cache, see env.sh), OSNET_E2E_SKIP=1, OSNET_E2E_KEEP=1 (keep the
# run's temp dir), OSNET_E2E_PORT, OSNET_E2E_ARTIFACTS, OSNET_E2E_SCREENSHOTS=1 (refresh
# media/screenshots/ for the README from this run), OSNET_E2E_GREP (mocha --grep: run only the
# tests whose title matches), OSNET_E2E_SPECS (spec files, default test/e2e/*.e2e.ts),
# OSNET_E2E_VSIX (test this .vsix instead of packaging the work tree: e.g. a copy with a feature
# broken on purpose, to see the tests that should catch it fail).
# code-server runs with HOME=$RUN/home (passed to the tests as CODE_SERVER_HOME): the live-host test
# writes its ~/.ssh/config there, and nothing reads or writes the real home's ~/.ssh. Its user
# settings are $RUN/data/User/settings.json (CODE_SERVER_USER_DATA=$RUN/data for the tests, which
# add osnet.hosts entries there and restore the file).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$E2E_PROJECT"
ART=${OSNET_E2E_ARTIFACTS:-$E2E_PROJECT/test/e2e/artifacts}
t() { date +%s; }
skip() { echo "e2e: SKIPPED — $*"; exit 0; }
T0=$(t)

if [ "${OSNET_E2E_SKIP:-}" = 1 ]; then skip "OSNET_E2E_SKIP=1"; fi
mkdir -p "$E2E_CACHE" 2>/dev/null || skip "cannot create the e2e cache $E2E_CACHE"
log=$E2E_CACHE/install.log
if ! bash scripts/e2e/install.sh >"$log" 2>&1; then
  tail -5 "$log" | sed 's/^/  /'
  skip "the e2e toolchain could not be installed (log: $log)"
fi
tail -1 "$log"
T1=$(t)

VSIX=${OSNET_E2E_VSIX:-$E2E_PROJECT/dist/openstack-net-debug.vsix}
if [ -n "${OSNET_E2E_VSIX:-}" ]; then
  echo "e2e: testing $VSIX as given (not packaged from the work tree)"
else
  bash scripts/e2e/package.sh "$VSIX" | tail -1
fi
T2=$(t)

# Fresh profile for this run: user data, extensions and code-server's XDG dirs all under one temp dir.
RUN=$(mktemp -d "${TMPDIR:-/tmp}/osnet-e2e.XXXXXX")
SERVER_PID=
cleanup() {
  local rc=$?
  if [ -n "$SERVER_PID" ]; then kill -- -"$SERVER_PID" 2>/dev/null || true; fi
  # keep the logs next to the screenshots: the first place to look when the extension misbehaves
  mkdir -p "$ART/logs"
  cp "$RUN/server.log" "$ART/logs/" 2>/dev/null || true
  find "$RUN/data/logs" -name '*.log' \( -name 'exthost*' -o -name 'remoteexthost*' -o -name 'renderer*' -o -name 'remoteagent*' -o -path '*openstack-net-debug*' \) \
    -exec sh -c 'for f; do cp "$f" "$0/$(basename "$(dirname "$f")")-$(basename "$f")"; done' "$ART/logs" {} + 2>/dev/null || true
  [ "${OSNET_E2E_KEEP:-}" = 1 ] && echo "e2e: kept $RUN" || rm -rf "$RUN"
  exit "$rc"
}
trap cleanup EXIT
mkdir -p "$RUN/data/User" "$RUN/workspace" "$RUN/home"
# workbench.list.mouseWheelScrollSensitivity: the tests find rows of the virtual sidebar tree by
# wheeling through it, and a list scrolls 50 px per wheel event times this (12: 600 px, less than
# the list's height, so no row is skipped; 1,200-rule chains are swept in seconds).
cat > "$RUN/data/User/settings.json" <<'JSON'
{ "workbench.startupEditor": "none", "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off", "update.mode": "none", "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false, "workbench.enableExperiments": false, "workbench.tips.enabled": false,
  "chat.disableAIFeatures": true, "workbench.secondarySideBar.defaultVisibility": "hidden",
  "workbench.colorTheme": "Default Dark Modern", "window.commandCenter": false,
  "editor.minimap.enabled": false, "workbench.tree.enableStickyScroll": false, "workbench.layoutControl.enabled": false,
  "git.openRepositoryInParentFolders": "never", "workbench.list.mouseWheelScrollSensitivity": 12 }
JSON
export XDG_CONFIG_HOME=$RUN/xdg-config XDG_DATA_HOME=$RUN/xdg-data XDG_CACHE_HOME=$RUN/xdg-cache
export EXTENSIONS_GALLERY='{}'   # no marketplace look-ups
# No ssh-agent of the caller's: the live-host test authenticates with its own key only.
CS=(env -u SSH_AUTH_SOCK HOME="$RUN/home" PATH="$NODE24_HOME/bin:$PATH" "$CODE_SERVER" --user-data-dir "$RUN/data" --extensions-dir "$RUN/exts")
"${CS[@]}" --install-extension "$VSIX" >"$RUN/install-extension.log" 2>&1 \
  || { cat "$RUN/install-extension.log"; echo "e2e: installing the .vsix into code-server failed" >&2; exit 1; }
PORT=${OSNET_E2E_PORT:-$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}
setsid "${CS[@]}" --bind-addr "127.0.0.1:$PORT" --auth none --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override "$RUN/workspace" >"$RUN/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 300); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.2; done
curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" || { cat "$RUN/server.log"; echo "e2e: code-server did not start" >&2; exit 1; }
T3=$(t)

rm -rf "$ART"/*.png; mkdir -p "$ART"
# shellcheck disable=SC2206
specs=(${OSNET_E2E_SPECS:-test/e2e/vscode.e2e.ts test/e2e/dumpEditor.e2e.ts test/e2e/reportDecorations.e2e.ts test/e2e/liveHost.e2e.ts test/e2e/configuredHosts.e2e.ts})
grep_args=(); [ -n "${OSNET_E2E_GREP:-}" ] && grep_args=(--grep "$OSNET_E2E_GREP")
set +e
BASE_URL="http://127.0.0.1:$PORT" WORKSPACE="$RUN/workspace" ARTIFACTS="$ART" CHROMIUM="$CHROMIUM" \
  EXTENSIONS_DIR="$RUN/exts" OSNET_E2E_TOOLS="$E2E_TOOLS" CODE_SERVER_HOME="$RUN/home" CODE_SERVER_USER_DATA="$RUN/data" \
  XDG_CONFIG_HOME= XDG_DATA_HOME= XDG_CACHE_HOME= \
  node_modules/.bin/mocha --timeout 240000 "${grep_args[@]}" "${specs[@]}"
rc=$?
set -e
T4=$(t)
echo "e2e timings (s): install/check $((T1-T0)) | build+vsix $((T2-T1)) | vsix install+server ready $((T3-T2)) | tests $((T4-T3)) | total $((T4-T0))"
echo "e2e artifacts: $ART"
# OSNET_E2E_SCREENSHOTS=1 refreshes the README's screenshots from this run (256-colour PNGs).
if [ $rc = 0 ] && [ "${OSNET_E2E_SCREENSHOTS:-}" = 1 ]; then
  for pair in 01-tree-iptables-rule.png:sidebar-iptables-rule.png 02-tree-ovs-flow.png:sidebar-ovs-flow.png \
              05-report-link-to-rule.png:vip-report.png; do
    src=$ART/${pair%%:*} dst=$E2E_PROJECT/media/screenshots/${pair##*:}
    if command -v pngquant >/dev/null; then pngquant --force --quality 70-95 --output "$dst" "$src"; else cp "$src" "$dst"; fi
    echo "e2e screenshot: $dst $(( $(stat -c %s "$dst") / 1024 )) KiB"
  done
fi
exit $rc
