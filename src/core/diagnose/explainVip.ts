import { formatIp, parseIp, type IpAddress } from '../net/IpAddress';
import { formatMac } from '../net/MacAddress';
import { decodeOpenStackPorts, eui64LinkLocal, fixedIpOf, sourcesCovering, type OpenStackPort } from '../openstack/decodeOpenStackPorts';
import { decodeOvnVifs } from '../openstack/decodeOvnVifs';
import { ovnAclDrop } from '../openstack/ovnAclDrop';
import { bridgeRoleOf, NEUTRON_DROPPED_TRAFFIC_TABLE, neutronTableMeanings } from '../openstack/neutronOvsTables';
import { simulateHost } from '../sim/walk/simulateHost';
import type { SimHost } from '../sim/walk/SimHost';
import type { CtAssumption } from '../sim/ovs/runOvsPipeline';
import { parsePacketSpec } from '../sim/parsePacketSpec';
import type { TraceResult, TraceStep } from '../sim/TraceResult';
import type { HostSnapshot } from '../snapshot/HostSnapshot';
import { recogniseCause } from './knownCauses';
import { onVipNetwork } from './vipNetwork';
import type { DecidingRule, Finding, PortSummary, VipPacketKind, VipReport } from './VipReport';

export interface VipHost {
  /** A name for messages: the hostname or the snapshot path. */
  readonly label: string;
  readonly snapshot: HostSnapshot;
  readonly sim: SimHost;
}

export interface ExplainVipInput {
  readonly hosts: readonly VipHost[];
  readonly vip: IpAddress;
  /** Port id prefixes or device names that should hold the VIP; found automatically when absent. */
  readonly ports?: readonly string[];
  readonly fip?: IpAddress;
  readonly client?: IpAddress;
  /** TCP port of the service behind the VIP (for the inbound and reply packets). */
  readonly servicePort?: number;
}

export type ExplainVipResult =
  | { readonly ok: true; readonly report: VipReport }
  | { readonly ok: false; readonly problem: 'vipNotFound' | 'portNotFound' | 'tooManyCandidates' | 'noPorts'; readonly message: string; readonly lookedAt: readonly string[]; readonly nearMatches: readonly string[] };

interface Located {
  readonly host: VipHost;
  readonly port: OpenStackPort;
}

const MAX_AUTO_CANDIDATES = 8;
/** An address outside every tenant network, standing in for "a client on the Internet" (TEST-NET-3). */
const DEFAULT_CLIENT = '203.0.113.10';
/** The same for an IPv6 VIP: a documentation address (RFC 3849) outside a tenant's /64. */
const DEFAULT_CLIENT_V6 = '2001:db8:ffff::10';
/** Stands for the subnet router's MAC when the snapshot does not have it (locally administered). */
const OFF_HOST_ROUTER_MAC = '02:00:5e:00:00:fe';

/**
 * "Why is traffic for VIP X dropped?": finds the ports that may hold the VIP, traces the packets
 * that matter for a VIP from each (gratuitous ARP, ARP reply, VRRP, VIP-sourced traffic, inbound
 * traffic, LVS-DR forwarding, floating IP), and explains every drop with the knowledge base.
 */
export function explainVip(input: ExplainVipInput): ExplainVipResult {
  const vipText = formatIp(input.vip);
  const all: Located[] = input.hosts.flatMap((h) => decodeOpenStackPorts(h.snapshot).map((port) => ({ host: h, port })));
  if (all.length === 0) {
    // An ML2/OVN br-int without bindings is a real answer, not a missing dump: say which.
    const ovn = input.hosts.filter((h) => decodeOvnVifs(h.snapshot).ovnBridges.size > 0).map((h) => h.label);
    const message = ovn.length > 0
      ? `no VM ports found: br-int on ${ovn.join(', ')} is programmed by ovn-controller (ML2/OVN), but no VIF is bound there (no table-0 flow maps an OpenFlow port to a logical port): the VMs holding the VIP run on other hosts, or their ports are not bound yet`
      : 'no VM ports found: the snapshot has no tap/qvo devices, Neutron chains, OVS port flows or libvirt chains';
    return { ok: false, problem: 'noPorts', message, lookedAt: input.hosts.map((h) => h.label), nearMatches: [] };
  }
  // The ports on the VIP's network (same local VLAN or Linux bridge as the ports closest to it).
  const onNet = onVipNetwork(all, (l) => ({ port: l.port, snapshot: l.host.snapshot, fixed: fixedIpOf(l.port) }), input.vip);
  let holders: Located[];
  if (input.ports && input.ports.length > 0) {
    holders = [];
    for (const wanted of input.ports) {
      const w = wanted.replace(/^(tap|qvo|qvb|qbr)/, '');
      // A port named exactly (vnet3, tap38833ad6-c6) is that port, not also vnet30..vnet39; a
      // Neutron id prefix (38833ad6, or the whole id) matches as a prefix.
      const exact = all.filter((l) => l.port.id === w || l.port.devices.includes(wanted) || l.port.vmDevice === wanted);
      const found = exact.length > 0 ? exact : all.filter((l) => l.port.id.startsWith(w.slice(0, 11)) || w.startsWith(l.port.id));
      if (found.length === 0) {
        return { ok: false, problem: 'portNotFound', message: `port ${wanted} is not on ${input.hosts.map((h) => h.label).join(', ')}`, lookedAt: lookedAt(input), nearMatches: near(all, wanted) };
      }
      holders.push(...found);
    }
  } else {
    holders = all.filter((l) => sourcesCovering(l.port, input.vip).length > 0);
    const sameNet = all.filter((l) => !holders.includes(l) && onNet.has(l));
    if (holders.length === 0) holders = sameNet;
    if (holders.length === 0) {
      const nearIps = all.map((l) => ({ l, ip: fixedIpOf(l.port) })).filter((x) => x.ip).map((x) => `${x.l.port.id} (${formatIp(x.ip!)})`);
      return { ok: false, problem: 'vipNotFound', message: `no port on ${input.hosts.map((h) => h.label).join(', ')} holds ${vipText} or is on its network; give the port with --port`, lookedAt: lookedAt(input), nearMatches: nearIps.slice(0, 10) };
    }
    if (holders.length > MAX_AUTO_CANDIDATES) {
      return { ok: false, problem: 'tooManyCandidates', message: `${holders.length} ports share ${vipText}'s network; name the ones running keepalived with --port`, lookedAt: lookedAt(input), nearMatches: holders.slice(0, 20).map((l) => `${l.port.id} (${fixedIpOf(l.port) ? formatIp(fixedIpOf(l.port)!) : '?'})`) };
    }
  }

  // An address several ports may send from is an allowed pair (a VIP), not a fixed IP.
  const shared = new Map<string, number>();
  for (const l of all) for (const s of new Set(l.port.allowedSources.flatMap((x) => (x.cidr ? [x.cidr.text] : [])))) shared.set(s, (shared.get(s) ?? 0) + 1);
  const fixedOf = (p: OpenStackPort): IpAddress | undefined => {
    // Of the VIP's family (an IPv6 VIP talks to IPv6 peers), never link-local (fe80::/10).
    const usable = (x: OpenStackPort['allowedSources'][number]): boolean => x.cidr !== undefined && x.cidr.prefixLength === (x.cidr.family === 4 ? 32 : 128) &&
      x.cidr.family === input.vip.family && !(x.cidr.family === 6 && x.cidr.address >> 118n === 0x3fan) &&
      x.cidr.address !== input.vip.value && (shared.get(x.cidr.text) ?? 0) <= 1;
    // The spoof chain lists the allowed pairs first and the fixed IPs last (fixedIpOf).
    const spoof = p.allowedSources.filter((x) => x.layer === 'iptables' && usable(x));
    const s = spoof[spoof.length - 1] ?? p.allowedSources.find(usable);
    const any = fixedIpOf(p);
    return s?.cidr ? { family: s.cidr.family, value: s.cidr.address } : any?.family === input.vip.family ? any : undefined;
  };
  const w = packetWords(input.vip.family);
  const findings: Finding[] = [];
  const unknowns = new Set<string>();
  for (const h of input.hosts) for (const g of h.sim.gaps) unknowns.add(`${h.label}: ${g}`);
  const client = input.client ?? parseIp(input.vip.family === 6 ? DEFAULT_CLIENT_V6 : DEFAULT_CLIENT);
  const dport = input.servicePort ?? 80;

  for (const holder of holders) {
    const { port, host } = holder;
    const mac = port.macs[0];
    const macText = mac !== undefined ? formatMac(mac) : 'fa:16:3e:00:00:01';
    if (mac === undefined) unknowns.add(`MAC of port ${port.id} not found; a placeholder was used`);
    else if (port.macFromTap) unknowns.add(`MAC of port ${port.id} (${macText}) inferred from ${port.vmDevice}'s fe:… host-side MAC, assuming Neutron's default base_mac fa:16:3e`);
    const fixed = fixedOf(port);
    const peer = pickPeer(all, holder, onNet, holders);
    const otherHolder = holders.find((h) => h !== holder && h.host === host);
    const peerIp = peer ? fixedOf(peer.port) : undefined;
    const peerMac = peer?.port.macs[0];
    const base = { port, host: host.label, mac: macText };
    const run = (kind: VipPacketKind, title: string, spec: string, ingress: { device: string; netns?: string; stack?: boolean }, ct: CtAssumption, success: (r: TraceResult) => boolean, extra: { conditional?: string; target?: Located; srcIp?: string; fromVip?: boolean } = {}): void => {
      const pkt = parsePacketSpec(spec);
      const start = { kind: ingress.stack ? 'stack' as const : 'device' as const, device: ingress.device, ...(ingress.netns !== undefined ? { netns: ingress.netns } : {}) };
      const trace = simulateHost(host.sim, start, pkt.value, { ct });
      const ok = success(trace);
      // Would the same packet pass from the port's fixed IP? Then the source address alone decides:
      // e.g. a remote-group rule whose address set holds the members' fixed IPs, not their pairs.
      let fixedSourcePasses: string | undefined;
      const vipSrc = `${w.src}=${vipText},`;
      if (!ok && extra.fromVip && fixed && spec.includes(vipSrc)) {
        const alt = parsePacketSpec(spec.replace(vipSrc, `${w.src}=${formatIp(fixed)},`));
        if (success(simulateHost(host.sim, start, alt.value, { ct }))) fixedSourcePasses = formatIp(fixed);
      }
      findings.push(toFinding(kind, title, spec, ingress.device, trace, ok, { ...base, vip: vipText, peerIp: peerIp ? formatIp(peerIp) : undefined, clientIp: client ? formatIp(client) : undefined, dport, ...extra, ...(fixedSourcePasses ? { fixedSourcePasses } : {}) }));
    };
    const leavesPort = (r: TraceResult): boolean => r.verdict === 'accepted' && r.egress.some((e) => e.device !== port.vmDevice);
    const reaches = (target: Located) => (r: TraceResult): boolean => r.reached.some((x) => x.device === target.port.vmDevice) || r.egress.some((e) => e.device === target.port.vmDevice);

    run('garp', `${w.announce} for ${vipText} from port ${port.id}`,
      w.v6
        ? `icmp6,icmpv6_type=136,icmpv6_code=0,nw_ttl=255,ipv6_src=${vipText},ipv6_dst=ff02::1,nd_target=${vipText},nd_tll=${macText},dl_src=${macText},dl_dst=33:33:00:00:00:01`
        : `arp,arp_op=1,arp_spa=${vipText},arp_tpa=${vipText},arp_sha=${macText},arp_tha=00:00:00:00:00:00,dl_src=${macText},dl_dst=ff:ff:ff:ff:ff:ff`,
      { device: port.vmDevice }, 'new', leavesPort);
    if (peer && peerIp && peerMac !== undefined) {
      run('arpReply', `${w.answer} for ${vipText} from port ${port.id} to ${formatIp(peerIp)}`,
        w.v6
          ? `icmp6,icmpv6_type=136,icmpv6_code=0,nw_ttl=255,ipv6_src=${vipText},ipv6_dst=${formatIp(peerIp)},nd_target=${vipText},nd_tll=${macText},dl_src=${macText},dl_dst=${formatMac(peerMac)}`
          : `arp,arp_op=2,arp_spa=${vipText},arp_sha=${macText},arp_tpa=${formatIp(peerIp)},arp_tha=${formatMac(peerMac)},dl_src=${macText},dl_dst=${formatMac(peerMac)}`,
        { device: port.vmDevice }, 'new', reaches(peer), { target: peer });
      run('vipEgress', `traffic from ${vipText} leaving port ${port.id}`,
        `${w.ping},${w.src}=${vipText},${w.dst}=${formatIp(peerIp)},dl_src=${macText},dl_dst=${formatMac(peerMac)}`,
        { device: port.vmDevice }, 'new', reaches(peer), { target: peer, fromVip: true });
      run('vipReply', `reply from ${vipText}:${dport} (port ${port.id}) to a client at ${formatIp(peerIp)}`,
        `${w.tcp},${w.src}=${vipText},${w.dst}=${formatIp(peerIp)},tcp_src=${dport},tcp_dst=40000,tcp_flags=syn|ack,dl_src=${macText},dl_dst=${formatMac(peerMac)}`,
        { device: port.vmDevice }, 'reply', reaches(peer), { target: peer, fromVip: true });
      run('toVip', `${formatIp(peerIp)} connecting to ${vipText}:${dport} on port ${port.id}`,
        `${w.tcp},${w.src}=${formatIp(peerIp)},${w.dst}=${vipText},tcp_src=40000,tcp_dst=${dport},tcp_flags=syn,dl_src=${formatMac(peerMac)},dl_dst=${macText}`,
        { device: peer.port.vmDevice }, 'new', reaches(holder), { target: holder });
    } else {
      // A VIP holder alone on its host is common. The anti-spoofing layers check the source
      // address before any forwarding decision, so VIP-sourced traffic to a client behind the
      // subnet's router (MAC unknown here: a placeholder unicast MAC, which bridges flood) still
      // shows whether the VIP may leave the port.
      if (client) {
        run('vipEgress', `traffic from ${vipText} leaving port ${port.id} (to ${formatIp(client)} via the router)`,
          `${w.ping},${w.src}=${vipText},${w.dst}=${formatIp(client)},dl_src=${macText},dl_dst=${OFF_HOST_ROUTER_MAC}`,
          { device: port.vmDevice }, 'new', leavesPort);
      }
      unknowns.add(`no other port on ${host.label} in ${vipText}'s network to exchange traffic with port ${port.id}; VIP-sourced traffic was traced towards ${client ? formatIp(client) : 'a client'} through a router whose MAC is not in the snapshot (a placeholder was used)`);
    }
    // VRRPv3 over IPv6 is sent from the interface's link-local address (RFC 5798 5.1.2.1).
    const vrrpSrc = w.v6 ? (mac !== undefined ? { family: 6 as const, value: eui64LinkLocal(mac) } : undefined) : fixed;
    if (vrrpSrc) {
      // keepalived advertises to 224.0.0.18 (ff02::12) from the VM's own address, on the multicast MAC
      // 01:00:5e:00:00:12 (not the peer's MAC: that would take a unicast path the real
      // advertisement never takes; the OVS firewall, for one, filters only unicast ingress).
      // The peer is the other VIP holder on this host, else a neighbour on the VIP's network.
      const target = otherHolder ?? peer;
      const vrrp = `${w.v6 ? 'ipv6' : 'ip'},nw_proto=112,nw_ttl=255,${w.src}=${formatIp(vrrpSrc)},dl_src=${macText}`;
      const vrrpExtra = { srcIp: formatIp(vrrpSrc), ...(target ? { target } : {}) };
      run('vrrp', `VRRP advertisement (to ${w.vrrpGroup}) from port ${port.id}${target ? ` to port ${target.port.id}` : ''}`,
        `${vrrp},${w.dst}=${w.vrrpGroup},dl_dst=${w.vrrpMac}`,
        { device: port.vmDevice }, 'new', target ? reaches(target) : leavesPort, vrrpExtra);
      const targetIp = target ? fixedOf(target.port) : undefined;
      const targetMac = target?.port.macs[0];
      if (target && targetIp && targetMac !== undefined) {
        run('vrrp', `unicast VRRP advertisement from port ${port.id} to port ${target.port.id} (${formatIp(targetIp)})`,
          `${vrrp},${w.dst}=${formatIp(targetIp)},dl_dst=${formatMac(targetMac)}`,
          { device: port.vmDevice }, 'new', reaches(target), { ...vrrpExtra, conditional: 'only matters if keepalived uses unicast_peer' });
      }
    }
    if (client && peer && peerMac !== undefined) {
      run('lvsForward', `LVS-DR forward of a client packet (${formatIp(client)} -> ${vipText}) from port ${port.id}`,
        `${w.tcp},${w.src}=${formatIp(client)},${w.dst}=${vipText},tcp_src=40000,tcp_dst=${dport},tcp_flags=syn,dl_src=${macText},dl_dst=${formatMac(peerMac)}`,
        { device: port.vmDevice }, 'new', reaches(peer), input.client ? { target: peer } : { conditional: 'only matters if this VM is an LVS-DR director', target: peer });
    }
    if (input.fip) {
      const fipText = formatIp(input.fip);
      const entry = findFipEntry(host.sim, input.fip);
      if (entry) {
        run('toFip', `traffic to floating IP ${fipText} (for ${vipText}) reaching port ${port.id}`,
          `icmp,icmp_type=8,nw_src=${formatIp(client ?? input.fip)},nw_dst=${fipText}${entry.mac !== undefined ? `,dl_dst=${formatMac(entry.mac)}` : ''}`,
          entry.netns !== undefined ? { device: entry.device, netns: entry.netns, stack: true } : { device: entry.device, stack: true }, 'new', reaches(holder), { target: holder });
      } else {
        unknowns.add(`no fip-* namespace on ${host.label} routes ${fipText}: not a DVR floating IP of this host`);
      }
    }
  }

  const warnings = hostWarnings(input.hosts);
  const ports: PortSummary[] = [...new Set(holders)].map(({ port, host }) => {
    const fixed = fixedOf(port) ?? fixedIpOf(port);
    const pairs = [...new Set(port.allowedSources.filter((s) => s.cidr && s.layer !== 'ovs-mac').map((s) => s.cidr!.text.replace(/\/32$/, '')))].filter((t) => !fixed || t !== formatIp(fixed));
    const summary: { -readonly [K in keyof PortSummary]: PortSummary[K] } = {
      id: port.id, host: host.label, vmDevice: port.vmDevice, allowedPairs: pairs, firewall: port.firewall,
      vipAllowed: sourcesCovering(port, input.vip).length > 0,
    };
    if (port.macs[0] !== undefined) summary.mac = formatMac(port.macs[0]);
    if (fixed) summary.fixedIp = formatIp(fixed);
    return summary;
  });
  return {
    ok: true,
    report: { vip: vipText, hosts: input.hosts.map((h) => h.label), ports, findings, warnings, unknowns: [...unknowns], headline: headline(findings) },
  };
}

function toFinding(kind: VipPacketKind, title: string, spec: string, ingress: string, trace: TraceResult, ok: boolean,
  c: { port: OpenStackPort; host: string; mac: string; vip: string; peerIp: string | undefined; clientIp: string | undefined; dport: number; conditional?: string; target?: Located; srcIp?: string; fixedSourcePasses?: string }): Finding {
  // For a packet meant for one port, the drop on the way there explains it; for a flood, the first drop.
  const dropped = !ok ? decisiveDrop(trace, c.target) : undefined;
  // The OVS firewall drops in table 93 what another table decided to drop: name that flow.
  const sender = dropped ? dropSender(trace, dropped) : undefined;
  const step = sender ?? dropped;
  const finding: { -readonly [K in keyof Finding]: Finding[K] } = {
    kind, title, port: c.port.id, host: c.host, packet: spec, ingress,
    outcome: ok ? 'ok' : trace.verdict === 'indeterminate' ? 'unknown' : 'blocked',
    verdict: ok ? 'accepted' : trace.verdict === 'accepted' ? 'dropped' : trace.verdict,
    summary: '',
    assumptions: trace.assumptions,
    steps: trace.steps,
  };
  if (c.conditional) finding.conditional = c.conditional;
  if (ok) {
    finding.summary = `passes${trace.egress.length ? ` (reaches ${[...new Set(trace.egress.map((e) => e.device ?? e.kind))].slice(0, 3).join(', ')})` : ''}`;
    return finding;
  }
  if (step && trace.verdict === 'indeterminate') {
    finding.decidedBy = decidingRule(step);
    finding.summary = `could not be decided at ${where(step, c.port.firewall === 'ovn')}: ${trace.notes.join('; ')}`;
  } else if (step) {
    finding.decidedBy = decidingRule(step);
    finding.summary = `${trace.verdict === 'rejected' ? 'rejected' : 'dropped'} by ${where(step, c.port.firewall === 'ovn')}${sender && dropped ? ` -> table ${dropped.table ?? '?'}${dropped.span ? ` (line ${dropped.span.line})` : ''}` : ''}`;
    const ctx = { kind, step, vip: c.vip, portId: c.port.id, portKind: c.port.kind, mac: c.mac, dport: c.dport, packet: spec,
      ...(c.peerIp ? { peerIp: c.peerIp } : {}), ...(c.clientIp ? { clientIp: c.clientIp } : {}), ...(c.srcIp ? { srcIp: c.srcIp } : {}),
      ...(c.target ? { targetPortId: c.target.port.id, targetFirewall: c.target.port.firewall } : {}),
      ...(c.target?.port.ovn?.neutronPortId ? { targetPortUuid: c.target.port.ovn.neutronPortId } : {}),
      ...(c.fixedSourcePasses ? { fixedSourcePasses: c.fixedSourcePasses } : {}),
      steps: trace.steps, ...(c.port.ovn?.neutronPortId ? { portUuid: c.port.ovn.neutronPortId } : {}) };
    const cause = recogniseCause(ctx);
    if (cause) {
      finding.cause = { id: cause.id, title: cause.title, explanation: cause.explain(ctx) };
      finding.fix = cause.fix(ctx);
      if (cause.caveats) finding.caveats = cause.caveats;
    }
  } else {
    finding.summary = trace.verdict === 'indeterminate' ? `could not be decided: ${trace.notes.join('; ')}` :
      trace.verdict === 'accepted' ? `does not reach port ${c.target?.port.id ?? '?'}` : `${trace.verdict}${trace.notes.length ? `: ${trace.notes.join('; ')}` : ''}`;
  }
  return finding;
}

function decisiveDrop(trace: TraceResult, target: Located | undefined): TraceStep | undefined {
  if (trace.drops.length === 0) return trace.verdict === 'accepted' ? undefined : trace.decidedBy;
  if (target) {
    const id10 = target.port.id.slice(0, 10);
    const vif = target.port.ovn;
    const mine = trace.drops.find((d) => d.step?.chain?.includes(id10) || d.step?.because.some((b) => b.includes(target.port.vmDevice)) ||
      (vif !== undefined && d.step !== undefined && isOvnCopyFor(d.step, vif.portKey, vif.datapath)));
    if (mine?.step) return mine.step;
  }
  // A copy dropped on its way to some other port (a flood's branch) does not explain why the
  // packet missed its target when other copies got out.
  const firm = trace.drops.find((d) => !d.branch) ?? (trace.verdict === 'accepted' ? undefined : trace.drops[0]);
  return firm ? firm.step ?? trace.decidedBy : undefined;
}

/** An OVN flow handling the copy for one logical port: its key in the outport register (reg15) on its datapath (metadata). */
function isOvnCopyFor(step: TraceStep, portKey: bigint, datapath: bigint): boolean {
  if (step.layer !== 'ovs' || step.raw === undefined) return false;
  const a = step.raw.indexOf(' actions=');
  const match = a === -1 ? step.raw : step.raw.slice(0, a);
  const reg15 = /(?:^|[,\s])reg15=(0x[0-9a-f]+|\d+)(?=[,\s]|$)/.exec(match)?.[1];
  const metadata = /(?:^|[,\s])metadata=(0x[0-9a-f]+|\d+)(?=[,\s]|$)/.exec(match)?.[1];
  return reg15 !== undefined && metadata !== undefined && BigInt(reg15) === portKey && BigInt(metadata) === datapath;
}

/**
 * The flow that sent a packet to br-int's DROPPED_TRAFFIC_TABLE (`priority=10,reg5=0x7,in_port=7
 * actions=ct_clear,resubmit(,93)` in table 71, `priority=40,ct_state=-est,reg5=0x8
 * actions=resubmit(,93)` in table 82): the resubmit one level up, on the same bridge.
 * Undefined for any other drop.
 */
export function dropSender(trace: TraceResult, drop: TraceStep): TraceStep | undefined {
  if (drop.layer !== 'ovs' || drop.table !== String(NEUTRON_DROPPED_TRAFFIC_TABLE)) return undefined;
  const i = trace.steps.indexOf(drop);
  const to = new RegExp(`(?:resubmit\\([^,)]*,${NEUTRON_DROPPED_TRAFFIC_TABLE}\\)|goto_table:${NEUTRON_DROPPED_TRAFFIC_TABLE})(?![0-9])`);
  for (let j = i - 1; j >= 0; j--) {
    const s = trace.steps[j];
    if (!s || s.layer !== 'ovs' || s.bridge !== drop.bridge) continue;
    if (s.depth < drop.depth && s.table !== undefined && to.test(s.action)) return s;
    if (s.depth < drop.depth - 1) break;
  }
  return undefined;
}

function decidingRule(s: TraceStep): DecidingRule {
  const r: { -readonly [K in keyof DecidingRule]: DecidingRule[K] } = { layer: s.layer };
  if (s.netns) r.netns = s.netns;
  if (s.table !== undefined) r.table = s.table;
  if (s.chain) r.chain = s.chain;
  if (s.bridge) r.bridge = s.bridge;
  if (s.raw) r.raw = s.raw.trim();
  if (s.span) { r.file = s.span.file; r.line = s.span.line; }
  return r;
}

/** "br-int table 24 (ARP_SPOOF_TABLE)", "`neutron-openvswi-s38833ad6-c` line 412". */
/** Where `s` is, in words; `ovn`: the bridge is ovn-controller's br-int (no Neutron table names). */
export function where(s: TraceStep, ovn = false): string {
  const ns = s.netns ? ` in namespace ${s.netns}` : '';
  switch (s.layer) {
    case 'ovs': {
      // ovn-controller's br-int shares no table meanings with the Neutron OVS agent's.
      const acl = ovnAclDrop(s);
      if (acl) return `${s.bridge ?? 'OVS'} table ${s.table ?? '?'} (OVN ${acl.direction} ACL${acl.neutronDefaultDrop ? ', neutron_pg_drop' : ''})`;
      const role = s.bridge === 'br-int' || s.bridge === 'br-tun' ? bridgeRoleOf(s.bridge, [], ovn) : undefined;
      const meaning = role && s.table !== undefined ? neutronTableMeanings(Number(s.table), role)[0]?.table.name : undefined;
      return `${s.bridge ?? 'OVS'} table ${s.table ?? '?'}${meaning ? ` (${meaning})` : ''}`;
    }
    case 'iptables':
    case 'ebtables':
      return `${s.layer} ${s.table ?? ''} chain \`${s.chain ?? ''}\`${s.span ? ` line ${s.span.line}` : ''}${ns}`;
    case 'routing':
      return `routing${ns}: ${s.action}`;
    case 'bridge':
      return `Linux bridge ${s.bridge ?? ''}${ns}`;
    case 'device':
      return `${s.action}${ns}`;
  }
}

/** The packets the user asked about explicitly (--client, --fip) come first, then the VIP's own announcements. */
const KIND_ORDER: readonly VipPacketKind[] = ['lvsForward', 'toFip', 'garp', 'arpReply', 'vipEgress', 'vipReply', 'toVip', 'vrrp'];

function headline(findings: readonly Finding[]): string {
  const blocked = findings.filter((f) => f.outcome === 'blocked' && !f.conditional).sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
  const conditional = findings.filter((f) => f.outcome === 'blocked' && f.conditional);
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const f of blocked) {
    // One flow can drop for several causes (OVN's neutron_pg_drop ends every security group miss).
    const key = `${f.decidedBy?.file}:${f.decidedBy?.line}:${f.cause?.id ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    parts.push(`${f.title} is ${f.summary}${f.cause ? ` (${f.cause.title})` : ''}`);
  }
  if (parts.length === 0 && conditional.length > 0) parts.push(...conditional.slice(0, 1).map((f) => `${f.title} is ${f.summary} (${f.conditional})`));
  if (parts.length === 0) return findings.some((f) => f.outcome === 'unknown') ? 'No drop found, but some packets could not be decided (see below).' : 'No layer on this host drops the VIP\'s traffic.';
  const firstCommand = (f: Finding | undefined): string | undefined => f?.fix?.find((l) => !l.startsWith('#'));
  // The first blocked packet with a known fix: one whose drop is not explained must not hand the
  // headline to a conditional finding's remedy (LVS-DR's 0.0.0.0/0) when a plain one exists.
  const fix = blocked.map(firstCommand).find((c) => c !== undefined) ?? firstCommand(conditional[0]);
  const shown = parts.slice(0, 3);
  const more = parts.length > shown.length ? ` (and ${parts.length - shown.length} more below)` : '';
  return `${shown.join('; ')}${more}.${fix ? ` Fix: ${fix}` : ''}`;
}

function pickPeer(all: readonly Located[], holder: Located, onNet: ReadonlySet<Located>, holders: readonly Located[]): Located | undefined {
  const candidates = all.filter((l) => l !== holder && l.host === holder.host && l.port.macs.length > 0 && fixedIpOf(l.port));
  const inNet = candidates.filter((l) => onNet.has(l));
  return inNet.find((l) => !holders.includes(l)) ?? inNet[0] ?? candidates.find((l) => !holders.includes(l));
}

/** Where traffic to a DVR floating IP enters: the fip namespace's fg- device (the gateway port on the external network). */
function findFipEntry(sim: SimHost, fip: IpAddress): { device: string; netns?: string; mac?: bigint } | undefined {
  for (const ns of sim.namespaces.values()) {
    if (!ns.name.startsWith('fip-')) continue;
    const routed = ns.routes?.some((r) => r.destination !== 'default' && r.destination.prefixLength === 32 && r.destination.address === fip.value);
    const fg = [...ns.devices.values()].find((d) => d.name.startsWith('fg-'));
    if (routed && fg) return fg.mac !== undefined ? { device: fg.name, netns: ns.name, mac: fg.mac } : { device: fg.name, netns: ns.name };
  }
  return undefined;
}

function hostWarnings(hosts: readonly VipHost[]): string[] {
  const out: string[] = [];
  for (const h of hosts) {
    const root = h.snapshot.namespaces.find((n) => n.name === '');
    const local = root?.iptables?.tables.find((t) => t.name === 'filter')?.chains.find((c) => /^neutron-(openvswi|linuxbri)-local$/.test(c.name));
    for (const r of local?.rules ?? []) {
      if (r.target?.name === 'ACCEPT') {
        out.push(`${h.label}: ${local?.name} has an ACCEPT rule (${r.span.file}:${r.span.line}: ${r.raw.trim()}): a hand-made workaround that accepts bridged traffic before any security group, on every port of the host; the Neutron agent overwrites it on its next sync.`);
      }
    }
    if (h.snapshot.hostname && hosts.filter((x) => x.snapshot.hostname === h.snapshot.hostname).length > 1) out.push(`${h.snapshot.hostname} was given more than once`);
  }
  return out;
}

function lookedAt(input: ExplainVipInput): string[] {
  return input.hosts.map((h) => `${h.label}: ${decodeOpenStackPorts(h.snapshot).length} VM ports`);
}

function near(all: readonly Located[], wanted: string): string[] {
  const w = wanted.replace(/^(tap|qvo|qvb|qbr)/, '').slice(0, 4);
  const hits = all.filter((l) => l.port.id.startsWith(w));
  return (hits.length ? hits : all).slice(0, 10).map((l) => `${l.port.id} (${l.port.vmDevice})`);
}

/**
 * How the VIP's packets are written in ofproto/trace syntax: an IPv4 VIP is announced by ARP and
 * pinged with ICMP; an IPv6 VIP by neighbour advertisements (ICMPv6 136, hop limit 255, as
 * keepalived sends them) and ICMPv6 echo, and its VRRP group is ff02::12.
 */
function packetWords(family: 4 | 6) {
  return family === 6
    ? { v6: true, src: 'ipv6_src', dst: 'ipv6_dst', ping: 'icmp6,icmpv6_type=128,icmpv6_code=0', tcp: 'tcp6', announce: 'Unsolicited neighbour advertisement', answer: 'Neighbour advertisement', vrrpGroup: 'ff02::12', vrrpMac: '33:33:00:00:00:12' } as const
    : { v6: false, src: 'nw_src', dst: 'nw_dst', ping: 'icmp,icmp_type=8,icmp_code=0', tcp: 'tcp', announce: 'GARP', answer: 'ARP reply', vrrpGroup: '224.0.0.18', vrrpMac: '01:00:5e:00:00:12' } as const;
}
