import type { Cidr } from '../net/Cidr';
import type { Negatable } from '../net/Negatable';
import type { ParseResult } from '../text/Diagnostic';
import { CappedDiagnosticSink, MAX_LINE_LENGTH, tooLong } from './CappedDiagnosticSink';
import { iterateLines, looksBinary } from '../text/lines';
import { spanInLine } from '../text/Span';
import type { IptablesCounters, IptablesRule, IptablesRuleset, Mutable } from './IptablesModel';
import { IptablesRulesetBuilder, type ChainBuilder, type TableBuilder } from './IptablesRulesetBuilder';
import { familyFromFileName, familyFromRules, tableFromFileName } from './iptablesFileHints';
import { inferIptablesTable } from './inferIptablesTable';
import { canonicalProtocol } from './iptablesNames';
import { parseCidrFast } from './parseCidrFast';
import { RuleValueCache, sharedName } from './readRuleArguments';
import type { IptablesParseOptions } from './parseIptablesSave';
import { translateListOptions } from './translateListOptions';

/** Which optional columns the header announced; `fixed` is how many words precede the options column. */
interface Columns {
  num: boolean;
  counters: boolean;
  opt: boolean;
  via: boolean;
  fixed: number;
}

/** Names `-L` without `-n` prints for common addresses (Debian's /etc/networks and /etc/hosts). */
const WELL_KNOWN_NAMES: Readonly<Record<string, string>> = { default: '0.0.0.0', loopback: '127.0.0.0', 'link-local': '169.254.0.0', localhost: '127.0.0.1' };

const CHAIN_LINE = /^Chain (\S+) \((?:policy (\S+)(?: (\S+) packets, (\S+) bytes)?|(\d+) references|ERROR obtaining refs)\)$/;
const ALL_DIGITS = /^\d+$/;
const SUFFIX: Readonly<Record<string, bigint>> = { K: 1000n, M: 1000_000n, G: 1000_000_000n, T: 1000_000_000_000n, P: 1000_000_000_000_000n };

/** `2147K` -> 2147000 (approximate), `17` -> 17. */
function readCount(text: string): { value: bigint; approximate: boolean } | undefined {
  if (ALL_DIGITS.test(text)) return { value: BigInt(text), approximate: false };
  const m = /^(\d+)([KMGTP]?)$/.exec(text);
  if (!m) return undefined;
  const unit = m[2] ? SUFFIX[m[2]] : undefined;
  return unit === undefined ? { value: BigInt(m[1]!), approximate: false } : { value: BigInt(m[1]!) * unit, approximate: true };
}

function readHeader(words: string[]): Columns | undefined {
  if (!words.includes('prot') || !words.includes('source') || !words.includes('destination')) return undefined;
  const num = words[0] === 'num';
  const counters = words.includes('pkts');
  const opt = words.includes('opt');
  const via = words.includes('in') && words.includes('out');
  return { num, counters, opt, via, fixed: (num ? 1 : 0) + (counters ? 2 : 0) + 2 + (opt ? 1 : 0) + (via ? 2 : 0) + 2 };
}

interface Word {
  text: string;
  start: number;
  end: number;
}

function words(s: string, limit: number): Word[] {
  const out: Word[] = [];
  let i = 0;
  const n = s.length;
  while (i < n && out.length < limit) {
    while (i < n && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9)) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && s.charCodeAt(i) !== 32 && s.charCodeAt(i) !== 9) i++;
    out.push({ text: s.slice(start, i), start, end: i });
  }
  return out;
}

/** The `opt` column: `--`, `-f` or `!f`. */
function isOpt(x: Word | undefined): boolean {
  return x !== undefined && x.text.length === 2 && (x.text[0] === '-' || x.text[0] === '!') && (x.text[1] === '-' || x.text[1] === 'f');
}

function negatable(text: string): Negatable<string> {
  return text.startsWith('!') ? { negated: true, value: text.slice(1) } : { negated: false, value: text };
}

/**
 * `iptables [-t T] -L [-n] [-v] [-x] [--line-numbers]` (and ip6tables, legacy or nft):
 * `Chain FORWARD (policy ACCEPT 51M packets, 14G bytes)` / `Chain KUBE-FORWARD (1 references)`,
 * a header (`num pkts bytes target prot opt in out source destination`), then one row per rule:
 * `   0     0 DROP       all  --  *      *       0.0.0.0/0            0.0.0.0/0            ctstate INVALID`.
 * Columns are found by the `opt` column (`--`, `-f`, `!f`), so an empty target or a long
 * interface name does not shift them; the options column is translated back to save syntax by
 * `translateListOptions`. This form is lossy (`lossy: true`): one info diagnostic says what this
 * particular dump cannot show. The table comes from `opts.table`, the file name
 * (`iptables_-t_nat_-nvL`) or the built-in chains. Several tables concatenated (sosreport
 * `iptables -vnxL` of each table in one file) become several tables. Never throws.
 */
export function parseIptablesList(text: string, opts: IptablesParseOptions): ParseResult<IptablesRuleset> {
  const sink = new CappedDiagnosticSink(opts.file);
  const builder = new IptablesRulesetBuilder();
  const givenTable = opts.table ?? tableFromFileName(opts.file);
  const named = new Set<TableBuilder>();
  let table: TableBuilder | undefined;
  let chain: ChainBuilder | undefined;
  let sawUserChain = false;
  let cols: Columns | undefined;
  let expectHeader = false;
  let toldLossy = false;
  let toldNames = false;
  const unknownNames = new Set<string>();
  const shared = new RuleValueCache();

  if (looksBinary(text)) {
    sink.error(1, 'input looks binary, not `iptables -L` text; nothing read');
    return { value: { family: opts.family ?? 4, format: 'iptables-L', tables: [], lossy: true }, diagnostics: sink.diagnostics };
  }

  const tellNames = (line: number, raw: string): void => {
    if (toldNames) return;
    toldNames = true;
    sink.info(line, 'addresses are shown as names (iptables -L without -n): `anywhere` is read as any address, `default`/`loopback`/`link-local`/`localhost` as the usual /etc/networks and /etc/hosts addresses; other host names are kept as text and cannot be matched', raw);
  };

  // Rows repeat the same few addresses (`0.0.0.0/0` on nearly all): read each text once.
  const addresses = new Map<string, { cidr?: Negatable<Cidr>; name?: Negatable<string> }>();
  const address = (w: string, line: number, raw: string): { cidr?: Negatable<Cidr>; name?: Negatable<string> } => {
    let a = addresses.get(w);
    if (a === undefined) {
      a = readAddress(w, line, raw);
      addresses.set(w, a);
    }
    return a;
  };
  const readAddress = (w: string, line: number, raw: string): { cidr?: Negatable<Cidr>; name?: Negatable<string> } => {
    const v = negatable(w);
    if (v.value === 'anywhere') {
      tellNames(line, raw);
      return {};
    }
    const known = WELL_KNOWN_NAMES[v.value.split('/')[0]!];
    if (known !== undefined) {
      tellNames(line, raw);
      const slash = v.value.indexOf('/');
      const c = parseCidrFast(slash < 0 ? known : known + v.value.slice(slash));
      if (c) return { cidr: { negated: v.negated, value: c } };
    }
    const c = parseCidrFast(v.value);
    if (c) return c.prefixLength === 0 && c.address === 0n && !v.negated ? {} : { cidr: { negated: v.negated, value: c } };
    tellNames(line, raw);
    return { name: v };
  };

  for (const line of iterateLines(text)) {
    const s = line.text;
    let start = 0;
    while (start < s.length && (s.charCodeAt(start) === 32 || s.charCodeAt(start) === 9)) start++;
    let end = s.length;
    while (end > start && (s.charCodeAt(end - 1) === 32 || s.charCodeAt(end - 1) === 9)) end--;
    if (start === end) continue;
    if (end - start > MAX_LINE_LENGTH) {
      sink.error(line.number, tooLong(end - start), s, start + 1);
      continue;
    }
    const body = start === 0 && end === s.length ? s : s.slice(start, end);
    const span = spanInLine(opts.file, line.number, line.offset, start, end);

    if (body.startsWith('Chain ')) {
      const m = CHAIN_LINE.exec(body);
      if (!m) {
        sink.error(line.number, 'bad chain header, expected `Chain NAME (policy P ...)` or `Chain NAME (N references)`; chain skipped', s, start + 1);
        chain = undefined;
        continue;
      }
      const name = m[1]!;
      const policy = m[2];
      // `-L` lists built-in chains first: one after a user chain, or listed twice, starts the next table.
      if (!table || (policy !== undefined && (sawUserChain || table.chains.get(name)?.policy !== undefined))) {
        table = builder.addTable(givenTable ?? 'filter', span, body);
        if (givenTable !== undefined && builder.tables.length === 1) named.add(table);
        sawUserChain = false;
      }
      if (policy === undefined) sawUserChain = true;
      const existing = table.chains.get(name);
      if (existing && existing.rules.length > 0) sink.warning(line.number, `chain ${name} listed twice in one table; its rules are appended`, s, start + 1);
      chain = builder.ensureChain(table, name, span, body).chain;
      chain.span = span;
      chain.raw = body;
      if (policy !== undefined) {
        chain.builtin = true;
        chain.policy = policy;
        if (m[3] !== undefined && m[4] !== undefined) {
          const p = readCount(m[3]);
          const b = readCount(m[4]);
          if (p && b) {
            const c: Mutable<IptablesCounters> = { packets: p.value, bytes: b.value };
            if (p.approximate || b.approximate) c.approximate = true;
            chain.counters = c;
          }
        }
      } else if (m[5] !== undefined) chain.references = Number(m[5]);
      expectHeader = true;
      continue;
    }
    if (expectHeader) {
      const h = readHeader(words(body, 12).map((w) => w.text));
      if (!h) {
        sink.error(line.number, 'expected the column header (`target prot opt source destination`) after the chain line; rows read with the previous layout', s, start + 1);
      } else {
        cols = h;
        expectHeader = false;
        if (!toldLossy) {
          toldLossy = true;
          const lacks: string[] = [];
          if (!h.via) lacks.push('no interfaces (-i/-o, no -v): rules that match an interface look as if they matched any');
          if (!h.counters) lacks.push('no counters');
          lacks.push('some match options are printed partially or not at all (hashlimit names, set counters...)');
          sink.info(line.number, `\`iptables -L\` is a lossy view: ${lacks.join('; ')}. Prefer iptables-save -c`, s);
        }
        continue;
      }
      expectHeader = false;
    }
    if (!chain || !cols || !table) {
      sink.error(line.number, 'rule row outside a chain (no `Chain ...` line before it); line ignored', s, start + 1);
      continue;
    }

    // The fixed columns; the target column may be empty (then the `opt` column comes one word earlier).
    const w = words(s, cols.fixed);
    let k = 0;
    const rule: Mutable<IptablesRule> = {
      table: table.name, chain: chain.name, index: 0, raw: body, span, counters: undefined,
      protocol: undefined, source: undefined, destination: undefined, sourceName: undefined, destinationName: undefined,
      inInterface: undefined, outInterface: undefined, fragment: undefined, matches: [], target: undefined, comment: undefined,
    };
    const bad = (message: string): void => sink.error(line.number, message, s, (w[k]?.start ?? start) + 1);
    if (cols.num) {
      const nw = w[k++];
      if (!nw || !/^\d+$/.test(nw.text)) {
        bad('expected a rule number (--line-numbers column); line ignored');
        continue;
      }
      if (Number(nw.text) !== chain.rules.length + 1) sink.warning(line.number, `rule number ${nw.text} but this is rule ${chain.rules.length + 1} of ${chain.name}; kept in file order`, s, nw.start + 1, nw.end + 1);
    }
    if (cols.counters) {
      const p = w[k] ? readCount(w[k]!.text) : undefined;
      const b = w[k + 1] ? readCount(w[k + 1]!.text) : undefined;
      if (!p || !b) {
        bad('expected packet and byte counters; line ignored');
        continue;
      }
      const c: Mutable<IptablesCounters> = { packets: p.value, bytes: b.value };
      if (p.approximate || b.approximate) c.approximate = true;
      rule.counters = c;
      k += 2;
    }
    let targetName = '';
    if (cols.opt) {
      if (isOpt(w[k + 1])) targetName = '';
      else if (isOpt(w[k + 2])) targetName = w[k++]!.text;
      else {
        bad('cannot find the target/prot/opt columns; line ignored');
        continue;
      }
    } else targetName = w[k++]?.text ?? '';
    const protWord = w[k++];
    if (!protWord) {
      bad('row ends before the prot column; line ignored');
      continue;
    }
    const prot = negatable(protWord.text);
    const p = canonicalProtocol(prot.value);
    if (p !== undefined) rule.protocol = sharedName(shared, prot.negated, p);
    if (cols.opt) {
      const o = w[k++]!.text;
      if (o[1] === 'f') rule.fragment = { negated: o[0] === '!', value: true };
    }
    if (cols.via) {
      const iw = w[k++];
      const ow = w[k++];
      if (!iw || !ow) {
        bad('row ends before the in/out columns; line ignored');
        continue;
      }
      const i = negatable(iw.text);
      const o = negatable(ow.text);
      if (i.value !== '*' && i.value !== 'any') rule.inInterface = sharedName(shared, i.negated, i.value);
      if (o.value !== '*' && o.value !== 'any') rule.outInterface = sharedName(shared, o.negated, o.value);
    }
    const sw = w[k++];
    const dw = w[k++];
    if (!sw || !dw) {
      bad('row ends before the source/destination columns; line ignored');
      continue;
    }
    const src = address(sw.text, line.number, s);
    const dst = address(dw.text, line.number, s);
    if (src.cidr) rule.source = src.cidr;
    if (src.name) rule.sourceName = src.name;
    if (dst.cidr) rule.destination = dst.cidr;
    if (dst.name) rule.destinationName = dst.name;

    const tr = translateListOptions(s, dw.end, end, targetName, span);
    rule.matches = tr.matches;
    if (tr.comment !== undefined) rule.comment = tr.comment;
    if (targetName !== '') rule.target = { kind: tr.goto ? 'goto' : 'jump', name: tr.targetName ?? targetName, options: tr.targetOptions };
    else if (tr.targetOptions.length > 0 || tr.goto) sink.warning(line.number, 'target options printed but the target column is empty; options ignored', s, start + 1);
    for (const u of tr.untranslated) {
      sink.warning(line.number, `could not translate \`${u.text}\` from the options column; kept as text, the simulator cannot decide this rule`, s, u.start + 1, u.end + 1);
    }
    for (const n of tr.unknownNames) {
      if (unknownNames.has(n)) continue;
      unknownNames.add(n);
      sink.info(line.number, `service or ICMP name \`${n}\` is not in this tool's tables; kept as text (use iptables -L -n for numbers)`, s);
    }
    chain.rules.push(rule);
  }
  if (expectHeader && chain) sink.warning(chain.span.line, `chain ${chain.name} has no column header (truncated output?)`, chain.raw);

  for (const t of builder.tables) {
    if (named.has(t)) continue;
    const guess = inferIptablesTable(t.chains.values());
    t.name = guess.name;
    sink.info(t.span.line, `\`iptables -L\` does not print the table name; took it to be ${guess.name} (${guess.reason}). Name the file like iptables_-t_nat_-nvL to say otherwise`, t.raw);
  }
  const tables = builder.finish();
  const family = opts.family ?? familyFromRules(tables) ?? familyFromFileName(opts.file) ?? 4;
  const value: IptablesRuleset = { family, format: 'iptables-L', tables, lossy: true };
  sink.finish();
  return { value, diagnostics: sink.diagnostics };
}
