import type { FieldReader, Packet } from '../Packet';
import type { CompiledOvsFlow } from './compileOvsFlow';

/**
 * A lookup index over one OpenFlow table, in the spirit of OVS's classifier (tuple space search):
 * flows that test the same field under the same mask are put in one partition, hashed by the value
 * they require, so a lookup reads that field once and only looks at the flows whose value agrees.
 * Flows that test none of the chosen (field, mask) pairs stay in a `rest` list that is always
 * looked at. A bucket that is still long is partitioned again on another field (`in_port`, then
 * `reg5`, then `eth_type`...), so a 20,000-flow Neutron table narrows to a handful of candidates.
 *
 * The index only ever drops flows that cannot match: a flow lands in a bucket by one of its own
 * checks, and `(packet[field] & mask) !== value` fails that check. The candidates come back in
 * table order (highest priority first, dump order on ties), so the caller's scan picks the same
 * winner and collects the same conjunction clauses as a scan of the whole table.
 */
export interface OvsTableIndex {
  /** The table's flows, in lookup order: positions in the index refer to this list. */
  readonly flows: readonly CompiledOvsFlow[];
  readonly root: IndexNode;
  /** `conj_id=N` flows by N, in table order: they are only looked at once conjunction N is complete. */
  readonly conjTargets: ReadonlyMap<bigint, readonly CompiledOvsFlow[]>;
}

interface Partition {
  readonly field: string;
  readonly mask: bigint;
  readonly read: FieldReader;
  /** Required value -> positions (ascending) or a finer index of them. */
  readonly buckets: ReadonlyMap<bigint, readonly number[] | IndexNode>;
}

interface IndexNode {
  readonly partitions: readonly Partition[];
  /** Positions (ascending) of flows no partition holds. */
  readonly rest: readonly number[];
}

/** Below this many flows a plain scan is as fast as hashing. */
const MIN_PARTITIONED = 16;
/** A partition must rule out at least this many flows for any packet to be worth a hash lookup. */
const MIN_GAIN = 8;
const MAX_PARTITIONS = 8;
const MAX_DEPTH = 4;
const NO_POSITIONS: readonly number[] = [];

const CACHE = new WeakMap<readonly CompiledOvsFlow[], OvsTableIndex>();

/** The index of a table's flow list (built on first use, then cached for the list). */
export function ovsTableIndex(flows: readonly CompiledOvsFlow[]): OvsTableIndex {
  let index = CACHE.get(flows);
  if (index === undefined) {
    index = buildIndex(flows);
    CACHE.set(flows, index);
  }
  return index;
}

function buildIndex(flows: readonly CompiledOvsFlow[]): OvsTableIndex {
  const conjTargets = new Map<bigint, CompiledOvsFlow[]>();
  const positions: number[] = [];
  flows.forEach((f, pos) => {
    if (f.conjId === undefined) {
      positions.push(pos);
      return;
    }
    let list = conjTargets.get(f.conjId);
    if (!list) conjTargets.set(f.conjId, (list = []));
    list.push(f);
  });
  return { flows, root: buildNode(flows, positions, 0), conjTargets };
}

interface PairStats {
  readonly field: string;
  readonly mask: bigint;
  readonly read: FieldReader;
  count: number;
  readonly perValue: Map<bigint, number>;
}

/** Greedy: the (field, mask) pair that rules out the most flows for the worst packet value, repeatedly. */
function buildNode(flows: readonly CompiledOvsFlow[], positions: readonly number[], depth: number): IndexNode {
  const partitions: Partition[] = [];
  let remaining = positions;
  while (remaining.length >= MIN_PARTITIONED && partitions.length < MAX_PARTITIONS && depth < MAX_DEPTH) {
    const best = bestPair(flows, remaining);
    if (!best) break;
    const grouped = new Map<bigint, number[]>();
    const left: number[] = [];
    for (const pos of remaining) {
      const c = flows[pos]?.checks.find((k) => k.field === best.field && k.mask === best.mask);
      if (!c) {
        left.push(pos);
        continue;
      }
      let list = grouped.get(c.value);
      if (!list) grouped.set(c.value, (list = []));
      list.push(pos);
    }
    const buckets = new Map<bigint, readonly number[] | IndexNode>();
    for (const [value, list] of grouped) {
      if (list.length < MIN_PARTITIONED) {
        buckets.set(value, list);
        continue;
      }
      const node = buildNode(flows, list, depth + 1);
      buckets.set(value, node.partitions.length === 0 ? list : node);
    }
    partitions.push({ field: best.field, mask: best.mask, read: best.read, buckets });
    remaining = left;
  }
  return { partitions, rest: remaining.length === 0 ? NO_POSITIONS : remaining };
}

function bestPair(flows: readonly CompiledOvsFlow[], positions: readonly number[]): PairStats | undefined {
  const byField = new Map<string, Map<bigint, PairStats>>();
  for (const pos of positions) {
    const checks = flows[pos]?.checks ?? [];
    for (let i = 0; i < checks.length; i++) {
      const c = checks[i];
      if (!c) continue;
      // A flow testing the same pair twice is counted (and later filed) by its first test.
      let dup = false;
      for (let j = 0; j < i && !dup; j++) dup = checks[j]?.field === c.field && checks[j]?.mask === c.mask;
      if (dup) continue;
      let byMask = byField.get(c.field);
      if (!byMask) byField.set(c.field, (byMask = new Map<bigint, PairStats>()));
      let s = byMask.get(c.mask);
      if (!s) byMask.set(c.mask, (s = { field: c.field, mask: c.mask, read: c.read, count: 0, perValue: new Map() }));
      s.count++;
      s.perValue.set(c.value, (s.perValue.get(c.value) ?? 0) + 1);
    }
  }
  let best: PairStats | undefined;
  let bestGain = MIN_GAIN - 1;
  for (const byMask of byField.values()) {
    for (const s of byMask.values()) {
      let largest = 0;
      for (const n of s.perValue.values()) if (n > largest) largest = n;
      const gain = s.count - largest;
      if (gain > bestGain) {
        best = s;
        bestGain = gain;
      }
    }
  }
  return best;
}

/**
 * Positions (ascending) of the flows that may match `packet`: every other flow of the table
 * (conj_id flows aside) fails one of its own checks on it.
 */
export function candidatePositions(index: OvsTableIndex, packet: Packet): readonly number[] {
  const lists: (readonly number[])[] = [];
  collect(index.root, packet, lists);
  return mergeAscending(lists);
}

function collect(node: IndexNode, packet: Packet, out: (readonly number[])[]): void {
  if (node.rest.length > 0) out.push(node.rest);
  for (const p of node.partitions) {
    const b = p.buckets.get(p.read(packet) & p.mask);
    if (b === undefined) continue;
    if (isPositions(b)) out.push(b);
    else collect(b, packet, out);
  }
}

function isPositions(b: readonly number[] | IndexNode): b is readonly number[] {
  return Array.isArray(b);
}

/** Merges ascending lists of distinct positions (a flow is in exactly one list). */
function mergeAscending(lists: readonly (readonly number[])[]): readonly number[] {
  if (lists.length === 0) return NO_POSITIONS;
  if (lists.length === 1) return lists[0] ?? NO_POSITIONS;
  let total = 0;
  for (const l of lists) total += l.length;
  const out = new Array<number>(total);
  const at = new Array<number>(lists.length).fill(0);
  for (let k = 0; k < total; k++) {
    let pick = -1;
    let min = Infinity;
    for (let j = 0; j < lists.length; j++) {
      const v = lists[j]?.[at[j] ?? 0];
      if (v !== undefined && v < min) {
        min = v;
        pick = j;
      }
    }
    out[k] = min;
    at[pick] = (at[pick] ?? 0) + 1;
  }
  return out;
}
