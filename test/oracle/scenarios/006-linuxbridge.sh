#!/usr/bin/env bash
# Seed 002's situation (keepalived VMs whose VIP is not an allowed address pair) on an ML2
# linuxbridge compute node: no OVS at all. The linuxbridge agent drops the VIP in two places of
# its own:
#   - ebtables nat PREROUTING (neutron/plugins/ml2/drivers/linuxbridge/agent/arp_protect.py):
#     `-i tapX -j neutronMAC-tapX` (inserted first: `--among-src <port MACs> -j RETURN`, then
#     `-j DROP`) and `-p ARP -i tapX -j neutronARP-tapX` (appended: one
#     `-p ARP --arp-ip-src <fixed IP or allowed pair> -j ACCEPT` per address, then `-j DROP`;
#     both chains also have policy DROP). A gratuitous ARP for the VIP dies on that `-j DROP`.
#   - iptables (neutron/agent/linux/iptables_firewall.py, IptablesFirewallDriver): the egress
#     chain neutron-linuxbri-o<port[:10]> jumps to the spoof chain neutron-linuxbri-s<port[:10]>,
#     "Drop traffic without an IP/MAC allow rule." takes VIP-sourced IPv4.
#
# Builds compute-lb-1: network 3f8a2c71-… as Linux bridge brq3f8a2c71-5d (STP off) with the VM
# taps tap<port[:11]> (libvirt fe:16:3e MACs, MTU 1450) and the VXLAN uplink vxlan-1001 (VNI
# 1001, dev eth1, kernel default port 8472, l2population fdb entries towards compute-2's VTEP
# 10.20.0.12, whose own vxlan-1001 receives); br_netfilter on; the agent's iptables (raw CT zone
# 4097 per network, `Set zone for <port[:11]>`; filter neutron-linuxbri-* with physdev jumps,
# sg-chain, sg-fallback, the default security group with its ipset remote-group rule; an empty
# nat neutron-linuxbri-PREROUTING as the state-less iptables_manager leaves it) and its ebtables
# chains, in the order the agent issues the commands for lb-vm1 then lb-vm2. lb-vm1
# (172.16.10.11, keepalived MASTER) holds the VIP 172.16.10.100; lb-vm2 (172.16.10.12) is BACKUP.
# Variants: -allowed-pair, the VIP added as an allowed address pair to both ports, re-applied as
# the agent does (ebtables chains flushed and refilled, spoof chain with the pair first, VIP in the
# security group's ipset); -policy-drop, the ebtables chains as Queens..Wallaby agents wrote them
# (no final `-j DROP`: the chains' DROP policy drops; the explicit rule came with ebtables-nft
# support in Xena).
SCN=006-linuxbridge
HOSTNAME_MODEL=compute-lb-1
SEED=002_bee2be7d5fe7cd62.txt
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
source "$ORACLE_DIR/lib-neutron.sh"   # dev11, chain10, upper

NET=3f8a2c71-5d4e-4b9a-8c6f-1e2d3c4b5a69 VNI=1001 MTU=1450
BRQ=brq${NET:0:11} VXLAN=vxlan-$VNI
A_PORT=5a7c9e1b-3d2f-4a6b-8c0d-e1f2a3b4c5d6 A_MAC=fa:16:3e:5a:7c:01 A_IP=172.16.10.11
B_PORT=e4b2d6f8-1a3c-4e5f-9a7b-2c4d6e8f0a1b B_MAC=fa:16:3e:e4:b2:02 B_IP=172.16.10.12
R_MAC=fa:16:3e:0b:0c:0d R_IP=172.16.10.21   # a VM on compute-2, reached through the VXLAN
VIP=172.16.10.100 DHCP=172.16.10.2 ZONE=4097
LOCAL_VTEP=10.20.0.11 REMOTE_VTEP=10.20.0.12 REMOTE_UNDERLAY_MAC=52:54:00:20:00:12
SG=9b7e5d3c-1a2b-4c6d-8e0f-a1b2c3d4e5f6
IPSET=NIPv4${SG:0:26}
A_DEV=tap$(dev11 "$A_PORT") B_DEV=tap$(dev11 "$B_PORT")
P=neutron-linuxbri

scenario_netns() { :; }

# lb_port PORT_ID VM_NS MAC CIDR: the VM's tap (a veth whose host end is named tapX, as libvirt's
# tap would be) plugged into the network's brq bridge by the agent
lb_port() {
  local dev=tap$(dev11 "$1") vm=$2 mac=$3 cidr=$4
  veth "$dev" host eth0 "$vm"
  nsx host ip link set "$dev" down
  nsx host ip link set "$dev" address "fe:${mac#fa:}" mtu "$MTU" master "$BRQ" up
  nsx "$vm" ip link set eth0 mtu "$MTU"
  guest_cfg "$vm" eth0 "$mac" "$cidr"
}

# lb_raw_zone PORT_ID: _get_jump_rules of a linuxbridge port: one zone per network, matched on
# the bridge (physdev and -i) and on the tap; the comment carries the device minus "tap".
lb_raw_zone() {
  local d c
  d=$(dev11 "$1")
  c="-m comment --comment \"Set zone for $d\" -j CT --zone $ZONE"
  printf -- '-A %s-PREROUTING -m physdev --physdev-in %s %s\n' "$P" "$BRQ" "$c"
  printf -- '-A %s-PREROUTING -i %s %s\n' "$P" "$BRQ" "$c"
  printf -- '-A %s-PREROUTING -m physdev --physdev-in tap%s %s\n' "$P" "$d" "$c"
}

lb_port_hooks() { # PORT_ID
  local d c
  d=$(dev11 "$1") c=$(chain10 "$1")
  cat <<EOF
-A $P-FORWARD -m physdev --physdev-out tap$d --physdev-is-bridged -m comment --comment "Direct traffic from the VM interface to the security group chain." -j $P-sg-chain
-A $P-FORWARD -m physdev --physdev-in tap$d --physdev-is-bridged -m comment --comment "Direct traffic from the VM interface to the security group chain." -j $P-sg-chain
-A $P-INPUT -m physdev --physdev-in tap$d --physdev-is-bridged -m comment --comment "Direct incoming traffic from VM to the security group chain." -j $P-o$c
-A $P-sg-chain -m physdev --physdev-out tap$d --physdev-is-bridged -m comment --comment "Jump to the VM specific chain." -j $P-i$c
-A $P-sg-chain -m physdev --physdev-in tap$d --physdev-is-bridged -m comment --comment "Jump to the VM specific chain." -j $P-o$c
EOF
}

# lb_port_chains PORT_ID MAC FIXED_IP "PAIR_IP...": i/o/s chains of a port in the default security
# group (egress: all; ingress: icmp, ssh, http and the group itself via its ipset). Allowed
# address pairs come before the fixed IPs in the spoof chain (_spoofing_rule builds them first).
lb_port_chains() {
  local c=$(chain10 "$1") mac=$2 fixed=$3 pairs=$4 ip r
  local invalid='-m state --state INVALID -m comment --comment "Drop packets that appear related to an existing connection (e.g. TCP ACK/FIN) but do not have an entry in conntrack." -j DROP'
  local known='-m state --state RELATED,ESTABLISHED -m comment --comment "Direct packets associated with a known session to the RETURN chain." -j RETURN'
  echo "-A $P-i$c $known"
  echo "-A $P-i$c -s $DHCP/32 -p udp -m udp --sport 67 --dport 68 -j RETURN"
  for r in "-p icmp" "-p tcp -m tcp --dport 22" "-p tcp -m tcp --dport 80" "-m set --match-set $IPSET src"; do
    echo "-A $P-i$c $r -j RETURN"
  done
  echo "-A $P-i$c $invalid"
  echo "-A $P-i$c -m comment --comment \"Send unmatched traffic to the fallback chain.\" -j $P-sg-fallback"
  echo "-A $P-o$c -s 0.0.0.0/32 -d 255.255.255.255/32 -p udp -m udp --sport 68 --dport 67 -m comment --comment \"Allow DHCP client traffic.\" -j RETURN"
  echo "-A $P-o$c -j $P-s$c"
  echo "-A $P-o$c -p udp -m udp --sport 68 --dport 67 -m comment --comment \"Allow DHCP client traffic.\" -j RETURN"
  echo "-A $P-o$c -p udp -m udp --sport 67 -m udp --dport 68 -m comment --comment \"Prevent DHCP Spoofing by VM.\" -j DROP"
  echo "-A $P-o$c $known"
  echo "-A $P-o$c -j RETURN"
  echo "-A $P-o$c $invalid"
  echo "-A $P-o$c -m comment --comment \"Send unmatched traffic to the fallback chain.\" -j $P-sg-fallback"
  for ip in $pairs $fixed; do
    echo "-A $P-s$c -s $ip/32 -m mac --mac-source $(upper "$mac") -m comment --comment \"Allow traffic from defined IP/MAC pairs.\" -j RETURN"
  done
  echo "-A $P-s$c -m comment --comment \"Drop traffic without an IP/MAC allow rule.\" -j DROP"
}

# lb_iptables PAIRS: the whole ruleset of the agent (iptables_manager with state_less=True:
# raw, nat PREROUTING and filter are wrapped) for both ports, PAIRS being their allowed pair IPs
lb_iptables() {
  local pairs=$1 p c
  echo '*raw'
  echo ':PREROUTING ACCEPT [0:0]'
  echo ':OUTPUT ACCEPT [0:0]'
  echo ":$P-OUTPUT - [0:0]"
  echo ":$P-PREROUTING - [0:0]"
  echo "-A PREROUTING -j $P-PREROUTING"
  echo "-A OUTPUT -j $P-OUTPUT"
  for p in "$A_PORT" "$B_PORT"; do lb_raw_zone "$p"; done
  echo 'COMMIT'
  echo '*nat'
  echo ':PREROUTING ACCEPT [0:0]'
  echo ':INPUT ACCEPT [0:0]'
  echo ':OUTPUT ACCEPT [0:0]'
  echo ':POSTROUTING ACCEPT [0:0]'
  echo ":$P-PREROUTING - [0:0]"
  echo "-A PREROUTING -j $P-PREROUTING"
  echo 'COMMIT'
  echo '*filter'
  echo ':INPUT ACCEPT [0:0]'
  echo ':FORWARD ACCEPT [0:0]'
  echo ':OUTPUT ACCEPT [0:0]'
  echo ':neutron-filter-top - [0:0]'
  for c in FORWARD INPUT OUTPUT local sg-chain sg-fallback; do echo ":$P-$c - [0:0]"; done
  for p in "$A_PORT" "$B_PORT"; do
    c=$(chain10 "$p")
    printf ':%s-i%s - [0:0]\n:%s-o%s - [0:0]\n:%s-s%s - [0:0]\n' "$P" "$c" "$P" "$c" "$P" "$c"
  done
  echo "-A INPUT -j $P-INPUT"
  echo '-A FORWARD -j neutron-filter-top'
  echo "-A FORWARD -j $P-FORWARD"
  echo '-A OUTPUT -j neutron-filter-top'
  echo "-A OUTPUT -j $P-OUTPUT"
  echo "-A neutron-filter-top -j $P-local"
  for p in "$A_PORT" "$B_PORT"; do lb_port_hooks "$p"; done
  echo "-A $P-sg-chain -j ACCEPT"
  echo "-A $P-sg-fallback -m comment --comment \"Default drop rule for unmatched traffic.\" -j DROP"
  lb_port_chains "$A_PORT" "$A_MAC" "$A_IP" "$pairs"
  lb_port_chains "$B_PORT" "$B_MAC" "$B_IP" "$pairs"
  echo 'COMMIT'
}

ebt() { nsx host ebtables -t nat "$@"; }

# arp_protect RELEASE DEV MAC "IP...": the ebtables commands arp_protect.py issues for a new
# port. Both chains get policy DROP. `xena` (Xena on, ebtables-nft support): MAC chain jump
# inserted at the top of PREROUTING, an explicit final `-j DROP` in each chain, the allows
# inserted in sorted order (so the last sorted address comes first). `queens` (Queens..Wallaby,
# when the chains moved from filter FORWARD to nat PREROUTING): everything appended, no final
# rule, so the policy is what drops. The ARP chain's jump is appended either way.
arp_protect() {
  local release=$1 dev=$2 mac=$3 ips=$4 ip add=-I final=yes
  [ "$release" = xena ] || { add=-A; final=; }
  ebt -N "neutronMAC-$dev" -P DROP
  [ -z "$final" ] || ebt -A "neutronMAC-$dev" -j DROP
  ebt "$add" PREROUTING -i "$dev" -j "neutronMAC-$dev"
  ebt "$add" "neutronMAC-$dev" -i "$dev" --among-src "$mac" -j RETURN
  ebt -N "neutronARP-$dev" -P DROP
  [ -z "$final" ] || ebt -A "neutronARP-$dev" -j DROP
  for ip in $(printf '%s\n' $ips | sort); do
    ebt "$add" "neutronARP-$dev" -p ARP --arp-ip-src "$ip" -j ACCEPT
  done
  ebt -A PREROUTING -i "$dev" -j "neutronARP-$dev" -p ARP
}

# arp_protect_update DEV MAC "IP...": the same port again after a port update (chains exist:
# flushed, the final DROP re-added, the allows inserted again)
arp_protect_update() {
  local dev=$1 mac=$2 ips=$3 ip
  ebt -F "neutronMAC-$dev"
  ebt -A "neutronMAC-$dev" -j DROP
  ebt -I "neutronMAC-$dev" -i "$dev" --among-src "$mac" -j RETURN
  ebt -F "neutronARP-$dev"
  ebt -A "neutronARP-$dev" -j DROP
  for ip in $(printf '%s\n' $ips | sort); do
    ebt -I "neutronARP-$dev" -p ARP --arp-ip-src "$ip" -j ACCEPT
  done
}

scenario_setup() {
  ns_new host
  ns_new guest-lb-vm1
  ns_new guest-lb-vm2
  ns_new guest-compute-2
  nsx host sysctl -qw net.bridge.bridge-nf-call-iptables=1 net.bridge.bridge-nf-call-arptables=1 \
    net.bridge.bridge-nf-call-ip6tables=1 net.ipv4.ip_forward=1

  # Underlay: eth1 to compute-2 (its VTEP), with the neighbour entry resolved up front.
  veth eth1 host eth0 guest-compute-2
  nsx host ip addr add "$LOCAL_VTEP/24" dev eth1
  guest_cfg guest-compute-2 eth0 "$REMOTE_UNDERLAY_MAC" "$REMOTE_VTEP/24"
  nsx host ip neigh replace "$REMOTE_VTEP" lladdr "$REMOTE_UNDERLAY_MAC" dev eth1 nud permanent
  nsx guest-compute-2 ip link add "$VXLAN" type vxlan id "$VNI" dev eth0 local "$REMOTE_VTEP" dstport 8472
  nsx guest-compute-2 ip link set "$VXLAN" up

  # The agent's network bridge: brq<net[:11]> with the VXLAN device of the segment.
  nsx host ip link add "$BRQ" type bridge stp_state 0 forward_delay 0
  nsx host ip link add "$VXLAN" type vxlan id "$VNI" dev eth1 local "$LOCAL_VTEP" dstport 8472 ttl 0
  nsx host ip link set "$VXLAN" master "$BRQ" up
  nsx host ip link set "$BRQ" up
  # l2population: flood to every VTEP of the network, and the remote port's MAC behind its VTEP.
  nsx host bridge fdb append 00:00:00:00:00:00 dev "$VXLAN" dst "$REMOTE_VTEP"
  nsx host bridge fdb replace "$R_MAC" dev "$VXLAN" dst "$REMOTE_VTEP"

  lb_port "$A_PORT" guest-lb-vm1 "$A_MAC" "$A_IP/24"
  nsx guest-lb-vm1 ip addr add "$VIP/32" dev eth0   # keepalived MASTER
  lb_port "$B_PORT" guest-lb-vm2 "$B_MAC" "$B_IP/24"

  nsx host ipset create "$IPSET" hash:net family inet
  nsx host ipset add "$IPSET" "$A_IP"
  nsx host ipset add "$IPSET" "$B_IP"
  lb_iptables "" | nsx host iptables-restore

  arp_protect xena "$A_DEV" "$A_MAC" "$A_IP"
  arp_protect xena "$B_DEV" "$B_MAC" "$B_IP"
}

scenario_probes() {
  local a="send=guest-lb-vm1:eth0 ingress=$A_DEV recv=guest-lb-vm2:eth0 egress=$B_DEV"
  # shellcheck disable=SC2086  # $a is a list of key=value words
  probe id=vip-garp desc="keepalived on lb-vm1 announces the VIP $VIP with a gratuitous ARP" \
    packet="arp,arp_op=1,arp_spa=$VIP,arp_tpa=$VIP,arp_sha=$A_MAC,arp_tha=00:00:00:00:00:00,dl_src=$A_MAC,dl_dst=ff:ff:ff:ff:ff:ff" $a
  # shellcheck disable=SC2086
  probe id=vip-icmp desc="lb-vm1 pings lb-vm2 from the VIP $VIP" \
    packet="icmp,dl_src=$A_MAC,dl_dst=$B_MAC,nw_src=$VIP,nw_dst=$B_IP,nw_ttl=64,icmp_type=8,icmp_code=0" $a
  # shellcheck disable=SC2086
  probe id=spoofed-mac-icmp desc="lb-vm1 sends from its fixed IP but a MAC that is not its port's" \
    packet="icmp,dl_src=fa:16:3e:00:00:99,dl_dst=$B_MAC,nw_src=$A_IP,nw_dst=$B_IP,nw_ttl=64,icmp_type=8,icmp_code=0" $a
  # shellcheck disable=SC2086
  probe id=fixed-icmp desc="control: lb-vm1 pings lb-vm2 from its fixed IP $A_IP" \
    packet="icmp,dl_src=$A_MAC,dl_dst=$B_MAC,nw_src=$A_IP,nw_dst=$B_IP,nw_ttl=64,icmp_type=8,icmp_code=0" $a
  # shellcheck disable=SC2086
  probe id=fixed-garp desc="control: lb-vm1 announces its fixed IP $A_IP with a gratuitous ARP" \
    packet="arp,arp_op=1,arp_spa=$A_IP,arp_tpa=$A_IP,arp_sha=$A_MAC,arp_tha=00:00:00:00:00:00,dl_src=$A_MAC,dl_dst=ff:ff:ff:ff:ff:ff" $a
  # shellcheck disable=SC2086
  probe id=vrrp desc="keepalived's VRRP advertisement from lb-vm1's fixed IP reaches lb-vm2 (the group's ipset rule admits it)" \
    packet="vrrp,dl_src=$A_MAC,dl_dst=01:00:5e:00:00:12,nw_src=$A_IP,nw_dst=224.0.0.18,nw_ttl=255" $a
  probe id=to-vip-icmp desc="lb-vm2 pings the VIP $VIP (inbound to the VIP: the spoof chain checks only sources)" \
    packet="icmp,dl_src=$B_MAC,dl_dst=$A_MAC,nw_src=$B_IP,nw_dst=$VIP,nw_ttl=64,icmp_type=8,icmp_code=0" \
    send=guest-lb-vm2:eth0 ingress="$B_DEV" recv=guest-lb-vm1:eth0 egress="$A_DEV"
  probe id=fixed-icmp-remote desc="control: lb-vm1 pings a VM on compute-2; the frame leaves through $VXLAN (VNI $VNI) and is decapsulated there" \
    packet="icmp,dl_src=$A_MAC,dl_dst=$R_MAC,nw_src=$A_IP,nw_dst=$R_IP,nw_ttl=64,icmp_type=8,icmp_code=0" \
    send=guest-lb-vm1:eth0 ingress="$A_DEV" recv="guest-compute-2:$VXLAN" egress="$VXLAN"
}

# Two variants, each into OUTDIR-<variant> with the same probes:
#   -policy-drop   the ebtables chains of a Queens..Wallaby agent (policy DROP, no final rule)
#   -allowed-pair  the VIP as an allowed address pair of both keepalived ports (current agent)
scenario_variants() {
  local out=$1
  ebt --init-table
  arp_protect queens "$A_DEV" "$A_MAC" "$A_IP"
  arp_protect queens "$B_DEV" "$B_MAC" "$B_IP"
  rm -f "$STATE/commands.json"
  do_dump "$out-policy-drop"
  do_probe "$out-policy-drop"

  ebt --init-table
  arp_protect xena "$A_DEV" "$A_MAC" "$A_IP"
  arp_protect xena "$B_DEV" "$B_MAC" "$B_IP"
  nsx host ipset add "$IPSET" "$VIP"
  lb_iptables "$VIP" | nsx host iptables-restore
  arp_protect_update "$A_DEV" "$A_MAC" "$A_IP $VIP"
  arp_protect_update "$B_DEV" "$B_MAC" "$B_IP $VIP"
  rm -f "$STATE/commands.json"
  do_dump "$out-allowed-pair"
  do_probe "$out-allowed-pair"
}

check_tools
scenario_main "$@"
