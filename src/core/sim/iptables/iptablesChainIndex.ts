import type { IptablesChain, IptablesRule } from '../../iptables/IptablesModel';
import type { WalkCandidates } from '../walkChains';
import type { IptablesEvalContext } from './IptablesEvalContext';
import { ALWAYS_MATCHING_MODULES } from './iptablesTables';
import { protocolNumber } from './matchIptablesRule';

/**
 * Dispatch index of a long chain. Neutron's `neutron-openvswi-FORWARD` and `-sg-chain` hold two
 * rules per port (`-m physdev --physdev-out tapX --physdev-is-bridged -j ...`): 4,000 rules on a
 * 2,000-port host, of which one or two can match a given frame. A rule whose first decisive
 * condition is an exact interface name (`-i`, `-o`, `--physdev-in`, `--physdev-out`, not negated,
 * no `+` wildcard) is filed under that name; at walk time only the rules filed under the hook's
 * own interfaces, plus the rules with no such key, need to be evaluated.
 *
 * Exactness: a rule is filed only when every condition matchIptablesRule evaluates before the
 * key can only be true or false (never "unknown", never a throw), so a rule whose key differs from
 * the packet's interface is certainly `matched: false`, the same outcome as evaluating it.
 */
type DispatchKind = 'in' | 'out' | 'physdevIn' | 'physdevOut';

interface ChainIndex {
  readonly byKind: Readonly<Record<DispatchKind, ReadonlyMap<string, readonly number[]>>>;
  /** Positions of rules without a key: always evaluated. */
  readonly always: readonly number[];
  /** Candidates by the context's interfaces (a trace walks the same hooks many times). */
  readonly memo: Map<string, WalkCandidates>;
  readonly missText: (position: number) => string | undefined;
}

/** Shorter chains are walked rule by rule: the index would not pay for itself. */
const MIN_RULES = 16;
const MEMO_LIMIT = 256;

/**
 * Options matchIptablesRule always decides as true or false without throwing, whatever the packet
 * and context: a key found after them is still the rule's deciding condition when it fails.
 */
const DECIDED_OPTIONS: ReadonlySet<string> = new Set([
  '--physdev-in', '--physdev-out', '--physdev-is-bridged', '--physdev-is-in', '--physdev-is-out',
  '--comment', '--limit-iface-in', '--limit-iface-out',
  '--sport', '--source-port', '--dport', '--destination-port', '--sports', '--source-ports',
  '--dports', '--destination-ports', '--ports', '--tcp-flags', '--syn', '--pkt-type',
  '--ttl-eq', '--ttl-gt', '--ttl-lt',
]);

const CACHE = new WeakMap<ChainRules, ChainIndex | null>();

type ChainRules = Pick<IptablesChain, 'rules'>;

/**
 * The rules of `chain` that may match under `ctx` (positions, 0-based and ascending); every other
 * rule evaluates to `matched: false`, and when its key is its first condition, the index also
 * knows the text that miss names. Undefined when the chain is not indexed (short, or few rules
 * have a key): then every rule is a candidate.
 */
export function iptablesChainCandidates(chain: ChainRules, ctx: IptablesEvalContext): WalkCandidates | undefined {
  let index = CACHE.get(chain);
  if (index === undefined) {
    index = buildIndex(chain);
    CACHE.set(chain, index);
  }
  if (index === null) return undefined;
  const physIn = ctx.bridged ? ctx.physdevIn : undefined;
  const physOut = ctx.bridged ? ctx.physdevOut : undefined;
  const key = `${physIn ?? '\u0001'}\u0000${physOut ?? '\u0001'}\u0000${ctx.inInterface ?? '\u0001'}\u0000${ctx.outInterface ?? '\u0001'}`;
  let merged = index.memo.get(key);
  if (merged === undefined) {
    const lists: (readonly number[])[] = [index.always];
    const add = (kind: DispatchKind, name: string | undefined): void => {
      const l = name === undefined ? undefined : index.byKind[kind].get(name);
      if (l) lists.push(l);
    };
    add('physdevIn', physIn);
    add('physdevOut', physOut);
    add('in', ctx.inInterface);
    add('out', ctx.outInterface);
    const positions = lists.length === 1 ? index.always : lists.flat().sort((a, b) => a - b);
    merged = { positions, missText: index.missText };
    if (index.memo.size >= MEMO_LIMIT) index.memo.clear();
    index.memo.set(key, merged);
  }
  return merged;
}

function buildIndex(chain: ChainRules): ChainIndex | null {
  if (chain.rules.length < MIN_RULES) return null;
  const byKind: Record<DispatchKind, Map<string, number[]>> = { in: new Map(), out: new Map(), physdevIn: new Map(), physdevOut: new Map() };
  const always: number[] = [];
  // Whether each rule's key is its first condition (then a miss names the key); texts built on demand.
  const leading: boolean[] = [];
  let keyed = 0;
  chain.rules.forEach((rule, pos) => {
    const k = dispatchKey(rule);
    leading.push(k?.leading === true);
    if (!k) {
      always.push(pos);
      return;
    }
    keyed++;
    const m = byKind[k.kind];
    let list = m.get(k.name);
    if (!list) m.set(k.name, (list = []));
    list.push(pos);
  });
  if (keyed < MIN_RULES / 2) return null;
  const texts: (string | undefined)[] = [];
  const missText = (position: number): string | undefined => {
    if (!leading[position]) return undefined;
    let t = texts[position];
    if (t === undefined) {
      const rule = chain.rules[position];
      t = rule ? dispatchKey(rule)?.text : undefined;
      texts[position] = t;
    }
    return t;
  };
  return { byKind, always, memo: new Map(), missText };
}

function exactName(n: { negated: boolean; value: string } | undefined): string | undefined {
  return n && !n.negated && n.value.length > 0 && !n.value.endsWith('+') ? n.value : undefined;
}

/**
 * A rule's dispatch key, following matchIptablesRule's order of conditions; undefined when there
 * is none that is safe to use. `leading`: no condition is evaluated before the key, so when the
 * key fails, `text` (spelled as matchIptablesRule spells it) is what the miss names.
 */
export function dispatchKey(rule: IptablesRule): { kind: DispatchKind; name: string; leading: boolean; text: string } | undefined {
  let before = false;
  if (rule.protocol) {
    const lower = rule.protocol.value.toLowerCase();
    if (lower !== 'all' && lower !== '0' && protocolNumber(lower) === undefined) return undefined;
    before = true;
  }
  if (rule.source || rule.destination) before = true;
  if (rule.sourceName || rule.destinationName) return undefined;
  const i = exactName(rule.inInterface);
  if (i !== undefined) return { kind: 'in', name: i, leading: !before, text: `-i ${i}` };
  if (rule.inInterface) before = true;
  const o = exactName(rule.outInterface);
  if (o !== undefined) return { kind: 'out', name: o, leading: !before, text: `-o ${o}` };
  if (rule.outInterface || rule.fragment) before = true;
  for (const m of rule.matches) {
    if (ALWAYS_MATCHING_MODULES.has(m.module)) continue;
    for (const opt of m.options) {
      if ((opt.name === '--physdev-in' || opt.name === '--physdev-out') && opt.values.length === 1) {
        const name = exactName({ negated: opt.negated, value: opt.values[0] ?? '' });
        if (name !== undefined) {
          const text = `${opt.name} ${name}`;
          return { kind: opt.name === '--physdev-in' ? 'physdevIn' : 'physdevOut', name, leading: !before, text: m.module ? `-m ${m.module} ${text}` : text };
        }
      }
      if (!DECIDED_OPTIONS.has(opt.name)) return undefined;
      before = true;
    }
    if (m.module === '' && m.options.length === 0 && m.text) return undefined;
  }
  return undefined;
}
