import type { Doc } from './iptablesDocs';

/**
 * What ebtables options and targets do, for hovers (ebtables(8), ebtables-nft). ebtables filters
 * Ethernet frames on Linux bridges; libvirt's nwfilter (nova-network, and Neutron ports with
 * nwfilters) writes its anti-spoofing rules in the nat table.
 */
export const EBTABLES_OPTION_DOCS: Readonly<Record<string, string>> = {
  '-p': 'Ethernet protocol (ethertype): `IPv4`, `ARP`, `IPv6`, `RARP` (0x8035), `802_1Q`, a hex number, or `Length` (802.3 frames).',
  '-s': 'Source MAC[/mask], or `Unicast`, `Multicast`, `Broadcast`, `BGA`. `-s ! MAC` = any other source: libvirt\'s no-mac-spoofing drops frames not from the VM\'s MAC.',
  '-d': 'Destination MAC[/mask], or `Unicast`, `Multicast`, `Broadcast`, `BGA`.',
  '-i': 'Bridge port the frame came in on (`+` wildcard).',
  '-o': 'Bridge port the frame will leave by (`+` wildcard).',
  '--logical-in': 'The bridge the frame came in on.',
  '--logical-out': 'The bridge the frame will leave by.',
  '--ip-src': 'IPv4 source address[/mask] (needs `-p IPv4`). `--ip-src ! A` drops every other source: a VIP sent by the VM is dropped unless listed.',
  '--ip-dst': 'IPv4 destination address[/mask].',
  '--ip-proto': 'IP protocol (tcp, udp, vrrp = 112...).',
  '--ip-sport': 'TCP/UDP source port or range.',
  '--ip-dport': 'TCP/UDP destination port or range.',
  '--ip-tos': 'IP ToS byte.',
  '--ip6-src': 'IPv6 source address[/mask] (needs `-p IPv6`).',
  '--ip6-dst': 'IPv6 destination address[/mask].',
  '--ip6-proto': 'IPv6 next header.',
  '--arp-op': 'ARP opcode: Request, Reply, Request_Reverse, Reply_Reverse... (needs `-p ARP` or `-p RARP`).',
  '--arp-ip-src': 'ARP sender IP: libvirt\'s no-arp-spoofing and the linuxbridge agent\'s neutronARP-<tap> chains allow only the port\'s IPs (and, for Neutron, its allowed address pairs): a gratuitous ARP for any other VIP is dropped.',
  '--arp-ip-dst': 'ARP target IP.',
  '--arp-mac-src': 'ARP sender MAC.',
  '--arp-mac-dst': 'ARP target MAC.',
  '--arp-gratuitous': 'Gratuitous ARP (sender IP = target IP).',
  '--vlan-id': '802.1Q VLAN id (needs `-p 802_1Q`).',
  '--pkttype-type': 'Frame type by destination: host, broadcast, multicast, otherhost.',
  '--mark': 'Frame mark value[/mask] (match) or, after `-j mark`, the mark to set.',
  '--log-prefix': 'Log text (the `--log` watcher).',
  '--log-level': 'Syslog level of the log watcher.',
  '--among-src': 'Source MAC[=IP] is in the list. The linuxbridge agent\'s neutronMAC-<tap> chains list the port\'s MAC and its allowed address pairs\' MACs here; other source MACs are dropped.',
  '--among-dst': 'Destination MAC[=IP] is in the list.',
  '--mark-target': 'What happens after `-j mark`: ACCEPT, DROP, CONTINUE or RETURN.',
  '--to-source': '`-j snat`: new source MAC.',
  '--to-destination': '`-j dnat`: new destination MAC.',
  '-j': 'Target: ACCEPT, DROP, CONTINUE, RETURN, an extension (mark, snat, dnat, redirect, arpreply) or a user chain.',
  '-A': 'Append the rule to the chain.',
  '-P': 'Chain policy: what happens at the end of the chain.',
  '-N': 'Create a user chain.',
};

export const EBTABLES_TARGET_DOCS: Readonly<Record<string, Doc>> = {
  ACCEPT: { title: 'ACCEPT — verdict', text: 'The frame leaves this chain accepted (it still goes through the other tables/hooks, and iptables via br_netfilter).' },
  DROP: { title: 'DROP — verdict', text: 'The frame is discarded silently. In libvirt\'s anti-spoofing chains this is where a VIP sent by a VM dies.' },
  RETURN: { title: 'RETURN — back to the calling chain', text: 'Continue after the rule that jumped here; at the end of a built-in chain the policy applies. libvirt\'s `I-…` chains RETURN for the allowed MAC/IP.' },
  CONTINUE: { title: 'CONTINUE — next rule', text: 'Go on with the next rule (also the meaning of a rule without `-j`).' },
  mark: { title: 'mark — set the frame mark', text: 'Sets the mark (`--mark-set`), then applies `--mark-target` (default ACCEPT).' },
  snat: { title: 'snat — rewrite the source MAC', text: '`--to-source MAC`, then `--snat-target` (default ACCEPT).' },
  dnat: { title: 'dnat — rewrite the destination MAC', text: '`--to-destination MAC`, then `--dnat-target` (default ACCEPT).' },
  redirect: { title: 'redirect — to the bridge itself', text: 'Sets the destination MAC to the bridge\'s own.' },
  arpreply: { title: 'arpreply — answer ARP requests', text: 'Replies to an ARP request with `--arpreply-mac` and drops the request.' },
};

export const EBTABLES_TABLE_DOCS: Readonly<Record<string, Doc>> = {
  filter: { title: 'filter table', text: 'INPUT (frames for the bridge itself), FORWARD (frames bridged between ports), OUTPUT.' },
  nat: { title: 'nat table', text: 'PREROUTING (frames as they enter a port), OUTPUT, POSTROUTING (as they leave). libvirt nwfilter\'s anti-spoofing chains hang off PREROUTING/POSTROUTING here.' },
  broute: { title: 'broute table', text: 'BROUTING: decides whether a frame is bridged or routed (DROP here means "route it").' },
};
