#!/usr/bin/env bash
# A private Open vSwitch (ovsdb-server + ovs-vswitchd) for the oracle scenarios and tests, so no
# system OVS service is needed or touched. Everything lives under $OSNET_OVS_DIR (default
# /tmp/osnet-ovs): run/ (sockets, pidfiles), db/conf.db, log/. Bridges must use
# datapath_type=netdev (userspace datapath; no openvswitch kernel module).
#
# With OSNET_OVS_NETNS=NAME the daemons run inside that network namespace, so the bridges'
# internal ports (tap devices) and the AF_PACKET sockets of attached veths live there — this is
# how the scenarios give each "hypervisor" namespace its own br-int without touching the root
# namespace. The namespace must exist before `start`; `stop` before deleting it.
#
#   scripts/ovs-sandbox.sh start        idempotent: does nothing when both daemons are alive
#   scripts/ovs-sandbox.sh stop         stops both daemons by pidfile (never by name)
#   scripts/ovs-sandbox.sh status       exit 0 when both daemons are alive
#   eval "$(scripts/ovs-sandbox.sh env)"  then ovs-vsctl / ovs-ofctl / ovs-appctl talk to it
set -euo pipefail

dir=${OSNET_OVS_DIR:-/tmp/osnet-ovs}
netns=${OSNET_OVS_NETNS:-}
schema=${OVS_SCHEMA:-/usr/share/openvswitch/vswitch.ovsschema}
run=$dir/run db=$dir/db log=$dir/log

export OVS_RUNDIR=$run OVS_DBDIR=$db OVS_LOGDIR=$log OVS_SYSCONFDIR=$dir/etc

in_ns() { if [ -n "$netns" ]; then ip netns exec "$netns" "$@"; else "$@"; fi; }

alive() { # alive PIDFILE
  local pid
  [ -s "$1" ] || return 1
  pid=$(cat "$1")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

stop_one() { # stop_one PIDFILE
  local pid i
  alive "$1" || { rm -f "$1"; return 0; }
  pid=$(cat "$1")
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  rm -f "$1"
}

start() {
  command -v ovsdb-server >/dev/null && command -v ovs-vswitchd >/dev/null ||
    { echo "ovs-sandbox: ovsdb-server/ovs-vswitchd not installed (package openvswitch-switch)" >&2; exit 2; }
  if [ -n "$netns" ] && ! ip netns exec "$netns" true 2>/dev/null; then
    echo "ovs-sandbox: network namespace $netns does not exist" >&2; exit 2
  fi
  mkdir -p "$run" "$db" "$log" "$OVS_SYSCONFDIR"
  if ! alive "$run/ovsdb-server.pid"; then
    [ -f "$db/conf.db" ] || ovsdb-tool create "$db/conf.db" "$schema"
    in_ns ovsdb-server "$db/conf.db" --remote="punix:$run/db.sock" \
      --pidfile="$run/ovsdb-server.pid" \
      --log-file="$log/ovsdb-server.log" --detach --no-chdir -vconsole:off
    ovs-vsctl --db="unix:$run/db.sock" --no-wait init
  fi
  if ! alive "$run/ovs-vswitchd.pid"; then
    in_ns ovs-vswitchd "unix:$run/db.sock" --pidfile="$run/ovs-vswitchd.pid" \
      --log-file="$log/ovs-vswitchd.log" \
      --detach --no-chdir -vconsole:off
  fi
  # --wait round trip: returns once ovs-vswitchd has read the database.
  ovs-vsctl --db="unix:$run/db.sock" --timeout=10 -- set Open_vSwitch . other_config:osnet-sandbox=true >/dev/null
}

stop() {
  stop_one "$run/ovs-vswitchd.pid"
  stop_one "$run/ovsdb-server.pid"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) alive "$run/ovsdb-server.pid" && alive "$run/ovs-vswitchd.pid" ;;
  env)
    printf 'export OVS_RUNDIR=%q OVS_DBDIR=%q OVS_LOGDIR=%q OVS_SYSCONFDIR=%q\n' \
      "$run" "$db" "$log" "$OVS_SYSCONFDIR" ;;
  *) echo "usage: $0 start|stop|status|env   (env: OSNET_OVS_DIR, OSNET_OVS_NETNS)" >&2; exit 2 ;;
esac
