import { maskForPrefix } from '../net/Cidr';
import { parseIpv4, parseIpv6 } from '../net/IpAddress';
import { parseMac } from '../net/MacAddress';
import {
  fullMask,
  isReservedPortName,
  OVS_FLAG_TABLES,
  OVS_FRAG_VALUES,
  OVS_RESERVED_PORTS,
  type OvsFieldDef,
  type OvsFlagBit,
} from './OvsFieldTable';
import type { MaskedValue, OvsPortName } from './OvsMatch';
import { ownValue } from './ownValue';

/**
 * Reads the value of one OVS field as written in flows, per the field's kind:
 * `0x1/0x1`, `22`, `fa:16:3e:00:00:01/ff:ff:ff:00:00:00`, `10.0.0.0/24` or `/255.255.255.0`,
 * `fe80::/64`, `+trk-new` or `new|trk` or `0x21/0x21`, `tcp_flags=+syn-ack` or `syn`,
 * `nw_frag=later`, `packet_type=(0,0x800)`, ports by number, reserved name or (quoted) name.
 * Bad text gives `{ok: false, message}` with a message fit for an operator; never throws.
 */
export type OvsValueResult =
  | { readonly ok: true; readonly value: MaskedValue | OvsPortName }
  | { readonly ok: false; readonly message: string };

const HEX_RE = /^0[xX][0-9a-fA-F]+$/;
const DEC_RE = /^[0-9]+$/;

/** `22` or `0x16` as a bigint; anything else `undefined`. */
export function parseOvsInteger(text: string): bigint | undefined {
  if (DEC_RE.test(text) || HEX_RE.test(text)) return BigInt(text);
  return undefined;
}

function fail(message: string): OvsValueResult {
  return { ok: false, message };
}

function ok(value: bigint, mask: bigint): OvsValueResult {
  return { ok: true, value: { value, mask } };
}

function splitMask(text: string): [string, string | undefined] {
  const slash = text.indexOf('/');
  return slash === -1 ? [text, undefined] : [text.slice(0, slash), text.slice(slash + 1)];
}

function readInteger(def: OvsFieldDef, text: string): OvsValueResult {
  const [v, m] = splitMask(text);
  const value = parseOvsInteger(v);
  if (value === undefined) return fail(`${def.name}: "${v}" is not a number (decimal or 0x-hex)`);
  const full = fullMask(def);
  if (value > full) return fail(`${def.name}: value ${v} does not fit in ${def.bits} bits`);
  if (m === undefined) return ok(value, full);
  if (!def.maskable) return fail(`${def.name} cannot be masked ("${text}")`);
  const mask = parseOvsInteger(m);
  if (mask === undefined) return fail(`${def.name}: mask "${m}" is not a number`);
  if (mask > full) return fail(`${def.name}: mask ${m} does not fit in ${def.bits} bits`);
  return ok(value, mask);
}

function readMac(def: OvsFieldDef, text: string): OvsValueResult {
  const [v, m] = splitMask(text);
  const value = parseMac(v);
  if (value === undefined) return fail(`${def.name}: "${v}" is not a MAC address`);
  if (m === undefined) return ok(value, fullMask(def));
  const mask = parseMac(m);
  if (mask === undefined) return fail(`${def.name}: mask "${m}" is not a MAC address`);
  return ok(value, mask);
}

function readIp(def: OvsFieldDef, text: string, family: 4 | 6): OvsValueResult {
  const [v, m] = splitMask(text);
  const value = family === 4 ? parseIpv4(v) : parseIpv6(v);
  if (value === undefined) return fail(`${def.name}: "${v}" is not an IPv${family} address`);
  const bits = family === 4 ? 32 : 128;
  if (m === undefined) return ok(value, maskForPrefix(family, bits));
  if (DEC_RE.test(m)) {
    const prefix = Number(m);
    if (prefix > bits) return fail(`${def.name}: prefix /${m} is longer than ${bits} bits`);
    return ok(value, maskForPrefix(family, prefix));
  }
  const mask = family === 4 ? parseIpv4(m) : parseIpv6(m);
  if (mask === undefined) return fail(`${def.name}: mask "${m}" is neither a prefix length nor an IPv${family} mask`);
  return ok(value, mask);
}

function readPort(def: OvsFieldDef, text: string): OvsValueResult {
  if (text.length === 0) return fail(`${def.name}: missing port`);
  const n = parseOvsInteger(text);
  if (n !== undefined) {
    // OpenFlow 1.1+ reserved numbers (0xfffffff8..) map onto the 16-bit ones OVS uses inside.
    const v = n >= 0xffffff00n && n <= 0xffffffffn ? n - 0xffff0000n : n;
    if (v > 0xffffn) return fail(`${def.name}: port ${text} is out of range`);
    return ok(v, 0xffffn);
  }
  if (isReservedPortName(text)) return ok(BigInt(OVS_RESERVED_PORTS[text]), 0xffffn);
  if (text.startsWith('"')) {
    const name = unquoteOvsString(text);
    if (name === undefined) return fail(`${def.name}: badly quoted port name ${text}`);
    return { ok: true, value: { portName: name } };
  }
  return { ok: true, value: { portName: text } };
}

/** `"a\"b"` -> `a"b` (OVS quotes names with JSON string escaping); `undefined` if malformed. */
export function unquoteOvsString(text: string): string | undefined {
  if (text.length < 2 || !text.startsWith('"') || !text.endsWith('"')) return undefined;
  if (!text.includes('\\')) return text.slice(1, -1);
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

function flagsMask(table: readonly OvsFlagBit[]): bigint {
  let m = 0n;
  for (const f of table) m |= BigInt(f.bit);
  return m;
}

/** The three flag syntaxes of OVS's parse_flags(): `0x21/0x21`, `+trk-new`, `new|trk`. */
function readFlags(def: OvsFieldDef, text: string, table: readonly OvsFlagBit[]): OvsValueResult {
  const allowed = flagsMask(table);
  if (text.length === 0) return fail(`${def.name}: missing value`);
  const [v, m] = splitMask(text);
  const num = parseOvsInteger(v);
  if (num !== undefined) {
    if (m === undefined) return ok(num & allowed, allowed);
    const mask = parseOvsInteger(m);
    if (mask === undefined) return fail(`${def.name}: mask "${m}" is not a number`);
    return ok(num, mask);
  }
  const c0 = text.charCodeAt(0);
  if (c0 === 43 || c0 === 45) {
    let value = 0n;
    let mask = 0n;
    let i = 0;
    while (i < text.length) {
      const sign = text[i];
      if (sign !== '+' && sign !== '-') return fail(`${def.name}: "${text.slice(i)}" must start with + (set) or - (not set)`);
      let j = i + 1;
      while (j < text.length && text[j] !== '+' && text[j] !== '-') j++;
      const name = text.slice(i + 1, j);
      const flag = table.find((f) => f.name === name);
      if (!flag) return fail(`${def.name}: unknown flag "${name}" (known: ${table.map((f) => f.name).join(', ')})`);
      const bit = BigInt(flag.bit);
      if ((mask & bit) !== 0n) return fail(`${def.name}: flag "${name}" given twice`);
      mask |= bit;
      if (sign === '+') value |= bit;
      i = j;
    }
    return ok(value, mask);
  }
  // Unmasked: the named flags are set, every other flag is clear.
  let value = 0n;
  for (const name of text.split('|')) {
    const flag = table.find((f) => f.name === name);
    if (!flag) return fail(`${def.name}: unknown flag "${name}" (known: ${table.map((f) => f.name).join(', ')})`);
    value |= BigInt(flag.bit);
  }
  return ok(value, allowed);
}

function readFrag(def: OvsFieldDef, text: string): OvsValueResult {
  const f = ownValue(OVS_FRAG_VALUES, text);
  if (f) return ok(BigInt(f.value), BigInt(f.mask));
  const r = readInteger(def, text);
  return r.ok ? r : fail(`${def.name}: "${text}" is not one of no, yes, first, later, not_later`);
}

function readPacketType(def: OvsFieldDef, text: string): OvsValueResult {
  const m = /^\(\s*(0x[0-9a-fA-F]+|[0-9]+)\s*,\s*(0x[0-9a-fA-F]+|[0-9]+)\s*\)$/.exec(text);
  if (m) {
    const ns = BigInt(m[1] ?? '0');
    const type = BigInt(m[2] ?? '0');
    if (ns > 0xffffn || type > 0xffffn) return fail(`${def.name}: namespace and type are 16-bit numbers`);
    return ok((ns << 16n) | type, 0xffffffffn);
  }
  return readInteger(def, text);
}

export function parseOvsFieldValue(def: OvsFieldDef, text: string): OvsValueResult {
  switch (def.kind) {
    case 'decimal':
    case 'hex':
      return readInteger(def, text);
    case 'mac':
      return readMac(def, text);
    case 'ipv4':
      return readIp(def, text, 4);
    case 'ipv6':
      return readIp(def, text, 6);
    case 'ofport':
      return readPort(def, text);
    case 'ctState':
    case 'tcpFlags':
    case 'tunFlags':
      return readFlags(def, text, OVS_FLAG_TABLES[def.kind]);
    case 'frag':
      return readFrag(def, text);
    case 'packetType':
      return readPacketType(def, text);
  }
}
