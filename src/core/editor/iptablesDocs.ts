/**
 * What iptables' match modules, options and targets do, for hovers: one short paragraph each,
 * written from iptables(8) / iptables-extensions(8), with the caveats that matter when debugging
 * OpenStack hosts. Data only: a missing entry means "no hover", never an error.
 */
export interface Doc {
  /** One line: what it is. */
  readonly title: string;
  /** A short paragraph: what it does and what to watch for. */
  readonly text: string;
}

export const IPTABLES_MATCH_DOCS: Readonly<Record<string, Doc>> = {
  physdev: {
    title: 'physdev — bridge ports of a bridged packet',
    text: 'Matches the Linux bridge ports a bridged packet enters (`--physdev-in`) or leaves (`--physdev-out`) by, when `br_netfilter` sends bridged traffic through iptables (`net.bridge.bridge-nf-call-iptables=1`). Neutron\'s iptables firewalls use it to catch traffic of a VM\'s tap on its bridge (the per-port qbr of the OVS hybrid plug, or the network\'s brq with the linuxbridge agent). `--physdev-is-bridged` matches only bridged (not routed) packets.',
  },
  state: {
    title: 'state — connection tracking state (old spelling of conntrack --ctstate)',
    text: 'Matches the conntrack state: `NEW`, `ESTABLISHED`, `RELATED`, `INVALID`, `UNTRACKED`. Same as `-m conntrack --ctstate`.',
  },
  conntrack: {
    title: 'conntrack — connection tracking',
    text: 'Matches the packet\'s connection: `--ctstate NEW|ESTABLISHED|RELATED|INVALID|UNTRACKED|SNAT|DNAT`, original/reply addresses and ports, `--ctstatus`, `--ctdir`. Neutron drops `--ctstate INVALID` and returns `RELATED,ESTABLISHED` early; a packet conntrack sees as INVALID (e.g. asymmetric routing of a VIP) is dropped before any security group rule.',
  },
  mac: {
    title: 'mac — source MAC address',
    text: '`--mac-source XX:XX:XX:XX:XX:XX` matches the Ethernet source address (PREROUTING, INPUT, FORWARD only). Neutron\'s spoof chain (`neutron-openvswi-s…`, `neutron-linuxbri-s…`) pairs it with `-s IP` to allow only the port\'s fixed IPs and allowed address pairs.',
  },
  comment: {
    title: 'comment — a note, matches everything',
    text: '`--comment "text"` does not match anything: it documents the rule. Neutron explains its rules this way.',
  },
  multiport: {
    title: 'multiport — up to 15 ports or ranges',
    text: '`--dports`, `--sports` or `--ports` (either direction) with a comma list such as `80,443,8000:8100`. Needs `-p tcp|udp|udplite|dccp|sctp`.',
  },
  set: {
    title: 'set — ipset membership',
    text: '`--match-set NAME src|dst[,src|dst…]` matches when the packet\'s addresses (or ports) are in the ipset `NAME` (see `ipset save`). Neutron puts the members of a remote security group in sets named `NIPv4<sg-id prefix>` / `NIPv6…`.',
  },
  mark: {
    title: 'mark — netfilter packet mark',
    text: '`--mark value[/mask]` matches the skb mark set by `-j MARK` (or by OVS/routing policy). Neutron L3 routers mark packets by ingress interface and route on the mark.',
  },
  connmark: {
    title: 'connmark — connection mark',
    text: '`--mark value[/mask]` matches the mark stored on the connection (set by `-j CONNMARK`).',
  },
  addrtype: {
    title: 'addrtype — address type of source/destination',
    text: '`--src-type` / `--dst-type` `LOCAL|UNICAST|BROADCAST|MULTICAST|…`: the kind of address as the routing table sees it. `--dst-type LOCAL` means "addressed to this host".',
  },
  tcp: {
    title: 'tcp — TCP ports and flags',
    text: '`--sport`, `--dport` (port or `first:last`), `--tcp-flags MASK SET`, `--syn` (= `--tcp-flags SYN,RST,ACK,FIN SYN`). Loaded implicitly by `-p tcp`.',
  },
  udp: {
    title: 'udp — UDP ports',
    text: '`--sport`, `--dport` (port or `first:last`). Loaded implicitly by `-p udp`.',
  },
  icmp: {
    title: 'icmp — ICMP type and code',
    text: '`--icmp-type type[/code]` or a name such as `echo-request`. ICMPv6 uses `-m icmp6 --icmpv6-type`.',
  },
  icmp6: {
    title: 'icmp6 — ICMPv6 type and code',
    text: '`--icmpv6-type type[/code]` or a name such as `neighbour-solicitation`. Neutron allows ND and drops router advertisements from VMs.',
  },
  limit: { title: 'limit — rate limit', text: 'Matches until the rate (`--limit 3/min`, burst `--limit-burst`) is exceeded; usually before a LOG target.' },
  iprange: { title: 'iprange — address ranges', text: '`--src-range` / `--dst-range` `first-last`.' },
  pkttype: { title: 'pkttype — link-layer packet type', text: '`--pkt-type unicast|broadcast|multicast`.' },
  length: { title: 'length — packet length', text: '`--length min[:max]` in bytes (layer 3).' },
  owner: { title: 'owner — local socket owner', text: '`--uid-owner` / `--gid-owner` for locally generated packets (OUTPUT, POSTROUTING).' },
  recent: { title: 'recent — addresses seen recently', text: 'Keeps a list of source addresses (`--name`, `--set`, `--update --seconds N --hitcount M`); used for brute-force protection.' },
  helper: { title: 'helper — conntrack helper', text: '`--helper ftp` matches packets of connections handled by that helper.' },
  policy: { title: 'policy — IPsec policy', text: '`--dir in|out --pol ipsec|none` matches by IPsec processing.' },
  rpfilter: { title: 'rpfilter — reverse path filter', text: 'Matches when the reply to the packet would leave by the interface it came in on (strict reverse path check).' },
  hashlimit: { title: 'hashlimit — per-address rate limit', text: 'Like `limit`, per source/destination (`--hashlimit-mode`).' },
  connlimit: { title: 'connlimit — concurrent connections', text: '`--connlimit-above N` matches when a client has more than N connections.' },
  statistic: { title: 'statistic — probabilistic / nth', text: '`--mode random --probability P` or `--mode nth --every N`; kube-proxy load-balances this way.' },
  socket: { title: 'socket — an open local socket', text: 'Matches packets for which a local socket exists (transparent proxy setups).' },
  ttl: { title: 'ttl — IPv4 TTL', text: '`--ttl-eq`, `--ttl-lt`, `--ttl-gt`.' },
  u32: { title: 'u32 — raw bytes', text: 'Matches arbitrary 32-bit words of the packet.' },
};

/** Options that belong to no module (iptables(8) "PARAMETERS" and commands). */
export const IPTABLES_GENERIC_OPTION_DOCS: Readonly<Record<string, Doc>> = {
  '-A': { title: '-A CHAIN — append a rule', text: 'The rule is added at the end of CHAIN; rules are evaluated top to bottom, the first matching rule with a terminating target decides.' },
  '-I': { title: '-I CHAIN [N] — insert a rule', text: 'Inserted at position N (default 1) of CHAIN.' },
  '-P': { title: '-P CHAIN POLICY — built-in chain policy', text: 'What happens to a packet that reaches the end of a built-in chain without a verdict: `ACCEPT` or `DROP`.' },
  '-N': { title: '-N CHAIN — user-defined chain', text: 'Creates a chain that rules enter with `-j CHAIN` (return to the caller at its end or at `RETURN`) or `-g CHAIN` (no return).' },
  '-s': { title: '-s ADDRESS[/MASK] — source address', text: 'Matches the IP source. `! -s` negates. Neutron\'s spoof chain RETURNs only for the port\'s own addresses: a VIP that is not an allowed address pair is dropped here.' },
  '-d': { title: '-d ADDRESS[/MASK] — destination address', text: 'Matches the IP destination. `! -d` negates.' },
  '-p': { title: '-p PROTOCOL — IP protocol', text: 'Name (`tcp`, `udp`, `icmp`, `vrrp`…) or number (112 = VRRP, as keepalived uses). `all`/`0` means any.' },
  '-i': { title: '-i INTERFACE — input interface', text: 'The interface the packet came in on (`+` at the end is a wildcard: `qr-+`). Not known in OUTPUT/POSTROUTING. For bridged packets this is the bridge; see `-m physdev` for the port.' },
  '-o': { title: '-o INTERFACE — output interface', text: 'The interface the packet will leave by (`+` is a wildcard). Not known in PREROUTING/INPUT.' },
  '-f': { title: '-f — non-first fragments', text: 'Matches second and later fragments of a fragmented packet (they carry no ports).' },
  '-j': { title: '-j TARGET — jump', text: 'What to do when the rule matches: a verdict (`ACCEPT`, `DROP`, `REJECT`, `RETURN`), a target extension (`LOG`, `MARK`, `DNAT`…), or a user chain (entered, then back here when it returns).' },
  '-g': { title: '-g CHAIN — goto', text: 'Continue in CHAIN without coming back: a `RETURN` there returns to the chain that called this one.' },
  '-m': { title: '-m MODULE — load a match extension', text: 'The options that follow belong to that module (`-m physdev --physdev-in tap1`).' },
  '-c': { title: '-c PACKETS BYTES — counters', text: 'The rule\'s packet and byte counters, as saved by `iptables-save -c` / `iptables -v -S`.' },
};

/** Options of match modules, by module then option (only those worth a hover). */
export const IPTABLES_OPTION_DOCS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  physdev: {
    '--physdev-in': 'The bridge port the packet entered by (e.g. `tapXXXXXXXX-XX`, the VM\'s tap on its qbr or brq bridge: traffic FROM the VM).',
    '--physdev-out': 'The bridge port the packet will leave by (traffic TO the VM when it is the VM\'s tap).',
    '--physdev-is-bridged': 'Only packets being bridged (not routed or locally delivered).',
    '--physdev-is-in': 'The packet entered through a bridge port.',
    '--physdev-is-out': 'The packet will leave through a bridge port.',
  },
  conntrack: {
    '--ctstate': 'Connection states, comma separated: NEW, ESTABLISHED, RELATED, INVALID, UNTRACKED, SNAT, DNAT.',
    '--ctstatus': 'Conntrack status bits: NONE, EXPECTED, SEEN_REPLY, ASSURED, CONFIRMED.',
    '--ctdir': 'ORIGINAL or REPLY direction of the connection.',
    '--ctproto': 'Layer-4 protocol of the connection.',
    '--ctorigsrc': 'Original source address of the connection.',
    '--ctorigdst': 'Original destination (before DNAT) of the connection.',
  },
  state: { '--state': 'Connection states, comma separated: NEW, ESTABLISHED, RELATED, INVALID, UNTRACKED.' },
  mac: { '--mac-source': 'Ethernet source address the packet must come from.' },
  comment: { '--comment': 'A note on the rule; matches everything.' },
  multiport: {
    '--dports': 'Destination ports, comma list of ports or `first:last` ranges.',
    '--sports': 'Source ports, comma list of ports or ranges.',
    '--ports': 'Source OR destination port in the list.',
  },
  set: { '--match-set': 'NAME then the directions: `src`, `dst`, or `src,dst` for two-dimensional sets.' },
  mark: { '--mark': 'value[/mask]: matches when (mark & mask) == value.' },
  addrtype: { '--src-type': 'Source address type (LOCAL, UNICAST, BROADCAST, MULTICAST…).', '--dst-type': 'Destination address type (LOCAL = addressed to this host).' },
  tcp: {
    '--dport': 'Destination port or `first:last` range.',
    '--sport': 'Source port or `first:last` range.',
    '--tcp-flags': 'MASK SET: of the flags in MASK, exactly those in SET must be set.',
    '--syn': 'A connection-opening SYN (SYN set; RST, ACK, FIN clear).',
  },
  udp: { '--dport': 'Destination port or `first:last` range.', '--sport': 'Source port or `first:last` range.' },
  icmp: { '--icmp-type': 'ICMP type[/code] or name (`echo-request` = 8, `destination-unreachable` = 3).' },
  icmp6: { '--icmpv6-type': 'ICMPv6 type[/code] or name (`router-advertisement` = 134).' },
};

/** Options of targets. */
export const IPTABLES_TARGET_OPTION_DOCS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  REJECT: { '--reject-with': 'The error sent back: `icmp-port-unreachable` (default), `icmp-host-prohibited`, `icmp-admin-prohibited`, `tcp-reset`, `icmp6-adm-prohibited`…' },
  LOG: { '--log-prefix': 'Text put before the kernel log line (search `dmesg` / journal for it).', '--log-level': 'Syslog level of the log line.' },
  MARK: { '--set-xmark': 'value/mask: mark = (mark AND NOT mask) XOR value.', '--set-mark': 'value[/mask]: sets the mark bits.' },
  CT: { '--zone': 'Conntrack zone: Neutron gives each network its own zone so overlapping addresses do not share connections.', '--notrack': 'Do not track the packet (UNTRACKED).' },
  DNAT: { '--to-destination': 'New destination address[:port] (floating IP -> fixed IP on Neutron routers).' },
  SNAT: { '--to-source': 'New source address[:port] (router gateway or floating IP).' },
  MASQUERADE: { '--to-ports': 'Source port range to use.', '--random-fully': 'Fully randomised source ports.' },
};

export const IPTABLES_TARGET_DOCS: Readonly<Record<string, Doc>> = {
  ACCEPT: { title: 'ACCEPT — verdict: let the packet through', text: 'The packet leaves this chain and table accepted; it still goes through the next tables and hooks (and ebtables/OVS on a bridge).' },
  DROP: { title: 'DROP — verdict: discard silently', text: 'The packet is discarded with no answer: the sender sees a timeout. The usual cause of "VIP traffic silently dropped".' },
  REJECT: { title: 'REJECT — verdict: discard with an error', text: 'The packet is discarded and an ICMP error (or TCP reset, `--reject-with`) is sent back.' },
  RETURN: { title: 'RETURN — back to the calling chain', text: 'Stops this chain: processing continues after the rule that jumped here. At the end of a built-in chain the policy applies. In Neutron\'s spoof chain a RETURN means "address allowed".' },
  QUEUE: { title: 'QUEUE — to user space', text: 'Hands the packet to a user-space program (legacy; see NFQUEUE).' },
  LOG: { title: 'LOG — log and continue', text: 'Writes a kernel log line (`--log-prefix`) and continues with the next rule: not a verdict.' },
  NFLOG: { title: 'NFLOG — log via netlink and continue', text: 'Sends the packet to a netlink log group (ulogd); not a verdict.' },
  MARK: { title: 'MARK — set the packet mark and continue', text: 'Sets the skb mark (`--set-xmark`) used by policy routing, `-m mark` and tc; not a verdict.' },
  CONNMARK: { title: 'CONNMARK — set the connection mark', text: 'Sets or copies the connection mark; not a verdict.' },
  DNAT: { title: 'DNAT — rewrite the destination', text: 'nat table: changes the destination (`--to-destination`) for the whole connection, e.g. a floating IP to the VM\'s fixed IP. Terminates the nat chain.' },
  SNAT: { title: 'SNAT — rewrite the source', text: 'nat table, POSTROUTING: changes the source (`--to-source`) for the whole connection, e.g. fixed IP to floating IP or router gateway.' },
  MASQUERADE: { title: 'MASQUERADE — SNAT to the outgoing interface address', text: 'Like SNAT with the address of the interface the packet leaves by.' },
  REDIRECT: { title: 'REDIRECT — to a local port', text: 'DNAT to this host (`--to-ports`), e.g. the metadata proxy on Neutron routers (169.254.169.254:80 -> 9697).' },
  CT: { title: 'CT — conntrack settings', text: 'raw table: sets the conntrack zone (`--zone`), helper or `--notrack` before connection tracking happens. Neutron sets one zone per network.' },
  NOTRACK: { title: 'NOTRACK — do not track', text: 'raw table: the packet is UNTRACKED.' },
  TCPMSS: { title: 'TCPMSS — clamp the TCP MSS', text: 'Rewrites the MSS of SYNs (`--clamp-mss-to-pmtu`).' },
  CHECKSUM: { title: 'CHECKSUM — fill in a checksum', text: 'Computes a missing checksum (DHCP replies to some old clients).' },
  NFQUEUE: { title: 'NFQUEUE — to a user-space queue', text: 'Hands the packet to a user-space program; it decides the verdict.' },
  TRACE: { title: 'TRACE — trace the packet', text: 'raw table: logs every rule the packet traverses (`xtables-monitor --trace`, or the kernel log).' },
  SET: { title: 'SET — add to / delete from an ipset', text: '`--add-set` / `--del-set`; not a verdict.' },
};

/** Tables in kernel order, with their built-in chains. */
export const IPTABLES_TABLE_DOCS: Readonly<Record<string, Doc>> = {
  raw: { title: 'raw table', text: 'Runs first (PREROUTING, OUTPUT), before connection tracking: conntrack zones (`-j CT --zone`) and NOTRACK.' },
  mangle: { title: 'mangle table', text: 'Packet alteration: marks, TOS/DSCP, TTL. All five hooks.' },
  nat: { title: 'nat table', text: 'Address translation, consulted for the first packet of each connection only: DNAT in PREROUTING/OUTPUT, SNAT/MASQUERADE in POSTROUTING.' },
  filter: { title: 'filter table', text: 'Filtering: INPUT (to this host), FORWARD (routed or bridged through it, with br_netfilter), OUTPUT (from this host). Neutron security groups live here.' },
  security: { title: 'security table', text: 'SELinux/MAC labels; after filter.' },
};

export const IPTABLES_BUILTIN_CHAIN_DOCS: Readonly<Record<string, string>> = {
  PREROUTING: 'Packets as they arrive, before the routing decision (raw, mangle, nat).',
  INPUT: 'Packets addressed to this host (or this namespace).',
  FORWARD: 'Packets routed through this host — and, with `bridge-nf-call-iptables=1`, bridged through its Linux bridges (Neutron hybrid firewall).',
  OUTPUT: 'Packets generated by this host.',
  POSTROUTING: 'Packets about to leave, after routing (SNAT here).',
};

export const CTSTATE_DOCS: Readonly<Record<string, string>> = {
  NEW: 'The first packet of a connection conntrack has not seen before.',
  ESTABLISHED: 'A connection that has seen packets in both directions.',
  RELATED: 'A new connection related to an existing one (ICMP errors, FTP data).',
  INVALID: 'A packet conntrack cannot associate with a known connection (e.g. a TCP ACK of a connection it never saw: asymmetric routing).',
  UNTRACKED: 'Exempted from tracking (`-j CT --notrack` in raw).',
  SNAT: 'A connection whose source was translated.',
  DNAT: 'A connection whose destination was translated.',
};

/** Words of the `iptables -L` options column -> the module they come from. */
export const LIST_WORD_MODULES: Readonly<Record<string, string>> = {
  PHYSDEV: 'physdev', MAC: 'mac', ADDRTYPE: 'addrtype', 'match-set': 'set', state: 'state', ctstate: 'conntrack',
  ctstatus: 'conntrack', ctdir: 'conntrack', ctproto: 'conntrack', ctorigsrc: 'conntrack', ctorigdst: 'conntrack',
  multiport: 'multiport', tcp: 'tcp', udp: 'udp', icmp: 'icmp', icmptype: 'icmp', 'ipv6-icmp': 'icmp6', 'ipv6-icmptype': 'icmp6',
  mark: 'mark', connmark: 'connmark', 'limit:': 'limit', 'recent:': 'recent', PKTTYPE: 'pkttype', length: 'length', owner: 'owner',
  statistic: 'statistic', TTL: 'ttl', policy: 'policy', helper: 'helper',
};

/** `dpt:22` style words of the `-L` options column. */
export const LIST_KEY_DOCS: Readonly<Record<string, string>> = {
  dpt: 'destination port', spt: 'source port', dpts: 'destination port range', spts: 'source port range',
  flags: 'TCP flags MASK/SET (or LOG flags)', type: 'ICMP type', code: 'ICMP code', to: 'NAT target address[:port]',
  zone: 'conntrack zone', 'reject-with': 'error sent back by REJECT',
};
