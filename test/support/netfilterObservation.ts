import { formatTrace } from '../../src/core/sim/formatTrace';
import type { CtAssumption } from '../../src/core/sim/ovs/runOvsPipeline';
import { parsePacketSpec } from '../../src/core/sim/parsePacketSpec';
import type { TraceResult } from '../../src/core/sim/TraceResult';
import type { SimHost } from '../../src/core/sim/walk/SimHost';
import { simulateHost } from '../../src/core/sim/walk/simulateHost';
import { CT_STATE_RULES } from './hybridNetfilterLab';

/**
 * One frame as the kernel handled it (netfilterProbeDriver.py): the `iptables-save -c` counters
 * that moved (`table|chain|N` for the N-th rule of the chain, `table|chain|policy`) and the host
 * devices whose guest received the frame. `compareNetfilterObservation` replays the frame through
 * the simulator and lists every difference.
 */
export interface NetfilterObservation {
  readonly deltas: Readonly<Record<string, number>>;
  readonly received: readonly string[];
}

export interface NetfilterComparison {
  /** The conntrack state the kernel gave the frame (read from mangle PREROUTING), as told to the simulator. */
  readonly ct: CtAssumption;
  readonly sim: TraceResult;
  readonly problems: readonly string[];
  /** The disagreement as text: frame, problems, both sides. */
  readonly report: string;
}

/** The simulator's counter deltas: one per rule matched and per policy applied, as the kernel counts. */
export function simCounterDeltas(r: TraceResult): Map<string, number> {
  const m = new Map<string, number>();
  for (const s of r.steps) {
    if (s.layer !== 'iptables' || (s.netns ?? '') !== '' || !s.table || !s.chain) continue;
    const key = s.index !== undefined ? `${s.table}|${s.chain}|${s.index}` : s.action.startsWith('policy ') ? `${s.table}|${s.chain}|policy` : undefined;
    if (key) m.set(key, (m.get(key) ?? 0) + 1);
  }
  return m;
}

const CT_OF_RULE: Readonly<Record<(typeof CT_STATE_RULES)[number], CtAssumption | undefined>> = {
  NEW: 'new', ESTABLISHED: 'established', RELATED: 'related', INVALID: 'invalid', UNTRACKED: undefined,
};

export function compareNetfilterObservation(host: SimHost, from: string, flow: string, o: NetfilterObservation): NetfilterComparison {
  const states = CT_STATE_RULES.filter((_, k) => (o.deltas[`mangle|PREROUTING|${k + 1}`] ?? 0) > 0);
  const told = states.length > 0 ? CT_OF_RULE[states[0]!] : 'new';
  const ct = told ?? 'new';
  const problems: string[] = [];
  if (states.length > 1) problems.push(`the kernel counted several conntrack states: ${states.join(', ')}`);
  if (!told) problems.push(`conntrack state ${states.join(',')} cannot be told to the simulator`);
  const spec = parsePacketSpec(flow);
  const errors = spec.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) problems.push(`parsePacketSpec: ${errors.map((e) => e.message).join('; ')}`);
  const sim = simulateHost(host, { kind: 'device', device: from, netns: '' }, spec.value, { ct });
  const want = new Map(Object.entries(o.deltas));
  const got = simCounterDeltas(sim);
  for (const k of new Set([...want.keys(), ...got.keys()])) {
    if ((want.get(k) ?? 0) !== (got.get(k) ?? 0)) problems.push(`${k}: kernel counted ${want.get(k) ?? 0}, simulator ${got.get(k) ?? 0}`);
  }
  // Guests are what the kernel side observes; a frame handed to the bridge device's own stack is local.
  const isBridge = (e: { device?: string; netns?: string }): boolean => host.namespaces.get(e.netns ?? '')?.bridges.has(e.device ?? '') ?? false;
  const simReached = [...new Set(sim.egress.filter((e) => e.kind !== 'local' && e.device && !isBridge(e)).map((e) => e.device!))].sort();
  const received = [...o.received].sort();
  if (simReached.join(' ') !== received.join(' ')) problems.push(`received by: kernel [${received.join(' ')}], simulator [${simReached.join(' ')}]`);
  if (sim.verdict === 'indeterminate' || sim.verdict === 'loop') problems.push(`simulator verdict ${sim.verdict}: ${sim.notes.join('; ')}`);
  // A frame no guest received was dropped by the rule the simulator names, and that rule counted it.
  if (received.length === 0 && sim.decidedBy?.layer === 'iptables') {
    const d = sim.decidedBy;
    const key = d.index !== undefined ? `${d.table}|${d.chain}|${d.index}` : `${d.table}|${d.chain}|policy`;
    if (!want.has(key)) problems.push(`simulator's deciding rule ${key} did not count the frame in the kernel`);
  }
  const report = [`from ${from}: ${flow}`, `conntrack: ${told ?? states.join(',')}`, ...problems.map((x) => `  ${x}`),
    '  kernel counters moved:', ...Object.entries(o.deltas).map(([k, v]) => `    ${k} +${v}`),
    `  kernel delivered to: ${received.join(' ') || '(nobody)'}`,
    '  simulator:', ...formatTrace(sim).split('\n').map((x) => `    ${x}`)].join('\n');
  return { ct, sim, problems, report };
}
