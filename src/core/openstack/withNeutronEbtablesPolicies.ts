import type { EbtablesChain } from '../ebtables/EbtablesChain';
import type { EbtablesRuleset } from '../ebtables/EbtablesRuleset';
import { decodeChainName } from './decodeChainName';

/**
 * The policy the linuxbridge agent really gave its ebtables chains, where a listing hides it.
 * arp_protect.py creates every `neutronARP-<tap>` and `neutronMAC-<tap>` chain with `-P DROP`
 * (Liberty on) and never sets another policy; ebtables-nft's `ebtables -L` (1.8.x) prints
 * `policy: RETURN` for every user chain whatever it enforces, and `ebtables -t nat -L` is what
 * sosreports and most collections hold. Until Xena the chains had no final `-j DROP` rule, so that
 * policy is what drops a VIP's gratuitous ARP: read as RETURN, the frame would wrongly pass.
 * ebtables-save prints real policies and is left alone.
 *
 * Returns the ruleset with those policies set to DROP and, per changed chain (`table/chain`), a
 * note saying so; the same ruleset and no notes when nothing needed it.
 */
export function withNeutronEbtablesPolicies(rs: EbtablesRuleset): { readonly ruleset: EbtablesRuleset; readonly notes: ReadonlyMap<string, string> } {
  const notes = new Map<string, string>();
  if (rs.format !== 'ebtables-L') return { ruleset: rs, notes };
  const tables = rs.tables.map((t) => {
    let changed = false;
    const chains = t.chains.map((c): EbtablesChain => {
      if (c.builtin || c.policy.toUpperCase() !== 'RETURN' || decodeChainName(c.name)?.kind !== 'neutron-arp-protect') return c;
      changed = true;
      notes.set(`${t.name}/${c.name}`, `\`ebtables -L\` prints policy RETURN for ${c.name} (${c.span.file}:${c.span.line}), as ebtables-nft does for every user chain; the linuxbridge agent creates it with policy DROP, which is what was simulated`);
      return { ...c, policy: 'DROP' };
    });
    return changed ? { ...t, chains } : t;
  });
  return notes.size === 0 ? { ruleset: rs, notes } : { ruleset: { ...rs, tables }, notes };
}
