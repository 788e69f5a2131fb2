import { isPortName } from '../../ovs/OvsMatch';
import { parseOvsMatch } from '../../ovs/parseOvsMatch';
import type { OvsFlow } from '../../ovs/parseOvsDumpFlows';
import { fieldReader } from '../Packet';
import type { IndexKey } from './OvsTableIndex';

/** What a table index needs to know of a flow before (and without) compiling it. */
export interface FlowIndexKeys {
  /** Tests the flow makes: each is one of the checks compileOvsFlow gives it (never a wider or other test). */
  readonly keys: readonly IndexKey[];
  /** False only when the flow's match surely has no `conj_id` (so it is no conjunction's target). */
  readonly mayBeConjTarget: boolean;
  /** The flow's `conj_id` when its text writes it plainly, once (`conj_id=12`): what compileOvsFlow gives as its conjId. */
  readonly conjId?: bigint;
}

/**
 * Match fields that partition Neutron and OVN tables (ports, registers, MACs) and whose name as
 * written is never renamed by the match parser's canonicalisation (which renames tp_*, icmp_* and
 * ARP's nw_* after reading the whole match): an item of these names means the same test on any line.
 */
const KEY_NAMES: readonly string[] = ['in_port', 'metadata', 'dl_src', 'dl_dst', 'eth_src', 'eth_dst', 'dl_vlan',
  ...Array.from({ length: 16 }, (_, i) => `reg${i}`)];
/** `NAME=VALUE` at the start or after a separator, NAME one of KEY_NAMES, VALUE up to the next separator. */
const KEY_ITEM = new RegExp(`(?:^|[, \t\r])((?:${[...KEY_NAMES].sort((a, b) => b.length - a.length).join('|')})=[^, \t\r]*)`, 'g');
/** Characters that nest or quote: the dump-flows reader then splits items otherwise than at every separator. */
const NESTING = /["'()[\]{}\\]/;
const CONJ_ID = /conj_id/gi;
const CONJ_ID_ITEM = /(?:^|[, \t\r])(conj_id=[^, \t\r]*)/;

const NO_KEYS: FlowIndexKeys = { keys: [], mayBeConjTarget: false };
/** A line written in a form the quick reading below does not follow: no keys, and it may be anything. */
const UNREAD: FlowIndexKeys = { keys: [], mayBeConjTarget: true };

/**
 * Reads the index keys of flows from their raw text, without building their match: a
 * 20,000-flow dump's matches cost more than the simulation that needs a few hundred of them.
 * `cookie=0x1, table=71, priority=65,ip,reg5=0xca,in_port=202,nw_src=10.0.24.17 actions=...`
 * gives `reg5=0xca` and `in_port=202`.
 *
 * The keys must be a subset of the flow's compiled checks, or a lookup would skip a flow that
 * matches (test/core/sim/ovsIndexKeys.test.ts checks this on every flow of the fixtures). So the
 * reading stays on the safe side: items are split where the dump-flows reader splits them
 * (commas and white space, up to the first `actions=` after a separator, as OvsFlowRecord lays
 * a line out); a line with anything that nests or quotes (`"`, `(`, `[`, `{`, `'`, `\`) gives no
 * keys; only items `NAME=VALUE` with NAME in KEY_NAMES count (stats never have these names, so
 * every such item is a match item), each read by the match parser itself, alone; an item it
 * reads with any diagnostic, as something other than one field, or as a port name (resolved per
 * bridge by compileOvsFlow) gives no key.
 *
 * Item readings are kept per reader (one per bridge view): the same `reg5=0xca` is on dozens of flows.
 */
export class OvsIndexKeyReader {
  readonly #items = new Map<string, IndexKey | null>();
  /** Interned ids: `field mask` -> pairId, `field mask value` -> the one key of that test. */
  readonly #pairs = new Map<string, number>();
  readonly #tests = new Map<string, IndexKey>();

  keysOf(flow: OvsFlow): FlowIndexKeys {
    const raw = flow.raw;
    const actionsAt = actionsIndex(raw);
    if (actionsAt === -1) return UNREAD;
    // Regular expressions rather than a loop over characters: they run as machine code at once,
    // where a loop over 20,000 lines would mostly run before the JIT has optimised it.
    const head = raw.slice(0, actionsAt);
    if (NESTING.test(head)) return UNREAD;
    let keys: IndexKey[] | undefined;
    KEY_ITEM.lastIndex = 0;
    for (let m = KEY_ITEM.exec(head); m !== null; m = KEY_ITEM.exec(head)) {
      const key = this.#read(m[1] ?? '');
      if (key) (keys ??= []).push(key);
    }
    const conjNames = head.match(CONJ_ID)?.length ?? 0;
    if (conjNames === 0) return keys ? { keys, mayBeConjTarget: false } : NO_KEYS;
    // Named once, as a plain item: that item's reading is the flow's conj_id.
    const item = conjNames === 1 ? CONJ_ID_ITEM.exec(head)?.[1] : undefined;
    const conjId = item !== undefined ? this.#conjId(item) : undefined;
    return { keys: keys ?? [], mayBeConjTarget: true, ...(conjId !== undefined ? { conjId } : {}) };
  }

  #conjId(item: string): bigint | undefined {
    const parsed = parseOvsMatch(item, { file: '' });
    const f = parsed.value.fields[0];
    return parsed.diagnostics.length === 0 && parsed.value.unread.length === 0 && parsed.value.fields.length === 1 && f?.field === 'conj_id' && !isPortName(f.value)
      ? f.value.value : undefined;
  }

  #read(item: string): IndexKey | null {
    let key = this.#items.get(item);
    if (key === undefined) {
      const parsed = parseOvsMatch(item, { file: '' });
      const f = parsed.value.fields[0];
      key = parsed.diagnostics.length === 0 && parsed.value.unread.length === 0 && parsed.value.fields.length === 1 && f && !isPortName(f.value)
        ? this.#intern(f.field, f.value.value & f.value.mask, f.value.mask)
        : null;
      this.#items.set(item, key);
    }
    return key;
  }

  /** The key of a test: one object per distinct (field, mask, value), whatever the item's spelling (`reg5=0x5`, `reg5=5`). */
  #intern(field: string, value: bigint, mask: bigint): IndexKey {
    const pair = `${field} ${mask}`;
    const test = `${pair} ${value}`;
    let key = this.#tests.get(test);
    if (!key) {
      let pairId = this.#pairs.get(pair);
      if (pairId === undefined) this.#pairs.set(pair, (pairId = this.#pairs.size));
      key = { field, value, mask, read: fieldReader(field), pairId, valueId: this.#tests.size };
      this.#tests.set(test, key);
    }
    return key;
  }
}

/** Where `actions=` starts: its first occurrence at the line's start or after a separator (as OvsFlowRecord finds it). */
function actionsIndex(raw: string): number {
  let at = raw.indexOf('actions=');
  while (at > 0) {
    const prev = raw.charCodeAt(at - 1);
    if (prev === 32 || prev === 44 || prev === 9) break;
    at = raw.indexOf('actions=', at + 1);
  }
  return at;
}
