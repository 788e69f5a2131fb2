import type { Span } from '../text/Span';
import type { EbtablesChain } from './EbtablesChain';

/**
 * Everything read from one ebtables dump: `ebtables [-t T] -L [--Lc] [--Ln] [--Lx]` (several
 * tables may be concatenated in one file) or `ebtables-save [-c]`.
 * `backend` is set only when the text proves it (a `(nf_tables)` save header, `[0:0]` counters,
 * nft's `1 ` rule numbers or `! -p` negation; legacy's `1. ` numbers, `-j chain, pcnt` or its
 * perl ebtables-save header).
 */
export interface EbtablesRuleset {
  readonly format: EbtablesFormat;
  readonly backend?: EbtablesBackend;
  readonly tables: EbtablesTable[];
}

export type EbtablesFormat = 'ebtables-L' | 'ebtables-save';
export type EbtablesBackend = 'legacy' | 'nft';

/**
 * One table (`filter`, `nat`, `broute`, or whatever name the dump gives). `raw`/`span` cover its
 * `Bridge table: nat` / `*nat` line; when the dump has no such header (a listing cut from a doc),
 * they are empty and sit where the first chain starts, and `nameSource` says how the name was found.
 */
export interface EbtablesTable {
  readonly name: string;
  /** `header`: `Bridge table:` / `*nat`; `command`: `ebtables -t nat -A ...` (--Lx); `option`: given by the caller; `inferred`: from built-in chain names. */
  readonly nameSource: 'header' | 'command' | 'option' | 'inferred' | 'unknown';
  readonly chains: EbtablesChain[];
  readonly raw: string;
  readonly span: Span;
}
