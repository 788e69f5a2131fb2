import { DiagnosticSink, type ParseOptions, type ParseResult } from '../text/Diagnostic';
import { iterateLines, looksBinary } from '../text/lines';
import type { Span } from '../text/Span';

/**
 * Reads `ovs-vsctl list TABLE` in both of its forms, the records of one OVSDB table:
 *
 *   text (the default, and what sosreports keep as `ovs-vsctl_-t_5_list_interface`):
 *     `_uuid               : dd66d8db-170d-4b06-8280-9989cca47204`
 *     `external_ids        : {attached-mac="fa:16:3e:a7:45:cb", iface-id="0e778df8-…", iface-status=active}`
 *     `name                : tap0e778df8-ca`
 *     `ofport              : 9`             (records separated by a blank line)
 *   JSON (`--format=json [--columns=name,ofport,external_ids]`, one line):
 *     `{"data":[["tap0e778df8-ca",9,["map",[["iface-id","0e778df8-…"]]]]],"headings":["name","ofport","external_ids"]}`
 *
 * Values become strings, numbers and booleans; sets become arrays (`[]`, `["set",[…]]`) and maps
 * plain string records (`{}`, `["map",[[k,v]…]]`); uuids are strings. Each record keeps its raw
 * text and span: the record's lines, or its row of the JSON `data` array. A line or row that
 * cannot be read is reported and skipped; nothing here throws.
 */
export type OvsdbAtom = string | number | boolean;
export type OvsdbValue = OvsdbAtom | readonly OvsdbAtom[] | Readonly<Record<string, string>>;

export interface OvsdbRecord {
  readonly columns: Readonly<Record<string, OvsdbValue>>;
  readonly raw: string;
  readonly span: Span;
}

export interface OvsdbList {
  readonly form: 'text' | 'json';
  /** The column names, in output order (JSON `headings`, or the first record's keys). */
  readonly headings: readonly string[];
  readonly records: readonly OvsdbRecord[];
}

/** Does the text look like `ovs-vsctl list` output (either form)? Looks at the head only. */
export function sniffOvsdbList(text: string): boolean {
  const head = text.slice(0, 4096);
  if (/^\s*\{\s*"data"\s*:\s*\[/.test(head)) return /"headings"\s*:\s*\[/.test(text.slice(-4096)) || /"headings"/.test(head);
  let n = 0;
  for (const line of iterateLines(head)) {
    const t = line.text;
    if (t.trim() === '') { if (n > 0) break; continue; }
    if (n === 0 && !/^(_uuid|name)\s*: /.test(t)) return false;
    if (!TEXT_LINE.test(t)) return false;
    if (++n >= 3) return true;
  }
  return false;
}

const TEXT_LINE = /^([a-z_][a-z0-9_-]*)\s*: ?(.*)$/;

export function parseOvsdbList(text: string, opts: ParseOptions): ParseResult<OvsdbList> {
  const sink = new DiagnosticSink(opts.file);
  if (looksBinary(text)) {
    sink.error(1, 'this file is binary, not ovs-vsctl list output; nothing read');
    return { value: { form: 'text', headings: [], records: [] }, diagnostics: sink.diagnostics };
  }
  const value = /^\s*\{/.test(text) ? parseJsonForm(text, sink) : parseTextForm(text, sink);
  return { value, diagnostics: sink.diagnostics };
}

// ---- text form -------------------------------------------------------------------------------

function parseTextForm(text: string, sink: DiagnosticSink): OvsdbList {
  const records: OvsdbRecord[] = [];
  const headings: string[] = [];
  let cur: { columns: Record<string, OvsdbValue>; startLine: number; startOffset: number; endLine: number; endOffset: number; endCol: number } | undefined;
  const flush = (): void => {
    if (!cur) return;
    const span: Span = { file: sink.file, line: cur.startLine, column: 1, endLine: cur.endLine, endColumn: cur.endCol + 1, offset: cur.startOffset, endOffset: cur.endOffset };
    records.push({ columns: cur.columns, raw: text.slice(cur.startOffset, cur.endOffset), span });
    cur = undefined;
  };
  for (const line of iterateLines(text)) {
    const t = line.text;
    if (t.trim() === '') { flush(); continue; }
    const m = TEXT_LINE.exec(t);
    if (!m) {
      sink.error(line.number, 'not a `column : value` line of ovs-vsctl list output; line skipped', t);
      continue;
    }
    const key = m[1] ?? '';
    const v = readTextValue(m[2] ?? '');
    if (v === undefined) sink.warning(line.number, `cannot read the value of ${key}; kept as text`, t);
    cur ??= { columns: {}, startLine: line.number, startOffset: line.offset, endLine: line.number, endOffset: line.offset, endCol: 0 };
    cur.columns[key] = v ?? (m[2] ?? '').trim();
    cur.endLine = line.number;
    cur.endOffset = line.offset + t.length;
    cur.endCol = t.length;
    if (records.length === 0 && !headings.includes(key)) headings.push(key);
  }
  flush();
  return { form: 'text', headings, records };
}

/**
 * One value as ovs-vsctl prints it: `35`, `down`, `"fa:16:3e:87:45:fc"`, `[]`, `[1, 2]`,
 * `{}`, `{peer=patch-int, remote_ip="10.0.0.114"}`. Undefined when unbalanced.
 */
function readTextValue(s: string): OvsdbValue | undefined {
  const t = s.trim();
  if (t.startsWith('{')) {
    if (!t.endsWith('}')) return undefined;
    const out: Record<string, string> = {};
    for (const item of splitTop(t.slice(1, -1))) {
      const eq = indexOutsideQuotes(item, '=');
      if (eq === -1) return undefined;
      out[textAtom(item.slice(0, eq))] = textAtom(item.slice(eq + 1));
    }
    return out;
  }
  if (t.startsWith('[')) {
    if (!t.endsWith(']')) return undefined;
    return splitTop(t.slice(1, -1)).map((x) => scalar(x));
  }
  return scalar(t);
}

function scalar(s: string): OvsdbAtom {
  const t = s.trim();
  if (/^-?\d+$/.test(t)) return Number(t);
  if (t === 'true' || t === 'false') return t === 'true';
  return textAtom(t);
}

function textAtom(s: string): string {
  const t = s.trim();
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) {
    // OVSDB quotes strings with C escapes; the JSON reading of them is the same.
    try { return JSON.parse(t) as string; } catch { return t.slice(1, -1); }
  }
  return t;
}

/** `a=1, b="x, y"` -> [`a=1`, `b="x, y"`]: commas outside quotes. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && quoted) { i++; continue; }
    if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) { out.push(s.slice(start, i)); start = i + 1; }
  }
  const last = s.slice(start);
  if (last.trim() !== '' || out.length > 0) out.push(last);
  return out.map((x) => x.trim()).filter((x) => x !== '');
}

function indexOutsideQuotes(s: string, ch: string): number {
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && quoted) { i++; continue; }
    if (c === '"') quoted = !quoted;
    else if (c === ch && !quoted) return i;
  }
  return -1;
}

// ---- JSON form -------------------------------------------------------------------------------

function parseJsonForm(text: string, sink: DiagnosticSink): OvsdbList {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    sink.error(1, `not valid JSON (${err instanceof Error ? err.message : String(err)}); nothing read`);
    return { form: 'json', headings: [], records: [] };
  }
  const d = doc as { data?: unknown; headings?: unknown };
  const headings = Array.isArray(d.headings) ? d.headings.filter((h): h is string => typeof h === 'string') : [];
  if (!Array.isArray(d.data) || headings.length === 0) {
    sink.error(1, 'JSON without "data" rows and "headings": not ovs-vsctl --format=json list output; nothing read');
    return { form: 'json', headings, records: [] };
  }
  const ranges = rowRanges(text);
  const records: OvsdbRecord[] = [];
  d.data.forEach((row: unknown, i: number) => {
    const range = ranges[i];
    const at = range ? position(text, range.start) : { line: 1, column: 1 };
    if (!Array.isArray(row) || !range) {
      sink.error(at.line, `row ${i + 1} of "data" is not an array of ${headings.length} values; skipped`, undefined, at.column);
      return;
    }
    const columns: Record<string, OvsdbValue> = {};
    headings.forEach((h, k) => {
      const v = jsonDatum(row[k]);
      if (v === undefined) sink.warning(at.line, `row ${i + 1}: cannot read column ${h}; left out`, undefined, at.column);
      else columns[h] = v;
    });
    const end = position(text, range.end);
    records.push({
      columns,
      raw: text.slice(range.start, range.end),
      span: { file: sink.file, line: at.line, column: at.column, endLine: end.line, endColumn: end.column, offset: range.start, endOffset: range.end },
    });
  });
  return { form: 'json', headings, records };
}

/** OVSDB's JSON datum: an atom, `["uuid",u]`, `["set",[…]]` or `["map",[[k,v]…]]`. */
function jsonDatum(v: unknown): OvsdbValue | undefined {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'string') return undefined;
  const [tag, body] = v as [string, unknown];
  if (tag === 'uuid' || tag === 'named-uuid') return typeof body === 'string' ? body : undefined;
  if (tag === 'set' && Array.isArray(body)) {
    const out: OvsdbAtom[] = [];
    for (const x of body) {
      const a = jsonAtom(x);
      if (a === undefined) return undefined;
      out.push(a);
    }
    return out;
  }
  if (tag === 'map' && Array.isArray(body)) {
    const out: Record<string, string> = {};
    for (const pair of body) {
      if (!Array.isArray(pair) || pair.length !== 2) return undefined;
      const k = jsonAtom(pair[0]);
      const val = jsonAtom(pair[1]);
      if (k === undefined || val === undefined) return undefined;
      out[String(k)] = String(val);
    }
    return out;
  }
  return undefined;
}

function jsonAtom(v: unknown): OvsdbAtom | undefined {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v) && v.length === 2 && (v[0] === 'uuid' || v[0] === 'named-uuid') && typeof v[1] === 'string') return v[1];
  return undefined;
}

/** Offsets of the elements of the top-level `"data": [ … ]` array (string and bracket aware). */
function rowRanges(text: string): { start: number; end: number }[] {
  const key = /"data"\s*:\s*\[/.exec(text);
  if (!key) return [];
  const out: { start: number; end: number }[] = [];
  let depth = 0;
  let start = -1;
  for (let i = key.index + key[0].length; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      continue;
    }
    if (c === '[' || c === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === ']' || c === '}') {
      if (depth === 0) break; // the end of "data"
      depth--;
      if (depth === 0 && start !== -1) { out.push({ start, end: i + 1 }); start = -1; }
    }
  }
  return out;
}

function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) { line++; lineStart = i + 1; }
  return { line, column: offset - lineStart + 1 };
}
