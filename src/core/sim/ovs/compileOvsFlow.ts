import { isPortName, type MaskedValue } from '../../ovs/OvsMatch';
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

const NO_CONJUNCTIONS: CompiledOvsFlow['conjunctions'] = [];

/**
 * Checks by their value object: the dump-flows parser shares one value among the flows that
 * write the same item (`reg5=0x9` on hundreds of flows), so they can share one immutable check.
 */
const CHECKS = new WeakMap<MaskedValue, FieldCheck[]>();

function sharedCheck(field: string, v: MaskedValue, text: string): FieldCheck {
  let list = CHECKS.get(v);
  if (!list) CHECKS.set(v, (list = []));
  for (const c of list) if (c.field === field && c.text === text) return c;
  const c: FieldCheck = { field, value: v.value & v.mask, mask: v.mask, read: fieldReader(field), text };
  list.push(c);
  return c;
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
    checks.push(sharedCheck(f.field, f.value, f.raw));
  }
  if (flow.match.unread.length > 0) problem = `unread match item ${flow.match.unread.map((u) => u.raw).join(', ')}`;
  let conjunctions: { id: number; clause: number; nClauses: number }[] | undefined;
  for (const a of flow.actions) if (a.kind === 'conjunction') (conjunctions ??= []).push({ id: a.id, clause: a.clause, nClauses: a.nClauses });
  const out: { -readonly [K in keyof CompiledOvsFlow]: CompiledOvsFlow[K] } = { flow, order, checks, conjunctions: conjunctions ?? NO_CONJUNCTIONS };
  if (conjId !== undefined) out.conjId = conjId;
  if (problem !== undefined) out.problem = problem;
  return out;
}

export function flowMatches(compiled: CompiledOvsFlow, packet: Packet): boolean {
  for (const c of compiled.checks) if ((c.read(packet) & c.mask) !== c.value) return false;
  return true;
}
