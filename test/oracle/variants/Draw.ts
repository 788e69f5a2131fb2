import type { SeededRandom } from '../../support/seededRandom';

/**
 * The values a variant is drawn from, shaped as the real services make them: Neutron port ids are
 * UUID4s, MACs come from Neutron's base_mac fa:16:3e (DVR host MACs fa:16:3f), tenant subnets
 * are private ranges of any usual size. Every draw goes through one `Draw`, which never hands
 * out the same value twice nor a value of the seed (so a report that still shows a seed value
 * was built from a literal, not from the snapshot).
 */
export interface Subnet {
  /** 10.20.30.0 as a number */
  readonly network: number;
  readonly prefix: number;
  readonly cidr: string;
}

export class Draw {
  private readonly used = new Set<string>();

  constructor(readonly r: SeededRandom, avoid: Iterable<string>) {
    // The avoided values, and for ids also their 10-character prefix (see uuid()).
    for (const a of avoid) {
      this.used.add(a.toLowerCase());
      if (/^[0-9a-f]{8}-[0-9a-f]/.test(a)) this.used.add(`id:${a.slice(0, 10).toLowerCase()}`);
    }
  }

  /** A value not drawn before and not one of the avoided ones; `key` says what must differ (default: the whole value). */
  fresh(make: () => string, key: (v: string) => string = (v) => v): string {
    for (let i = 0; i < 1000; i++) {
      const v = make();
      const k = key(v).toLowerCase();
      if (!this.used.has(k) && !this.used.has(v.toLowerCase())) {
        this.used.add(k);
        this.used.add(v.toLowerCase());
        return v;
      }
    }
    throw new Error('variant draw: no fresh value after 1000 tries');
  }

  /**
   * A UUID4 (Neutron port, router, network, security group ids). Its first 10 characters are
   * unique too: Neutron cuts ids to 10 (chains) and 11 (devices) characters.
   */
  uuid(): string {
    return this.fresh(() => {
      const h = (n: number): string => Array.from({ length: n }, () => this.r.int(0, 15).toString(16)).join('');
      return `${h(8)}-${h(4)}-4${h(3)}-${this.r.pick(['8', '9', 'a', 'b'])}${h(3)}-${h(12)}`;
    }, (v) => `id:${v.slice(0, 10)}`);
  }

  /** A MAC under `base` (3 bytes); a third of the bytes are below 0x10, which ebtables -L prints without the leading zero. */
  mac(base = 'fa:16:3e'): string {
    return this.fresh(() => {
      const byte = (): string => (this.r.chance(0.3) ? this.r.int(0, 15) : this.r.int(16, 255)).toString(16).padStart(2, '0');
      return `${base}:${byte()}:${byte()}:${byte()}`;
    });
  }

  /** A tenant subnet of `prefix` bits in 10/8, 172.16/12 or 192.168/16, disjoint from every subnet drawn before. */
  subnet(prefix: number, taken: readonly Subnet[] = []): Subnet {
    for (let i = 0; i < 1000; i++) {
      const space = this.r.pick([[0x0a000000, 8], [0xac100000, 12], [0xc0a80000, 16]] as const);
      const hostBits = 32 - prefix;
      const slots = 2 ** (32 - space[1] - hostBits);
      const network = (space[0] + this.r.int(0, slots - 1) * 2 ** hostBits) >>> 0;
      const s = { network, prefix, cidr: `${intToIp(network)}/${prefix}` };
      if (!taken.some((t) => overlaps(t, s))) return s;
    }
    throw new Error('variant draw: no free subnet');
  }

  /** A host address of the subnet (not its network or broadcast address), fresh. */
  host(s: Subnet): string {
    const size = 2 ** (32 - s.prefix);
    return this.fresh(() => intToIp((s.network + this.r.int(1, size - 2)) >>> 0));
  }

  /** Distinct integers in [lo, hi]. */
  distinct(n: number, lo: number, hi: number): number[] {
    const out = new Set<number>();
    while (out.size < n) out.add(this.r.int(lo, hi));
    return [...out];
  }

  /** A random permutation (plug order). */
  shuffle<T>(items: readonly T[]): T[] {
    const a = [...items];
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.r.int(0, i);
      [a[i], a[j]] = [a[j] as T, a[i] as T];
    }
    return a;
  }
}

export function ipToInt(ip: string): number {
  return ip.split('.').reduce((v, p) => v * 256 + Number(p), 0);
}

export function intToIp(v: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(v / 2 ** s) % 256).join('.');
}

function overlaps(a: Subnet, b: Subnet): boolean {
  const aEnd = a.network + 2 ** (32 - a.prefix);
  const bEnd = b.network + 2 ** (32 - b.prefix);
  return a.network < bEnd && b.network < aEnd;
}
