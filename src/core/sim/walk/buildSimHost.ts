import type { Link } from '../../iproute/Link';
import { withNeutronEbtablesPolicies } from '../../openstack/withNeutronEbtablesPolicies';
import type { HostSnapshot, NamespaceSnapshot } from '../../snapshot/HostSnapshot';
import { buildOvsBridgeView, type OvsBridgeView, type OvsFdbView, type OvsPortView } from '../ovs/OvsBridgeView';
import { neighbourKey, type SimDevice, type SimHost, type SimLinuxBridge, type SimNamespace } from './SimHost';

/**
 * Joins a snapshot's per-namespace link lists, Linux bridge ports and OVS port tables into the
 * device graph the packet walk follows. Veth peers are paired by their mutual `@ifN` indexes
 * across namespaces (a `link-netnsid` is relative to the namespace that prints it, so the
 * mutual index is the reliable key).
 */
export function buildSimHost(snapshot: HostSnapshot): SimHost {
  // A snapshot is read-only: its graph (and the flow compilation in it) is built once, however
  // many traces, reports and views ask for it.
  let host = BUILT.get(snapshot);
  if (!host) {
    host = build(snapshot);
    BUILT.set(snapshot, host);
  }
  return host;
}

const BUILT = new WeakMap<HostSnapshot, SimHost>();

function build(snapshot: HostSnapshot): SimHost {
  const gaps: string[] = [];
  const ovsPortBridge = new Map<string, string>();
  for (const b of snapshot.ovs?.bridges ?? []) for (const p of b.ports) for (const i of p.interfaces) ovsPortBridge.set(i.name, b.name);
  for (const b of snapshot.ovsBridges) for (const p of b.show?.ports ?? []) if (!ovsPortBridge.has(p.name)) ovsPortBridge.set(p.name, b.name);

  const brctlPorts = new Map<string, string>();
  for (const b of snapshot.brctl) for (const i of b.interfaces) brctlPorts.set(i, b.name);

  // Index every link by (namespace, ifindex) to pair veths.
  const byIndex = new Map<string, { ns: string; link: Link }[]>();
  for (const ns of snapshot.namespaces) for (const l of ns.links) if (l.index !== undefined) {
    const k = String(l.index);
    let list = byIndex.get(k);
    if (!list) byIndex.set(k, (list = []));
    list.push({ ns: ns.name, link: l });
  }

  const namespaces = new Map<string, SimNamespace>();
  for (const ns of snapshot.namespaces) namespaces.set(ns.name, buildNamespace(ns, snapshot, ovsPortBridge, brctlPorts, byIndex));
  // An OVS port with no kernel link in any namespace still needs a device to land on (VM taps of a host whose `ip link` is missing).
  if (!snapshot.namespaces.some((n) => n.links.length > 0)) gaps.push('no `ip link`/`ip addr` in the snapshot: devices, veth peers and Linux bridges are unknown');

  const ovs = new Map<string, OvsBridgeView>();
  for (const b of snapshot.ovsBridges) {
    const ports = new Map<string, { -readonly [K in keyof OvsPortView]: OvsPortView[K] }>();
    for (const p of b.vsctl?.ports ?? []) {
      for (const i of p.interfaces) {
        const port: { -readonly [K in keyof OvsPortView]: OvsPortView[K] } = { name: i.name, type: i.type, options: i.options };
        if (i.options['peer']) port.peer = i.options['peer'];
        if (p.tag !== undefined) port.tag = p.tag;
        if (p.trunks.length > 0) port.trunks = p.trunks;
        ports.set(i.name, port);
      }
    }
    for (const p of b.show?.ports ?? []) {
      const existing = ports.get(p.name);
      if (existing) existing.ofport = p.ofport;
      else ports.set(p.name, { name: p.name, ofport: p.ofport, type: p.ofport === 65534 ? 'internal' : '', ...(p.config.includes('NO_FLOOD') ? { noFlood: true } : {}) });
      if (existing && p.config.includes('NO_FLOOD')) existing.noFlood = true;
    }
    if (!b.show) gaps.push(`no \`ovs-ofctl show ${b.name}\`: OpenFlow port numbers of ${b.name} are unknown`);
    if (!b.flows) gaps.push(`no \`ovs-ofctl dump-flows ${b.name}\``);
    const fdb: OvsFdbView[] | undefined = b.fdb?.entries.flatMap((e) => {
      const ofport = e.ofport ?? [...ports.values()].find((p) => p.name === e.port)?.ofport;
      return ofport === undefined ? [] : [{ ofport, vlan: e.vlan, mac: e.mac }];
    });
    const input = { name: b.name, ports: [...ports.values()], ...(b.flows ? { flows: b.flows.flows } : {}), ...(fdb ? { fdb } : {}), ...(b.vsctl?.failMode ? { failMode: b.vsctl.failMode } : {}) };
    ovs.set(b.name, buildOvsBridgeView(input));
  }
  const host: { -readonly [K in keyof SimHost]: SimHost[K] } = { namespaces, ovs, gaps };
  if (snapshot.ebtables) {
    const eb = withNeutronEbtablesPolicies(snapshot.ebtables);
    host.ebtables = eb.ruleset;
    if (eb.notes.size > 0) host.ebtablesPolicyNotes = eb.notes;
  }
  return host;
}

function buildNamespace(ns: NamespaceSnapshot, snapshot: HostSnapshot, ovsPortBridge: ReadonlyMap<string, string>,
  brctlPorts: ReadonlyMap<string, string>, byIndex: ReadonlyMap<string, { ns: string; link: Link }[]>): SimNamespace {
  const bridgeNames = new Set(ns.links.filter((l) => l.kind === 'bridge').map((l) => l.name));
  for (const b of snapshot.brctl) if (ns.name === '') bridgeNames.add(b.name);
  const portMaster = new Map<string, string>();
  for (const p of ns.bridgePorts) if (p.master) portMaster.set(p.name, p.master);

  const devices = new Map<string, SimDevice>();
  for (const l of ns.links) {
    const dev: { -readonly [K in keyof SimDevice]: SimDevice[K] } = {
      name: l.name,
      netns: ns.name,
      addresses: l.addresses.map((a) => a.cidr),
      up: l.flags.includes('UP') || l.state === 'UP' || l.state === 'UNKNOWN',
      raw: l.raw,
      span: l.span,
    };
    if (l.kind) dev.kind = l.kind;
    // Without `-d`, `name@peer` is a veth pair in practice (VLAN devices carry a dot: eth0.100@eth0).
    else if (l.peerName !== undefined && !l.name.includes('.')) dev.kind = 'veth';
    if (l.mac !== undefined) dev.mac = l.mac;
    const master = l.master ?? portMaster.get(l.name) ?? (ns.name === '' ? brctlPorts.get(l.name) : undefined);
    if (master && master !== 'ovs-system' && (bridgeNames.has(master) || l.slaveKind === 'bridge_slave' || portMaster.has(l.name) || brctlPorts.has(l.name))) dev.linuxBridge = master;
    const ovsBridge = ovsPortBridge.get(l.name);
    if (ovsBridge && !dev.linuxBridge) dev.ovsBridge = ovsBridge;
    const peer = findPeer(ns.name, l, byIndex);
    if (peer) dev.peer = peer;
    devices.set(l.name, dev);
  }
  // OVS internal/system ports seen only in `ovs-vsctl show` live in the root namespace as far as we know.
  if (ns.name === '') {
    for (const [name, bridge] of ovsPortBridge) {
      if (devices.has(name) || snapshot.namespaces.some((n) => n.links.some((l) => l.name === name))) continue;
      const iface = snapshot.ovs?.bridges.find((b) => b.name === bridge)?.ports.flatMap((p) => p.interfaces).find((i) => i.name === name);
      const dev: SimDevice = { name, netns: '', ovsBridge: bridge, addresses: [], up: true, ...(iface?.type ? { kind: iface.type === 'internal' ? 'openvswitch' : iface.type } : {}) };
      devices.set(name, dev);
    }
  }

  const bridges = new Map<string, SimLinuxBridge>();
  for (const name of bridgeNames) {
    const ports = [...devices.values()].filter((d) => d.linuxBridge === name).map((d) => d.name);
    const fdb = ns.bridgeFdb?.filter((e) => e.master === name && !e.self && e.state !== 'permanent').map((e) => ({ mac: e.mac, port: e.dev }));
    const stpState = ns.links.find((l) => l.name === name)?.bridge?.stpState;
    const stp = stpState !== undefined ? stpState !== 0 : ns.name === '' ? snapshot.brctl.find((b) => b.name === name)?.stp : undefined;
    bridges.set(name, { name, netns: ns.name, ports, ...(fdb ? { fdb } : {}), ...(stp !== undefined ? { stp } : {}) });
  }
  const sysctls = new Map<string, string>();
  for (const s of ns.sysctls) sysctls.set(s.key, s.value);
  // br_netfilter and forwarding sysctls are host-wide knobs collectors read in the root namespace only.
  if (ns.name !== '') {
    const root = snapshot.namespaces.find((n) => n.name === '');
    for (const s of root?.sysctls ?? []) if (s.key.startsWith('net.bridge.') && !sysctls.has(s.key)) sysctls.set(s.key, s.value);
  }
  const out: { -readonly [K in keyof SimNamespace]: SimNamespace[K] } = { name: ns.name, devices, bridges, sysctls };
  if (ns.routes) out.routes = ns.routes;
  if (ns.rules) out.rules = ns.rules;
  if (ns.iptables) out.iptables = ns.iptables;
  if (ns.ip6tables) out.ip6tables = ns.ip6tables;
  if (ns.ipsets) out.ipsets = new Map(ns.ipsets.map((s) => [s.name, s]));
  const resolved = ns.neighbours.filter((n) => n.dev !== undefined && n.lladdr !== undefined && !n.states.some((st) => st === 'INCOMPLETE' || st === 'FAILED'));
  if (resolved.length > 0) out.neighbours = new Map(resolved.map((n) => [neighbourKey(n.dev!, n.ip), n.lladdr!]));
  return out;
}

function findPeer(nsName: string, l: Link, byIndex: ReadonlyMap<string, { ns: string; link: Link }[]>): { name: string; netns: string } | undefined {
  if (!l.peerName) return undefined;
  const m = /^if(\d+)$/.exec(l.peerName);
  if (!m) return { name: l.peerName, netns: nsName };
  // Interface indexes repeat across namespaces: only a link whose own peer points back at us is
  // our peer. None means the other end is outside the snapshot (a guest or an uncollected namespace).
  const candidates = (byIndex.get(m[1] ?? '') ?? []).filter((c) => c.link !== l && l.index !== undefined && c.link.peerName === `if${l.index}`);
  const pick = candidates.length === 1 ? candidates[0] : candidates.find((c) => c.ns !== nsName);
  return pick ? { name: pick.link.name, netns: pick.ns } : undefined;
}
