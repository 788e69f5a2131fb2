# shellcheck shell=bash
# Shared plumbing of the oracle scenarios (test/oracle/scenarios/<id>.sh). Sourced, not run.
#
# A scenario rebuilds one hypervisor of a seed post with real kernel networking and a private
# Open vSwitch, all inside network namespaces named osnet-<num>-*:
#   osnet-<num>-host            the hypervisor ("root" of the snapshot)
#   osnet-<num>-<logical>       namespaces the hypervisor itself has (qrouter-*, fip-*, snat-*),
#                               dumped under netns/<logical>/
#   osnet-<num>-guest-<name>    VMs and outside peers; never dumped (they are not the hypervisor)
# (<prefix> = $OSNET_NS_PREFIX, default osnet.) Nothing is created in, or changed in, the root
# network namespace: every link is created
# directly inside its namespace, ovs-vswitchd runs inside the host namespace (so its bridges'
# internal ports appear there), and every sysctl is written inside a namespace.
#
# State shared by the separate `setup`, `dump`, `probe`, `teardown` invocations lives in
# $OSNET_ORACLE_STATE (default /tmp/<prefix>-<num>-oracle): the namespace list, the OVS sandbox,
# the commands the dump ran (commands.json: observe.py re-runs the counter commands), the probes.
#
# The scenario sets SCN (e.g. 002-neutron-spoof), HOSTNAME_MODEL and SEED before sourcing, and
# defines scenario_setup, scenario_netns (the logical namespaces to dump under netns/),
# scenario_probes (one `probe` line per probe, see below) and optionally scenario_extra_dump
# (more files, e.g. nwfilter XML) and scenario_variants OUTDIR (further snapshots of a changed
# host, written to OUTDIR-<variant>).

set -euo pipefail

ORACLE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PROJECT_DIR=$(cd "$ORACLE_DIR/../.." && pwd)
PKT=$ORACLE_DIR/lib/pkt.py
OBSERVE=$ORACLE_DIR/lib/observe.py
# The system python starts in 15 ms; a pyenv shim takes 200 ms, and the probes start dozens.
PY=${OSNET_PYTHON:-$(command -v /usr/bin/python3 || command -v python3)}
NUM=${SCN%%-*}
# OSNET_NS_PREFIX lets two runs (e.g. the mocha test and run-all) coexist on one machine.
NSP=${OSNET_NS_PREFIX:-osnet}-$NUM
HOST_NS=$NSP-host
STATE=${OSNET_ORACLE_STATE:-/tmp/$NSP-oracle}
OVS_SANDBOX=$PROJECT_DIR/scripts/ovs-sandbox.sh
export OSNET_OVS_DIR=$STATE/ovs OSNET_OVS_NETNS=$HOST_NS
export OVS_RUNDIR=$STATE/ovs/run OVS_DBDIR=$STATE/ovs/db OVS_LOGDIR=$STATE/ovs/log OVS_SYSCONFDIR=$STATE/ovs/etc

log() { printf '[%s] %s\n' "$SCN" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ---- namespaces -------------------------------------------------------------------------------

# ns_actual LOGICAL -> the real namespace name ("host" is the hypervisor itself)
ns_actual() { if [ "$1" = host ]; then echo "$HOST_NS"; else echo "$NSP-$1"; fi; }

# ns_new LOGICAL: create a namespace with lo up and IPv6 off (no router solicitations, MLD or
# DAD frames to disturb the counters), and remember it for teardown.
ns_new() {
  local actual
  actual=$(ns_actual "$1")
  mkdir -p "$STATE"
  ip netns add "$actual"
  echo "$actual $1" >>"$STATE/netns.list"
  ip netns exec "$actual" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  ip netns exec "$actual" ip link set lo up
}

# nsx LOGICAL CMD...: run a command inside a scenario namespace
nsx() { local a; a=$(ns_actual "$1"); shift; ip netns exec "$a" "$@"; }

# veth NAME_A LOGICAL_A NAME_B LOGICAL_B: a veth pair created directly in its two namespaces
veth() {
  ip link add "$1" netns "$(ns_actual "$2")" type veth peer name "$3" netns "$(ns_actual "$4")"
  nsx "$2" ip link set "$1" up
  nsx "$4" ip link set "$3" up
}

# guest LOGICAL IFACE MAC CIDR [GATEWAY]: a VM (or outside peer) on one veth end. Its iptables
# OUTPUT policy is DROP so it never answers a probe (no echo replies, RSTs or ARP requests to
# move counters); it still answers ARP requests, as a real VM would.
guest_cfg() {
  local ns=$1 ifc=$2 mac=$3 cidr=$4 gw=${5:-}
  nsx "$ns" iptables -P OUTPUT DROP   # first, so not even the IGMP report of link-up leaves
  nsx "$ns" ip link set "$ifc" down
  nsx "$ns" ip link set "$ifc" address "$mac"
  nsx "$ns" ip addr add "$cidr" dev "$ifc"
  nsx "$ns" ip link set "$ifc" up
  [ -z "$gw" ] || nsx "$ns" ip route add default via "$gw" dev "$ifc"
}

# with_noise COUNT TOKEN...: the plug order of a variant (test/oracle/variants/): the scenario's
# own port tokens as given (e.g. `B n1 A`), then the noise tokens n0..n<COUNT-1> not named yet.
with_noise() {
  local n=$1 i
  shift
  local out=("$@")
  for ((i = 0; i < n; i++)); do [[ " $* " == *" n$i "* ]] || out+=("n$i"); done
  echo "${out[*]}"
}

# ovs_start: the scenario's private ovsdb-server + ovs-vswitchd, running inside the host namespace
ovs_start() { bash "$OVS_SANDBOX" start 2>>"$STATE/ovs-sandbox.log"; echo yes >"$STATE/ovs.started"; }

# add_br BR: an OVS bridge on the userspace (netdev) datapath
add_br() { ovs-vsctl --may-exist add-br "$1" -- set Bridge "$1" datapath_type=netdev fail_mode=secure; }

# internal_port BR PORT NS_LOGICAL MAC CIDR [TAG] [OFPORT]: an OVS internal port moved into a
# namespace, as the Neutron L3/DHCP agents do with qr-/qg-/sg-/fg-/tap ports.
internal_port() {
  local br=$1 port=$2 ns=$3 mac=$4 cidr=$5 tag=${6:-} ofport=${7:-}
  local extra=()
  [ -z "$tag" ] || extra+=(tag="$tag")
  local iface=(-- set Interface "$port" type=internal)
  [ -z "$ofport" ] || iface+=(ofport_request="$ofport")
  ovs-vsctl add-port "$br" "$port" "${extra[@]}" "${iface[@]}"
  local i
  for i in $(seq 1 50); do nsx host ip link show "$port" >/dev/null 2>&1 && break; sleep 0.05; done
  if [ "$ns" != host ]; then nsx host ip link set "$port" netns "$(ns_actual "$ns")"; fi
  nsx "$ns" ip link set "$port" address "$mac"
  [ -z "$cidr" ] || nsx "$ns" ip addr add "$cidr" dev "$port"
  nsx "$ns" ip link set "$port" up
}

teardown_all() {
  set +e
  if [ -d "$STATE/ovs" ]; then bash "$OVS_SANDBOX" stop 2>/dev/null; fi
  local actual _l
  if [ -f "$STATE/netns.list" ]; then
    while read -r actual _l; do ip netns del "$actual" 2>/dev/null; done <"$STATE/netns.list"
  fi
  # Namespaces of an earlier run that died before writing its list carry our prefix too.
  for actual in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$NSP-" || true); do
    ip netns del "$actual" 2>/dev/null
  done
  rm -rf "$STATE"
  set -e
}

# ---- dump -----------------------------------------------------------------------------------

# cap NS_LOGICAL FILE CMD...: run CMD in the namespace, stdout to $OUT/[netns/NS/]FILE, and
# record it for host.json (the operator's argv on the modelled host) and for observe.py (the
# argv really run here). A failing command leaves FILE.stderr and its exit code.
cap() {
  local ns=$1 file=$2; shift 2
  local rel=$file dir=$OUT actual rc=0
  if [ "$ns" != host ]; then rel=netns/$ns/$file; dir=$OUT/netns/$ns; fi
  mkdir -p "$dir"
  actual=$(ns_actual "$ns")
  local run=(ip netns exec "$actual" "$@") op=("$@")
  [ "$ns" = host ] || op=(ip netns exec "$ns" "$@")
  # OVS clients talk to the sandbox over unix sockets: no namespace switch needed.
  case $1 in ovs-vsctl|ovs-ofctl|ovs-appctl) run=("$@") ;; esac
  "${run[@]}" >"$OUT/$rel" 2>"$OUT/$rel.stderr" || rc=$?
  if [ $rc -eq 0 ]; then rm -f "$OUT/$rel.stderr"; fi
  record_cmd "$rel" "$rc" "$ns" "${CAP_BRIDGE:-}" "${op[@]}" -- "${run[@]}"
}

# record_cmd FILE RC NS BRIDGE OP-ARGV... -- RUN-ARGV...: one line of .commands.tsv
# (fields and argv words separated by US/RS control characters, which never occur in them)
record_cmd() {
  local rel=$1 rc=$2 ns=$3 bridge=$4; shift 4
  local us=$'\x1f' rs=$'\x1e' w part=op op_s='' run_s=''
  for w in "$@"; do
    if [ "$part" = op ] && [ "$w" = -- ]; then part=run; continue; fi
    if [ "$part" = op ]; then op_s+=$w$us; else run_s+=$w$us; fi
  done
  printf '%s%s%s%s%s%s%s%s%s%s%s\n' "$rel" "$rs" "$rc" "$rs" "$ns" "$rs" "$bridge" "$rs" "$op_s" "$rs" "$run_s" >>"$OUT/.commands.tsv"
}

# cap_sh NS FILE SHELL-TEXT: like cap, for the one pipeline we filter (sysctl)
cap_sh() { local ns=$1 file=$2; shift 2; cap "$ns" "$file" sh -c "$1"; }

SYSCTL_FILTER="sysctl -a 2>/dev/null | grep -E '^net\\.(bridge\\.|ipv4\\.ip_forward |ipv4\\.conf\\.[^.]+\\.(rp_filter|arp_ignore|arp_announce|proxy_arp|forwarding) )'"

dump_namespace() { # dump_namespace NS_LOGICAL: the per-namespace files (root or netns/NAME/)
  local ns=$1
  cap "$ns" ip_-d_-j_link ip -d -j link
  cap "$ns" ip_-j_addr ip -j addr
  cap "$ns" ip_addr ip addr
  cap "$ns" ip_route_show_table_all ip route show table all
  cap "$ns" ip_-6_route_show_table_all ip -6 route show table all
  cap "$ns" ip_rule ip rule
  cap "$ns" ip_-6_rule ip -6 rule
  cap "$ns" iptables-save_-c iptables-save -c
  cap "$ns" ip6tables-save_-c ip6tables-save -c
  cap "$ns" ipset_save ipset save
  cap_sh "$ns" sysctl_-a "$SYSCTL_FILTER"
}

dump_host_only() { # the host-wide files: ebtables, Linux bridges, OVS
  local t br
  for t in filter nat broute; do cap host "ebtables_-t_${t}_-L_--Lc" ebtables -t "$t" -L --Lc; done
  cap host ebtables-save ebtables-save
  cap host bridge_-j_link bridge -j link
  cap host bridge_fdb_show bridge fdb show
  if [ -f "$STATE/ovs.started" ]; then
    cap host ovs-vsctl_show ovs-vsctl show
    for br in $(ovs-vsctl list-br); do
      CAP_BRIDGE=$br cap host "ovs-ofctl_show_$br" ovs-ofctl show "$br"
      CAP_BRIDGE=$br cap host "ovs-ofctl_dump-flows_$br" ovs-ofctl dump-flows "$br"
      CAP_BRIDGE=$br cap host "ovs-ofctl_-O_OpenFlow13_dump-flows_$br" ovs-ofctl -O OpenFlow13 dump-flows "$br"
      CAP_BRIDGE=$br cap host "ovs-appctl_fdb.show_$br" ovs-appctl fdb/show "$br"
    done
  fi
}

# do_dump OUTDIR: the whole snapshot folder (docs/snapshot-folder.md) plus host.json
do_dump() {
  OUT=$1
  mkdir -p "$OUT"
  # A re-dump replaces the previous snapshot; refuse to empty a folder that is not one.
  if [ -n "$(ls -A "$OUT")" ] && [ ! -f "$OUT/host.json" ]; then
    die "$OUT is not empty and holds no host.json: not overwriting it"
  fi
  find "$OUT" -mindepth 1 -maxdepth 1 ! -name observed.json -exec rm -rf {} +
  : >"$OUT/.commands.tsv"
  dump_namespace host
  dump_host_only
  local ns
  for ns in $(scenario_netns); do dump_namespace "$ns"; done
  if declare -F scenario_extra_dump >/dev/null; then scenario_extra_dump; fi
  "$PY" "$OBSERVE" hostjson --tsv "$OUT/.commands.tsv" --snapshot "$OUT" --netns-list "$STATE/netns.list" \
    --hostname "$HOSTNAME_MODEL" --scenario "$SCN" --seed "$SEED" --commands-out "$STATE/commands.json"
  rm -f "$OUT/.commands.tsv"
}

# ---- probe ----------------------------------------------------------------------------------

# probe KEY=VALUE...: one probe, for scenario_probes (observe.py reads the lines). Keys:
#   id= desc= packet=FLOW (ofproto/trace syntax; the frame sent, or what a socket send produces)
#   send=NS:IFACE                  AF_PACKET frame from IFACE in namespace NS (logical name)
#   send=sock:NS:PROTO:SRC:SPORT:DST:DPORT   kernel socket send (PROTO icmp|udp|tcp; ports 0
#                                  for icmp): routing, ARP and the OUTPUT chains apply
#   recv=NS:IFACE [match=FLOW]     sniff there (match defaults to packet)
#   recv=udp:NS:IP:PORT | recv=tcp:NS:IP:PORT   a local socket (in the host or its namespaces)
#   ingress=DEV[@NS] egress=DEV[@NS]   where the packet enters / leaves the hypervisor (NS
#                                  omitted = the host namespace; DEV "local" = a host socket)
#   trace=BRIDGE:PORT              also run ofproto/trace with in_port=PORT
#   timeout=SECONDS                how long the receiver waits (default 0.5; it stops early on
#                                  a match, so only undelivered probes pay it)
probe() { local IFS=$'\x1f'; printf '%s\n' "$*"; }

# do_probe OUTDIR: run every probe with counters read before and after, re-dump so the files
# show the probes' counters, then write OUTDIR/observed.json (see observe.py).
do_probe() {
  local out=$1
  [ -f "$STATE/commands.json" ] || do_dump "$out"
  scenario_probes >"$STATE/probes.txt"
  "$PY" "$OBSERVE" run --state "$STATE" --probes "$STATE/probes.txt" --ns-prefix "$NSP" --pkt "$PKT" >"$STATE/probe-results.json"
  do_dump "$out"
  "$PY" "$OBSERVE" resolve --state "$STATE" --results "$STATE/probe-results.json" --snapshot "$out" >"$out/observed.json"
  log "observed: $(jq -c 'map({(.id): .delivered}) | add' "$out/observed.json")"
}

# main "$@": setup | dump OUTDIR | probe OUTDIR | teardown | all OUTDIR
scenario_main() {
  local cmd=${1:-all}
  case $cmd in
    setup)
      teardown_all
      mkdir -p "$STATE"
      trap 'rc=$?; if [ $rc -ne 0 ]; then teardown_all; fi' EXIT   # a half-built host is removed
      scenario_setup
      trap - EXIT ;;
    dump) [ -n "${2:-}" ] || die "usage: $0 dump OUTDIR"; do_dump "$2" ;;
    probe) [ -n "${2:-}" ] || die "usage: $0 probe OUTDIR"; do_probe "$2" ;;
    teardown) teardown_all ;;
    all)
      [ -n "${2:-}" ] || die "usage: $0 all OUTDIR"
      local t0=$SECONDS out=$2
      teardown_all
      mkdir -p "$STATE"
      trap teardown_all EXIT
      trap 'exit 130' INT TERM   # so that the EXIT trap cleans up on ^C too
      scenario_setup
      do_dump "$out"
      do_probe "$out"
      if declare -F scenario_variants >/dev/null; then scenario_variants "$out"; fi
      log "done in $((SECONDS - t0))s -> $out" ;;
    *) die "usage: $0 setup | dump OUTDIR | probe OUTDIR | teardown | all OUTDIR" ;;
  esac
}

# check_tools: the scenario prerequisites; prints what is missing and exits 3 (the tests skip)
check_tools() {
  local missing=() t
  for t in ip iptables iptables-save ip6tables-save ebtables ebtables-save bridge sysctl jq ipset "$PY" "$@"; do
    command -v "$t" >/dev/null 2>&1 || missing+=("$t")
  done
  [ "$(id -u)" = 0 ] || { echo "needs root (network namespaces)" >&2; exit 3; }
  [ ${#missing[@]} -eq 0 ] || { echo "missing tools: ${missing[*]}" >&2; exit 3; }
}
