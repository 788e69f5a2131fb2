import { bitsOf, formatIp, parseIp, parseIpv4, type IpAddress, type IpFamily } from './IpAddress';

/**
 * An address with a prefix length (`10.0.0.0/24`, `fe80::/64`, or a bare address as /32 or /128).
 * iptables also writes dotted masks (`10.0.0.0/255.255.255.0`): contiguous ones become a prefix;
 * non-contiguous masks are kept in `mask` and still match correctly.
 */
export interface Cidr {
  readonly family: IpFamily;
  /** The address as written, not yet masked (ip addr keeps host bits: `10.0.0.5/24`). */
  readonly address: bigint;
  readonly prefixLength: number;
  readonly mask: bigint;
  readonly text: string;
}

export function maskForPrefix(family: IpFamily, prefixLength: number): bigint {
  const bits = BigInt(bitsOf(family));
  if (prefixLength <= 0) return 0n;
  return ((1n << BigInt(prefixLength)) - 1n) << (bits - BigInt(prefixLength));
}

export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const addrText = slash === -1 ? text : text.slice(0, slash);
  const ip = parseIp(addrText);
  if (!ip) return undefined;
  const bits = bitsOf(ip.family);
  if (slash === -1) return { family: ip.family, address: ip.value, prefixLength: bits, mask: maskForPrefix(ip.family, bits), text };
  const suffix = text.slice(slash + 1);
  if (/^\d{1,3}$/.test(suffix)) {
    const prefixLength = Number(suffix);
    if (prefixLength > bits) return undefined;
    return { family: ip.family, address: ip.value, prefixLength, mask: maskForPrefix(ip.family, prefixLength), text };
  }
  const dotted = ip.family === 4 ? parseIpv4(suffix) : undefined;
  if (dotted === undefined) return undefined;
  let ones = 0;
  while (ones < 32 && ((dotted >> BigInt(31 - ones)) & 1n) === 1n) ones++;
  const contiguous = maskForPrefix(4, ones) === dotted;
  return { family: 4, address: ip.value, prefixLength: contiguous ? ones : -1, mask: dotted, text };
}

export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  return cidr.family === ip.family && (cidr.address & cidr.mask) === (ip.value & cidr.mask);
}

export function cidrNetwork(cidr: Cidr): string {
  const base = formatIp({ family: cidr.family, value: cidr.address & cidr.mask });
  return cidr.prefixLength >= 0 ? `${base}/${cidr.prefixLength}` : cidr.text;
}
