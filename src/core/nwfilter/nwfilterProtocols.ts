/**
 * Protocol elements of an nwfilter `<rule>` (libvirt's formatnwfilter), and the ebtables/
 * iptables layer each one becomes: `ebtables` for layer-2 and the `ip`/`ipv6` elements,
 * `iptables` / `ip6tables` for the layer-4 ones (which the ebtables listing never shows).
 */
export const NWFILTER_PROTOCOL_LAYER: Readonly<Record<string, 'ebtables' | 'iptables' | 'ip6tables'>> = {
  mac: 'ebtables',
  vlan: 'ebtables',
  stp: 'ebtables',
  arp: 'ebtables',
  rarp: 'ebtables',
  ip: 'ebtables',
  ipv6: 'ebtables',
  tcp: 'iptables',
  udp: 'iptables',
  udplite: 'iptables',
  esp: 'iptables',
  ah: 'iptables',
  sctp: 'iptables',
  icmp: 'iptables',
  igmp: 'iptables',
  all: 'iptables',
  'tcp-ipv6': 'ip6tables',
  'udp-ipv6': 'ip6tables',
  'udplite-ipv6': 'ip6tables',
  'esp-ipv6': 'ip6tables',
  'ah-ipv6': 'ip6tables',
  'sctp-ipv6': 'ip6tables',
  icmpv6: 'ip6tables',
  'all-ipv6': 'ip6tables',
};

export const NWFILTER_PROTOCOLS: ReadonlySet<string> = new Set(Object.keys(NWFILTER_PROTOCOL_LAYER));
