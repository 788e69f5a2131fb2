/**
 * IP protocol names as `/etc/protocols` spells them, which is what ebtables prints for
 * `--ip-proto` / `--ip6-proto` (`vrrp` for keepalived's 112 matters for VIP debugging).
 */
export const IP_PROTOCOLS: Readonly<Record<string, number>> = {
  hopopt: 0,
  icmp: 1,
  igmp: 2,
  ipencap: 4,
  tcp: 6,
  egp: 8,
  igp: 9,
  udp: 17,
  dccp: 33,
  ipv6: 41,
  'ipv6-route': 43,
  'ipv6-frag': 44,
  rsvp: 46,
  gre: 47,
  esp: 50,
  ah: 51,
  'ipv6-icmp': 58,
  icmpv6: 58,
  'ipv6-nonxt': 59,
  'ipv6-opts': 60,
  ospf: 89,
  ipip: 94,
  etherip: 97,
  encap: 98,
  pim: 103,
  ipcomp: 108,
  vrrp: 112,
  l2tp: 115,
  isis: 124,
  sctp: 132,
  fc: 133,
  'mobility-header': 135,
  udplite: 136,
  'mpls-in-ip': 137,
  hip: 139,
  shim6: 140,
  wesp: 141,
  rohc: 142,
};

export function ipProtocolByName(name: string): number | undefined {
  return IP_PROTOCOLS[name.toLowerCase()];
}
