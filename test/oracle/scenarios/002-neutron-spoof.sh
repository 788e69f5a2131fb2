#!/usr/bin/env bash
# Seed 002 (Neutron, haproxy/keepalived in VMs): a VIP configured inside a VM cannot be used
# because Neutron's anti-spoofing drops it twice — the iptables spoof chain
# neutron-openvswi-s<port> (`-s IP/32 -m mac --mac-source MAC -j RETURN`, then
# "Drop traffic without an IP/MAC allow rule.") for IPv4, and the OVS agent's ARP spoofing
# protection in br-int (table 0 -> table 24: only `arp,in_port=P,arp_spa=<fixed IP>` goes on,
# everything else hits `priority=0 actions=drop`) for ARP.
#
# Builds a compute node with the iptables hybrid firewall: per VM tapX -> qbrX (Linux bridge,
# br_netfilter on) -> qvbX/qvoX veth -> br-int (OVS, userspace datapath) with the agent's table
# 0/24/25/60 flows; filter chains neutron-openvswi-* with ipset-based remote group rules, raw
# table conntrack zones. lb-vm1 (192.168.1.16) holds the haproxy VIP 192.168.1.100; lb-vm2
# (192.168.1.17) is its peer, both members of the seed's LBaaS example pool.
SCN=002-neutron-spoof
HOSTNAME_MODEL=compute-1
SEED=002_bee2be7d5fe7cd62.txt
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
source "$ORACLE_DIR/lib-neutron.sh"

# Every name and address can be changed through OSV_<NAME> (the seed's value is the default), so
# test/oracle/variants/ rebuilds the same situation with other port ids, MACs, addresses and
# ofports, plus "noise" VMs on br-int (other ports with their own chains, flows and allowed address
# pairs). OSV_A_PAIRS: allowed pairs lb-vm1 holds for other services (joined by +). OSV_NOISE holds one record per noise VM, separated by spaces:
#   PORT_ID,MAC,IP,PREFIX,OFPORT,TAG,ZONE,DHCP,PAIRS     (PAIRS: allowed pair IPs joined by +, or -)
# OSV_ORDER is the order in which the ports are plugged and the agents write their chains and
# flows: A, B and n0, n1... (default "A B", then the noise VMs).
A_PORT=${OSV_A_PORT:-6d1e3a2b-7c41-4a5e-9f0b-3c2d1e0f9a87} A_MAC=${OSV_A_MAC:-fa:16:3e:7d:2a:11} A_IP=${OSV_A_IP:-192.168.1.16} A_OFPORT=${OSV_A_OFPORT:-5}
B_PORT=${OSV_B_PORT:-2b9c4e71-0d5f-4c3a-8e21-7f6a5b4c3d2e} B_MAC=${OSV_B_MAC:-fa:16:3e:4b:9c:22} B_IP=${OSV_B_IP:-192.168.1.17} B_OFPORT=${OSV_B_OFPORT:-6}
VIP=${OSV_VIP:-192.168.1.100} DHCP=${OSV_DHCP:-192.168.1.2} TAG=${OSV_TAG:-1} ZONE=${OSV_ZONE:-4097} PREFIX=${OSV_PREFIX:-24}
A_PAIRS=${OSV_A_PAIRS:--}
SG=${OSV_SG:-f1c3a7b2-9d8e-4f6a-b5c4-8e7d6c5b4a39}
IPSET=NIPv4${SG:0:26}
A_DEV=$(dev11 "$A_PORT") B_DEV=$(dev11 "$B_PORT")
read -r -a NOISE <<<"${OSV_NOISE:-}"
# shellcheck disable=SC2086  # the default order is two words
read -r -a ORDER <<<"$(with_noise "${#NOISE[@]}" ${OSV_ORDER:-A B})"

scenario_netns() { :; }

# port_fields TOKEN: "PORT_ID MAC IP PREFIX OFPORT TAG ZONE DHCP PAIRS" of A, B or noise VM nK
port_fields() {
  case $1 in
    A) echo "$A_PORT $A_MAC $A_IP $PREFIX $A_OFPORT $TAG $ZONE $DHCP $A_PAIRS" ;;
    B) echo "$B_PORT $B_MAC $B_IP $PREFIX $B_OFPORT $TAG $ZONE $DHCP -" ;;
    *) echo "${NOISE[${1#n}]//,/ }" ;;
  esac
}

vm_of() { case $1 in A) echo guest-lb-vm1 ;; B) echo guest-lb-vm2 ;; *) echo "guest-noise-$1" ;; esac; }

scenario_setup() {
  ns_new host
  ns_new guest-lb-vm1
  ns_new guest-lb-vm2
  local t id mac ip prefix ofport tag zone dhcp pairs pair
  for t in "${ORDER[@]}"; do [[ $t != n* ]] || ns_new "$(vm_of "$t")"; done
  nsx host sysctl -qw net.bridge.bridge-nf-call-iptables=1 net.bridge.bridge-nf-call-arptables=1 \
    net.bridge.bridge-nf-call-ip6tables=1 net.ipv4.ip_forward=1
  ovs_start
  add_br br-int
  for t in "${ORDER[@]}"; do
    read -r id mac ip prefix ofport tag zone dhcp pairs <<<"$(port_fields "$t")"
    hybrid_port "$id" "$(vm_of "$t")" "$mac" "$ip/$prefix" "$ofport" "$tag"
    [ "$t" != A ] || nsx guest-lb-vm1 ip addr add "$VIP/32" dev eth0   # haproxy/keepalived VIP
    # a VM holds the VIPs of its allowed address pairs (other services), as keepalived would
    for pair in ${pairs//+/ }; do [ "$pair" = - ] || nsx "$(vm_of "$t")" ip addr add "$pair/32" dev eth0; done
  done

  # remote-group rule of the "default" security group: members of the group may reach the port
  nsx host ipset create "$IPSET" hash:net family inet
  for t in "${ORDER[@]}"; do
    read -r id mac ip prefix ofport tag zone dhcp pairs <<<"$(port_fields "$t")"
    nsx host ipset add "$IPSET" "$ip"
  done

  local ingress="-p icmp
-p tcp -m tcp --dport 22
-p tcp -m tcp --dport 80
-m set --match-set $IPSET src"
  local heads=() chains=() flows=() srcs
  for t in "${ORDER[@]}"; do
    read -r id mac ip prefix ofport tag zone dhcp pairs <<<"$(port_fields "$t")"
    heads+=("$id@$zone")
    # Neutron lists a port's allowed address pairs before its fixed IPs (iptables_firewall.py)
    srcs=${pairs//+/ }
    if [ "$srcs" = - ]; then srcs=$ip; else srcs="$srcs $ip"; fi
    chains+=("$(sg_port_chains "$id" "$mac" "$srcs" "$dhcp" "$ingress")")
    flows+=("$(arp_spoof_flows "$ofport" "$mac" "$srcs")")
  done
  nsx host iptables-restore <<EOF
$(hybrid_firewall_head "$ZONE" "${heads[@]}")
$(printf '%s\n' "${chains[@]}")
COMMIT
EOF

  ovs-ofctl add-flows br-int - <<EOF
cookie=$NEUTRON_COOKIE,table=0,priority=0,actions=resubmit(,60)
cookie=$NEUTRON_COOKIE,table=23,priority=0,actions=drop
cookie=$NEUTRON_COOKIE,table=24,priority=0,actions=drop
cookie=$NEUTRON_COOKIE,table=60,priority=3,actions=NORMAL
$(printf '%s\n' "${flows[@]}")
EOF
}

scenario_probes() {
  local a="send=guest-lb-vm1:eth0 ingress=tap$A_DEV recv=guest-lb-vm2:eth0 egress=tap$B_DEV trace=br-int:qvo$A_DEV"
  # shellcheck disable=SC2086  # $a is a list of key=value words
  probe id=vip-garp desc="keepalived on lb-vm1 announces the VIP $VIP with a gratuitous ARP" \
    packet="arp,arp_op=1,arp_spa=$VIP,arp_tpa=$VIP,arp_sha=$A_MAC,arp_tha=00:00:00:00:00:00,dl_src=$A_MAC,dl_dst=ff:ff:ff:ff:ff:ff" $a
  # shellcheck disable=SC2086
  probe id=vip-icmp desc="lb-vm1 pings lb-vm2 from the VIP $VIP (haproxy answering from the VIP)" \
    packet="icmp,dl_src=$A_MAC,dl_dst=$B_MAC,nw_src=$VIP,nw_dst=$B_IP,nw_ttl=64,icmp_type=8,icmp_code=0" $a
  # shellcheck disable=SC2086
  probe id=fixed-icmp desc="control: lb-vm1 pings lb-vm2 from its fixed IP $A_IP" \
    packet="icmp,dl_src=$A_MAC,dl_dst=$B_MAC,nw_src=$A_IP,nw_dst=$B_IP,nw_ttl=64,icmp_type=8,icmp_code=0" $a
  # shellcheck disable=SC2086
  probe id=fixed-garp desc="control: lb-vm1 announces its fixed IP $A_IP with a gratuitous ARP" \
    packet="arp,arp_op=1,arp_spa=$A_IP,arp_tpa=$A_IP,arp_sha=$A_MAC,arp_tha=00:00:00:00:00:00,dl_src=$A_MAC,dl_dst=ff:ff:ff:ff:ff:ff" $a
  # shellcheck disable=SC2086
  probe id=fixed-tcp-80 desc="control: lb-vm1 opens a connection to lb-vm2:80 (a pool member) from its fixed IP" \
    packet="tcp,dl_src=$A_MAC,dl_dst=$B_MAC,nw_src=$A_IP,nw_dst=$B_IP,nw_ttl=64,tp_src=40000,tp_dst=80,tcp_flags=syn" $a
  probe id=to-vip-icmp desc="lb-vm2 pings the VIP $VIP: inbound to the VIP passes (icmp ingress rule; the spoof chain checks only sources)" \
    packet="icmp,dl_src=$B_MAC,dl_dst=$A_MAC,nw_src=$B_IP,nw_dst=$VIP,nw_ttl=64,icmp_type=8,icmp_code=0" \
    send=guest-lb-vm2:eth0 ingress="tap$B_DEV" recv=guest-lb-vm1:eth0 egress="tap$A_DEV" trace="br-int:qvo$B_DEV"
}

check_tools ovs-vsctl ovs-ofctl ovs-appctl ovsdb-server ovs-vswitchd
scenario_main "$@"
