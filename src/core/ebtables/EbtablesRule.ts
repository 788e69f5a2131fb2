import type { Span } from '../text/Span';
import type { EbtablesValue } from './EbtablesValue';

/**
 * One ebtables rule, e.g. `-p IPv4 --ip-src ! 10.16.0.131 -j DROP , pcnt = 0 -- bcnt = 0`.
 * `raw`/`span` cover the rule's text (from `-A CHAIN` in save files, from the rule number in
 * `--Ln` listings, including any counters), so `text.slice(span.offset, span.endOffset) === raw`.
 */
export interface EbtablesRule {
  readonly table: string;
  readonly chain: string;
  /** 1-based position in its chain. */
  readonly index: number;
  readonly raw: string;
  readonly span: Span;
  readonly counters?: EbtablesCounters;
  /** Matches and watchers (`--log`, `--nflog`), in the order printed. */
  readonly options: readonly EbtablesOption[];
  readonly target: EbtablesTarget;
}

export interface EbtablesCounters {
  readonly packets: bigint;
  readonly bytes: bigint;
}

/**
 * One option with its values as text and, when understood, decoded (`decoded`).
 * `--ip-src ! 10.0.0.1` and `! --ip-src 10.0.0.1` both give `{name: '--ip-src', negated: true}`.
 * Aliases are normalised (`--ip-source` -> `--ip-src`); `written` keeps the spelling in the dump.
 */
export interface EbtablesOption {
  readonly name: string;
  readonly written: string;
  readonly negated: boolean;
  readonly values: readonly string[];
  /** Absent when the option takes no value, is unknown, or its value could not be read. */
  readonly decoded?: EbtablesValue;
  /** False for options this parser does not know: the simulator must treat them as indeterminate. */
  readonly known: boolean;
  readonly span: Span;
}

/** The four built-in verdicts. CONTINUE also stands for a missing `-j` (nft prints `-j CONTINUE`). */
export const EBTABLES_VERDICTS = ['ACCEPT', 'DROP', 'RETURN', 'CONTINUE'] as const;
export type EbtablesVerdict = (typeof EBTABLES_VERDICTS)[number];

/**
 * What `-j` names. `jump`: a user chain of the same table (resolved after the whole table was
 * read: a name that is neither a verdict, an extension nor a listed chain stays `jump` with a
 * diagnostic). `extension`: mark/snat/dnat/redirect/arpreply with their options; `verdict` is
 * what happens to the frame afterwards (`--mark-target CONTINUE`, or the extension's default).
 */
export type EbtablesTarget =
  | { readonly kind: 'verdict'; readonly name: EbtablesVerdict; readonly verdict: EbtablesVerdict; readonly options: readonly EbtablesOption[]; readonly span: Span }
  | { readonly kind: 'jump'; readonly name: string; readonly chain: string; readonly options: readonly EbtablesOption[]; readonly span: Span }
  | { readonly kind: 'extension'; readonly name: string; readonly verdict: EbtablesVerdict; readonly options: readonly EbtablesOption[]; readonly span: Span; readonly known: boolean };
