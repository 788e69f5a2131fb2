import { DiagnosticSink, type ParseOptions, type ParseResult } from '../text/Diagnostic';
import { iterateLines } from '../text/lines';
import { ctxError, ctxSpan, ctxWarning, type OvsLineContext } from './OvsLineContext';
import {
  ovsFieldByName,
  OVS_PROTOCOL_SHORTHANDS,
  type OvsFieldDef,
  type OvsFieldName,
} from './OvsFieldTable';
import type { MaskedValue, OvsMatch, OvsMatchField, OvsPortName, OvsUnreadMatchItem } from './OvsMatch';
import { OvsMatchFieldRecord, type OvsLineAnchor } from './OvsMatchFieldRecord';
import { spanInLine, type Span } from '../text/Span';
import { isPortName } from './OvsMatch';
import { OVS_ITEM_CACHE_LIMIT, type OvsReadingCache } from './OvsReadingCache';
import { ovsStatKeyAt } from './ovsStatKeyAt';
import { parseOvsFieldValue, parseOvsInteger } from './parseOvsFieldValue';
import { parseOvsSubfield, subfieldMask } from './parseOvsSubfield';
import { scanOvsItems, type OvsItem } from './scanOvsItems';

/**
 * Reads an OVS match in the ovs-ofctl flow syntax, the same text `dump-flows` prints before
 * ` actions=`, `ofproto/trace` prints after `Flow:`, and an operator types as the packet of
 * `ofproto/trace` / `osnet trace`:
 *   `tcp,in_port=1,dl_src=fa:16:3e:00:00:01,nw_src=10.0.0.5/24,tcp_dst=10051,tcp_flags=+syn-ack`
 * Protocol keywords expand to their prerequisites (`tcp` -> eth_type=0x0800 and nw_proto=6);
 * names are canonicalised (`dl_src` -> eth_src, `tp_dst` -> tcp_dst/udp_dst/sctp_dst by the
 * flow's protocol, `icmp_type` -> icmpv6_type for ICMPv6). Unknown fields and bad values are
 * kept in `unread` with a warning / error carrying the column, so a flow is never silently
 * widened. Ranges (`tp_dst=80-90`) are not OVS syntax and are reported as bad values.
 */
export function parseOvsMatch(text: string, opts: ParseOptions): ParseResult<OvsMatch> {
  const sink = new DiagnosticSink(opts.file);
  let match: OvsMatch | undefined;
  for (const line of iterateLines(text)) {
    if (line.text.trim() === '') continue;
    const ctx: OvsLineContext = { file: opts.file, line: line.number, text: line.text, offset: line.offset, sink };
    if (match) {
      ctxError(ctx, 0, line.text.length, 'a match is a single line; this line is ignored');
      continue;
    }
    match = readOvsMatch(ctx, 0, line.text.length);
  }
  if (!match) {
    const empty: OvsMatch = {
      fields: [], unread: [], raw: '',
      span: { file: opts.file, line: 1, column: 1, endLine: 1, endColumn: 1, offset: 0, endOffset: 0 },
    };
    return { value: empty, diagnostics: sink.diagnostics };
  }
  return { value: match, diagnostics: sink.diagnostics };
}

/** Keys the match reader silently accepts and ignores, as ovs-ofctl does. */
const IGNORED_KEYS = new Set(['no_readonly_table', 'allow_hidden_fields']);

const SHORTHANDS = new Map(Object.entries(OVS_PROTOCOL_SHORTHANDS));

/** A field being built; `field` may still change in `canonicalise`. */
type MField = OvsMatchFieldRecord;

/**
 * Reads the match in `ctx.text[start, end)`; used by the dump-flows and trace parsers with the
 * real line, so diagnostics and spans point into the dump.
 */
export function readOvsMatch(ctx: OvsLineContext, start: number, end: number, items?: readonly OvsItem[], span?: Span): OvsMatch {
  const fields: MField[] = [];
  const unread: OvsUnreadMatchItem[] = [];
  let priority: number | undefined;
  for (const item of items ?? scanOvsItems(ctx.text, start, end)) {
    const p = readMatchItemCached(ctx, item, fields, unread);
    if (p !== undefined) priority = p;
  }
  canonicalise(fields);
  let s = start;
  let e = end;
  while (s < e && isTrimmable(ctx.text.charCodeAt(s))) s++;
  while (e > s && isTrimmable(ctx.text.charCodeAt(e - 1))) e--;
  // Nearly every match reads completely: one shared empty list instead of one per flow (the model is read-only).
  // `span`, when given, is a span of [start, end) the caller already holds: shared when nothing was trimmed.
  const m: { -readonly [K in keyof OvsMatch]: OvsMatch[K] } = {
    fields, unread: unread.length === 0 ? NOTHING_UNREAD : unread, raw: ctx.text.slice(s, e), span: span && s === start && e === end ? span : ctxSpan(ctx, s, e),
  };
  if (priority !== undefined) m.priority = priority;
  return m;
}

const NOTHING_UNREAD: readonly OvsUnreadMatchItem[] = [];

/** Blank or comma: trimmed from the ends of a match's raw text. */
function isTrimmable(c: number): boolean {
  return c === 32 || c === 9 || c === 44;
}

function pushField(
  ctx: OvsLineContext, fields: MField[], item: OvsItem, def: OvsFieldDef,
  value: MaskedValue | OvsPortName, text: string, nameAsWritten: string, shorthand?: string,
): void {
  const f = new OvsMatchFieldRecord(def.name as OvsFieldName, value, text, nameAsWritten, ctx.text.slice(item.start, item.end), ctx, item.start, item.end);
  if (shorthand !== undefined) f.shorthand = shorthand;
  fields.push(f);
}

/** Keeps an item that could not be read, so the flow is never silently widened. */
function keepUnread(ctx: OvsLineContext, item: OvsItem, unread: OvsUnreadMatchItem[], reason: OvsUnreadMatchItem['reason']): void {
  const t = ctx.text;
  unread.push({
    reason,
    name: t.slice(item.start, item.keyEnd),
    text: t.slice(item.valueStart, item.valueEnd),
    raw: t.slice(item.start, item.end),
    span: ctxSpan(ctx, item.start, item.end),
  });
}

/** What a clean item reads as, whatever line it is on: the field values, shared by every flow that writes the same item. */
export interface ReadItem {
  readonly raw: string;
  readonly priority: number | undefined;
  readonly fields: readonly Omit<OvsMatchField, 'raw' | 'span'>[];
  /** A field names its port (`in_port="tap1"`). */
  readonly portName: boolean;
}

/** readMatchItem, through the parse's cache of clean readings when the context has one. */
function readMatchItemCached(ctx: OvsLineContext, item: OvsItem, fields: MField[], unread: OvsUnreadMatchItem[]): number | undefined {
  if (item.unclosed || item.delim === '(') return readMatchItem(ctx, item, fields, unread);
  const cache = ctx.cache?.items;
  if (!cache) return readMatchItem(ctx, item, fields, unread);
  const raw = ctx.text.slice(item.start, item.end);
  const hit = cache.get(raw);
  if (hit) {
    for (const f of hit.fields) {
      const m = new OvsMatchFieldRecord(f.field, f.value, f.text, f.nameAsWritten, hit.raw, ctx, item.start, item.end);
      if (f.shorthand !== undefined) m.shorthand = f.shorthand;
      fields.push(m);
    }
    return hit.priority;
  }
  const before = fields.length;
  const unreadBefore = unread.length;
  const p = readMatchItem(ctx, item, fields, unread);
  // Reading succeeded exactly when it gave a field or a priority and left nothing unread; only
  // failures report diagnostics, so a success can be replayed without them.
  // Never an item named like a dump-flows stat (`cookie=1` in a packet spec): the dump-flows reader
  // takes a shared reading as proof that an item is a match item.
  if (unread.length === unreadBefore && (fields.length > before || p !== undefined) && ovsStatKeyAt(ctx.text, item.start, item.keyEnd) === -1) {
    if (cache.size >= OVS_ITEM_CACHE_LIMIT) cache.clear();
    const read = fields.slice(before).map((f) => {
      const r: { -readonly [K in keyof ReadItem['fields'][number]]: ReadItem['fields'][number][K] } = { field: f.field, value: f.value, text: f.text, nameAsWritten: f.nameAsWritten };
      if (f.shorthand !== undefined) r.shorthand = f.shorthand;
      return r;
    });
    cache.set(raw, { raw, priority: p, fields: read, portName: read.some((f) => isPortName(f.value)) });
  }
  return p;
}

/** The shared reading of a match item written `raw`, when one was read cleanly before in the same parse. */
export function cachedMatchItem(cache: OvsReadingCache, raw: string): ReadItem | undefined {
  return cache.items.get(raw);
}

/**
 * The match readOvsMatch reads from `line.text[start, end)` when that text is `readings[from, to)`
 * separated by single commas (`undefined` for an empty item: two commas in a row), each item a
 * clean shared reading: built from the readings without scanning or looking anything up again.
 * `span` is the caller's span of [start, end), shared when nothing is trimmed (as readOvsMatch shares it).
 */
export function ovsMatchOfReadings(
  line: OvsLineAnchor & { readonly text: string }, start: number, end: number,
  readings: readonly (ReadItem | undefined)[], from: number, to: number, span: Span,
): OvsMatch {
  const fields: MField[] = [];
  let priority: number | undefined;
  let at = start;
  for (let k = from; k < to; k++) {
    const item = readings[k];
    if (item) {
      const b = at + item.raw.length;
      for (const f of item.fields) {
        const m = new OvsMatchFieldRecord(f.field, f.value, f.text, f.nameAsWritten, item.raw, line, at, b);
        if (f.shorthand !== undefined) m.shorthand = f.shorthand;
        fields.push(m);
      }
      if (item.priority !== undefined) priority = item.priority;
      at = b;
    }
    at++; // the comma
  }
  canonicalise(fields);
  const t = line.text;
  let s = start;
  let e = end;
  while (s < e && isTrimmable(t.charCodeAt(s))) s++;
  while (e > s && isTrimmable(t.charCodeAt(e - 1))) e--;
  const m: { -readonly [K in keyof OvsMatch]: OvsMatch[K] } = {
    fields, unread: NOTHING_UNREAD, raw: t.slice(s, e), span: s === start && e === end ? span : spanInLine(line.file, line.line, line.offset, s, e),
  };
  if (priority !== undefined) m.priority = priority;
  return m;
}

/**
 * Reads one match item of `ctx`'s line the way readOvsMatch does, reporting its problems and
 * sharing its reading when clean, for a reader that builds the match itself later: says what the
 * item contributes to the flow as a whole.
 */
export function checkMatchItem(ctx: OvsLineContext, item: OvsItem): { priority: number | undefined; portName: boolean } {
  const fields: MField[] = [];
  const priority = readMatchItemCached(ctx, item, fields, []);
  return { priority, portName: fields.some((f) => isPortName(f.value)) };
}

const ETH_TYPE = ovsFieldByName('eth_type');
const NW_PROTO = ovsFieldByName('nw_proto');
const PACKET_TYPE = ovsFieldByName('packet_type');

/** Reads one item; returns a priority when the item is `priority=N`. */
function readMatchItem(ctx: OvsLineContext, item: OvsItem, fields: MField[], unread: OvsUnreadMatchItem[]): number | undefined {
  const t = ctx.text;
  const key = t.slice(item.start, item.keyEnd);
  if (key.length === 0) {
    ctxError(ctx, item.start, item.end, `"${t.slice(item.start, item.end)}" has no field name; item ignored`);
    keepUnread(ctx, item, unread, 'unknown-field');
    return undefined;
  }
  if (item.delim === '') {
    const proto = SHORTHANDS.get(key);
    if (proto) {
      if (ETH_TYPE) pushField(ctx, fields, item, ETH_TYPE, { value: BigInt(proto.ethType), mask: 0xffffn }, key, key, key);
      if (NW_PROTO && proto.nwProto !== undefined) pushField(ctx, fields, item, NW_PROTO, { value: BigInt(proto.nwProto), mask: 0xffn }, key, key, key);
      return undefined;
    }
    if (key === 'eth') {
      // packet_type=(0,0): an Ethernet frame (printed in megaflows of OVS 2.8+).
      if (PACKET_TYPE) pushField(ctx, fields, item, PACKET_TYPE, { value: 0n, mask: 0xffffffffn }, key, key, key);
      return undefined;
    }
    if (IGNORED_KEYS.has(key)) return undefined;
    if (ovsFieldByName(key)) {
      ctxError(ctx, item.start, item.end, `match field ${key} has no value; item ignored`);
      keepUnread(ctx, item, unread, 'bad-value');
      return undefined;
    }
    ctxWarning(ctx, item.start, item.end, `unknown OVS match keyword "${key}"; kept as text, the flow cannot be evaluated exactly`);
    keepUnread(ctx, item, unread, 'unknown-field');
    return undefined;
  }
  if (item.delim === '(') {
    ctxError(ctx, item.start, item.end, `"${t.slice(item.start, item.end)}" is not a match field (parenthesised values belong to actions)`);
    keepUnread(ctx, item, unread, 'bad-value');
    return undefined;
  }
  const valueText = t.slice(item.valueStart, item.valueEnd);
  if (key === 'priority') {
    const n = parseOvsInteger(valueText);
    if (n === undefined || n > 0xffffffffn) {
      ctxError(ctx, item.valueStart, item.valueEnd, `priority "${valueText}" is not a number`);
      return undefined;
    }
    return Number(n);
  }
  if (key.includes('[')) {
    readSubfieldMatch(ctx, item, key, valueText, fields, unread);
    return undefined;
  }
  const def = ovsFieldByName(key);
  if (!def) {
    ctxWarning(ctx, item.start, item.end, `unknown OVS match field "${key}"; kept as text, the flow cannot be evaluated exactly`);
    keepUnread(ctx, item, unread, 'unknown-field');
    return undefined;
  }
  const r = parseOvsFieldValue(def, valueText);
  if (typeof r === 'string') {
    ctxError(ctx, item.valueStart, item.valueEnd, `${r}; field kept as text`);
    keepUnread(ctx, item, unread, 'bad-value');
    return undefined;
  }
  pushField(ctx, fields, item, def, r, valueText, key);
  return undefined;
}

/** `reg0[0..3]=5` / `NXM_NX_REG0[16]=1`: the value lands in the subfield's bits. */
function readSubfieldMatch(
  ctx: OvsLineContext, item: OvsItem, key: string, valueText: string,
  fields: MField[], unread: OvsUnreadMatchItem[],
): void {
  const sf = parseOvsSubfield(key);
  if (!sf.ok || !sf.subfield.field) {
    ctxWarning(ctx, item.start, item.keyEnd, `${sf.ok ? `unknown field in "${key}"` : sf.message}; kept as text`);
    keepUnread(ctx, item, unread, 'unknown-field');
    return;
  }
  const def = ovsFieldByName(sf.subfield.field);
  const [v, m] = valueText.split('/', 2);
  const value = parseOvsInteger(v ?? '');
  const bitsMask = subfieldMask(sf.subfield);
  const width = BigInt(sf.subfield.end - sf.subfield.start + 1);
  if (!def || value === undefined || value >= 1n << width) {
    ctxError(ctx, item.valueStart, item.valueEnd, `${key}: "${valueText}" is not a number that fits ${width} bits; field kept as text`);
    keepUnread(ctx, item, unread, 'bad-value');
    return;
  }
  let mask = bitsMask;
  if (m !== undefined) {
    const mm = parseOvsInteger(m);
    if (mm === undefined) {
      ctxError(ctx, item.valueStart, item.valueEnd, `${key}: mask "${m}" is not a number; field kept as text`);
      keepUnread(ctx, item, unread, 'bad-value');
      return;
    }
    mask = (mm << BigInt(sf.subfield.start)) & bitsMask;
  }
  pushField(ctx, fields, item, def, { value: (value << BigInt(sf.subfield.start)) & mask, mask }, valueText, key);
}

const L4_BY_PROTO: ReadonlyMap<bigint, { src: OvsFieldName; dst: OvsFieldName }> = new Map([
  [6n, { src: 'tcp_src', dst: 'tcp_dst' }],
  [17n, { src: 'udp_src', dst: 'udp_dst' }],
  [132n, { src: 'sctp_src', dst: 'sctp_dst' }],
]);

/**
 * OVS prints `tp_src`/`tp_dst` for every L4 protocol and `icmp_type`/`icmp_code` for ICMPv6
 * too; the canonical field depends on the flow's protocol, known only after the whole match.
 */
function canonicalise(fields: MField[]): void {
  let ethType: bigint | undefined;
  let nwProto: bigint | undefined;
  for (const f of fields) {
    if (isPortName(f.value)) continue;
    if (f.field === 'eth_type') ethType = f.value.value;
    else if (f.field === 'nw_proto') nwProto = f.value.value;
  }
  if (ethType === undefined && nwProto === undefined) return;
  const isIpv6 = ethType === 0x86ddn;
  const isArp = ethType === 0x0806n || ethType === 0x8035n;
  const l4 = nwProto !== undefined ? L4_BY_PROTO.get(nwProto) : undefined;
  for (const f of fields) {
    const written = f.nameAsWritten;
    if (l4 && (written === 'tp_src' || written === 'tp_dst')) f.field = written === 'tp_src' ? l4.src : l4.dst;
    else if (isIpv6 && (f.field === 'icmp_type' || f.field === 'icmp_code')) f.field = f.field === 'icmp_type' ? 'icmpv6_type' : 'icmpv6_code';
    else if (isArp && (written === 'nw_src' || written === 'nw_dst')) f.field = written === 'nw_src' ? 'arp_spa' : 'arp_tpa';
    else if (isArp && written === 'nw_proto') {
      // Old OVS printed the ARP opcode as nw_proto; it is arp_op (16 bits).
      f.field = 'arp_op';
      if (!isPortName(f.value)) f.value = { value: f.value.value, mask: 0xffffn };
    }
  }
}
