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

# Every name and address can be changed through OSV_<NAME> (the seed's value is the default), so
# test/oracle/variants/ rebuilds the same DVR host with other router/network/port ids, MACs,
# subnets, floating IPs, rule priorities and ofports, plus "noise" VMs on br-int (some with their
# own floating IP). Names and numbers the agents derive are derived here the same way: rfp-/fpr-
# + router id[:10], qr-/sg-/qg-/fg-/tap + port id[:11], the per-subnet SNAT table and rule
# priority = the router interface address as a 32-bit integer. OSV_NOISE holds one record per
# noise VM, separated by spaces:  PORT_ID,MAC,IP,SUBNET(1|2),OFPORT,FIP,FIP_RULE_PRIORITY (FIP -: none)
# OSV_ORDER is the order in which VMs are plugged and the agents write their flows and NAT rules:
# V1, V2, V3, n0, n1... (default "V1 V2 V3", then the noise VMs).
ROUTER_ID=${OSV_ROUTER_ID:-9a3594b0-52d1-4f29-a799-2576682e275b} EXT_NET=${OSV_EXT_NET:-57282976-a9b2-4c3f-9772-6710507c5c4e}
QROUTER=qrouter-$ROUTER_ID SNAT=snat-$ROUTER_ID FIPNS=fip-$EXT_NET
RFP=rfp-${ROUTER_ID:0:10} FPR=fpr-${ROUTER_ID:0:10}   # rfp-9a3594b0-5 / fpr-9a3594b0-5 (14-character device names)
RFP_IP=${OSV_RFP_IP:-169.254.106.114} FPR_IP=${OSV_FPR_IP:-169.254.106.115}
RFP_MAC=${OSV_RFP_MAC:-3a:63:a4:11:4d:c4} FPR_MAC=${OSV_FPR_MAC:-fa:e7:f9:fd:5a:40}
FIP_RT_TBL=${OSV_FIP_RT_TBL:-2852018311} FIP_RT_PREF=${OSV_FIP_RT_PREF:-57483}
QR1=qr-$(dev11 "${OSV_QR1_PORT:-48e90ad1-5f}") QR1_MAC=${OSV_QR1_MAC:-fa:16:3e:f8:fe:97} QR1_IP=${OSV_QR1_IP:-192.168.21.1} PREFIX1=${OSV_PREFIX1:-24}
QR2=qr-$(dev11 "${OSV_QR2_PORT:-6d5c4b3a-21}") QR2_MAC=${OSV_QR2_MAC:-fa:16:3e:6d:f9:9c} QR2_IP=${OSV_QR2_IP:-192.168.22.1} PREFIX2=${OSV_PREFIX2:-24}
SG1=sg-$(dev11 "${OSV_SG1_PORT:-95540cb3-85}") SG1_MAC=${OSV_SG1_MAC:-fa:16:3e:62:d3:26} SG1_IP=${OSV_SG1_IP:-192.168.21.3}
SG2=sg-$(dev11 "${OSV_SG2_PORT:-2c3d4e5f-60}") SG2_MAC=${OSV_SG2_MAC:-fa:16:3e:22:03:03} SG2_IP=${OSV_SG2_IP:-192.168.22.3}
QG=qg-$(dev11 "${OSV_QG_PORT:-b825f548-32}") QG_MAC=${OSV_QG_MAC:-fa:16:3e:c4:fd:ad} QG_IP=${OSV_QG_IP:-10.5.150.0}
FG=fg-$(dev11 "${OSV_FG_PORT:-d35ad06f-ae}") FG_MAC=${OSV_FG_MAC:-fa:16:3e:b5:2d:2c} FG_IP=${OSV_FG_IP:-10.5.150.2}
EXT_GW=${OSV_EXT_GW:-10.5.0.1} EXT_GW_MAC=${OSV_EXT_GW_MAC:-52:54:00:05:00:01} EXT_PREFIX=${OSV_EXT_PREFIX:-16}
VM1_PORT=${OSV_VM1_PORT:-c0a8150d-1f2e-4a3b-9c8d-7e6f5a4b3c21} VM1_MAC=${OSV_VM1_MAC:-fa:16:3e:71:5c:05} VM1_IP=${OSV_VM1_IP:-192.168.21.5}
FIP=${OSV_FIP:-10.5.150.1} FIP_PREF=${OSV_FIP_PREF:-57481}
VM2_PORT=${OSV_VM2_PORT:-e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b} VM2_MAC=${OSV_VM2_MAC:-fa:16:3e:26:85:02} VM2_IP=${OSV_VM2_IP:-192.168.22.5}
VM3_PORT=${OSV_VM3_PORT:-a7b8c9d0-e1f2-4a3b-8c4d-5e6f7a8b9c0d} VM3_MAC=${OSV_VM3_MAC:-fa:16:3e:33:21:07} VM3_IP=${OSV_VM3_IP:-192.168.21.7}
# br-int ofports (int-br-ex = 1 and patch-tun = 2 are plugged first) and local VLANs
QR1_OFPORT=${OSV_QR1_OFPORT:-3} QR2_OFPORT=${OSV_QR2_OFPORT:-4} SG1_OFPORT=${OSV_SG1_OFPORT:-5} FG_OFPORT=${OSV_FG_OFPORT:-6}
VM1_OFPORT=${OSV_VM1_OFPORT:-7} VM2_OFPORT=${OSV_VM2_OFPORT:-8} VM3_OFPORT=${OSV_VM3_OFPORT:-9} QG_OFPORT=${OSV_QG_OFPORT:-10} SG2_OFPORT=${OSV_SG2_OFPORT:-11}
TAG1=${OSV_TAG1:-3} TAG2=${OSV_TAG2:-4} EXT_TAG=${OSV_EXT_TAG:-2}
DVR_MAC=${OSV_DVR_MAC:-fa:16:3f:6b:1f:bb}
REMOTE_DVR_MACS=${OSV_REMOTE_DVR_MACS:-fa:16:3f:02:1a:a7 fa:16:3f:be:36:1f fa:16:3f:ef:44:e9}
INT_COOKIE=${OSV_INT_COOKIE:-0xb9f4f1698b73b733} TUN_COOKIE=${OSV_TUN_COOKIE:-0x8502c5292d4bca36} EX_COOKIE=${OSV_EX_COOKIE:-0x6a1f9e3b2c4d5e6f}
VM1_DEV=tap$(dev11 "$VM1_PORT") VM2_DEV=tap$(dev11 "$VM2_PORT") VM3_DEV=tap$(dev11 "$VM3_PORT")
read -r -a NOISE <<<"${OSV_NOISE:-}"
# shellcheck disable=SC2086  # the default order is three words
read -r -a ORDER <<<"$(with_noise "${#NOISE[@]}" ${OSV_ORDER:-V1 V2 V3})"

scenario_netns() { echo "$QROUTER $FIPNS $SNAT"; }

# ip2int A.B.C.D: the address as a 32-bit integer (the L3 agent's SNAT table / rule priority of a
# router interface, dvr_local_router._get_snat_idx)
ip2int() { local IFS=. a b c d; read -r a b c d <<<"$1"; echo $(( (a << 24) | (b << 16) | (c << 8) | d )); }

# vm_fields TOKEN: "PORT_ID MAC IP SUBNET(1|2) OFPORT FIP FIP_RULE_PRIORITY" of V1..V3 or noise VM nK
vm_fields() {
  case $1 in
    V1) echo "$VM1_PORT $VM1_MAC $VM1_IP 1 $VM1_OFPORT $FIP $FIP_PREF" ;;
    V2) echo "$VM2_PORT $VM2_MAC $VM2_IP 2 $VM2_OFPORT - -" ;;
    V3) echo "$VM3_PORT $VM3_MAC $VM3_IP 1 $VM3_OFPORT - -" ;;
    *) echo "${NOISE[${1#n}]//,/ }" ;;
  esac
}

vm_of() { case $1 in V1) echo guest-vm1 ;; V2) echo guest-vm2 ;; V3) echo guest-vm3 ;; *) echo "guest-noise-$1" ;; esac; }

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
  local t ns port mac ip net ofport fip pref
  for t in "${ORDER[@]}"; do [[ $t != n* ]] || ns_new "$(vm_of "$t")"; done
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
  guest_cfg guest-ext eth0 "$EXT_GW_MAC" "$EXT_GW/$EXT_PREFIX"

  internal_port br-int "$QR1" "$QROUTER" "$QR1_MAC" "$QR1_IP/$PREFIX1" "$TAG1" "$QR1_OFPORT"
  internal_port br-int "$QR2" "$QROUTER" "$QR2_MAC" "$QR2_IP/$PREFIX2" "$TAG2" "$QR2_OFPORT"
  internal_port br-int "$SG1" "$SNAT" "$SG1_MAC" "$SG1_IP/$PREFIX1" "$TAG1" "$SG1_OFPORT"
  internal_port br-int "$FG" "$FIPNS" "$FG_MAC" "$FG_IP/$EXT_PREFIX" "$EXT_TAG" "$FG_OFPORT"
  internal_port br-int "$QG" "$SNAT" "$QG_MAC" "$QG_IP/$EXT_PREFIX" "$EXT_TAG" "$QG_OFPORT"
  internal_port br-int "$SG2" "$SNAT" "$SG2_MAC" "$SG2_IP/$PREFIX2" "$TAG2" "$SG2_OFPORT"
  for t in "${ORDER[@]}"; do
    read -r port mac ip net ofport fip pref <<<"$(vm_fields "$t")"
    if [ "$net" = 1 ]; then
      ovs_port "$port" "$(vm_of "$t")" "$mac" "$ip/$PREFIX1" "$ofport" "$TAG1" "$QR1_IP"
    else
      ovs_port "$port" "$(vm_of "$t")" "$mac" "$ip/$PREFIX2" "$ofport" "$TAG2" "$QR2_IP"
    fi
  done

  # qrouter: rfp end of the router <-> fip link, FIP on rfp, DVR policy routing, ARP entries
  veth "$RFP" "$QROUTER" "$FPR" "$FIPNS"
  nsx "$QROUTER" ip link set "$RFP" address "$RFP_MAC"
  nsx "$FIPNS" ip link set "$FPR" address "$FPR_MAC"
  nsx "$QROUTER" ip addr add "$RFP_IP/31" dev "$RFP"
  for t in "${ORDER[@]}"; do
    read -r port mac ip net ofport fip pref <<<"$(vm_fields "$t")"
    [ "$fip" = - ] || nsx "$QROUTER" ip addr add "$fip/32" brd "$fip" dev "$RFP"
  done
  nsx "$FIPNS" ip addr add "$FPR_IP/31" dev "$FPR"
  local snat1 snat2
  snat1=$(ip2int "$QR1_IP") snat2=$(ip2int "$QR2_IP")
  nsx "$QROUTER" ip rule add from "$QR1_IP/$PREFIX1" lookup "$snat1" pref "$snat1"
  nsx "$QROUTER" ip route add default via "$SG1_IP" dev "$QR1" table "$snat1"
  nsx "$QROUTER" ip rule add from "$QR2_IP/$PREFIX2" lookup "$snat2" pref "$snat2"
  nsx "$QROUTER" ip route add default via "$SG2_IP" dev "$QR2" table "$snat2"
  for t in "${ORDER[@]}"; do
    read -r port mac ip net ofport fip pref <<<"$(vm_fields "$t")"
    [ "$fip" = - ] || nsx "$QROUTER" ip rule add from "$ip" lookup 16 pref "$pref"
  done
  nsx "$QROUTER" ip route add default via "$FPR_IP" dev "$RFP" table 16
  for t in "${ORDER[@]}"; do
    read -r port mac ip net ofport fip pref <<<"$(vm_fields "$t")"
    if [ "$net" = 1 ]; then
      nsx "$QROUTER" ip neigh replace "$ip" lladdr "$mac" nud permanent dev "$QR1"
    else
      nsx "$QROUTER" ip neigh replace "$ip" lladdr "$mac" nud permanent dev "$QR2"
    fi
  done

  # fip: proxy ARP for the FIP on fg, route to the FIP over fpr, external default route
  nsx "$FIPNS" sysctl -qw "net.ipv4.conf.$FG.proxy_arp=1"
  for t in "${ORDER[@]}"; do
    read -r port mac ip net ofport fip pref <<<"$(vm_fields "$t")"
    [ "$fip" = - ] || nsx "$FIPNS" ip route add "$fip/32" via "$RFP_IP" dev "$FPR"
  done
  nsx "$FIPNS" ip route add default via "$EXT_GW" dev "$FG"
  nsx "$FIPNS" ip rule add iif "$FPR" lookup "$FIP_RT_TBL" pref "$FIP_RT_PREF"
  nsx "$FIPNS" ip route add default via "$EXT_GW" dev "$FG" proto static table "$FIP_RT_TBL"

  # snat: centralized SNAT for the subnets' VMs without a FIP
  nsx "$SNAT" ip route add default via "$EXT_GW" dev "$QG"

  local dnat_out=() dnat_pre=() float_snat=()
  for t in "${ORDER[@]}"; do
    read -r port mac ip net ofport fip pref <<<"$(vm_fields "$t")"
    [ "$fip" != - ] || continue
    dnat_out+=("-A neutron-l3-agent-OUTPUT -d $fip/32 -j DNAT --to-destination $ip")
    dnat_pre+=("-A neutron-l3-agent-PREROUTING -d $fip/32 -i $RFP -j DNAT --to-destination $ip")
    float_snat+=("-A neutron-l3-agent-float-snat -s $ip/32 -j SNAT --to-source $fip")
  done
  nsx "$QROUTER" iptables-restore <<EOF
$(l3_nat_head)
$(printf '%s\n' "${dnat_out[@]}")
-A neutron-l3-agent-POSTROUTING ! -i $RFP ! -o $RFP -m conntrack ! --ctstate DNAT -j ACCEPT
-A neutron-l3-agent-PREROUTING -d 169.254.169.254/32 -i qr-+ -p tcp -m tcp --dport 80 -j REDIRECT --to-ports 9697
$(printf '%s\n' "${dnat_pre[@]}")
$(printf '%s\n' "${float_snat[@]}")
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
    echo "cookie=$INT_COOKIE,table=0,priority=3,in_port=1,vlan_tci=0x0000/0x1fff,actions=mod_vlan_vid:$EXT_TAG,NORMAL"
    for m in $REMOTE_DVR_MACS; do
      echo "cookie=$INT_COOKIE,table=0,priority=4,in_port=1,dl_src=$m,actions=resubmit(,2)"
      echo "cookie=$INT_COOKIE,table=0,priority=2,in_port=2,dl_src=$m,actions=resubmit(,1)"
    done
    echo "cookie=$INT_COOKIE,table=1,priority=1,actions=drop"
    for t in "${ORDER[@]}"; do
      read -r port mac ip net ofport fip pref <<<"$(vm_fields "$t")"
      if [ "$net" = 1 ]; then
        echo "cookie=$INT_COOKIE,table=1,priority=4,dl_vlan=$TAG1,dl_dst=$mac,actions=strip_vlan,mod_dl_src:$QR1_MAC,output:$ofport"
      else
        echo "cookie=$INT_COOKIE,table=1,priority=4,dl_vlan=$TAG2,dl_dst=$mac,actions=strip_vlan,mod_dl_src:$QR2_MAC,output:$ofport"
      fi
    done
    echo "cookie=$INT_COOKIE,table=2,priority=1,actions=drop"
    echo "cookie=$INT_COOKIE,table=23,priority=0,actions=drop"
    echo "cookie=$INT_COOKIE,table=24,priority=0,actions=drop"
    for t in "${ORDER[@]}"; do
      read -r port mac ip net ofport fip pref <<<"$(vm_fields "$t")"
      echo "cookie=$INT_COOKIE,table=0,priority=10,icmp6,in_port=$ofport,icmp_type=136,actions=resubmit(,24)"
      echo "cookie=$INT_COOKIE,table=0,priority=10,arp,in_port=$ofport,actions=resubmit(,24)"
      echo "cookie=$INT_COOKIE,table=24,priority=2,icmp6,in_port=$ofport,icmp_type=136,nd_target=$(eui64_ll "$mac"),actions=NORMAL"
      echo "cookie=$INT_COOKIE,table=24,priority=2,arp,in_port=$ofport,arp_spa=$ip,actions=NORMAL"
    done
  } | ovs-ofctl add-flows br-int -

  ovs-ofctl add-flows br-tun - <<EOF
cookie=$TUN_COOKIE,table=0,priority=1,in_port=1,actions=resubmit(,1)
cookie=$TUN_COOKIE,table=0,priority=1,in_port=4,actions=resubmit(,3)
cookie=$TUN_COOKIE,table=0,priority=1,in_port=5,actions=resubmit(,3)
cookie=$TUN_COOKIE,table=0,priority=0,actions=drop
cookie=$TUN_COOKIE,table=1,priority=3,arp,dl_vlan=$TAG1,arp_tpa=$QR1_IP,actions=drop
cookie=$TUN_COOKIE,table=1,priority=3,arp,dl_vlan=$TAG2,arp_tpa=$QR2_IP,actions=drop
cookie=$TUN_COOKIE,table=1,priority=2,dl_vlan=$TAG1,dl_dst=$QR1_MAC,actions=drop
cookie=$TUN_COOKIE,table=1,priority=2,dl_vlan=$TAG2,dl_dst=$QR2_MAC,actions=drop
cookie=$TUN_COOKIE,table=1,priority=1,dl_vlan=$TAG1,dl_src=$QR1_MAC,actions=mod_dl_src:$DVR_MAC,resubmit(,2)
cookie=$TUN_COOKIE,table=1,priority=1,dl_vlan=$TAG2,dl_src=$QR2_MAC,actions=mod_dl_src:$DVR_MAC,resubmit(,2)
cookie=$TUN_COOKIE,table=1,priority=0,actions=resubmit(,2)
cookie=$TUN_COOKIE,table=2,priority=0,dl_dst=00:00:00:00:00:00/01:00:00:00:00:00,actions=resubmit(,20)
cookie=$TUN_COOKIE,table=2,priority=0,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00,actions=resubmit(,22)
cookie=$TUN_COOKIE,table=3,priority=1,tun_id=0x5,actions=mod_vlan_vid:$TAG1,resubmit(,9)
cookie=$TUN_COOKIE,table=3,priority=1,tun_id=0x3f4,actions=mod_vlan_vid:$TAG2,resubmit(,9)
cookie=$TUN_COOKIE,table=3,priority=0,actions=drop
cookie=$TUN_COOKIE,table=4,priority=0,actions=drop
cookie=$TUN_COOKIE,table=6,priority=0,actions=drop
cookie=$TUN_COOKIE,table=9,priority=1,dl_src=fa:16:3f:02:1a:a7,actions=output:1
cookie=$TUN_COOKIE,table=9,priority=1,dl_src=fa:16:3f:be:36:1f,actions=output:1
cookie=$TUN_COOKIE,table=9,priority=1,dl_src=fa:16:3f:ef:44:e9,actions=output:1
cookie=$TUN_COOKIE,table=9,priority=0,actions=resubmit(,10)
cookie=$TUN_COOKIE,table=10,priority=1,actions=learn(table=20,hard_timeout=300,priority=1,cookie=$TUN_COOKIE,NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0->NXM_OF_VLAN_TCI[],load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],output:NXM_OF_IN_PORT[]),output:1
cookie=$TUN_COOKIE,table=20,priority=2,dl_vlan=$TAG1,dl_dst=fa:16:3e:4a:60:12,actions=strip_vlan,set_tunnel:0x5,output:4
cookie=$TUN_COOKIE,table=20,priority=2,dl_vlan=$TAG1,dl_dst=fa:16:3e:f9:88:90,actions=strip_vlan,set_tunnel:0x5,output:5
cookie=$TUN_COOKIE,table=20,priority=2,dl_vlan=$TAG2,dl_dst=fa:16:3e:55:1d:42,actions=strip_vlan,set_tunnel:0x3f4,output:5
cookie=$TUN_COOKIE,table=20,priority=2,dl_vlan=$TAG2,dl_dst=fa:16:3e:3b:59:ef,actions=strip_vlan,set_tunnel:0x3f4,output:5
cookie=$TUN_COOKIE,table=20,priority=0,actions=resubmit(,22)
cookie=$TUN_COOKIE,table=22,dl_vlan=$TAG1,actions=strip_vlan,set_tunnel:0x5,output:4,output:5
cookie=$TUN_COOKIE,table=22,dl_vlan=$TAG2,actions=strip_vlan,set_tunnel:0x3f4,output:4,output:5
cookie=$TUN_COOKIE,table=22,priority=0,actions=drop
EOF

  ovs-ofctl add-flows br-ex - <<EOF
cookie=$EX_COOKIE,table=0,priority=4,in_port=2,dl_vlan=$EXT_TAG,actions=strip_vlan,NORMAL
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
  probe id=vm1-to-ext-via-fip desc="vm1 pings the external gateway: rule $FIP_PREF -> table 16 -> rfp/fpr -> fg, source NATed to its FIP $FIP" \
    packet="icmp,dl_src=$VM1_MAC,dl_dst=$QR1_MAC,nw_src=$VM1_IP,nw_dst=$EXT_GW,nw_ttl=64,icmp_type=8,icmp_code=0" \
    send=guest-vm1:eth0 ingress="$VM1_DEV" recv=guest-ext:eth0 egress=ens7 timeout=1.5 \
    match="icmp,nw_dst=$EXT_GW" trace="br-int:$VM1_DEV"
  probe id=vm3-to-ext-via-snat desc="vm3 (no FIP) pings the external gateway: rule $(ip2int "$QR1_IP") -> sg $SG1_IP in the snat namespace, SNAT to $QG_IP" \
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
  probe id=vm1-to-ext-stale-rule desc="after the FIP is gone vm1 pings the external gateway: the stale rule $FIP_PREF still sends it via table 16 and the fip namespace, now without SNAT" \
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
