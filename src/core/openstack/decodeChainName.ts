/**
 * What an OpenStack-generated iptables or ebtables chain name says, as operators decode it by eye:
 *   neutron-openvswi-i6d1e3a2b-7   ingress (to the VM) rules of the port whose id starts 6d1e3a2b-7
 *   neutron-openvswi-o6d1e3a2b-7   egress (from the VM) rules of that port
 *   neutron-openvswi-s6d1e3a2b-7   its anti-spoofing chain (allowed source IP/MAC pairs)
 *   neutron-linuxbri-…             the same for the linuxbridge agent
 *   neutronARP-tap5a7c9e1b-3d      ebtables (nat): linuxbridge ARP spoofing protection of that tap
 *   neutronMAC-tap5a7c9e1b-3d      ebtables (nat): linuxbridge MAC spoofing protection of that tap
 *   neutron-l3-agent-float-snat    floating IP SNAT of an L3 router namespace
 *   libvirt-I-tap0678bf1d-41       ebtables/nwfilter: frames coming FROM the VM's interface
 *   I-tap0678bf1d-41-arp-mac       libvirt nwfilter sub-chain (MAC check of ARP from that VM)
 *   nova-compute-inst-42           nova-network security group chain of instance 42
 * Neutron's iptables_manager prefixes chains with the agent's binary name cut to 16 characters,
 * and the firewall keeps one direction letter plus the first 10 characters of the port id
 * (iptables limits chain names to 28); arp_protect.py appends the whole tap name. Unknown names
 * give undefined.
 */
export type ChainKind = 'neutron-port' | 'neutron-agent' | 'neutron-shared' | 'neutron-arp-protect' | 'libvirt' | 'nova' | 'kube-proxy';

export interface DecodedChain {
  readonly kind: ChainKind;
  /** Who writes the chain: `neutron-openvswitch-agent (iptables hybrid firewall)`, `libvirt nwfilter`... */
  readonly owner: string;
  /** What the chain is for, in one sentence. */
  readonly meaning: string;
  /** The Neutron agent's chain prefix without `neutron-` and the trailing dash: `openvswi`, `linuxbri`, `l3-agent`. */
  readonly agent?: string;
  /** Relative to the VM: `ingress` = traffic to it, `egress` = from it, `spoof` = its anti-spoofing. */
  readonly direction?: 'ingress' | 'egress' | 'spoof';
  /** The port id prefix (`6d1e3a2b-7`, `5a7c9e1b-3d`) or, for libvirt, the interface (`tap0678bf1d-41`, `vnet0`). */
  readonly port?: string;
  /** The VM's device, when the name holds all of it (`tap5a7c9e1b-3d`). */
  readonly device?: string;
  /** The start of the VM's device, when the name holds only part of the id (`tap6d1e3a2b-7` + one more character). */
  readonly devicePrefix?: string;
  /** What a per-port sub-chain checks: libvirt `mac`, `ipv4-ip`, `arp-ip`...; linuxbridge `arp` or `mac`. */
  readonly check?: string;
}

/** Neutron agents' 16-character binary names, as chain prefixes. */
export const NEUTRON_CHAIN_PREFIXES: Readonly<Record<string, string>> = {
  'neutron-openvswi-': 'neutron-openvswitch-agent (iptables hybrid firewall)',
  'neutron-linuxbri-': 'neutron-linuxbridge-agent (iptables firewall)',
  'neutron-l3-agent-': 'neutron-l3-agent (router namespace)',
  'neutron-vpn-agen-': 'neutron-vpn-agent (router namespace)',
  'neutron-metering-': 'neutron-metering-agent',
  'neutron-dhcp-age-': 'neutron-dhcp-agent',
};

/** NEUTRON_CHAIN_PREFIXES as pairs, made once: decodeChainName runs on every chain of a host (6,000 on a 2,000-port one). */
const PREFIX_ENTRIES: readonly (readonly [string, string])[] = Object.entries(NEUTRON_CHAIN_PREFIXES);

/** Per-agent chains (the part after the prefix). */
export const NEUTRON_CHAIN_ROLES: Readonly<Record<string, string>> = {
  'sg-chain': 'The security group dispatch chain: `physdev` jumps send each port\'s traffic to its `i…` (ingress) or `o…` (egress) chain.',
  'sg-fallback': 'The default-drop chain: traffic no security group rule accepted ends here and is DROPPED ("Default drop rule for unmatched traffic.").',
  local: 'Hook for local rules, jumped to from neutron-filter-top; usually empty.',
  FORWARD: 'Neutron\'s part of the built-in FORWARD chain: sends bridged traffic of VM ports to the security group chain.',
  INPUT: 'Neutron\'s part of INPUT: traffic from a VM to this host (e.g. DHCP, metadata) goes through the port\'s egress chain.',
  OUTPUT: 'Neutron\'s part of OUTPUT.',
  PREROUTING: 'Neutron\'s part of PREROUTING (raw: conntrack zones per network or port; nat: floating IP DNAT on routers).',
  POSTROUTING: 'Neutron\'s part of POSTROUTING (router SNAT).',
  'float-snat': 'SNAT of floating IPs: fixed IP -> floating IP for traffic leaving the router.',
  snat: 'Router SNAT: tenant networks leave with the router gateway address (no floating IP).',
  mark: 'mangle: marks packets by the router interface they came in on.',
  scope: 'Address scopes: marks/filters traffic between address scopes.',
  floatingip: 'mangle: marks floating IP traffic.',
  FIP: 'DVR floating IP handling.',
};

export const UNWRAPPED_CHAINS: Readonly<Record<string, DecodedChain>> = {
  'neutron-filter-top': { kind: 'neutron-shared', owner: 'neutron iptables_manager', meaning: 'Shared top chain of the filter table, jumped to from FORWARD and OUTPUT before anything else; it jumps to each agent\'s `local` chain.' },
  'neutron-postrouting-bottom': { kind: 'neutron-shared', owner: 'neutron iptables_manager', meaning: 'Shared chain at the end of nat POSTROUTING; jumps to the L3 agent\'s snat chain.' },
  'nova-filter-top': { kind: 'nova', owner: 'nova-network', meaning: 'Shared top chain of nova-network\'s filter rules.' },
  'nova-compute-sg-fallback': { kind: 'nova', owner: 'nova-compute (nova-network security groups)', meaning: 'Default drop for instance traffic no security group rule accepted.' },
  'nova-compute-local': { kind: 'nova', owner: 'nova-compute (nova-network security groups)', meaning: 'Dispatches traffic to the per-instance `nova-compute-inst-N` chains.' },
};

const PORT_CHAINS = {
  i: { direction: 'ingress', meaning: 'Ingress security group rules of the port: traffic going TO the VM.' },
  o: { direction: 'egress', meaning: 'Egress security group rules of the port: traffic coming FROM the VM (after its spoof chain).' },
  s: { direction: 'spoof', meaning: 'Anti-spoofing chain of the port: RETURNs for the port\'s own IP/MAC and allowed address pairs, DROPs everything else (a VIP that is not an allowed address pair is dropped here).' },
} as const;

const ARP_PROTECT = {
  neutronARP: {
    check: 'arp',
    meaning: 'ARP spoofing protection of the port (ebtables nat PREROUTING, `-p ARP -i <tap>`): ARP from the VM is ACCEPTed only with a sender IP (`--arp-ip-src`) that is one of the port\'s fixed IPs or allowed address pairs; the rest hits the final `-j DROP` (the chain\'s policy is DROP too). A gratuitous ARP for a VIP that is not an allowed address pair dies here.',
  },
  neutronMAC: {
    check: 'mac',
    meaning: 'MAC spoofing protection of the port (ebtables nat PREROUTING, `-i <tap>`, before the ARP chain): frames from the VM RETURN only with a source MAC in `--among-src` (the port\'s MAC and its allowed address pairs\' MACs); every other frame is DROPPED.',
  },
} as const;

const LIBVIRT_CHECKS: Readonly<Record<string, string>> = {
  mac: 'the source MAC must be the VM\'s MAC',
  'ipv4-ip': 'the IPv4 source must be the VM\'s IP (a VIP is dropped here unless allowed)',
  ipv4: 'IPv4 rules',
  ipv6: 'IPv6 rules',
  'arp-mac': 'ARP sender MAC must be the VM\'s MAC',
  'arp-ip': 'ARP sender IP must be the VM\'s IP (gratuitous ARP for a VIP is dropped here)',
  arp: 'ARP rules',
  rarp: 'RARP rules',
};

const LIBVIRT_ROOTS: Readonly<Record<string, string>> = {
  I: 'libvirt nwfilter root chain for frames coming FROM the VM through its interface (ebtables nat PREROUTING): anti-spoofing of the VM\'s MAC, IP and ARP.',
  O: 'libvirt nwfilter root chain for frames going TO the VM through its interface (ebtables nat POSTROUTING).',
  J: 'Temporary libvirt chain (replaces the I- chain while filters are rebuilt).',
  P: 'Temporary libvirt chain (replaces the O- chain while filters are rebuilt).',
};

/**
 * The two tables above as Maps: a lookup by a chain name read from a dump then hashes the string,
 * where an object's property lookup first interns it (6,000 chains on a 2,000-port host).
 */
const UNWRAPPED_BY_NAME: ReadonlyMap<string, DecodedChain> = new Map(Object.entries(UNWRAPPED_CHAINS));
const ROLE_BY_NAME: ReadonlyMap<string, string> = new Map(Object.entries(NEUTRON_CHAIN_ROLES));

export function decodeChainName(name: string): DecodedChain | undefined {
  const unwrapped = UNWRAPPED_BY_NAME.get(name);
  if (unwrapped) return unwrapped;
  for (const [prefix, owner] of PREFIX_ENTRIES) {
    if (!name.startsWith(prefix)) continue;
    const agent = prefix.slice('neutron-'.length, -1);
    const rest = name.slice(prefix.length);
    const role = ROLE_BY_NAME.get(rest);
    if (role) return { kind: 'neutron-agent', owner, agent, meaning: role };
    const m = /^([ios])([0-9a-f]{8}-[0-9a-f]{1,4})$/.exec(rest);
    if (m) {
      const d = PORT_CHAINS[m[1] as keyof typeof PORT_CHAINS];
      return { kind: 'neutron-port', owner, agent, meaning: d.meaning, direction: d.direction, port: m[2]!, devicePrefix: `tap${m[2]!}` };
    }
    return { kind: 'neutron-agent', owner, agent, meaning: 'A chain of this Neutron agent.' };
  }
  let m = /^(neutronARP|neutronMAC)-(tap([0-9a-f]{8}-[0-9a-f]{1,4})|.+)$/.exec(name);
  if (m) {
    const p = ARP_PROTECT[m[1] as keyof typeof ARP_PROTECT];
    return {
      kind: 'neutron-arp-protect', owner: 'neutron-linuxbridge-agent (arp_protect.py, ebtables)', agent: 'linuxbri', meaning: p.meaning,
      direction: 'spoof', port: m[3] ?? m[2]!, device: m[2]!, check: p.check,
    };
  }
  m = /^libvirt-([IOJP])-(.+)$/.exec(name);
  if (m) return { kind: 'libvirt', owner: 'libvirt nwfilter', meaning: LIBVIRT_ROOTS[m[1]!] ?? '', port: m[2]!, device: m[2]!, direction: m[1] === 'O' || m[1] === 'P' ? 'ingress' : 'egress' };
  m = /^([IO])-(.+?)-(mac|ipv4-ip|ipv4|ipv6|arp-mac|arp-ip|arp|rarp)$/.exec(name);
  if (m) {
    const from = m[1] === 'I';
    return {
      kind: 'libvirt',
      owner: 'libvirt nwfilter (nova clean-traffic / no-mac-spoofing / no-ip-spoofing / no-arp-spoofing)',
      meaning: `Frames ${from ? 'FROM' : 'TO'} the VM on ${m[2]!}: ${LIBVIRT_CHECKS[m[3]!] ?? m[3]!}.`,
      port: m[2]!,
      device: m[2]!,
      direction: from ? 'egress' : 'ingress',
      check: m[3]!,
    };
  }
  m = /^nova-compute-inst-(\d+)$/.exec(name);
  if (m) return { kind: 'nova', owner: 'nova-compute (nova-network security groups)', meaning: `Security group rules of instance id ${m[1]!} (the database id, not the UUID).` };
  m = /^nova-(network|compute|api)-(.+)$/.exec(name);
  if (m) return { kind: 'nova', owner: `nova-${m[1]!}`, meaning: `nova-network chain \`${m[2]!}\`.` };
  if (/^KUBE-/.test(name)) return { kind: 'kube-proxy', owner: 'kube-proxy', meaning: 'A Kubernetes service/endpoint chain.' };
  return undefined;
}
