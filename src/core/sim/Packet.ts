/**
 * A packet as the simulator carries it through every layer: header fields and metadata keyed by
 * OVS's canonical field names (ovs-fields(7)), because operators describe packets in that
 * syntax (`tcp,nw_src=…,tcp_dst=22`) and OVS is the strictest consumer. ebtables and iptables read
 * the same fields (`eth_src`, `ip_src`, `nw_proto`, `tcp_dst`...).
 *
 * Storage follows OVS's `struct flow`: fields that OVS keeps in one slot share it here too, so a
 * rewrite through one name is seen through the others (`arp_spa` is `ip_src`, `arp_op` is
 * `nw_proto`, `udp_dst`/`tcp_dst`/`icmp_code` are the L4 destination slot, `dl_vlan` is part of
 * `vlan_tci`, `xreg0` is `reg0:reg1`). A field never set reads as 0, as in OVS.
 */
export type PacketFields = ReadonlyMap<string, bigint>;

export interface Packet {
  readonly fields: PacketFields;
}

/**
 * Names that OVS stores in another field's slot. A Map, not an object literal: most names read
 * are not in it, and a miss on an object walks its prototype chain on every packet read.
 */
const SLOT_OF: ReadonlyMap<string, string> = new Map(Object.entries({
  arp_spa: 'ip_src',
  arp_tpa: 'ip_dst',
  arp_op: 'nw_proto',
  tcp_src: 'tp_src', udp_src: 'tp_src', sctp_src: 'tp_src', icmp_type: 'tp_src', icmpv6_type: 'tp_src',
  tcp_dst: 'tp_dst', udp_dst: 'tp_dst', sctp_dst: 'tp_dst', icmp_code: 'tp_dst', icmpv6_code: 'tp_dst',
  in_port_oxm: 'in_port',
}));

const VLAN_CFI = 0x1000n;

function slot(name: string): string {
  return SLOT_OF.get(name) ?? name;
}

/** Names read and written through another field's bits (`vlan_tci`). */
const OVERLAID: ReadonlySet<string> = new Set(['dl_vlan', 'vlan_vid', 'dl_vlan_pcp', 'vlan_pcp']);

/** Reads one field of a packet; `fieldReader(name)(p) === readField(p, name)` for every packet. */
export type FieldReader = (p: Packet) => bigint;

const READERS = new Map<string, FieldReader>();

/**
 * A reader for one field name with the name's slot resolved once, for hot loops (flow checks are
 * read thousands of times per trace). Overlays (`dl_vlan`, `xreg0`...) go through `readField`.
 */
export function fieldReader(name: string): FieldReader {
  let r = READERS.get(name);
  if (r === undefined) {
    const overlay = OVERLAID.has(name) || /^x{1,2}reg\d+$/.test(name);
    const key = slot(name);
    r = overlay ? (p: Packet): bigint => readField(p, name) : (p: Packet): bigint => p.fields.get(key) ?? 0n;
    READERS.set(name, r);
  }
  return r;
}

/** Reads a field by any canonical name, composing overlays (`vlan_vid`, `xreg1`, `xxreg0`). */
export function readField(p: Packet, name: string): bigint {
  const f = p.fields;
  switch (name) {
    case 'dl_vlan': {
      const tci = f.get('vlan_tci') ?? 0n;
      return tci & VLAN_CFI ? tci & 0xfffn : 0xffffn; // OVS: dl_vlan=0xffff means "no tag"
    }
    case 'vlan_vid': return (f.get('vlan_tci') ?? 0n) & 0x1fffn;
    case 'dl_vlan_pcp':
    case 'vlan_pcp': return ((f.get('vlan_tci') ?? 0n) >> 13n) & 7n;
    default: break;
  }
  // Overlaid registers are rare in flows; test the first letter before paying for a regex on every read.
  const x = name.charCodeAt(0) === 120 ? /^(x{1,2})reg(\d+)$/.exec(name) : null;
  if (x) {
    const width = x[1] === 'x' ? 2 : 4;
    const first = Number(x[2]) * width;
    let v = 0n;
    for (let i = 0; i < width; i++) v = (v << 32n) | (f.get(`reg${first + i}`) ?? 0n);
    return v;
  }
  return f.get(slot(name)) ?? 0n;
}

/** A copy with `name` (any canonical name) set to `value` under `mask` (default: whole field). */
export function withField(p: Packet, name: string, value: bigint, mask?: bigint): Packet {
  // A write that changes nothing (the in_port restored after a resubmit, a load of the value
  // already there) keeps the packet: copying the map is most of the cost of a write.
  if (!OVERLAID.has(name) && name.charCodeAt(0) !== 120) {
    const old = p.fields.get(slot(name));
    if (old !== undefined && (mask === undefined ? value : (old & ~mask) | (value & mask)) === old) return p;
  }
  const next = new Map(p.fields);
  writeInto(next, name, value, mask);
  return { fields: next };
}

export function withFields(p: Packet, values: Readonly<Record<string, bigint>>): Packet {
  const next = new Map(p.fields);
  for (const [k, v] of Object.entries(values)) writeInto(next, k, v);
  return { fields: next };
}

function writeInto(f: Map<string, bigint>, name: string, value: bigint, mask?: bigint): void {
  const merge = (old: bigint, v: bigint, m: bigint | undefined): bigint => (m === undefined ? v : (old & ~m) | (v & m));
  switch (name) {
    case 'dl_vlan': {
      const tci = f.get('vlan_tci') ?? 0n;
      f.set('vlan_tci', value === 0xffffn ? 0n : (tci & ~0xfffn) | VLAN_CFI | (value & 0xfffn));
      return;
    }
    case 'vlan_vid': {
      const tci = f.get('vlan_tci') ?? 0n;
      f.set('vlan_tci', (tci & ~0x1fffn) | merge(tci & 0x1fffn, value, mask));
      return;
    }
    case 'dl_vlan_pcp':
    case 'vlan_pcp': {
      const tci = f.get('vlan_tci') ?? 0n;
      f.set('vlan_tci', (tci & ~0xe000n) | ((value & 7n) << 13n) | VLAN_CFI);
      return;
    }
    default: break;
  }
  const x = name.charCodeAt(0) === 120 ? /^(x{1,2})reg(\d+)$/.exec(name) : null;
  if (x) {
    const width = x[1] === 'x' ? 2 : 4;
    const first = Number(x[2]) * width;
    for (let i = 0; i < width; i++) {
      const shift = BigInt((width - 1 - i) * 32);
      const part = (value >> shift) & 0xffffffffn;
      const partMask = mask === undefined ? undefined : (mask >> shift) & 0xffffffffn;
      const key = `reg${first + i}`;
      f.set(key, merge(f.get(key) ?? 0n, part, partMask));
    }
    return;
  }
  const key = slot(name);
  f.set(key, merge(f.get(key) ?? 0n, value, mask));
}

export const ETH_TYPE = { ipv4: 0x0800n, arp: 0x0806n, ipv6: 0x86ddn, vlan: 0x8100n } as const;
export const IP_PROTO = { icmp: 1n, tcp: 6n, udp: 17n, icmpv6: 58n, vrrp: 112n, sctp: 132n } as const;

export function isIpv4(p: Packet): boolean {
  return readField(p, 'eth_type') === ETH_TYPE.ipv4;
}
export function isIpv6(p: Packet): boolean {
  return readField(p, 'eth_type') === ETH_TYPE.ipv6;
}
export function isArp(p: Packet): boolean {
  return readField(p, 'eth_type') === ETH_TYPE.arp;
}
