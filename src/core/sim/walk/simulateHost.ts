import { formatIp, type IpAddress } from '../../net/IpAddress';
import { BROADCAST_MAC, formatMac, isMulticastMac } from '../../net/MacAddress';
import { runEbtablesChain } from '../ebtables/runEbtablesChain';
import type { EbtablesEvalContext } from '../ebtables/matchEbtablesRule';
import type { IptablesRuleset } from '../../iptables/IptablesModel';
import type { IptablesEvalContext } from '../iptables/IptablesEvalContext';
import { runIptablesHook, type NetfilterHook } from '../iptables/runIptablesHook';
import { ipsetContains } from '../ipset/ipsetContains';
import { portByName, portByOfport, type OvsBridgeView, type OvsPortView } from '../ovs/OvsBridgeView';
import { runOvsPipeline, type CtAssumption } from '../ovs/runOvsPipeline';
import { isArp, isIpv4, isIpv6, readField, withField, type Packet } from '../Packet';
import { lookupRoute } from '../routing/lookupRoute';
import type { TraceEgress, TraceResult, TraceStep, Verdict } from '../TraceResult';
import type { WalkResult } from '../walkChains';
import { findDevice, neighbourKey, type SimDevice, type SimHost, type SimLinuxBridge, type SimNamespace } from './SimHost';
import { isOvnLoopbackCheck } from '../../openstack/isOvnLoopbackCheck';

/**
 * Where a packet starts. `device`: sent by whatever is behind the device (the VM behind a tap,
 * the namespace behind an OVS internal port) into the host. `stack`: received by the IP stack of
 * the device's namespace, as traffic from the outside world arriving on that interface is.
 */
export type TraceStart =
  | { readonly kind: 'device'; readonly device: string; readonly netns?: string }
  | { readonly kind: 'stack'; readonly device: string; readonly netns?: string }
  | { readonly kind: 'ovsPort'; readonly bridge: string; readonly port: string };

export interface TraceOptions {
  readonly ct: CtAssumption;
}

interface Terminal {
  readonly verdict: Verdict;
  readonly step?: TraceStep;
  readonly reason?: string;
  /** The packet just ended somewhere uninteresting (a flooded copy nobody takes): a rule's drop elsewhere explains more. */
  readonly weak?: boolean;
  /**
   * A copy dropped by a flow while other copies left the bridge (OVN's per-port egress pipeline
   * after a flood): it explains less than a drop that ended the whole walk there, more than a weak one.
   */
  readonly branch?: boolean;
}

interface Walk {
  readonly host: SimHost;
  readonly opts: TraceOptions;
  readonly steps: TraceStep[];
  readonly egress: TraceEgress[];
  readonly terminals: Terminal[];
  readonly assumptions: Set<string>;
  readonly notes: string[];
  readonly reached: { device: string; netns: string }[];
  /** `netns|family|src|dst`: NAT mappings of the packet's connection already set up (once per manip type). */
  readonly natBound: Set<string>;
  hops: number;
}

const MAX_HOPS = 64;
const TUNNEL_TYPES = new Set(['vxlan', 'gre', 'geneve', 'stt', 'erspan', 'ip6gre', 'gretap', 'lisp']);

/**
 * Follows one packet through a whole host, from where it enters to every place it leaves or is
 * delivered: Linux bridges (with ebtables and br_netfilter iptables), veth pairs across
 * namespaces, routing with policy rules and NAT in each namespace, and OVS pipelines with patch
 * ports. The verdict and its explanation are produced by this one walk.
 */
export function simulateHost(host: SimHost, start: TraceStart, packet: Packet, opts: TraceOptions): TraceResult {
  const w: Walk = { host, opts, steps: [], egress: [], terminals: [], assumptions: new Set(), notes: [], reached: [], natBound: new Set(), hops: 0 };
  if (start.kind === 'device' || start.kind === 'stack') {
    const dev = findDevice(host, start.device, start.netns);
    if (!dev) {
      return finish(w, { verdict: 'indeterminate', reason: `device ${start.device}${start.netns ? ` in namespace ${start.netns}` : ''} is not in the snapshot` });
    }
    if (start.kind === 'stack') l3Ingress(w, dev, packet, 0, undefined);
    else ingress(w, dev, packet, 0);
  } else {
    const bridge = host.ovs.get(start.bridge);
    const port = bridge ? portByName(bridge, start.port) ?? (/^\d+$/.test(start.port) ? portByOfport(bridge, Number(start.port)) : undefined) : undefined;
    if (!bridge || !port) {
      return finish(w, { verdict: 'indeterminate', reason: bridge ? `port ${start.port} is not on ${start.bridge}` : `OVS bridge ${start.bridge} is not in the snapshot` });
    }
    ovsIngress(w, bridge, port, packet, 0);
  }
  return finish(w);
}

function finish(w: Walk, extra?: Terminal): TraceResult {
  if (extra) w.terminals.push(extra);
  let verdict: Verdict;
  let decided: Terminal | undefined;
  const loop = w.terminals.find((t) => t.verdict === 'loop');
  const indeterminate = w.terminals.find((t) => t.verdict === 'indeterminate');
  const isDrop = (t: Terminal): boolean => t.verdict !== 'accepted' && t.verdict !== 'indeterminate' && t.verdict !== 'loop';
  const firm = (t: Terminal): boolean => isDrop(t) && !t.weak;
  const ranked = [...w.terminals.filter((t) => firm(t) && !t.branch), ...w.terminals.filter((t) => firm(t) && t.branch)];
  const drop = ranked[0] ?? w.terminals.find(isDrop);
  if (w.egress.length > 0) {
    verdict = 'accepted';
    decided = w.terminals.find((t) => t.verdict === 'accepted');
  } else if (loop) {
    verdict = 'loop';
    decided = loop;
  } else if (indeterminate) {
    verdict = 'indeterminate';
    decided = indeterminate;
  } else if (drop) {
    verdict = drop.verdict;
    decided = drop;
  } else {
    verdict = 'indeterminate';
    decided = { verdict, reason: 'the walk ended without reaching any exit' };
  }
  const notes = [...w.notes];
  for (const t of w.terminals) if (t.reason && t.verdict === 'indeterminate' && !notes.includes(t.reason)) notes.push(t.reason);
  if (decided?.reason && !notes.includes(decided.reason)) notes.push(decided.reason);
  const result: { -readonly [K in keyof TraceResult]: TraceResult[K] } = {
    verdict,
    steps: w.steps,
    egress: w.egress,
    drops: ranked.map((t) => ({ verdict: t.verdict, ...(t.step ? { step: t.step } : {}), ...(t.branch ? { branch: true } : {}) })),
    reached: w.reached,
    assumptions: [...w.assumptions],
    notes,
  };
  if (decided?.step) result.decidedBy = decided.step;
  return result;
}

function deviceStep(w: Walk, dev: SimDevice, depth: number, action: string, because: string[] = [], note?: string): TraceStep {
  const s: { -readonly [K in keyof TraceStep]: TraceStep[K] } = { layer: 'device', netns: dev.netns, action, because, depth };
  if (dev.raw !== undefined) s.raw = dev.raw;
  if (dev.span) s.span = dev.span;
  if (note) s.note = note;
  w.steps.push(s);
  return s;
}

/** Every hop (device, OVS bridge, namespace stack) spends one unit; running out means a forwarding loop. */
function hopBudget(w: Walk, depth: number, dev?: SimDevice): boolean {
  w.hops++;
  if (w.hops <= MAX_HOPS && depth <= 4 * MAX_HOPS) return true;
  const reason = `more than ${MAX_HOPS} hops: a forwarding loop`;
  const step = dev ? deviceStep(w, dev, depth, 'hop limit reached', [], reason) : undefined;
  w.terminals.push(step ? { verdict: 'loop', step, reason } : { verdict: 'loop', reason });
  return false;
}

/** A frame arrives at `dev` (from a VM, a veth peer, or the wire). */
function ingress(w: Walk, dev: SimDevice, packet: Packet, depth: number): void {
  if (!hopBudget(w, depth, dev)) return;
  w.reached.push({ device: dev.name, netns: dev.netns });
  if (dev.ovsBridge) {
    const bridge = w.host.ovs.get(dev.ovsBridge);
    const port = bridge ? portByName(bridge, dev.name) : undefined;
    if (bridge && port) {
      deviceStep(w, dev, depth, `${dev.name} is port ${port.ofport ?? '?'} of OVS bridge ${bridge.name}`);
      ovsIngress(w, bridge, port, packet, depth + 1);
      return;
    }
  }
  if (dev.linuxBridge) {
    const ns = w.host.namespaces.get(dev.netns);
    const bridge = ns?.bridges.get(dev.linuxBridge);
    if (ns && bridge) {
      deviceStep(w, dev, depth, `${dev.name} is a port of Linux bridge ${bridge.name}`);
      bridgeFrame(w, ns, bridge, dev, packet, depth + 1);
      return;
    }
  }
  l3Ingress(w, dev, packet, depth, undefined);
}

function ovsIngress(w: Walk, bridge: OvsBridgeView, port: OvsPortView, packet: Packet, depth: number): void {
  if (!hopBudget(w, depth)) return;
  if (!bridge.hasFlows) {
    w.terminals.push({ verdict: 'indeterminate', reason: `no flow dump of OVS bridge ${bridge.name} in the snapshot` });
    return;
  }
  if (port.ofport === undefined) {
    w.terminals.push({ verdict: 'indeterminate', reason: `the OpenFlow port number of ${port.name} on ${bridge.name} is unknown (collect \`ovs-ofctl show ${bridge.name}\`)` });
    return;
  }
  const r = runOvsPipeline(bridge, port.ofport, packet, { bridges: w.host.ovs, ct: w.opts.ct, depth });
  w.steps.push(...r.steps);
  for (const a of r.assumptions) w.assumptions.add(a);
  if (r.indeterminate) {
    w.terminals.push({ verdict: r.loop ? 'loop' : 'indeterminate', reason: r.indeterminate, ...(r.lastDecision ? { step: r.lastDecision } : {}) });
    return;
  }
  if (r.sentToController && r.outputs.length === 0) w.notes.push(`${bridge.name}: the packet is sent to the OpenFlow controller`);
  if (r.outputs.length === 0) {
    const verdict: Verdict = r.missed ? 'noFlowMatch' : 'dropped';
    w.terminals.push(r.lastDecision ? { verdict, step: r.lastDecision } : { verdict });
    return;
  }
  const last = r.steps[r.steps.length - 1];
  for (const out of r.outputs) {
    const ovsBridge = w.host.ovs.get(out.bridge) ?? bridge;
    ovsOutput(w, ovsBridge, out.port, out.packet, depth + 1, last);
  }
  // The copies that went nowhere, except OVN's own loopback check (a copy for the port it came
  // from, which OVS would never send back anyway).
  for (const step of r.drops) if (!isOvnLoopbackCheck(step)) w.terminals.push({ verdict: 'dropped', step, branch: true });
}

/** OVS sends the packet out of `port`. */
function ovsOutput(w: Walk, bridge: OvsBridgeView, port: OvsPortView, packet: Packet, depth: number, via: TraceStep | undefined): void {
  if (TUNNEL_TYPES.has(port.type)) {
    const remote = port.options?.['remote_ip'];
    w.egress.push({ kind: 'tunnel', device: port.name, bridge: bridge.name, detail: `${port.type} tunnel${remote ? ` to ${remote}` : ''}, tun_id=0x${readField(packet, 'tun_id').toString(16)}` });
    w.terminals.push(via ? { verdict: 'accepted', step: via } : { verdict: 'accepted' });
    return;
  }
  const dev = findDevice(w.host, port.name);
  if (!dev) {
    // An OVS port without a kernel device in the snapshot: a VM tap on a host whose `ip link` was not collected.
    const kind: TraceEgress['kind'] = /^(tap|vnet)/.test(port.name) ? 'vm' : 'leftHost';
    w.egress.push({ kind, device: port.name, bridge: bridge.name, detail: `out of OVS port ${port.name}` });
    w.terminals.push(via ? { verdict: 'accepted', step: via } : { verdict: 'accepted' });
    return;
  }
  if (port.type === 'internal' || port.ofport === 65534) {
    deviceStep(w, dev, depth, `delivered to OVS internal port ${dev.name}${dev.netns ? ` in namespace ${dev.netns}` : ''}`);
    l3Ingress(w, dev, packet, depth + 1, undefined);
    return;
  }
  transmitOnWire(w, dev, packet, depth, via);
}

/** The frame leaves through `dev` onto whatever is on its other side. */
function transmitOnWire(w: Walk, dev: SimDevice, packet: Packet, depth: number, via: TraceStep | undefined): void {
  if (dev.kind === 'veth' && dev.peer) {
    const peer = findDevice(w.host, dev.peer.name, dev.peer.netns);
    if (peer) {
      deviceStep(w, dev, depth, `${dev.name} -> veth peer ${peer.name}${peer.netns !== dev.netns ? ` in namespace ${peer.netns || '(root)'}` : ''}`);
      ingress(w, peer, packet, depth + 1);
      return;
    }
    w.terminals.push({ verdict: 'indeterminate', reason: `veth ${dev.name}: its peer ${dev.peer.name} is not in the snapshot` });
    return;
  }
  if (dev.kind === 'veth') {
    // The far end is outside the snapshot: a guest, or a namespace that was not collected.
    const step = deviceStep(w, dev, depth, `leaves through veth ${dev.name}; its peer is outside the snapshot (a guest or an uncollected namespace)`);
    w.egress.push({ kind: 'delivered', device: dev.name, netns: dev.netns, detail: 'veth peer outside the snapshot' });
    w.terminals.push({ verdict: 'accepted', step: via ?? step });
    return;
  }
  const kind: TraceEgress['kind'] = dev.kind === 'tun' || /^(tap|vnet)/.test(dev.name) ? 'vm' : dev.kind && TUNNEL_TYPES.has(dev.kind) ? 'tunnel' : 'leftHost';
  const step = deviceStep(w, dev, depth, kind === 'vm' ? `delivered to the VM behind ${dev.name}` : `leaves the host through ${dev.name}`);
  w.egress.push({ kind, device: dev.name, netns: dev.netns });
  w.terminals.push({ verdict: 'accepted', step: via ?? step });
}

const USES_PHYSDEV = new WeakMap<IptablesRuleset, boolean>();

function brNetfilterOn(w: Walk, ns: SimNamespace, family: 4 | 6): boolean {
  const key = family === 4 ? 'net.bridge.bridge-nf-call-iptables' : 'net.bridge.bridge-nf-call-ip6tables';
  const v = ns.sysctls.get(key);
  if (v !== undefined) return v.trim() === '1';
  const rs = family === 4 ? ns.iptables : ns.ip6tables;
  let usesPhysdev = rs ? USES_PHYSDEV.get(rs) : false;
  if (rs && usesPhysdev === undefined) {
    // A scan of every rule, once per ruleset rather than at every bridge crossing.
    usesPhysdev = rs.tables.some((t) => t.chains.some((c) => c.rules.some((r) => r.matches.some((m) => m.module === 'physdev'))));
    USES_PHYSDEV.set(rs, usesPhysdev);
  }
  usesPhysdev ??= false;
  w.assumptions.add(`${key} was not collected; assumed ${usesPhysdev ? '1 (the ruleset uses physdev)' : '0'}`);
  return usesPhysdev;
}

function ipFamily(p: Packet): 4 | 6 | undefined {
  return isIpv4(p) ? 4 : isIpv6(p) ? 6 : undefined;
}

function iptablesCtx(w: Walk, family: 4 | 6, extra: Partial<IptablesEvalContext>, ns: SimNamespace): IptablesEvalContext {
  const sets = ns.ipsets;
  return {
    family,
    bridged: false,
    ct: w.opts.ct,
    isLocal: (ip) => isLocalAddress(ns, ip),
    ...(sets ? { ipsetContains: (name, dims, p) => { const set = sets.get(name); return set ? ipsetContains(set, dims, p) : undefined; } } : {}),
    ...extra,
  };
}

/** Runs a netfilter hook and records its steps; returns the packet to continue with, or undefined when it was dropped. */
function hook(w: Walk, ns: SimNamespace, hookName: NetfilterHook, packet: Packet, ctx: IptablesEvalContext, depth: number): Packet | undefined {
  const rs = ctx.family === 4 ? ns.iptables : ns.ip6tables;
  if (!rs) {
    // Nothing to run, but say so: an IPv6 packet crossing a host whose ip6tables was never dumped
    // must not look as if a ruleset had been checked and let it through.
    w.assumptions.add(`no ${ctx.family === 4 ? 'iptables' : 'ip6tables'} rules in ${ns.name || 'the root namespace'} (not collected, or empty): ${hookName} lets everything through`);
    return packet;
  }
  if (rs.lossy) w.assumptions.add(`iptables in ${ns.name || 'the root namespace'} comes from a lossy \`iptables -L\` dump`);
  // The kernel runs a connection's nat table once per manip type; later copies of a flooded frame skip it.
  const natKey = `${ns.name}|${ctx.family}|${hookName === 'PREROUTING' || hookName === 'OUTPUT' ? 'dst' : 'src'}`;
  const r = runIptablesHook(rs, hookName, packet, w.natBound.has(natKey) ? { ...ctx, natBound: true } : ctx, ns.name, depth);
  if (r.natTraversed) w.natBound.add(natKey);
  w.steps.push(...r.steps);
  if (r.verdict === 'ACCEPT') return r.packet;
  if (r.verdict === 'indeterminate') {
    w.terminals.push({ verdict: 'indeterminate', reason: r.reason ?? 'iptables rule not simulated', ...(r.decidedBy ? { step: r.decidedBy } : {}) });
    return undefined;
  }
  w.terminals.push({ verdict: r.verdict === 'REJECT' ? 'rejected' : 'dropped', ...(r.decidedBy ? { step: r.decidedBy } : {}) });
  return undefined;
}

function ebtables(w: Walk, table: string, chain: string, packet: Packet, ctx: EbtablesEvalContext, depth: number): Packet | undefined | 'route' {
  const r: WalkResult = runEbtablesChain(w.host.ebtables, table, chain, packet, ctx, depth);
  w.steps.push(...r.steps);
  const policyNote = r.decidedBy?.chain !== undefined && /^policy /.test(r.decidedBy.action) ? w.host.ebtablesPolicyNotes?.get(`${table}/${r.decidedBy.chain}`) : undefined;
  if (policyNote) w.assumptions.add(policyNote);
  if (r.verdict === 'ACCEPT') return r.packet;
  if (r.verdict === 'indeterminate') {
    w.terminals.push({ verdict: 'indeterminate', reason: r.reason ?? 'ebtables rule not simulated', ...(r.decidedBy ? { step: r.decidedBy } : {}) });
    return undefined;
  }
  // broute's DROP means "do not bridge: hand the frame to the IP stack".
  if (table === 'broute' && r.verdict === 'DROP') return 'route';
  w.terminals.push({ verdict: 'dropped', ...(r.decidedBy ? { step: r.decidedBy } : {}) });
  return undefined;
}

/** A frame enters Linux bridge `bridge` through port `inDev`. */
function bridgeFrame(w: Walk, ns: SimNamespace, bridge: SimLinuxBridge, inDev: SimDevice, input: Packet, depth: number): void {
  let packet: Packet | undefined | 'route' = input;
  const eb: EbtablesEvalContext = { inInterface: inDev.name, logicalIn: bridge.name };
  if (reservedGroupAddress(w, ns, bridge, inDev, input, eb, depth)) return;
  packet = ebtables(w, 'broute', 'BROUTING', packet, eb, depth);
  if (packet === 'route') {
    l3Ingress(w, inDev, input, depth, undefined);
    return;
  }
  if (!packet) return;
  packet = ebtables(w, 'nat', 'PREROUTING', packet, eb, depth);
  if (!packet || packet === 'route') return;
  const family = ipFamily(packet);
  // br_netfilter hands 802.1Q-tagged frames to iptables only with bridge-nf-filter-vlan-tagged=1.
  const tagged = (readField(packet, 'vlan_tci') & 0x1000n) !== 0n;
  const nf = family !== undefined && brNetfilterOn(w, ns, family) && (!tagged || vlanTaggedFiltered(w, ns));
  if (family !== undefined && nf) {
    const next = hook(w, ns, 'PREROUTING', packet, iptablesCtx(w, family, { inInterface: bridge.name, physdevIn: inDev.name, bridged: true }, ns), depth);
    if (!next) return;
    packet = next;
  }
  const bridgeDev = ns.devices.get(bridge.name);
  const dst = readField(packet, 'eth_dst');
  const toLocal = bridgeDev?.mac !== undefined && dst === bridgeDev.mac;
  const flood = dst === BROADCAST_MAC || isMulticastMac(dst);
  let outPorts: string[] = [];
  let how: string;
  if (toLocal) {
    how = `destination ${formatMac(dst)} is the bridge's own address: delivered to ${bridge.name}`;
  } else {
    const known = bridge.fdb?.find((e) => e.mac === dst);
    if (known && !flood) {
      outPorts = known.port === inDev.name ? [] : [known.port];
      how = `fdb: ${formatMac(dst)} is behind ${known.port}`;
    } else {
      outPorts = bridge.ports.filter((p) => p !== inDev.name);
      how = flood ? `flood: ${formatMac(dst)} is broadcast/multicast` : `flood: ${formatMac(dst)} is not in the bridge fdb${bridge.fdb ? '' : ' (not collected)'}`;
      if (!bridge.fdb && !flood) w.assumptions.add(`${bridge.name}: no \`bridge fdb\` collected; unknown unicast is flooded`);
    }
  }
  w.steps.push({ layer: 'bridge', netns: ns.name, bridge: bridge.name, action: toLocal ? `deliver to ${bridge.name}` : `forward to ${outPorts.join(', ') || 'no port'}`, because: [how], depth });
  for (const portName of outPorts) {
    const out = ns.devices.get(portName);
    if (!out) continue;
    const ebf: EbtablesEvalContext = { inInterface: inDev.name, outInterface: portName, logicalIn: bridge.name, logicalOut: bridge.name };
    let p: Packet | undefined | 'route' = ebtables(w, 'filter', 'FORWARD', packet, ebf, depth);
    if (!p || p === 'route') continue;
    if (family !== undefined && nf) {
      const ctx = iptablesCtx(w, family, { inInterface: bridge.name, outInterface: bridge.name, physdevIn: inDev.name, physdevOut: portName, bridged: true }, ns);
      p = hook(w, ns, 'FORWARD', p, ctx, depth);
      if (!p) continue;
    }
    p = ebtables(w, 'nat', 'POSTROUTING', p, { outInterface: portName, logicalOut: bridge.name }, depth);
    if (!p || p === 'route') continue;
    if (family !== undefined && nf) {
      const ctx = iptablesCtx(w, family, { outInterface: bridge.name, physdevIn: inDev.name, physdevOut: portName, bridged: true }, ns);
      p = hook(w, ns, 'POSTROUTING', p, ctx, depth);
      if (!p) continue;
    }
    transmitOnWire(w, out, p, depth, w.steps[w.steps.length - 1]);
  }
  // The bridge hands its own copy up to the stack after the forwarded ones (br_handle_frame_finish):
  // the order decides which copy sets up the connection's NAT mapping.
  if (toLocal || flood) {
    const local = ebtables(w, 'filter', 'INPUT', packet, eb, depth);
    if (local && local !== 'route' && bridgeDev) {
      if (tagged) {
        // The tag would need a VLAN device on the bridge (`qbr.100`) to be taken off; without one the stack drops it.
        const step = deviceStep(w, bridgeDev, depth + 1, `not taken by ${bridge.name}: VLAN ${readField(local, 'vlan_tci') & 0xfffn} tagged frame and no VLAN device is simulated on the bridge`);
        w.terminals.push({ verdict: 'dropped', step, weak: true });
      } else {
        l3Ingress(w, bridgeDev, local, depth + 1, inDev.name, nf);
      }
    }
  }
}

function vlanTaggedFiltered(w: Walk, ns: SimNamespace): boolean {
  const key = 'net.bridge.bridge-nf-filter-vlan-tagged';
  const v = ns.sysctls.get(key);
  if (v !== undefined) return v.trim() === '1';
  w.assumptions.add(`${key} was not collected; assumed 0 (the default): VLAN-tagged frames skip iptables`);
  return false;
}

/**
 * IEEE 802.1D reserved group addresses 01:80:c2:00:00:0X (br_handle_frame): a Linux bridge never
 * forwards them (group_fwd_mask 0 assumed; iproute2 shows it but the snapshot model does not
 * keep it), except STP BPDUs (…:00) while STP is off. Pause frames (…:01) are dropped; the rest
 * pass ebtables filter INPUT and go to the port device's own stack. Returns true when handled.
 */
function reservedGroupAddress(w: Walk, ns: SimNamespace, bridge: SimLinuxBridge, inDev: SimDevice, packet: Packet, eb: EbtablesEvalContext, depth: number): boolean {
  const dst = readField(packet, 'eth_dst');
  if ((dst & ~0xfn) !== 0x0180c2000000n) return false;
  const low = dst & 0xfn;
  if (low === 0n) {
    if (bridge.stp === undefined) w.assumptions.add(`${bridge.name}: STP state not collected; assumed off (so BPDUs are flooded)`);
    if (!bridge.stp) return false;
  }
  const step = (action: string): TraceStep => {
    const s: TraceStep = { layer: 'bridge', netns: ns.name, bridge: bridge.name, action, because: [`${formatMac(dst)} is an IEEE 802.1D reserved address (group_fwd_mask assumed 0)`], depth };
    w.steps.push(s);
    return s;
  };
  if (low === 1n) {
    w.terminals.push({ verdict: 'dropped', step: step('drop: pause frames are never bridged') });
    return true;
  }
  const s = step(`not forwarded: handed to ${inDev.name}'s own stack`);
  const local = ebtables(w, 'filter', 'INPUT', packet, eb, depth);
  if (local && local !== 'route') w.terminals.push({ verdict: 'dropped', step: s, weak: true });
  return true;
}

/**
 * proxy_arp (`net.ipv4.conf.DEV.proxy_arp` or `.all.`): the kernel answers for an address it routes
 * out of another interface, as DVR's fip namespace does for floating IPs.
 */
function proxyArpAnswers(ns: SimNamespace, dev: SimDevice, tpa: IpAddress): boolean {
  const on = (k: string): boolean => ns.sysctls.get(k)?.trim() === '1';
  if (!on(`net.ipv4.conf.${dev.name}.proxy_arp`) && !on('net.ipv4.conf.all.proxy_arp')) return false;
  if (!ns.routes) return false;
  const r = lookupRoute(ns.rules, ns.routes, { src: tpa, dst: tpa, iif: dev.name, fwmark: 0 }, ns.name, 0);
  return r.kind === 'route' && r.route.type !== 'local' && (r.route.dev ?? r.route.nexthops?.[0]?.dev) !== dev.name;
}

/** 255.255.255.255, or a subnet broadcast the namespace's local table lists (`broadcast 10.0.0.255 ...`). */
function isBroadcastHere(ns: SimNamespace, ip: IpAddress): boolean {
  if (ip.family === 4 && ip.value === 0xffffffffn) return true;
  return ns.routes?.some((r) => r.type === 'broadcast' && r.destination !== 'default' && r.destination.family === ip.family && r.destination.address === ip.value) ?? false;
}

function isLocalAddress(ns: SimNamespace, ip: IpAddress): boolean {
  for (const d of ns.devices.values()) for (const a of d.addresses) if (a.family === ip.family && a.address === ip.value) return true;
  return false;
}

function ipOf(p: Packet, which: 'src' | 'dst', family: 4 | 6): IpAddress {
  return family === 4 ? { family: 4, value: readField(p, which === 'src' ? 'ip_src' : 'ip_dst') } : { family: 6, value: readField(p, which === 'src' ? 'ipv6_src' : 'ipv6_dst') };
}

/** The packet reaches the IP stack of `dev`'s namespace (`physdevIn` when it came up from a bridge port; `prerouted` when br_netfilter ran PREROUTING for it there). */
function l3Ingress(w: Walk, dev: SimDevice, input: Packet, depth: number, physdevIn: string | undefined, prerouted = false): void {
  const ns = w.host.namespaces.get(dev.netns);
  if (!ns) {
    w.terminals.push({ verdict: 'indeterminate', reason: `namespace ${dev.netns} is not in the snapshot` });
    return;
  }
  const nsName = ns.name || '(root)';
  if (!hopBudget(w, depth)) return;
  if (!w.reached.some((r) => r.device === dev.name && r.netns === dev.netns)) w.reached.push({ device: dev.name, netns: dev.netns });
  // The stack only takes frames addressed to this interface (or broadcast/multicast); an unset
  // destination MAC in a hand-written packet is taken as "for us".
  const dstMac = readField(input, 'eth_dst');
  const linkBroadcast = dstMac === BROADCAST_MAC || isMulticastMac(dstMac);
  if (dstMac !== 0n && !linkBroadcast && dev.mac !== undefined && dstMac !== dev.mac) {
    const step = deviceStep(w, dev, depth, `ignored by namespace ${nsName}: ${formatMac(dstMac)} is not the address of ${dev.name}`);
    w.terminals.push({ verdict: 'dropped', step, weak: true });
    return;
  }
  if (isArp(input)) {
    const tpa: IpAddress = { family: 4, value: readField(input, 'arp_tpa') };
    const own = isLocalAddress(ns, tpa);
    const proxied = !own && proxyArpAnswers(ns, dev, tpa);
    const local = own || proxied;
    const step = deviceStep(w, dev, depth,
      own ? `ARP for ${formatIp(tpa)} answered by namespace ${nsName}` : proxied ? `ARP for ${formatIp(tpa)} answered by proxy ARP on ${dev.name} in namespace ${nsName}` : `ARP received by namespace ${nsName} on ${dev.name}`,
      [`arp_tpa=${formatIp(tpa)}`], local ? undefined : 'no address here matches the target: the kernel only updates its neighbour table');
    if (local) {
      w.egress.push({ kind: 'local', device: dev.name, netns: dev.netns });
      w.terminals.push({ verdict: 'accepted', step });
    } else {
      w.terminals.push({ verdict: 'dropped', step, weak: true });
    }
    return;
  }
  const family = ipFamily(input);
  if (family === undefined) {
    const step = deviceStep(w, dev, depth, `non-IP frame (eth_type 0x${readField(input, 'eth_type').toString(16)}) delivered to ${dev.name}`);
    w.egress.push({ kind: 'delivered', device: dev.name, netns: dev.netns });
    w.terminals.push({ verdict: 'accepted', step });
    return;
  }
  const base = physdevIn ? { inInterface: dev.name, physdevIn, bridged: true } : { inInterface: dev.name };
  // A frame the bridge passes up went through iptables PREROUTING on the bridge already
  // (br_netfilter); the kernel does not run it again on the bridge device (ip_sabotage_in).
  let packet = prerouted ? input : hook(w, ns, 'PREROUTING', input, iptablesCtx(w, family, base, ns), depth);
  if (!packet) return;
  const dst = ipOf(packet, 'dst', family);
  if (isLocalAddress(ns, dst) || isBroadcastHere(ns, dst)) {
    packet = hook(w, ns, 'INPUT', packet, iptablesCtx(w, family, base, ns), depth);
    if (!packet) return;
    const step = deviceStep(w, dev, depth, `delivered locally to ${formatIp(dst)} in namespace ${nsName}`);
    w.egress.push({ kind: 'local', device: dev.name, netns: dev.netns, detail: formatIp(dst) });
    w.terminals.push({ verdict: 'accepted', step });
    return;
  }
  if (linkBroadcast) {
    // The kernel never routes a frame it received as link-layer broadcast/multicast.
    const step = deviceStep(w, dev, depth, `not routed: link-layer broadcast to ${formatIp(dst)}, which is not local to namespace ${nsName}`);
    w.terminals.push({ verdict: 'dropped', step, weak: true });
    return;
  }
  const fwdKey = family === 4 ? 'net.ipv4.ip_forward' : 'net.ipv6.conf.all.forwarding';
  const fwd = ns.sysctls.get(fwdKey);
  if (fwd !== undefined && fwd.trim() === '0') {
    const step = deviceStep(w, dev, depth, `not forwarded: ${fwdKey} = 0 in namespace ${nsName}`, [`destination ${formatIp(dst)} is not local`]);
    w.terminals.push({ verdict: 'dropped', step });
    return;
  }
  if (fwd === undefined) w.assumptions.add(`${fwdKey} in namespace ${nsName} not collected; assumed 1`);
  if (!ns.routes) {
    w.terminals.push({ verdict: 'indeterminate', reason: `no routes collected for namespace ${nsName}` });
    return;
  }
  const decision = lookupRoute(ns.rules, ns.routes, { src: ipOf(packet, 'src', family), dst, iif: dev.name, fwmark: Number(readField(packet, 'pkt_mark')) }, ns.name, depth);
  w.steps.push(...decision.steps);
  if (decision.kind === 'none') {
    const step = deviceStep(w, dev, depth, `no route to ${formatIp(dst)} in namespace ${nsName}`);
    w.terminals.push({ verdict: 'noRoute', step });
    return;
  }
  if (decision.kind === 'blocked') {
    const step = decision.steps[decision.steps.length - 1] ?? deviceStep(w, dev, depth, `${decision.reason} route`);
    w.terminals.push({ verdict: 'noRoute', step });
    return;
  }
  const route = decision.route;
  if (route.type === 'local') {
    packet = hook(w, ns, 'INPUT', packet, iptablesCtx(w, family, base, ns), depth);
    if (!packet) return;
    const step = decision.steps[decision.steps.length - 1] ?? deviceStep(w, dev, depth, 'local route');
    w.egress.push({ kind: 'local', device: dev.name, netns: dev.netns, detail: formatIp(dst) });
    w.terminals.push({ verdict: 'accepted', step });
    return;
  }
  const outName = route.dev ?? route.nexthops?.[0]?.dev;
  const out = outName ? ns.devices.get(outName) : undefined;
  if (!out) {
    w.terminals.push({ verdict: 'indeterminate', reason: `route ${route.raw.trim()} leaves through ${outName ?? 'an unknown device'}, which is not in namespace ${nsName}` });
    return;
  }
  const fwdCtx = { ...base, outInterface: out.name };
  packet = hook(w, ns, 'FORWARD', packet, iptablesCtx(w, family, fwdCtx, ns), depth);
  if (!packet) return;
  packet = hook(w, ns, 'POSTROUTING', packet, iptablesCtx(w, family, { outInterface: out.name }, ns), depth);
  if (!packet) return;
  if (out.mac !== undefined) packet = withField(packet, 'eth_src', out.mac);
  packet = withField(packet, 'eth_dst', nextHopMac(w, ns, out, route.via ?? route.nexthops?.[0]?.via ?? dst));
  l3Egress(w, ns, out, packet, depth);
}

/**
 * The next hop's MAC (`hop`: the route's gateway, else the destination), as the kernel finds it:
 * in the namespace's neighbour table (`ip neigh`). Snapshots often lack it; then across a veth the
 * peer's address is the best guess, and otherwise it is left unset (0) and the next namespace takes
 * the frame, which the trace states.
 */
function nextHopMac(w: Walk, ns: SimNamespace, out: SimDevice, hop: IpAddress): bigint {
  const known = ns.neighbours?.get(neighbourKey(out.name, hop));
  if (known !== undefined) return known;
  if (out.peer) {
    const peer = findDevice(w.host, out.peer.name, out.peer.netns);
    if (peer?.mac !== undefined) {
      // Only worth saying when a neighbour table was collected and lacks the entry.
      if (ns.neighbours) w.assumptions.add(`${formatIp(hop)} is not in the neighbour table of ${out.name} in namespace ${ns.name || '(root)'}; the veth peer ${peer.name}'s MAC is assumed`);
      return peer.mac;
    }
  }
  w.assumptions.add(`the next hop's MAC address out of ${out.name} in namespace ${ns.name || '(root)'} is not known; the frame is taken as addressed to it`);
  return 0n;
}

/** The IP stack sends the packet out of `out`. */
function l3Egress(w: Walk, ns: SimNamespace, out: SimDevice, packet: Packet, depth: number): void {
  if (out.ovsBridge) {
    const bridge = w.host.ovs.get(out.ovsBridge);
    const port = bridge ? portByName(bridge, out.name) : undefined;
    if (bridge && port) {
      deviceStep(w, out, depth, `sent out of ${out.name}, port ${port.ofport ?? '?'} of OVS bridge ${bridge.name}`);
      ovsIngress(w, bridge, port, packet, depth + 1);
      return;
    }
  }
  const bridge = ns.bridges.get(out.name);
  if (bridge) {
    // Sent by the stack onto a Linux bridge: the bridge forwards it by its fdb (ebtables OUTPUT/POSTROUTING apply).
    const p = ebtables(w, 'nat', 'OUTPUT', packet, { outInterface: out.name }, depth);
    if (!p || p === 'route') return;
    const q = ebtables(w, 'filter', 'OUTPUT', p, { outInterface: out.name }, depth);
    if (!q || q === 'route') return;
    const dst = readField(q, 'eth_dst');
    const known = bridge.fdb?.find((e) => e.mac === dst);
    const ports = known ? [known.port] : bridge.ports;
    w.steps.push({ layer: 'bridge', netns: ns.name, bridge: bridge.name, action: `forward to ${ports.join(', ') || 'no port'}`, because: [known ? `fdb: ${formatMac(dst)} is behind ${known.port}` : `flood: ${formatMac(dst)} is not in the bridge fdb`], depth });
    for (const name of ports) {
      const dev = ns.devices.get(name);
      if (dev) transmitOnWire(w, dev, q, depth + 1, undefined);
    }
    return;
  }
  transmitOnWire(w, out, packet, depth, undefined);
}
