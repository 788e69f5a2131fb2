import type { Span } from '../text/Span';
import type { EbtablesRule } from './EbtablesRule';

/**
 * One chain, e.g. `Bridge chain: I-tap0678bf1d-41-mac, entries: 2, policy: ACCEPT` or `:INPUT ACCEPT`.
 * `raw`/`span` cover that header line only (rules have their own spans); for a chain only seen
 * through `-A` lines of a `--Lx` listing, they cover its first rule's line.
 *
 * `policy` is as printed. Note for the simulator: ebtables-nft 1.8.9 prints `policy: RETURN` in
 * `-L` but `:NAME ACCEPT` in ebtables-save for the same user chain (checked on a live host);
 * legacy ebtables defaults user chains to ACCEPT.
 */
export interface EbtablesChain {
  readonly name: string;
  readonly table: string;
  /** PREROUTING/OUTPUT/POSTROUTING in nat, INPUT/FORWARD/OUTPUT in filter, BROUTING in broute. */
  readonly builtin: boolean;
  readonly policy: string;
  /** `entries: N` as printed by `-L` (absent in save and --Lx forms). */
  readonly entries?: number;
  readonly rules: EbtablesRule[];
  readonly raw: string;
  readonly span: Span;
}

/** Built-in chains per table, in the kernel's hook order. */
export const EBTABLES_BUILTIN_CHAINS: Readonly<Record<string, readonly string[]>> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'OUTPUT', 'POSTROUTING'],
  broute: ['BROUTING'],
};

export function isEbtablesBuiltinChain(table: string, chain: string): boolean {
  return EBTABLES_BUILTIN_CHAINS[table]?.includes(chain) ?? false;
}
