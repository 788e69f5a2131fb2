/**
 * Generates a realistic `ovs-ofctl dump-flows br-int` (OpenFlow 1.0 form, NXST_FLOW reply) of a
 * Neutron ML2/OVS compute node with the OVS native firewall (firewall_driver=openvswitch), DVR,
 * and ARP spoofing protection, for N VM ports. The layout follows neutron's own code
 * (neutron/agent/linux/openvswitch_firewall/firewall.py, rules.py, and the br-int flows of the
 * OVS agent) and the real dumps in the corpus (hotsos `ovs-ofctl_dump-flows_br-int`,
 * 9506-study-notes `ovs-ofctl_dump-flows_br-int_ovs-fw`):
 *
 *   0   LOCAL_SWITCHING   vlan translation, DVR MAC steering, ARP/NA to the spoof table
 *   1   DVR_TO_SRC_MAC    rewrite the source MAC of routed east-west traffic
 *   2   DVR_TO_SRC_MAC_PHYSICAL, 3 ARP_DVR_MAC_TO_DST_MAC
 *   23  CANARY            24 ARP_SPOOF (arp_spa / nd_target per port)   25 MAC_SPOOF (dl_src per port)
 *   60  TRANSIENT         classify by in_port (egress) or dl_vlan+dl_dst (ingress) into reg5/reg6
 *   71  BASE_EGRESS       anti-spoofing (dl_src + nw_src / arp_spa / ipv6_src), DHCP, ct()
 *   72  RULES_EGRESS      security group egress rules       73 ACCEPT_OR_INGRESS
 *   81  BASE_INGRESS      ARP/ND/DHCP to the port, ct()     82 RULES_INGRESS (SG rules, conjunctions)
 *   91  ACCEPTED_EGRESS   92 ACCEPTED_INGRESS   93 DROPPED   94 ACCEPTED_EGRESS_NORMAL (NORMAL)
 *
 * Ports are grouped into networks (local VLANs); each network shares a security group whose
 * "remote group" rule becomes conjunction flows, as neutron installs them. Deterministic for a seed.
 */

export interface NeutronFlowsOptions {
  /** Number of VM ports; or give `flows` and ports are added until that many flows exist. */
  readonly ports?: number;
  /** Minimum number of flows to generate (ports are added until reached). */
  readonly flows?: number;
  /** Ports per network (local VLAN); default 8. */
  readonly portsPerNetwork?: number;
  /** Print ports by name (`--names`: `in_port="tap3f2a9c1d-4e"`, `output:"tap..."`). */
  readonly portNames?: boolean;
  /** Include the `NXST_FLOW reply (xid=0x4):` header (default true). */
  readonly header?: boolean;
  /** Seed of the counters and durations (default 1). */
  readonly seed?: number;
  /**
   * The layout of Neutron's native OpenFlow driver (`of_interface=native`, the default since
   * Ocata; what hotsos' br-int shows): tables 0, 1, 24 and 25 continue with `goto_table:N`,
   * the provider VLAN is pushed with `push_vlan`+`set_field:->vlan_vid`, and DVR rewrites use
   * `set_field:->eth_src`. Install such flows with `ovs-ofctl -O OpenFlow13`. Default false
   * (the ovs-ofctl driver's `resubmit(,N)` / `mod_vlan_vid` / `mod_dl_src` forms).
   */
  readonly nativeOpenflow?: boolean;
  /**
   * Allowed address pairs per port (0..5, default 0): every port of a network may use the
   * network's VIPs `10.N.N.250`, `.251`... (keepalived pairs), so tables 24 and 71 get one more
   * `arp_spa` / `nw_src` flow per VIP, as neutron installs them.
   */
  readonly allowedAddressPairs?: number;
}

export interface NeutronPort {
  readonly ofport: number;
  readonly name: string;
  readonly mac: string;
  readonly ip: string;
  readonly ipv6LinkLocal: string;
  /** The local VLAN (reg6 / tag) of the port's network. */
  readonly vlan: number;
  /** The conjunction id of the network's remote-group rule (ingress, IPv4). */
  readonly conjId: number;
  /** Allowed address pairs (the network's VIPs); empty unless `allowedAddressPairs` was set. */
  readonly allowedIps: readonly string[];
}

export interface NeutronFlowsDump {
  readonly text: string;
  readonly flowCount: number;
  readonly ports: readonly NeutronPort[];
  /** The DVR host MAC and the router gateway MAC of the first network. */
  readonly dvrMac: string;
}

const COOKIE = '0x565d7680690eea02';
const OF_INT_BR_DATA = 1;
const OF_PATCH_TUN = 2;
const DVR_MAC = 'fa:16:3f:9a:5d:e2';
const REMOTE_DVR_MACS = ['fa:16:3f:0a:04:80', 'fa:16:3f:a4:e2:e2'];

/** mulberry32: a small deterministic PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

function makePort(index: number, perNet: number, pairs: number): NeutronPort {
  const net = Math.floor(index / perNet);
  const k = index % perNet;
  const h = Math.imul(index + 1, 0x9e3779b1) >>> 0;
  const m = index + 1;
  const mac = `fa:16:3e:${hex((m >> 16) & 0xff, 2)}:${hex((m >> 8) & 0xff, 2)}:${hex(m & 0xff, 2)}`;
  const [m3, m4, m5] = mac.split(':').slice(3);
  return {
    ofport: index + 3,
    name: `tap${hex(h, 8)}-${hex((h >>> 8) & 0xff, 2)}`,
    mac,
    ip: `10.${Math.floor(net / 256)}.${net % 256}.${10 + k}`,
    ipv6LinkLocal: `fe80::f816:3eff:fe${m3 ?? '00'}:${m4 ?? '00'}${m5 ?? '00'}`.replace(/:0+([0-9a-f])/g, ':$1'),
    vlan: net + 1,
    conjId: 16 + net * 8,
    allowedIps: Array.from({ length: Math.min(pairs, 5) }, (_, k) => `10.${Math.floor(net / 256)}.${net % 256}.${250 + k}`),
  };
}

interface Flow {
  readonly table: number;
  readonly priority: number;
  readonly match: string;
  readonly actions: string;
}

export function generateNeutronFlows(options: NeutronFlowsOptions): NeutronFlowsDump {
  const perNet = options.portsPerNetwork ?? 8;
  const rnd = prng(options.seed ?? 1);
  const portRef = (p: NeutronPort): string => (options.portNames ? `"${p.name}"` : String(p.ofport));
  const inPort = (p: NeutronPort): string => `in_port=${portRef(p)}`;
  const out = (p: NeutronPort): string => `output:${portRef(p)}`;
  const phys = options.portNames ? '"int-br-data"' : String(OF_INT_BR_DATA);
  const tun = options.portNames ? '"patch-tun"' : String(OF_PATCH_TUN);
  const native = options.nativeOpenflow ?? false;
  // Tables 0, 1, 24 and 25 only ever continue to a later table, so goto_table is valid there.
  const go = (table: number): string => (native ? `goto_table:${table}` : `resubmit(,${table})`);

  const ports: NeutronPort[] = [];
  const byTable = new Map<number, Flow[]>();
  let count = 0;
  const add = (table: number, priority: number, match: string, actions: string): void => {
    let list = byTable.get(table);
    if (!list) byTable.set(table, (list = []));
    list.push({ table, priority, match, actions });
    count++;
  };

  // Bridge-wide flows (OVS agent + firewall initialisation).
  add(0, 65535, 'vlan_tci=0x0fff/0x1fff', 'drop');
  add(0, 2, `in_port=${phys}`, 'drop');
  add(0, 0, '', go(60));
  for (const mac of REMOTE_DVR_MACS) {
    add(0, 4, `in_port=${phys},dl_src=${mac}`, go(2));
    add(0, 2, `in_port=${tun},dl_src=${mac}`, go(1));
  }
  add(0, 5, `in_port=${phys},dl_dst=${DVR_MAC}`, go(4));
  add(0, 5, `in_port=${tun},dl_dst=${DVR_MAC}`, go(3));
  add(1, 1, '', 'drop');
  add(2, 1, '', 'drop');
  add(23, 0, '', 'drop');
  add(24, 0, '', 'drop');
  add(25, 0, '', 'drop');
  add(60, 3, '', 'NORMAL');
  add(71, 110, 'ct_state=+trk', 'ct_clear,resubmit(,71)');
  add(71, 0, '', 'drop');
  add(72, 50, 'ct_state=+inv+trk', 'resubmit(,93)');
  add(72, 0, '', 'drop');
  add(73, 0, '', 'drop');
  add(81, 0, '', 'drop');
  add(82, 50, 'ct_state=+inv+trk', 'resubmit(,93)');
  add(82, 0, '', 'drop');
  add(91, 1, '', 'resubmit(,94)');
  add(92, 0, '', 'drop');
  add(93, 0, '', 'drop');
  add(94, 1, '', 'NORMAL');

  const target = options.flows ?? 0;
  const wanted = options.ports ?? 0;
  for (let i = 0; ports.length < wanted || count < target; i++) {
    const p = makePort(i, perNet, options.allowedAddressPairs ?? 0);
    ports.push(p);
    const v = p.vlan;
    const reg5 = `reg5=0x${p.ofport.toString(16)}`;
    const vlanHex = `0x${v.toString(16)}`;
    const firstOfNet = i % perNet === 0;
    if (firstOfNet) {
      // Local VLAN of the network (provider side) and the DVR router port of the network.
      // The first network is flat on the provider uplink (untagged); the others are provider
      // VLANs 100+N translated to their local VLAN (one flow per network, as the agent installs).
      if (v === 1) add(0, 3, `in_port=${phys},vlan_tci=0x0000/0x1fff`, native ? `push_vlan:0x8100,set_field:${0x1000 | v}->vlan_vid,${go(60)}` : `mod_vlan_vid:${v},resubmit(,60)`);
      else add(0, 3, `in_port=${phys},dl_vlan=${100 + v}`, native ? `set_field:${0x1000 | v}->vlan_vid,${go(60)}` : `mod_vlan_vid:${v},resubmit(,60)`);
      add(1, 20, `dl_vlan=${v},dl_dst=${p.mac}`, native ? `set_field:${DVR_MAC}->eth_src,${go(60)}` : `mod_dl_src:${DVR_MAC},resubmit(,60)`);
      add(3, 5, `dl_vlan=${v},dl_dst=${DVR_MAC}`, `mod_dl_dst:${p.mac},strip_vlan,${out(p)}`);
    }
    // ARP / neighbour advertisement spoofing protection (tables 0, 24, 25).
    add(0, 10, `icmp6,${inPort(p)},icmp_type=136`, go(24));
    add(0, 10, `arp,${inPort(p)}`, go(24));
    add(0, 9, inPort(p), go(25));
    add(24, 2, `icmp6,${inPort(p)},icmp_type=136,nd_target=${p.ipv6LinkLocal}`, go(60));
    add(24, 2, `arp,${inPort(p)},arp_spa=${p.ip}`, go(25));
    add(25, 2, `${inPort(p)},dl_src=${p.mac}`, go(60));
    for (const vip of p.allowedIps) add(24, 2, `arp,${inPort(p)},arp_spa=${vip}`, go(25));
    // Table 60: classify into reg5 (port) and reg6 (network).
    add(60, 100, inPort(p), `load:0x${p.ofport.toString(16)}->NXM_NX_REG5[],load:${vlanHex}->NXM_NX_REG6[],resubmit(,71)`);
    add(60, 90, `dl_vlan=${v},dl_dst=${p.mac}`, `load:0x${p.ofport.toString(16)}->NXM_NX_REG5[],load:${vlanHex}->NXM_NX_REG6[],strip_vlan,resubmit(,81)`);
    add(60, 20, `dl_vlan=${v},dl_dst=${p.mac}`, `strip_vlan,${out(p)}`);
    // Table 71: egress anti-spoofing and DHCP.
    add(71, 95, `arp,${reg5},${inPort(p)},dl_src=${p.mac},arp_spa=${p.ip}`, 'resubmit(,94)');
    add(71, 65, `ip,${reg5},${inPort(p)},dl_src=${p.mac},nw_src=${p.ip}`, 'ct(table=72,zone=NXM_NX_REG6[0..15])');
    for (const vip of p.allowedIps) {
      add(71, 95, `arp,${reg5},${inPort(p)},dl_src=${p.mac},arp_spa=${vip}`, 'resubmit(,94)');
      add(71, 65, `ip,${reg5},${inPort(p)},dl_src=${p.mac},nw_src=${vip}`, 'ct(table=72,zone=NXM_NX_REG6[0..15])');
    }
    for (const t of [130, 133, 135]) add(71, 95, `icmp6,${reg5},${inPort(p)},dl_src=${p.mac},ipv6_src=${p.ipv6LinkLocal},icmp_type=${t}`, 'resubmit(,94)');
    add(71, 95, `icmp6,${reg5},${inPort(p)},icmp_type=136,nd_target=${p.ipv6LinkLocal}`, 'resubmit(,94)');
    add(71, 80, `udp,${reg5},${inPort(p)},dl_src=${p.mac},nw_src=${p.ip},tp_src=68,tp_dst=67`, 'resubmit(,73)');
    add(71, 80, `udp,${reg5},${inPort(p)},dl_src=${p.mac},nw_src=0.0.0.0,tp_src=68,tp_dst=67`, 'resubmit(,73)');
    add(71, 80, `udp6,${reg5},${inPort(p)},dl_src=${p.mac},ipv6_src=${p.ipv6LinkLocal},tp_src=546,tp_dst=547`, 'resubmit(,73)');
    add(71, 70, `udp,${reg5},${inPort(p)},tp_src=67,tp_dst=68`, 'resubmit(,93)');
    add(71, 70, `udp6,${reg5},${inPort(p)},tp_src=547,tp_dst=546`, 'resubmit(,93)');
    add(71, 70, `icmp6,${reg5},${inPort(p)},icmp_type=134`, 'resubmit(,93)');
    add(71, 65, `ipv6,${reg5},${inPort(p)},dl_src=${p.mac},ipv6_src=${p.ipv6LinkLocal}`, 'ct(table=72,zone=NXM_NX_REG6[0..15])');
    add(71, 10, `${reg5},${inPort(p)}`, 'ct_clear,resubmit(,93)');
    // Table 72: egress security group rules (allow all egress) and conntrack state.
    for (const proto of ['ipv6', 'ip']) {
      add(72, 74, `ct_state=+est-rel-rpl,${proto},${reg5}`, 'resubmit(,73)');
      add(72, 74, `ct_state=+new-est,${proto},${reg5}`, 'resubmit(,73)');
    }
    add(72, 50, `ct_mark=0x1,${reg5}`, 'resubmit(,93)');
    add(72, 50, `ct_state=+est-rel+rpl,ct_zone=${v},ct_mark=0,${reg5}`, 'resubmit(,94)');
    add(72, 50, `ct_state=-new-est+rel-inv,ct_zone=${v},ct_mark=0,${reg5}`, 'resubmit(,94)');
    add(72, 40, `ct_state=-est,${reg5}`, 'resubmit(,93)');
    for (const proto of ['ip', 'ipv6']) add(72, 40, `ct_state=+est,${proto},${reg5}`, 'ct(commit,zone=NXM_NX_REG6[0..15],exec(load:0x1->NXM_NX_CT_MARK[]))');
    // Table 73: accept or ingress.
    add(73, 100, `reg6=${vlanHex},dl_dst=${p.mac}`, `load:0x${p.ofport.toString(16)}->NXM_NX_REG5[],resubmit(,81)`);
    for (const proto of ['ip', 'ipv6']) add(73, 90, `ct_state=+new-est,${proto},${reg5}`, 'ct(commit,zone=NXM_NX_REG6[0..15]),resubmit(,91)');
    add(73, 80, reg5, 'resubmit(,94)');
    // Table 81: ingress base.
    add(81, 100, `arp,${reg5}`, out(p));
    for (const t of [130, 135, 136]) add(81, 100, `icmp6,${reg5},icmp_type=${t}`, out(p));
    add(81, 95, `udp,${reg5},tp_src=67,tp_dst=68`, out(p));
    add(81, 95, `udp6,${reg5},tp_src=547,tp_dst=546`, out(p));
    for (const proto of ['ip', 'ipv6']) add(81, 90, `ct_state=-trk,${proto},${reg5}`, 'ct(table=82,zone=NXM_NX_REG6[0..15])');
    add(81, 80, `ct_state=+trk,${reg5}`, 'resubmit(,82)');
    // Table 82: ingress security group rules (ssh, http, https, icmp) and the remote-group conjunction.
    for (const port of [22, 80, 443]) {
      add(82, 77, `ct_state=+est-rel-rpl,tcp,${reg5},tp_dst=${port}`, out(p));
      add(82, 77, `ct_state=+new-est,tcp,${reg5},tp_dst=${port}`, `ct(commit,zone=NXM_NX_REG6[0..15]),${out(p)},resubmit(,92)`);
    }
    add(82, 75, `ct_state=+est-rel-rpl,icmp,${reg5}`, out(p));
    add(82, 75, `ct_state=+new-est,icmp,${reg5}`, `ct(commit,zone=NXM_NX_REG6[0..15]),${out(p)},resubmit(,92)`);
    add(82, 70, `ct_state=+est-rel-rpl,ip,${reg5}`, `conjunction(${p.conjId},2/2)`);
    add(82, 70, `ct_state=+new-est,ip,${reg5}`, `conjunction(${p.conjId + 1},2/2)`);
    add(82, 70, `conj_id=${p.conjId},ct_state=+est-rel-rpl,ip,${reg5}`, `load:0x${p.conjId.toString(16)}->NXM_NX_REG7[],${out(p)}`);
    add(82, 70, `conj_id=${p.conjId + 1},ct_state=+new-est,ip,${reg5}`, `load:0x${(p.conjId + 1).toString(16)}->NXM_NX_REG7[],ct(commit,zone=NXM_NX_REG6[0..15]),${out(p)},resubmit(,92)`);
    // Every member of the network's security group may reach every other (remote group rule).
    add(82, 70, `ct_state=+est-rel-rpl,ip,reg6=${vlanHex},nw_src=${p.ip}`, `conjunction(${p.conjId},1/2)`);
    add(82, 70, `ct_state=+new-est,ip,reg6=${vlanHex},nw_src=${p.ip}`, `conjunction(${p.conjId + 1},1/2)`);
    add(82, 50, `ct_mark=0x1,${reg5}`, 'resubmit(,93)');
    add(82, 50, `ct_state=+est-rel+rpl,ct_zone=${v},ct_mark=0,${reg5}`, out(p));
    add(82, 50, `ct_state=-new-est+rel-inv,ct_zone=${v},ct_mark=0,${reg5}`, out(p));
    add(82, 40, `ct_state=-est,${reg5}`, 'resubmit(,93)');
    for (const proto of ['ip', 'ipv6']) add(82, 40, `ct_state=+est,${proto},${reg5}`, 'ct(commit,zone=NXM_NX_REG6[0..15],exec(load:0x1->NXM_NX_CT_MARK[]))');
    // Accepted egress directly to a local port.
    add(94, 12, `reg6=${vlanHex},dl_dst=${p.mac}`, out(p));
  }

  const lines: string[] = [];
  if (options.header ?? true) lines.push('NXST_FLOW reply (xid=0x4):');
  const uptime = 63605;
  for (const table of [...byTable.keys()].sort((a, b) => a - b)) {
    for (const f of byTable.get(table) ?? []) {
      const duration = (uptime - Math.floor(rnd() * 60000) + rnd()).toFixed(3);
      const packets = rnd() < 0.6 ? 0 : Math.floor(rnd() * 5000);
      const bytes = packets * (60 + Math.floor(rnd() * 1400));
      const idle = packets === 0 ? Math.floor(Number(duration)) : Math.floor(rnd() * 600);
      const match = f.match === '' ? `priority=${f.priority}` : `priority=${f.priority},${f.match}`;
      lines.push(` cookie=${COOKIE}, duration=${duration}s, table=${f.table}, n_packets=${packets}, n_bytes=${bytes}, idle_age=${idle}, ${match} actions=${f.actions}`);
    }
  }
  return { text: `${lines.join('\n')}\n`, flowCount: count, ports, dvrMac: DVR_MAC };
}
