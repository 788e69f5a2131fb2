#!/usr/bin/env bash
# keepalived on ML2/OVN with the VIP already an allowed address pair of both ports (008's fix),
# dropped by the *security group* instead: OVN ACLs of Neutron's port groups. Neutron puts every
# port with security groups in `neutron_pg_drop` (priority 1001 `ip` drop, both directions) and in
# `pg_<sg>` per group, whose rules are allow-related ACLs at priority 1002 (acl.py). ovn-northd
# turns the ACLs into ls_in_acl (from-lport, Neutron egress rules) and ls_out_acl (to-lport,
# Neutron ingress rules) logical flows at ACL priority + 1000, guarded by the ls_*_acl_hint bits
# (`reg0[9] == 1 && (outport == @neutron_pg_drop && ip)` -> drop); ovn-controller compiles them to
# `priority=2001,ip,reg0=0x200/0x200,reg15=<port key>,metadata=<datapath> actions=drop`.
#
# The group "keepalived-sg" (both ports) has no rule for VRRP (IP protocol 112): egress anywhere,
# ingress SSH from anywhere, ICMP and TCP 80 from the group's members (remote group, i.e. the
# address set `$pg_<sg>_ip4`). A remote group is matched by address: ovn-northd fills
# `$pg_<sg>_ip4` from the member ports' `addresses` column (fixed IPs), not from port_security,
# where Neutron puts allowed address pairs. So traffic *from the VIP* is not from a member.
#
# Variants: -vrrp-rule adds `--ingress --protocol 112 --remote-group keepalived-sg` (ACL match
# `ip4.src == $pg_<sg>_ip4 && ip.proto == 112`); -vip-rule adds on top the fix for VIP-sourced
# traffic, `--remote-ip <VIP>/32` rules for ICMP and TCP 80 (`ip4.src == <VIP>/32`).
#
# Everything else (OVN's daemons, the NB rows as the ML2/OVN driver writes them, the metadata
# port, the VIFs, what is dumped) is 008-ovn.sh's, sourced for its functions.
OVN_SCN=009-ovn-sg
OVN_HOSTNAME=compute-ovn-2
# shellcheck source=008-ovn.sh
source "$(dirname "${BASH_SOURCE[0]}")/008-ovn.sh"

A_PORT=5d2b8e4f-1a3c-4e6b-9d7f-0c2e4a6b8d13 A_MAC=fa:16:3e:7e:b2:01 A_VM=6e7f8091-a2b3-4c4d-9e5f-061728394a5b
B_PORT=a8c0e2f4-6b8d-4f1a-8c3e-5d7f9b1d3f52 B_MAC=fa:16:3e:7e:b2:02 B_VM=7f809102-b3c4-4d5e-8f60-17283940a5b6
A_DEV=tap$(dev11 "$A_PORT") B_DEV=tap$(dev11 "$B_PORT")
SG=3b5d7f91-c2e4-4a6c-8e0f-b1d3f5a7c9e1
PG=pg_${SG//-/_}
CHASSIS=8b2e4d6f-0a1c-4e3b-9d5f-2e4a6c8e0b2d ENCAP_IP=192.168.100.22
PAIRS=$VIP   # `openstack port set --allowed-address ip-address=<VIP>` on both ports

sg_rules() {
  cat <<EOF
from-lport|inport == @$PG && ip4
from-lport|inport == @$PG && ip6
to-lport|outport == @$PG && ip4 && ip4.src == 0.0.0.0/0 && tcp && tcp.dst == 22
to-lport|outport == @$PG && ip4 && ip4.src == \$${PG}_ip4 && icmp4
to-lport|outport == @$PG && ip4 && ip4.src == \$${PG}_ip4 && tcp && tcp.dst == 80
EOF
}

scenario_probes() {
  local a="send=guest-kv-vm1:eth0 ingress=$A_DEV recv=guest-kv-vm2:eth0 egress=$B_DEV trace=br-int:$A_DEV"
  # shellcheck disable=SC2086  # $a is a list of key=value words
  probe id=vrrp-multicast desc="keepalived on kv-vm1 sends its VRRP advertisement (IP protocol 112) to 224.0.0.18" \
    packet="ip,nw_proto=112,dl_src=$A_MAC,dl_dst=01:00:5e:00:00:12,nw_src=$A_IP,nw_dst=224.0.0.18,nw_ttl=255" $a
  # shellcheck disable=SC2086
  probe id=vrrp-unicast desc="keepalived on kv-vm1 with unicast_peer sends its VRRP advertisement to kv-vm2 ($B_IP)" \
    packet="ip,nw_proto=112,dl_src=$A_MAC,dl_dst=$B_MAC,nw_src=$A_IP,nw_dst=$B_IP,nw_ttl=255" $a
  # shellcheck disable=SC2086
  probe id=vip-garp desc="control: keepalived on kv-vm1 announces the VIP $VIP (an allowed address pair) with a gratuitous ARP" \
    packet="arp,arp_op=1,arp_spa=$VIP,arp_tpa=$VIP,arp_sha=$A_MAC,arp_tha=00:00:00:00:00:00,dl_src=$A_MAC,dl_dst=ff:ff:ff:ff:ff:ff" $a
  # shellcheck disable=SC2086
  probe id=fixed-icmp desc="control: kv-vm1 pings kv-vm2 from its fixed IP $A_IP (ICMP from members: the address set holds $A_IP)" \
    packet="icmp,dl_src=$A_MAC,dl_dst=$B_MAC,nw_src=$A_IP,nw_dst=$B_IP,nw_ttl=64,icmp_type=8,icmp_code=0" $a
  # shellcheck disable=SC2086
  probe id=vip-icmp desc="kv-vm1 pings kv-vm2 from the VIP $VIP: an allowed address pair, but not in the remote group's address set" \
    packet="icmp,dl_src=$A_MAC,dl_dst=$B_MAC,nw_src=$VIP,nw_dst=$B_IP,nw_ttl=64,icmp_type=8,icmp_code=0" $a
  # shellcheck disable=SC2086
  probe id=fixed-tcp-80 desc="control: kv-vm1 connects to kv-vm2:80 from its fixed IP (TCP 80 from members)" \
    packet="tcp,dl_src=$A_MAC,dl_dst=$B_MAC,nw_src=$A_IP,nw_dst=$B_IP,nw_ttl=64,tp_src=40000,tp_dst=80,tcp_flags=syn" $a
  # shellcheck disable=SC2086
  probe id=vip-tcp-80 desc="kv-vm1 connects to kv-vm2:80 from the VIP (e.g. haproxy with source $VIP): not a member address" \
    packet="tcp,dl_src=$A_MAC,dl_dst=$B_MAC,nw_src=$VIP,nw_dst=$B_IP,nw_ttl=64,tp_src=40001,tp_dst=80,tcp_flags=syn" $a
  # shellcheck disable=SC2086
  probe id=vip-tcp-22 desc="control: kv-vm1 connects to kv-vm2:22 from the VIP (SSH from anywhere: the pair itself passes)" \
    packet="tcp,dl_src=$A_MAC,dl_dst=$B_MAC,nw_src=$VIP,nw_dst=$B_IP,nw_ttl=64,tp_src=40002,tp_dst=22,tcp_flags=syn" $a
  local b="send=guest-kv-vm2:eth0 ingress=$B_DEV recv=guest-kv-vm1:eth0 egress=$A_DEV trace=br-int:$B_DEV"
  # shellcheck disable=SC2086
  probe id=to-vip-tcp-80 desc="control: kv-vm2 connects to the VIP $VIP port 80 on kv-vm1 (from a member)" \
    packet="tcp,dl_src=$B_MAC,dl_dst=$A_MAC,nw_src=$B_IP,nw_dst=$VIP,nw_ttl=64,tp_src=40003,tp_dst=80,tcp_flags=syn" $b
  # shellcheck disable=SC2086
  probe id=to-vip-tcp-8080 desc="kv-vm2 connects to the VIP $VIP port 8080 on kv-vm1, which no rule allows" \
    packet="tcp,dl_src=$B_MAC,dl_dst=$A_MAC,nw_src=$B_IP,nw_dst=$VIP,nw_ttl=64,tp_src=40004,tp_dst=8080,tcp_flags=syn" $b
}

# variant OUTDIR NAME: re-dump and re-probe after the NB change, with conntrack forgotten (the
# first run's connections would make the same packets "established")
variant() {
  ovn_wait_bound
  ovs-appctl dpctl/flush-conntrack >/dev/null
  rm -f "$STATE/commands.json"
  do_dump "$1-$2"
  do_probe "$1-$2"
}

scenario_variants() {
  # openstack security group rule create --ingress --ethertype IPv4 --protocol 112 --remote-group keepalived-sg keepalived-sg
  sg_acl_add to-lport "outport == @$PG && ip4 && ip4.src == \$${PG}_ip4 && ip.proto == 112" 6
  variant "$1" vrrp-rule
  # ... --protocol icmp --remote-ip <VIP>/32 and --protocol tcp --dst-port 80 --remote-ip <VIP>/32
  sg_acl_add to-lport "outport == @$PG && ip4 && ip4.src == $VIP/32 && icmp4" 7
  sg_acl_add to-lport "outport == @$PG && ip4 && ip4.src == $VIP/32 && tcp && tcp.dst == 80" 8
  variant "$1" vip-rule
}

check_tools ovs-vsctl ovs-ofctl ovs-appctl ovsdb-server ovsdb-tool ovs-vswitchd ovn-northd ovn-controller ovn-nbctl ovn-sbctl
scenario_main "$@"
