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
 * Returns the value, or a message fit for an operator when the text is bad; never throws.
 */
export type OvsValueResult = MaskedValue | OvsPortName | string;

const HEX_RE = /^0[xX][0-9a-fA-F]+$/;
const DEC_RE = /^[0-9]+$/;

/** `22` or `0x16` as a bigint; anything else `undefined`. */
export function parseOvsInteger(text: string): bigint | undefined {
  const n = text.length;
  if (n === 0) return undefined;
  // Fast path for short decimals (most values in dumps).
  if (n <= 15) {
    let v = 0;
    let i = 0;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      v = v * 10 + (c - 48);
    }
    if (i === n) return BigInt(v);
  }
  if (DEC_RE.test(text) || HEX_RE.test(text)) return BigInt(text);
  return undefined;
}

/** Dotted-quad IPv4 as a number, without allocating; `undefined` if malformed. */
function fastIpv4(text: string): bigint | undefined {
  let v = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || part > 255) return undefined;
      v = v * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      part = part * 10 + (c - 48);
      digits++;
    } else {
      return undefined;
    }
  }
  if (dots !== 3 || digits === 0 || part > 255) return undefined;
  return BigInt(v * 256 + part);
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** `fa:16:3e:00:00:01` (17 characters) quickly; other spellings through parseMac. */
function fastMac(text: string): bigint | undefined {
  if (text.length !== 17) return parseMac(text);
  let v = 0;
  for (let i = 0; i < 17; i += 3) {
    const hi = hexDigit(text.charCodeAt(i));
    const lo = hexDigit(text.charCodeAt(i + 1));
    if (hi < 0 || lo < 0 || (i < 15 && text.charCodeAt(i + 2) !== 58)) return parseMac(text);
    v = v * 256 + hi * 16 + lo;
  }
  return BigInt(v);
}

function masked(value: bigint, mask: bigint): MaskedValue {
  return { value, mask };
}

function readInteger(def: OvsFieldDef, text: string): OvsValueResult {
  const slash = text.indexOf('/');
  const v = slash === -1 ? text : text.slice(0, slash);
  const value = parseOvsInteger(v);
  if (value === undefined) return `${def.name}: "${v}" is not a number (decimal or 0x-hex)`;
  const full = fullMask(def);
  if (value > full) return `${def.name}: value ${v} does not fit in ${def.bits} bits`;
  if (slash === -1) return masked(value, full);
  const m = text.slice(slash + 1);
  if (!def.maskable) return `${def.name} cannot be masked ("${text}")`;
  const mask = parseOvsInteger(m);
  if (mask === undefined) return `${def.name}: mask "${m}" is not a number`;
  if (mask > full) return `${def.name}: mask ${m} does not fit in ${def.bits} bits`;
  return masked(value, mask);
}

function readMac(def: OvsFieldDef, text: string): OvsValueResult {
  const slash = text.indexOf('/');
  const v = slash === -1 ? text : text.slice(0, slash);
  const value = fastMac(v);
  if (value === undefined) return `${def.name}: "${v}" is not a MAC address`;
  if (slash === -1) return masked(value, fullMask(def));
  const m = text.slice(slash + 1);
  const mask = fastMac(m);
  if (mask === undefined) return `${def.name}: mask "${m}" is not a MAC address`;
  return masked(value, mask);
}

function readIp(def: OvsFieldDef, text: string, family: 4 | 6): OvsValueResult {
  const slash = text.indexOf('/');
  const v = slash === -1 ? text : text.slice(0, slash);
  const value = family === 4 ? fastIpv4(v) : parseIpv6(v);
  if (value === undefined) return `${def.name}: "${v}" is not an IPv${family} address`;
  const bits = family === 4 ? 32 : 128;
  if (slash === -1) return masked(value, family === 4 ? 0xffffffffn : fullMask(def));
  const m = text.slice(slash + 1);
  if (DEC_RE.test(m)) {
    const prefix = Number(m);
    if (prefix > bits) return `${def.name}: prefix /${m} is longer than ${bits} bits`;
    return masked(value, maskForPrefix(family, prefix));
  }
  const mask = family === 4 ? parseIpv4(m) : parseIpv6(m);
  if (mask === undefined) return `${def.name}: mask "${m}" is neither a prefix length nor an IPv${family} mask`;
  return masked(value, mask);
}

function readPort(def: OvsFieldDef, text: string): OvsValueResult {
  if (text.length === 0) return `${def.name}: missing port`;
  const n = parseOvsInteger(text);
  if (n !== undefined) {
    // OpenFlow 1.1+ reserved numbers (0xfffffff8..) map onto the 16-bit ones OVS uses inside.
    const v = n >= 0xffffff00n && n <= 0xffffffffn ? n - 0xffff0000n : n;
    if (v > 0xffffn) return `${def.name}: port ${text} is out of range`;
    return masked(v, 0xffffn);
  }
  if (isReservedPortName(text)) return masked(BigInt(OVS_RESERVED_PORTS[text]), 0xffffn);
  if (text.startsWith('"')) {
    const name = unquoteOvsString(text);
    if (name === undefined) return `${def.name}: badly quoted port name ${text}`;
    return { portName: name };
  }
  return { portName: text };
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
  if (text.length === 0) return `${def.name}: missing value`;
  const slash = text.indexOf('/');
  const v = slash === -1 ? text : text.slice(0, slash);
  const num = parseOvsInteger(v);
  if (num !== undefined) {
    if (slash === -1) return masked(num & allowed, allowed);
    const m = text.slice(slash + 1);
    const mask = parseOvsInteger(m);
    if (mask === undefined) return `${def.name}: mask "${m}" is not a number`;
    return masked(num, mask);
  }
  const c0 = text.charCodeAt(0);
  if (c0 === 43 || c0 === 45) {
    let value = 0n;
    let mask = 0n;
    let i = 0;
    while (i < text.length) {
      const sign = text[i];
      if (sign !== '+' && sign !== '-') return `${def.name}: "${text.slice(i)}" must start with + (set) or - (not set)`;
      let j = i + 1;
      while (j < text.length && text[j] !== '+' && text[j] !== '-') j++;
      const name = text.slice(i + 1, j);
      const flag = table.find((f) => f.name === name);
      if (!flag) return `${def.name}: unknown flag "${name}" (known: ${table.map((f) => f.name).join(', ')})`;
      const bit = BigInt(flag.bit);
      if ((mask & bit) !== 0n) return `${def.name}: flag "${name}" given twice`;
      mask |= bit;
      if (sign === '+') value |= bit;
      i = j;
    }
    return masked(value, mask);
  }
  // Unmasked: the named flags are set, every other flag is clear.
  let value = 0n;
  for (const name of text.split('|')) {
    const flag = table.find((f) => f.name === name);
    if (!flag) return `${def.name}: unknown flag "${name}" (known: ${table.map((f) => f.name).join(', ')})`;
    value |= BigInt(flag.bit);
  }
  return masked(value, allowed);
}

function readFrag(def: OvsFieldDef, text: string): OvsValueResult {
  const f = ownValue(OVS_FRAG_VALUES, text);
  if (f) return masked(BigInt(f.value), BigInt(f.mask));
  const r = readInteger(def, text);
  return typeof r !== 'string' ? r : `${def.name}: "${text}" is not one of no, yes, first, later, not_later`;
}

function readPacketType(def: OvsFieldDef, text: string): OvsValueResult {
  const m = /^\(\s*(0x[0-9a-fA-F]+|[0-9]+)\s*,\s*(0x[0-9a-fA-F]+|[0-9]+)\s*\)$/.exec(text);
  if (m) {
    const ns = BigInt(m[1] ?? '0');
    const type = BigInt(m[2] ?? '0');
    if (ns > 0xffffn || type > 0xffffn) return `${def.name}: namespace and type are 16-bit numbers`;
    return masked((ns << 16n) | type, 0xffffffffn);
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
