import type { OvsItem } from './scanOvsItems';

/** The counters and timers a flow line may print, by their index in a flow's numbers. */
export const OVS_FLOW_NUMBERS = ['duration', 'nPackets', 'nBytes', 'nOffloadPackets', 'nOffloadBytes', 'idleAge', 'hardAge', 'idleTimeout', 'hardTimeout', 'importance'] as const;
export type OvsFlowNumber = (typeof OVS_FLOW_NUMBERS)[number];

/** What a stats/flow-mod key of a dump-flows line sets. */
export type OvsStatKind = OvsFlowNumber | 'cookie' | 'table' | 'table_id' | 'flag';

/** Keys of the stats/flow-mod part of a line (everything that is not the match), and what each sets. */
const STATS: readonly (readonly [string, OvsStatKind])[] = [
  ['cookie', 'cookie'],
  ['duration', 'duration'],
  ['table', 'table'],
  ['table_id', 'table_id'],
  ['n_packets', 'nPackets'],
  ['n_bytes', 'nBytes'],
  ['n_offload_packets', 'nOffloadPackets'],
  ['n_offload_bytes', 'nOffloadBytes'],
  ['idle_age', 'idleAge'],
  ['hard_age', 'hardAge'],
  ['idle_timeout', 'idleTimeout'],
  ['hard_timeout', 'hardTimeout'],
  ['importance', 'importance'],
  ['send_flow_rem', 'flag'],
  ['check_overlap', 'flag'],
  ['reset_counts', 'flag'],
  ['no_packet_counts', 'flag'],
  ['no_byte_counts', 'flag'],
];

/** The key of stat `k` (an index from ovsStatKeyAt). */
export const OVS_STAT_KEYS: readonly string[] = STATS.map(([key]) => key);
/** What stat `k` sets. */
export const OVS_STAT_KINDS: readonly OvsStatKind[] = STATS.map(([, kind]) => kind);
/** For stats that set a number, its index in OVS_FLOW_NUMBERS; -1 for the others. */
export const OVS_STAT_NUMBER: readonly number[] = STATS.map(([, kind]) => (OVS_FLOW_NUMBERS as readonly string[]).indexOf(kind));

/** Stat indexes by key length: most items are match fields, and no slice is cut to find that out. */
const BY_LENGTH: readonly (readonly number[] | undefined)[] = (() => {
  const by: number[][] = [];
  OVS_STAT_KEYS.forEach((k, i) => (by[k.length] ??= []).push(i));
  return by;
})();

/**
 * The stat whose key is written at `t[start, end)` (an index into OVS_STAT_KEYS), or -1 when the
 * item is not one. This runs on every item of every line: the length and first character rule
 * out nearly every match field before any comparison of the whole key.
 */
export function ovsStatKeyAt(t: string, start: number, end: number): number {
  const candidates = BY_LENGTH[end - start];
  if (candidates) {
    const c0 = t.charCodeAt(start);
    for (const k of candidates) {
      const key = OVS_STAT_KEYS[k]!;
      if (key.charCodeAt(0) === c0 && t.slice(start, end) === key) return k;
    }
  }
  return -1;
}

/** Whether an item is read as a stat: a known key, written as a flag when the key is a flag and as `key=value` otherwise. */
export function isOvsStatItem(t: string, start: number, keyEnd: number, delim: OvsItem['delim']): boolean {
  const k = ovsStatKeyAt(t, start, keyEnd);
  return k !== -1 && (OVS_STAT_KINDS[k] === 'flag') === (delim === '');
}
