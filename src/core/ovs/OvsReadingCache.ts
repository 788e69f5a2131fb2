import type { OvsAction } from './OvsAction';
import type { OvsActionList } from './parseOvsActions';
import type { ReadItem } from './parseOvsMatch';

/**
 * Readings shared by the lines of one parse. A Neutron dump repeats the same few thousand match
 * items (`reg5=0x9`, `ct_state=-new+est-rel-inv+trk`), actions (`resubmit(,94)`) and whole action
 * lists across 20,000 flows: each is read once and the flows share its immutable values. The
 * cache lives as long as the parse that made it (and the flows that read through it later), never
 * in module state: a second parse of the same dump does all of its own reading, so a benchmark
 * that parses one dump many times measures the parser, not a cache filled by an earlier run.
 * Only clean readings (no diagnostic) are kept, so a bad item is reported on every line it appears.
 */
export class OvsReadingCache {
  /** Match items by their exact text (parseOvsMatch). */
  readonly items = new Map<string, ReadItem>();
  /** Single actions by their exact text (parseOvsActions). */
  readonly actions = new Map<string, OvsAction>();
  /** Whole action lists by their exact text (parseOvsActions). */
  readonly lists = new Map<string, OvsActionList>();
  /** The last cookie text and its value: every flow of an agent carries the same cookie. */
  cookieText = '0x0';
  cookie = 0n;
}

/** Bounds on each map; a map that reaches its bound starts again empty (a dump of unique items gains nothing from it). */
export const OVS_ITEM_CACHE_LIMIT = 8192;
export const OVS_ACTION_CACHE_LIMIT = 8192;
export const OVS_LIST_CACHE_LIMIT = 4096;
