#!/usr/bin/env bash
# keepalived between two VMs behind Neutron's iptables hybrid firewall
# (`firewall_driver = iptables_hybrid`) whose security group has no rule for VRRP (IP protocol
# 112): the MASTER's advertisements to 224.0.0.18 cross br-int (NORMAL floods them to the peer's
# qvo), reach the peer's qbr, and br_netfilter's FORWARD sends them through
# neutron-openvswi-sg-chain into the peer's ingress chain neutron-openvswi-i<port>, where no rule
# returns protocol 112: "Send unmatched traffic to the fallback chain." -> neutron-openvswi-sg-fallback
# "Default drop rule for unmatched traffic." -j DROP. Both VMs become MASTER (split brain).
# Contrast with 005 (OVS native firewall), where multicast to 224.0.0.x bypasses ingress rules.
#
# The security group "keepalived-sg" (both ports) allows ingress ICMP and SSH from anywhere and
# TCP 80 from its members (ipset NIPv4<group id>), the chains as iptables_firewall.py writes
# them. The VIP is already an allowed address pair of both ports (spoof chains, table 24, and a
# member address of the group's ipset), so VRRP is the only thing missing. Variant -vrrp-rule: the fix, an ingress rule for protocol 112 from the group's members
# (`-p vrrp -m set --match-set NIPv4... src -j RETURN`).
SCN=007-hybrid-vrrp
HOSTNAME_MODEL=compute-3
SEED=002_bee2be7d5fe7cd62.txt
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
source "$ORACLE_DIR/lib-neutron.sh"

A_PORT=c41f7e2d-9a3b-4c5d-8e6f-7a8b9c0d1e2f A_MAC=fa:16:3e:6b:20:01 A_IP=10.30.0.11 A_OFPORT=5
B_PORT=d52a8f3e-0b4c-4d6e-9f70-8b9c0d1e2f3a B_MAC=fa:16:3e:6b:20:02 B_IP=10.30.0.12 B_OFPORT=6
VIP=10.30.0.100 DHCP=10.30.0.2 TAG=2 ZONE=4098
SG=7d3e9c1a-5b2f-4a6d-8c7e-0f1a2b3c4d5e
IPSET=NIPv4${SG:0:26}
A_DEV=$(dev11 "$A_PORT") B_DEV=$(dev11 "$B_PORT")

scenario_netns() { :; }

ingress_rules() { # the group's ingress rules, as match text (iptables_firewall.py order)
  echo "-p icmp"
  echo "-p tcp -m tcp --dport 22"
  echo "-p tcp -m tcp --dport 80 -m set --match-set $IPSET src"
  [ -z "${VRRP_RULE:-}" ] || echo "-p vrrp -m set --match-set $IPSET src"
}

load_firewall() {
  local ingress
  ingress=$(ingress_rules)
  nsx host iptables-restore <<EOF
$(hybrid_firewall_head "$ZONE" "$A_PORT" "$B_PORT")
$(sg_port_chains "$A_PORT" "$A_MAC" "$A_IP $VIP" "$DHCP" "$ingress")
$(sg_port_chains "$B_PORT" "$B_MAC" "$B_IP $VIP" "$DHCP" "$ingress")
COMMIT
EOF
}

scenario_setup() {
  ns_new host
  ns_new guest-kv-vm1
  ns_new guest-kv-vm2
  nsx host sysctl -qw net.bridge.bridge-nf-call-iptables=1 net.bridge.bridge-nf-call-arptables=1 \
    net.bridge.bridge-nf-call-ip6tables=1 net.ipv4.ip_forward=1
  ovs_start
  add_br br-int
  hybrid_port "$A_PORT" guest-kv-vm1 "$A_MAC" "$A_IP/24" "$A_OFPORT" "$TAG"
  nsx guest-kv-vm1 ip addr add "$VIP/32" dev eth0   # keepalived MASTER holds the VIP
  hybrid_port "$B_PORT" guest-kv-vm2 "$B_MAC" "$B_IP/24" "$B_OFPORT" "$TAG"

  nsx host ipset create "$IPSET" hash:net family inet
  nsx host ipset add "$IPSET" "$A_IP"
  nsx host ipset add "$IPSET" "$B_IP"
  nsx host ipset add "$IPSET" "$VIP"   # allowed address pairs are member addresses too
  load_firewall

  ovs-ofctl add-flows br-int - <<EOF
cookie=$NEUTRON_COOKIE,table=0,priority=0,actions=resubmit(,60)
cookie=$NEUTRON_COOKIE,table=23,priority=0,actions=drop
cookie=$NEUTRON_COOKIE,table=24,priority=0,actions=drop
cookie=$NEUTRON_COOKIE,table=60,priority=3,actions=NORMAL
$(arp_spoof_flows "$A_OFPORT" "$A_MAC" "$A_IP $VIP")
$(arp_spoof_flows "$B_OFPORT" "$B_MAC" "$B_IP $VIP")
EOF
}

scenario_probes() {
  local a="send=guest-kv-vm1:eth0 ingress=tap$A_DEV recv=guest-kv-vm2:eth0 egress=tap$B_DEV trace=br-int:qvo$A_DEV"
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
  probe id=fixed-icmp desc="control: kv-vm1 pings kv-vm2 from its fixed IP $A_IP" \
    packet="icmp,dl_src=$A_MAC,dl_dst=$B_MAC,nw_src=$A_IP,nw_dst=$B_IP,nw_ttl=64,icmp_type=8,icmp_code=0" $a
  # shellcheck disable=SC2086
  probe id=fixed-tcp-80 desc="control: kv-vm1 connects to kv-vm2:80 (allowed from members of keepalived-sg: the ipset rule)" \
    packet="tcp,dl_src=$A_MAC,dl_dst=$B_MAC,nw_src=$A_IP,nw_dst=$B_IP,nw_ttl=64,tp_src=40000,tp_dst=80,tcp_flags=syn" $a
  # shellcheck disable=SC2086
  probe id=fixed-tcp-8080 desc="control: kv-vm1 connects to kv-vm2:8080, which no rule allows" \
    packet="tcp,dl_src=$A_MAC,dl_dst=$B_MAC,nw_src=$A_IP,nw_dst=$B_IP,nw_ttl=64,tp_src=40001,tp_dst=8080,tcp_flags=syn" $a
}

scenario_variants() {
  local out=$1-vrrp-rule
  VRRP_RULE=1 load_firewall
  # Conntrack must not remember the probes above: iptables-restore kept the counters' rules,
  # and a flushed table makes the advertisement NEW again, as for a restarted keepalived.
  nsx host conntrack -F >/dev/null 2>&1 || true
  rm -f "$STATE/commands.json"
  do_dump "$out"
  do_probe "$out"
}

check_tools ovs-vsctl ovs-ofctl ovs-appctl ovsdb-server ovs-vswitchd conntrack
scenario_main "$@"
