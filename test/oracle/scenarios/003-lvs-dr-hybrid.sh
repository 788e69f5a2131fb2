#!/usr/bin/env bash
# Seed 003 (Neutron ML2/OVS, iptables hybrid firewall, keepalived + LVS-DR for Zabbix proxies):
# clients of the VIP 10.1.26.252:10051 hang in SYN_RECV. The LVS director VM (10.1.26.144, VIP
# as an allowed address pair) forwards each client SYN unchanged — source = the client
# 10.0.19.92 — to a real server's MAC; on the hypervisor that frame crosses qbr's FORWARD path,
# neutron-openvswi-o<port> jumps to the spoof chain neutron-openvswi-s38833ad6-c, whose IP/MAC
# pairs are only the fixed IP and the VIP, and "Drop traffic without an IP/MAC allow rule."
# drops it. The author's hack: an ACCEPT rule in neutron-openvswi-local (FORWARD ->
# neutron-filter-top -> neutron-openvswi-local runs before every security group chain).
#
# Builds one node of the seed's cloud running the L3 agent too (so the client's SYN can enter
# br-int from a legacy router, qrouter-*/qr-*): the director port tap38833ad6-c6 with the
# seed's chains verbatim (security groups "all open", as the author had set them), a real server
# (10.1.26.139, VIP on lo as LVS-DR requires, and — as the author tried — the VIP as an allowed
# address pair too), hybrid plumbing into br-int with the agent's ARP/MAC spoofing flows.
# `all OUTDIR` also writes OUTDIR-local-accept: the same host after the author's hack.
SCN=003-lvs-dr-hybrid
HOSTNAME_MODEL=compute-zbx-1
SEED=003_d65620ed55afcb73.txt
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
source "$ORACLE_DIR/lib-neutron.sh"

# Every name and address can be changed through OSV_<NAME> (the seed's value is the default), so
# test/oracle/variants/ rebuilds the same situation with other port ids, MACs, addresses and
# ofports, plus "noise" VMs on br-int. OSV_D_PAIRS: further allowed pairs of the director (joined
# by +). OSV_NOISE holds one record per noise VM, separated by spaces:
#   PORT_ID,MAC,IP,PREFIX,OFPORT,TAG,ZONE,DHCP,PAIRS     (PAIRS: allowed pair IPs joined by +, or -)
# OSV_ORDER is the order in which the ports are plugged and the agent writes their chains and
# flows: D, R and n0, n1... (default "D R", then the noise VMs).
D_PORT=${OSV_D_PORT:-38833ad6-c6b1-4c1e-9a57-0d6e2f4b8a13} D_MAC=${OSV_D_MAC:-fa:16:3e:c4:20:c7} D_IP=${OSV_D_IP:-10.1.26.144} D_OFPORT=${OSV_D_OFPORT:-7}
R_PORT=${OSV_R_PORT:-5a7c9e1f-3b2d-4e6f-8a9b-1c2d3e4f5a6b} R_MAC=${OSV_R_MAC:-fa:16:3e:5a:13:9b} R_IP=${OSV_R_IP:-10.1.26.139} R_OFPORT=${OSV_R_OFPORT:-8}
VIP=${OSV_VIP:-10.1.26.252} DHCP=${OSV_DHCP:-10.1.26.120} CLIENT=${OSV_CLIENT:-10.0.19.92} TAG=${OSV_TAG:-1} ZONE=${OSV_ZONE:-4097} PREFIX=${OSV_PREFIX:-24}
SERVICE_PORT=${OSV_SERVICE_PORT:-10051} CLIENT_PORT=${OSV_CLIENT_PORT:-37358} D_PAIRS=${OSV_D_PAIRS:-}
ROUTER=qrouter-${OSV_ROUTER_ID:-7f3e1d2c-9b8a-4c6d-8e5f-0a1b2c3d4e5f} QR=qr-$(dev11 "${OSV_QR_PORT:-1a2b3c4d-5e}")
QR_MAC=${OSV_QR_MAC:-fa:16:3e:11:26:01} QR_IP=${OSV_QR_IP:-10.1.26.1} QR_OFPORT=${OSV_QR_OFPORT:-3}
D_DEV=$(dev11 "$D_PORT") R_DEV=$(dev11 "$R_PORT")
D_C=$(chain10 "$D_PORT")
read -r -a NOISE <<<"${OSV_NOISE:-}"
# shellcheck disable=SC2086  # the default order is two words
read -r -a ORDER <<<"$(with_noise "${#NOISE[@]}" ${OSV_ORDER:-D R})"

scenario_netns() { echo "$ROUTER"; }

# port_fields TOKEN: "PORT_ID MAC IP PREFIX OFPORT TAG ZONE DHCP PAIRS" of D, R or noise VM nK
port_fields() {
  case $1 in
    D) echo "$D_PORT $D_MAC $D_IP $PREFIX $D_OFPORT $TAG $ZONE $DHCP -" ;;
    R) echo "$R_PORT $R_MAC $R_IP $PREFIX $R_OFPORT $TAG $ZONE $DHCP -" ;;
    *) echo "${NOISE[${1#n}]//,/ }" ;;
  esac
}

vm_of() { case $1 in D) echo guest-lvs-director ;; R) echo guest-real-server ;; *) echo "guest-noise-$1" ;; esac; }

# The director's chains exactly as the seed's iptables-save shows them.
director_chains() {
  cat <<EOF
-A neutron-openvswi-i$D_C -m state --state RELATED,ESTABLISHED -m comment --comment "Direct packets associated with a known session to the RETURN chain." -j RETURN
-A neutron-openvswi-i$D_C -s $DHCP/32 -p udp -m udp --sport 67 -m udp --dport 68 -j RETURN
-A neutron-openvswi-i$D_C -p icmp -j RETURN
-A neutron-openvswi-i$D_C -j RETURN
-A neutron-openvswi-i$D_C -p tcp -m tcp -m multiport --dports 1:65535 -j RETURN
-A neutron-openvswi-i$D_C -p udp -m udp -m multiport --dports 1:65535 -j RETURN
-A neutron-openvswi-i$D_C -m state --state INVALID -m comment --comment "Drop packets that appear related to an existing connection (e.g. TCP ACK/FIN) but do not have an entry in conntrack." -j DROP
-A neutron-openvswi-i$D_C -m comment --comment "Send unmatched traffic to the fallback chain." -j neutron-openvswi-sg-fallback
-A neutron-openvswi-o$D_C -s 0.0.0.0/32 -d 255.255.255.255/32 -p udp -m udp --sport 68 --dport 67 -m comment --comment "Allow DHCP client traffic." -j RETURN
-A neutron-openvswi-o$D_C -j neutron-openvswi-s$D_C
-A neutron-openvswi-o$D_C -p udp -m udp --sport 68 --dport 67 -m comment --comment "Allow DHCP client traffic." -j RETURN
-A neutron-openvswi-o$D_C -p udp -m udp --sport 67 -m udp --dport 68 -m comment --comment "Prevent DHCP Spoofing by VM." -j DROP
-A neutron-openvswi-o$D_C -m state --state RELATED,ESTABLISHED -m comment --comment "Direct packets associated with a known session to the RETURN chain." -j RETURN
-A neutron-openvswi-o$D_C -p icmp -j RETURN
-A neutron-openvswi-o$D_C -p tcp -m tcp -m multiport --dports 1:65535 -j RETURN
-A neutron-openvswi-o$D_C -j RETURN
-A neutron-openvswi-o$D_C -p udp -m udp -m multiport --dports 1:65535 -j RETURN
-A neutron-openvswi-o$D_C -m state --state INVALID -m comment --comment "Drop packets that appear related to an existing connection (e.g. TCP ACK/FIN) but do not have an entry in conntrack." -j DROP
-A neutron-openvswi-o$D_C -m comment --comment "Send unmatched traffic to the fallback chain." -j neutron-openvswi-sg-fallback
EOF
  local ip
  for ip in ${D_PAIRS//+/ } $VIP $D_IP; do
    echo "-A neutron-openvswi-s$D_C -s $ip/32 -m mac --mac-source $(upper "$D_MAC") -m comment --comment \"Allow traffic from defined IP/MAC pairs.\" -j RETURN"
  done
  echo "-A neutron-openvswi-s$D_C -m comment --comment \"Drop traffic without an IP/MAC allow rule.\" -j DROP"
}

scenario_setup() {
  ns_new host
  ns_new "$ROUTER"
  ns_new guest-lvs-director
  ns_new guest-real-server
  local t id mac ip prefix ofport tag zone dhcp pairs pair
  for t in "${ORDER[@]}"; do [[ $t != n* ]] || ns_new "$(vm_of "$t")"; done
  nsx host sysctl -qw net.bridge.bridge-nf-call-iptables=1 net.bridge.bridge-nf-call-arptables=1 \
    net.bridge.bridge-nf-call-ip6tables=1 net.ipv4.ip_forward=1
  nsx "$ROUTER" sysctl -qw net.ipv4.ip_forward=1
  ovs_start
  add_br br-int
  for t in "${ORDER[@]}"; do
    read -r id mac ip prefix ofport tag zone dhcp pairs <<<"$(port_fields "$t")"
    hybrid_port "$id" "$(vm_of "$t")" "$mac" "$ip/$prefix" "$ofport" "$tag"
    case $t in
      D) nsx guest-lvs-director ip addr add "$VIP/32" dev eth0 ;;       # keepalived MASTER holds the VIP
      R) nsx guest-real-server ip addr add "$VIP/32" dev lo              # LVS-DR real server: VIP on lo
         nsx guest-real-server sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 ;;
      *) for pair in ${pairs//+/ }; do [ "$pair" = - ] || nsx "$(vm_of "$t")" ip addr add "$pair/32" dev eth0; done ;;
    esac
  done
  internal_port br-int "$QR" "$ROUTER" "$QR_MAC" "$QR_IP/$PREFIX" "$TAG" "$QR_OFPORT"

  local r_ingress="-p icmp
-p tcp -m tcp -m multiport --dports 1:65535
-p udp -m udp -m multiport --dports 1:65535"
  local heads=() chains=() flows=() srcs
  for t in "${ORDER[@]}"; do
    read -r id mac ip prefix ofport tag zone dhcp pairs <<<"$(port_fields "$t")"
    heads+=("$id@$zone")
    # Neutron lists a port's allowed address pairs before its fixed IPs (iptables_firewall.py)
    case $t in
      D) srcs="${D_PAIRS//+/ } $VIP $ip"; chains+=("$(director_chains)") ;;
      R) srcs="$VIP $ip"; chains+=("$(sg_port_chains "$id" "$mac" "$srcs" "$dhcp" "$r_ingress")") ;;
      *) srcs=${pairs//+/ }
         if [ "$srcs" = - ]; then srcs=$ip; else srcs="$srcs $ip"; fi
         chains+=("$(sg_port_chains "$id" "$mac" "$srcs" "$dhcp" "$r_ingress")") ;;
    esac
    flows+=("$(arp_spoof_flows "$ofport" "$mac" "${srcs# }")")
  done
  nsx host iptables-restore <<EOF
$(hybrid_firewall_head "$ZONE" "${heads[@]}")
$(printf '%s\n' "${chains[@]}")
COMMIT
EOF

  # The L3 agent's own router namespace (legacy router): only what the probes need.
  nsx "$ROUTER" iptables-restore <<EOF
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

  ovs-ofctl add-flows br-int - <<EOF
cookie=$NEUTRON_COOKIE,table=0,priority=0,actions=resubmit(,60)
cookie=$NEUTRON_COOKIE,table=23,priority=0,actions=drop
cookie=$NEUTRON_COOKIE,table=24,priority=0,actions=drop
cookie=$NEUTRON_COOKIE,table=60,priority=3,actions=NORMAL
$(printf '%s\n' "${flows[@]}")
EOF
}

scenario_probes() {
  local syn="tcp,nw_src=$CLIENT,nw_dst=$VIP,nw_ttl=63,tp_src=$CLIENT_PORT,tp_dst=$SERVICE_PORT,tcp_flags=syn"
  probe id=client-syn-to-director desc="a client's SYN for the VIP $VIP:$SERVICE_PORT, routed by the router, reaches the LVS director" \
    packet="$syn,dl_src=$QR_MAC,dl_dst=$D_MAC" send="$ROUTER:$QR" ingress="$QR@$ROUTER" \
    recv=guest-lvs-director:eth0 egress="tap$D_DEV" trace="br-int:$QR"
  probe id=director-forwards-syn desc="LVS-DR: the director forwards the client's SYN unchanged (source $CLIENT) to the real server's MAC" \
    packet="$syn,dl_src=$D_MAC,dl_dst=$R_MAC" send=guest-lvs-director:eth0 ingress="tap$D_DEV" \
    recv=guest-real-server:eth0 egress="tap$R_DEV" trace="br-int:qvo$D_DEV"
  probe id=director-vip-icmp desc="control: the director pings the real server from the VIP (an allowed address pair)" \
    packet="icmp,dl_src=$D_MAC,dl_dst=$R_MAC,nw_src=$VIP,nw_dst=$R_IP,nw_ttl=64,icmp_type=8,icmp_code=0" \
    send=guest-lvs-director:eth0 ingress="tap$D_DEV" recv=guest-real-server:eth0 egress="tap$R_DEV" trace="br-int:qvo$D_DEV"
  probe id=director-fixed-icmp desc="control: the director pings the real server from its fixed IP $D_IP" \
    packet="icmp,dl_src=$D_MAC,dl_dst=$R_MAC,nw_src=$D_IP,nw_dst=$R_IP,nw_ttl=64,icmp_type=8,icmp_code=0" \
    send=guest-lvs-director:eth0 ingress="tap$D_DEV" recv=guest-real-server:eth0 egress="tap$R_DEV" trace="br-int:qvo$D_DEV"
  probe id=real-server-reply desc="LVS-DR: the real server answers the client directly from the VIP (allowed pair on its port too)" \
    packet="tcp,dl_src=$R_MAC,dl_dst=$QR_MAC,nw_src=$VIP,nw_dst=$CLIENT,nw_ttl=64,tp_src=$SERVICE_PORT,tp_dst=$CLIENT_PORT,tcp_flags=0x012" \
    send=guest-real-server:eth0 ingress="tap$R_DEV" recv="$ROUTER:$QR" egress="$QR@$ROUTER" trace="br-int:qvo$R_DEV"
}

# The author's hack, then the same probes again into OUTDIR-local-accept.
scenario_variants() {
  local out=$1-local-accept
  nsx host iptables -A neutron-openvswi-local -j ACCEPT
  rm -f "$STATE/commands.json"
  do_dump "$out"
  do_probe "$out"
}

check_tools ovs-vsctl ovs-ofctl ovs-appctl ovsdb-server ovs-vswitchd
scenario_main "$@"
