#!/usr/bin/env bash
# Seed 002's situation (keepalived VMs whose VIP is not an allowed address pair) on an ML2/OVN
# compute node, the default Neutron backend of current OpenStack. There is no OVS agent, no
# iptables and no br-int table 24: ovn-controller compiles OVN's logical pipeline into br-int,
# and port security is a logical stage. In OVN 22.06 and later (this is Debian's 23.03) the
# ingress stage ls_in_check_port_sec runs `reg0[15] = check_in_port_sec()`, which ovn-controller
# translates into `resubmit` to its port-security tables (physical.c: one
# `reg14=<port key>,metadata=<datapath>,dl_src=<MAC>,nw_src=<IP>` flow per port_security address,
# then `load:0x1->NXM_NX_REG10[12]` for the rest), and ls_in_apply_port_sec drops with
# `reg0=0x8000/0x8000 actions=drop`. The egress side (ls_out_check_port_sec/apply_port_sec)
# checks the destination the same way, so OVN also drops traffic *to* an address that is not in
# the port's port_security: unlike ML2/OVS, inbound traffic to the VIP dies too.
#
# Builds compute-ovn-1 with the real thing: private OVN NB and SB ovsdb-servers, ovn-northd and
# ovn-controller (all started here, stopped by PID on teardown) against the scenario's private
# ovs-vswitchd (userspace datapath) in the host namespace. Neutron's view is written into the NB
# database the way the ML2/OVN driver writes it (mech_driver/ovsdb/ovn_client.py, common/ovn/acl.py):
#   - logical switch neutron-<network id>, OVN native DHCP (DHCP_Options of the subnet);
#   - per VM port a Logical_Switch_Port named by the port id, addresses and port_security
#     "MAC IP" (allowed address pairs with the port's MAC are appended to port_security),
#     external_ids neutron:*, options requested-chassis and mcast_flood_reports;
#   - the metadata port (localport) and the ovnmeta-<network id> namespace the OVN metadata agent
#     plugs with tap<network id[:10]>0 / tap<network id[:10]>1;
#   - security groups as port groups: neutron_pg_drop (priority 1001 `ip` drop both ways) and
#     pg_<sg id> with the rules of a default-like group as allow-related ACLs at priority 1002
#     (egress IPv4/IPv6 anywhere, ingress from the group's members via its $pg_<sg>_ip4 address
#     set, ingress ICMP and SSH from anywhere).
# The VMs' taps are veths whose host end is tap<port id[:11]> (as libvirt's tap appears on the
# host), added to br-int by "nova" with external_ids iface-id/attached-mac/iface-status/vm-uuid;
# ovn-controller binds them. kv-vm1 (10.30.0.11, keepalived MASTER) holds the VIP 10.30.0.100;
# kv-vm2 (10.30.0.12) is BACKUP.
#
# Variant -allowed-pair: `openstack port set --allowed-address ip-address=10.30.0.100` on both
# ports, as Neutron writes it: port_security "MAC 10.30.0.1x 10.30.0.100" (addresses unchanged).
#
# 009-ovn-sg.sh sources this file for its OVN plumbing (with OVN_SCN set: it names itself and
# brings its own security group rules, probes and variants; nothing runs here then).
SCN=${OVN_SCN:-008-ovn}
HOSTNAME_MODEL=${OVN_HOSTNAME:-compute-ovn-1}
SEED=002_bee2be7d5fe7cd62.txt
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
source "$ORACLE_DIR/lib-neutron.sh"   # dev11

NET=5c1f2a9e-7d3b-4e8a-9f60-2b4c6d8e0a13 SUBNET=8e2d4f6a-1b3c-4d5e-8f7a-9b0c1d2e3f4a
PROJECT=2f6b8d0e4a1c4e3f9b7d5a3c1e0f2d4b
A_PORT=e3a1c5d7-2f4b-4a6c-8e9d-1b3f5a7c9e20 A_MAC=fa:16:3e:3c:a1:01 A_IP=10.30.0.11 A_VM=0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e
B_PORT=7b9d1f3e-5a7c-4e2b-9d4f-6a8c0e2b4d61 B_MAC=fa:16:3e:3c:a1:02 B_IP=10.30.0.12 B_VM=5d6e7f80-9a1b-4c2d-8e3f-4a5b6c7d8e9f
MD_PORT=c4e6a8b0-2d4f-4e6a-8c0e-2a4c6e8a0c2e MD_MAC=fa:16:3e:3c:a1:03 MD_IP=10.30.0.2
VIP=10.30.0.100 CIDR=10.30.0.0/24 GW=10.30.0.1 DHCP_MAC=fa:16:3e:3c:a1:fe MTU=1442
SG=d2f4a6c8-0e1a-4c3e-9a5c-7e9a1c3e5a7c
PG=pg_${SG//-/_}
LS=neutron-$NET
CHASSIS=7a1f3c5e-9b2d-4f6a-8c0e-1d3f5b7d9f1a ENCAP_IP=192.168.100.21
A_DEV=tap$(dev11 "$A_PORT") B_DEV=tap$(dev11 "$B_PORT")
MD_NS=ovnmeta-$NET MD_DEV=tap${NET:0:10}0 MD_INNER=tap${NET:0:10}1

# OVN's own daemons and databases, private to this run (ovn-nbctl/ovn-sbctl/ovn-appctl find
# their sockets through OVN_RUNDIR).
export OVN_RUNDIR=$STATE/ovn/run OVN_DBDIR=$STATE/ovn/db OVN_LOGDIR=$STATE/ovn/log OVN_SYSCONFDIR=$STATE/ovn/etc
OVN_SCHEMAS=${OVN_SCHEMAS:-/usr/share/ovn}

scenario_netns() { echo "$MD_NS"; }

# ovn_daemon NAME CMD...: start one detached OVN daemon in the host namespace, pidfile in OVN_RUNDIR
ovn_daemon() {
  local name=$1; shift
  nsx host "$@" --pidfile="$OVN_RUNDIR/$name.pid" --log-file="$OVN_LOGDIR/$name.log" \
    --detach --no-chdir -vconsole:off 2>>"$OVN_LOGDIR/start.log"
  echo "$name" >>"$STATE/ovn.started"
}

ovn_start() {
  mkdir -p "$OVN_RUNDIR" "$OVN_DBDIR" "$OVN_LOGDIR" "$OVN_SYSCONFDIR"
  local db
  for db in nb sb; do
    ovsdb-tool create "$OVN_DBDIR/ovn${db}_db.db" "$OVN_SCHEMAS/ovn-$db.ovsschema"
    ovn_daemon "ovn${db}_db" ovsdb-server "$OVN_DBDIR/ovn${db}_db.db" \
      --remote="punix:$OVN_RUNDIR/ovn${db}_db.sock" --unixctl="$OVN_RUNDIR/ovn${db}_db.ctl"
  done
  ovn-nbctl --no-wait init
  ovn-sbctl init
  ovn_daemon ovn-northd ovn-northd --ovnnb-db="unix:$OVN_RUNDIR/ovnnb_db.sock" \
    --ovnsb-db="unix:$OVN_RUNDIR/ovnsb_db.sock" --unixctl="$OVN_RUNDIR/ovn-northd.ctl"
  # The chassis, as a deployment tool configures it in the local Open_vSwitch table.
  ovs-vsctl set Open_vSwitch . external_ids:system-id="$CHASSIS" external_ids:hostname="$HOSTNAME_MODEL" \
    external_ids:ovn-remote="unix:$OVN_RUNDIR/ovnsb_db.sock" external_ids:ovn-encap-type=geneve \
    external_ids:ovn-encap-ip="$ENCAP_IP" external_ids:ovn-bridge=br-int \
    external_ids:ovn-bridge-datapath-type=netdev external_ids:ovn-cms-options=enable-chassis-as-gw=false
  ovn_daemon ovn-controller ovn-controller "unix:$OVS_RUNDIR/db.sock"
}

# ovn_stop: every OVN daemon this run started, by pidfile (never by name), before the OVS sandbox
ovn_stop() {
  local name pid i
  [ -f "$STATE/ovn.started" ] || return 0
  for name in ovn-controller ovn-northd ovnsb_db ovnnb_db; do
    [ -s "$OVN_RUNDIR/$name.pid" ] || continue
    pid=$(cat "$OVN_RUNDIR/$name.pid")
    kill -0 "$pid" 2>/dev/null || continue
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  done
  rm -f "$STATE/ovn.started"
}

# lib.sh's teardown, with the OVN daemons stopped first (they use the OVS sandbox's database).
# OSNET_KEEP_LOGS=DIR copies the OVN daemons' logs there first (to debug a failed run).
eval "lib_teardown_all() $(declare -f teardown_all | tail -n +2)"
teardown_all() {
  ovn_stop 2>/dev/null || true
  if [ -n "${OSNET_KEEP_LOGS:-}" ] && [ -d "$STATE/ovn/log" ]; then cp -r "$STATE/ovn/log" "$OSNET_KEEP_LOGS" 2>/dev/null || true; fi
  lib_teardown_all
}

# port_security_of TOKEN: the LSP port_security column Neutron writes (pairs in $PAIRS)
port_security_of() {
  case $1 in
    A) echo "$A_MAC $A_IP${PAIRS:+ $PAIRS}" ;;
    B) echo "$B_MAC $B_IP${PAIRS:+ $PAIRS}" ;;
  esac
}

# neutron_lsp PORT_ID MAC IP DEVICE_ID TOKEN: a VM port as ovn_client.create_port writes it
neutron_lsp() {
  local id=$1 mac=$2 ip=$3 dev=$4 tok=$5
  ovn-nbctl --no-wait lsp-add "$LS" "$id" \
    -- lsp-set-addresses "$id" "$mac $ip" \
    -- lsp-set-port-security "$id" "$(port_security_of "$tok")" \
    -- lsp-set-dhcpv4-options "$id" "$DHCP_UUID" \
    -- set Logical_Switch_Port "$id" options:requested-chassis="$HOSTNAME_MODEL" options:mcast_flood_reports=true \
       external_ids:\"neutron:cidrs\"="$ip/24" external_ids:\"neutron:device_id\"="$dev" \
       external_ids:\"neutron:device_owner\"=compute:nova external_ids:\"neutron:network_name\"="$LS" \
       external_ids:\"neutron:port_name\"='""' external_ids:\"neutron:project_id\"="$PROJECT" \
       external_ids:\"neutron:revision_number\"=4 external_ids:\"neutron:security_group_ids\"="$SG" \
       external_ids:\"neutron:port_fip\"='""' external_ids:\"neutron:host_id\"="$HOSTNAME_MODEL"
}

# vif PORT_ID VM_NS MAC CIDR VM_UUID: what nova/os-vif plugs for an OVN port: the tap in br-int,
# named and tagged (iface-id = Neutron port id) so ovn-controller claims the logical port
vif() {
  local id=$1 vm=$2 mac=$3 cidr=$4 uuid=$5 dev
  dev=tap$(dev11 "$id")
  veth "$dev" host eth0 "$vm"
  nsx host ip link set "$dev" down
  nsx host ip link set "$dev" address "fe:${mac#fa:}" mtu "$MTU" up
  nsx "$vm" ip link set eth0 mtu "$MTU"
  ovs-vsctl add-port br-int "$dev" -- set Interface "$dev" external_ids:iface-id="$id" \
    external_ids:iface-status=active external_ids:attached-mac="$mac" external_ids:vm-uuid="$uuid"
  guest_cfg "$vm" eth0 "$mac" "$cidr" "$GW"
}

# sg_rules: the security group's rules as "direction|match" lines, the ACL matches acl.py writes
sg_rules() {
  cat <<EOF
from-lport|inport == @$PG && ip4
from-lport|inport == @$PG && ip6
to-lport|outport == @$PG && ip4 && ip4.src == \$${PG}_ip4
to-lport|outport == @$PG && ip6 && ip6.src == \$${PG}_ip6
to-lport|outport == @$PG && ip4 && ip4.src == 0.0.0.0/0 && icmp4
to-lport|outport == @$PG && ip4 && ip4.src == 0.0.0.0/0 && tcp && tcp.dst == 22
EOF
}

# sg_acl_add DIRECTION MATCH N: one security group rule as the allow-related ACL Neutron adds to
# the group's port group (priority 1002), tagged with its rule id
sg_acl_add() {
  ovn-nbctl --no-wait --type=port-group acl-add "$PG" "$1" 1002 "$2" allow-related
  ovn-nbctl --no-wait set ACL "$(ovn-nbctl --bare --columns=_uuid find ACL "match=\"$2\"")" \
    external_ids:\"neutron:security_group_rule_id\"="$(printf '4c8e2a6d-%04d-4b1f-9e3a-5c7d9e1f3a5b' "$3")"
}

scenario_setup() {
  ns_new host
  ns_new "$MD_NS"
  ns_new guest-kv-vm1
  ns_new guest-kv-vm2
  ovs_start
  add_br br-int
  ovn_start

  # Network, subnet (OVN native DHCP), metadata port
  ovn-nbctl --no-wait ls-add "$LS" -- set Logical_Switch "$LS" \
    external_ids:\"neutron:network_name\"=keepalived-net external_ids:\"neutron:mtu\"="$MTU" \
    external_ids:\"neutron:revision_number\"=2 other_config:mcast_snoop=false other_config:mcast_flood_unregistered=false \
    other_config:vlan-passthru=false
  DHCP_UUID=$(ovn-nbctl --no-wait create DHCP_Options cidr="$CIDR" \
    options="\"lease_time\"=\"43200\" \"mtu\"=\"$MTU\" \"router\"=\"$GW\" \"server_id\"=\"$GW\" \"server_mac\"=\"$DHCP_MAC\" \"dns_server\"=\"{10.30.0.53}\"" \
    external_ids:subnet_id="$SUBNET" external_ids:\"neutron:revision_number\"=0)
  ovn-nbctl --no-wait lsp-add "$LS" "$MD_PORT" -- lsp-set-type "$MD_PORT" localport \
    -- lsp-set-addresses "$MD_PORT" "$MD_MAC $MD_IP" \
    -- set Logical_Switch_Port "$MD_PORT" options:requested-chassis='""' \
       external_ids:\"neutron:cidrs\"="$MD_IP/24" external_ids:\"neutron:device_id\"="$MD_NS" \
       external_ids:\"neutron:device_owner\"=network:distributed external_ids:\"neutron:network_name\"="$LS" \
       external_ids:\"neutron:port_name\"='""' external_ids:\"neutron:project_id\"="$PROJECT" \
       external_ids:\"neutron:revision_number\"=2 external_ids:\"neutron:security_group_ids\"='""'

  # VM ports (created by nova through Neutron before the VMs boot)
  neutron_lsp "$A_PORT" "$A_MAC" "$A_IP" "$A_VM" A
  neutron_lsp "$B_PORT" "$B_MAC" "$B_IP" "$B_VM" B

  # Security groups: the drop-all port group, then the group's rules as allow-related ACLs
  ovn-nbctl --no-wait pg-add neutron_pg_drop "$A_PORT" "$B_PORT" \
    -- set Port_Group neutron_pg_drop external_ids:name=neutron_pg_drop
  ovn-nbctl --no-wait acl-add neutron_pg_drop from-lport 1001 'inport == @neutron_pg_drop && ip' drop \
    -- acl-add neutron_pg_drop to-lport 1001 'outport == @neutron_pg_drop && ip' drop
  ovn-nbctl --no-wait pg-add "$PG" "$A_PORT" "$B_PORT" \
    -- set Port_Group "$PG" external_ids:\"neutron:security_group_id\"="$SG"
  local dir match n=0
  while IFS='|' read -r dir match; do
    n=$((n + 1))
    sg_acl_add "$dir" "$match" "$n"
  done < <(sg_rules)

  # The metadata agent's namespace and veth (its haproxy is not run: nothing here uses it)
  veth "$MD_DEV" host "$MD_INNER" "$MD_NS"
  nsx "$MD_NS" ip link set "$MD_INNER" down
  nsx "$MD_NS" ip link set "$MD_INNER" address "$MD_MAC" mtu "$MTU" up
  nsx "$MD_NS" ip addr add "$MD_IP/24" dev "$MD_INNER"
  nsx "$MD_NS" ip addr add 169.254.169.254/32 dev "$MD_INNER"
  nsx host ip link set "$MD_DEV" mtu "$MTU"
  ovs-vsctl add-port br-int "$MD_DEV" -- set Interface "$MD_DEV" external_ids:iface-id="$MD_PORT"

  vif "$A_PORT" guest-kv-vm1 "$A_MAC" "$A_IP/24" "$A_VM"
  vif "$B_PORT" guest-kv-vm2 "$B_MAC" "$B_IP/24" "$B_VM"
  nsx guest-kv-vm1 ip addr add "$VIP/32" dev eth0   # keepalived MASTER holds the VIP

  ovn_wait_bound
}

# ovn_wait_bound: northd compiled the NB changes, ovn-controller installed them and claimed ports
ovn_wait_bound() {
  ovn-nbctl --timeout=30 --wait=hv sync
  local p
  for p in "$A_PORT" "$B_PORT"; do ovn-nbctl --timeout=30 wait-until Logical_Switch_Port "$p" up=true; done
  ovn-nbctl --timeout=30 --wait=hv sync
}

# What an operator collects on an OVN compute node besides lib.sh's files: br-int in the OpenFlow
# version ovn-controller speaks, the Interface table (which names each tap's Neutron port) and
# the Open_vSwitch record (ovn-remote, encap IP, system-id). ovn-nbctl / ovn-sbctl need the
# central databases, which a compute node usually cannot reach: they are added for the reader
# (the Logical_Switch_Port rows show port_security), the tool does not depend on them.
scenario_extra_dump() {
  CAP_BRIDGE=br-int cap host ovs-ofctl_-O_OpenFlow15_show_br-int ovs-ofctl -O OpenFlow15 show br-int
  CAP_BRIDGE=br-int cap host ovs-ofctl_-O_OpenFlow15_dump-flows_br-int ovs-ofctl -O OpenFlow15 dump-flows br-int
  cap host ovs-vsctl_--format=json_--columns=name,ofport,external_ids_list_Interface \
    ovs-vsctl --format=json --columns=name,ofport,external_ids list Interface
  cap host ovs-vsctl_list_Interface ovs-vsctl list Interface   # the form sosreports keep
  cap host ovs-vsctl_list_Open_vSwitch ovs-vsctl list Open_vSwitch
  cap host ovn-nbctl_show ovn-nbctl show
  cap host ovn-nbctl_list_Logical_Switch_Port ovn-nbctl list Logical_Switch_Port
  cap host ovn-sbctl_lflow-list ovn-sbctl lflow-list
}

scenario_probes() {
  local a="send=guest-kv-vm1:eth0 ingress=$A_DEV recv=guest-kv-vm2:eth0 egress=$B_DEV trace=br-int:$A_DEV"
  # shellcheck disable=SC2086  # $a is a list of key=value words
  probe id=vip-garp desc="keepalived on kv-vm1 announces the VIP $VIP with a gratuitous ARP" \
    packet="arp,arp_op=1,arp_spa=$VIP,arp_tpa=$VIP,arp_sha=$A_MAC,arp_tha=00:00:00:00:00:00,dl_src=$A_MAC,dl_dst=ff:ff:ff:ff:ff:ff" $a
  # shellcheck disable=SC2086
  probe id=vip-icmp desc="kv-vm1 pings kv-vm2 from the VIP $VIP (a service answering from the VIP)" \
    packet="icmp,dl_src=$A_MAC,dl_dst=$B_MAC,nw_src=$VIP,nw_dst=$B_IP,nw_ttl=64,icmp_type=8,icmp_code=0" $a
  # shellcheck disable=SC2086
  probe id=vrrp-multicast desc="keepalived on kv-vm1 sends its VRRP advertisement (IP protocol 112) to 224.0.0.18: the group's remote-group rule admits it" \
    packet="ip,nw_proto=112,dl_src=$A_MAC,dl_dst=01:00:5e:00:00:12,nw_src=$A_IP,nw_dst=224.0.0.18,nw_ttl=255" $a
  # shellcheck disable=SC2086
  probe id=vrrp-unicast desc="keepalived on kv-vm1 with unicast_peer sends its VRRP advertisement to kv-vm2 ($B_IP)" \
    packet="ip,nw_proto=112,dl_src=$A_MAC,dl_dst=$B_MAC,nw_src=$A_IP,nw_dst=$B_IP,nw_ttl=255" $a
  # shellcheck disable=SC2086
  probe id=fixed-icmp desc="control: kv-vm1 pings kv-vm2 from its fixed IP $A_IP" \
    packet="icmp,dl_src=$A_MAC,dl_dst=$B_MAC,nw_src=$A_IP,nw_dst=$B_IP,nw_ttl=64,icmp_type=8,icmp_code=0" $a
  # shellcheck disable=SC2086
  probe id=fixed-garp desc="control: kv-vm1 announces its fixed IP $A_IP with a gratuitous ARP" \
    packet="arp,arp_op=1,arp_spa=$A_IP,arp_tpa=$A_IP,arp_sha=$A_MAC,arp_tha=00:00:00:00:00:00,dl_src=$A_MAC,dl_dst=ff:ff:ff:ff:ff:ff" $a
  probe id=to-vip-icmp desc="kv-vm2 pings the VIP $VIP on kv-vm1: OVN's egress port security checks the destination too" \
    packet="icmp,dl_src=$B_MAC,dl_dst=$A_MAC,nw_src=$B_IP,nw_dst=$VIP,nw_ttl=64,icmp_type=8,icmp_code=0" \
    send=guest-kv-vm2:eth0 ingress="$B_DEV" recv=guest-kv-vm1:eth0 egress="$A_DEV" trace="br-int:$B_DEV"
}

scenario_variants() {
  local out=$1-allowed-pair
  PAIRS=$VIP
  ovn-nbctl --no-wait lsp-set-port-security "$A_PORT" "$(port_security_of A)" \
    -- lsp-set-port-security "$B_PORT" "$(port_security_of B)" \
    -- set Logical_Switch_Port "$A_PORT" external_ids:\"neutron:revision_number\"=5 \
    -- set Logical_Switch_Port "$B_PORT" external_ids:\"neutron:revision_number\"=5
  ovn_wait_bound
  # conntrack entries of the first run's probes would make the same packets "established" here
  ovs-appctl dpctl/flush-conntrack >/dev/null
  rm -f "$STATE/commands.json"
  do_dump "$out"
  do_probe "$out"
}

[ -z "${OVN_SCN:-}" ] || return 0   # sourced by 009-ovn-sg.sh
check_tools ovs-vsctl ovs-ofctl ovs-appctl ovsdb-server ovsdb-tool ovs-vswitchd ovn-northd ovn-controller ovn-nbctl ovn-sbctl
scenario_main "$@"
