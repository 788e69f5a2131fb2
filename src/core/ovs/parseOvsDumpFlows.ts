import { DiagnosticSink, type ParseOptions, type ParseResult } from '../text/Diagnostic';
import { looksBinary } from '../text/lines';
import type { Span } from '../text/Span';
import type { OvsAction } from './OvsAction';
import { OvsFlowRecord, type OvsFlowNumber } from './OvsFlowRecord';
import { ctxError, ctxSpan, ctxWarning, type OvsLineContext } from './OvsLineContext';
import { isPortName, type OvsMatch } from './OvsMatch';
import { parseOvsInteger } from './parseOvsFieldValue';
import { cachedActionList, readOvsActionList, type OvsActionList } from './parseOvsActions';
import { cachedMatchItem, readMatchItemOnce, type OwnMatchItem, type ReadItem } from './parseOvsMatch';
import { scanned, scanOvsItemAt, type OvsItem } from './scanOvsItems';

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

type NumKey = OvsFlowNumber;

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
  let inHexDump = false;
  let moreReplies = false;
  if (looksBinary(text)) {
    sink.error(1, 'this file is binary, not ovs-ofctl dump-flows output; nothing read');
    return { value: { source: 'ovs-ofctl', flows, withStats: false, portNames: false }, diagnostics: sink.diagnostics };
  }
  const r = new FlowReader(text, opts.file, sink);
  // The lines as iterateLines gives them (`\n` or `\r\n`), without a generator object per line.
  let lineStart = 0;
  let lineNumber = 0;
  const n = text.length;
  while (lineStart < n) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = n;
    const offset = lineStart;
    const tEnd = lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd;
    lineNumber++;
    lineStart = lineEnd + 1;
    // Positions are found in the whole text (no slice per line); `s`/`e` are within the line.
    let a = offset;
    while (a < tEnd && (text.charCodeAt(a) === 32 || text.charCodeAt(a) === 9)) a++;
    let b = tEnd;
    while (b > a && (text.charCodeAt(b - 1) === 32 || text.charCodeAt(b - 1) === 9)) b--;
    if (a === b) continue;
    r.startLine(lineNumber, offset, tEnd);
    const s = a - offset;
    const e = b - offset;
    const body = text.slice(a, b);
    const c0 = text.charCodeAt(a);
    if (inHexDump && HEX_DUMP_RE.test(body)) continue;
    inHexDump = false;
    // Only a line starting with N or O can be a reply header, with * or O a decode error, with a digit a log line.
    const hm = c0 === 78 || c0 === 79 ? HEADER_RE.exec(body) : null;
    if (hm) {
      const ctx = r.ctx();
      const h: { -readonly [K in keyof OvsDumpFlowsHeader]: OvsDumpFlowsHeader[K] } = { raw: body, span: ctxSpan(ctx, s, e), reply: hm[1] ?? '' };
      const version = hm[2] ?? (hm[1] === 'NXST_FLOW' ? '1.0' : undefined);
      if (version !== undefined) h.openflowVersion = version;
      // A reply marked `flags=[more]` announces the next one: that is one dump in several replies.
      if (header && !moreReplies) ctxWarning(ctx, s, e, 'a second dump-flows reply header; flows of both replies are kept');
      else header ??= h;
      moreReplies = /flags=\[[a-z,]*more/.test(body);
      continue;
    }
    if ((c0 === 42 || c0 === 79) && (body.startsWith('***decode error') || body.startsWith('OFPT_ERROR') || (body.startsWith('OFPST_FLOW reply') && body.includes('decode error')))) {
      ctxWarning(r.ctx(), s, e, `ovs-ofctl could not decode a reply ("${body}"); this line and its hex dump are skipped, flows in it are missing`);
      inHexDump = true;
      continue;
    }
    if (c0 >= 48 && c0 <= 57 && LOG_RE.test(body)) {
      ctxWarning(r.ctx(), s, e, 'an ovs-ofctl log message inside the dump; skipped');
      continue;
    }
    const actionsAt = r.findActions(a, b);
    if (actionsAt === -1) {
      ctxError(r.ctx(), s, e, 'not an OVS flow (no "actions="); line skipped');
      continue;
    }
    flows.push(r.readFlow(s, e, actionsAt - offset, body));
  }
  const value: { -readonly [K in keyof OvsDumpFlows]: OvsDumpFlows[K] } = {
    source: r.bridgeFormat ? 'bridge/dump-flows' : 'ovs-ofctl',
    flows,
    withStats: r.withStats,
    portNames: r.portNames,
  };
  if (header) value.header = header;
  return { value, diagnostics: sink.diagnostics };
}

/** Shared by every flow without flow-mod flags (nearly all): the model is read-only. */
const NO_FLAGS: readonly OvsFlowFlag[] = [];

const TABLE_NAME_RE = /^[A-Za-z_][\w-]*$/;

/** The last cookie text and its value (module state used as a cache only). */
const lastCookie: { text: string; value: bigint } = { text: '0x0', value: 0n };

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

/** `text[from, to)` as a number when it is 1 to 15 decimal digits (exact), else -1. */
function digitsAt(text: string, from: number, to: number): number {
  if (to <= from || to - from > 15) return -1;
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    v = v * 10 + (c - 48);
  }
  return v;
}

/** The numbers a line prints, in `OvsFlowNumber` order of their index here. */
const NUMBER_KEYS: readonly OvsFlowNumber[] = ['duration', 'nPackets', 'nBytes', 'nOffloadPackets', 'nOffloadBytes', 'idleAge', 'hardAge', 'idleTimeout', 'hardTimeout', 'importance'];
const NUMBER_INDEX: ReadonlyMap<string, number> = new Map(NUMBER_KEYS.map((k, i) => [k, i]));
const NO_NUMBERS: readonly OvsFlowNumber[] = [];

/**
 * Reads the flow lines of one dump. A flow's stats are read at once; its match items and action
 * list are looked up among the readings shared across flows (parseOvsMatch's item cache,
 * parseOvsActions' list cache) and only read (and reported on) when new; the flow keeps those
 * readings and builds its match and actions when first asked for (OvsFlowRecord).
 */
class FlowReader {
  bridgeFormat = false;
  withStats = false;
  portNames = false;
  #lineNumber = 0;
  #offset = 0;
  #lineEnd = 0;
  #ctx: OvsLineContext | undefined;
  /** The next `actions=` at or after the last place searched (-1: none up to the end), so no line searches past its end twice. */
  #nextActions = -2;
  /** Match items of the current line: start, end, keyEnd, delim code, valueStart, valueEnd, unclosed — absolute offsets. */
  readonly #items: number[] = [];
  readonly #numbers = new Float64Array(NUMBER_KEYS.length);
  readonly #orders = new Map<number, readonly OvsFlowNumber[]>();

  constructor(readonly text: string, readonly file: string, readonly sink: DiagnosticSink) {}

  startLine(lineNumber: number, offset: number, lineEnd: number): void {
    this.#lineNumber = lineNumber;
    this.#offset = offset;
    this.#lineEnd = lineEnd;
    this.#ctx = undefined;
  }

  /** The current line as the OVS readers take it (made only when a reader or a diagnostic needs it). */
  ctx(): OvsLineContext {
    return (this.#ctx ??= { file: this.file, line: this.#lineNumber, text: this.text.slice(this.#offset, this.#lineEnd), offset: this.#offset, sink: this.sink });
  }

  /** Index of `actions=` that starts the action part in `text[a, b)` (at the start, or after a blank or comma), or -1. */
  findActions(a: number, b: number): number {
    const text = this.text;
    let i = this.#nextActions;
    if (i !== -1 && i < a) i = this.#nextActions = text.indexOf('actions=', a);
    while (i !== -1 && i < b) {
      const prev = i === a ? 32 : text.charCodeAt(i - 1);
      if (prev === 32 || prev === 44 || prev === 9) return i;
      i = this.#nextActions = text.indexOf('actions=', i + 1);
    }
    return -1;
  }

  #item(k: number): OvsItem {
    const it = this.#items;
    const o = this.#offset;
    const d = it[k + 3]!;
    return {
      start: it[k]! - o, end: it[k + 1]! - o, keyEnd: it[k + 2]! - o, delim: d === 58 ? ':' : d === 61 ? '=' : d === 40 ? '(' : '',
      valueStart: it[k + 4]! - o, valueEnd: it[k + 5]! - o, unclosed: it[k + 6] === 1,
    };
  }

  #badStat(key: string, valueStart: number, valueEnd: number, what: string): void {
    const o = this.#offset;
    ctxError(this.ctx(), valueStart - o, valueEnd - o, `${key} "${this.text.slice(valueStart, valueEnd)}" is not ${what}; ignored`);
  }

  /** Reads the flow on the current line: `s`, `e`, `actionsAt` are within the line, `raw` is its trimmed text. */
  readFlow(s: number, e: number, actionsAt: number, raw: string): OvsFlow {
    const text = this.text;
    const o = this.#offset;
    const items = this.#items;
    items.length = 0;
    const numbers = this.#numbers;
    let seen = 0;
    let order = 0;
    let flags: OvsFlowFlag[] | undefined;
    let cookie = 0n;
    let table = 0;
    let tableName: string | undefined;
    let bridgeFormat = false;
    const scan = scanned;
    let i = o + s;
    const statsEnd = o + actionsAt;
    while (i < statsEnd) {
      i = scanOvsItemAt(text, i, statsEnd);
      if (i === -1) break;
      const key = statKeyAt(text, scan.start, scan.keyEnd);
      const kind = key === undefined ? undefined : STAT_KEYS.get(key);
      if (key === undefined || kind === undefined || (kind === 'flag') !== (scan.delim === '')) {
        items.push(scan.start, scan.end, scan.keyEnd, scan.delim === '' ? 0 : scan.delim.charCodeAt(0), scan.valueStart, scan.valueEnd, scan.unclosed ? 1 : 0);
        continue;
      }
      if (kind === 'flag') {
        (flags ??= []).push(key as OvsFlowFlag);
        continue;
      }
      const vs = scan.valueStart;
      const ve = scan.valueEnd;
      if (kind === 'cookie') {
        // Every flow of an agent carries the same cookie: parse it once.
        const last = lastCookie.text;
        if (ve - vs === last.length && text.startsWith(last, vs)) cookie = lastCookie.value;
        else {
          const value = text.slice(vs, ve);
          const c = parseOvsInteger(value);
          if (c === undefined) this.#badStat(key, vs, ve, 'a number');
          else {
            lastCookie.text = value;
            lastCookie.value = c;
            cookie = c;
          }
        }
        continue;
      }
      let num: number;
      if (kind === 'table' || kind === 'table_id') {
        if (kind === 'table_id') bridgeFormat = true;
        const d = digitsAt(text, vs, ve);
        const value = d >= 0 ? undefined : text.slice(vs, ve);
        const t = value === undefined ? d : toCount(value);
        if (t !== undefined && t <= 255) table = t;
        else if (kind === 'table' && value !== undefined && TABLE_NAME_RE.test(value)) {
          tableName = value;
          ctxWarning(this.ctx(), vs - o, ve - o, `table printed by name "${value}"; its number is unknown, flow filed under table 0`);
        } else this.#badStat(key, vs, ve, 'a table number');
        continue;
      } else if (kind === 'duration') {
        const value = text.slice(vs, ve);
        const d = value.endsWith('s') && DURATION_RE.test(value) ? Number(value.slice(0, -1)) : undefined;
        if (d === undefined) {
          this.#badStat(key, vs, ve, 'a duration like 12.5s');
          continue;
        }
        if (scan.start === o + s && !value.includes('.')) bridgeFormat = true;
        num = d;
      } else {
        if (kind === 'nOffloadPackets') bridgeFormat = true;
        const d = digitsAt(text, vs, ve);
        const c = d >= 0 ? d : toCount(text.slice(vs, ve));
        if (c === undefined) {
          this.#badStat(key, vs, ve, 'a number');
          continue;
        }
        num = c;
      }
      const idx = NUMBER_INDEX.get(kind)!;
      if ((seen & (1 << idx)) === 0) {
        seen |= 1 << idx;
        order = order * 11 + idx + 1;
      }
      numbers[idx] = num;
    }

    // The match: each item's shared reading, or a reading now (reporting its problems) when new.
    const pieces: (ReadItem | OwnMatchItem | number)[] = [];
    let priority: number | undefined;
    let portName = false;
    for (let k = 0; k < items.length; k += 7) {
      const a = items[k]!;
      const b = items[k + 1]!;
      const d = items[k + 3]!;
      if (items[k + 6] === 1 || d === 40) {
        const own = readMatchItemOnce(this.ctx(), this.#item(k), text.slice(a, b));
        if (!portName && !('own' in own ? own.fields.some((f) => isPortName(f.value)) : own.portName)) portName = false;
        else portName = true;
        pieces.push(own, a - o, b - o);
        continue;
      }
      const itemRaw = text.slice(a, b);
      const read = cachedMatchItem(itemRaw) ?? readMatchItemOnce(this.ctx(), this.#item(k), itemRaw);
      if ('own' in read) {
        if (read.fields.some((f) => isPortName(f.value))) portName = true;
      } else {
        if (read.priority !== undefined) priority = read.priority;
        if (read.portName) portName = true;
      }
      pieces.push(read, a - o, b - o);
    }
    const matchStart = items.length > 0 ? items[0]! - o : actionsAt;
    const matchEnd = items.length > 0 ? items[items.length - 6]! - o : actionsAt;

    // The actions: a list read before, or read now.
    const actionsStart = actionsAt + 'actions='.length;
    const actionsText = text.slice(o + actionsStart, o + e);
    let actions: OvsActionList | OvsAction[] | undefined = cachedActionList(actionsText);
    if (actions) {
      if (actions.portName) portName = true;
    } else {
      actions = readOvsActionList(this.ctx(), actionsStart, e, actionsText);
      if (actions.some((x) => x.kind === 'output' && x.port.kind === 'name')) portName = true;
    }

    let numberOrder = NO_NUMBERS;
    if (order !== 0) {
      let known = this.#orders.get(order);
      if (!known) {
        const keys: OvsFlowNumber[] = [];
        for (let x = order; x > 0; x = Math.floor(x / 11)) keys.unshift(NUMBER_KEYS[(x % 11) - 1]!);
        this.#orders.set(order, (known = keys));
      }
      numberOrder = known;
    }
    const line = { text, file: this.file, line: this.#lineNumber, offset: o, start: s, end: e, matchStart, matchEnd, actionsStart };
    const flow = new OvsFlowRecord(line, raw, cookie, table, priority ?? 32768, flags ?? NO_FLAGS, pieces, actions, numberOrder);
    if (numberOrder.length > 0) {
      const w = flow as { -readonly [K in OvsFlowNumber]?: number };
      for (const k of numberOrder) w[k] = numbers[NUMBER_INDEX.get(k)!];
    }
    if (tableName !== undefined) (flow as { tableName?: string }).tableName = tableName;
    if (bridgeFormat) this.bridgeFormat = true;
    if (flow.duration !== undefined || flow.nPackets !== undefined) this.withStats = true;
    if (portName) this.portNames = true;
    if (priority !== undefined && priority > 65535 && !bridgeFormat) {
      const span = flow.match.span;
      ctxError(this.ctx(), span.column - 1, span.endColumn - 1, `priority ${priority} is above 65535; only hidden flows of bridge/dump-flows have such priorities`);
    }
    return flow;
  }
}
