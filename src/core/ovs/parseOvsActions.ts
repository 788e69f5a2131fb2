import { parseIp, parseIpv4 } from '../net/IpAddress';
import { parseMac } from '../net/MacAddress';
import { DiagnosticSink, type ParseOptions, type ParseResult } from '../text/Diagnostic';
import { iterateLines } from '../text/lines';
import type { OvsAction, OvsCtAction, OvsLearnAction, OvsLearnSpec, OvsNat, OvsPortRef } from './OvsAction';
import { isReservedPortName, ovsFieldByName, OVS_RESERVED_PORTS, type OvsFieldName } from './OvsFieldTable';
import { ctxError, ctxSpan, ctxWarning, type OvsLineContext } from './OvsLineContext';
import { spanInLine } from '../text/Span';
import { parseOvsFieldValue, parseOvsInteger, unquoteOvsString } from './parseOvsFieldValue';
import { parseOvsSubfield, type OvsSubfield } from './parseOvsSubfield';
import { scanOvsItems, type OvsItem } from './scanOvsItems';
import { ownValue } from './ownValue';
import { OVS_ACTION_CACHE_LIMIT, OVS_LIST_CACHE_LIMIT, type OvsReadingCache } from './OvsReadingCache';

/**
 * Reads an OVS action list, as `dump-flows` prints it after `actions=`:
 *   `load:0x4->NXM_NX_REG5[],ct(commit,zone=NXM_NX_REG6[0..15],exec(set_field:0x1->ct_mark)),output:"patch-int"`
 * Commas inside parentheses do not split; nested lists (ct exec, write_actions, clone) are read
 * recursively. A malformed action is kept as `unknown` with an error at its column; an action
 * this model does not cover is kept as `unknown` with a warning. An empty list is an implicit drop.
 */
export function parseOvsActions(text: string, opts: ParseOptions): ParseResult<OvsAction[]> {
  const sink = new DiagnosticSink(opts.file);
  for (const line of iterateLines(text)) {
    if (line.text.trim() === '') continue;
    const ctx: OvsLineContext = { file: opts.file, line: line.number, text: line.text, offset: line.offset, sink };
    let start = 0;
    const trimmed = line.text.trimStart();
    if (trimmed.startsWith('actions=')) start = line.text.length - trimmed.length + 'actions='.length;
    return { value: readOvsActions(ctx, start, line.text.length), diagnostics: sink.diagnostics };
  }
  const ctx: OvsLineContext = { file: opts.file, line: 1, text: '', offset: 0, sink };
  return { value: readOvsActions(ctx, 0, 0), diagnostics: sink.diagnostics };
}

/** Reads the actions in `ctx.text[start, end)`. */
export function readOvsActions(ctx: OvsLineContext, start: number, end: number): OvsAction[] {
  return readOvsActionsOf(ctx, start, end, scanOvsItems(ctx.text, start, end));
}

function readOvsActionsOf(ctx: OvsLineContext, start: number, end: number, items: readonly OvsItem[]): OvsAction[] {
  if (items.length === 0) {
    let s = start;
    while (s < end && ctx.text.charCodeAt(s) === 32) s++;
    return [{ kind: 'drop', implicit: true, name: '', raw: '', span: ctxSpan(ctx, s, s) }];
  }
  return items.map((item) => readAction(ctx, item));
}

/** One scanned action, with its pieces cut out. */
interface Tok {
  readonly ctx: OvsLineContext;
  readonly item: OvsItem;
  readonly name: string;
  readonly delim: OvsItem['delim'];
  readonly args: string;
  readonly base: { readonly name: string; readonly raw: string; readonly span: ReturnType<typeof ctxSpan> };
}

/** A reader returns the action, or a message saying why the text is malformed. */
type Reader = (t: Tok) => OvsAction | string;

/**
 * Whether an action can be shared through the parse's cache (OvsReadingCache.actions: a hit is a
 * shallow copy with this line's span; the parts are immutable and shared): only actions that read
 * cleanly and hold no nested actions (which carry spans of their own line).
 */
function cacheable(a: OvsAction): boolean {
  switch (a.kind) {
    case 'unknown':
    case 'learn':
    case 'write_actions':
    case 'clone':
      return false;
    case 'ct':
      return a.exec.length === 0;
    default:
      return true;
  }
}

function readAction(ctx: OvsLineContext, item: OvsItem): OvsAction {
  const raw = ctx.text.slice(item.start, item.end);
  const cache = ctx.cache?.actions;
  const hit = item.unclosed ? undefined : cache?.get(raw);
  if (hit) {
    const copy = { ...hit };
    copy.span = ctxSpan(ctx, item.start, item.end);
    return copy;
  }
  const a = readActionUncached(ctx, item, raw);
  if (cache && !item.unclosed && cacheable(a)) {
    if (cache.size >= OVS_ACTION_CACHE_LIMIT) cache.clear();
    cache.set(raw, a);
  }
  return a;
}

/**
 * A whole action list read before, by its exact text (`load:0x5c->NXM_NX_REG5[],resubmit(,71)`
 * ends thousands of flows): its actions, each copied with this line's span when asked for, and
 * where each sits in the text. Only lists whose every action read cleanly and is shareable are kept.
 */
export interface OvsActionList {
  readonly actions: readonly OvsAction[];
  /** Start and end of each action, relative to the list's start. */
  readonly at: readonly number[];
  /** An action outputs to a port by name (`output:"patch-int"`). */
  readonly portName: boolean;
}

/** The action list written `text`, when one was read cleanly before in the same parse. */
export function cachedActionList(cache: OvsReadingCache, text: string): OvsActionList | undefined {
  return cache.lists.get(text);
}

/**
 * readOvsActions, remembering the list for cachedActionList when it read without a diagnostic and
 * every action is shareable. `text` is `ctx.text.slice(start, end)`.
 */
export function readOvsActionList(ctx: OvsLineContext, start: number, end: number, text: string): OvsAction[] {
  const said = ctx.sink.diagnostics.length;
  const items = scanOvsItems(ctx.text, start, end);
  const actions = readOvsActionsOf(ctx, start, end, items);
  const cache = ctx.cache?.lists;
  if (!cache || items.length === 0 || ctx.sink.diagnostics.length !== said) return actions;
  const at: number[] = [];
  for (let k = 0; k < items.length; k++) {
    const item = items[k]!;
    if (item.unclosed || !cacheable(actions[k]!)) return actions;
    at.push(item.start - start, item.end - start);
  }
  if (cache.size >= OVS_LIST_CACHE_LIMIT) cache.clear();
  cache.set(text, { actions, at, portName: actions.some((a) => a.kind === 'output' && a.port.kind === 'name') });
  return actions;
}

/** The actions of a cached list, on a line: each a copy with its span there, as readAction gives a cached action. */
export function actionsOfList(list: OvsActionList, file: string, line: number, lineOffset: number, start: number): OvsAction[] {
  const out = new Array<OvsAction>(list.actions.length);
  for (let k = 0; k < out.length; k++) {
    const copy = { ...list.actions[k]! };
    copy.span = spanInLine(file, line, lineOffset, start + list.at[2 * k]!, start + list.at[2 * k + 1]!);
    out[k] = copy;
  }
  return out;
}

function readActionUncached(ctx: OvsLineContext, item: OvsItem, raw: string): OvsAction {
  const name = ctx.text.slice(item.start, item.keyEnd);
  const tok: Tok = {
    ctx, item, name, delim: item.delim,
    args: ctx.text.slice(item.valueStart, item.valueEnd),
    base: { name, raw, span: ctxSpan(ctx, item.start, item.end) },
  };
  if (item.unclosed) {
    ctxError(ctx, item.start, item.end, `action "${raw}" has an unclosed parenthesis or quote; kept as text`);
    return unknownAction(tok, true);
  }
  const reader = READERS.get(name.toLowerCase());
  if (reader) {
    const r = reader(tok);
    if (typeof r === 'string') {
      ctxError(ctx, item.start, item.end, `${r}; action kept as text`);
      return unknownAction(tok, true);
    }
    return r;
  }
  if (item.delim === '') {
    const port = bareOutputPort(name);
    if (port) return { kind: 'output', port, ...tok.base };
  }
  if (RECOGNISED_UNMODELLED.has(name.toLowerCase())) {
    ctxWarning(ctx, item.start, item.end, `OVS action ${name} is not modelled; kept as text, the simulator treats it as indeterminate`);
    return unknownAction(tok, true);
  }
  ctxWarning(ctx, item.start, item.end, `unknown OVS action "${raw}"; kept as text, the simulator treats it as indeterminate`);
  return unknownAction(tok, false);
}

function unknownAction(tok: Tok, recognised: boolean): OvsAction {
  return { kind: 'unknown', recognised, args: tok.args, ...tok.base };
}

/** Real OVS actions (ovs-actions(7)) that this model keeps as text only. */
const RECOGNISED_UNMODELLED = new Set([
  'sample', 'fin_timeout', 'push_mpls', 'pop_mpls', 'set_mpls_label', 'set_mpls_tc', 'set_mpls_ttl',
  'dec_mpls_ttl', 'dec_nsh_ttl', 'encap', 'decap', 'delete_field', 'debug_recirc', 'debug_slow',
  'unroll_xlate', 'nat', 'output_trunc', 'set_mpls', 'stack_push', 'stack_pop',
]);

/** A bare port as an action: `2`, `"patch-int"` (OVS outputs to it). */
function bareOutputPort(word: string): OvsPortRef | undefined {
  if (parseOvsInteger(word) !== undefined || word.startsWith('"')) {
    const p = readPortRef(word);
    return typeof p === 'string' ? undefined : p;
  }
  return undefined;
}

function toNumber(text: string, what: string, max = 0xffffffff): number | string {
  const n = parseOvsInteger(text.trim());
  if (n === undefined) return `${what} "${text}" is not a number`;
  if (n > BigInt(max)) return `${what} ${text} is out of range`;
  return Number(n);
}

/** `2`, `LOCAL`, `"patch-int"`, `tap1`, `NXM_NX_REG0[0..15]` as a port reference. */
export function readPortRef(text: string): OvsPortRef | string {
  const t = text.trim();
  if (t.length === 0) return 'missing port';
  const n = parseOvsInteger(t);
  if (n !== undefined) {
    const v = n >= 0xffffff00n && n <= 0xffffffffn ? n - 0xffff0000n : n;
    if (v > 0xffffn) return `port ${t} is out of range`;
    return { kind: 'number', number: Number(v) };
  }
  const upper = t.toUpperCase();
  if (isReservedPortName(upper)) return { kind: 'reserved', name: upper, number: OVS_RESERVED_PORTS[upper] };
  if (t.startsWith('"')) {
    const name = unquoteOvsString(t);
    return name === undefined ? `badly quoted port name ${t}` : { kind: 'name', name };
  }
  if (t.includes('[')) {
    const sf = parseOvsSubfield(t);
    return sf.ok ? { kind: 'field', subfield: sf.subfield } : sf.message;
  }
  return { kind: 'name', name: t };
}

function subfield(text: string): OvsSubfield | string {
  const r = parseOvsSubfield(text.trim());
  if (!r.ok) return r.message;
  if (r.subfield.field === undefined) return `unknown field "${r.subfield.nameAsWritten}"`;
  return r.subfield;
}

/** Splits `a->b` at the last arrow (values never contain one). */
function splitArrow(text: string): [string, string] | undefined {
  const i = text.lastIndexOf('->');
  return i === -1 ? undefined : [text.slice(0, i), text.slice(i + 2)];
}

/** Splits the inside of `name(...)` into its top-level items, as strings. */
function innerItems(t: Tok): { key: string; delim: OvsItem['delim']; value: string; item: OvsItem }[] {
  return scanOvsItems(t.ctx.text, t.item.valueStart, t.item.valueEnd).map((item) => ({
    key: t.ctx.text.slice(item.start, item.keyEnd),
    delim: item.delim,
    value: t.ctx.text.slice(item.valueStart, item.valueEnd),
    item,
  }));
}

/** Positional arguments of `name(a,b,c)`, split at top-level commas only. */
function positional(t: Tok): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of t.args) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) { out.push(cur); cur = ''; continue; }
    cur += ch;
  }
  out.push(cur);
  return out;
}

function noArgs(kind: 'pop_vlan' | 'ct_clear' | 'clear_actions' | 'pop_queue' | 'exit' | 'normal' | 'flood' | 'all'): Reader {
  return (t) => (t.delim === '' ? ({ kind, ...t.base }) : `${t.name} takes no argument`);
}

function reservedOutput(name: 'LOCAL' | 'IN_PORT' | 'TABLE'): Reader {
  return (t) => (t.delim === '' ? { kind: 'output', port: { kind: 'reserved', name, number: OVS_RESERVED_PORTS[name] }, ...t.base } : `${t.name} takes no argument`);
}

/** Output to a reserved port that has its own action kind. */
function outputTo(port: OvsPortRef, t: Tok, maxLen?: number): OvsAction {
  if (port.kind === 'reserved') {
    if (port.name === 'NORMAL') return { kind: 'normal', ...t.base };
    if (port.name === 'FLOOD') return { kind: 'flood', ...t.base };
    if (port.name === 'ALL') return { kind: 'all', ...t.base };
    if (port.name === 'CONTROLLER') return { kind: 'controller', pause: false, ...(maxLen !== undefined ? { maxLen } : {}), ...t.base };
  }
  return { kind: 'output', port, ...(maxLen !== undefined ? { maxLen } : {}), ...t.base };
}

const readOutput: Reader = (t) => {
  if (t.delim === ':') {
    const p = readPortRef(t.args);
    return typeof p === 'string' ? `output: ${p}` : outputTo(p, t);
  }
  if (t.delim === '(') {
    let port: OvsPortRef | undefined;
    let maxLen: number | undefined;
    for (const it of innerItems(t)) {
      if (it.key === 'port') {
        const p = readPortRef(it.value);
        if (typeof p === 'string') return `output: ${p}`;
        port = p;
      } else if (it.key === 'max_len') {
        const n = toNumber(it.value, 'max_len');
        if (typeof n === 'string') return n;
        maxLen = n;
      } else {
        return `output(...): unknown argument "${it.key}"`;
      }
    }
    return port ? outputTo(port, t, maxLen) : 'output(...) without port=';
  }
  return 'output needs a port (output:N)';
};

const readController: Reader = (t) => {
  const a: { -readonly [K in keyof Extract<OvsAction, { kind: 'controller' }>]?: Extract<OvsAction, { kind: 'controller' }>[K] } = {};
  if (t.delim === ':') {
    const n = toNumber(t.args, 'controller max_len', 0xffff);
    if (typeof n === 'string') return n;
    a.maxLen = n;
  } else if (t.delim === '(') {
    for (const it of innerItems(t)) {
      if (it.key === 'reason') a.reason = it.value;
      else if (it.key === 'max_len' || it.key === 'id' || it.key === 'meter_id') {
        const n = toNumber(it.value, it.key);
        if (typeof n === 'string') return n;
        if (it.key === 'max_len') a.maxLen = n;
        else if (it.key === 'id') a.controllerId = n;
        else a.meterId = n;
      } else if (it.key === 'userdata') a.userdata = it.value;
      else if (it.key === 'pause') a.pause = true;
      else return `controller(...): unknown argument "${it.key}"`;
    }
  } else if (t.delim === '=') {
    return 'controller takes ":max_len" or "(...)"';
  }
  return { kind: 'controller', pause: a.pause ?? false, ...a, ...t.base };
};

const readEnqueue: Reader = (t) => {
  let parts: string[];
  if (t.delim === ':') {
    const i = t.args.lastIndexOf(':');
    parts = i === -1 ? [t.args] : [t.args.slice(0, i), t.args.slice(i + 1)];
  } else if (t.delim === '(') {
    parts = positional(t);
  } else {
    return 'enqueue needs a port and a queue (enqueue:PORT:QUEUE)';
  }
  if (parts.length !== 2) return 'enqueue needs a port and a queue (enqueue:PORT:QUEUE)';
  const port = readPortRef(parts[0] ?? '');
  if (typeof port === 'string') return `enqueue: ${port}`;
  const queue = toNumber(parts[1] ?? '', 'enqueue queue');
  if (typeof queue === 'string') return queue;
  return { kind: 'enqueue', port, queue, ...t.base };
};

const readResubmit: Reader = (t) => {
  if (t.delim === ':') {
    const p = readPortRef(t.args);
    return typeof p === 'string' ? `resubmit: ${p}` : { kind: 'resubmit', port: p, ct: false, ...t.base };
  }
  if (t.delim !== '(') return 'resubmit needs (PORT,TABLE) or :PORT';
  const parts = positional(t);
  if (parts.length < 1 || parts.length > 3) return 'resubmit takes (port,table[,ct])';
  const r: { port?: OvsPortRef; table?: number } = {};
  const portText = (parts[0] ?? '').trim();
  if (portText !== '') {
    const p = readPortRef(portText);
    if (typeof p === 'string') return `resubmit: ${p}`;
    r.port = p;
  }
  const tableText = (parts[1] ?? '').trim();
  if (tableText !== '') {
    const n = toNumber(tableText, 'resubmit table', 254);
    if (typeof n === 'string') return n;
    r.table = n;
  }
  const ctText = (parts[2] ?? '').trim();
  if (ctText !== '' && ctText !== 'ct') return `resubmit: third argument must be "ct", not "${ctText}"`;
  if (r.port === undefined && r.table === undefined) return 'resubmit needs a port or a table';
  return { kind: 'resubmit', ...r, ct: ctText === 'ct', ...t.base };
};

function numberArg(what: string, max: number, make: (n: number, t: Tok) => OvsAction): Reader {
  return (t) => {
    if (t.delim !== ':' && t.delim !== '=') return `${t.name} needs a value (${t.name}:N)`;
    const n = toNumber(t.args, what, max);
    return typeof n === 'string' ? n : make(n, t);
  };
}

const readSetField: Reader = (t) => {
  const parts = t.delim === ':' ? splitArrow(t.args) : undefined;
  if (!parts) return 'set_field needs VALUE->FIELD';
  const [valueText, fieldText] = parts;
  const def = ovsFieldByName(fieldText);
  if (!def) return `set_field: unknown field "${fieldText}"`;
  const v = parseOvsFieldValue(def, valueText);
  if (typeof v === 'string') return `set_field: ${v}`;
  return { kind: 'set_field', field: def.name as OvsFieldName, fieldAsWritten: fieldText, value: v, valueText, ...t.base };
};

const readLoad: Reader = (t) => {
  const parts = t.delim === ':' ? splitArrow(t.args) : undefined;
  if (!parts) return 'load needs VALUE->FIELD[bits]';
  const value = parseOvsInteger(parts[0]);
  if (value === undefined) return `load: "${parts[0]}" is not a number`;
  const dst = subfield(parts[1]);
  if (typeof dst === 'string') return `load: ${dst}`;
  if (value >= 1n << BigInt(dst.end - dst.start + 1)) return `load: ${parts[0]} does not fit in ${dst.text}`;
  return { kind: 'load', value, dst, ...t.base };
};

const readMove: Reader = (t) => {
  const parts = t.delim === ':' ? splitArrow(t.args) : undefined;
  if (!parts) return 'move needs SRC[bits]->DST[bits]';
  const src = subfield(parts[0]);
  if (typeof src === 'string') return `move: ${src}`;
  const dst = subfield(parts[1]);
  if (typeof dst === 'string') return `move: ${dst}`;
  return { kind: 'move', src, dst, ...t.base };
};

function readModDl(kind: 'mod_dl_src' | 'mod_dl_dst'): Reader {
  return (t) => {
    const mac = t.delim === ':' ? parseMac(t.args) : undefined;
    return mac === undefined ? `${t.name}: "${t.args}" is not a MAC address` : { kind, mac, ...t.base };
  };
}

function readModNw(kind: 'mod_nw_src' | 'mod_nw_dst'): Reader {
  return (t) => {
    const v = t.delim === ':' ? parseIpv4(t.args) : undefined;
    return v === undefined ? `${t.name}: "${t.args}" is not an IPv4 address` : { kind, ip: { family: 4, value: v }, ...t.base };
  };
}

const readDecTtl: Reader = (t) => {
  if (t.delim === '') return { kind: 'dec_ttl', controllerIds: [], ...t.base };
  if (t.delim !== '(') return 'dec_ttl takes no value or (id,...)';
  const ids: number[] = [];
  for (const p of positional(t)) {
    if (p.trim() === '') continue;
    const n = toNumber(p, 'dec_ttl controller id', 0xffff);
    if (typeof n === 'string') return n;
    ids.push(n);
  }
  return { kind: 'dec_ttl', controllerIds: ids, ...t.base };
};

function readSetTunnel(is64: boolean): Reader {
  return (t) => {
    const v = t.delim === ':' ? parseOvsInteger(t.args) : undefined;
    if (v === undefined || v > 0xffffffffffffffffn) return `${t.name}: "${t.args}" is not a tunnel id`;
    return { kind: 'set_tunnel', tunnelId: v, is64, ...t.base };
  };
}

/** `10.0.0.1-10.0.0.9:1000-2000`, `[fe80::1]-[fe80::2]:80`, `fe80::1`. */
function readNatRange(text: string): Pick<OvsNat, 'addrMin' | 'addrMax' | 'portMin' | 'portMax'> | string {
  const out: { -readonly [K in keyof Pick<OvsNat, 'addrMin' | 'addrMax' | 'portMin' | 'portMax'>]?: OvsNat[K] } = {};
  let addrs = text;
  let ports: string | undefined;
  if (text.startsWith('[')) {
    const m = /^\[([^\]]+)\](?:-\[([^\]]+)\])?(?::(.+))?$/.exec(text);
    if (!m) return `nat: "${text}" is not an address range`;
    const a = parseIp(m[1] ?? '');
    if (!a) return `nat: "${m[1] ?? ''}" is not an IP address`;
    out.addrMin = a;
    if (m[2] !== undefined) {
      const b = parseIp(m[2]);
      if (!b) return `nat: "${m[2]}" is not an IP address`;
      out.addrMax = b;
    }
    ports = m[3];
  } else if (text.includes('.')) {
    const colon = text.indexOf(':');
    if (colon !== -1) { addrs = text.slice(0, colon); ports = text.slice(colon + 1); }
    const [lo, hi] = addrs.split('-');
    const a = parseIp(lo ?? '');
    if (!a) return `nat: "${lo ?? ''}" is not an IP address`;
    out.addrMin = a;
    if (hi !== undefined) {
      const b = parseIp(hi);
      if (!b) return `nat: "${hi}" is not an IP address`;
      out.addrMax = b;
    }
  } else {
    const a = parseIp(text);
    if (!a) return `nat: "${text}" is not an address range`;
    out.addrMin = a;
  }
  if (ports !== undefined) {
    const [lo, hi] = ports.split('-');
    const p = toNumber(lo ?? '', 'nat port', 0xffff);
    if (typeof p === 'string') return p;
    out.portMin = p;
    if (hi !== undefined) {
      const q = toNumber(hi, 'nat port', 0xffff);
      if (typeof q === 'string') return q;
      out.portMax = q;
    }
  }
  return out;
}

function readNat(text: string, inner: string | undefined): OvsNat | string {
  if (inner === undefined) return { flags: [], text };
  const nat: { -readonly [K in keyof OvsNat]?: OvsNat[K] } = {};
  const flags: ('persistent' | 'hash' | 'random')[] = [];
  for (const part of splitTop(inner)) {
    const eq = part.indexOf('=');
    const key = eq === -1 ? part : part.slice(0, eq);
    if (key === 'src' || key === 'dst') {
      nat.type = key;
      if (eq !== -1) {
        const r = readNatRange(part.slice(eq + 1));
        if (typeof r === 'string') return r;
        Object.assign(nat, r);
      }
    } else if (key === 'persistent' || key === 'hash' || key === 'random') {
      flags.push(key);
    } else {
      return `nat: unknown argument "${part}"`;
    }
  }
  return { ...nat, flags, text };
}

/** Top-level comma split of a plain string (no positions needed). */
function splitTop(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(' || ch === '[') depth++;
    if (ch === ')' || ch === ']') depth--;
    if (ch === ',' && depth === 0) { if (cur !== '') out.push(cur); cur = ''; continue; }
    cur += ch;
  }
  if (cur !== '') out.push(cur);
  return out;
}

const readCt: Reader = (t) => {
  const ct: { -readonly [K in keyof OvsCtAction]?: OvsCtAction[K] } = {};
  let commit = false;
  let force = false;
  let exec: OvsAction[] = [];
  if (t.delim === '(') {
    for (const it of innerItems(t)) {
      if (it.key === 'commit' && it.delim === '') commit = true;
      else if (it.key === 'force' && it.delim === '') force = true;
      else if (it.key === 'table') {
        const n = toNumber(it.value, 'ct table', 254);
        if (typeof n === 'string') return n;
        ct.table = n;
      } else if (it.key === 'zone') {
        const n = parseOvsInteger(it.value);
        if (n !== undefined) {
          if (n > 0xffffn) return `ct zone ${it.value} is out of range`;
          ct.zone = Number(n);
        } else {
          const sf = subfield(it.value);
          if (typeof sf === 'string') return `ct zone: ${sf}`;
          ct.zoneField = sf;
        }
      } else if (it.key === 'nat') {
        const nat = readNat(t.ctx.text.slice(it.item.start, it.item.end), it.delim === '(' ? it.value : undefined);
        if (typeof nat === 'string') return nat;
        ct.nat = nat;
      } else if (it.key === 'exec' && it.delim === '(') {
        exec = readOvsActions(t.ctx, it.item.valueStart, it.item.valueEnd);
      } else if (it.key === 'alg') {
        ct.alg = it.value;
      } else {
        return `ct(...): unknown argument "${t.ctx.text.slice(it.item.start, it.item.end)}"`;
      }
    }
  } else if (t.delim !== '') {
    return 'ct takes (arguments)';
  }
  return { kind: 'ct', commit, force, exec, ...ct, ...t.base };
};

const LEARN_NUMBERS: Readonly<Record<string, 'table' | 'priority' | 'idleTimeout' | 'hardTimeout' | 'finIdleTimeout' | 'finHardTimeout' | 'limit'>> = {
  table: 'table', priority: 'priority', idle_timeout: 'idleTimeout', hard_timeout: 'hardTimeout',
  fin_idle_timeout: 'finIdleTimeout', fin_hard_timeout: 'finHardTimeout', limit: 'limit',
};

const readLearn: Reader = (t) => {
  if (t.delim !== '(') return 'learn takes (arguments)';
  const l: { -readonly [K in keyof OvsLearnAction]?: OvsLearnAction[K] } = {};
  const flags: string[] = [];
  const specs: OvsLearnSpec[] = [];
  for (const it of innerItems(t)) {
    const text = t.ctx.text.slice(it.item.start, it.item.end);
    const numKey = ownValue(LEARN_NUMBERS, it.key);
    if (numKey && it.delim === '=') {
      const n = toNumber(it.value, `learn ${it.key}`);
      if (typeof n === 'string') return n;
      l[numKey] = n;
      continue;
    }
    if (it.key === 'cookie' && it.delim === '=') {
      const c = parseOvsInteger(it.value);
      if (c === undefined) return `learn cookie "${it.value}" is not a number`;
      l.cookie = c;
      continue;
    }
    if ((it.key === 'send_flow_rem' || it.key === 'delete_learned') && it.delim === '') {
      flags.push(it.key);
      continue;
    }
    const spec = readLearnSpec(it.key, it.delim, it.value, text);
    if (spec.kind === 'unparsed') {
      ctxWarning(t.ctx, it.item.start, it.item.end, `learn spec "${text}" not understood; kept as text`);
    }
    specs.push(spec);
  }
  return { kind: 'learn', flags, specs, text: t.args, ...l, ...t.base };
};

function readLearnSpec(key: string, delim: OvsItem['delim'], value: string, text: string): OvsLearnSpec {
  if (key === 'load' && delim === ':') {
    const parts = splitArrow(value);
    if (!parts) return { kind: 'unparsed', text };
    const dst = subfield(parts[1]);
    if (typeof dst === 'string') return { kind: 'unparsed', text };
    const imm = parseOvsInteger(parts[0]);
    if (imm !== undefined) return { kind: 'load', dst, value: imm, text };
    const src = subfield(parts[0]);
    return typeof src === 'string' ? { kind: 'unparsed', text } : { kind: 'load', dst, src, text };
  }
  if (key === 'output' && delim === ':') {
    const src = subfield(value);
    return typeof src === 'string' ? { kind: 'unparsed', text } : { kind: 'output', src, text };
  }
  const dst = subfield(key);
  if (typeof dst === 'string') return { kind: 'unparsed', text };
  if (delim === '') return { kind: 'match', dst, src: dst, text };
  if (delim === '=') {
    if (value.includes('[')) {
      const src = subfield(value);
      return typeof src === 'string' ? { kind: 'unparsed', text } : { kind: 'match', dst, src, text };
    }
    return { kind: 'match', dst, value, text };
  }
  return { kind: 'unparsed', text };
}

const readConjunction: Reader = (t) => {
  const m = t.delim === '(' ? /^\s*(\d+)\s*,\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(t.args) : null;
  if (!m) return 'conjunction needs (id,k/n)';
  const id = Number(m[1]);
  const clause = Number(m[2]);
  const nClauses = Number(m[3]);
  if (nClauses < 2 || nClauses > 64 || clause < 1 || clause > nClauses) return `conjunction(${t.args}): clause must be 1..n and n 2..64`;
  return { kind: 'conjunction', id, clause, nClauses, ...t.base };
};

const readNote: Reader = (t) => {
  if (t.delim !== ':' || !/^[0-9a-fA-F.]*$/.test(t.args)) return 'note needs hex bytes (note:aa.bb.cc)';
  return { kind: 'note', hex: t.args, ...t.base };
};

const readWriteMetadata: Reader = (t) => {
  if (t.delim !== ':' && t.delim !== '=') return 'write_metadata needs VALUE[/MASK]';
  const [v, m] = t.args.split('/', 2);
  const value = parseOvsInteger(v ?? '');
  const mask = m === undefined ? 0xffffffffffffffffn : parseOvsInteger(m);
  if (value === undefined || mask === undefined) return `write_metadata: "${t.args}" is not VALUE[/MASK]`;
  return { kind: 'write_metadata', value, mask, ...t.base };
};

function readNested(kind: 'write_actions' | 'clone'): Reader {
  return (t) => (t.delim === '(' ? { kind, actions: readOvsActions(t.ctx, t.item.valueStart, t.item.valueEnd), ...t.base } : `${t.name} takes (actions)`);
}

const readMultipath: Reader = (t) => {
  const p = t.delim === '(' ? positional(t).map((s) => s.trim()) : [];
  if (p.length !== 6) return 'multipath takes (fields,basis,algorithm,n_links,arg,dst)';
  const basis = toNumber(p[1] ?? '', 'multipath basis', 0xffff);
  const nLinks = toNumber(p[3] ?? '', 'multipath n_links', 0xffff);
  const arg = toNumber(p[4] ?? '', 'multipath arg');
  const dst = subfield(p[5] ?? '');
  for (const x of [basis, nLinks, arg, dst]) if (typeof x === 'string') return `multipath: ${x}`;
  return {
    kind: 'multipath', fields: p[0] ?? '', basis: basis as number, algorithm: p[2] ?? '',
    nLinks: nLinks as number, arg: arg as number, dst: dst as OvsSubfield, ...t.base,
  };
};

function readBundle(load: boolean): Reader {
  return (t) => {
    const p = t.delim === '(' ? positional(t).map((s) => s.trim()) : [];
    const fixed = load ? 5 : 4;
    const membersAt = p.findIndex((s) => s.startsWith('members:') || s.startsWith('slaves:'));
    if (membersAt !== fixed) return `${t.name} takes (fields,basis,algorithm,member_type${load ? ',dst' : ''},members:PORT,...)`;
    const basis = toNumber(p[1] ?? '', 'bundle basis', 0xffff);
    if (typeof basis === 'string') return basis;
    const members: OvsPortRef[] = [];
    const first = p[membersAt] ?? '';
    const memberTexts = [first.slice(first.indexOf(':') + 1), ...p.slice(membersAt + 1)].filter((s) => s !== '');
    for (const m of memberTexts) {
      const port = readPortRef(m);
      if (typeof port === 'string') return `${t.name}: ${port}`;
      members.push(port);
    }
    const b = { kind: 'bundle' as const, load, fields: p[0] ?? '', basis, algorithm: p[2] ?? '', memberType: p[3] ?? '', members, ...t.base };
    if (!load) return b;
    const dst = subfield(p[4] ?? '');
    return typeof dst === 'string' ? `${t.name}: ${dst}` : { ...b, dst };
  };
}

const readCheckPktLarger: Reader = (t) => {
  const m = t.delim === '(' ? /^\s*(\d+)\s*\)->(.+)$/.exec(t.args) : null;
  if (!m) return 'check_pkt_larger needs (LEN)->FIELD[bit]';
  const dst = subfield(m[2] ?? '');
  if (typeof dst === 'string') return `check_pkt_larger: ${dst}`;
  return { kind: 'check_pkt_larger', pktLen: Number(m[1]), dst, ...t.base };
};

function readStack(kind: 'stack_push' | 'stack_pop'): Reader {
  return (t) => {
    if (t.delim !== ':') return `${t.name} needs a field (${t.name}:FIELD[bits])`;
    const field = subfield(t.args);
    return typeof field === 'string' ? `${t.name}: ${field}` : { kind, field, ...t.base };
  };
}

const readDrop: Reader = (t) => (t.delim === '' ? { kind: 'drop', implicit: false, ...t.base } : 'drop takes no argument');

/** Action name (lower case) -> reader. */
const READERS: ReadonlyMap<string, Reader> = new Map(Object.entries({
  output: readOutput,
  normal: noArgs('normal'),
  flood: noArgs('flood'),
  all: noArgs('all'),
  local: reservedOutput('LOCAL'),
  in_port: reservedOutput('IN_PORT'),
  table: reservedOutput('TABLE'),
  controller: readController,
  drop: readDrop,
  enqueue: readEnqueue,
  resubmit: readResubmit,
  goto_table: numberArg('goto_table table', 254, (table, t) => ({ kind: 'goto_table', table, ...t.base })),
  mod_vlan_vid: numberArg('VLAN id', 4095, (vid, t) => ({ kind: 'mod_vlan_vid', vid, pushIfMissing: true, ...t.base })),
  set_vlan_vid: numberArg('VLAN id', 4095, (vid, t) => ({ kind: 'mod_vlan_vid', vid, pushIfMissing: false, ...t.base })),
  mod_vlan_pcp: numberArg('VLAN priority', 7, (pcp, t) => ({ kind: 'mod_vlan_pcp', pcp, pushIfMissing: true, ...t.base })),
  set_vlan_pcp: numberArg('VLAN priority', 7, (pcp, t) => ({ kind: 'mod_vlan_pcp', pcp, pushIfMissing: false, ...t.base })),
  strip_vlan: noArgs('pop_vlan'),
  pop_vlan: noArgs('pop_vlan'),
  push_vlan: numberArg('push_vlan ethertype', 0xffff, (ethertype, t) => ({ kind: 'push_vlan', ethertype, ...t.base })),
  set_field: readSetField,
  load: readLoad,
  move: readMove,
  mod_dl_src: readModDl('mod_dl_src'),
  mod_dl_dst: readModDl('mod_dl_dst'),
  mod_nw_src: readModNw('mod_nw_src'),
  mod_nw_dst: readModNw('mod_nw_dst'),
  mod_tp_src: numberArg('port', 0xffff, (port, t) => ({ kind: 'mod_tp_src', port, ...t.base })),
  mod_tp_dst: numberArg('port', 0xffff, (port, t) => ({ kind: 'mod_tp_dst', port, ...t.base })),
  mod_nw_tos: numberArg('TOS', 0xff, (value, t) => ({ kind: 'mod_nw_tos', value, ...t.base })),
  mod_nw_ecn: numberArg('ECN', 3, (value, t) => ({ kind: 'mod_nw_ecn', value, ...t.base })),
  mod_nw_ttl: numberArg('TTL', 0xff, (value, t) => ({ kind: 'mod_nw_ttl', value, ...t.base })),
  dec_ttl: readDecTtl,
  set_tunnel: readSetTunnel(false),
  set_tunnel64: readSetTunnel(true),
  set_queue: numberArg('queue', 0xffffffff, (queue, t) => ({ kind: 'set_queue', queue, ...t.base })),
  pop_queue: noArgs('pop_queue'),
  ct: readCt,
  ct_clear: noArgs('ct_clear'),
  learn: readLearn,
  conjunction: readConjunction,
  note: readNote,
  write_metadata: readWriteMetadata,
  write_actions: readNested('write_actions'),
  clear_actions: noArgs('clear_actions'),
  clone: readNested('clone'),
  group: numberArg('group id', 0xffffffff, (groupId, t) => ({ kind: 'group', groupId, ...t.base })),
  meter: numberArg('meter id', 0xffffffff, (meterId, t) => ({ kind: 'meter', meterId, ...t.base })),
  multipath: readMultipath,
  bundle: readBundle(false),
  bundle_load: readBundle(true),
  check_pkt_larger: readCheckPktLarger,
  exit: noArgs('exit'),
  push: readStack('stack_push'),
  pop: readStack('stack_pop'),
}));
