import type { DiagnosticSink } from '../text/Diagnostic';
import type { Line } from '../text/lines';
import { spanInLine, type Span } from '../text/Span';
import { EBTABLES_BUILTIN_CHAINS, isEbtablesBuiltinChain, type EbtablesChain } from './EbtablesChain';
import type { EbtablesRule } from './EbtablesRule';
import type { EbtablesBackend, EbtablesTable } from './EbtablesRuleset';
import type { ParsedRuleTokens } from './EbtablesRuleReader';

/**
 * Collects tables, chains and rules for both ebtables parsers, then checks what needs the whole
 * table: `entries: N` against the rules read, and `-j NAME` against the chains listed.
 */
export class EbtablesRulesetBuilder {
  readonly tables: EbtablesTable[] = [];
  private current: EbtablesTable | undefined;
  private readonly chainsByTable = new Map<EbtablesTable, Map<string, EbtablesChain>>();
  private backendVotes: { legacy: number; nft: number } = { legacy: 0, nft: 0 };
  private backendDeclared: EbtablesBackend | undefined;

  constructor(private readonly sink: DiagnosticSink) {}

  get table(): EbtablesTable | undefined {
    return this.current;
  }

  openTable(name: string, nameSource: EbtablesTable['nameSource'], raw: string, span: Span): EbtablesTable {
    const table: EbtablesTable = { name, nameSource, chains: [], raw, span };
    this.tables.push(table);
    this.chainsByTable.set(table, new Map());
    this.current = table;
    return table;
  }

  chain(name: string, table: EbtablesTable | undefined = this.current): EbtablesChain | undefined {
    return table ? this.chainsByTable.get(table)?.get(name) : undefined;
  }

  openChain(table: EbtablesTable, name: string, policy: string, entries: number | undefined, raw: string, span: Span): EbtablesChain {
    const chains = this.chainsByTable.get(table);
    if (chains?.has(name)) {
      this.sink.warning(span.line, `chain ${name} is listed twice in table ${table.name}; the second listing is kept separately`, raw, span.column, span.endColumn);
    }
    const chain: EbtablesChain = {
      name,
      table: table.name,
      builtin: isEbtablesBuiltinChain(table.name, name),
      policy,
      ...(entries !== undefined ? { entries } : {}),
      rules: [],
      raw,
      span,
    };
    table.chains.push(chain);
    if (!chains?.has(name)) chains?.set(name, chain);
    return chain;
  }

  /** `ebtables -t nat -P CHAIN DROP` in a --Lx listing comes after the chain was created by `-N`. */
  setPolicy(chain: EbtablesChain, policy: string): void {
    (chain as { policy: string }).policy = policy;
  }

  /**
   * Appends the rule read from columns [start, end) of `line`; checks a `--Ln` number against its
   * position. Returns the rule so callers can attach more diagnostics.
   */
  addRule(file: string, chain: EbtablesChain, line: Line, start: number, end: number, parsed: ParsedRuleTokens): EbtablesRule {
    const index = chain.rules.length + 1;
    const raw = line.text.slice(start, end);
    if (parsed.ruleNumber !== undefined && parsed.ruleNumber !== index) {
      this.sink.warning(line.number, `rule number ${parsed.ruleNumber} is rule ${index} of chain ${chain.name} in this dump; position ${index} is used`, line.text, start + 1, end + 1);
    }
    this.voteBackend(parsed.backendHint);
    const rule: { -readonly [K in keyof EbtablesRule]: EbtablesRule[K] } = {
      table: chain.table,
      chain: chain.name,
      index,
      raw,
      span: spanInLine(file, line.number, line.offset, start, end),
      options: parsed.options,
      target: parsed.target,
    };
    if (parsed.counters) rule.counters = parsed.counters;
    chain.rules.push(rule);
    return rule;
  }

  voteBackend(hint: EbtablesBackend | undefined): void {
    if (hint) this.backendVotes[hint]++;
  }

  declareBackend(backend: EbtablesBackend): void {
    this.backendDeclared ??= backend;
  }

  backend(): EbtablesBackend | undefined {
    if (this.backendDeclared) return this.backendDeclared;
    const { legacy, nft } = this.backendVotes;
    if (legacy > 0 && nft === 0) return 'legacy';
    if (nft > 0 && legacy === 0) return 'nft';
    return undefined;
  }

  /** Whole-table checks; call once after the last line. */
  finish(): EbtablesTable[] {
    for (const table of this.tables) {
      const chains = this.chainsByTable.get(table) ?? new Map<string, EbtablesChain>();
      const builtins = EBTABLES_BUILTIN_CHAINS[table.name] ?? [];
      const complete = builtins.length > 0 && builtins.every((b) => chains.has(b));
      for (const chain of table.chains) {
        if (chain.entries !== undefined && chain.entries !== chain.rules.length) {
          this.sink.warning(
            chain.span.line,
            `chain ${chain.name} says entries: ${chain.entries} but ${chain.rules.length} rule(s) were read; the dump may be truncated or edited`,
            chain.raw, chain.span.column, chain.span.endColumn,
          );
        }
        for (const rule of chain.rules) {
          const t = rule.target;
          if (t.kind !== 'jump' || chains.has(t.chain)) continue;
          const message = complete
            ? `-j ${t.chain}: no chain ${t.chain} in table ${table.name} and it is not a known target; the simulator cannot follow this jump`
            : `-j ${t.chain}: chain ${t.chain} is not part of this dump (only some chains were listed)`;
          this.sink.add(complete ? 'warning' : 'info', t.span.line, message, rule.raw, t.span.column, t.span.endColumn);
        }
      }
    }
    return this.tables;
  }
}
