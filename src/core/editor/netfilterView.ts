import type { EbtablesRuleset } from '../ebtables/EbtablesRuleset';
import { IPTABLES_TARGETS, STANDARD_TARGETS } from '../iptables/iptablesExtensions';
import type { IptablesRuleset } from '../iptables/IptablesModel';
import type { Span } from '../text/Span';
import { editorRange, type EditorRange } from './EditorRange';
import type { EditorDocument } from './parseEditorDocument';

/**
 * iptables and ebtables rulesets seen the same way by the editor features (outline, folding,
 * navigation, lenses): tables of chains of rules, each with its source span, and for each rule
 * where its target name sits on the line (so "go to definition" works from `-j CHAIN`, from the
 * target column of `iptables -L`, and from ebtables' `-j CHAIN`).
 */
export interface NfCounters {
  readonly packets: bigint;
  readonly bytes: bigint;
  /** Rounded (`iptables -L` without `-x`). */
  readonly approximate?: boolean;
}

export interface NfRule {
  readonly table: string;
  readonly chain: string;
  /** 1-based position in the chain. */
  readonly index: number;
  readonly raw: string;
  readonly span: Span;
  readonly targetName?: string;
  /** `jump` to a user chain, `goto` (iptables -g), or a verdict/extension that ends here. */
  readonly targetKind?: 'jump' | 'goto' | 'verdict' | 'extension';
  /** Where the target name is written on the rule's line. */
  readonly targetRange?: EditorRange;
  readonly counters?: NfCounters;
  readonly comment?: string;
}

export interface NfChain {
  readonly table: string;
  readonly name: string;
  readonly builtin: boolean;
  readonly policy?: string;
  /** Policy counters of a built-in chain (iptables-save `[p:b]`, `-L` header). */
  readonly counters?: NfCounters;
  /** `iptables -L`: `(N references)`. */
  readonly printedReferences?: number;
  readonly span: Span;
  readonly rules: readonly NfRule[];
}

export interface NfTable {
  readonly name: string;
  readonly span: Span;
  readonly chains: readonly NfChain[];
}

export interface NetfilterView {
  readonly tables: readonly NfTable[];
  /** Rules jumping (or going) to each chain, by `table\0chain`. */
  readonly callers: ReadonlyMap<string, readonly NfRule[]>;
  /** Chains by name, over all tables. */
  readonly chainsByName: ReadonlyMap<string, readonly NfChain[]>;
  /** What each line (0-based) holds: a table header, a chain header or a rule. */
  readonly byLine: ReadonlyMap<number, NfLineEntry>;
}

export interface NfLineEntry {
  readonly table: NfTable;
  readonly chain?: NfChain;
  readonly rule?: NfRule;
}

export const chainKey = (table: string, chain: string): string => `${table}\u0000${chain}`;

const SAVE_TARGET = /(?:^|\s)(?:-j|--jump|-g|--goto)\s+(\S+)/g;

/** Where `name` is written as the target of a rule line (`-j name`, or the `-L` target column). */
function targetRangeOf(rule: { raw: string; span: Span }, name: string, listForm: boolean): EditorRange | undefined {
  let at = -1;
  if (listForm) {
    const re = /\S+/g;
    for (let m = re.exec(rule.raw); m; m = re.exec(rule.raw)) {
      if (m[0] === name) {
        at = m.index;
        break;
      }
    }
  } else {
    SAVE_TARGET.lastIndex = 0;
    for (let m = SAVE_TARGET.exec(rule.raw); m; m = SAVE_TARGET.exec(rule.raw)) {
      if (m[1] === name) at = m.index + m[0].length - name.length;
    }
  }
  if (at < 0) return undefined;
  const line = rule.span.line - 1;
  const col = rule.span.column - 1 + at;
  return editorRange(line, col, line, col + name.length);
}

function fromIptables(rs: IptablesRuleset): NfTable[] {
  const listForm = rs.format === 'iptables-L';
  return rs.tables.map((t) => {
    const chainNames = new Set(t.chains.map((x) => x.name));
    const chains = t.chains.map((c) => {
      const chain: { -readonly [K in keyof NfChain]: NfChain[K] } = {
        table: t.name,
        name: c.name,
        builtin: c.builtin,
        span: c.span,
        rules: c.rules.map((r) => {
          const rule: { -readonly [K in keyof NfRule]: NfRule[K] } = { table: t.name, chain: c.name, index: r.index, raw: r.raw, span: r.span };
          if (r.target) {
            const name = r.target.name;
            rule.targetName = name;
            // A name that is neither a verdict nor a known extension is a user chain, declared or not (grep pastes).
            rule.targetKind = r.target.kind === 'goto' ? 'goto' : STANDARD_TARGETS.has(name) ? 'verdict' : name in IPTABLES_TARGETS && !chainNames.has(name) ? 'extension' : 'jump';
            const range = targetRangeOf(r, name, listForm);
            if (range) rule.targetRange = range;
          }
          if (r.counters) rule.counters = r.counters;
          if (r.comment !== undefined) rule.comment = r.comment;
          return rule;
        }),
      };
      if (c.policy !== undefined) chain.policy = c.policy;
      if (c.counters) chain.counters = c.counters;
      if (c.references !== undefined) chain.printedReferences = c.references;
      return chain;
    });
    return { name: t.name, span: t.span, chains };
  });
}

function fromEbtables(rs: EbtablesRuleset): NfTable[] {
  return rs.tables.map((t) => ({
    name: t.name,
    span: t.span,
    chains: t.chains.map((c) => ({
      table: t.name,
      name: c.name,
      builtin: c.builtin,
      policy: c.policy,
      span: c.span,
      rules: c.rules.map((r) => {
        const rule: { -readonly [K in keyof NfRule]: NfRule[K] } = { table: t.name, chain: c.name, index: r.index, raw: r.raw, span: r.span };
        const tg = r.target;
        // A rule without `-j` is reported as a CONTINUE verdict with an empty span: nothing to point at.
        if (tg.span.endOffset > tg.span.offset) {
          rule.targetName = tg.name;
          rule.targetKind = tg.kind === 'jump' ? 'jump' : tg.kind;
          const line = tg.span.endLine - 1;
          rule.targetRange = editorRange(line, tg.span.endColumn - 1 - tg.name.length, line, tg.span.endColumn - 1);
        }
        if (r.counters) rule.counters = r.counters;
        return rule;
      }),
    })),
  }));
}

const cache = new WeakMap<object, NetfilterView>();

export function netfilterView(doc: EditorDocument): NetfilterView | undefined {
  if (doc.kind !== 'iptables' && doc.kind !== 'ebtables') return undefined;
  const hit = cache.get(doc.ruleset);
  if (hit) return hit;
  const tables = doc.kind === 'iptables' ? fromIptables(doc.ruleset) : fromEbtables(doc.ruleset);
  const callers = new Map<string, NfRule[]>();
  for (const t of tables) {
    for (const c of t.chains) {
      for (const r of c.rules) {
        if ((r.targetKind === 'jump' || r.targetKind === 'goto') && r.targetName !== undefined) {
          const k = chainKey(t.name, r.targetName);
          const list = callers.get(k);
          if (list) list.push(r);
          else callers.set(k, [r]);
        }
      }
    }
  }
  const chainsByName = new Map<string, NfChain[]>();
  const byLine = new Map<number, NfLineEntry>();
  for (const t of tables) {
    if (!byLine.has(t.span.line - 1)) byLine.set(t.span.line - 1, { table: t });
    for (const c of t.chains) {
      chainsByName.set(c.name, [...(chainsByName.get(c.name) ?? []), c]);
      // A `-L` table "starts" on its first chain header: the chain is the better answer there.
      const atHeader = byLine.get(c.span.line - 1);
      if (!atHeader || !atHeader.chain) byLine.set(c.span.line - 1, { table: t, chain: c });
      for (const r of c.rules) {
        // A chain header keeps its line (a one-line paste has every rule on line 0 too).
        for (let l = r.span.line - 1; l <= r.span.endLine - 1; l++) {
          const existing = byLine.get(l);
          if (!existing || (!existing.chain && !existing.rule)) byLine.set(l, { table: t, chain: c, rule: r });
        }
      }
    }
  }
  const view = { tables, callers, chainsByName, byLine };
  cache.set(doc.ruleset, view);
  return view;
}

/** The rule or chain whose line is `line` (0-based), for "what table am I in". */
export function netfilterAtLine(view: NetfilterView, line: number): NfLineEntry | undefined {
  return view.byLine.get(line);
}

/** Chains named `name`: the one in `preferTable` first, then the same name in other tables. */
export function findChains(view: NetfilterView, name: string, preferTable?: string): NfChain[] {
  const out = [...(view.chainsByName.get(name) ?? [])];
  return out.sort((a, b) => Number(b.table === preferTable) - Number(a.table === preferTable));
}
