#!/usr/bin/env bash
# Runs every oracle scenario (test/oracle/scenarios/*.sh) into TARGET (default: samples/ of the
# project): TARGET/<id>/ per scenario, plus the variants some scenarios write next to it
# (TARGET/<id>-<variant>/). Each folder is a snapshot (docs/snapshot-folder.md) with the
# probes' observed.json. Needs root, iproute2, iptables/ebtables (nft), Open vSwitch binaries,
# jq and python3; touches only its own network namespaces (see lib.sh).
#
#   test/oracle/run-all.sh [TARGET] [ID...]     e.g. test/oracle/run-all.sh /tmp/out 002-neutron-spoof
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
target=${1:-$here/../../samples}
shift || true
mkdir -p "$target"
target=$(cd "$target" && pwd)

ids=("$@")
if [ ${#ids[@]} -eq 0 ]; then
  for s in "$here"/scenarios/*.sh; do ids+=("$(basename "$s" .sh)"); done
fi

t0=$SECONDS
failed=()
for id in "${ids[@]}"; do
  s=$here/scenarios/$id.sh
  [ -f "$s" ] || { echo "run-all: no scenario $id" >&2; failed+=("$id"); continue; }
  # A previous recording is replaced as a whole (variants included).
  for old in "$target/$id" "$target/$id"-*; do
    if [ -f "$old/host.json" ]; then rm -rf "$old"; fi
  done
  t=$SECONDS
  if bash "$s" all "$target/$id"; then
    echo "run-all: $id ok ($((SECONDS - t))s)"
  else
    echo "run-all: $id FAILED ($((SECONDS - t))s)" >&2
    failed+=("$id")
  fi
done
echo "run-all: ${#ids[@]} scenario(s) in $((SECONDS - t0))s -> $target"
[ ${#failed[@]} -eq 0 ] || { echo "run-all: failed: ${failed[*]}" >&2; exit 1; }
