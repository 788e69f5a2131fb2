import type { ParseOptions, ParseResult } from '../text/Diagnostic';
import { CappedDiagnosticSink } from './CappedDiagnosticSink';
import { iterateLines, looksBinary, type Line } from '../text/lines';
import { spanInLine } from '../text/Span';
import type { EbtablesChain } from './EbtablesChain';
import { EbtablesRulesetBuilder } from './EbtablesRulesetBuilder';
import type { EbtablesRuleset, EbtablesTable } from './EbtablesRuleset';
import { isEbtablesErrorLine } from './ebtablesErrorLine';
import { inferEbtablesTable } from './inferEbtablesTable';
import { EbtablesRuleReader } from './EbtablesRuleReader';
import { splitGluedCounters } from './splitGluedCounters';
import { splitGluedPcntComma, tokenizeEbtablesLine, type EbtablesToken } from './tokenizeEbtablesLine';

export interface EbtablesParseOptions extends ParseOptions {
  /** The table to use when the dump has no `Bridge table:` header (e.g. from the file name `ebtables_-t_nat_-L`). */
  readonly table?: string;
}

const TABLE_MARK = 'Bridge table:';
const CHAIN_MARK = 'Bridge chain:';
const CHAIN_HEADER = /^Bridge chain: ?([^,\s]+),\s*entries:\s*(\d+),\s*policy:\s*(\S+)/;
const CHAIN_NAME_ONLY = /^Bridge chain: ?([^,\s]+)/;

/**
 * Reads `ebtables [-t TABLE] -L [--Lc] [--Ln] [--Lx] [--Lmac2]`, legacy (2.0.x) or nft (1.8.x),
 * one or several tables concatenated:
 *
 *     Bridge table: nat
 *     Bridge chain: PREROUTING, entries: 1, policy: ACCEPT
 *     1. -i tap0678bf1d-41 -j libvirt-I-tap0678bf1d-41 , pcnt = 0 -- bcnt = 0
 *
 * and the `--Lx` command form (`ebtables -t nat -A PREROUTING -i tap0 -j libvirt-I-tap0`).
 * A dump pasted with its newlines lost (a whole listing on one line, as in blog posts) is split at
 * `Bridge chain:` headers and after each rule's target, with an info diagnostic.
 * Bad input never throws: unreadable lines are skipped with an error, the rest is kept.
 */
export function parseEbtablesList(text: string, opts: EbtablesParseOptions): ParseResult<EbtablesRuleset> {
  const file = opts.file;
  const sink = new CappedDiagnosticSink(file);
  const builder = new EbtablesRulesetBuilder(sink);
  const reader = new EbtablesRuleReader(file, sink);
  if (looksBinary(text)) {
    sink.error(1, 'input looks binary, not `ebtables -L` output; nothing read');
    return { value: { format: 'ebtables-L', tables: [] }, diagnostics: sink.diagnostics };
  }

  let chain: EbtablesChain | undefined;
  let flattenedSaid = false;
  let orphanSaid = false;

  const ensureTable = (line: Line, col: number): EbtablesTable => {
    const existing = builder.table;
    if (existing) return existing;
    const span = spanInLine(file, line.number, line.offset, col, col);
    if (opts.table) return builder.openTable(opts.table, 'option', '', span);
    const inferred = inferEbtablesTable(text);
    if (inferred) {
      sink.info(line.number, `no \`Bridge table:\` line before the first chain; table taken to be ${inferred} from its built-in chain names`, line.text);
      return builder.openTable(inferred, 'inferred', '', span);
    }
    sink.info(line.number, 'no `Bridge table:` line before the first chain and the chains do not tell which table this is; table name left as `unknown`', line.text);
    return builder.openTable('unknown', 'unknown', '', span);
  };

  /** Rules from columns [from, to) of the line; `split` when several rules may share it. */
  const readRules = (line: Line, from: number, to: number, split: boolean): void => {
    let tokens: EbtablesToken[] = tokenizeEbtablesLine(line.text, from, to);
    if (tokens.length === 0) return;
    if (!chain) {
      if (!orphanSaid || !split) {
        sink.error(line.number, 'rule outside of a chain: expected a `Bridge chain: NAME, entries: N, policy: POLICY` line before it; rule skipped', line.text, (tokens[0]?.start ?? 0) + 1);
      }
      orphanSaid = true;
      return;
    }
    const comma = splitGluedPcntComma(tokens);
    tokens = comma.tokens;
    if (comma.glued) builder.voteBackend('legacy');
    let k = 0;
    while (k < tokens.length) {
      const parsed = reader.read(tokens, k, line, split, true);
      builder.addRule(file, chain, line, parsed.start, parsed.end, parsed);
      k = parsed.next > k ? parsed.next : k + 1;
    }
  };

  const readCommand = (line: Line): void => {
    const plain = tokenizeEbtablesLine(line.text);
    const glued = splitGluedCounters(plain);
    if (glued) builder.voteBackend('legacy');
    const tokens = glued ?? plain;
    let k = 1;
    let tableName = builder.table?.name ?? opts.table ?? 'filter';
    if (tokens[k]?.text === '-t' && tokens[k + 1]) {
      tableName = tokens[k + 1]?.text ?? tableName;
      k += 2;
    }
    const cmd = tokens[k];
    const chainTok = tokens[k + 1];
    const first = tokens[0];
    if (!cmd || !chainTok || !first) {
      sink.error(line.number, 'incomplete ebtables command; skipped', line.text);
      return;
    }
    let table = builder.table;
    if (!table || table.name !== tableName) {
      table = builder.openTable(tableName, 'command', '', spanInLine(file, line.number, line.offset, first.start, first.start));
    }
    const lineEnd = tokens[tokens.length - 1]?.end ?? line.text.length;
    const lineSpan = spanInLine(file, line.number, line.offset, first.start, lineEnd);
    const lineRaw = line.text.slice(first.start, lineEnd);
    const getChain = (name: string): EbtablesChain => builder.chain(name, table) ?? builder.openChain(table, name, 'ACCEPT', undefined, lineRaw, lineSpan);
    switch (cmd.text) {
      case '-N':
        builder.openChain(table, chainTok.text, 'ACCEPT', undefined, lineRaw, lineSpan);
        return;
      case '-P': {
        const policy = tokens[k + 2];
        if (!policy) {
          sink.error(line.number, `-P ${chainTok.text} without a policy; skipped`, line.text, cmd.start + 1);
          return;
        }
        builder.setPolicy(getChain(chainTok.text), policy.text);
        return;
      }
      case '-A': {
        const c = getChain(chainTok.text);
        const parsed = reader.read(tokens, k + 2, line, false, false);
        builder.addRule(file, c, line, first.start, Math.max(parsed.end, chainTok.end), parsed);
        return;
      }
      case '-E':
        sink.warning(line.number, `chain rename (-E ${chainTok.text} ...) is not modelled; the chain keeps its built-in name`, line.text, cmd.start + 1);
        return;
      default:
        sink.error(line.number, `unexpected ebtables command ${cmd.text} in a --Lx listing; skipped`, line.text, cmd.start + 1, cmd.end + 1);
    }
  };

  let lastLine = 1;
  for (const line of iterateLines(text)) {
    lastLine = line.number;
    const lt = line.text;
    const markers = findMarkers(lt);
    if (markers.length === 0) {
      const trimmed = lt.trimStart();
      if (trimmed === '') continue;
      if (/^(\S*\/)?ebtables(-legacy|-nft)? /.test(trimmed) && !isEbtablesErrorLine(trimmed)) {
        readCommand(line);
        continue;
      }
      const c0 = trimmed.charCodeAt(0);
      if (c0 === 45 /* - */ || c0 === 33 /* ! */ || (c0 >= 48 && c0 <= 57)) {
        readRules(line, 0, lt.length, false);
        continue;
      }
      if (isEbtablesErrorLine(trimmed)) {
        sink.warning(line.number, `ebtables reported an error here (\`${trimmed.slice(0, 120)}\`); nothing to read on this line`, lt);
        continue;
      }
      sink.error(line.number, 'not part of an `ebtables -L` listing: expected `Bridge table:`, `Bridge chain:` or a rule; line skipped', lt);
      continue;
    }

    const first = markers[0] ?? 0;
    const flattened = markers.length > 1 || lt.slice(0, first).trim() !== '';
    if (lt.slice(0, first).trim() !== '') readRules(line, 0, first, true);
    for (let m = 0; m < markers.length; m++) {
      const at = markers[m] ?? 0;
      const segEnd = markers[m + 1] ?? lt.length;
      const seg = lt.slice(at, segEnd);
      if (seg.startsWith(TABLE_MARK)) {
        const tokens = tokenizeEbtablesLine(lt, at + TABLE_MARK.length, segEnd);
        const nameTok = tokens[0];
        if (!nameTok) {
          sink.error(line.number, '`Bridge table:` without a table name; following chains kept in the previous table', lt, at + 1);
          continue;
        }
        builder.openTable(nameTok.text, 'header', lt.slice(at, nameTok.end), spanInLine(file, line.number, line.offset, at, nameTok.end));
        chain = undefined;
        const extra = tokens[1];
        if (extra) sink.error(line.number, `unexpected \`${extra.text}\` after \`Bridge table: ${nameTok.text}\`; ignored`, lt, extra.start + 1);
        continue;
      }
      // A chain header, possibly followed by its rules on the same line.
      const full = CHAIN_HEADER.exec(seg);
      const nameOnly = full ?? CHAIN_NAME_ONLY.exec(seg);
      const table = ensureTable(line, at);
      if (!nameOnly || nameOnly[1] === undefined) {
        sink.error(line.number, 'malformed chain header: expected `Bridge chain: NAME, entries: N, policy: POLICY`; its rules are skipped', lt, at + 1);
        chain = undefined;
        continue;
      }
      if (!full) {
        sink.error(line.number, `chain header of ${nameOnly[1]} lacks \`, entries: N, policy: POLICY\`; policy left as \`?\`, rest of the header ignored`, lt, at + 1);
      }
      const headerEnd = at + nameOnly[0].length;
      chain = builder.openChain(
        table,
        nameOnly[1],
        full?.[3] ?? '?',
        full?.[2] !== undefined ? Number(full[2]) : undefined,
        lt.slice(at, headerEnd),
        spanInLine(file, line.number, line.offset, at, headerEnd),
      );
      const rest = full ? lt.slice(headerEnd, segEnd) : '';
      if (rest.trim() !== '') readRules(line, headerEnd, segEnd, true);
      if ((flattened || rest.trim() !== '') && !flattenedSaid) {
        flattenedSaid = true;
        sink.info(line.number, 'several chains or rules share this line (newlines lost when the dump was pasted?); split at `Bridge chain:` headers and after each rule\'s target', lt);
      }
    }
  }

  const tables = builder.finish();
  sink.finish(lastLine);
  const backend = builder.backend();
  return { value: { format: 'ebtables-L', ...(backend ? { backend } : {}), tables }, diagnostics: sink.diagnostics };
}

function findMarkers(line: string): number[] {
  const out: number[] = [];
  let i = line.indexOf('Bridge ');
  while (i !== -1) {
    if (line.startsWith(TABLE_MARK, i) || line.startsWith(CHAIN_MARK, i)) out.push(i);
    i = line.indexOf('Bridge ', i + 7);
  }
  return out;
}
