/**
 * Names iptables prints instead of numbers: protocols (`/etc/protocols`), services
 * (`/etc/services`, used by `-L` without `-n`: `dpt:ssh`) and ICMP types (`icmp echo-request`).
 * Only the common ones: an unknown name is kept as text and reported, never guessed.
 */
export const IP_PROTOCOL_NUMBERS: Readonly<Record<string, number>> = {
  icmp: 1, igmp: 2, ipencap: 4, tcp: 6, egp: 8, udp: 17, ipv6: 41, 'ipv6-route': 43, 'ipv6-frag': 44,
  rsvp: 46, gre: 47, esp: 50, ah: 51, 'ipv6-icmp': 58, 'ipv6-nonxt': 59, 'ipv6-opts': 60, ospf: 89,
  pim: 103, vrrp: 112, l2tp: 115, sctp: 132, udplite: 136, mpls: 137,
};

const PROTOCOL_BY_NUMBER: ReadonlyMap<number, string> = new Map(Object.entries(IP_PROTOCOL_NUMBERS).map(([k, v]) => [v, k]));

/**
 * Canonical protocol text: lower-case name when known (`6` -> `tcp`, `TCP` -> `tcp`, `icmpv6` ->
 * `ipv6-icmp`), other numbers as digits. `all` and `0` mean "any": returns undefined.
 */
export function canonicalProtocol(text: string): string | undefined {
  const t = text.toLowerCase();
  if (t === 'all' || t === '0') return undefined;
  if (t === 'icmpv6') return 'ipv6-icmp';
  if (/^\d+$/.test(t)) return PROTOCOL_BY_NUMBER.get(Number(t)) ?? String(Number(t));
  return t;
}

export const SERVICE_PORTS: Readonly<Record<string, number>> = {
  'ftp-data': 20, ftp: 21, ssh: 22, telnet: 23, smtp: 25, domain: 53, bootps: 67, bootpc: 68, tftp: 69,
  http: 80, www: 80, kerberos: 88, pop3: 110, sunrpc: 111, ntp: 123, 'netbios-ns': 137, 'netbios-dgm': 138,
  'netbios-ssn': 139, imap2: 143, imap: 143, snmp: 161, 'snmp-trap': 162, bgp: 179, ldap: 389, https: 443,
  'microsoft-ds': 445, isakmp: 500, syslog: 514, 'dhcpv6-client': 546, 'dhcpv6-server': 547, ipp: 631,
  ldaps: 636, rsync: 873, imaps: 993, pop3s: 995, openvpn: 1194, l2tp: 1701, pptp: 1723, radius: 1812,
  nfs: 2049, mysql: 3306, 'ipsec-nat-t': 4500, epmd: 4369, sip: 5060, postgresql: 5432, amqp: 5672, mdns: 5353,
  'x11': 6000, 'http-alt': 8080, webcache: 8080, 'zabbix-agent': 10050, 'zabbix-trapper': 10051, memcache: 11211,
};

/** `ssh` -> `22`, `1024` -> `1024`; unknown names -> undefined. */
export function servicePort(text: string): string | undefined {
  if (/^\d+$/.test(text)) return text;
  const n = SERVICE_PORTS[text];
  return n === undefined ? undefined : String(n);
}

/** iptables' ICMP names and the `type[/code]` they stand for (libipt_icmp.c icmp_codes). */
export const ICMP_TYPE_NAMES: Readonly<Record<string, string>> = {
  any: 'any', 'echo-reply': '0', pong: '0', 'destination-unreachable': '3', 'network-unreachable': '3/0',
  'host-unreachable': '3/1', 'protocol-unreachable': '3/2', 'port-unreachable': '3/3',
  'fragmentation-needed': '3/4', 'source-route-failed': '3/5', 'network-unknown': '3/6', 'host-unknown': '3/7',
  'network-prohibited': '3/9', 'host-prohibited': '3/10', 'TOS-network-unreachable': '3/11',
  'TOS-host-unreachable': '3/12', 'communication-prohibited': '3/13', 'host-precedence-violation': '3/14',
  'precedence-cutoff': '3/15', 'source-quench': '4', redirect: '5', 'network-redirect': '5/0',
  'host-redirect': '5/1', 'TOS-network-redirect': '5/2', 'TOS-host-redirect': '5/3', 'echo-request': '8',
  ping: '8', 'router-advertisement': '9', 'router-solicitation': '10', 'time-exceeded': '11',
  'ttl-exceeded': '11', 'ttl-zero-during-transit': '11/0', 'ttl-zero-during-reassembly': '11/1',
  'parameter-problem': '12', 'ip-header-bad': '12/0', 'required-option-missing': '12/1',
  'timestamp-request': '13', 'timestamp-reply': '14', 'address-mask-request': '17', 'address-mask-reply': '18',
};

export const ICMPV6_TYPE_NAMES: Readonly<Record<string, string>> = {
  'destination-unreachable': '1', 'no-route': '1/0', 'communication-prohibited': '1/1', 'beyond-scope': '1/2',
  'address-unreachable': '1/3', 'port-unreachable': '1/4', 'failed-policy': '1/5', 'reject-route': '1/6',
  'packet-too-big': '2', 'time-exceeded': '3', 'ttl-exceeded': '3', 'ttl-zero-during-transit': '3/0',
  'ttl-zero-during-reassembly': '3/1', 'parameter-problem': '4', 'bad-header': '4/0',
  'unknown-header-type': '4/1', 'unknown-option': '4/2', 'echo-request': '128', ping: '128',
  'echo-reply': '129', pong: '129', 'router-solicitation': '133', 'router-advertisement': '134',
  'neighbour-solicitation': '135', 'neighbor-solicitation': '135', 'neighbour-advertisement': '136',
  'neighbor-advertisement': '136', redirect: '137',
};

/** Built-in chains of each table, in kernel hook order. */
export const BUILTIN_CHAINS: Readonly<Record<string, readonly string[]>> = {
  raw: ['PREROUTING', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  security: ['INPUT', 'FORWARD', 'OUTPUT'],
};

export const TABLE_NAMES: ReadonlySet<string> = new Set(Object.keys(BUILTIN_CHAINS));
