import { isPortName } from '../../ovs/OvsMatch';
import type { OvsFlow } from '../../ovs/parseOvsDumpFlows';
import { fieldReader, type FieldReader, type Packet } from '../Packet';

/** One field test of a flow: `(packet[field] & mask) === value` (value pre-masked). */
export interface FieldCheck {
  readonly field: string;
  readonly value: bigint;
  readonly mask: bigint;
  /** Reads `field` from a packet (its slot resolved once, at compile time). */
  readonly read: FieldReader;
  /** The match item as written, for explanations (`arp_spa=10.1.26.144`). */
  readonly text: string;
}

export interface CompiledOvsFlow {
  readonly flow: OvsFlow;
  readonly order: number;
  readonly checks: readonly FieldCheck[];
  /** `conj_id=N` flows only match once conjunction N is complete. */
  readonly conjId?: bigint;
  /** Set for flows whose actions are `conjunction(id,k/n)` clauses. */
  readonly conjunctions: readonly { id: number; clause: number; nClauses: number }[];
  /** Why this flow cannot be evaluated exactly (an unread match item, an unknown port name). */
  readonly problem?: string;
}

/**
 * Turns a parsed flow into field checks. Port names (`in_port="tap1"`) resolve through the
 * bridge's `ovs-ofctl show`; an unresolvable name makes the flow indeterminate, never a wildcard.
 */
export function compileOvsFlow(flow: OvsFlow, ofportByName: ReadonlyMap<string, number>, order: number): CompiledOvsFlow {
  const checks: FieldCheck[] = [];
  let conjId: bigint | undefined;
  let problem: string | undefined;
  for (const f of flow.match.fields) {
    if (f.field === 'conj_id' && !isPortName(f.value)) {
      conjId = f.value.value;
      continue;
    }
    if (isPortName(f.value)) {
      const n = ofportByName.get(f.value.portName);
      if (n === undefined) {
        problem = `${f.raw}: port "${f.value.portName}" is not in the bridge's port list`;
        continue;
      }
      checks.push({ field: f.field, value: BigInt(n), mask: 0xffffn, read: fieldReader(f.field), text: f.raw });
      continue;
    }
    checks.push({ field: f.field, value: f.value.value & f.value.mask, mask: f.value.mask, read: fieldReader(f.field), text: f.raw });
  }
  if (flow.match.unread.length > 0) problem = `unread match item ${flow.match.unread.map((u) => u.raw).join(', ')}`;
  const conjunctions = flow.actions.flatMap((a) => (a.kind === 'conjunction' ? [{ id: a.id, clause: a.clause, nClauses: a.nClauses }] : []));
  const out: { -readonly [K in keyof CompiledOvsFlow]: CompiledOvsFlow[K] } = { flow, order, checks, conjunctions };
  if (conjId !== undefined) out.conjId = conjId;
  if (problem !== undefined) out.problem = problem;
  return out;
}

export function flowMatches(compiled: CompiledOvsFlow, packet: Packet): boolean {
  for (const c of compiled.checks) if ((c.read(packet) & c.mask) !== c.value) return false;
  return true;
}
