#!/usr/bin/env bash
# Neutron ML2/OVS with the OVS native firewall (`[securitygroup] firewall_driver = openvswitch`):
# two keepalived VMs share the VIP 10.20.0.100 on a VXLAN network. The VMs' taps are plugged
# straight into br-int (no qbr/qvb/qvo, no iptables): anti-spoofing and security groups are
# OpenFlow tables 60 -> 71/72/73 (egress) -> 81/82 (ingress) -> 91-94, with conntrack zones taken
# from reg6 and the port in reg5, as neutron/agent/linux/openvswitch_firewall/firewall.py and
# rules.py of a recent release (2024.x) install them; br-int's other tables come from
# openflow/native/br_int.py (setup_default_table: 0 -> 58 -> 59 -> 60, canary 23, 24 drop, 62).
#
# The security group "keepalived-sg" (both ports) allows egress to anywhere, ingress ICMP and SSH
# from anywhere, and ingress TCP 80 from its own members (a remote-group rule: conjunctive flows
# in table 82, conj_id 22/23 as the agent's ConjIdMap allocates them on a fresh br-int). It has
# no rule for IP protocol 112 (VRRP), and neither port has the VIP as an allowed address pair.
#
# Variant -after-fix: the operator's fix — the VIP as an allowed address pair on both ports and
# an ingress rule for protocol 112 from the group's members — reprogrammed the way the agent's
# update_port_filter would leave br-int (the VIP becomes a member address of the remote group too).
SCN=005-ovs-native-firewall
HOSTNAME_MODEL=compute-2
SEED=002_bee2be7d5fe7cd62.txt
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
source "$ORACLE_DIR/lib-neutron.sh"

A_PORT=3f6c2a9e-81d4-4b7a-9c0e-5a1d2b3c4d5e A_MAC=fa:16:3e:5a:10:01 A_IP=10.20.0.11 A_OFPORT=7
B_PORT=8b2e4d61-0c3f-4e5a-b7d9-2f1e0a9b8c7d B_MAC=fa:16:3e:5a:10:02 B_IP=10.20.0.12 B_OFPORT=8
VIP=10.20.0.100 TAG=3 VNI=0x40d
COOKIE=0x5f2c8e1d4a7b9c36
# keepalived-sg (not visible anywhere in the flows: the OVS firewall keeps only its rules)
SG=5e0c7d9a-2b41-4f3e-8d6c-1a9b8c7d6e5f
CONJ=22   # ConjIdMap: first block 16, + 2 x priority offset 3 (rules with a protocol)
A_DEV=$(dev11 "$A_PORT") B_DEV=$(dev11 "$B_PORT")

scenario_netns() { :; }

# br_int_base: the OVS agent's br-int defaults (native driver) and the firewall's table skeleton
br_int_base() {
  local t
  cat <<EOF
cookie=$COOKIE,table=0,priority=65535,vlan_tci=0x0fff/0x1fff,actions=drop
cookie=$COOKIE,table=0,priority=0,actions=goto_table:58
cookie=$COOKIE,table=23,priority=0,actions=drop
cookie=$COOKIE,table=24,priority=0,actions=drop
cookie=$COOKIE,table=30,priority=0,actions=goto_table:58
cookie=$COOKIE,table=31,priority=0,actions=goto_table:58
cookie=$COOKIE,table=58,priority=0,actions=goto_table:59
cookie=$COOKIE,table=59,priority=0,actions=goto_table:60
cookie=$COOKIE,table=60,priority=1,actions=NORMAL
cookie=$COOKIE,table=62,priority=3,actions=NORMAL
EOF
  for t in 71 72 73 81 82; do echo "cookie=$COOKIE,table=$t,priority=0,actions=drop"; done
  cat <<EOF
cookie=$COOKIE,table=71,priority=110,ct_state=+trk,actions=ct_clear,resubmit(,71)
cookie=$COOKIE,table=94,priority=1,actions=NORMAL
cookie=$COOKIE,table=91,priority=1,actions=resubmit(,94)
cookie=$COOKIE,table=92,priority=0,actions=drop
cookie=$COOKIE,table=93,priority=0,actions=drop
EOF
}

# fw_port OFPORT MAC FIXED_IP "PAIR_IP...": initialize_port_flows + add_flows_from_rules for one
# port of keepalived-sg (pairs carry the port's own MAC, as Neutron fills in a pair without one).
fw_port() {
  local of=$1 mac=$2 ip=$3 pairs=$4 a lla p z
  lla=$(eui64_ll "$mac")
  z="zone=NXM_NX_REG6[0..15]"
  cat <<EOF
cookie=$COOKIE,table=60,priority=100,in_port=$of,actions=set_field:$of->reg5,set_field:$TAG->reg6,resubmit(,71)
cookie=$COOKIE,table=60,priority=90,dl_vlan=$TAG,dl_dst=$mac,actions=set_field:$of->reg5,set_field:$TAG->reg6,strip_vlan,resubmit(,81)
EOF
  for a in $ip $pairs; do
    cat <<EOF
cookie=$COOKIE,table=71,priority=95,arp,reg5=$of,in_port=$of,dl_src=$mac,arp_spa=$a,actions=resubmit(,94)
cookie=$COOKIE,table=71,priority=95,rarp,reg5=$of,in_port=$of,dl_src=$mac,actions=resubmit(,94)
cookie=$COOKIE,table=71,priority=65,ip,reg5=$of,in_port=$of,dl_src=$mac,nw_src=$a,actions=ct(table=72,$z)
cookie=$COOKIE,table=71,priority=80,udp,reg5=$of,in_port=$of,dl_src=$mac,nw_src=$a,tp_src=68,tp_dst=67,actions=resubmit(,73)
EOF
  done
  for p in 130 133 135; do
    echo "cookie=$COOKIE,table=71,priority=95,icmp6,reg5=$of,in_port=$of,dl_src=$mac,ipv6_src=$lla,icmp_type=$p,actions=resubmit(,94)"
  done
  cat <<EOF
cookie=$COOKIE,table=71,priority=95,icmp6,reg5=$of,in_port=$of,icmp_type=136,nd_target=$lla,actions=resubmit(,94)
cookie=$COOKIE,table=71,priority=65,ipv6,reg5=$of,in_port=$of,dl_src=$mac,ipv6_src=$lla,actions=ct(table=72,$z)
cookie=$COOKIE,table=71,priority=80,udp6,reg5=$of,in_port=$of,dl_src=$mac,ipv6_src=$lla,tp_src=546,tp_dst=547,actions=resubmit(,73)
cookie=$COOKIE,table=71,priority=80,udp,reg5=$of,in_port=$of,dl_src=$mac,nw_src=0.0.0.0,tp_src=68,tp_dst=67,actions=resubmit(,73)
cookie=$COOKIE,table=71,priority=70,udp,reg5=$of,in_port=$of,tp_src=67,tp_dst=68,actions=resubmit(,93)
cookie=$COOKIE,table=71,priority=70,udp6,reg5=$of,in_port=$of,tp_src=547,tp_dst=546,actions=resubmit(,93)
cookie=$COOKIE,table=71,priority=70,icmp6,reg5=$of,in_port=$of,icmp_type=134,actions=resubmit(,93)
cookie=$COOKIE,table=71,priority=10,reg5=$of,in_port=$of,actions=ct_clear,resubmit(,93)
cookie=$COOKIE,table=73,priority=100,reg6=$TAG,dl_dst=$mac,actions=set_field:$of->reg5,resubmit(,81)
cookie=$COOKIE,table=73,priority=90,ct_state=+new-est,ip,reg5=$of,actions=ct(commit,$z),resubmit(,91)
cookie=$COOKIE,table=73,priority=90,ct_state=+new-est,ipv6,reg5=$of,actions=ct(commit,$z),resubmit(,91)
cookie=$COOKIE,table=73,priority=80,reg5=$of,actions=resubmit(,94)
cookie=$COOKIE,table=81,priority=100,arp,reg5=$of,actions=output:$of
EOF
  for p in 130 135 136 134; do
    echo "cookie=$COOKIE,table=81,priority=100,icmp6,reg5=$of,icmp_type=$p,actions=output:$of"
  done
  cat <<EOF
cookie=$COOKIE,table=81,priority=95,udp,reg5=$of,tp_src=67,tp_dst=68,actions=output:$of
cookie=$COOKIE,table=81,priority=95,udp6,reg5=$of,tp_src=547,tp_dst=546,actions=output:$of
cookie=$COOKIE,table=81,priority=90,ct_state=-trk,ip,reg5=$of,actions=ct(table=82,$z)
cookie=$COOKIE,table=81,priority=90,ct_state=-trk,ipv6,reg5=$of,actions=ct(table=82,$z)
cookie=$COOKIE,table=81,priority=80,ct_state=+trk,reg5=$of,actions=resubmit(,82)
EOF
  # _initialize_tracked_ingress / _initialize_tracked_egress
  local tb act
  for tb in 82 72; do
    if [ "$tb" = 82 ]; then act="output:$of"; else act="resubmit(,94)"; fi
    cat <<EOF
cookie=$COOKIE,table=$tb,priority=50,ct_state=+inv+trk,actions=resubmit(,93)
cookie=$COOKIE,table=$tb,priority=50,ct_mark=0x1,reg5=$of,actions=resubmit(,93)
cookie=$COOKIE,table=$tb,priority=50,ct_state=+est-rel+rpl,ct_zone=$TAG,ct_mark=0,reg5=$of,actions=$act
cookie=$COOKIE,table=$tb,priority=50,ct_state=-new-est+rel-inv,ct_zone=$TAG,ct_mark=0,reg5=$of,actions=$act
cookie=$COOKIE,table=$tb,priority=40,ct_state=-est,reg5=$of,actions=resubmit(,93)
cookie=$COOKIE,table=$tb,priority=40,ct_state=+est,ip,reg5=$of,actions=ct(commit,$z,exec(set_field:0x1->ct_mark))
cookie=$COOKIE,table=$tb,priority=40,ct_state=+est,ipv6,reg5=$of,actions=ct(commit,$z,exec(set_field:0x1->ct_mark))
EOF
  done
  # keepalived-sg rules without a remote group (rules.create_flows_from_rule_and_port, accept flows)
  local est='ct_state=+est-rel-rpl' new='ct_state=+new-est' m
  for m in ip ipv6; do   # egress, any protocol, any address: priority 70 + 4
    echo "cookie=$COOKIE,table=72,priority=74,$est,$m,reg5=$of,actions=resubmit(,73)"
    echo "cookie=$COOKIE,table=72,priority=74,$new,$m,reg5=$of,actions=resubmit(,73)"
  done
  for m in 'icmp,reg5=$of|75' 'tcp,reg5=$of,tp_dst=22|77'; do   # ingress ICMP, SSH: 70 + 4 + 1 / 3
    local match=${m%|*} prio=${m#*|}
    match=${match//\$of/$of}
    echo "cookie=$COOKIE,table=82,priority=$prio,$est,$match,actions=output:$of"
    echo "cookie=$COOKIE,table=82,priority=$prio,$new,$match,actions=ct(commit,$z),output:$of,resubmit(,92)"
  done
  # remote-group rules (conjunction dimension 2/2 and the conj_id accept flows)
  echo "cookie=$COOKIE,table=82,priority=73,$est,tcp,reg5=$of,tp_dst=80,actions=conjunction($CONJ,2/2)"
  echo "cookie=$COOKIE,table=82,priority=73,$new,tcp,reg5=$of,tp_dst=80,actions=conjunction($((CONJ + 1)),2/2)"
  if [ -n "${VRRP_RULE:-}" ]; then
    echo "cookie=$COOKIE,table=82,priority=73,$est,ip,reg5=$of,nw_proto=112,actions=conjunction($CONJ,2/2)"
    echo "cookie=$COOKIE,table=82,priority=73,$new,ip,reg5=$of,nw_proto=112,actions=conjunction($((CONJ + 1)),2/2)"
  fi
  echo "cookie=$COOKIE,table=82,priority=73,conj_id=$CONJ,$est,ip,reg5=$of,actions=set_field:$CONJ->reg7,output:$of"
  echo "cookie=$COOKIE,table=82,priority=73,conj_id=$((CONJ + 1)),$new,ip,reg5=$of,actions=set_field:$((CONJ + 1))->reg7,ct(commit,$z),output:$of,resubmit(,92)"
}

# remote_group_members "IP...": conjunction dimension 1/2, one pair per member address per network
remote_group_members() {
  local a
  for a in $1; do
    echo "cookie=$COOKIE,table=82,priority=73,ct_state=+est-rel-rpl,ip,reg6=$TAG,nw_src=$a,actions=conjunction($CONJ,1/2)"
    echo "cookie=$COOKIE,table=82,priority=73,ct_state=+new-est,ip,reg6=$TAG,nw_src=$a,actions=conjunction($((CONJ + 1)),1/2)"
  done
}

# br-tun of a node whose VXLAN peers are not up yet: everything from br-int ends in table 22.
br_tun_flows() {
  cat <<EOF
cookie=$COOKIE,table=0,priority=1,in_port=1,actions=goto_table:2
cookie=$COOKIE,table=0,priority=0,actions=drop
cookie=$COOKIE,table=2,priority=0,dl_dst=00:00:00:00:00:00/01:00:00:00:00:00,actions=goto_table:20
cookie=$COOKIE,table=2,priority=0,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00,actions=goto_table:22
cookie=$COOKIE,table=3,priority=0,actions=drop
cookie=$COOKIE,table=4,priority=1,tun_id=$VNI,actions=push_vlan:0x8100,set_field:$((4096 + TAG))->vlan_vid,goto_table:10
cookie=$COOKIE,table=4,priority=0,actions=drop
cookie=$COOKIE,table=6,priority=0,actions=drop
cookie=$COOKIE,table=10,priority=1,actions=learn(table=20,hard_timeout=300,priority=1,cookie=$COOKIE,NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0->NXM_OF_VLAN_TCI[],load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],output:OXM_OF_IN_PORT[]),output:1
cookie=$COOKIE,table=20,priority=0,actions=goto_table:22
cookie=$COOKIE,table=22,priority=0,actions=drop
EOF
}

program_br_int() { # PAIRS: reprogram br-int from scratch (flows + fresh counters)
  local pairs=$1 members="$A_IP $B_IP"
  [ -z "$pairs" ] || members="$members $pairs"
  ovs-ofctl -O OpenFlow13 del-flows br-int
  ovs-ofctl -O OpenFlow13 add-flows br-int - <<EOF
$(br_int_base)
$(fw_port "$A_OFPORT" "$A_MAC" "$A_IP" "$pairs")
$(fw_port "$B_OFPORT" "$B_MAC" "$B_IP" "$pairs")
$(remote_group_members "$members")
EOF
}

scenario_setup() {
  ns_new host
  ns_new guest-kv-vm1
  ns_new guest-kv-vm2
  ovs_start
  add_br br-int
  add_br br-tun
  local p=OpenFlow10,OpenFlow11,OpenFlow12,OpenFlow13,OpenFlow14
  ovs-vsctl set Bridge br-int protocols=$p -- set Bridge br-tun protocols=$p
  ovs-vsctl add-port br-int patch-tun -- set Interface patch-tun type=patch options:peer=patch-int ofport_request=1 \
    -- add-port br-tun patch-int -- set Interface patch-int type=patch options:peer=patch-tun ofport_request=1
  ovs_port "$A_PORT" guest-kv-vm1 "$A_MAC" "$A_IP/24" "$A_OFPORT" "$TAG"
  ovs_port "$B_PORT" guest-kv-vm2 "$B_MAC" "$B_IP/24" "$B_OFPORT" "$TAG"
  nsx guest-kv-vm1 ip addr add "$VIP/32" dev eth0   # keepalived MASTER holds the VIP
  ovs-ofctl -O OpenFlow13 add-flows br-tun - <<<"$(br_tun_flows)"
  program_br_int ""
}

scenario_probes() {
  local a="send=guest-kv-vm1:eth0 ingress=tap$A_DEV recv=guest-kv-vm2:eth0 egress=tap$B_DEV trace=br-int:tap$A_DEV"
  # shellcheck disable=SC2086  # $a is a list of key=value words
  probe id=vip-garp desc="keepalived on kv-vm1 announces the VIP $VIP with a gratuitous ARP" \
    packet="arp,arp_op=1,arp_spa=$VIP,arp_tpa=$VIP,arp_sha=$A_MAC,arp_tha=00:00:00:00:00:00,dl_src=$A_MAC,dl_dst=ff:ff:ff:ff:ff:ff" $a
  # shellcheck disable=SC2086
  probe id=vip-icmp desc="kv-vm1 pings kv-vm2 from the VIP $VIP (a service answering from the VIP)" \
    packet="icmp,dl_src=$A_MAC,dl_dst=$B_MAC,nw_src=$VIP,nw_dst=$B_IP,nw_ttl=64,icmp_type=8,icmp_code=0" $a
  # shellcheck disable=SC2086
  probe id=vrrp-multicast desc="keepalived on kv-vm1 sends its VRRP advertisement (IP protocol 112) to 224.0.0.18" \
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
  # shellcheck disable=SC2086
  probe id=fixed-tcp-80 desc="control: kv-vm1 connects to kv-vm2:80 (allowed from members of keepalived-sg: a conjunction)" \
    packet="tcp,dl_src=$A_MAC,dl_dst=$B_MAC,nw_src=$A_IP,nw_dst=$B_IP,nw_ttl=64,tp_src=40000,tp_dst=80,tcp_flags=syn" $a
  # shellcheck disable=SC2086
  probe id=reply-untracked desc="kv-vm1 answers a connection conntrack never saw (SYN-ACK from $A_IP:80; the SYN took another path): ct_state=+inv" \
    packet="tcp,dl_src=$A_MAC,dl_dst=$B_MAC,nw_src=$A_IP,nw_dst=$B_IP,nw_ttl=64,tp_src=80,tp_dst=42000,tcp_flags=0x012" $a
  probe id=to-vip-icmp desc="kv-vm2 pings the VIP $VIP on kv-vm1: the firewall checks only the destination port (reg5), not the address" \
    packet="icmp,dl_src=$B_MAC,dl_dst=$A_MAC,nw_src=$B_IP,nw_dst=$VIP,nw_ttl=64,icmp_type=8,icmp_code=0" \
    send=guest-kv-vm2:eth0 ingress="tap$B_DEV" recv=guest-kv-vm1:eth0 egress="tap$A_DEV" trace="br-int:tap$B_DEV"
}

scenario_variants() {
  local out=$1-after-fix
  VRRP_RULE=1 program_br_int "$VIP"
  # Earlier probes' conntrack entries (the committed VRRP multicast) would make the same packets
  # "established" here; the fixed host starts from a clean table, as after a keepalived restart.
  ovs-appctl dpctl/flush-conntrack >/dev/null
  rm -f "$STATE/commands.json"
  do_dump "$out"
  do_probe "$out"
}

check_tools ovs-vsctl ovs-ofctl ovs-appctl ovsdb-server ovs-vswitchd
scenario_main "$@"
