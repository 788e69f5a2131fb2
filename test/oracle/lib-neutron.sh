# shellcheck shell=bash
# Neutron ML2/OVS plumbing shared by the Neutron scenarios (002, 003, 004). Sourced after lib.sh.
# Names follow the agents: a port id P gives tap/qbr/qvb/qvo + P[0:11] devices and
# neutron-openvswi-{i,o,s} + P[0:10] chains.

# the OVS agent's flow cookie (random per agent; OSV_COOKIE in variants)
NEUTRON_COOKIE=${OSV_COOKIE:-0xb9f4f1698b73b733}

dev11() { echo "${1:0:11}"; }
chain10() { echo "${1:0:10}"; }

# hybrid_port PORT_ID VM_NS MAC CIDR OFPORT TAG: the iptables hybrid firewall plumbing nova's
# os-vif creates — VM eth0 <-> tapX (in Linux bridge qbrX) ; qvbX (in qbrX) <-> qvoX (in br-int)
hybrid_port() {
  local p=$1 vm=$2 mac=$3 cidr=$4 ofport=$5 tag=$6 d
  d=$(dev11 "$p")
  nsx host ip link add "qbr$d" type bridge stp_state 0 forward_delay 0
  nsx host ip link set "qbr$d" up
  veth "tap$d" host eth0 "$vm"
  nsx host ip link set "tap$d" down
  # libvirt gives the host end of a tap the guest's MAC with the first byte fe
  nsx host ip link set "tap$d" address "fe:${mac:3}" master "qbr$d" up
  veth "qvb$d" host "qvo$d" host
  nsx host ip link set "qvb$d" master "qbr$d"
  ovs-vsctl add-port br-int "qvo$d" tag="$tag" -- set Interface "qvo$d" ofport_request="$ofport" \
    external_ids:iface-id="$p" external_ids:iface-status=active external_ids:attached-mac="$mac"
  guest_cfg "$vm" eth0 "$mac" "$cidr"
}

# ovs_port PORT_ID VM_NS MAC CIDR OFPORT TAG [GW]: a VM tap plugged straight into br-int (OVS
# native firewall / no firewall), as a veth whose host end is named tapX
ovs_port() {
  local p=$1 vm=$2 mac=$3 cidr=$4 ofport=$5 tag=$6 gw=${7:-} d
  d=$(dev11 "$p")
  veth "tap$d" host eth0 "$vm"
  nsx host ip link set "tap$d" down
  nsx host ip link set "tap$d" address "fe:${mac:3}" up
  ovs-vsctl add-port br-int "tap$d" tag="$tag" -- set Interface "tap$d" ofport_request="$ofport" \
    external_ids:iface-id="$p" external_ids:iface-status=active external_ids:attached-mac="$mac"
  guest_cfg "$vm" eth0 "$mac" "$cidr" "$gw"
}

upper() { echo "$1" | tr '[:lower:]' '[:upper:]'; }

# The hooks of one port into the shared chains (iptables_firewall.py, Pike/Queens wording).
sg_port_hooks() { # PORT_ID
  local d c
  d=$(dev11 "$1") c=$(chain10 "$1")
  cat <<EOF
-A neutron-openvswi-FORWARD -m physdev --physdev-out tap$d --physdev-is-bridged -m comment --comment "Direct traffic from the VM interface to the security group chain." -j neutron-openvswi-sg-chain
-A neutron-openvswi-FORWARD -m physdev --physdev-in tap$d --physdev-is-bridged -m comment --comment "Direct traffic from the VM interface to the security group chain." -j neutron-openvswi-sg-chain
-A neutron-openvswi-INPUT -m physdev --physdev-in tap$d --physdev-is-bridged -m comment --comment "Direct incoming traffic from VM to the security group chain." -j neutron-openvswi-o$c
-A neutron-openvswi-sg-chain -m physdev --physdev-out tap$d --physdev-is-bridged -m comment --comment "Jump to the VM specific chain." -j neutron-openvswi-i$c
-A neutron-openvswi-sg-chain -m physdev --physdev-in tap$d --physdev-is-bridged -m comment --comment "Jump to the VM specific chain." -j neutron-openvswi-o$c
EOF
}

# sg_port_chains PORT_ID MAC "IP..." DHCP_IP INGRESS_RULES: the port's i/o/s chains for a
# security group allowing all egress; INGRESS_RULES are the group's ingress rules (match text).
sg_port_chains() {
  local c=$(chain10 "$1") mac=$2 ips=$3 dhcp=$4 ingress=$5 ip r
  local invalid='-m state --state INVALID -m comment --comment "Drop packets that appear related to an existing connection (e.g. TCP ACK/FIN) but do not have an entry in conntrack." -j DROP'
  local known='-m state --state RELATED,ESTABLISHED -m comment --comment "Direct packets associated with a known session to the RETURN chain." -j RETURN'
  echo "-A neutron-openvswi-i$c $known"
  echo "-A neutron-openvswi-i$c -s $dhcp/32 -p udp -m udp --sport 67 --dport 68 -j RETURN"
  while IFS= read -r r; do [ -z "$r" ] || echo "-A neutron-openvswi-i$c $r -j RETURN"; done <<<"$ingress"
  echo "-A neutron-openvswi-i$c $invalid"
  echo "-A neutron-openvswi-i$c -m comment --comment \"Send unmatched traffic to the fallback chain.\" -j neutron-openvswi-sg-fallback"
  echo "-A neutron-openvswi-o$c -s 0.0.0.0/32 -d 255.255.255.255/32 -p udp -m udp --sport 68 --dport 67 -m comment --comment \"Allow DHCP client traffic.\" -j RETURN"
  echo "-A neutron-openvswi-o$c -j neutron-openvswi-s$c"
  echo "-A neutron-openvswi-o$c -p udp -m udp --sport 68 --dport 67 -m comment --comment \"Allow DHCP client traffic.\" -j RETURN"
  echo "-A neutron-openvswi-o$c -p udp -m udp --sport 67 -m udp --dport 68 -m comment --comment \"Prevent DHCP Spoofing by VM.\" -j DROP"
  echo "-A neutron-openvswi-o$c $known"
  echo "-A neutron-openvswi-o$c -j RETURN"
  echo "-A neutron-openvswi-o$c $invalid"
  echo "-A neutron-openvswi-o$c -m comment --comment \"Send unmatched traffic to the fallback chain.\" -j neutron-openvswi-sg-fallback"
  for ip in $ips; do
    echo "-A neutron-openvswi-s$c -s $ip/32 -m mac --mac-source $(upper "$mac") -m comment --comment \"Allow traffic from defined IP/MAC pairs.\" -j RETURN"
  done
  echo "-A neutron-openvswi-s$c -m comment --comment \"Drop traffic without an IP/MAC allow rule.\" -j DROP"
}

sg_chain_decls() { # PORT_ID...
  local p c
  for p in "$@"; do
    c=$(chain10 "$p")
    printf ':neutron-openvswi-i%s - [0:0]\n:neutron-openvswi-o%s - [0:0]\n:neutron-openvswi-s%s - [0:0]\n' "$c" "$c" "$c"
  done
}

# The raw table's conntrack zones of the hybrid firewall (one zone per network).
sg_raw_zone() { # PORT_ID ZONE
  local d
  d=$(dev11 "$1")
  cat <<EOF
-A neutron-openvswi-PREROUTING -m physdev --physdev-in qvb$d -m comment --comment "Set zone for ${1}" -j CT --zone $2
-A neutron-openvswi-PREROUTING -i qvb$d -m comment --comment "Set zone for ${1}" -j CT --zone $2
-A neutron-openvswi-PREROUTING -m physdev --physdev-in tap$d -m comment --comment "Set zone for ${1}" -j CT --zone $2
EOF
}

# br-int flows of the OVS agent for one port: ARP spoofing protection (tables 0 -> 24) and MAC
# spoofing protection (table 25), ovs_ofctl driver (Pike/Queens shape).
arp_spoof_flows() { # OFPORT MAC "IP..."
  local port=$1 mac=$2 ips=$3 ip ll
  ll=$(eui64_ll "$mac")
  cat <<EOF
cookie=$NEUTRON_COOKIE,table=0,priority=10,icmp6,in_port=$port,icmp_type=136,actions=resubmit(,24)
cookie=$NEUTRON_COOKIE,table=0,priority=10,arp,in_port=$port,actions=resubmit(,24)
cookie=$NEUTRON_COOKIE,table=0,priority=9,in_port=$port,actions=resubmit(,25)
cookie=$NEUTRON_COOKIE,table=24,priority=2,icmp6,in_port=$port,icmp_type=136,nd_target=$ll,actions=resubmit(,60)
cookie=$NEUTRON_COOKIE,table=25,priority=2,in_port=$port,dl_src=$mac,actions=resubmit(,60)
EOF
  for ip in $ips; do
    echo "cookie=$NEUTRON_COOKIE,table=24,priority=2,arp,in_port=$port,arp_spa=$ip,actions=resubmit(,25)"
  done
}

# eui64_ll MAC: the IPv6 link-local address of a MAC (fa:16:3e:7d:2a:11 -> fe80::f816:3eff:fe7d:2a11)
eui64_ll() {
  local IFS=: b
  read -r -a b <<<"$1"
  printf 'fe80::%x:%x:%x:%x\n' $(( (0x${b[0]} ^ 2) << 8 | 0x${b[1]} )) $(( 0x${b[2]} << 8 | 0xff )) \
    $(( 0xfe << 8 | 0x${b[3]} )) $(( 0x${b[4]} << 8 | 0x${b[5]} ))
}

# The iptables hybrid firewall the OVS agent installs for PORT_IDs (raw zones, the filter table's
# neutron-* skeleton, each port's sg-chain hooks), without the per-port i/o/s chains, which callers
# add after it (they differ per scenario), and without the final COMMIT. A port on another network
# has its own conntrack zone: PORT_ID@ZONE.
#   hybrid_firewall_head ZONE PORT_ID[@ZONE]...
hybrid_firewall_head() {
  local zone=$1 p z
  shift
  cat <<EOF
*raw
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:neutron-openvswi-OUTPUT - [0:0]
:neutron-openvswi-PREROUTING - [0:0]
-A PREROUTING -j neutron-openvswi-PREROUTING
-A OUTPUT -j neutron-openvswi-OUTPUT
EOF
  for p in "$@"; do
    z=$zone
    [[ $p != *@* ]] || z=${p#*@}
    sg_raw_zone "${p%@*}" "$z"
  done
  set -- "${@%@*}"
  cat <<EOF
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:neutron-filter-top - [0:0]
:neutron-openvswi-FORWARD - [0:0]
:neutron-openvswi-INPUT - [0:0]
:neutron-openvswi-OUTPUT - [0:0]
:neutron-openvswi-local - [0:0]
:neutron-openvswi-scope - [0:0]
:neutron-openvswi-sg-chain - [0:0]
:neutron-openvswi-sg-fallback - [0:0]
EOF
  sg_chain_decls "$@"
  cat <<EOF
-A INPUT -j neutron-openvswi-INPUT
-A FORWARD -j neutron-filter-top
-A FORWARD -j neutron-openvswi-FORWARD
-A OUTPUT -j neutron-filter-top
-A OUTPUT -j neutron-openvswi-OUTPUT
-A neutron-filter-top -j neutron-openvswi-local
-A neutron-openvswi-FORWARD -j neutron-openvswi-scope
EOF
  for p in "$@"; do sg_port_hooks "$p"; done
  cat <<EOF
-A neutron-openvswi-sg-chain -j ACCEPT
-A neutron-openvswi-sg-fallback -m comment --comment "Default drop rule for unmatched traffic." -j DROP
EOF
}
