/**
 * What this parser knows about iptables extensions: for each match module and target, its options
 * and how many values each takes (`--tcp-flags SYN,ACK SYN` takes 2, `--physdev-is-bridged` 0).
 * Taken from the iptables-extensions(8) man page and the libxt_*.c save functions.
 * A module or option missing here is still kept (with its text) and warned about, never dropped.
 */
export type OptionArity = Readonly<Record<string, number>>;

const tcpUdpPorts = { '--sport': 1, '--source-port': 1, '--dport': 1, '--destination-port': 1 } as const;

export const IPTABLES_MATCHES: Readonly<Record<string, OptionArity>> = {
  tcp: { ...tcpUdpPorts, '--tcp-flags': 2, '--syn': 0, '--tcp-option': 1 },
  udp: tcpUdpPorts,
  udplite: tcpUdpPorts,
  dccp: { ...tcpUdpPorts, '--dccp-types': 1, '--dccp-option': 1 },
  sctp: { ...tcpUdpPorts, '--chunk-types': 2 },
  icmp: { '--icmp-type': 1 },
  icmp6: { '--icmpv6-type': 1 },
  multiport: { '--sports': 1, '--source-ports': 1, '--dports': 1, '--destination-ports': 1, '--ports': 1 },
  physdev: { '--physdev-in': 1, '--physdev-out': 1, '--physdev-is-in': 0, '--physdev-is-out': 0, '--physdev-is-bridged': 0 },
  mac: { '--mac-source': 1 },
  state: { '--state': 1 },
  conntrack: {
    '--ctstate': 1, '--ctproto': 1, '--ctorigsrc': 1, '--ctorigdst': 1, '--ctreplsrc': 1, '--ctrepldst': 1,
    '--ctorigsrcport': 1, '--ctorigdstport': 1, '--ctreplsrcport': 1, '--ctrepldstport': 1,
    '--ctstatus': 1, '--ctexpire': 1, '--ctdir': 1,
  },
  comment: { '--comment': 1 },
  set: {
    '--match-set': 2, '--set': 2, '--return-nomatch': 0, '--update-counters': 0, '--update-subcounters': 0,
    '--packets-eq': 1, '--packets-lt': 1, '--packets-gt': 1, '--bytes-eq': 1, '--bytes-lt': 1, '--bytes-gt': 1,
  },
  mark: { '--mark': 1 },
  connmark: { '--mark': 1 },
  addrtype: { '--src-type': 1, '--dst-type': 1, '--limit-iface-in': 0, '--limit-iface-out': 0 },
  limit: { '--limit': 1, '--limit-burst': 1 },
  hashlimit: {
    '--hashlimit-upto': 1, '--hashlimit-above': 1, '--hashlimit-burst': 1, '--hashlimit-mode': 1,
    '--hashlimit-srcmask': 1, '--hashlimit-dstmask': 1, '--hashlimit-name': 1, '--hashlimit-htable-size': 1,
    '--hashlimit-htable-max': 1, '--hashlimit-htable-expire': 1, '--hashlimit-htable-gcinterval': 1,
    '--hashlimit': 1, '--hashlimit-rate-match': 0, '--hashlimit-rate-interval': 1,
  },
  iprange: { '--src-range': 1, '--dst-range': 1 },
  recent: {
    '--name': 1, '--set': 0, '--rsource': 0, '--rdest': 0, '--mask': 1, '--rcheck': 0, '--update': 0,
    '--remove': 0, '--seconds': 1, '--reap': 0, '--hitcount': 1, '--rttl': 0,
  },
  pkttype: { '--pkt-type': 1 },
  ttl: { '--ttl-eq': 1, '--ttl-gt': 1, '--ttl-lt': 1 },
  hl: { '--hl-eq': 1, '--hl-gt': 1, '--hl-lt': 1 },
  length: { '--length': 1 },
  tos: { '--tos': 1 },
  dscp: { '--dscp': 1, '--dscp-class': 1 },
  ecn: { '--ecn-tcp-cwr': 0, '--ecn-tcp-ece': 0, '--ecn-ip-ect': 1 },
  owner: { '--uid-owner': 1, '--gid-owner': 1, '--socket-exists': 0, '--suppl-groups': 0 },
  statistic: { '--mode': 1, '--probability': 1, '--every': 1, '--packet': 1 },
  rpfilter: { '--loose': 0, '--validmark': 0, '--accept-local': 0, '--invert': 0 },
  string: { '--algo': 1, '--from': 1, '--to': 1, '--string': 1, '--hex-string': 1, '--icase': 0 },
  helper: { '--helper': 1 },
  policy: {
    '--dir': 1, '--pol': 1, '--strict': 0, '--reqid': 1, '--spi': 1, '--proto': 1, '--mode': 1,
    '--tunnel-src': 1, '--tunnel-dst': 1, '--next': 0,
  },
  devgroup: { '--src-group': 1, '--dst-group': 1 },
  socket: { '--transparent': 0, '--nowildcard': 0, '--restore-skmark': 0 },
  tcpmss: { '--mss': 1 },
  connlimit: { '--connlimit-upto': 1, '--connlimit-above': 1, '--connlimit-mask': 1, '--connlimit-saddr': 0, '--connlimit-daddr': 0 },
  connbytes: { '--connbytes': 1, '--connbytes-dir': 1, '--connbytes-mode': 1 },
  time: {
    '--datestart': 1, '--datestop': 1, '--timestart': 1, '--timestop': 1, '--monthdays': 1, '--weekdays': 1,
    '--kerneltz': 0, '--contiguous': 0, '--utc': 0, '--localtz': 0,
  },
  u32: { '--u32': 1 },
  esp: { '--espspi': 1 },
  ah: { '--ahspi': 1, '--ahlen': 1, '--ahres': 0 },
  frag: { '--fragid': 1, '--fraglen': 1, '--fragres': 0, '--fragfirst': 0, '--fragmore': 0, '--fraglast': 0 },
  ipv6header: { '--header': 1, '--soft': 0 },
  rt: { '--rt-type': 1, '--rt-segsleft': 1, '--rt-len': 1, '--rt-0-res': 0, '--rt-0-addrs': 1, '--rt-0-not-strict': 0 },
  quota: { '--quota': 1 },
  cgroup: { '--path': 1, '--cgroup': 1 },
  cpu: { '--cpu': 1 },
  realm: { '--realm': 1 },
  nfacct: { '--nfacct-name': 1 },
  ipvs: { '--ipvs': 0, '--vproto': 1, '--vaddr': 1, '--vport': 1, '--vdir': 1, '--vmethod': 1, '--vportctl': 1 },
  bpf: { '--bytecode': 1, '--object-pinned': 1 },
};

/** Module aliases iptables accepts on input; saved dumps use the canonical name. */
export const IPTABLES_MATCH_ALIASES: Readonly<Record<string, string>> = {
  icmpv6: 'icmp6',
  'ipv6-icmp': 'icmp6',
};

/** Targets that are verdicts or built-in to the standard target: no options. */
export const STANDARD_TARGETS: ReadonlySet<string> = new Set(['ACCEPT', 'DROP', 'RETURN', 'QUEUE']);

export const IPTABLES_TARGETS: Readonly<Record<string, OptionArity>> = {
  REJECT: { '--reject-with': 1 },
  LOG: {
    '--log-level': 1, '--log-prefix': 1, '--log-tcp-sequence': 0, '--log-tcp-options': 0,
    '--log-ip-options': 0, '--log-uid': 0, '--log-macdecode': 0,
  },
  NFLOG: { '--nflog-group': 1, '--nflog-prefix': 1, '--nflog-range': 1, '--nflog-size': 1, '--nflog-threshold': 1 },
  ULOG: { '--ulog-nlgroup': 1, '--ulog-prefix': 1, '--ulog-cprange': 1, '--ulog-qthreshold': 1 },
  MARK: { '--set-mark': 1, '--set-xmark': 1, '--and-mark': 1, '--or-mark': 1, '--xor-mark': 1 },
  CONNMARK: {
    '--set-mark': 1, '--set-xmark': 1, '--save-mark': 0, '--restore-mark': 0, '--nfmask': 1, '--ctmask': 1,
    '--mask': 1, '--and-mark': 1, '--or-mark': 1, '--xor-mark': 1, '--left-shift-mark': 1, '--right-shift-mark': 1,
  },
  CT: {
    '--notrack': 0, '--helper': 1, '--ctevents': 1, '--expevents': 1, '--zone': 1, '--zone-orig': 1,
    '--zone-reply': 1, '--timeout': 1,
  },
  NOTRACK: {},
  DNAT: { '--to-destination': 1, '--random': 0, '--persistent': 0, '--random-fully': 0 },
  SNAT: { '--to-source': 1, '--random': 0, '--persistent': 0, '--random-fully': 0 },
  MASQUERADE: { '--to-ports': 1, '--random': 0, '--random-fully': 0 },
  REDIRECT: { '--to-ports': 1, '--random': 0 },
  NETMAP: { '--to': 1 },
  TCPMSS: { '--set-mss': 1, '--clamp-mss-to-pmtu': 0 },
  CHECKSUM: { '--checksum-fill': 0 },
  TTL: { '--ttl-set': 1, '--ttl-dec': 1, '--ttl-inc': 1 },
  HL: { '--hl-set': 1, '--hl-dec': 1, '--hl-inc': 1 },
  TOS: { '--set-tos': 1, '--and-tos': 1, '--or-tos': 1, '--xor-tos': 1 },
  DSCP: { '--set-dscp': 1, '--set-dscp-class': 1 },
  CLASSIFY: { '--set-class': 1 },
  SET: { '--add-set': 2, '--del-set': 2, '--map-set': 2, '--timeout': 1, '--exist': 0, '--map-mark': 0, '--map-prio': 0, '--map-queue': 0 },
  NFQUEUE: { '--queue-num': 1, '--queue-balance': 1, '--queue-bypass': 0, '--queue-cpu-fanout': 0, '--fail-open': 0 },
  TRACE: {},
  AUDIT: { '--type': 1 },
  CONNSECMARK: { '--save': 0, '--restore': 0 },
  SECMARK: { '--selctx': 1 },
  TEE: { '--gateway': 1 },
  TPROXY: { '--on-port': 1, '--on-ip': 1, '--tproxy-mark': 1 },
  SYNPROXY: { '--sack-perm': 0, '--timestamp': 0, '--wscale': 1, '--mss': 1, '--ecn': 0 },
};

/** Protocols whose match module iptables loads by itself for `-p P --dport ...` (no `-m P`). */
export const IMPLICIT_PROTOCOL_MODULES: Readonly<Record<string, string>> = {
  tcp: 'tcp',
  udp: 'udp',
  udplite: 'udplite',
  sctp: 'sctp',
  dccp: 'dccp',
  icmp: 'icmp',
  'ipv6-icmp': 'icmp6',
  icmpv6: 'icmp6',
};

/** Long spellings iptables-save never prints, folded to the short names it does print. */
export const OPTION_ALIASES: Readonly<Record<string, string>> = {
  '--source-port': '--sport',
  '--destination-port': '--dport',
  '--source-ports': '--sports',
  '--destination-ports': '--dports',
};

export function matchOptionArity(module: string, option: string): number | undefined {
  const table = IPTABLES_MATCHES[module];
  return table ? table[option] : undefined;
}

export function targetOptionArity(target: string, option: string): number | undefined {
  const table = IPTABLES_TARGETS[target];
  return table ? table[option] : undefined;
}
