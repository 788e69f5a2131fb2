import type { Span } from '../text/Span';
import type { IptablesChain, IptablesRule, IptablesTable, Mutable } from './IptablesModel';

/**
 * Collects tables, chains and rules while a parser walks its input, then hands out the read-only
 * model. Shared by the save, `-S` and `-L` parsers so chain lookup, implicit chain creation and
 * rule numbering behave the same for every form. Rules are numbered (and given their table name,
 * which `-S`/`-L` parsers may only infer at the end) in `finish()`.
 */
export type ChainBuilder = Mutable<Omit<IptablesChain, 'rules'>> & { rules: Mutable<IptablesRule>[] };

export interface TableBuilder {
  name: string;
  span: Span;
  raw: string;
  readonly chains: Map<string, ChainBuilder>;
}

export class IptablesRulesetBuilder {
  readonly tables: TableBuilder[] = [];

  addTable(name: string, span: Span, raw: string): TableBuilder {
    const t: TableBuilder = { name, span, raw, chains: new Map() };
    this.tables.push(t);
    return t;
  }

  /** The last chain found, as ensureChain answered it: a dump's rules come chain after chain. */
  #last: { table: TableBuilder; result: { readonly chain: ChainBuilder; readonly created: false } } | undefined;

  /** The chain, created (as a user chain) when unknown; `span`/`raw` are the line that created it. */
  ensureChain(table: TableBuilder, name: string, span: Span, raw: string): { readonly chain: ChainBuilder; readonly created: boolean } {
    const last = this.#last;
    // Chains are only ever added to a table, so the last answer for a name stays right.
    if (last && last.table === table && last.result.chain.name === name) return last.result;
    const existing = table.chains.get(name);
    if (existing) {
      const result = { chain: existing, created: false } as const;
      this.#last = { table, result };
      return result;
    }
    const chain: ChainBuilder = { name, builtin: false, rules: [], span, raw };
    table.chains.set(name, chain);
    return { chain, created: true };
  }

  /** The chain when it exists (what ensureChain answers without creating anything), else undefined. */
  knownChain(table: TableBuilder, name: string): ChainBuilder | undefined {
    const last = this.#last;
    if (last && last.table === table && last.result.chain.name === name) return last.result.chain;
    const existing = table.chains.get(name);
    if (existing) this.#last = { table, result: { chain: existing, created: false } };
    return existing;
  }

  finish(): IptablesTable[] {
    return this.tables.map((t) => {
      const chains: IptablesChain[] = [];
      for (const c of t.chains.values()) {
        for (let k = 0; k < c.rules.length; k++) {
          const r = c.rules[k]!;
          r.index = k + 1;
          r.table = t.name;
        }
        chains.push(c);
      }
      return { name: t.name, chains, span: t.span, raw: t.raw };
    });
  }
}
