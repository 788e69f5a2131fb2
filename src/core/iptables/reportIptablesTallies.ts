import type { DiagnosticSink } from '../text/Diagnostic';
import type { IptablesTable } from './IptablesModel';
import type { ChainBuilder } from './IptablesRulesetBuilder';
import { IPTABLES_TARGETS, STANDARD_TARGETS } from './iptablesExtensions';
import type { UnknownExtensionTally } from './readRuleArguments';
import { LazyRule } from './LazyRule';

/**
 * Per-file findings that would be noise if reported on every line: unknown match modules and
 * target extensions (once each, with a count), values that cannot be matched (once per value:
 * an anonymised dump repeats `XX:XX:XX:XX:XX:XX` on 1,653 rules), chains used without a
 * declaration (once, listing them: typical of `iptables-save | grep X` pastes), and jumps to
 * chains that do not exist.
 */
export interface IptablesTallies {
  readonly unknownModules: Map<string, UnknownExtensionTally>;
  readonly unknownTargets: Map<string, UnknownExtensionTally>;
  readonly badValues: Map<string, UnknownExtensionTally>;
  readonly undeclared: Map<ChainBuilder, { line: number; column: number }>;
}

export function createIptablesTallies(): IptablesTallies {
  return { unknownModules: new Map(), unknownTargets: new Map(), badValues: new Map(), undeclared: new Map() };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function reportIptablesTallies(sink: DiagnosticSink, tallies: IptablesTallies, tables: readonly IptablesTable[], checkJumps: boolean): void {
  for (const [name, t] of tallies.unknownModules) {
    sink.warning(t.first.line, `match module \`${name}\` is unknown to this tool (${plural(t.count, 'rule')}); options kept as written, the simulator cannot decide these rules`, t.first.raw, t.first.column, t.first.endColumn);
  }
  for (const [name, t] of tallies.unknownTargets) {
    sink.warning(t.first.line, `target \`${name}\` is not a target extension this tool knows (${plural(t.count, 'rule')}); its options kept as written`, t.first.raw, t.first.column, t.first.endColumn);
  }
  for (const [problem, t] of tallies.badValues) {
    sink.warning(t.first.line, `${problem} (${plural(t.count, 'rule')}; an anonymised or hand-edited dump?); option kept, the simulator cannot decide ${t.count === 1 ? 'this rule' : 'these rules'}`, t.first.raw, t.first.column, t.first.endColumn);
  }
  if (tallies.undeclared.size > 0) {
    const names = [...tallies.undeclared.keys()].map((c) => c.name);
    const first = [...tallies.undeclared.values()][0]!;
    const shown = names.length > 8 ? `${names.slice(0, 8).join(', ')}, …` : names.join(', ');
    sink.warning(first.line, `${plural(names.length, 'chain')} used without being declared (a partial dump such as grep output?): ${shown}; created as chains without policy`, undefined, first.column);
  }
  if (!checkJumps) return;
  const missing = new Map<string, { line: number; table: string; count: number; raw: string }>();
  for (const table of tables) {
    const names = new Set(table.chains.map((c) => c.name));
    // Neighbouring rules mostly jump to the same place: a name found fine is not looked up again.
    let fine: string | undefined;
    for (const chain of table.chains) {
      for (const rule of chain.rules) {
        const t = rule instanceof LazyRule ? rule.targetNameOf() : rule.target?.name;
        if (t === undefined || t === fine) continue;
        if (names.has(t) || STANDARD_TARGETS.has(t) || IPTABLES_TARGETS[t] !== undefined || tallies.unknownTargets.has(t)) {
          fine = t;
          continue;
        }
        const key = `${table.name} ${t}`;
        const m = missing.get(key);
        if (m) m.count++;
        else missing.set(key, { line: rule.span.line, table: table.name, count: 1, raw: rule.raw });
      }
    }
  }
  for (const [key, m] of missing) {
    const name = key.slice(key.indexOf(' ') + 1);
    sink.warning(m.line, `target ${name} is neither a chain of table ${m.table} nor a target extension this tool knows (${plural(m.count, 'rule')}); such jumps are treated as undecidable`, m.raw);
  }
}
