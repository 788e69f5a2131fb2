/** Names iptables accepts for `-p` and what `--icmp-type` names mean, as data. */
export const IP_PROTOCOL_NUMBERS: Readonly<Record<string, number>> = {
  icmp: 1, igmp: 2, ipip: 4, tcp: 6, egp: 8, udp: 17, ipv6: 41, rsvp: 46, gre: 47, esp: 50, ah: 51,
  'ipv6-icmp': 58, icmpv6: 58, 'icmp6': 58, ospf: 89, pim: 103, vrrp: 112, l2tp: 115, sctp: 132, udplite: 136, mh: 135,
};

export const ICMP_TYPES: Readonly<Record<string, [number, number | undefined]>> = {
  'echo-reply': [0, undefined], pong: [0, undefined],
  'destination-unreachable': [3, undefined], 'network-unreachable': [3, 0], 'host-unreachable': [3, 1],
  'protocol-unreachable': [3, 2], 'port-unreachable': [3, 3], 'fragmentation-needed': [3, 4],
  'source-quench': [4, undefined], redirect: [5, undefined], 'echo-request': [8, undefined], ping: [8, undefined],
  'router-advertisement': [9, undefined], 'router-solicitation': [10, undefined],
  'time-exceeded': [11, undefined], ttl_exceeded: [11, undefined], 'parameter-problem': [12, undefined],
  'timestamp-request': [13, undefined], 'timestamp-reply': [14, undefined],
};

export const ICMPV6_TYPES: Readonly<Record<string, [number, number | undefined]>> = {
  'destination-unreachable': [1, undefined], 'packet-too-big': [2, undefined], 'time-exceeded': [3, undefined],
  'parameter-problem': [4, undefined], 'echo-request': [128, undefined], 'echo-reply': [129, undefined],
  'router-solicitation': [133, undefined], 'router-advertisement': [134, undefined],
  'neighbour-solicitation': [135, undefined], 'neighbor-solicitation': [135, undefined],
  'neighbour-advertisement': [136, undefined], 'neighbor-advertisement': [136, undefined], redirect: [137, undefined],
};

/** Match modules that never change whether a packet matches in a single-packet simulation. */
export const ALWAYS_MATCHING_MODULES = new Set(['comment', 'limit', 'hashlimit', 'statistic-none']);

/** Targets that only observe or mark, and let the walk go on to the next rule. */
export const NON_TERMINATING_TARGETS = new Set(['LOG', 'NFLOG', 'ULOG', 'TRACE', 'CONNMARK', 'CHECKSUM', 'TCPMSS',
  'DSCP', 'TOS', 'CLASSIFY', 'AUDIT', 'NOTRACK', 'CT', 'TTL', 'HL', 'SECMARK', 'CONNSECMARK', 'IDLETIMER', 'LED',
  'SET', 'NETMAP-none']);
