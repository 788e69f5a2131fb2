import { DiagnosticSink, type ParseOptions, type ParseResult } from '../text/Diagnostic';
import { looksBinary } from '../text/lines';
import type { Span } from '../text/Span';
import type { OvsAction } from './OvsAction';
import { OvsFlowRecord, type OvsFlowNumbers, type OvsFlowSource } from './OvsFlowRecord';
import { OVS_FLOW_NUMBERS, OVS_STAT_KEYS, OVS_STAT_KINDS, OVS_STAT_NUMBER, ovsStatKeyAt, type OvsFlowNumber } from './ovsStatKeyAt';
import { ctxError, ctxSpan, ctxWarning, type OvsLineContext } from './OvsLineContext';
import { OvsReadingCache } from './OvsReadingCache';
import type { OvsMatch } from './OvsMatch';
import { parseOvsInteger } from './parseOvsFieldValue';
import { cachedActionList, readOvsActionList, type OvsActionList } from './parseOvsActions';
import { cachedMatchItem, checkMatchItem, type ReadItem } from './parseOvsMatch';
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

// Large dumps come in several replies: every one after the first carries `flags=[more]` on the previous.
const HEADER_RE = /^(NXST_FLOW|OFPST_FLOW) reply(?: \(OF(\d\.\d)\))?(?: \(xid=0x[0-9a-f]+\))?:?(?: flags=\[[a-z,]*\])?\s*$/;
const HEX_DUMP_RE = /^[0-9a-f]{8} {2}[0-9a-f]{2}[ -]/;
const LOG_RE = /^\d{4}-\d\d-\d\dT[\d:.]+Z?\|\d+\|/;

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
    const c0 = text.charCodeAt(a);
    // Only a line starting with N or O can be a reply header, with * or O a decode error, with a digit a log line:
    // the other lines (the flows) need no text of their own.
    const body = inHexDump || c0 === 78 || c0 === 79 || c0 === 42 || (c0 >= 48 && c0 <= 57) ? text.slice(a, b) : '';
    if (inHexDump && HEX_DUMP_RE.test(body)) continue;
    inHexDump = false;
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
    flows.push(r.readFlowFast(s, e, actionsAt - offset) ?? r.readFlow(s, e, actionsAt - offset));
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

/**
 * The stats as ovs-ofctl prints them (ofp-print.c), at the start of a flow line: cookie, then
 * duration, table, n_packets, n_bytes, idle_age and hard_age when printed, each `, `-separated.
 */
const STATS_RE = /cookie=(0x[0-9a-f]{1,16}), (?:duration=(\d{1,9}\.\d{1,6})s, )?(?:table=(\d{1,3}), )?(?:n_packets=(\d{1,15}), n_bytes=(\d{1,15}), (?:idle_age=(\d{1,15}), )?(?:hard_age=(\d{1,15}), )?)?/y;
/** A run of characters that neither separate items (but commas) nor open quotes or parentheses. */
const PLAIN_RE = /[^\s"()]*/y;

/** Shared by every flow without flow-mod flags (nearly all): the model is read-only. */
const NO_FLAGS: readonly OvsFlowFlag[] = [];

const TABLE_NAME_RE = /^[A-Za-z_][\w-]*$/;

function hasDot(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 46) return true;
  return false;
}

/** Powers of ten that are exact doubles (10^0 .. 10^22). */
const POW10: readonly number[] = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * A `duration=` value (`1.334` of `1.334s`, at `text[from, to)`, already checked by isDuration)
 * as Number() reads it, without cutting a string: with at most 15 digits the digits make an exact
 * integer and one division by an exact power of ten is rounded once, as Number() rounds the
 * decimal (both give the double nearest the same real number). Longer values go through Number().
 */
function durationAt(text: string, from: number, to: number): number {
  if (to - from > 15) return Number(text.slice(from, to));
  let v = 0;
  let frac = -1;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) frac = 0;
    else {
      v = v * 10 + (c - 48);
      if (frac >= 0) frac++;
    }
  }
  return frac <= 0 ? v : v / POW10[frac]!;
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

/** `duration=12.5s`: digits, maybe a fraction, then `s` (DURATION_RE, without a slice to test). */
function isDuration(text: string, from: number, to: number): boolean {
  let i = from;
  while (i < to && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
  if (i === from) return false;
  if (text.charCodeAt(i) === 46) {
    const f = ++i;
    while (i < to && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
    if (i === f) return false;
  }
  return i === to - 1 && text.charCodeAt(i) === 115;
}

/**
 * Reads the flow lines of one dump. A flow's stats are read at once; its match items and action
 * list are looked up among the readings shared across flows (parseOvsMatch's item cache,
 * parseOvsActions' list cache) and only read (and reported on) when new. The flow itself
 * (OvsFlowRecord) builds its match and actions when first asked for.
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
  /** Match items of the current line not read before: start, end, keyEnd, delim code, valueStart, valueEnd, unclosed (absolute offsets). */
  readonly #unread: number[] = [];
  readonly #orders = new Map<number, readonly OvsFlowNumber[]>();

  readonly #source: OvsFlowSource;
  /** The readings this parse shares across its lines (and its flows share when they read later). */
  readonly #cache = new OvsReadingCache();
  /** The match item readings of the flows read in one go (the source's list). */
  readonly #readings: (ReadItem | undefined)[] = [];

  constructor(readonly text: string, readonly file: string, readonly sink: DiagnosticSink) {
    this.#source = { text, file, readings: this.#readings, cache: this.#cache };
  }

  startLine(lineNumber: number, offset: number, lineEnd: number): void {
    this.#lineNumber = lineNumber;
    this.#offset = offset;
    this.#lineEnd = lineEnd;
    this.#ctx = undefined;
  }

  /** The current line as the OVS readers take it (made only when a reader or a diagnostic needs it). */
  ctx(): OvsLineContext {
    return (this.#ctx ??= { file: this.file, line: this.#lineNumber, text: this.text.slice(this.#offset, this.#lineEnd), offset: this.#offset, sink: this.sink, cache: this.#cache });
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

  #badStat(key: string, valueStart: number, valueEnd: number, what: string): void {
    const o = this.#offset;
    ctxError(this.ctx(), valueStart - o, valueEnd - o, `${key} "${this.text.slice(valueStart, valueEnd)}" is not ${what}; ignored`);
  }

  /** Reads the flow on the current line: `s`, `e`, `actionsAt` are within the line. */
  readFlow(s: number, e: number, actionsAt: number): OvsFlow {
    const text = this.text;
    const o = this.#offset;
    const unread = this.#unread;
    let unreadEnd = 0;
    let numbers: (number | undefined)[] | undefined;
    let order = 0;
    let flags: OvsFlowFlag[] | undefined;
    let cookie = 0n;
    let table = 0;
    let tableName: string | undefined;
    let bridgeFormat = false;
    let priority: number | undefined;
    // Where the item that set `priority` is: an item read later (below) may come after it.
    let priorityAt = -1;
    let portName = false;
    const scan = scanned;
    let i = o + s;
    const statsEnd = o + actionsAt;
    while (i < statsEnd) {
      i = scanOvsItemAt(text, i, statsEnd);
      if (i === -1) break;
      const stat = ovsStatKeyAt(text, scan.start, scan.keyEnd);
      const kind = stat === -1 ? undefined : OVS_STAT_KINDS[stat]!;
      if (kind === undefined || (kind === 'flag') !== (scan.delim === '')) {
        // A match item: its shared reading when it was read cleanly before (no diagnostic to give), else read below.
        const hit = scan.unclosed || scan.delim === '(' ? undefined : cachedMatchItem(this.#cache, text.slice(scan.start, scan.end));
        if (hit) {
          if (hit.priority !== undefined) {
            priority = hit.priority;
            priorityAt = scan.start;
          }
          if (hit.portName) portName = true;
        } else {
          unread[unreadEnd] = scan.start;
          unread[unreadEnd + 1] = scan.end;
          unread[unreadEnd + 2] = scan.keyEnd;
          unread[unreadEnd + 3] = scan.delim === '' ? 0 : scan.delim.charCodeAt(0);
          unread[unreadEnd + 4] = scan.valueStart;
          unread[unreadEnd + 5] = scan.valueEnd;
          unread[unreadEnd + 6] = scan.unclosed ? 1 : 0;
          unreadEnd += 7;
        }
        continue;
      }
      const key = OVS_STAT_KEYS[stat]!;
      if (kind === 'flag') {
        (flags ??= []).push(key as OvsFlowFlag);
        continue;
      }
      const vs = scan.valueStart;
      const ve = scan.valueEnd;
      if (kind === 'cookie') {
        // Every flow of an agent carries the same cookie: parse it once.
        const shared = this.#cache;
        if (ve - vs === shared.cookieText.length && text.slice(vs, ve) === shared.cookieText) cookie = shared.cookie;
        else {
          const value = text.slice(vs, ve);
          const c = parseOvsInteger(value);
          if (c === undefined) this.#badStat(key, vs, ve, 'a number');
          else {
            shared.cookieText = value;
            shared.cookie = c;
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
        if (!isDuration(text, vs, ve)) {
          this.#badStat(key, vs, ve, 'a duration like 12.5s');
          continue;
        }
        if (scan.start === o + s && !hasDot(text, vs, ve)) bridgeFormat = true;
        num = durationAt(text, vs, ve - 1);
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
      const idx = OVS_STAT_NUMBER[stat]!;
      numbers ??= [];
      if (numbers[idx] === undefined) order = order * 11 + idx + 1;
      numbers[idx] = num;
    }

    // Match items not read before: read now (reporting their problems, after the stats' as always).
    for (let k = 0; k < unreadEnd; k += 7) {
      const d = unread[k + 3]!;
      const item: OvsItem = {
        start: unread[k]! - o, end: unread[k + 1]! - o, keyEnd: unread[k + 2]! - o, delim: d === 58 ? ':' : d === 61 ? '=' : d === 40 ? '(' : '',
        valueStart: unread[k + 4]! - o, valueEnd: unread[k + 5]! - o, unclosed: unread[k + 6] === 1,
      };
      const read = checkMatchItem(this.ctx(), item);
      if (read.priority !== undefined && unread[k]! > priorityAt) {
        priority = read.priority;
        priorityAt = unread[k]!;
      }
      if (read.portName) portName = true;
    }

    return this.#finish(e, actionsAt, cookie, table, priority, flags ?? NO_FLAGS, numbers, order, tableName, bridgeFormat, portName);
  }

  /**
   * The line as `ovs-ofctl dump-flows` nearly always prints it, read without scanning it a
   * character at a time: the usual stats (`cookie=0x.., duration=1.5s, table=0, n_packets=0,
   * n_bytes=0, idle_age=1, `), then match items with no blank, quote or parenthesis, every one of
   * them read cleanly before, then ` actions=`. Such a line has nothing to report and reads as
   * readFlow would read it; any other line (undefined here) goes through readFlow.
   */
  readFlowFast(s: number, e: number, actionsAt: number): OvsFlow | undefined {
    const text = this.text;
    const o = this.#offset;
    STATS_RE.lastIndex = o + s;
    const m = STATS_RE.exec(text);
    if (!m) return undefined;
    const p = STATS_RE.lastIndex;
    const at = o + actionsAt;
    // `--no-stats` leaves out `table=0`, as readFlow reads it: table 0.
    const table = m[3] === undefined ? 0 : Number(m[3]);
    if (p > at || table > 255) return undefined;
    let priority: number | undefined;
    let portName = false;
    // The match: comma-separated items, each one a clean reading already shared (never a stat: those are never shared).
    // Appended to the parse's one list of readings (no array per flow).
    const readings = this.#readings;
    const readingsAt = readings.length;
    let matchStart = actionsAt;
    let matchEnd = actionsAt;
    if (p < at) {
      if (text.charCodeAt(at - 1) !== 32) return undefined;
      PLAIN_RE.lastIndex = p;
      if (!PLAIN_RE.test(text) || PLAIN_RE.lastIndex !== at - 1) return undefined;

      // Comma-separated pieces of the region (an indexOf loop on the region: twice as fast as split).
      const region = text.slice(p, at - 1);
      const base = p - o;
      for (let k = 0; k <= region.length;) {
        let c = region.indexOf(',', k);
        if (c === -1) c = region.length;
        if (c === k) {
          // Two commas in a row: a gap inside the match, nothing before it.
          if (readings.length > readingsAt) readings.push(undefined);
        } else {
          const hit = cachedMatchItem(this.#cache, region.slice(k, c));
          if (!hit) {
            // Not read in one go after all: the readings appended for it go.
            readings.length = readingsAt;
            return undefined;
          }
          if (hit.priority !== undefined) priority = hit.priority;
          if (hit.portName) portName = true;
          if (readings.length === readingsAt) matchStart = base + k;
          readings.push(hit);
          matchEnd = base + c;
        }
        k = c + 1;
      }
      // Gaps after the last item are no part of the match.
      while (readings.length > readingsAt && readings[readings.length - 1] === undefined) readings.pop();
    }
    const cookieText = m[1]!;
    const shared = this.#cache;
    let cookie = shared.cookie;
    if (cookieText !== shared.cookieText) {
      cookie = parseOvsInteger(cookieText)!;
      shared.cookieText = cookieText;
      shared.cookie = cookie;
    }
    let numbers: (number | undefined)[] | undefined;
    let order = 0;
    // Printed in this order: duration, n_packets, n_bytes, idle_age, hard_age (OVS_FLOW_NUMBERS 0, 1, 2, 5, 6).
    for (let g = 2; g <= 7; g++) {
      if (g === 3) continue;
      const v = m[g];
      if (v === undefined) continue;
      const idx = g === 2 ? 0 : g === 4 ? 1 : g === 5 ? 2 : g === 6 ? 5 : 6;
      (numbers ??= [])[idx] = Number(v);
      order = order * 11 + idx + 1;
    }
    return this.#finish(e, actionsAt, cookie, table, priority, NO_FLAGS, numbers, order, undefined, false, portName, readingsAt, readings.length, matchStart, matchEnd);
  }

  /** The actions (a list read before, or read now) and the flow. */
  #finish(
    e: number, actionsAt: number, cookie: bigint, table: number, priority: number | undefined, flags: readonly OvsFlowFlag[],
    numbers: (number | undefined)[] | undefined, order: number, tableName: string | undefined, bridgeFormat: boolean, portName: boolean,
    readingsAt?: number, readingsEnd?: number, matchStart?: number, matchEnd?: number,
  ): OvsFlow {
    const text = this.text;
    const o = this.#offset;
    const actionsStart = actionsAt + 'actions='.length;
    const actionsText = text.slice(o + actionsStart, o + e);
    let actions: OvsActionList | OvsAction[] | undefined = cachedActionList(this.#cache, actionsText);
    if (actions) {
      if (actions.portName) portName = true;
    } else {
      actions = readOvsActionList(this.ctx(), actionsStart, e, actionsText);
      if (actions.some((x) => x.kind === 'output' && x.port.kind === 'name')) portName = true;
    }

    let printed: OvsFlowNumbers | undefined;
    if (numbers) {
      let known = this.#orders.get(order);
      if (!known) {
        const keys: OvsFlowNumber[] = [];
        for (let x = order; x > 0; x = Math.floor(x / 11)) keys.unshift(OVS_FLOW_NUMBERS[(x % 11) - 1]!);
        this.#orders.set(order, (known = keys));
      }
      printed = { values: numbers, order: known };
    }
    const flow = new OvsFlowRecord(this.#source, this.#lineNumber, o, cookie, table, priority ?? 32768, flags, actions, printed, readingsAt, readingsEnd, matchStart, matchEnd);
    if (tableName !== undefined) (flow as { tableName?: string }).tableName = tableName;
    if (bridgeFormat) this.bridgeFormat = true;
    if (numbers !== undefined && (numbers[0] !== undefined || numbers[1] !== undefined)) this.withStats = true;
    if (portName) this.portNames = true;
    if (priority !== undefined && priority > 65535 && !bridgeFormat) {
      const span = flow.match.span;
      ctxError(this.ctx(), span.column - 1, span.endColumn - 1, `priority ${priority} is above 65535; only hidden flows of bridge/dump-flows have such priorities`);
    }
    return flow;
  }
}
