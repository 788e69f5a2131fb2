import { parseIp } from '../net/IpAddress';
import type { ParseOptions, ParseResult } from '../text/Diagnostic';
import { CappedDiagnosticSink, MAX_LINE_LENGTH, tooLong } from '../iptables/CappedDiagnosticSink';
import { iterateLines, looksBinary, type Line } from '../text/lines';
import type { Span } from '../text/Span';
import type { Mutable } from '../iptables/IptablesModel';
import type { ConntrackEntry, ConntrackTable, ConntrackTuple } from './ConntrackModel';

/**
 * `conntrack -L [-o extended]` output, one flow per line:
 * `ipv4     2 tcp      6 431979 ESTABLISHED src=10.0.0.122 dst=10.0.0.116 sport=50264 dport=5672 src=10.0.0.116 dst=10.0.0.122 sport=5672 dport=50264 [ASSURED] mark=0 zone=3 use=1`.
 * The first `src=` starts the original tuple, the second the reply tuple. conntrack prints its
 * summary (`conntrack v1.4.5 (conntrack-tools): 1438 flow entries have been shown.`) on stderr;
 * when a capture interleaved it into an entry (sosreport does), the entry is re-joined with the
 * next line and an info says so. Unreadable lines are errors with their position; never throws.
 */
const SUMMARY = /conntrack v([\d.]+) \(conntrack-tools\): (\d+) flow entries have been shown\./;
const TUPLE_KEYS = new Set(['src', 'dst', 'sport', 'dport', 'type', 'code', 'id', 'packets', 'bytes']);

interface TupleBuilder {
  srcText: string;
  dstText: string;
  fields: Map<string, string>;
}

function toTuple(t: TupleBuilder): ConntrackTuple {
  const out: { -readonly [K in keyof ConntrackTuple]: ConntrackTuple[K] } = { srcText: t.srcText, dstText: t.dstText };
  const src = parseIp(t.srcText);
  const dst = parseIp(t.dstText);
  if (src) out.src = src;
  if (dst) out.dst = dst;
  const num = (k: string): number | undefined => {
    const v = t.fields.get(k);
    return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
  };
  const sport = num('sport');
  const dport = num('dport');
  if (sport !== undefined) out.sport = sport;
  if (dport !== undefined) out.dport = dport;
  const type = num('type');
  const code = num('code');
  const id = num('id');
  if (type !== undefined) out.icmpType = type;
  if (code !== undefined) out.icmpCode = code;
  if (id !== undefined) out.icmpId = id;
  const packets = t.fields.get('packets');
  const bytes = t.fields.get('bytes');
  if (packets !== undefined && /^\d+$/.test(packets)) out.packets = BigInt(packets);
  if (bytes !== undefined && /^\d+$/.test(bytes)) out.bytes = BigInt(bytes);
  return out;
}

/** Reads one entry's words; returns an error message instead of throwing. */
function readEntry(words: string[]): Mutable<Omit<ConntrackEntry, 'raw' | 'span'>> | string {
  let i = 0;
  let l3: string | undefined;
  if ((words[0] === 'ipv4' || words[0] === 'ipv6' || words[0] === 'unknown') && /^\d+$/.test(words[1] ?? '') && /^[a-z]/.test(words[2] ?? '')) {
    l3 = words[0];
    i = 2;
  }
  const protocol = words[i];
  const protoNum = words[i + 1];
  if (protocol === undefined || !/^[a-z][a-z0-9-]*$/.test(protocol) || protoNum === undefined || !/^\d+$/.test(protoNum)) {
    return 'expected `[ipv4 2] PROTO NUMBER TIMEOUT ...` at the start of a conntrack entry';
  }
  i += 2;
  let timeout: number | undefined;
  if (/^\d+$/.test(words[i] ?? '')) timeout = Number(words[i++]);
  let state: string | undefined;
  if (words[i] !== undefined && /^[A-Z_]+$/.test(words[i]!)) state = words[i++];
  const tuples: TupleBuilder[] = [];
  const flags: string[] = [];
  const extra: Record<string, string> = {};
  let mark: number | undefined;
  let zone: number | undefined;
  let use: number | undefined;
  let atEntryLevel = false;
  for (; i < words.length; i++) {
    const w = words[i]!;
    if (w.startsWith('[') && w.endsWith(']')) {
      flags.push(w.slice(1, -1));
      continue;
    }
    const eq = w.indexOf('=');
    if (eq <= 0) return `unexpected word \`${w}\` in a conntrack entry`;
    const key = w.slice(0, eq);
    const value = w.slice(eq + 1);
    if (key === 'src' && !atEntryLevel) {
      tuples.push({ srcText: value, dstText: '', fields: new Map() });
      continue;
    }
    const t = tuples[tuples.length - 1];
    if (t && !atEntryLevel && TUPLE_KEYS.has(key)) {
      if (key === 'dst') t.dstText = value;
      else t.fields.set(key, value);
      continue;
    }
    atEntryLevel = true;
    if (key === 'mark' && /^\d+$/.test(value)) mark = Number(value);
    else if (key === 'zone' && /^\d+$/.test(value)) zone = Number(value);
    else if (key === 'use' && /^\d+$/.test(value)) use = Number(value);
    else extra[key] = value;
  }
  if (tuples.length === 0) return 'conntrack entry without a `src=` tuple';
  const entry: Mutable<Omit<ConntrackEntry, 'raw' | 'span'>> = { protocol, protocolNumber: Number(protoNum), original: toTuple(tuples[0]!), flags };
  if (l3 !== undefined) entry.l3 = l3;
  if (timeout !== undefined) entry.timeout = timeout;
  if (state !== undefined) entry.state = state;
  if (tuples[1]) entry.reply = toTuple(tuples[1]);
  if (mark !== undefined) entry.mark = mark;
  if (zone !== undefined) entry.zone = zone;
  if (use !== undefined) entry.use = use;
  if (Object.keys(extra).length > 0) entry.extra = extra;
  return entry;
}

function spanOf(file: string, first: Line, last: Line, startCol0: number): Span {
  return {
    file, line: first.number, column: startCol0 + 1, endLine: last.number, endColumn: last.text.trimEnd().length + 1,
    offset: first.offset + startCol0, endOffset: last.offset + last.text.trimEnd().length,
  };
}

export function parseConntrackList(text: string, opts: ParseOptions): ParseResult<ConntrackTable> {
  const sink = new CappedDiagnosticSink(opts.file);
  const entries: ConntrackEntry[] = [];
  let shownCount: number | undefined;
  let toolVersion: string | undefined;
  if (looksBinary(text)) {
    sink.error(1, 'input looks binary, not `conntrack -L` text; nothing read');
    return { value: { entries }, diagnostics: sink.diagnostics };
  }
  // Streamed, with a one-line lookahead for the re-join: a 50 MB capture is never held as a line array.
  const lines = iterateLines(text);
  for (let next = lines.next(); !next.done; next = lines.next()) {
    const line = next.value;
    let s = line.text;
    const length = s.trim().length;
    if (length === 0) continue;
    if (length > MAX_LINE_LENGTH) {
      sink.error(line.number, tooLong(length), s);
      continue;
    }
    const start = s.length - s.trimStart().length;
    let last = line;
    const sm = s.includes('flow entries have been shown') ? SUMMARY.exec(s) : null;
    if (sm) {
      toolVersion = sm[1];
      shownCount = Number(sm[2]);
      const before = s.slice(0, sm.index);
      if (before.trim() === '' && s.slice(sm.index + sm[0].length).trim() === '') continue;
      // stderr's summary landed inside an entry: the entry goes on at the next line.
      const following = lines.next();
      s = before + s.slice(sm.index + sm[0].length) + (following.done ? '' : following.value.text);
      if (!following.done) last = following.value;
      sink.info(line.number, 'conntrack\'s summary line was printed into the middle of an entry (stdout and stderr captured together); the entry was re-joined', line.text);
    }
    const r = readEntry(s.trim().split(/\s+/));
    if (typeof r === 'string') {
      sink.error(line.number, `${r}; line ignored`, line.text, start + 1);
      continue;
    }
    // Span and raw only for entries that read: garbage lines allocate nothing for them.
    const span = spanOf(opts.file, line, last, start);
    entries.push({ ...r, raw: text.slice(span.offset, span.endOffset), span });
  }
  if (shownCount !== undefined && shownCount !== entries.length) {
    sink.warning(1, `conntrack reported ${shownCount} flow entries but ${entries.length} were read (truncated or filtered capture?)`);
  }
  const value: { -readonly [K in keyof ConntrackTable]: ConntrackTable[K] } = { entries };
  if (shownCount !== undefined) value.shownCount = shownCount;
  if (toolVersion !== undefined) value.toolVersion = toolVersion;
  sink.finish();
  return { value, diagnostics: sink.diagnostics };
}
