import type { EbtablesRule } from '../../ebtables/EbtablesRule';
import type { EbtablesRuleset } from '../../ebtables/EbtablesRuleset';
import type { EbtablesChain } from '../../ebtables/EbtablesChain';
import { parseMac } from '../../net/MacAddress';
import { withField, type Packet } from '../Packet';
import type { TargetOutcome, WalkResult } from '../walkChains';
import { walkChains } from '../walkChains';
import { matchEbtablesRule, type EbtablesEvalContext } from './matchEbtablesRule';

/**
 * Runs a frame through one built-in ebtables chain (`nat PREROUTING`, `filter FORWARD`...).
 * broute BROUTING's DROP means "route, do not bridge": callers read it that way.
 */
export function runEbtablesChain(ruleset: EbtablesRuleset | undefined, table: string, chain: string, packet: Packet, ctx: EbtablesEvalContext, depth: number): WalkResult {
  const t = ruleset?.tables.find((x) => x.name === table);
  if (!ruleset || !t) return { verdict: 'ACCEPT', packet, steps: [] };
  const chains = new Map<string, EbtablesChain>(t.chains.map((c) => [c.name, c]));
  return walkChains<EbtablesRule>({
    layer: 'ebtables',
    table,
    chain: (name) => chains.get(name),
    match: (rule, p) => matchEbtablesRule(rule, p, ctx),
    target: (rule, p) => ebtablesTarget(rule, p),
    targetText: (rule) => `-j ${rule.target.name}`,
    // ebtables user chains have policies of their own. (ebtables-nft 1.8.9 `-L` prints RETURN for
    // every user chain whatever was set; ebtables-save prints the real one, which the loader prefers.)
    userChainPolicies: true,
  }, chain, packet, depth);
}

function verdictOutcome(v: string): TargetOutcome {
  switch (v) {
    case 'ACCEPT': return { kind: 'verdict', verdict: 'ACCEPT' };
    case 'DROP': return { kind: 'verdict', verdict: 'DROP' };
    case 'RETURN': return { kind: 'return' };
    default: return { kind: 'continue' };
  }
}

function ebtablesTarget(rule: EbtablesRule, packet: Packet): TargetOutcome {
  const t = rule.target;
  switch (t.kind) {
    case 'verdict': return verdictOutcome(t.verdict);
    case 'jump': return { kind: 'jump', chain: t.chain, goto: false };
    case 'extension': {
      if (!t.known) return { kind: 'unknown', reason: `ebtables target ${t.name} is not simulated` };
      const opt = (n: string): string | undefined => t.options.find((o) => o.name === n)?.values[0];
      let next = packet;
      const rewrites: string[] = [];
      if (t.name === 'mark') {
        const set = opt('--mark-set') ?? opt('--set-mark');
        if (set !== undefined) { next = withField(next, 'pkt_mark', BigInt(set)); rewrites.push(`mark=${set}`); }
      } else if (t.name === 'snat' || t.name === 'dnat') {
        const mac = parseMac(opt(t.name === 'snat' ? '--to-source' : '--to-destination') ?? opt('--to-src') ?? opt('--to-dst') ?? '');
        if (mac !== undefined) { next = withField(next, t.name === 'snat' ? 'eth_src' : 'eth_dst', mac); rewrites.push(`${t.name === 'snat' ? 'eth_src' : 'eth_dst'} rewritten`); }
      } else if (t.name !== 'redirect' && t.name !== 'arpreply') {
        return { kind: 'unknown', reason: `ebtables target ${t.name} is not simulated` };
      }
      const after = verdictOutcome(t.verdict);
      if (after.kind === 'continue') return { kind: 'continue', packet: next, rewrites };
      if (after.kind === 'verdict' && rewrites.length === 0) return after;
      // A rewrite followed by ACCEPT/DROP: keep the rewrite in the explanation, then decide.
      return after.kind === 'verdict' ? after : { kind: 'continue', packet: next, rewrites };
    }
  }
}
