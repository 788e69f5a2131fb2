import type { FieldReader, Packet } from '../Packet';

/**
 * A lookup index over one OpenFlow table, in the spirit of OVS's classifier (tuple space search):
 * flows that test the same field under the same mask are put in one partition, hashed by the value
 * they require, so a lookup reads that field once and only looks at the flows whose value agrees.
 * Flows that test none of the chosen (field, mask) pairs stay in a `rest` list that is always
 * looked at. A bucket that is still long is partitioned again on another field (`in_port`, then
 * `reg5`, then `eth_type`...), so a 20,000-flow Neutron table narrows to a handful of candidates.
 *
 * The index is built from each flow's index keys: tests the flow is known to make (some or all of
 * its compiled checks; see OvsFlowTable). It only ever drops flows that cannot match: a flow lands
 * in a bucket by one of its own tests, and `(packet[field] & mask) !== value` fails that test. The
 * candidates come back in table order (highest priority first, dump order on ties), so the
 * caller's scan picks the same winner and collects the same conjunction clauses as a scan of the
 * whole table.
 */
export interface OvsTableIndex {
  readonly root: IndexNode;
}

/**
 * A test a flow makes: `(packet[field] & mask) === value` (value pre-masked), with small numbers
 * naming its (field, mask) pair and its (field, mask, value) triple: equal tests must carry equal
 * ids and different tests different ones (OvsIndexKeyReader interns them), so building an index
 * of 20,000 flows hashes small integers rather than bigints.
 */
export interface IndexKey {
  readonly field: string;
  readonly value: bigint;
  readonly mask: bigint;
  readonly read: FieldReader;
  readonly pairId: number;
  readonly valueId: number;
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
const NO_KEYS: readonly IndexKey[] = [];

/** The index of a table whose flow at position `pos` (lookup order) makes the tests `keys[pos]`. */
export function buildOvsTableIndex(keys: readonly (readonly IndexKey[])[]): OvsTableIndex {
  return { root: buildNode(keys, keys.map((_, pos) => pos), 0) };
}

interface PairStats {
  readonly key: IndexKey;
  count: number;
  /** Flows per value (by valueId). */
  readonly perValue: Map<number, number>;
}

/** Greedy: the (field, mask) pair that rules out the most flows for the worst packet value, repeatedly. */
function buildNode(keys: readonly (readonly IndexKey[])[], positions: readonly number[], depth: number): IndexNode {
  const partitions: Partition[] = [];
  let remaining = positions;
  while (remaining.length >= MIN_PARTITIONED && partitions.length < MAX_PARTITIONS && depth < MAX_DEPTH) {
    const best = bestPair(keys, remaining);
    if (!best) break;
    const pairId = best.key.pairId;
    // Equal valueIds are equal values (and the other way round), so each group is one bucket.
    const grouped = new Map<number, { value: bigint; list: number[] }>();
    const left: number[] = [];
    for (const pos of remaining) {
      const c = keys[pos]?.find((k) => k.pairId === pairId);
      if (!c) {
        left.push(pos);
        continue;
      }
      let g = grouped.get(c.valueId);
      if (!g) grouped.set(c.valueId, (g = { value: c.value, list: [] }));
      g.list.push(pos);
    }
    const buckets = new Map<bigint, readonly number[] | IndexNode>();
    for (const { value, list } of grouped.values()) {
      if (list.length < MIN_PARTITIONED) {
        buckets.set(value, list);
        continue;
      }
      const node = buildNode(keys, list, depth + 1);
      buckets.set(value, node.partitions.length === 0 ? list : node);
    }
    partitions.push({ field: best.key.field, mask: best.key.mask, read: best.key.read, buckets });
    remaining = left;
  }
  return { partitions, rest: remaining.length === 0 ? NO_POSITIONS : remaining };
}

function bestPair(keys: readonly (readonly IndexKey[])[], positions: readonly number[]): PairStats | undefined {
  const byPair = new Map<number, PairStats>();
  for (const pos of positions) {
    const checks = keys[pos] ?? NO_KEYS;
    for (let i = 0; i < checks.length; i++) {
      const c = checks[i];
      if (!c) continue;
      // A flow testing the same pair twice is counted (and later filed) by its first test.
      let dup = false;
      for (let j = 0; j < i && !dup; j++) dup = checks[j]?.pairId === c.pairId;
      if (dup) continue;
      let s = byPair.get(c.pairId);
      if (!s) byPair.set(c.pairId, (s = { key: c, count: 0, perValue: new Map() }));
      s.count++;
      s.perValue.set(c.valueId, (s.perValue.get(c.valueId) ?? 0) + 1);
    }
  }
  let best: PairStats | undefined;
  let bestGain = MIN_GAIN - 1;
  for (const s of byPair.values()) {
    let largest = 0;
    for (const n of s.perValue.values()) if (n > largest) largest = n;
    const gain = s.count - largest;
    if (gain > bestGain) {
      best = s;
      bestGain = gain;
    }
  }
  return best;
}

/**
 * Positions (ascending) of the flows that may match `packet`: every other indexed flow fails one
 * of its own tests on it.
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
