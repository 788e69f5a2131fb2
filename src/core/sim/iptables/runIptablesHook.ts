import type { IptablesChain, IptablesRule, IptablesRuleset, IptablesTable } from '../../iptables/IptablesModel';
import type { Packet } from '../Packet';
import type { TraceStep } from '../TraceResult';
import { walkChains, type WalkSpec } from '../walkChains';
import type { IptablesEvalContext } from './IptablesEvalContext';
import { iptablesChainCandidates } from './iptablesChainIndex';
import { iptablesTarget } from './iptablesTarget';
import { matchIptablesRule } from './matchIptablesRule';

export type NetfilterHook = 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING';

/** The tables a hook traverses, in the kernel's priority order (raw -300, mangle -150, nat -100/100, filter 0, security 50). */
export const HOOK_TABLES: Readonly<Record<NetfilterHook, readonly string[]>> = {
  PREROUTING: ['raw', 'mangle', 'nat'],
  INPUT: ['mangle', 'filter', 'security', 'nat'],
  FORWARD: ['mangle', 'filter', 'security'],
  OUTPUT: ['raw', 'mangle', 'nat', 'filter', 'security'],
  POSTROUTING: ['mangle', 'nat'],
};

export interface HookResult {
  readonly verdict: 'ACCEPT' | 'DROP' | 'REJECT' | 'indeterminate';
  readonly packet: Packet;
  readonly steps: TraceStep[];
  readonly decidedBy?: TraceStep;
  readonly reason?: string;
  /** The packet went through this hook's nat table: the connection's mapping is now set up. */
  readonly natTraversed?: boolean;
}

interface IndexedTable {
  readonly chains: ReadonlyMap<string, IptablesChain>;
  readonly names: ReadonlySet<string>;
}

const INDEX = new WeakMap<IptablesTable, IndexedTable>();

function indexTable(t: IptablesTable): IndexedTable {
  let idx = INDEX.get(t);
  if (!idx) {
    const chains = new Map(t.chains.map((c) => [c.name, c]));
    idx = { chains, names: new Set(chains.keys()) };
    INDEX.set(t, idx);
  }
  return idx;
}

/**
 * Runs `packet` through every table of one netfilter hook. The nat table is consulted only for
 * a connection's first packet (conntrack `new`), and only once per manip type (`ctx.natBound`),
 * as the kernel does; the first DROP/REJECT ends it.
 */
export function runIptablesHook(ruleset: IptablesRuleset | undefined, hook: NetfilterHook, packet: Packet, ctx: IptablesEvalContext, netns: string, depth: number): HookResult {
  const steps: TraceStep[] = [];
  let current = packet;
  if (!ruleset) return { verdict: 'ACCEPT', packet, steps };
  let natTraversed = false;
  for (const tableName of HOOK_TABLES[hook]) {
    if (tableName === 'nat' && (ctx.ct !== 'new' || ctx.natBound)) continue;
    const table = ruleset.tables.find((t) => t.name === tableName);
    if (!table) continue;
    const idx = indexTable(table);
    if (!idx.chains.has(hook)) continue;
    if (tableName === 'nat') natTraversed = true;
    const spec: WalkSpec<IptablesRule> = {
      layer: 'iptables',
      netns,
      table: tableName,
      chain: (name) => idx.chains.get(name),
      match: (rule, p) => matchIptablesRule(rule, p, ctx),
      target: (rule, p) => iptablesTarget(rule, p, ctx, idx.names),
      targetText: (rule) => (rule.target ? `${rule.target.kind === 'goto' ? '-g' : '-j'} ${rule.target.name}` : '(no target)'),
      candidates: (chain) => iptablesChainCandidates(chain, ctx),
    };
    const r = walkChains(spec, hook, current, depth);
    steps.push(...r.steps);
    current = r.packet;
    if (r.verdict !== 'ACCEPT') {
      const out: { -readonly [K in keyof HookResult]: HookResult[K] } = { verdict: r.verdict, packet: current, steps };
      if (r.decidedBy) out.decidedBy = r.decidedBy;
      if (r.reason) out.reason = r.reason;
      if (natTraversed) out.natTraversed = true;
      return out;
    }
  }
  return natTraversed ? { verdict: 'ACCEPT', packet: current, steps, natTraversed } : { verdict: 'ACCEPT', packet: current, steps };
}
