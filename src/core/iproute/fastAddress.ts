import { maskForPrefix, parseCidr, type Cidr } from '../net/Cidr';
import { parseIp, type IpAddress } from '../net/IpAddress';

const V4_MASKS: readonly bigint[] = Array.from({ length: 33 }, (_, n) => maskForPrefix(4, n));
const MEMO_LIMIT = 4096;

/** `a.b.c.d` as a number, or -1 (plain dotted quad only; anything else goes to the shared parser). */
function dottedQuad(s: string, end: number): number {
  let v = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return -1;
    } else if (c === 46) {
      if (digits === 0 || ++dots > 3) return -1;
      v = v * 256 + part;
      part = 0;
      digits = 0;
    } else return -1;
  }
  if (dots !== 3 || digits === 0) return -1;
  return v * 256 + part;
}

/**
 * The shared `parseIp` / `parseCidr` with a fast path for plain IPv4 (no BigInt arithmetic per
 * octet) and a small memo, because a routing table repeats the same gateways and prefixes
 * (`fe80::/64`, `ff00::/8`) thousands of times. Results are the same values the shared parsers
 * give (a property test checks this). Create one per parse; the memo is bounded.
 */
export class AddressCache {
  private readonly ips = new Map<string, IpAddress | undefined>();
  private readonly cidrs = new Map<string, Cidr | undefined>();

  ip(text: string): IpAddress | undefined {
    const hit = this.ips.get(text);
    if (hit !== undefined || this.ips.has(text)) return hit;
    const q = dottedQuad(text, text.length);
    const v: IpAddress | undefined = q >= 0 ? { family: 4, value: BigInt(q) } : parseIp(text);
    if (this.ips.size >= MEMO_LIMIT) this.ips.clear();
    this.ips.set(text, v);
    return v;
  }

  cidr(text: string): Cidr | undefined {
    const hit = this.cidrs.get(text);
    if (hit !== undefined || this.cidrs.has(text)) return hit;
    const v = fastCidr(text) ?? parseCidr(text);
    if (this.cidrs.size >= MEMO_LIMIT) this.cidrs.clear();
    this.cidrs.set(text, v);
    return v;
  }
}

function fastCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const q = dottedQuad(text, slash === -1 ? text.length : slash);
  if (q < 0) return undefined;
  let prefixLength = 32;
  if (slash !== -1) {
    const p = text.slice(slash + 1);
    if (!/^\d{1,2}$/.test(p) || Number(p) > 32) return undefined; // dotted masks and bad lengths: shared parser
    prefixLength = Number(p);
  }
  return { family: 4, address: BigInt(q), prefixLength, mask: V4_MASKS[prefixLength]!, text };
}
