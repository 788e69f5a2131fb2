#!/usr/bin/env bash
# Seed 004 (Neutron DVR, dvr / dvr_snat agent modes): how a distributed router moves traffic on
# a compute node. North-south with a floating IP: the fip-<ext net> namespace answers ARP for the
# FIP on fg-* (proxy_arp) and routes it over the fpr-/rfp- veth pair into qrouter-<router>, whose
# neutron-l3-agent-PREROUTING DNATs it to the VM; the VM's own traffic leaves through policy
# routing (`57481: from 192.168.21.5 lookup 16`, table 16 default via the fpr end) and
# neutron-l3-agent-float-snat. Without a FIP, `3232240897: from 192.168.21.1/24 lookup
# 3232240897` sends it to the centralized SNAT port sg-* in snat-<router>. East-west is routed
# locally between the qr-* ports; br-int/br-tun carry the DVR MAC rewriting flows.
#
# Builds a compute node in dvr_snat mode (the seed's appendix), so qrouter-, fip- and snat-
# namespaces are on one host, with the seed's names, addresses, MACs, ip rules, routing tables,
# NAT rules, port numbers and br-int / br-tun flows; br-ex (flat external network 10.5.0.0/16,
# local VLAN 2) with the uplink ens7 to the external gateway 10.5.0.1. VMs: vm1 192.168.21.5
# (FIP 10.5.150.1), vm2 192.168.22.5 (the seed's port 8), vm3 192.168.21.7 (no FIP).
# `all OUTDIR` also writes OUTDIR-stale-fip-rule: the FIP is gone but the `from 192.168.21.5
# lookup 16` rule stayed (Launchpad bug 1891673), so vm1 leaves un-NATed via the fip namespace
# instead of the centralized SNAT.
SCN=004-dvr
HOSTNAME_MODEL=juju-23f84c-queens-dvr-7
SEED=004_aafb251db4c5535d.txt
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
source "$ORACLE_DIR/lib-neutron.sh"

ROUTER_ID=9a3594b0-52d1-4f29-a799-2576682e275b EXT_NET=57282976-a9b2-4c3f-9772-6710507c5c4e
QROUTER=qrouter-$ROUTER_ID SNAT=snat-$ROUTER_ID FIPNS=fip-$EXT_NET
RFP=rfp-${ROUTER_ID:0:9}5 FPR=fpr-${ROUTER_ID:0:9}5   # rfp-9a3594b0-5 / fpr-9a3594b0-5
RFP_IP=169.254.106.114 FPR_IP=169.254.106.115
QR1=qr-48e90ad1-5f QR1_MAC=fa:16:3e:f8:fe:97 QR1_IP=192.168.21.1
QR2=qr-6d5c4b3a-21 QR2_MAC=fa:16:3e:6d:f9:9c QR2_IP=192.168.22.1
SG1=sg-95540cb3-85 SG1_MAC=fa:16:3e:62:d3:26 SG1_IP=192.168.21.3
SG2=sg-2c3d4e5f-60 SG2_MAC=fa:16:3e:22:03:03 SG2_IP=192.168.22.3
QG=qg-b825f548-32 QG_MAC=fa:16:3e:c4:fd:ad QG_IP=10.5.150.0
FG=fg-d35ad06f-ae FG_MAC=fa:16:3e:b5:2d:2c FG_IP=10.5.150.2
EXT_GW=10.5.0.1 EXT_GW_MAC=52:54:00:05:00:01
VM1_PORT=c0a8150d-1f2e-4a3b-9c8d-7e6f5a4b3c21 VM1_MAC=fa:16:3e:71:5c:05 VM1_IP=192.168.21.5 FIP=10.5.150.1
VM2_PORT=e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b VM2_MAC=fa:16:3e:26:85:02 VM2_IP=192.168.22.5
VM3_PORT=a7b8c9d0-e1f2-4a3b-8c4d-5e6f7a8b9c0d VM3_MAC=fa:16:3e:33:21:07 VM3_IP=192.168.21.7
DVR_MAC=fa:16:3f:6b:1f:bb
REMOTE_DVR_MACS="fa:16:3f:02:1a:a7 fa:16:3f:be:36:1f fa:16:3f:ef:44:e9"
INT_COOKIE=0xb9f4f1698b73b733 TUN_COOKIE=0x8502c5292d4bca36 EX_COOKIE=0x6a1f9e3b2c4d5e6f
VM1_DEV=tap$(dev11 "$VM1_PORT") VM2_DEV=tap$(dev11 "$VM2_PORT") VM3_DEV=tap$(dev11 "$VM3_PORT")

scenario_netns() { echo "$QROUTER $FIPNS $SNAT"; }

l3_filter() { # the L3 agent's filter table in a router namespace
  cat <<EOF
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:neutron-filter-top - [0:0]
:neutron-l3-agent-FORWARD - [0:0]
:neutron-l3-agent-INPUT - [0:0]
:neutron-l3-agent-OUTPUT - [0:0]
:neutron-l3-agent-local - [0:0]
:neutron-l3-agent-scope - [0:0]
-A INPUT -j neutron-l3-agent-INPUT
-A FORWARD -j neutron-filter-top
-A FORWARD -j neutron-l3-agent-FORWARD
-A OUTPUT -j neutron-filter-top
-A OUTPUT -j neutron-l3-agent-OUTPUT
-A neutron-filter-top -j neutron-l3-agent-local
-A neutron-l3-agent-FORWARD -j neutron-l3-agent-scope
-A neutron-l3-agent-INPUT -m mark --mark 0x1/0xffff -j ACCEPT
-A neutron-l3-agent-INPUT -p tcp -m tcp --dport 9697 -j DROP
COMMIT
EOF
}

l3_nat_head() {
  cat <<EOF
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:neutron-l3-agent-OUTPUT - [0:0]
:neutron-l3-agent-POSTROUTING - [0:0]
:neutron-l3-agent-PREROUTING - [0:0]
:neutron-l3-agent-float-snat - [0:0]
:neutron-l3-agent-snat - [0:0]
:neutron-postrouting-bottom - [0:0]
-A PREROUTING -j neutron-l3-agent-PREROUTING
-A OUTPUT -j neutron-l3-agent-OUTPUT
-A POSTROUTING -j neutron-l3-agent-POSTROUTING
-A POSTROUTING -j neutron-postrouting-bottom
-A neutron-l3-agent-snat -j neutron-l3-agent-float-snat
-A neutron-postrouting-bottom -m comment --comment "Perform source NAT on outgoing traffic." -j neutron-l3-agent-snat
EOF
}

scenario_setup() {
  ns_new host
  ns_new "$QROUTER"
  ns_new "$FIPNS"
  ns_new "$SNAT"
  ns_new guest-vm1
  ns_new guest-vm2
  ns_new guest-vm3
  ns_new guest-ext
  local ns
  for ns in "$QROUTER" "$FIPNS" "$SNAT"; do nsx "$ns" sysctl -qw net.ipv4.ip_forward=1; done
  ovs_start
  add_br br-int
  add_br br-tun
  add_br br-ex
  # patch ports first, so the seed's port numbers hold: br-int 1 = int-br-ex, 2 = patch-tun
  ovs-vsctl add-port br-int int-br-ex -- set Interface int-br-ex type=patch options:peer=phy-br-ex ofport_request=1 \
    -- add-port br-ex phy-br-ex -- set Interface phy-br-ex type=patch options:peer=int-br-ex ofport_request=2 \
    -- add-port br-int patch-tun -- set Interface patch-tun type=patch options:peer=patch-int ofport_request=2 \
    -- add-port br-tun patch-int -- set Interface patch-int type=patch options:peer=patch-tun ofport_request=1
  ovs-vsctl add-port br-tun vxlan-0a05000f -- set Interface vxlan-0a05000f type=vxlan ofport_request=4 \
      options:remote_ip=10.5.0.15 options:local_ip=10.5.0.7 options:in_key=flow options:out_key=flow options:df_default=true \
    -- add-port br-tun vxlan-0a050010 -- set Interface vxlan-0a050010 type=vxlan ofport_request=5 \
      options:remote_ip=10.5.0.16 options:local_ip=10.5.0.7 options:in_key=flow options:out_key=flow options:df_default=true
  # the external network: ens7 in br-ex, the upstream gateway behind it
  veth ens7 host eth0 guest-ext
  ovs-vsctl add-port br-ex ens7 -- set Interface ens7 ofport_request=1
  guest_cfg guest-ext eth0 "$EXT_GW_MAC" "$EXT_GW/16"

  internal_port br-int "$QR1" "$QROUTER" "$QR1_MAC" "$QR1_IP/24" 3 3
  internal_port br-int "$QR2" "$QROUTER" "$QR2_MAC" "$QR2_IP/24" 4 4
  internal_port br-int "$SG1" "$SNAT" "$SG1_MAC" "$SG1_IP/24" 3 5
  internal_port br-int "$FG" "$FIPNS" "$FG_MAC" "$FG_IP/16" 2 6
  internal_port br-int "$QG" "$SNAT" "$QG_MAC" "$QG_IP/16" 2 10
  internal_port br-int "$SG2" "$SNAT" "$SG2_MAC" "$SG2_IP/24" 4 11
  ovs_port "$VM1_PORT" guest-vm1 "$VM1_MAC" "$VM1_IP/24" 7 3 "$QR1_IP"
  ovs_port "$VM2_PORT" guest-vm2 "$VM2_MAC" "$VM2_IP/24" 8 4 "$QR2_IP"
  ovs_port "$VM3_PORT" guest-vm3 "$VM3_MAC" "$VM3_IP/24" 9 3 "$QR1_IP"

  # qrouter: rfp end of the router <-> fip link, FIP on rfp, DVR policy routing, ARP entries
  veth "$RFP" "$QROUTER" "$FPR" "$FIPNS"
  nsx "$QROUTER" ip link set "$RFP" address 3a:63:a4:11:4d:c4
  nsx "$FIPNS" ip link set "$FPR" address fa:e7:f9:fd:5a:40
  nsx "$QROUTER" ip addr add "$RFP_IP/31" dev "$RFP"
  nsx "$QROUTER" ip addr add "$FIP/32" brd "$FIP" dev "$RFP"
  nsx "$FIPNS" ip addr add "$FPR_IP/31" dev "$FPR"
  nsx "$QROUTER" ip rule add from "$QR1_IP/24" lookup 3232240897 pref 3232240897
  nsx "$QROUTER" ip route add default via "$SG1_IP" dev "$QR1" table 3232240897
  nsx "$QROUTER" ip rule add from "$QR2_IP/24" lookup 3232241153 pref 3232241153
  nsx "$QROUTER" ip route add default via "$SG2_IP" dev "$QR2" table 3232241153
  nsx "$QROUTER" ip rule add from "$VM1_IP" lookup 16 pref 57481
  nsx "$QROUTER" ip route add default via "$FPR_IP" dev "$RFP" table 16
  nsx "$QROUTER" ip neigh replace "$VM1_IP" lladdr "$VM1_MAC" nud permanent dev "$QR1"
  nsx "$QROUTER" ip neigh replace "$VM3_IP" lladdr "$VM3_MAC" nud permanent dev "$QR1"
  nsx "$QROUTER" ip neigh replace "$VM2_IP" lladdr "$VM2_MAC" nud permanent dev "$QR2"

  # fip: proxy ARP for the FIP on fg, route to the FIP over fpr, external default route
  nsx "$FIPNS" sysctl -qw "net.ipv4.conf.$FG.proxy_arp=1"
  nsx "$FIPNS" ip route add "$FIP/32" via "$RFP_IP" dev "$FPR"
  nsx "$FIPNS" ip route add default via "$EXT_GW" dev "$FG"
  nsx "$FIPNS" ip rule add iif "$FPR" lookup 2852018311 pref 57483
  nsx "$FIPNS" ip route add default via "$EXT_GW" dev "$FG" proto static table 2852018311

  # snat: centralized SNAT for the subnets' VMs without a FIP
  nsx "$SNAT" ip route add default via "$EXT_GW" dev "$QG"

  nsx "$QROUTER" iptables-restore <<EOF
$(l3_nat_head)
-A neutron-l3-agent-OUTPUT -d $FIP/32 -j DNAT --to-destination $VM1_IP
-A neutron-l3-agent-POSTROUTING ! -i $RFP ! -o $RFP -m conntrack ! --ctstate DNAT -j ACCEPT
-A neutron-l3-agent-PREROUTING -d 169.254.169.254/32 -i qr-+ -p tcp -m tcp --dport 80 -j REDIRECT --to-ports 9697
-A neutron-l3-agent-PREROUTING -d $FIP/32 -i $RFP -j DNAT --to-destination $VM1_IP
-A neutron-l3-agent-float-snat -s $VM1_IP/32 -j SNAT --to-source $FIP
COMMIT
$(l3_filter)
EOF
  nsx "$SNAT" iptables-restore <<EOF
$(l3_nat_head)
-A neutron-l3-agent-POSTROUTING ! -o $QG -m conntrack ! --ctstate DNAT -j ACCEPT
-A neutron-l3-agent-snat -o $QG -j SNAT --to-source $QG_IP --random-fully
-A neutron-l3-agent-snat -m mark ! --mark 0x2/0xffff -m conntrack --ctstate DNAT -j SNAT --to-source $QG_IP --random-fully
COMMIT
$(l3_filter)
EOF

  local m
  {
    echo "cookie=$INT_COOKIE,table=0,priority=0,actions=NORMAL"
    echo "cookie=$INT_COOKIE,table=0,priority=1,actions=NORMAL"
    echo "cookie=$INT_COOKIE,table=0,priority=2,in_port=1,actions=drop"
    echo "cookie=$INT_COOKIE,table=0,priority=3,in_port=1,vlan_tci=0x0000/0x1fff,actions=mod_vlan_vid:2,NORMAL"
    for m in $REMOTE_DVR_MACS; do
      echo "cookie=$INT_COOKIE,table=0,priority=4,in_port=1,dl_src=$m,actions=resubmit(,2)"
      echo "cookie=$INT_COOKIE,table=0,priority=2,in_port=2,dl_src=$m,actions=resubmit(,1)"
    done
    echo "cookie=$INT_COOKIE,table=1,priority=1,actions=drop"
    echo "cookie=$INT_COOKIE,table=1,priority=4,dl_vlan=3,dl_dst=$VM1_MAC,actions=strip_vlan,mod_dl_src:$QR1_MAC,output:7"
    echo "cookie=$INT_COOKIE,table=1,priority=4,dl_vlan=4,dl_dst=$VM2_MAC,actions=strip_vlan,mod_dl_src:$QR2_MAC,output:8"
    echo "cookie=$INT_COOKIE,table=1,priority=4,dl_vlan=3,dl_dst=$VM3_MAC,actions=strip_vlan,mod_dl_src:$QR1_MAC,output:9"
    echo "cookie=$INT_COOKIE,table=2,priority=1,actions=drop"
    echo "cookie=$INT_COOKIE,table=23,priority=0,actions=drop"
    echo "cookie=$INT_COOKIE,table=24,priority=0,actions=drop"
    local port ip mac
    for port in "7 $VM1_IP $VM1_MAC" "8 $VM2_IP $VM2_MAC" "9 $VM3_IP $VM3_MAC"; do
      read -r port ip mac <<<"$port"
      echo "cookie=$INT_COOKIE,table=0,priority=10,icmp6,in_port=$port,icmp_type=136,actions=resubmit(,24)"
      echo "cookie=$INT_COOKIE,table=0,priority=10,arp,in_port=$port,actions=resubmit(,24)"
      echo "cookie=$INT_COOKIE,table=24,priority=2,icmp6,in_port=$port,icmp_type=136,nd_target=$(eui64_ll "$mac"),actions=NORMAL"
      echo "cookie=$INT_COOKIE,table=24,priority=2,arp,in_port=$port,arp_spa=$ip,actions=NORMAL"
    done
  } | ovs-ofctl add-flows br-int -

  ovs-ofctl add-flows br-tun - <<EOF
cookie=$TUN_COOKIE,table=0,priority=1,in_port=1,actions=resubmit(,1)
cookie=$TUN_COOKIE,table=0,priority=1,in_port=4,actions=resubmit(,3)
cookie=$TUN_COOKIE,table=0,priority=1,in_port=5,actions=resubmit(,3)
cookie=$TUN_COOKIE,table=0,priority=0,actions=drop
cookie=$TUN_COOKIE,table=1,priority=3,arp,dl_vlan=3,arp_tpa=$QR1_IP,actions=drop
cookie=$TUN_COOKIE,table=1,priority=3,arp,dl_vlan=4,arp_tpa=$QR2_IP,actions=drop
cookie=$TUN_COOKIE,table=1,priority=2,dl_vlan=3,dl_dst=$QR1_MAC,actions=drop
cookie=$TUN_COOKIE,table=1,priority=2,dl_vlan=4,dl_dst=$QR2_MAC,actions=drop
cookie=$TUN_COOKIE,table=1,priority=1,dl_vlan=3,dl_src=$QR1_MAC,actions=mod_dl_src:$DVR_MAC,resubmit(,2)
cookie=$TUN_COOKIE,table=1,priority=1,dl_vlan=4,dl_src=$QR2_MAC,actions=mod_dl_src:$DVR_MAC,resubmit(,2)
cookie=$TUN_COOKIE,table=1,priority=0,actions=resubmit(,2)
cookie=$TUN_COOKIE,table=2,priority=0,dl_dst=00:00:00:00:00:00/01:00:00:00:00:00,actions=resubmit(,20)
cookie=$TUN_COOKIE,table=2,priority=0,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00,actions=resubmit(,22)
cookie=$TUN_COOKIE,table=3,priority=1,tun_id=0x5,actions=mod_vlan_vid:3,resubmit(,9)
cookie=$TUN_COOKIE,table=3,priority=1,tun_id=0x3f4,actions=mod_vlan_vid:4,resubmit(,9)
cookie=$TUN_COOKIE,table=3,priority=0,actions=drop
cookie=$TUN_COOKIE,table=4,priority=0,actions=drop
cookie=$TUN_COOKIE,table=6,priority=0,actions=drop
cookie=$TUN_COOKIE,table=9,priority=1,dl_src=fa:16:3f:02:1a:a7,actions=output:1
cookie=$TUN_COOKIE,table=9,priority=1,dl_src=fa:16:3f:be:36:1f,actions=output:1
cookie=$TUN_COOKIE,table=9,priority=1,dl_src=fa:16:3f:ef:44:e9,actions=output:1
cookie=$TUN_COOKIE,table=9,priority=0,actions=resubmit(,10)
cookie=$TUN_COOKIE,table=10,priority=1,actions=learn(table=20,hard_timeout=300,priority=1,cookie=$TUN_COOKIE,NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0->NXM_OF_VLAN_TCI[],load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],output:NXM_OF_IN_PORT[]),output:1
cookie=$TUN_COOKIE,table=20,priority=2,dl_vlan=3,dl_dst=fa:16:3e:4a:60:12,actions=strip_vlan,set_tunnel:0x5,output:4
cookie=$TUN_COOKIE,table=20,priority=2,dl_vlan=3,dl_dst=fa:16:3e:f9:88:90,actions=strip_vlan,set_tunnel:0x5,output:5
cookie=$TUN_COOKIE,table=20,priority=2,dl_vlan=4,dl_dst=fa:16:3e:55:1d:42,actions=strip_vlan,set_tunnel:0x3f4,output:5
cookie=$TUN_COOKIE,table=20,priority=2,dl_vlan=4,dl_dst=fa:16:3e:3b:59:ef,actions=strip_vlan,set_tunnel:0x3f4,output:5
cookie=$TUN_COOKIE,table=20,priority=0,actions=resubmit(,22)
cookie=$TUN_COOKIE,table=22,dl_vlan=3,actions=strip_vlan,set_tunnel:0x5,output:4,output:5
cookie=$TUN_COOKIE,table=22,dl_vlan=4,actions=strip_vlan,set_tunnel:0x3f4,output:4,output:5
cookie=$TUN_COOKIE,table=22,priority=0,actions=drop
EOF

  ovs-ofctl add-flows br-ex - <<EOF
cookie=$EX_COOKIE,table=0,priority=4,in_port=2,dl_vlan=2,actions=strip_vlan,NORMAL
cookie=$EX_COOKIE,table=0,priority=2,in_port=2,actions=drop
cookie=$EX_COOKIE,table=0,priority=0,actions=NORMAL
EOF
}

scenario_probes() {
  probe id=ext-arp-for-fip desc="the external gateway asks who has the floating IP $FIP: the fip namespace answers on $FG (proxy_arp)" \
    packet="arp,arp_op=1,arp_spa=$EXT_GW,arp_tpa=$FIP,arp_sha=$EXT_GW_MAC,arp_tha=00:00:00:00:00:00,dl_src=$EXT_GW_MAC,dl_dst=ff:ff:ff:ff:ff:ff" \
    send=guest-ext:eth0 ingress=ens7 recv=guest-ext:eth0 egress=ens7 timeout=2.5 \
    match="arp,arp_op=2,arp_spa=$FIP,arp_tpa=$EXT_GW,arp_sha=$FG_MAC,dl_src=$FG_MAC,dl_dst=$EXT_GW_MAC" trace=br-ex:ens7
  probe id=ext-icmp-to-fip desc="the external gateway pings the floating IP $FIP: fip -> fpr/rfp -> qrouter DNAT -> vm1 $VM1_IP" \
    packet="icmp,dl_src=$EXT_GW_MAC,dl_dst=$FG_MAC,nw_src=$EXT_GW,nw_dst=$FIP,nw_ttl=64,icmp_type=8,icmp_code=0" \
    send=guest-ext:eth0 ingress=ens7 recv=guest-vm1:eth0 egress="$VM1_DEV" timeout=1.5 \
    match="icmp,nw_src=$EXT_GW,nw_dst=$VM1_IP" trace=br-ex:ens7
  probe id=vm1-to-ext-via-fip desc="vm1 pings the external gateway: rule 57481 -> table 16 -> rfp/fpr -> fg, source NATed to its FIP $FIP" \
    packet="icmp,dl_src=$VM1_MAC,dl_dst=$QR1_MAC,nw_src=$VM1_IP,nw_dst=$EXT_GW,nw_ttl=64,icmp_type=8,icmp_code=0" \
    send=guest-vm1:eth0 ingress="$VM1_DEV" recv=guest-ext:eth0 egress=ens7 timeout=1.5 \
    match="icmp,nw_dst=$EXT_GW" trace="br-int:$VM1_DEV"
  probe id=vm3-to-ext-via-snat desc="vm3 (no FIP) pings the external gateway: rule 3232240897 -> sg $SG1_IP in the snat namespace, SNAT to $QG_IP" \
    packet="icmp,dl_src=$VM3_MAC,dl_dst=$QR1_MAC,nw_src=$VM3_IP,nw_dst=$EXT_GW,nw_ttl=64,icmp_type=8,icmp_code=0" \
    send=guest-vm3:eth0 ingress="$VM3_DEV" recv=guest-ext:eth0 egress=ens7 timeout=1.5 \
    match="icmp,nw_dst=$EXT_GW" trace="br-int:$VM3_DEV"
  probe id=east-west desc="vm1 pings vm2 on the other subnet: routed locally by the distributed router ($QR1 -> $QR2)" \
    packet="icmp,dl_src=$VM1_MAC,dl_dst=$QR1_MAC,nw_src=$VM1_IP,nw_dst=$VM2_IP,nw_ttl=64,icmp_type=8,icmp_code=0" \
    send=guest-vm1:eth0 ingress="$VM1_DEV" recv=guest-vm2:eth0 egress="$VM2_DEV" timeout=1.5 \
    match="icmp,nw_src=$VM1_IP,nw_dst=$VM2_IP" trace="br-int:$VM1_DEV"
}

# The FIP disassociated, but its policy rule left behind (bug 1891673): what the L3 agent removes
# on disassociation, except `57481: from 192.168.21.5 lookup 16`.
stale_probes() {
  probe id=vm1-to-ext-stale-rule desc="after the FIP is gone vm1 pings the external gateway: the stale rule 57481 still sends it via table 16 and the fip namespace, now without SNAT" \
    packet="icmp,dl_src=$VM1_MAC,dl_dst=$QR1_MAC,nw_src=$VM1_IP,nw_dst=$EXT_GW,nw_ttl=64,icmp_type=8,icmp_code=0" \
    send=guest-vm1:eth0 ingress="$VM1_DEV" recv=guest-ext:eth0 egress=ens7 timeout=1.5 \
    match="icmp,nw_dst=$EXT_GW" trace="br-int:$VM1_DEV"
  probe id=vm3-to-ext-via-snat desc="control: vm3 (no FIP) still leaves through the centralized SNAT, source $QG_IP" \
    packet="icmp,dl_src=$VM3_MAC,dl_dst=$QR1_MAC,nw_src=$VM3_IP,nw_dst=$EXT_GW,nw_ttl=64,icmp_type=8,icmp_code=0" \
    send=guest-vm3:eth0 ingress="$VM3_DEV" recv=guest-ext:eth0 egress=ens7 timeout=1.5 \
    match="icmp,nw_dst=$EXT_GW" trace="br-int:$VM3_DEV"
}

scenario_variants() {
  local out=$1-stale-fip-rule
  nsx "$QROUTER" iptables -t nat -D neutron-l3-agent-OUTPUT -d "$FIP/32" -j DNAT --to-destination "$VM1_IP"
  nsx "$QROUTER" iptables -t nat -D neutron-l3-agent-PREROUTING -d "$FIP/32" -i "$RFP" -j DNAT --to-destination "$VM1_IP"
  nsx "$QROUTER" iptables -t nat -D neutron-l3-agent-float-snat -s "$VM1_IP/32" -j SNAT --to-source "$FIP"
  nsx "$QROUTER" ip addr del "$FIP/32" dev "$RFP"
  nsx "$QROUTER" conntrack -F >/dev/null 2>&1 || true
  nsx "$FIPNS" ip route del "$FIP/32" via "$RFP_IP" dev "$FPR"
  scenario_probes() { stale_probes; }
  rm -f "$STATE/commands.json"
  do_dump "$out"
  do_probe "$out"
}

check_tools ovs-vsctl ovs-ofctl ovs-appctl ovsdb-server ovs-vswitchd conntrack
scenario_main "$@"
