import { isPortName, type OvsMatch } from '../../src/core/ovs/OvsMatch';
import type { OvsFlow } from '../../src/core/ovs/parseOvsDumpFlows';
import { parseOvsTrace } from '../../src/core/ovs/parseOvsTrace';
import { readField } from '../../src/core/sim/Packet';
import type { OvsRunResult } from '../../src/core/sim/ovs/runOvsPipeline';
import type { TraceStep } from '../../src/core/sim/TraceResult';

/**
 * What one packet did in OVS, in a form both `ofproto/trace` and the simulator can be reduced
 * to and compared: the flows visited, pass by pass (pass 0, then one per ct() recirculation),
 * and where copies of the packet left the datapath (`port@vlan`, `-` for untagged).
 * A flow is named by bridge, table, priority and its match fields (canonical field names, so
 * OpenFlow 1.0 and 1.3 spellings agree); a table miss is `bridge:table:MISS`.
 */
export interface OvsOutcome {
  readonly passes: readonly (readonly string[])[];
  readonly outputs: readonly string[];
  /** The flow that sealed the packet's fate: the last flow visited in the last pass. */
  readonly lastFlow?: string;
  /** Things that could not be read (unknown datapath actions, unparsed trace lines). */
  readonly problems: readonly string[];
}

export function canonicalMatch(m: OvsMatch): string {
  const items = new Set<string>();
  for (const f of m.fields) {
    items.add(isPortName(f.value) ? `${f.field}="${f.value.portName}"` : `${f.field}=0x${(f.value.value & f.value.mask).toString(16)}/0x${f.value.mask.toString(16)}`);
  }
  return [...items].sort().join(',');
}

export function flowIdentity(bridge: string, table: number, priority: number, match: OvsMatch): string {
  return `${bridge}:${table}:${priority}:${canonicalMatch(match)}`;
}

const MISS_RULE = /^reg0=0x[0-9a-f]+$/;

/** Splits `a,b(c,d),e` at top-level commas. */
function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = text.slice(start).trim();
  if (last) out.push(last);
  return out;
}

function initialVlan(flowText: string | undefined): string {
  if (!flowText) return '-';
  const tci = /(?:^|,)vlan_tci=(0x[0-9a-fA-F]+)/.exec(flowText);
  if (tci) {
    const v = Number(tci[1]);
    return v & 0x1000 ? String(v & 0xfff) : '-';
  }
  const vid = /(?:^|,)dl_vlan=(\d+)/.exec(flowText);
  return vid ? String(Number(vid[1])) : '-';
}

/** Outputs of one pass's `Datapath actions:` line, with the VLAN the packet carries at each. */
function datapathOutputs(actions: string, startVlan: string, odpPorts: ReadonlyMap<number, string>, problems: string[]): string[] {
  const outputs: string[] = [];
  const run = (list: string, vlan0: string): void => {
    let vlan = vlan0;
    for (const a of splitTopLevel(list)) {
      if (/^\d+$/.test(a)) {
        outputs.push(`${odpPorts.get(Number(a)) ?? `odp${a}`}@${vlan}`);
        continue;
      }
      const push = /^push_vlan\(vid=(\d+)/.exec(a);
      if (push) { vlan = String(Number(push[1])); continue; }
      if (a === 'pop_vlan') { vlan = '-'; continue; }
      if (a === 'drop' || /^(ct|recirc|set|set_masked|ct_clear|meter|hash|trunc)\b/.test(a)) continue;
      if (/^userspace\(/.test(a)) { outputs.push('CONTROLLER'); continue; }
      const clone = /^clone\((.*)\)$/.exec(a);
      if (clone) { run(clone[1] ?? '', vlan); continue; }
      problems.push(`datapath action not understood: ${a}`);
    }
  };
  run(actions, startVlan);
  return outputs;
}

/** Reduces `ovs-appctl ofproto/trace` output. `flowIds` holds every installed flow's identity. */
export function traceOutcome(text: string, odpPorts: ReadonlyMap<number, string>, flowIds: ReadonlySet<string>): OvsOutcome {
  const problems: string[] = [];
  const t = parseOvsTrace(text, { file: 'ofproto/trace' });
  for (const d of t.diagnostics) if (d.severity === 'error') problems.push(`trace line ${d.line}: ${d.message}`);
  const passes: string[][] = [];
  const outputs: string[] = [];
  // OVS 3.1 heads a recirculation pass with the bridge the trace started in, even when the
  // ct(table=N) that recirculated ran in a patch peer; the pass really resumes in the bridge of
  // that ct(). Recirculations are handled first in, first out.
  // Only the first `bridge(...)` section of the pass is misnamed; later ones (patch ports) are right.
  const recircBridges: string[] = [];
  const headers: number[] = [];
  text.split('\n').forEach((line, i) => { if (/^\s*bridge\(".*"\)\s*$/.test(line)) headers.push(i + 1); });
  for (const pass of t.value.passes) {
    const ids: string[] = [];
    const resumeIn = pass.index > 0 ? recircBridges.shift() : undefined;
    const firstLine = pass.steps[0]?.span.line ?? 0;
    const misnamedFrom = [...headers].reverse().find((h) => h < firstLine) ?? 0;
    const misnamedTo = headers.find((h) => h > misnamedFrom) ?? Number.MAX_SAFE_INTEGER;
    for (const s of pass.steps) {
      const printed = s.bridge ?? t.value.bridge ?? '?';
      const bridge = resumeIn !== undefined && s.span.line > misnamedFrom && s.span.line < misnamedTo ? resumeIn : printed;
      if (s.actions.some((a) => a.kind === 'ct' && a.table !== undefined)) recircBridges.push(bridge);
      if (s.noMatch || (s.priority === 0 && MISS_RULE.test(s.matchText))) {
        ids.push(`${bridge}:${s.table}:MISS`);
        continue;
      }
      if (!s.match) { problems.push(`trace step without a readable match: ${s.raw}`); continue; }
      const id = flowIdentity(bridge, s.table, s.priority ?? 32768, s.match);
      if (!flowIds.has(id)) problems.push(`trace step is not an installed flow: ${s.raw}`);
      ids.push(id);
    }
    passes.push(ids);
    if (pass.translationFailed) problems.push(`translation failed: ${pass.translationFailed}`);
    if (pass.datapathActions !== undefined) outputs.push(...datapathOutputs(pass.datapathActions, initialVlan(pass.flowText), odpPorts, problems));
  }
  const lastPass = passes[passes.length - 1];
  const lastFlow = lastPass?.[lastPass.length - 1];
  return { passes, outputs: outputs.sort(), ...(lastFlow ? { lastFlow } : {}), problems };
}

/** The identity of a simulator step, or undefined when it is not a flow lookup. */
export function simStepIdentity(s: TraceStep, flowsByRaw: ReadonlyMap<string, OvsFlow>): string | undefined {
  if (s.layer !== 'ovs' || s.table === undefined || !s.bridge) return undefined;
  if (s.action.startsWith('no flow matched')) return `${s.bridge}:${s.table}:MISS`;
  if (s.raw === undefined) return undefined;
  const f = flowsByRaw.get(`${s.bridge}\u0000${s.raw}`);
  return f ? flowIdentity(s.bridge, f.table, f.priority, f.match) : `${s.bridge}:${s.table}:unknown flow ${s.raw}`;
}

/**
 * Reduces a runOvsPipeline result. Passes are found from the walk's `recirculate to table N`
 * steps: a recirculated pipeline runs one level deeper than the flow that recirculated, so it
 * lasts until the walk returns above that level.
 */
export function simOutcome(r: OvsRunResult, flowsByRaw: ReadonlyMap<string, OvsFlow>): OvsOutcome {
  const passes: string[][] = [[]];
  const stack: { pass: number; depth: number }[] = [];
  for (const s of r.steps) {
    const recirc = s.layer === 'ovs' && s.action.startsWith('recirculate to table');
    while (stack.length > 0 && (recirc ? s.depth <= stack[stack.length - 1]!.depth : s.depth < stack[stack.length - 1]!.depth)) stack.pop();
    if (recirc) {
      passes.push([]);
      stack.push({ pass: passes.length - 1, depth: s.depth });
      continue;
    }
    const id = simStepIdentity(s, flowsByRaw);
    if (id !== undefined) passes[stack.length > 0 ? stack[stack.length - 1]!.pass : 0]!.push(id);
  }
  const outputs = r.outputs.map((o) => {
    const tci = readField(o.packet, 'vlan_tci');
    return `${o.port.name}@${tci & 0x1000n ? String(tci & 0xfffn) : '-'}`;
  });
  if (r.sentToController) outputs.push('CONTROLLER');
  const problems: string[] = [];
  if (r.indeterminate) problems.push(`simulator indeterminate: ${r.indeterminate}`);
  const lastPass = passes[passes.length - 1];
  const lastFlow = lastPass?.[lastPass.length - 1];
  return { passes, outputs: outputs.sort(), ...(lastFlow ? { lastFlow } : {}), problems };
}

/** Differences between two outcomes, as sentences; empty when they agree. */
export function compareOutcomes(real: OvsOutcome, sim: OvsOutcome): string[] {
  const diffs: string[] = [];
  const n = Math.max(real.passes.length, sim.passes.length);
  for (let i = 0; i < n; i++) {
    const a = real.passes[i] ?? [];
    const b = sim.passes[i] ?? [];
    const k = a.findIndex((x, j) => x !== b[j]);
    const at = k === -1 ? (a.length === b.length ? -1 : Math.min(a.length, b.length)) : k;
    if (at !== -1) diffs.push(`pass ${i} step ${at}: ofproto/trace visits ${a[at] ?? '(nothing)'}, simulator ${b[at] ?? '(nothing)'}`);
  }
  if (real.outputs.join(' ') !== sim.outputs.join(' ')) diffs.push(`outputs: ofproto/trace [${real.outputs.join(' ')}], simulator [${sim.outputs.join(' ')}]`);
  diffs.push(...real.problems.map((p) => `ofproto/trace: ${p}`), ...sim.problems.map((p) => `simulator: ${p}`));
  return diffs;
}
