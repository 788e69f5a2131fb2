/**
 * Ethernet type names as ebtables prints them (`-p IPv4`, `--vlan-encap 802_1Q`), from the
 * `/etc/ethertypes` shipped with ebtables and netbase. Names match case-insensitively, as
 * ebtables does; aliases are the extra names on the same line of that file.
 */
export interface Ethertype {
  readonly name: string;
  readonly value: number;
  readonly aliases: readonly string[];
}

export const ETHERTYPES: readonly Ethertype[] = [
  { name: 'IPv4', value: 0x0800, aliases: ['ip', 'ip4'] },
  { name: 'X25', value: 0x0805, aliases: [] },
  { name: 'ARP', value: 0x0806, aliases: ['ether-arp'] },
  { name: 'FR_ARP', value: 0x0808, aliases: [] },
  { name: 'BPQ', value: 0x08ff, aliases: [] },
  { name: 'TRILL', value: 0x22f3, aliases: [] },
  { name: 'L2-IS-IS', value: 0x22f4, aliases: [] },
  { name: 'DEC', value: 0x6000, aliases: [] },
  { name: 'DNA_DL', value: 0x6001, aliases: [] },
  { name: 'DNA_RC', value: 0x6002, aliases: [] },
  { name: 'DNA_RT', value: 0x6003, aliases: [] },
  { name: 'LAT', value: 0x6004, aliases: [] },
  { name: 'DIAG', value: 0x6005, aliases: [] },
  { name: 'CUST', value: 0x6006, aliases: [] },
  { name: 'SCA', value: 0x6007, aliases: [] },
  { name: 'TEB', value: 0x6558, aliases: [] },
  { name: 'RAW_FR', value: 0x6559, aliases: [] },
  { name: 'RARP', value: 0x8035, aliases: [] },
  { name: 'AARP', value: 0x80f3, aliases: [] },
  { name: 'ATALK', value: 0x809b, aliases: [] },
  { name: '802_1Q', value: 0x8100, aliases: ['8021q', '1q', '802.1q', 'dot1q'] },
  { name: 'IPX', value: 0x8137, aliases: [] },
  { name: 'NetBEUI', value: 0x8191, aliases: [] },
  { name: 'IPv6', value: 0x86dd, aliases: ['ip6'] },
  { name: 'PPP', value: 0x880b, aliases: [] },
  { name: 'MPLS', value: 0x8847, aliases: [] },
  { name: 'MPLS_MULTI', value: 0x8848, aliases: [] },
  { name: 'ATMMPOA', value: 0x884c, aliases: [] },
  { name: 'PPP_DISC', value: 0x8863, aliases: [] },
  { name: 'PPP_SES', value: 0x8864, aliases: [] },
  { name: 'ATMFATE', value: 0x8884, aliases: [] },
  { name: 'EAPOL', value: 0x888e, aliases: [] },
  { name: 'S-TAG', value: 0x88a8, aliases: [] },
  { name: 'EAP_PREAUTH', value: 0x88c7, aliases: [] },
  { name: 'LLDP', value: 0x88cc, aliases: [] },
  { name: 'MACSEC', value: 0x88e5, aliases: [] },
  { name: 'PBB', value: 0x88e7, aliases: ['macinmac'] },
  { name: 'MVRP', value: 0x88f5, aliases: [] },
  { name: 'PTP', value: 0x88f7, aliases: [] },
  { name: 'FCOE', value: 0x8906, aliases: [] },
  { name: 'FIP', value: 0x8914, aliases: [] },
  { name: 'ROCE', value: 0x8915, aliases: [] },
  { name: 'LOOP', value: 0x9000, aliases: ['loopback'] },
  { name: 'LoWPAN', value: 0xa0ed, aliases: [] },
];

const byName = new Map<string, Ethertype>();
for (const e of ETHERTYPES) {
  byName.set(e.name.toLowerCase(), e);
  for (const a of e.aliases) byName.set(a.toLowerCase(), e);
}

const byExactName = new Map(ETHERTYPES.map((e) => [e.name, e]));

export function ethertypeByName(name: string): Ethertype | undefined {
  return byExactName.get(name) ?? byName.get(name.toLowerCase());
}

export function ethertypeByValue(value: number): Ethertype | undefined {
  return ETHERTYPES.find((e) => e.value === value);
}
