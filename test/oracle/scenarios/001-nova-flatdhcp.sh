#!/usr/bin/env bash
# Seed 001 (nova-network FlatDHCP tutorial): how packets flow through br100, dnsmasq, the
# metadata DNAT and the per-instance chain nova-compute-inst-9, which accepts DHCP from the
# network host and the fixed subnet and sends everything else to nova-compute-sg-fallback
# (DROP) — including the hypervisor's own pings from an address outside the subnet
# ("ping: sendmsg: Operation not permitted", because OUTPUT runs the same chains).
#
# Builds controller-1 of the seed running nova-network, nova-api and nova-compute together:
# eth1 (management, 192.168.56.200, default via 192.168.56.101), br100 (10.0.0.1, dnsmasq's
# address) with eth2 (the flat network, towards compute-2's VM 10.0.0.3), the metadata address
# 169.254.169.254 on lo, instance-00000009 (cirros, 10.0.0.2) on vnet0, br_netfilter on, and
# the seed's `iptables -S` chains of both hosts: nova-network-*, nova-api-* (filter and nat,
# with the metadata DNAT to 192.168.56.200:8775) and nova-compute-* / nova-compute-inst-9.
SCN=001-nova-flatdhcp
HOSTNAME_MODEL=controller-1
SEED=001_10686f974812c133.txt
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

VM_MAC=fa:16:3e:2c:e8:ec VM_IP=10.0.0.2
PEER_MAC=fa:16:3e:5a:9b:de PEER_IP=10.0.0.3
MGMT_IP=192.168.56.200 GW_IP=192.168.56.101 GW_MAC=08:00:27:00:56:65
BR_MAC=08:00:27:8f:87:fa ETH1_MAC=08:00:27:9d:c4:b0

scenario_netns() { :; }

scenario_setup() {
  ns_new host
  ns_new guest-cirros
  ns_new guest-compute-2
  ns_new guest-mgmt
  nsx host sysctl -qw net.bridge.bridge-nf-call-iptables=1 net.bridge.bridge-nf-call-arptables=1 \
    net.bridge.bridge-nf-call-ip6tables=1 net.ipv4.ip_forward=1
  veth eth1 host eth0 guest-mgmt
  nsx host ip link set eth1 address "$ETH1_MAC"
  nsx host ip addr add "$MGMT_IP/24" brd 192.168.56.255 dev eth1
  nsx host ip route add default via "$GW_IP" dev eth1 metric 100
  nsx host ip route add 169.254.0.0/16 dev eth1 metric 1000
  guest_cfg guest-mgmt eth0 "$GW_MAC" "$GW_IP/24"
  nsx guest-mgmt ip route add 10.0.0.0/24 via "$MGMT_IP"
  nsx host ip addr add 169.254.169.254/32 dev lo
  veth eth2 host eth0 guest-compute-2
  nsx host ip link set eth2 down
  nsx host ip link set eth2 address "$BR_MAC"
  nsx host ip link add br100 type bridge stp_state 0 forward_delay 0
  nsx host ip link set eth2 master br100 up
  nsx host ip link set br100 address "$BR_MAC" up
  nsx host ip addr add 10.0.0.1/24 brd 10.0.0.255 dev br100
  guest_cfg guest-compute-2 eth0 "$PEER_MAC" "$PEER_IP/24"
  veth vnet0 host eth0 guest-cirros
  nsx host ip link set vnet0 down
  nsx host ip link set vnet0 address "fe:${VM_MAC#fa:}" master br100 up
  guest_cfg guest-cirros eth0 "$VM_MAC" "$VM_IP/24" 10.0.0.1

  nsx host iptables-restore <<EOF
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:nova-api-OUTPUT - [0:0]
:nova-api-POSTROUTING - [0:0]
:nova-api-PREROUTING - [0:0]
:nova-api-float-snat - [0:0]
:nova-api-snat - [0:0]
:nova-compute-OUTPUT - [0:0]
:nova-compute-POSTROUTING - [0:0]
:nova-compute-PREROUTING - [0:0]
:nova-compute-float-snat - [0:0]
:nova-compute-snat - [0:0]
:nova-network-OUTPUT - [0:0]
:nova-network-POSTROUTING - [0:0]
:nova-network-PREROUTING - [0:0]
:nova-network-float-snat - [0:0]
:nova-network-snat - [0:0]
:nova-postrouting-bottom - [0:0]
-A PREROUTING -j nova-network-PREROUTING
-A PREROUTING -j nova-compute-PREROUTING
-A PREROUTING -j nova-api-PREROUTING
-A OUTPUT -j nova-network-OUTPUT
-A OUTPUT -j nova-compute-OUTPUT
-A OUTPUT -j nova-api-OUTPUT
-A POSTROUTING -j nova-network-POSTROUTING
-A POSTROUTING -j nova-compute-POSTROUTING
-A POSTROUTING -j nova-api-POSTROUTING
-A POSTROUTING -j nova-postrouting-bottom
-A nova-api-snat -j nova-api-float-snat
-A nova-compute-snat -j nova-compute-float-snat
-A nova-network-POSTROUTING -s 10.0.0.0/24 -d $MGMT_IP/32 -j ACCEPT
-A nova-network-POSTROUTING -s 10.0.0.0/24 -d 10.128.0.0/24 -j ACCEPT
-A nova-network-POSTROUTING -s 10.0.0.0/24 -d 10.0.0.0/24 -m conntrack ! --ctstate DNAT -j ACCEPT
-A nova-network-PREROUTING -d 169.254.169.254/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination $MGMT_IP:8775
-A nova-network-snat -j nova-network-float-snat
-A nova-network-snat -s 10.0.0.0/24 -j SNAT --to-source $MGMT_IP
-A nova-postrouting-bottom -j nova-network-snat
-A nova-postrouting-bottom -j nova-compute-snat
-A nova-postrouting-bottom -j nova-api-snat
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:nova-api-FORWARD - [0:0]
:nova-api-INPUT - [0:0]
:nova-api-OUTPUT - [0:0]
:nova-api-local - [0:0]
:nova-compute-FORWARD - [0:0]
:nova-compute-INPUT - [0:0]
:nova-compute-OUTPUT - [0:0]
:nova-compute-inst-9 - [0:0]
:nova-compute-local - [0:0]
:nova-compute-provider - [0:0]
:nova-compute-sg-fallback - [0:0]
:nova-filter-top - [0:0]
:nova-network-FORWARD - [0:0]
:nova-network-INPUT - [0:0]
:nova-network-OUTPUT - [0:0]
:nova-network-local - [0:0]
-A INPUT -j nova-network-INPUT
-A INPUT -j nova-compute-INPUT
-A INPUT -j nova-api-INPUT
-A FORWARD -j nova-filter-top
-A FORWARD -j nova-network-FORWARD
-A FORWARD -j nova-compute-FORWARD
-A FORWARD -j nova-api-FORWARD
-A OUTPUT -j nova-filter-top
-A OUTPUT -j nova-network-OUTPUT
-A OUTPUT -j nova-compute-OUTPUT
-A OUTPUT -j nova-api-OUTPUT
-A nova-api-INPUT -d $MGMT_IP/32 -p tcp -m tcp --dport 8775 -j ACCEPT
-A nova-compute-FORWARD -i br100 -j ACCEPT
-A nova-compute-FORWARD -o br100 -j ACCEPT
-A nova-compute-inst-9 -m state --state INVALID -j DROP
-A nova-compute-inst-9 -m state --state RELATED,ESTABLISHED -j ACCEPT
-A nova-compute-inst-9 -j nova-compute-provider
-A nova-compute-inst-9 -s 10.0.0.1/32 -p udp -m udp --sport 67 --dport 68 -j ACCEPT
-A nova-compute-inst-9 -s 10.0.0.0/24 -j ACCEPT
-A nova-compute-inst-9 -j nova-compute-sg-fallback
-A nova-compute-local -d $VM_IP/32 -j nova-compute-inst-9
-A nova-compute-sg-fallback -j DROP
-A nova-filter-top -j nova-network-local
-A nova-filter-top -j nova-compute-local
-A nova-filter-top -j nova-api-local
-A nova-network-FORWARD -i br100 -j ACCEPT
-A nova-network-FORWARD -o br100 -j ACCEPT
-A nova-network-INPUT -i br100 -p udp -m udp --dport 67 -j ACCEPT
-A nova-network-INPUT -i br100 -p tcp -m tcp --dport 67 -j ACCEPT
-A nova-network-INPUT -i br100 -p udp -m udp --dport 53 -j ACCEPT
-A nova-network-INPUT -i br100 -p tcp -m tcp --dport 53 -j ACCEPT
COMMIT
EOF
}

scenario_probes() {
  local vm="recv=guest-cirros:eth0 egress=vnet0"
  probe id=dhcp-discover desc="cirros broadcasts a DHCPDISCOVER; dnsmasq on br100 (10.0.0.1:67) receives it" \
    packet="udp,dl_src=$VM_MAC,dl_dst=ff:ff:ff:ff:ff:ff,nw_src=0.0.0.0,nw_dst=255.255.255.255,nw_ttl=64,tp_src=68,tp_dst=67" \
    send=guest-cirros:eth0 ingress=vnet0 recv=udp:host:0.0.0.0:67 egress=local
  # shellcheck disable=SC2086  # $vm is a list of key=value words
  probe id=dhcp-offer desc="dnsmasq (10.0.0.1:67) answers cirros on port 68: accepted by the DHCP rule of nova-compute-inst-9 in OUTPUT" \
    packet="udp,nw_src=10.0.0.1,nw_dst=$VM_IP,tp_src=67,tp_dst=68" \
    send=sock:host:udp:10.0.0.1:67:$VM_IP:68 ingress=local $vm
  # shellcheck disable=SC2086
  probe id=subnet-icmp desc="a VM on compute-2 ($PEER_IP, via eth2) pings cirros: the fixed subnet is accepted" \
    packet="icmp,dl_src=$PEER_MAC,dl_dst=$VM_MAC,nw_src=$PEER_IP,nw_dst=$VM_IP,nw_ttl=64,icmp_type=8,icmp_code=0" \
    send=guest-compute-2:eth0 ingress=eth2 $vm
  # shellcheck disable=SC2086
  probe id=host-ping-from-subnet desc="the host pings cirros from 10.0.0.1 (br100): accepted, the seed's 'ping from the controller'" \
    packet="icmp,nw_src=10.0.0.1,nw_dst=$VM_IP,icmp_type=8,icmp_code=0" \
    send=sock:host:icmp:10.0.0.1:0:$VM_IP:0 ingress=local $vm
  # shellcheck disable=SC2086
  probe id=host-ping-from-mgmt desc="the host pings cirros from $MGMT_IP: OUTPUT runs nova-compute-inst-9, sg-fallback drops it (sendmsg: Operation not permitted)" \
    packet="icmp,nw_src=$MGMT_IP,nw_dst=$VM_IP,icmp_type=8,icmp_code=0" \
    send=sock:host:icmp:$MGMT_IP:0:$VM_IP:0 ingress=local $vm
  # shellcheck disable=SC2086
  probe id=mgmt-to-vm desc="the management gateway $GW_IP routes a ping to cirros through the host: not from the subnet, dropped by sg-fallback" \
    packet="icmp,dl_src=$GW_MAC,dl_dst=$ETH1_MAC,nw_src=$GW_IP,nw_dst=$VM_IP,nw_ttl=64,icmp_type=8,icmp_code=0" \
    send=guest-mgmt:eth0 ingress=eth1 $vm
  probe id=metadata desc="cirros asks the metadata service 169.254.169.254:80: DNAT to nova-api $MGMT_IP:8775, accepted by nova-api-INPUT" \
    packet="tcp,dl_src=$VM_MAC,dl_dst=$BR_MAC,nw_src=$VM_IP,nw_dst=169.254.169.254,nw_ttl=64,tp_src=41000,tp_dst=80,tcp_flags=syn" \
    send=guest-cirros:eth0 ingress=vnet0 recv=tcp:host:$MGMT_IP:8775 egress=local
}

check_tools
scenario_main "$@"
