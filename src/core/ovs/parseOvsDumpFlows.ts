import { DiagnosticSink, type ParseOptions, type ParseResult } from '../text/Diagnostic';
import { looksBinary } from '../text/lines';
import type { Span } from '../text/Span';
import type { OvsAction } from './OvsAction';
import { ctxError, ctxSpan, ctxWarning, type OvsLineContext } from './OvsLineContext';
import { isPortName, type OvsMatch } from './OvsMatch';
import { parseOvsInteger } from './parseOvsFieldValue';
import { readOvsActions } from './parseOvsActions';
import { readOvsMatch } from './parseOvsMatch';
import { scanOvsItems, type OvsItem } from './scanOvsItems';

/**
 * Reads `ovs-ofctl dump-flows BRIDGE` in all its variants: OpenFlow 1.0 (`NXST_FLOW reply`) and
 * `-O OpenFlow13/14/15` (`OFPST_FLOW reply (OF1.3)`), with or without the header line, `--names`
 * (`in_port="int-br-mgmt"`, `output:tap2`), `--no-stats` (`table=60, priority=50,... actions=..`),
 * and `ovs-appctl bridge/dump-flows [--offload-stats] BRIDGE` (hidden flows included):
 *   ` cookie=0x565d7680690eea02, duration=53.934s, table=71, n_packets=2, n_bytes=84, idle_age=23, priority=95,arp,reg5=0x9,in_port=9 actions=resubmit(,94)`
 *   `table_id=1, duration=503s, n_packets=1, n_bytes=111, priority=20,dl_vlan=3,actions=goto_table:60`
 * A line that is not a flow is reported (error) and skipped; an `ovs-ofctl` decode error and its
 * hex dump are reported once (warning) and skipped; every other flow is kept.
 */
export interface OvsFlow {
  /** The flow line without its leading/trailing blanks. */
  readonly raw: string;
  readonly span: Span;
  readonly cookie: bigint;
  /** Seconds since the flow was added (absent with --no-stats). */
  readonly duration?: number;
  /** OpenFlow table, 0 when not printed. */
  readonly table: number;
  /** Set when the table was printed by name (`--names` with table names configured). */
  readonly tableName?: string;
  /** 32768 (OpenFlow default) when not printed. */
  readonly priority: number;
  readonly nPackets?: number;
  readonly nBytes?: number;
  readonly nOffloadPackets?: number;
  readonly nOffloadBytes?: number;
  readonly idleAge?: number;
  readonly hardAge?: number;
  readonly idleTimeout?: number;
  readonly hardTimeout?: number;
  readonly flags: readonly OvsFlowFlag[];
  readonly importance?: number;
  readonly match: OvsMatch;
  readonly actions: readonly OvsAction[];
  /** The match part (`priority=95,arp,...`), zero-length for a catch-all at default priority. */
  readonly matchSpan: Span;
  /** The text after `actions=`. */
  readonly actionsSpan: Span;
  readonly actionsText: string;
}

export type OvsFlowFlag = 'send_flow_rem' | 'check_overlap' | 'reset_counts' | 'no_packet_counts' | 'no_byte_counts';

export interface OvsDumpFlowsHeader {
  readonly raw: string;
  readonly span: Span;
  /** `NXST_FLOW` (OpenFlow 1.0 + Nicira extensions) or `OFPST_FLOW`. */
  readonly reply: string;
  /** `1.3` from `(OF1.3)`; `1.0` for NXST_FLOW. */
  readonly openflowVersion?: string;
}

export interface OvsDumpFlows {
  readonly source: 'ovs-ofctl' | 'bridge/dump-flows';
  readonly header?: OvsDumpFlowsHeader;
  readonly flows: readonly OvsFlow[];
  /** False for `--no-stats` output (no duration / counters). */
  readonly withStats: boolean;
  /** True when ports are printed by name (`--names`). */
  readonly portNames: boolean;
}

type NumKey = 'duration' | 'nPackets' | 'nBytes' | 'nOffloadPackets' | 'nOffloadBytes' | 'idleAge' | 'hardAge' | 'idleTimeout' | 'hardTimeout' | 'importance';

/** Keys of the stats/flow-mod part of a line (everything that is not the match). */
const STAT_KEYS: ReadonlyMap<string, NumKey | 'cookie' | 'table' | 'table_id' | 'flag'> = new Map(Object.entries({
  cookie: 'cookie',
  duration: 'duration',
  table: 'table',
  table_id: 'table_id',
  n_packets: 'nPackets',
  n_bytes: 'nBytes',
  n_offload_packets: 'nOffloadPackets',
  n_offload_bytes: 'nOffloadBytes',
  idle_age: 'idleAge',
  hard_age: 'hardAge',
  idle_timeout: 'idleTimeout',
  hard_timeout: 'hardTimeout',
  importance: 'importance',
  send_flow_rem: 'flag',
  check_overlap: 'flag',
  reset_counts: 'flag',
  no_packet_counts: 'flag',
  no_byte_counts: 'flag',
} as const));

/** STAT_KEYS by length: most items are match fields, and no slice is cut to find that out. */
const STAT_KEYS_BY_LENGTH: readonly (readonly string[] | undefined)[] = (() => {
  const by: string[][] = [];
  for (const k of STAT_KEYS.keys()) (by[k.length] ??= []).push(k);
  return by;
})();

/** The stat key written at `t[start, end)`, or undefined when the item is not one. */
function statKeyAt(t: string, start: number, end: number): string | undefined {
  const candidates = STAT_KEYS_BY_LENGTH[end - start];
  if (candidates) for (const k of candidates) if (t.startsWith(k, start)) return k;
  return undefined;
}

// Large dumps come in several replies: every one after the first carries `flags=[more]` on the previous.
const HEADER_RE = /^(NXST_FLOW|OFPST_FLOW) reply(?: \(OF(\d\.\d)\))?(?: \(xid=0x[0-9a-f]+\))?:?(?: flags=\[[a-z,]*\])?\s*$/;
const HEX_DUMP_RE = /^[0-9a-f]{8} {2}[0-9a-f]{2}[ -]/;
const LOG_RE = /^\d{4}-\d\d-\d\dT[\d:.]+Z?\|\d+\|/;
const DURATION_RE = /^(\d+(?:\.\d+)?)s$/;

export function parseOvsDumpFlows(text: string, opts: ParseOptions): ParseResult<OvsDumpFlows> {
  const sink = new DiagnosticSink(opts.file);
  const flows: OvsFlow[] = [];
  let header: OvsDumpFlowsHeader | undefined;
  let bridgeFormat = false;
  let withStats = false;
  let inHexDump = false;
  let moreReplies = false;
  if (looksBinary(text)) {
    sink.error(1, 'this file is binary, not ovs-ofctl dump-flows output; nothing read');
    return { value: { source: 'ovs-ofctl', flows, withStats, portNames: false }, diagnostics: sink.diagnostics };
  }
  // The lines as iterateLines gives them (`\n` or `\r\n`), without a generator object per line.
  let lineStart = 0;
  let lineNumber = 0;
  const n = text.length;
  while (lineStart < n) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = n;
    const offset = lineStart;
    const t = text.slice(lineStart, lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd);
    lineNumber++;
    lineStart = lineEnd + 1;
    let s = 0;
    while (s < t.length && (t.charCodeAt(s) === 32 || t.charCodeAt(s) === 9)) s++;
    let e = t.length;
    while (e > s && (t.charCodeAt(e - 1) === 32 || t.charCodeAt(e - 1) === 9)) e--;
    if (s === e) continue;
    const ctx: OvsLineContext = { file: opts.file, line: lineNumber, text: t, offset, sink };
    const body = s === 0 && e === t.length ? t : t.slice(s, e);
    if (inHexDump && HEX_DUMP_RE.test(body)) continue;
    inHexDump = false;
    const hm = HEADER_RE.exec(body);
    if (hm) {
      const h: { -readonly [K in keyof OvsDumpFlowsHeader]: OvsDumpFlowsHeader[K] } = { raw: body, span: ctxSpan(ctx, s, e), reply: hm[1] ?? '' };
      const version = hm[2] ?? (hm[1] === 'NXST_FLOW' ? '1.0' : undefined);
      if (version !== undefined) h.openflowVersion = version;
      // A reply marked `flags=[more]` announces the next one: that is one dump in several replies.
      if (header && !moreReplies) ctxWarning(ctx, s, e, 'a second dump-flows reply header; flows of both replies are kept');
      else header ??= h;
      moreReplies = /flags=\[[a-z,]*more/.test(body);
      continue;
    }
    if (body.startsWith('***decode error') || body.startsWith('OFPT_ERROR') || (body.startsWith('OFPST_FLOW reply') && body.includes('decode error'))) {
      ctxWarning(ctx, s, e, `ovs-ofctl could not decode a reply ("${body}"); this line and its hex dump are skipped, flows in it are missing`);
      inHexDump = true;
      continue;
    }
    if (LOG_RE.test(body)) {
      ctxWarning(ctx, s, e, 'an ovs-ofctl log message inside the dump; skipped');
      continue;
    }
    const actionsAt = findActions(t, s, e);
    if (actionsAt === -1) {
      ctxError(ctx, s, e, 'not an OVS flow (no "actions="); line skipped');
      continue;
    }
    const flow = readFlow(ctx, s, e, actionsAt, body);
    if (flow.bridgeFormat) bridgeFormat = true;
    if (flow.flow.duration !== undefined || flow.flow.nPackets !== undefined) withStats = true;
    flows.push(flow.flow);
  }
  const value: { -readonly [K in keyof OvsDumpFlows]: OvsDumpFlows[K] } = {
    source: bridgeFormat ? 'bridge/dump-flows' : 'ovs-ofctl',
    flows,
    withStats,
    portNames: flows.some(usesPortNames),
  };
  if (header) value.header = header;
  return { value, diagnostics: sink.diagnostics };
}

/** Index of `actions=` that starts the action part (at the start, or after a blank or comma). */
function findActions(t: string, s: number, e: number): number {
  let i = t.indexOf('actions=', s);
  while (i !== -1 && i < e) {
    const prev = i === s ? 32 : t.charCodeAt(i - 1);
    if (prev === 32 || prev === 44 || prev === 9) return i;
    i = t.indexOf('actions=', i + 1);
  }
  return -1;
}

/** Shared by every flow without flow-mod flags (nearly all): the model is read-only. */
const NO_FLAGS: readonly OvsFlowFlag[] = [];

const TABLE_NAME_RE = /^[A-Za-z_][\w-]*$/;

/** The last cookie text and its value (module state used as a cache only). */
const lastCookie: { text: string; value: bigint } = { text: '0x0', value: 0n };

function badStat(ctx: OvsLineContext, item: OvsItem, key: string, value: string, what: string): void {
  ctxError(ctx, item.valueStart, item.valueEnd, `${key} "${value}" is not ${what}; ignored`);
}

/** A decimal counter (n_packets, idle_age...) as a number; `undefined` if not all digits. */
function toCount(text: string): number | undefined {
  if (text.length === 0 || text.length > 20) return undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) {
      const n = parseOvsInteger(text);
      return n === undefined ? undefined : Number(n);
    }
  }
  return Number(text);
}

function usesPortNames(f: OvsFlow): boolean {
  for (const m of f.match.fields) if (isPortName(m.value)) return true;
  for (const a of f.actions) if (a.kind === 'output' && a.port.kind === 'name') return true;
  return false;
}

function readFlow(ctx: OvsLineContext, s: number, e: number, actionsAt: number, raw: string): { flow: OvsFlow; bridgeFormat: boolean } {
  const t = ctx.text;
  const nums: { -readonly [K in NumKey]?: number } = {};
  const flags: OvsFlowFlag[] = [];
  let cookie = 0n;
  let table = 0;
  let tableName: string | undefined;
  let bridgeFormat = false;
  const matchItems: OvsItem[] = [];
  for (const item of scanOvsItems(t, s, actionsAt)) {
    const key = statKeyAt(t, item.start, item.keyEnd);
    const kind = key === undefined ? undefined : STAT_KEYS.get(key);
    if (key === undefined || kind === undefined || (kind === 'flag') !== (item.delim === '')) {
      matchItems.push(item);
      continue;
    }
    if (kind === 'flag') {
      flags.push(key as OvsFlowFlag);
      continue;
    }
    const value = t.slice(item.valueStart, item.valueEnd);
    if (kind === 'cookie') {
      // Every flow of an agent carries the same cookie: parse it once.
      const c = value === lastCookie.text ? lastCookie.value : parseOvsInteger(value);
      if (c !== undefined) { lastCookie.text = value; lastCookie.value = c; }
      if (c === undefined) badStat(ctx, item, key, value, 'a number');
      else cookie = c;
    } else if (kind === 'table' || kind === 'table_id') {
      if (kind === 'table_id') bridgeFormat = true;
      const n = toCount(value);
      if (n !== undefined && n <= 255) table = n;
      else if (kind === 'table' && TABLE_NAME_RE.test(value)) {
        tableName = value;
        ctxWarning(ctx, item.valueStart, item.valueEnd, `table printed by name "${value}"; its number is unknown, flow filed under table 0`);
      } else badStat(ctx, item, key, value, 'a table number');
    } else if (kind === 'duration') {
      const d = value.endsWith('s') && DURATION_RE.test(value) ? Number(value.slice(0, -1)) : undefined;
      if (d === undefined) badStat(ctx, item, key, value, 'a duration like 12.5s');
      else {
        nums.duration = d;
        if (item.start === s && !value.includes('.')) bridgeFormat = true;
      }
    } else {
      const n = toCount(value);
      if (n === undefined) badStat(ctx, item, key, value, 'a number');
      else nums[kind] = n;
      if (kind === 'nOffloadPackets') bridgeFormat = true;
    }
  }
  const actionsStart = actionsAt + 'actions='.length;
  let matchStart = actionsAt;
  let matchEnd = actionsAt;
  const firstItem = matchItems[0];
  const lastItem = matchItems[matchItems.length - 1];
  if (firstItem && lastItem) {
    matchStart = firstItem.start;
    matchEnd = lastItem.end;
  }
  const match = readOvsMatch(ctx, matchStart, matchEnd, matchItems);
  const actions = readOvsActions(ctx, actionsStart, e);
  // The match's own span covers the same characters (its items start and end on non-blanks): one object serves both.
  const sameRange = match.span.offset === ctx.offset + matchStart && match.span.endOffset === ctx.offset + matchEnd;
  const flow: { -readonly [K in keyof OvsFlow]: OvsFlow[K] } = {
    raw,
    span: ctxSpan(ctx, s, e),
    cookie,
    table,
    priority: match.priority ?? 32768,
    flags: flags.length === 0 ? NO_FLAGS : flags,
    match,
    actions,
    matchSpan: sameRange ? match.span : ctxSpan(ctx, matchStart, matchEnd),
    actionsSpan: ctxSpan(ctx, actionsStart, e),
    actionsText: t.slice(actionsStart, e),
    ...nums,
  };
  if (tableName !== undefined) flow.tableName = tableName;
  if (match.priority !== undefined && match.priority > 65535 && !bridgeFormat) {
    ctxError(ctx, match.span.column - 1, match.span.endColumn - 1, `priority ${match.priority} is above 65535; only hidden flows of bridge/dump-flows have such priorities`);
  }
  return { flow, bridgeFormat };
}
