import { formatIp } from '../../net/IpAddress';
import { formatMac, isMulticastMac } from '../../net/MacAddress';
import type { OvsAction, OvsPortRef } from '../../ovs/OvsAction';
import type { OvsSubfield } from '../../ovs/parseOvsSubfield';
import { subfieldMask } from '../../ovs/parseOvsSubfield';
import { readField, withField, type Packet } from '../Packet';
import type { TraceStep } from '../TraceResult';
import { flowMatches, type CompiledOvsFlow } from './compileOvsFlow';
import { portByName, portByOfport, type OvsBridgeView, type OvsPortView } from './OvsBridgeView';
import { candidatePositions } from './OvsTableIndex';

/**
 * Conntrack states the caller may assume (`--ct`), as OVS ct_state bits. `reply` is an
 * established connection's reply direction (+est+rpl): the OVS firewall tells the two apart
 * (`ct_state=+est-rel-rpl` runs the security group rules, `+est-rel+rpl` passes straight to
 * NORMAL), iptables' ESTABLISHED does not.
 */
export type CtAssumption = 'new' | 'established' | 'reply' | 'related' | 'invalid';
const CT = { new: 0x01n, est: 0x02n, rel: 0x04n, rpl: 0x08n, inv: 0x10n, trk: 0x20n } as const;
export const CT_STATE_BITS: Readonly<Record<CtAssumption, bigint>> = {
  new: CT.trk | CT.new,
  established: CT.trk | CT.est,
  reply: CT.trk | CT.est | CT.rpl,
  related: CT.trk | CT.rel,
  invalid: CT.trk | CT.inv,
};

export const OFPP_LOCAL = 65534;

/** A packet leaving the OVS part of the walk through a port. */
export interface OvsOutput {
  readonly bridge: string;
  readonly port: OvsPortView;
  readonly packet: Packet;
  readonly via: 'output' | 'normal' | 'flood' | 'controller';
}

export interface OvsRunResult {
  readonly steps: TraceStep[];
  readonly outputs: OvsOutput[];
  /** Set when the walk could not be completed exactly. */
  readonly indeterminate?: string;
  readonly loop?: boolean;
  /** True when the last lookup found no flow: the packet is dropped by the table-miss behaviour. */
  readonly missed?: boolean;
  /** The last flow that decided the packet's fate (an explicit drop, or the flow whose actions sent nothing). */
  readonly lastDecision?: TraceStep;
  /**
   * Every flow with only a drop action the translation reached, in walk order. When something is
   * output too, these are copies that went nowhere: OVN resubmits a flooded packet through its
   * egress pipeline once per port, and a port's ACL can drop its copy alone.
   */
  readonly drops: readonly TraceStep[];
  readonly assumptions: string[];
  readonly sentToController: boolean;
}

export interface OvsRunOptions {
  readonly bridges: ReadonlyMap<string, OvsBridgeView>;
  readonly ct: CtAssumption;
  /** Starting depth of steps (the host walk nests OVS under a device step). */
  readonly depth?: number;
  readonly netns?: string;
}

/**
 * Destination MACs OVS's NORMAL never forwards (lib/packets.c eth_addr_is_reserved): IEEE 802.1D
 * reserved (STP, pause, LACP, LLDP...), Extreme EDP/EAPS, Cisco ISL/CDP/VTP/PVST+/UplinkFast/CFM.
 */
const RESERVED_MACS: ReadonlySet<bigint> = new Set([
  ...Array.from({ length: 16 }, (_, i) => 0x0180c2000000n + BigInt(i)),
  0x00e02b000000n, 0x00e02b000004n, 0x00e02b000006n,
  0x01000c000000n, 0x01000cccccccn, 0x01000ccccccdn, 0x01000ccdcdcdn,
  ...Array.from({ length: 8 }, (_, i) => 0x01000cccccc0n + BigInt(i)),
]);

const MAX_RESUBMIT_DEPTH = 64;
const MAX_STEPS = 4096;

interface Ctx {
  readonly opts: OvsRunOptions;
  readonly steps: TraceStep[];
  readonly outputs: OvsOutput[];
  readonly assumptions: Set<string>;
  indeterminate?: string;
  loop: boolean;
  missed: boolean;
  lastDecision?: TraceStep;
  readonly drops: TraceStep[];
  sentToController: boolean;
  exit: boolean;
  /** The register stack of `push:`/`pop:` (OVN saves and swaps registers with it), one per translation. */
  readonly stack: bigint[];
  /** The step of the flow whose actions are running: rewrites belong to it, also after a nested resubmit returned. */
  current?: TraceStep;
}

/**
 * Runs a packet through an OVS bridge from `inPort`, following resubmits, goto_table, conjunctive
 * matches, ct() recirculation (with the assumed conntrack state), NORMAL and patch ports into peer
 * bridges, the way `ovs-appctl ofproto/trace` does. The returned steps are the explanation.
 */
export function runOvsPipeline(bridge: OvsBridgeView, inPort: number, packet: Packet, opts: OvsRunOptions): OvsRunResult {
  const ctx: Ctx = { opts, steps: [], outputs: [], drops: [], assumptions: new Set(), loop: false, missed: false, sentToController: false, exit: false, stack: [] };
  const start = withField(packet, 'in_port', BigInt(inPort));
  runTable(ctx, bridge, 0, start, opts.depth ?? 0);
  const result: { -readonly [K in keyof OvsRunResult]: OvsRunResult[K] } = {
    steps: ctx.steps,
    outputs: ctx.outputs,
    drops: ctx.drops,
    assumptions: [...ctx.assumptions],
    sentToController: ctx.sentToController,
  };
  if (ctx.indeterminate) result.indeterminate = ctx.indeterminate;
  if (ctx.loop) result.loop = true;
  if (ctx.missed) result.missed = true;
  if (ctx.lastDecision) result.lastDecision = ctx.lastDecision;
  return result;
}

/** The flow a lookup in `table` selects, conjunctions included; undefined on a miss. */
export function lookupFlow(bridge: OvsBridgeView, table: number, packet: Packet): { flow: CompiledOvsFlow; conj?: CompiledOvsFlow[] } | undefined {
  const flows = bridge.tables.get(table);
  if (!flows) return undefined;
  // Only the flows the table's index cannot rule out, in table order: the same scan as over the
  // whole list, minus flows whose own checks fail on this packet. Each is compiled when first looked at.
  const candidates = candidatePositions(flows.index, packet);
  let regular: CompiledOvsFlow | undefined;
  // Clauses satisfied per conjunction id, with the priority they were matched at.
  let clauses: Map<number, { priority: number; n: number; seen: Set<number>; flows: CompiledOvsFlow[] }> | undefined;
  for (const pos of candidates) {
    // The priority is on the parsed flow: a candidate below the winner is not compiled at all.
    if (regular && (flows.flows[pos]?.priority ?? -1) < regular.flow.priority) break;
    const f = flows.compiled(pos);
    if (f.conjId !== undefined) continue;
    if (!flowMatches(f, packet)) continue;
    if (f.conjunctions.length > 0) {
      clauses ??= new Map();
      for (const c of f.conjunctions) {
        let entry = clauses.get(c.id);
        if (!entry) clauses.set(c.id, (entry = { priority: f.flow.priority, n: c.nClauses, seen: new Set(), flows: [] }));
        entry.seen.add(c.clause);
        entry.flows.push(f);
      }
      continue;
    }
    regular = f;
  }
  let best: { flow: CompiledOvsFlow; conj?: CompiledOvsFlow[] } | undefined = regular ? { flow: regular } : undefined;
  for (const [id, entry] of clauses ?? []) {
    if (entry.seen.size < entry.n) continue;
    if (best && best.flow.flow.priority >= entry.priority) continue;
    const withConj = withField(packet, 'conj_id', BigInt(id));
    const target = flows.conjTargets(BigInt(id)).find((f) => flowMatches(f, withConj));
    if (target) best = { flow: target, conj: entry.flows };
  }
  return best;
}

/** Looks up `table` and runs the winning flow's actions; returns the packet as those actions left it. */
function runTable(ctx: Ctx, bridge: OvsBridgeView, table: number, packet: Packet, depth: number): Packet {
  if (ctx.exit || ctx.indeterminate) return packet;
  if (depth - (ctx.opts.depth ?? 0) > MAX_RESUBMIT_DEPTH || ctx.steps.length > MAX_STEPS) {
    ctx.loop = true;
    ctx.indeterminate ??= `resubmit depth or step limit reached in ${bridge.name} table ${table}: a flow loop`;
    return packet;
  }
  const hit = lookupFlow(bridge, table, packet);
  if (!hit) {
    const step = ovsStep(ctx, bridge, table, depth, { action: 'no flow matched: drop (table miss)', because: [] });
    ctx.missed = true;
    ctx.lastDecision = step;
    return packet;
  }
  const { flow } = hit;
  if (flow.problem) {
    ctx.indeterminate = `${bridge.name} table ${table}: ${flow.problem}`;
  }
  ctx.missed = false;
  const because = flow.checks.map((c) => c.text);
  if (hit.conj) because.push(`conjunction clauses: ${hit.conj.map((c) => c.flow.raw).join(' | ')}`);
  const step = ovsStep(ctx, bridge, table, depth, {
    action: flow.flow.actionsText || 'drop',
    because,
    raw: flow.flow.raw,
    flowSpan: flow,
  });
  // When nothing leaves, the packet's fate is sealed by the last flow that ran, as ofproto/trace
  // shows it: an explicit drop, but also ct(commit) without table=, an output to the input port
  // (skipped), or NORMAL with nowhere to send. Later lookups overwrite this one.
  ctx.lastDecision = step;
  if (flow.flow.actions.every((a) => a.kind === 'drop')) ctx.drops.push(step);
  const outer = ctx.current;
  ctx.current = step;
  const out = executeActions(ctx, bridge, table, flow.flow.actions, packet, depth);
  ctx.current = outer;
  return out;
}

function ovsStep(ctx: Ctx, bridge: OvsBridgeView, table: number, depth: number,
  s: { action: string; because: string[]; raw?: string; flowSpan?: CompiledOvsFlow; rewrites?: string[]; note?: string }): TraceStep {
  // Steps that are not a table lookup (NORMAL, patch ports) pass table -1 and carry no table.
  const step: { -readonly [K in keyof TraceStep]: TraceStep[K] } = { layer: 'ovs', bridge: bridge.name, action: s.action, because: s.because, depth };
  if (table >= 0) step.table = String(table);
  if (ctx.opts.netns !== undefined) step.netns = ctx.opts.netns;
  if (s.raw !== undefined) step.raw = s.raw;
  if (s.flowSpan) step.span = s.flowSpan.flow.span;
  if (s.rewrites) step.rewrites = s.rewrites;
  if (s.note) step.note = s.note;
  ctx.steps.push(step);
  return step;
}

/**
 * Executes an action list on `packet`. Returns the packet as rewritten by the list (for clone and
 * callers that continue). goto_table and ct(table=N) run after the list, as OVS does.
 */
function executeActions(ctx: Ctx, bridge: OvsBridgeView, table: number, actions: readonly OvsAction[], input: Packet, depth: number): Packet {
  let packet = input;
  let next: { table: number } | undefined;
  const recirculations: { table: number; packet: Packet; zone?: bigint }[] = [];
  const actionSet: OvsAction[] = [];
  for (const a of actions) {
    if (ctx.exit || ctx.indeterminate || ctx.loop) break;
    switch (a.kind) {
      case 'output':
      case 'enqueue': {
        const port = resolvePort(ctx, bridge, a.port, packet);
        if (port) emit(ctx, bridge, port, packet, 'output', depth + 1);
        break;
      }
      case 'normal':
        normalSwitch(ctx, bridge, packet, depth + 1);
        break;
      case 'flood':
      case 'all': {
        const inPort = Number(readField(packet, 'in_port'));
        for (const p of bridge.ports) {
          if (p.ofport === undefined || p.ofport === inPort || p.ofport === OFPP_LOCAL) continue;
          if (a.kind === 'flood' && p.noFlood) continue;
          emit(ctx, bridge, p, packet, 'flood', depth + 1);
        }
        break;
      }
      case 'drop':
        break;
      case 'controller':
        ctx.sentToController = true;
        ovsStep(ctx, bridge, table, depth + 1, { action: a.raw, because: [], note: a.pause
          ? 'paused and handed to the OpenFlow controller: the rest of the pipeline runs only when the controller resumes the packet (OVN: ovn-controller answers DHCP, ARP, ND, ICMP errors here)'
          : 'sent to the OpenFlow controller: the packet leaves the datapath here' });
        // A paused packet's fate is the controller's (it may rewrite and resume it, or drop it):
        // nothing in the snapshot says which, and OVS translates no further actions.
        if (a.pause) ctx.indeterminate = `${bridge.name} table ${table}: ${a.raw} pauses the packet and hands it to the controller, which decides what happens next`;
        break;
      case 'stack_push':
        ctx.stack.push(readSubfield(packet, a.field));
        break;
      case 'stack_pop': {
        const v = ctx.stack.pop();
        // OVS logs a stack underflow and leaves the field alone.
        if (v === undefined) { ctx.assumptions.add(`${bridge.name} table ${table}: ${a.raw} on an empty stack changes nothing`); break; }
        if (!a.field.field) { ctx.indeterminate = `${bridge.name}: unknown field in ${a.raw}`; break; }
        const width = BigInt(a.field.end - a.field.start + 1);
        packet = rewrite(ctx, packet, a.field.field, (v & ((1n << width) - 1n)) << BigInt(a.field.start), subfieldMask(a.field));
        break;
      }
      case 'resubmit': {
        const port = a.port ? resolvePort(ctx, bridge, a.port, packet) : undefined;
        const saved = readField(packet, 'in_port');
        let p = packet;
        if (port?.ofport !== undefined) p = withField(p, 'in_port', BigInt(port.ofport));
        // Rewrites made by the nested lookup's actions persist after it returns, as in OVS's
        // translation; the in_port override does not.
        packet = withField(runTable(ctx, bridge, a.table ?? table, p, depth + 1), 'in_port', saved);
        break;
      }
      case 'goto_table':
        next = { table: a.table };
        break;
      case 'ct': {
        let zone: bigint | undefined;
        if (a.zone !== undefined) zone = BigInt(a.zone);
        else if (a.zoneField) zone = readSubfield(packet, a.zoneField);
        const nat = natRewrite(ctx, bridge, table, a);
        if (nat === 'indeterminate') break;
        if (a.table !== undefined) {
          let rec = withField(packet, 'ct_state', CT_STATE_BITS[ctx.opts.ct]);
          if (zone !== undefined) rec = withField(rec, 'ct_zone', zone);
          for (const [f, v] of nat) rec = withField(rec, f, v);
          for (const e of a.exec) if (e.kind === 'set_field' && e.field && e.value && !('portName' in e.value)) rec = withField(rec, e.field, e.value.value, e.value.mask);
          ctx.assumptions.add(`conntrack state assumed ${ctx.opts.ct} (ct_state=${ctStateText(CT_STATE_BITS[ctx.opts.ct])}) after ct() in ${bridge.name}`);
          recirculations.push(zone === undefined ? { table: a.table, packet: rec } : { table: a.table, packet: rec, zone });
        }
        break;
      }
      case 'ct_clear':
        packet = withField(packet, 'ct_state', 0n);
        break;
      case 'set_field': {
        if (!a.field || !a.value || 'portName' in a.value) {
          ctx.indeterminate = `${bridge.name} table ${table}: cannot apply ${a.raw}`;
          break;
        }
        packet = rewrite(ctx, packet, a.field, a.value.value, a.value.mask);
        break;
      }
      case 'load':
        if (!a.dst.field) { ctx.indeterminate = `${bridge.name}: unknown field in ${a.raw}`; break; }
        packet = rewrite(ctx, packet, a.dst.field, a.value << BigInt(a.dst.start), subfieldMask(a.dst));
        break;
      case 'move': {
        if (!a.src.field || !a.dst.field) { ctx.indeterminate = `${bridge.name}: unknown field in ${a.raw}`; break; }
        const v = readSubfield(packet, a.src);
        packet = rewrite(ctx, packet, a.dst.field, v << BigInt(a.dst.start), subfieldMask(a.dst));
        break;
      }
      case 'mod_dl_src': packet = rewrite(ctx, packet, 'eth_src', a.mac); break;
      case 'mod_dl_dst': packet = rewrite(ctx, packet, 'eth_dst', a.mac); break;
      case 'mod_nw_src': packet = rewrite(ctx, packet, 'ip_src', a.ip.value); break;
      case 'mod_nw_dst': packet = rewrite(ctx, packet, 'ip_dst', a.ip.value); break;
      case 'mod_tp_src': packet = rewrite(ctx, packet, 'tp_src', BigInt(a.port)); break;
      case 'mod_tp_dst': packet = rewrite(ctx, packet, 'tp_dst', BigInt(a.port)); break;
      case 'mod_nw_tos': packet = rewrite(ctx, packet, 'nw_tos', BigInt(a.value)); break;
      case 'mod_nw_ecn': packet = rewrite(ctx, packet, 'nw_ecn', BigInt(a.value)); break;
      case 'mod_nw_ttl': packet = rewrite(ctx, packet, 'nw_ttl', BigInt(a.value)); break;
      case 'dec_ttl': {
        const ttl = readField(packet, 'nw_ttl');
        if (ttl <= 1n) { ctx.lastDecision = ovsStep(ctx, bridge, table, depth + 1, { action: a.raw, because: [`nw_ttl=${ttl}`], note: 'TTL expired' }); ctx.exit = true; break; }
        packet = withField(packet, 'nw_ttl', ttl - 1n);
        break;
      }
      case 'mod_vlan_vid': {
        const tci = readField(packet, 'vlan_tci');
        if (!(tci & 0x1000n) && !a.pushIfMissing) break;
        packet = rewrite(ctx, packet, 'vlan_tci', (tci & 0xe000n) | 0x1000n | BigInt(a.vid));
        break;
      }
      case 'mod_vlan_pcp': packet = rewrite(ctx, packet, 'vlan_pcp', BigInt(a.pcp)); break;
      case 'pop_vlan': packet = rewrite(ctx, packet, 'vlan_tci', 0n); break;
      case 'push_vlan': packet = rewrite(ctx, packet, 'vlan_tci', readField(packet, 'vlan_tci') | 0x1000n); break;
      case 'set_tunnel': packet = rewrite(ctx, packet, 'tun_id', a.tunnelId); break;
      case 'write_metadata': packet = rewrite(ctx, packet, 'metadata', a.value, a.mask); break;
      case 'learn':
        ctx.assumptions.add(`learn() actions are recorded, not applied (${bridge.name} table ${table})`);
        break;
      case 'clone':
        executeActions(ctx, bridge, table, a.actions, packet, depth + 1);
        break;
      case 'write_actions':
        actionSet.push(...a.actions);
        break;
      case 'clear_actions':
        actionSet.length = 0;
        break;
      case 'exit':
        ctx.exit = true;
        break;
      case 'conjunction':
      case 'note':
      case 'set_queue':
      case 'pop_queue':
      case 'meter':
        break;
      case 'check_pkt_larger':
        // OVN's MTU check on gateway routers (`check_pkt_larger(1514)->NXM_NX_REG9[1]`): the
        // snapshot has no packet sizes, so the packet is taken to fit, and the walk says so.
        if (!a.dst.field) { ctx.indeterminate = `${bridge.name}: unknown field in ${a.raw}`; break; }
        ctx.assumptions.add(`${bridge.name} table ${table}: ${a.raw}: the packet is assumed no larger than ${a.pktLen} bytes`);
        packet = rewrite(ctx, packet, a.dst.field, 0n, subfieldMask(a.dst));
        break;
      case 'group':
      case 'multipath':
      case 'bundle':
      case 'unknown':
        ctx.indeterminate = `${bridge.name} table ${table}: action ${a.raw} is not simulated`;
        break;
    }
  }
  if (!ctx.exit && !ctx.indeterminate && next) packet = runTable(ctx, bridge, next.table, packet, depth);
  for (const r of recirculations) {
    if (ctx.exit || ctx.indeterminate) break;
    ovsStep(ctx, bridge, table, depth + 1, { action: `recirculate to table ${r.table}`, because: [], note: `ct_state=${ctStateText(readField(r.packet, 'ct_state'))}${r.zone !== undefined ? ` zone=${r.zone}` : ''}` });
    runTable(ctx, bridge, r.table, r.packet, depth + 1);
  }
  if (actionSet.length > 0 && !ctx.exit) executeActions(ctx, bridge, table, actionSet, packet, depth);
  return packet;
}

/**
 * What `ct(...,nat(...))` does to the header: a new connection with `nat(dst=A[-B][:P])` /
 * `nat(src=…)` is translated to the first address (and port) of the range, which the walk states;
 * a bare `nat` / `nat(src)` without addresses changes a new connection nothing. An existing
 * connection keeps the NAT it was set up with, which no snapshot holds: assumed none, and said.
 * A translating ct() without recirculation rewrites the packet in the datapath after OpenFlow
 * translation, which this walk does not model: indeterminate.
 */
function natRewrite(ctx: Ctx, bridge: OvsBridgeView, table: number, a: Extract<OvsAction, { kind: 'ct' }>): [string, bigint][] | 'indeterminate' {
  const nat = a.nat;
  if (!nat) return [];
  if (ctx.opts.ct !== 'new') {
    ctx.assumptions.add(`${bridge.name} table ${table}: ${nat.text} of an existing connection: its translation is not in the snapshot, assumed none`);
    return [];
  }
  if (!nat.type || !nat.addrMin) return [];
  if (a.table === undefined) {
    ctx.indeterminate = `${bridge.name} table ${table}: ${a.raw} translates the packet in the datapath after the OpenFlow pipeline; not simulated`;
    return 'indeterminate';
  }
  const dst = nat.type === 'dst';
  const out: [string, bigint][] = [];
  if (nat.addrMin.family === 6) out.push([dst ? 'ipv6_dst' : 'ipv6_src', nat.addrMin.value]);
  else out.push([dst ? 'ip_dst' : 'ip_src', nat.addrMin.value]);
  if (nat.portMin !== undefined) out.push([dst ? 'tp_dst' : 'tp_src', BigInt(nat.portMin)]);
  const range = nat.addrMax && nat.addrMax.value !== nat.addrMin.value ? ' (the first address of its range)' : '';
  ctx.assumptions.add(`${bridge.name} table ${table}: ${nat.text} translates the new connection to ${describe(out[0]![0], out[0]![1])}${nat.portMin !== undefined ? `:${nat.portMin}` : ''}${range}`);
  return out;
}

function rewrite(ctx: Ctx, packet: Packet, field: string, value: bigint, mask?: bigint): Packet {
  const next = withField(packet, field, value, mask);
  // OVN's check stage writes after its resubmit returns (`resubmit(,73),move:...->NXM_NX_XXREG0[111]`):
  // the rewrite is the running flow's, not the nested lookup's that printed last.
  const last = ctx.current ?? ctx.steps[ctx.steps.length - 1];
  if (last) {
    const text = `${field}=${describe(field, readField(next, field))}`;
    (last as { rewrites?: readonly string[] }).rewrites = [...(last.rewrites ?? []), text];
  }
  return next;
}

function readSubfield(packet: Packet, sf: OvsSubfield): bigint {
  if (!sf.field) return 0n;
  return (readField(packet, sf.field) & subfieldMask(sf)) >> BigInt(sf.start);
}

function resolvePort(ctx: Ctx, bridge: OvsBridgeView, ref: OvsPortRef, packet: Packet): OvsPortView | undefined {
  let port: OvsPortView | undefined;
  switch (ref.kind) {
    case 'number': port = portByOfport(bridge, ref.number); break;
    case 'name': port = portByName(bridge, ref.name); break;
    case 'field': port = portByOfport(bridge, Number(readSubfield(packet, ref.subfield))); break;
    case 'reserved':
      if (ref.name === 'IN_PORT') port = portByOfport(bridge, Number(readField(packet, 'in_port')));
      else if (ref.name === 'LOCAL') port = portByOfport(bridge, OFPP_LOCAL) ?? { name: bridge.name, ofport: OFPP_LOCAL, type: 'internal' };
      else if (ref.name === 'CONTROLLER') ctx.sentToController = true;
      else if (ref.name === 'NORMAL') normalSwitch(ctx, bridge, packet, (ctx.steps[ctx.steps.length - 1]?.depth ?? 0) + 1);
      return port;
  }
  if (!port) ctx.assumptions.add(`${bridge.name}: output to a port that \`ovs-ofctl show\` does not list (${describeRef(ref)}); the packet is lost there`);
  // OVS never sends a packet back out of its input port unless told to with IN_PORT.
  if (port && port.ofport === Number(readField(packet, 'in_port'))) {
    ctx.assumptions.add(`${bridge.name}: output to the input port ${port.name} is skipped, as OVS does`);
    return undefined;
  }
  return port;
}

function describeRef(ref: OvsPortRef): string {
  switch (ref.kind) {
    case 'number': return String(ref.number);
    case 'name': return ref.name;
    case 'reserved': return ref.name;
    case 'field': return ref.subfield.text;
  }
}

/** Sends out of a port; patch ports continue in the peer bridge within the same walk. */
function emit(ctx: Ctx, bridge: OvsBridgeView, port: OvsPortView, packet: Packet, via: OvsOutput['via'], depth: number): void {
  if (port.type === 'patch' && port.peer) {
    const peer = findPatchPeer(ctx, bridge, port);
    if (peer && peer.port.ofport !== undefined) {
      ovsStep(ctx, bridge, -1, depth, { action: `output to patch port ${port.name} -> ${peer.bridge.name} port ${peer.port.name}`, because: [] });
      runTable(ctx, peer.bridge, 0, withField(packet, 'in_port', BigInt(peer.port.ofport)), depth + 1);
      return;
    }
    ctx.assumptions.add(`patch port ${port.name}: peer ${port.peer} not found in any collected bridge`);
  }
  ctx.outputs.push({ bridge: bridge.name, port, packet, via });
}

function findPatchPeer(ctx: Ctx, bridge: OvsBridgeView, port: OvsPortView): { bridge: OvsBridgeView; port: OvsPortView } | undefined {
  for (const b of ctx.opts.bridges.values()) {
    if (b === bridge) continue;
    const p = b.ports.find((x) => x.name === port.peer);
    if (p) return { bridge: b, port: p };
  }
  return undefined;
}

/**
 * The NORMAL action: a VLAN-aware learning switch. Access ports (`tag: N`) carry VLAN N untagged;
 * ports without a tag are trunks. A known destination (from `fdb/show`) gets the packet; an
 * unknown, broadcast or multicast one is flooded to every other port of the VLAN.
 */
function normalSwitch(ctx: Ctx, bridge: OvsBridgeView, packet: Packet, depth: number): void {
  const inPortNo = Number(readField(packet, 'in_port'));
  const inPort = portByOfport(bridge, inPortNo);
  // OVS's NORMAL needs an input bundle: a packet "received on unknown port" is dropped. Only
  // decidable when `ovs-ofctl show` gave the bridge's port numbers.
  if (!inPort && bridge.ports.some((p) => p.ofport !== undefined)) {
    ovsStep(ctx, bridge, -1, depth, { action: 'NORMAL: drop', because: [`in_port=${inPortNo} is not a port of ${bridge.name}: no input bundle`] });
    return;
  }
  const tci = readField(packet, 'vlan_tci');
  const tagged = (tci & 0x1000n) !== 0n;
  let vlan: number;
  if (inPort?.tag !== undefined) {
    if (tagged) {
      ovsStep(ctx, bridge, -1, depth, { action: 'NORMAL: drop', because: [`tagged packet on access port ${inPort.name} (tag ${inPort.tag})`] });
      return;
    }
    vlan = inPort.tag;
  } else {
    vlan = tagged ? Number(tci & 0xfffn) : 0;
    if (inPort?.trunks && inPort.trunks.length > 0 && !inPort.trunks.includes(vlan)) {
      ovsStep(ctx, bridge, -1, depth, { action: 'NORMAL: drop', because: [`VLAN ${vlan} not in trunks of ${inPort.name}`] });
      return;
    }
  }
  const dstMac = readField(packet, 'eth_dst');
  if (RESERVED_MACS.has(dstMac)) {
    ctx.assumptions.add(`${bridge.name}: other_config:forward-bpdu assumed false (the default; snapshots do not show it)`);
    ovsStep(ctx, bridge, -1, depth, { action: 'NORMAL: drop', because: [`${formatMac(dstMac)} is a reserved address a bridge never forwards`] });
    return;
  }
  const inVlan = (p: OvsPortView): boolean =>
    p.tag !== undefined ? p.tag === vlan : !p.trunks || p.trunks.length === 0 || p.trunks.includes(vlan);
  const dst = readField(packet, 'eth_src') === readField(packet, 'eth_dst') ? undefined : readField(packet, 'eth_dst');
  let targets: OvsPortView[] = [];
  let how = '';
  if (dst !== undefined && !isMulticastMac(dst) && bridge.fdb) {
    const entry = bridge.fdb.find((e) => e.mac === dst && e.vlan === vlan);
    if (entry) {
      const p = portByOfport(bridge, entry.ofport);
      if (p && p.ofport !== inPortNo) targets = [p];
      how = `fdb: ${formatMac(dst)} on VLAN ${vlan} is behind port ${p?.name ?? entry.ofport}`;
    }
  }
  if (!how) {
    targets = bridge.ports.filter((p) => p.ofport !== undefined && p.ofport !== inPortNo && inVlan(p) && !p.noFlood);
    how = dst !== undefined && isMulticastMac(dst) ? `flood: ${formatMac(dst)} is broadcast/multicast` :
      `flood: ${dst === undefined ? 'destination' : formatMac(dst)} not in the ${bridge.fdb ? 'FDB' : 'FDB (no fdb/show collected)'} for VLAN ${vlan}`;
    if (!bridge.fdb && dst !== undefined && !isMulticastMac(dst)) ctx.assumptions.add(`${bridge.name}: no fdb/show collected; NORMAL floods unicast as for an unknown MAC`);
  }
  ovsStep(ctx, bridge, -1, depth, { action: `NORMAL -> ${targets.map((t) => t.name).join(', ') || 'nowhere'}`, because: [how] });
  for (const t of targets) {
    let out = packet;
    // Access ports send untagged; trunks carry the VLAN tag (VLAN 0 stays untagged).
    if (t.tag !== undefined || vlan === 0) out = withField(out, 'vlan_tci', 0n);
    else out = withField(out, 'vlan_tci', 0x1000n | BigInt(vlan));
    emit(ctx, bridge, t, out, 'normal', depth + 1);
  }
}

export function ctStateText(bits: bigint): string {
  const names: [bigint, string][] = [[CT.trk, 'trk'], [CT.new, 'new'], [CT.est, 'est'], [CT.rel, 'rel'], [CT.rpl, 'rpl'], [CT.inv, 'inv']];
  const on = names.filter(([b]) => (bits & b) !== 0n).map(([, n]) => `+${n}`);
  return on.length ? on.join('') : '0';
}

/** A field value as operators read it (IPs dotted, MACs colon-separated). */
export function describe(field: string, v: bigint): string {
  if (/^(ip|nw|arp_[st]pa|ct_nw|tun)_?(src|dst)$|^arp_[st]pa$/.test(field) && v < 1n << 32n) return formatIp({ family: 4, value: v });
  if (/^(eth|dl)_(src|dst)$|^arp_[st]ha$/.test(field)) return formatMac(v);
  return v > 9n ? `0x${v.toString(16)}` : v.toString();
}
