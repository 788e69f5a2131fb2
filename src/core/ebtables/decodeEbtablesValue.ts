import { parseIpv4, parseIpv6 } from '../net/IpAddress';
import { maskForPrefix, type Cidr } from '../net/Cidr';
import { parseMac } from '../net/MacAddress';
import { arpOpcodeByName, arpOpcodeName } from './arpOpcodes';
import type { EbtablesValue, MacKeyword } from './EbtablesValue';
import { ethertypeByName, ethertypeByValue } from './ethertypes';
import { IP_PROTOCOLS, ipProtocolByName } from './ipProtocols';

/**
 * Decoders from an option's value text to its typed value. Each returns `undefined` on text it
 * cannot read; the caller keeps the option (with its text) and reports a diagnostic.
 */
export type EbtablesDecoderKind =
  | 'mac'
  | 'ethertype'
  | 'ipv4'
  | 'ipv6'
  | 'portRange'
  | 'arpOpcode'
  | 'ipProtocol'
  | 'interface'
  | 'masked'
  | 'number'
  | 'macList';

/** `Unicast` etc. as `ebt_get_mac_and_mask` defines them. */
const MAC_KEYWORDS: Readonly<Record<string, { keyword: MacKeyword; address: bigint; mask: bigint }>> = {
  unicast: { keyword: 'Unicast', address: 0n, mask: 0x010000000000n },
  multicast: { keyword: 'Multicast', address: 0x010000000000n, mask: 0x010000000000n },
  broadcast: { keyword: 'Broadcast', address: 0xffffffffffffn, mask: 0xffffffffffffn },
  bga: { keyword: 'BGA', address: 0x0180c2000000n, mask: 0xffffffffffffn },
};

const ALL_ONES_MAC = 0xffffffffffffn;
const HOST_MASK_V4 = 0xffffffffn;

/**
 * Six groups of 1-2 hex digits separated by `:` (or `-`), read without allocating: the hot path
 * of listings with tens of thousands of `-s`/`--arp-mac-src` rules. Same result as `parseMac`.
 */
function readMac(text: string, from: number, to: number): bigint | undefined {
  let value = 0;
  let high = 0;
  let groups = 0;
  let digits = 0;
  let group = 0;
  for (let i = from; i <= to; i++) {
    const c = i === to ? 58 : text.charCodeAt(i);
    if (c === 58 /* : */ || c === 45 /* - */) {
      if (digits === 0) return undefined;
      groups++;
      if (groups > 6) return undefined;
      // 48 bits do not fit a double's exact integer range in one accumulator: keep 16 high bits apart.
      if (groups <= 2) high = high * 256 + group;
      else value = value * 256 + group;
      group = 0;
      digits = 0;
      continue;
    }
    let d: number;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (c >= 97 && c <= 102) d = c - 87;
    else if (c >= 65 && c <= 70) d = c - 55;
    else return undefined;
    if (++digits > 2) return undefined;
    group = group * 16 + d;
  }
  // high < 2^16 and value < 2^32: the sum is below 2^53, exact as a double.
  return groups === 6 ? BigInt(high * 4294967296 + value) : undefined;
}

/** `fa:16:3e:0:0:1`, `fa:16:3e:0:0:0/ff:ff:ff:0:0:0`, `Broadcast`. */
export function decodeMac(text: string): EbtablesValue | undefined {
  if (text.length <= 9 && !text.includes(':')) {
    const kw = MAC_KEYWORDS[text.toLowerCase()];
    if (kw) return { kind: 'mac', address: kw.address, mask: kw.mask, keyword: kw.keyword };
  }
  const slash = text.indexOf('/');
  const address = readMac(text, 0, slash === -1 ? text.length : slash);
  if (address === undefined) return undefined;
  const mask = slash === -1 ? ALL_ONES_MAC : readMac(text, slash + 1, text.length);
  if (mask === undefined) return undefined;
  return { kind: 'mac', address: mask === ALL_ONES_MAC ? address : address & mask, mask };
}

/** Dotted quad read without allocating; `undefined` unless exactly four 0-255 parts. */
function readIpv4(text: string, from: number, to: number): bigint | undefined {
  let value = 0;
  let parts = 0;
  let part = 0;
  let digits = 0;
  for (let i = from; i <= to; i++) {
    const c = i === to ? 46 : text.charCodeAt(i);
    if (c === 46 /* . */) {
      if (digits === 0 || part > 255 || ++parts > 4) return undefined;
      value = value * 256 + part;
      part = 0;
      digits = 0;
      continue;
    }
    if (c < 48 || c > 57 || ++digits > 3) return undefined;
    part = part * 10 + (c - 48);
  }
  return parts === 4 ? BigInt(value) : undefined;
}

/** `IPv4`, `ARP`, `0x0800`, `0x835`, `Length`. */
export function decodeEthertype(text: string): EbtablesValue | undefined {
  if (text.toLowerCase() === 'length') return { kind: 'length' };
  const named = ethertypeByName(text);
  if (named) return { kind: 'ethertype', ethertype: named.value, name: named.name };
  if (!/^(0x[0-9a-fA-F]{1,4}|[0-9a-fA-F]{1,4})$/.test(text)) return undefined;
  // ebtables reads a bare number as hexadecimal (`-p 0800`), like its printed `0x835`.
  const value = parseInt(text.replace(/^0x/i, ''), 16);
  const known = ethertypeByValue(value);
  return known ? { kind: 'ethertype', ethertype: value, name: known.name } : { kind: 'ethertype', ethertype: value };
}

/** `10.0.0.1`, `10.0.0.0/8`, `10.0.0.0/255.0.255.0` (legacy and nft print non-contiguous masks dotted). */
export function decodeIpv4(text: string): EbtablesValue | undefined {
  const slash = text.indexOf('/');
  const addr = readIpv4(text, 0, slash === -1 ? text.length : slash);
  if (addr === undefined) return undefined;
  let prefixLength = 32;
  let mask = HOST_MASK_V4;
  if (slash !== -1) {
    const suffix = text.slice(slash + 1);
    const m = maskFromSuffix(4, suffix);
    if (!m) return undefined;
    ({ prefixLength, mask } = m);
  }
  return { kind: 'ip', cidr: { family: 4, address: addr, prefixLength, mask, text } };
}

/** `feed:babe::1`, `feed:babe::/64`, legacy's `fe80::/ffff:ffff:ffff:ffff::`. */
export function decodeIpv6(text: string): EbtablesValue | undefined {
  const slash = text.indexOf('/');
  const addr = parseIpv6(slash === -1 ? text : text.slice(0, slash));
  if (addr === undefined) return undefined;
  let prefixLength = 128;
  let mask = maskForPrefix(6, 128);
  if (slash !== -1) {
    const m = maskFromSuffix(6, text.slice(slash + 1));
    if (!m) return undefined;
    ({ prefixLength, mask } = m);
  }
  const cidr: Cidr = { family: 6, address: addr, prefixLength, mask, text };
  return { kind: 'ip', cidr };
}

function maskFromSuffix(family: 4 | 6, suffix: string): { prefixLength: number; mask: bigint } | undefined {
  const bits = family === 4 ? 32 : 128;
  if (/^\d{1,3}$/.test(suffix)) {
    const prefixLength = Number(suffix);
    if (prefixLength > bits) return undefined;
    return { prefixLength, mask: maskForPrefix(family, prefixLength) };
  }
  const mask = family === 4 ? parseIpv4(suffix) : parseIpv6(suffix);
  if (mask === undefined) return undefined;
  let ones = 0;
  while (ones < bits && ((mask >> BigInt(bits - 1 - ones)) & 1n) === 1n) ones++;
  return { prefixLength: maskForPrefix(family, ones) === mask ? ones : -1, mask };
}

/** `80`, `80:90`, `:1024` (from 0), `1024:` (to 65535). */
export function decodePortRange(text: string): EbtablesValue | undefined {
  const m = /^(\d{0,5})(?::(\d{0,5}))?$/.exec(text);
  if (!m || text === '' || text === ':') return undefined;
  const fromText = m[1] ?? '';
  const toText = m[2];
  const from = fromText === '' ? 0 : Number(fromText);
  const to = toText === undefined ? from : toText === '' ? 65535 : Number(toText);
  if (from > 65535 || to > 65535 || from > to) return undefined;
  return { kind: 'portRange', from, to };
}

/** `Request`, `Reply_Reverse`, `2`. */
export function decodeArpOpcode(text: string): EbtablesValue | undefined {
  const byName = arpOpcodeByName(text);
  if (byName !== undefined) return { kind: 'arpOpcode', opcode: byName, name: arpOpcodeName(byName) };
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const opcode = Number(text);
  if (opcode > 65535) return undefined;
  const name = arpOpcodeName(opcode);
  return name ? { kind: 'arpOpcode', opcode, name } : { kind: 'arpOpcode', opcode };
}

/** `udp`, `vrrp`, `112`. */
export function decodeIpProtocol(text: string): EbtablesValue | undefined {
  const byName = ipProtocolByName(text);
  if (byName !== undefined) return { kind: 'ipProtocol', protocol: byName, name: text.toLowerCase() };
  if (!/^\d{1,3}$/.test(text) || Number(text) > 255) return undefined;
  const protocol = Number(text);
  const name = Object.keys(IP_PROTOCOLS).find((k) => IP_PROTOCOLS[k] === protocol);
  return name ? { kind: 'ipProtocol', protocol, name } : { kind: 'ipProtocol', protocol };
}

/** `tap0`, `tap+` (prefix wildcard, as the kernel matches it). */
export function decodeInterface(text: string): EbtablesValue | undefined {
  if (text === '' || text.length > 15 || /[\s/]/.test(text)) return undefined;
  if (text.endsWith('+')) return { kind: 'interface', name: text.slice(0, -1), wildcard: true };
  return { kind: 'interface', name: text, wildcard: false };
}

function parseUnsigned(text: string): bigint | undefined {
  if (/^0x[0-9a-fA-F]{1,16}$/.test(text)) return BigInt(text);
  if (/^\d{1,20}$/.test(text)) return BigInt(text);
  return undefined;
}

/** `--mark 0x1/0xff`, `--mark 0x1`, and the "any of these bits" form `--mark /0x4`. */
export function decodeMasked(text: string): EbtablesValue | undefined {
  const slash = text.indexOf('/');
  if (slash === 0) {
    const mask = parseUnsigned(text.slice(1));
    return mask === undefined ? undefined : { kind: 'masked', value: 0n, mask, anyBitSet: true };
  }
  const value = parseUnsigned(slash === -1 ? text : text.slice(0, slash));
  if (value === undefined) return undefined;
  const mask = slash === -1 ? 0xffffffffn : parseUnsigned(text.slice(slash + 1));
  if (mask === undefined) return undefined;
  return { kind: 'masked', value, mask };
}

/** `10`, `0x10`. */
export function decodeNumber(text: string): EbtablesValue | undefined {
  const v = parseUnsigned(text);
  if (v === undefined || v > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return { kind: 'number', value: Number(v) };
}

/** `--among-src fa:16:3e:0:0:1,fa:16:3e:0:0:2=10.0.0.2`. */
export function decodeMacList(text: string): EbtablesValue | undefined {
  const addresses: bigint[] = [];
  for (const item of text.split(',')) {
    if (item === '') continue;
    const eq = item.indexOf('=');
    const mac = parseMac(eq === -1 ? item : item.slice(0, eq));
    if (mac === undefined) return undefined;
    addresses.push(mac);
  }
  return addresses.length === 0 ? undefined : { kind: 'macList', addresses };
}

export const EBTABLES_DECODERS: Readonly<Record<EbtablesDecoderKind, (text: string) => EbtablesValue | undefined>> = {
  mac: decodeMac,
  ethertype: decodeEthertype,
  ipv4: decodeIpv4,
  ipv6: decodeIpv6,
  portRange: decodePortRange,
  arpOpcode: decodeArpOpcode,
  ipProtocol: decodeIpProtocol,
  interface: decodeInterface,
  masked: decodeMasked,
  number: decodeNumber,
  macList: decodeMacList,
};

/** What a decoder expects, for "cannot read X as Y" messages. */
export const EBTABLES_DECODER_EXPECTS: Readonly<Record<EbtablesDecoderKind, string>> = {
  mac: 'a MAC address (aa:bb:cc:dd:ee:ff[/mask], Unicast, Multicast, Broadcast or BGA)',
  ethertype: 'an Ethernet type (IPv4, ARP, IPv6, 0x8035, Length)',
  ipv4: 'an IPv4 address[/mask]',
  ipv6: 'an IPv6 address[/mask]',
  portRange: 'a port or port range (80, 80:90)',
  arpOpcode: 'an ARP opcode (Request, Reply, a number)',
  ipProtocol: 'an IP protocol (tcp, udp, vrrp, a number)',
  interface: 'an interface name (tap0, tap+)',
  masked: 'a number with an optional /mask (0x1/0xff)',
  number: 'a number',
  macList: 'a comma-separated list of MAC addresses',
};
