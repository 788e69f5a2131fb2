#!/usr/bin/env bash
# Seed 000 (nova-network, Grizzly, libvirt nwfilter): a keepalived VIP inside a VM is
# unreachable because libvirt's ebtables nat chains (generated from nova-base.xml:
# no-mac-spoofing, no-ip-spoofing, no-arp-spoofing) drop every frame whose source is not the
# VM's own MAC/IP — not iptables, whose nova-compute-inst-N chains look harmless.
#
# Builds node1: Linux bridge br100 with eth2 (uplink to the controller, 10.16.0.102, which runs
# dnsmasq) and two VMs on vnet0/vnet1 (veths, libvirt-style fe:16:3e host-side MACs), the seed's
# addresses and MACs, br_netfilter on (net.bridge.bridge-nf-call-iptables=1), the seed's
# nova-compute-* filter chains and libvirt's ebtables nat chains as libvirt derives them from
# nova-base (the seed's I-<dev>-{mac,ipv4-ip,arp-mac,arp-ip} chains, plus the I-/O-<dev>-ipv4
# chains of nova-base's allow-dhcp-server filter). vm-a (vnet0, 10.16.0.131) holds the VIP
# 10.16.0.200.
SCN=000-nova-nwfilter
HOSTNAME_MODEL=node1
SEED=000_fefefd36e8c280e3.txt
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

# Every name and address can be changed through OSV_<NAME> (the seed's value is the default), so
# test/oracle/variants/ rebuilds the same situation with other devices (vnetN as libvirt names
# them, or tap<port id> as nova's VIF sets them — the seed's own host), instance numbers, MACs,
# addresses and bridge, plus "noise" VMs on the bridge with their own chains and nwfilters.
# OSV_NOISE holds one record per noise VM, separated by spaces:  DEV,MAC,IP,INSTANCE_NUMBER,UUID
# OSV_ORDER is the order in which the VMs are plugged (A, B, n0, n1...; default "A B", then the
# noise VMs); nova writes their iptables chains and nwfilters in instance number order.
A_MAC=${OSV_A_MAC:-fa:16:3e:a6:5f:70} A_IP=${OSV_A_IP:-10.16.0.131} A_INST=${OSV_A_INST:-17} A_DEV=${OSV_A_DEV:-vnet0}
B_MAC=${OSV_B_MAC:-fa:16:3e:58:01:ac} B_IP=${OSV_B_IP:-10.16.0.111} B_INST=${OSV_B_INST:-15} B_DEV=${OSV_B_DEV:-vnet1}
A_UUID=${OSV_A_UUID:-5d4c3b2a-1908-4f7e-8d6c-5b4a39281706} B_UUID=${OSV_B_UUID:-3f9e8d7c-6b5a-4948-8776-655443322110}
VIP=${OSV_VIP:-10.16.0.200} DHCP=${OSV_DHCP:-10.16.0.102} SUBNET=${OSV_SUBNET:-10.16.0.0/24} BR=${OSV_BRIDGE:-br100}
PREFIX=${SUBNET#*/}
read -r -a NOISE <<<"${OSV_NOISE:-}"
# shellcheck disable=SC2086  # the default order is two words
read -r -a ORDER <<<"$(with_noise "${#NOISE[@]}" ${OSV_ORDER:-A B})"

scenario_netns() { :; }

# vm_fields TOKEN: "DEV MAC IP INSTANCE_NUMBER UUID" of A, B or noise VM nK
vm_fields() {
  case $1 in
    A) echo "$A_DEV $A_MAC $A_IP $A_INST $A_UUID" ;;
    B) echo "$B_DEV $B_MAC $B_IP $B_INST $B_UUID" ;;
    *) echo "${NOISE[${1#n}]//,/ }" ;;
  esac
}

vm_of() { case $1 in A) echo guest-vm-a ;; B) echo guest-vm-b ;; *) echo "guest-noise-$1" ;; esac; }

# The VM tokens in nova's order: by instance number (the database id nova iterates by).
by_instance() {
  local t dev mac ip inst uuid
  for t in "${ORDER[@]}"; do read -r dev mac ip inst uuid <<<"$(vm_fields "$t")"; echo "$inst $t"; done | sort -n | cut -d' ' -f2
}

# libvirt's ebtables nat chains for one VM NIC, in libvirt's chain order (by filter priority).
libvirt_chains() { # DEV MAC IP
  local d=$1 mac=$2 ip=$3 c
  for c in "libvirt-I-$d" "libvirt-O-$d" "I-$d-mac" "I-$d-ipv4-ip" "I-$d-ipv4" "I-$d-arp-mac" "I-$d-arp-ip" "O-$d-ipv4"; do
    nsx host ebtables -t nat -N "$c" -P ACCEPT
  done
  nsx host ebtables -t nat -A PREROUTING -i "$d" -j "libvirt-I-$d"
  nsx host ebtables -t nat -A POSTROUTING -o "$d" -j "libvirt-O-$d"
  nsx host ebtables -t nat -A "libvirt-I-$d" -j "I-$d-mac"
  nsx host ebtables -t nat -A "libvirt-I-$d" -p IPv4 -j "I-$d-ipv4-ip"
  nsx host ebtables -t nat -A "libvirt-I-$d" -p IPv4 -j "I-$d-ipv4"
  nsx host ebtables -t nat -A "libvirt-I-$d" -p ARP -j "I-$d-arp-mac"
  nsx host ebtables -t nat -A "libvirt-I-$d" -p ARP -j "I-$d-arp-ip"
  nsx host ebtables -t nat -A "libvirt-O-$d" -p IPv4 -j "O-$d-ipv4"
  nsx host ebtables -t nat -A "I-$d-mac" -s "$mac" -j RETURN
  nsx host ebtables -t nat -A "I-$d-mac" -j DROP
  nsx host ebtables -t nat -A "I-$d-ipv4-ip" -p IPv4 --ip-src 0.0.0.0 --ip-proto udp -j RETURN
  nsx host ebtables -t nat -A "I-$d-ipv4-ip" -p IPv4 --ip-src "$ip" -j RETURN
  nsx host ebtables -t nat -A "I-$d-ipv4-ip" -j DROP
  nsx host ebtables -t nat -A "I-$d-ipv4" -p IPv4 --ip-src 0.0.0.0 --ip-dst 255.255.255.255 --ip-proto udp --ip-sport 68 --ip-dport 67 -j ACCEPT
  nsx host ebtables -t nat -A "I-$d-arp-mac" -p ARP --arp-mac-src "$mac" -j RETURN
  nsx host ebtables -t nat -A "I-$d-arp-mac" -j DROP
  nsx host ebtables -t nat -A "I-$d-arp-ip" -p ARP --arp-ip-src "$ip" -j RETURN
  nsx host ebtables -t nat -A "I-$d-arp-ip" -j DROP
  nsx host ebtables -t nat -A "O-$d-ipv4" -p IPv4 --ip-src "$DHCP" --ip-proto udp --ip-sport 67 --ip-dport 68 -j ACCEPT
}

inst_chain() { # N DEST: the seed's nova-compute-inst-N, in iptables-save form
  cat <<EOF
-A nova-compute-inst-$1 -m state --state INVALID -j DROP
-A nova-compute-inst-$1 -m state --state RELATED,ESTABLISHED -j ACCEPT
-A nova-compute-inst-$1 -j nova-compute-provider
-A nova-compute-inst-$1 -s $DHCP/32 -p udp -m udp --sport 67 --dport 68 -j ACCEPT
-A nova-compute-inst-$1 -s $SUBNET -j ACCEPT
-A nova-compute-inst-$1 -p tcp -m multiport --dports 1:65535 -j ACCEPT
-A nova-compute-inst-$1 -p udp -m multiport --dports 1:65535 -j ACCEPT
-A nova-compute-inst-$1 -p icmp -j ACCEPT
-A nova-compute-inst-$1 -p icmp -m icmp --icmp-type 8/8 -j ACCEPT
-A nova-compute-inst-$1 -j nova-compute-sg-fallback
EOF
}

scenario_setup() {
  ns_new host
  ns_new guest-vm-a
  ns_new guest-vm-b
  ns_new guest-controller
  ns_new guest-mgmt
  local t dev mac ip inst uuid
  for t in "${ORDER[@]}"; do [[ $t != n* ]] || ns_new "$(vm_of "$t")"; done
  nsx host sysctl -qw net.bridge.bridge-nf-call-iptables=1 net.bridge.bridge-nf-call-arptables=1 \
    net.bridge.bridge-nf-call-ip6tables=1 net.ipv4.ip_forward=1
  nsx host ip link add "$BR" type bridge stp_state 0 forward_delay 0
  nsx host ip link set "$BR" up
  veth eth1 host eth0 guest-mgmt
  nsx host ip addr add 192.168.1.11/24 dev eth1
  guest_cfg guest-mgmt eth0 52:54:00:12:00:01 192.168.1.1/24
  nsx host ip route add default via 192.168.1.1 dev eth1
  veth eth2 host eth0 guest-controller
  nsx host ip link set eth2 master "$BR"
  guest_cfg guest-controller eth0 08:00:27:8f:87:fa "$DHCP/$PREFIX"
  for t in "${ORDER[@]}"; do
    read -r dev mac ip inst uuid <<<"$(vm_fields "$t")"
    veth "$dev" host eth0 "$(vm_of "$t")"
  done
  for t in "${ORDER[@]}"; do
    read -r dev mac ip inst uuid <<<"$(vm_fields "$t")"
    nsx host ip link set "$dev" down
    nsx host ip link set "$dev" master "$BR"
  done
  for t in "${ORDER[@]}"; do
    read -r dev mac ip inst uuid <<<"$(vm_fields "$t")"
    # libvirt gives the host end of a tap the guest's MAC with the first byte fe
    nsx host ip link set "$dev" address "fe:${mac:3}" up
  done
  for t in "${ORDER[@]}"; do
    read -r dev mac ip inst uuid <<<"$(vm_fields "$t")"
    guest_cfg "$(vm_of "$t")" eth0 "$mac" "$ip/$PREFIX"
    [ "$t" != A ] || nsx guest-vm-a ip addr add "$VIP/32" dev eth0   # keepalived's VIP
  done

  local decls='' chains='' local_jumps='' sep=''
  for t in $(by_instance); do
    read -r dev mac ip inst uuid <<<"$(vm_fields "$t")"
    decls+="$sep:nova-compute-inst-$inst - [0:0]"
    chains+="$sep$(inst_chain "$inst")"
    local_jumps+="$sep-A nova-compute-local -d $ip/32 -j nova-compute-inst-$inst"
    sep=$'\n'
  done
  nsx host iptables-restore <<EOF
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:nova-compute-FORWARD - [0:0]
:nova-compute-INPUT - [0:0]
:nova-compute-OUTPUT - [0:0]
$decls
:nova-compute-local - [0:0]
:nova-compute-provider - [0:0]
:nova-compute-sg-fallback - [0:0]
:nova-filter-top - [0:0]
-A INPUT -j nova-compute-INPUT
-A FORWARD -j nova-filter-top
-A FORWARD -j nova-compute-FORWARD
-A OUTPUT -j nova-filter-top
-A OUTPUT -j nova-compute-OUTPUT
-A nova-compute-FORWARD -s 0.0.0.0/32 -d 255.255.255.255/32 -p udp -m udp --sport 68 --dport 67 -j ACCEPT
-A nova-compute-FORWARD -i $BR -j ACCEPT
-A nova-compute-FORWARD -o $BR -j ACCEPT
-A nova-compute-INPUT -s 0.0.0.0/32 -d 255.255.255.255/32 -p udp -m udp --sport 68 --dport 67 -j ACCEPT
$chains
$local_jumps
-A nova-compute-sg-fallback -j DROP
-A nova-filter-top -j nova-compute-local
COMMIT
EOF
  for t in "${ORDER[@]}"; do
    read -r dev mac ip inst uuid <<<"$(vm_fields "$t")"
    libvirt_chains "$dev" "$mac" "$ip"
  done
}

# /etc/libvirt/nwfilter as nova (firewall.py, _ensure_static_filters / setup_basic_filtering)
# and libvirt leave it: nova's containers plus the libvirt filters they reference.
nwfilter_file() { # NAME UUID BODY
  cat >"$OUT/nwfilter/$1.xml" <<EOF
<!--
WARNING: THIS IS AN AUTO-GENERATED FILE. CHANGES TO IT ARE LIKELY TO BE
OVERWRITTEN AND LOST. Changes to this xml configuration should be made using:
  virsh nwfilter-edit $1
or other application using the libvirt API.
-->

$3
EOF
  record_cmd "nwfilter/$1.xml" 0 host "" cat "/etc/libvirt/nwfilter/$1.xml" -- cat "/etc/libvirt/nwfilter/$1.xml"
}

instance_filter() { # INSTANCE MAC IP UUID
  local nic=${2//:/}
  nwfilter_file "nova-instance-$1-$nic" "$4" "<filter name='nova-instance-$1-$nic' chain='root'>
  <uuid>$4</uuid>
  <filterref filter='nova-base'>
    <parameter name='DHCPSERVER' value='$DHCP'/>
    <parameter name='IP' value='$3'/>
  </filterref>
</filter>"
}

scenario_extra_dump() {
  mkdir -p "$OUT/nwfilter"
  nwfilter_file nova-base 7a3c1f0e-5b2d-4c8e-9f10-2b3c4d5e6f70 "<filter name='nova-base' chain='root'>
  <uuid>7a3c1f0e-5b2d-4c8e-9f10-2b3c4d5e6f70</uuid>
  <filterref filter='no-mac-spoofing'/>
  <filterref filter='no-ip-spoofing'/>
  <filterref filter='no-arp-spoofing'/>
  <filterref filter='allow-dhcp-server'/>
</filter>"
  nwfilter_file nova-nodhcp 0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9 "<filter name='nova-nodhcp' chain='root'>
  <uuid>0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9</uuid>
  <filterref filter='no-mac-spoofing'/>
  <filterref filter='no-ip-spoofing'/>
  <filterref filter='no-arp-spoofing'/>
</filter>"
  local t dev mac ip inst uuid
  for t in $(by_instance); do
    read -r dev mac ip inst uuid <<<"$(vm_fields "$t")"
    instance_filter "$(printf 'instance-%08x' "$inst")" "$mac" "$ip" "$uuid"
  done
  nwfilter_file no-mac-spoofing 9c1d1b5e-36a9-4f0b-9d4a-6b1f2a3c4d01 "<filter name='no-mac-spoofing' chain='mac' priority='-800'>
  <uuid>9c1d1b5e-36a9-4f0b-9d4a-6b1f2a3c4d01</uuid>
  <rule action='return' direction='out' priority='500'>
    <mac srcmacaddr='\$MAC'/>
  </rule>
  <rule action='drop' direction='out' priority='500'>
    <mac/>
  </rule>
</filter>"
  nwfilter_file no-ip-spoofing 9c1d1b5e-36a9-4f0b-9d4a-6b1f2a3c4d02 "<filter name='no-ip-spoofing' chain='ipv4-ip' priority='-710'>
  <uuid>9c1d1b5e-36a9-4f0b-9d4a-6b1f2a3c4d02</uuid>
  <rule action='return' direction='out' priority='100'>
    <ip srcipaddr='0.0.0.0' protocol='udp'/>
  </rule>
  <rule action='return' direction='out' priority='500'>
    <ip srcipaddr='\$IP'/>
  </rule>
  <rule action='drop' direction='out' priority='1000'/>
</filter>"
  nwfilter_file no-arp-spoofing 9c1d1b5e-36a9-4f0b-9d4a-6b1f2a3c4d03 "<filter name='no-arp-spoofing' chain='arp' priority='-500'>
  <uuid>9c1d1b5e-36a9-4f0b-9d4a-6b1f2a3c4d03</uuid>
  <filterref filter='no-arp-mac-spoofing'/>
  <filterref filter='no-arp-ip-spoofing'/>
</filter>"
  nwfilter_file no-arp-mac-spoofing 9c1d1b5e-36a9-4f0b-9d4a-6b1f2a3c4d04 "<filter name='no-arp-mac-spoofing' chain='arp-mac' priority='-520'>
  <uuid>9c1d1b5e-36a9-4f0b-9d4a-6b1f2a3c4d04</uuid>
  <rule action='return' direction='out' priority='350'>
    <arp match='yes' arpsrcmacaddr='\$MAC'/>
  </rule>
  <rule action='drop' direction='out' priority='1000'/>
</filter>"
  nwfilter_file no-arp-ip-spoofing 9c1d1b5e-36a9-4f0b-9d4a-6b1f2a3c4d05 "<filter name='no-arp-ip-spoofing' chain='arp-ip' priority='-510'>
  <uuid>9c1d1b5e-36a9-4f0b-9d4a-6b1f2a3c4d05</uuid>
  <rule action='return' direction='out' priority='400'>
    <arp match='yes' arpsrcipaddr='\$IP'/>
  </rule>
  <rule action='drop' direction='out' priority='1000'/>
</filter>"
  nwfilter_file allow-dhcp-server 9c1d1b5e-36a9-4f0b-9d4a-6b1f2a3c4d06 "<filter name='allow-dhcp-server' chain='ipv4' priority='-700'>
  <uuid>9c1d1b5e-36a9-4f0b-9d4a-6b1f2a3c4d06</uuid>
  <rule action='accept' direction='out' priority='100'>
    <ip srcipaddr='0.0.0.0' dstipaddr='255.255.255.255' protocol='udp' srcportstart='68' dstportstart='67'/>
  </rule>
  <rule action='accept' direction='in' priority='100'>
    <ip srcipaddr='\$DHCPSERVER' protocol='udp' srcportstart='67' dstportstart='68'/>
  </rule>
</filter>"
}

scenario_probes() {
  local garp="arp,arp_op=1,arp_spa=$VIP,arp_tpa=$VIP,arp_sha=$A_MAC,arp_tha=00:00:00:00:00:00,dl_src=$A_MAC,dl_dst=ff:ff:ff:ff:ff:ff"
  probe id=vip-garp desc="keepalived on vm-a announces the VIP $VIP with a gratuitous ARP" \
    packet="$garp" send=guest-vm-a:eth0 ingress="$A_DEV" recv=guest-vm-b:eth0 egress="$B_DEV"
  probe id=vip-icmp desc="vm-a pings vm-b from the VIP $VIP" \
    packet="icmp,dl_src=$A_MAC,dl_dst=$B_MAC,nw_src=$VIP,nw_dst=$B_IP,icmp_type=8,icmp_code=0" \
    send=guest-vm-a:eth0 ingress="$A_DEV" recv=guest-vm-b:eth0 egress="$B_DEV"
  probe id=fixed-icmp desc="control: vm-a pings vm-b from its fixed IP $A_IP" \
    packet="icmp,dl_src=$A_MAC,dl_dst=$B_MAC,nw_src=$A_IP,nw_dst=$B_IP,icmp_type=8,icmp_code=0" \
    send=guest-vm-a:eth0 ingress="$A_DEV" recv=guest-vm-b:eth0 egress="$B_DEV"
  probe id=fixed-garp desc="control: vm-a announces its fixed IP $A_IP with a gratuitous ARP" \
    packet="arp,arp_op=1,arp_spa=$A_IP,arp_tpa=$A_IP,arp_sha=$A_MAC,arp_tha=00:00:00:00:00:00,dl_src=$A_MAC,dl_dst=ff:ff:ff:ff:ff:ff" \
    send=guest-vm-a:eth0 ingress="$A_DEV" recv=guest-vm-b:eth0 egress="$B_DEV"
  probe id=spoofed-mac-icmp desc="vm-a sends from its fixed IP but a MAC that is not its own" \
    packet="icmp,dl_src=fa:16:3e:00:00:99,dl_dst=$B_MAC,nw_src=$A_IP,nw_dst=$B_IP,icmp_type=8,icmp_code=0" \
    send=guest-vm-a:eth0 ingress="$A_DEV" recv=guest-vm-b:eth0 egress="$B_DEV"
  probe id=to-vip-icmp desc="vm-b pings the VIP $VIP (inbound to the VIP is not filtered)" \
    packet="icmp,dl_src=$B_MAC,dl_dst=$A_MAC,nw_src=$B_IP,nw_dst=$VIP,icmp_type=8,icmp_code=0" \
    send=guest-vm-b:eth0 ingress="$B_DEV" recv=guest-vm-a:eth0 egress="$A_DEV"
}

check_tools
scenario_main "$@"
