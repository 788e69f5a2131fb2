import type { ParseResult } from '../text/Diagnostic';
import { CappedDiagnosticSink, MAX_LINE_LENGTH, tooLong } from './CappedDiagnosticSink';
import { iterateLines, looksBinary } from '../text/lines';
import { spanInLine } from '../text/Span';
import type { IptablesRuleset, Mutable } from './IptablesModel';
import { IptablesRulesetBuilder, type TableBuilder } from './IptablesRulesetBuilder';
import { familyFromFileName, familyFromRules, tableFromFileName } from './iptablesFileHints';
import { inferIptablesTable } from './inferIptablesTable';
import { BUILTIN_CHAINS } from './iptablesNames';
import type { IptablesParseOptions } from './parseIptablesSave';
import { readIptablesCommand, type CommandContext } from './readIptablesCommand';
import { RuleValueCache } from './readRuleArguments';
import { createIptablesTallies, reportIptablesTallies } from './reportIptablesTallies';
import { IptablesTokens, tokenizeIptablesLine } from './tokenizeIptablesLine';

/**
 * `iptables [-t TABLE] [-v] -S` output: `-P INPUT ACCEPT [-c 0 0]`, `-N nova-compute-inst-9`,
 * `-A nova-compute-inst-9 -s 10.0.0.0/24 [-c 23 42] -j ACCEPT`. The table is not printed: it comes
 * from `opts.table`, the file name (`iptables_-t_nat_-S`) or is inferred from the built-in chains
 * (an info diagnostic says which). A second `-P` for the same chain starts a new table section
 * (several `-S` outputs pasted together). Blank lines and `#` lines are skipped; anything else
 * unreadable is an error with its position, and the rest is kept.
 */
export function parseIptablesRules(text: string, opts: IptablesParseOptions): ParseResult<IptablesRuleset> {
  const sink = new CappedDiagnosticSink(opts.file);
  const builder = new IptablesRulesetBuilder();
  const tallies = createIptablesTallies();
  const toks = new IptablesTokens();
  const shared = new RuleValueCache();
  const givenTable = opts.table ?? tableFromFileName(opts.file);
  const named = new Set<TableBuilder>();
  let table: TableBuilder | undefined;
  let sawNonPolicy = false;

  if (looksBinary(text)) {
    sink.error(1, 'input looks binary, not `iptables -S` text; nothing read');
    return { value: { family: opts.family ?? 4, format: 'iptables-S', tables: [], lossy: false }, diagnostics: sink.diagnostics };
  }

  for (const line of iterateLines(text)) {
    const s = line.text;
    let start = 0;
    while (start < s.length && (s.charCodeAt(start) === 32 || s.charCodeAt(start) === 9)) start++;
    if (start === s.length) continue;
    let end = s.length;
    while (end > start && (s.charCodeAt(end - 1) === 32 || s.charCodeAt(end - 1) === 9)) end--;
    if (end - start > MAX_LINE_LENGTH) {
      sink.error(line.number, tooLong(end - start), s, start + 1);
      continue;
    }
    const body = start === 0 && end === s.length ? s : s.slice(start, end);
    if (body[0] === '#') {
      if (body.startsWith('# Warning: iptables-legacy tables present')) {
        sink.warning(line.number, 'legacy iptables tables also exist on this host and are NOT in this dump (run iptables-legacy -S too)', s, start + 1);
      }
      continue;
    }
    if (body[0] !== '-') {
      sink.error(line.number, 'not an `iptables -S` line (expected -P, -N or -A); line ignored', s, start + 1);
      continue;
    }
    const span = spanInLine(opts.file, line.number, line.offset, start, end);
    tokenizeIptablesLine(end === s.length ? s : s.slice(0, end), start, toks);
    if (toks.unterminatedQuoteAt >= 0) sink.error(line.number, 'unterminated quote; the rest of the line was read as one argument', s, toks.unterminatedQuoteAt + 1);

    // `-S` prints every policy first: a policy after a -N/-A line, or for a chain that already has
    // one, is where the next table's dump begins.
    const cmd = toks.text[0];
    const isPolicy = cmd === '-P' || cmd === '--policy';
    if (table && isPolicy && toks.count > 1 && (sawNonPolicy || table.chains.get(toks.text[1]!)?.policy !== undefined)) table = undefined;
    if (!table) sawNonPolicy = false;
    if (!isPolicy) sawNonPolicy = true;
    if (!table) {
      table = builder.addTable(givenTable ?? 'filter', span, body);
      if (givenTable !== undefined && builder.tables.length === 1) named.add(table);
    }
    const ctx: Mutable<CommandContext> = {
      sink,
      lineNumber: line.number,
      lineText: s,
      lineSpan: span,
      shared,
      unknownModules: tallies.unknownModules,
      unknownTargets: tallies.unknownTargets,
      badValues: tallies.badValues,
      undeclared: tallies.undeclared,
      builder,
      table,
      raw: body,
    };
    if (opts.family !== undefined) ctx.family = opts.family;
    readIptablesCommand(toks, ctx);
  }

  for (const t of builder.tables) {
    if (named.has(t)) continue;
    const guess = inferIptablesTable(t.chains.values());
    t.name = guess.name;
    // Chains first met in -A lines were created before the table had its name.
    for (const c of t.chains.values()) if (c.policy === undefined && BUILTIN_CHAINS[t.name]?.includes(c.name)) c.builtin = true;
    sink.info(t.span.line, `\`iptables -S\` does not print the table name; took it to be ${guess.name} (${guess.reason}). Name the file like iptables_-t_nat_-S to say otherwise`, t.raw);
  }
  const tables = builder.finish();
  reportIptablesTallies(sink, tallies, tables, true);
  const family = opts.family ?? familyFromRules(tables) ?? familyFromFileName(opts.file) ?? 4;
  sink.finish();
  return { value: { family, format: 'iptables-S', tables, lossy: false }, diagnostics: sink.diagnostics };
}
