import type { IptablesChain } from './IptablesModel';

/**
 * `iptables -S` and `iptables -L` do not print the table name. When neither the caller nor the
 * file name says it (`iptables_-t_nat_-nvL`), the built-in chains decide: PREROUTING+POSTROUTING
 * without FORWARD is nat, with FORWARD mangle, PREROUTING+OUTPUT alone raw, INPUT/FORWARD/OUTPUT
 * filter (security looks the same and is rarely dumped). Without built-in chains (a grep), NAT
 * targets mean nat, CT/NOTRACK raw, MARK/CONNMARK mangle; otherwise filter.
 * `reason` is the sentence the info diagnostic shows.
 */
export function inferIptablesTable(chains: Iterable<Pick<IptablesChain, 'name' | 'policy' | 'rules'>>): { name: string; reason: string } {
  const builtin = new Set<string>();
  const targets = new Set<string>();
  for (const c of chains) {
    // Only chains shown with a policy count: a chain merely used by an -A line proves nothing.
    if (c.policy !== undefined) builtin.add(c.name);
    for (const r of c.rules) if (r.target) targets.add(r.target.name);
  }
  const has = (n: string): boolean => builtin.has(n);
  const list = [...builtin].join(', ');
  if (has('PREROUTING') && has('POSTROUTING')) {
    return has('FORWARD') ? { name: 'mangle', reason: `built-in chains ${list}` } : { name: 'nat', reason: `built-in chains ${list}` };
  }
  if (has('PREROUTING') && has('OUTPUT') && !has('INPUT')) return { name: 'raw', reason: `built-in chains ${list}` };
  if (has('INPUT') || has('FORWARD') || (has('OUTPUT') && !has('PREROUTING'))) return { name: 'filter', reason: `built-in chains ${list}` };
  for (const t of ['DNAT', 'SNAT', 'MASQUERADE', 'REDIRECT', 'NETMAP']) if (targets.has(t)) return { name: 'nat', reason: `target ${t}` };
  for (const t of ['CT', 'NOTRACK']) if (targets.has(t)) return { name: 'raw', reason: `target ${t}` };
  for (const t of ['MARK', 'CONNMARK', 'TCPMSS', 'CHECKSUM', 'TPROXY']) if (targets.has(t)) return { name: 'mangle', reason: `target ${t}` };
  return { name: 'filter', reason: 'nothing table-specific; iptables defaults to filter' };
}
