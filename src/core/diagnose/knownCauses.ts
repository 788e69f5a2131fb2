import type { TraceStep } from '../sim/TraceResult';
import type { VipPacketKind } from './VipReport';

/** What a cause is recognised from and what its fix needs. */
export interface CauseContext {
  readonly kind: VipPacketKind;
  readonly step: TraceStep;
  readonly vip: string;
  /** Neutron port id prefix (`38833ad6-c6`) or the libvirt device for nova-network. */
  readonly portId: string;
  readonly portKind: 'neutron' | 'nova-network';
  readonly mac?: string;
  readonly peerIp?: string;
  readonly clientIp?: string;
  readonly dport?: number;
}

export interface KnownCause {
  readonly id: string;
  readonly title: string;
  readonly recognise: (c: CauseContext) => boolean;
  readonly explain: (c: CauseContext) => string;
  readonly fix: (c: CauseContext) => string[];
  readonly caveats?: readonly string[];
}

/** Resolves a port id prefix to the full id on the operator's side, so the fix can be pasted as is. */
const portRef = (c: CauseContext): string => `$(openstack port list -f value -c ID | grep ^${c.portId})`;
const isSpoofChain = (s: TraceStep): boolean => s.layer === 'iptables' && /^neutron-(openvswi|linuxbri)-s[0-9a-f]/.test(s.chain ?? '');
const ovsTable = (s: TraceStep, ...tables: number[]): boolean => s.layer === 'ovs' && tables.map(String).includes(s.table ?? '');
const isFallback = (s: TraceStep): boolean => s.layer === 'iptables' && /-sg-fallback$/.test(s.chain ?? '');

const allowedPairFix = (c: CauseContext): string[] => [
  `openstack port set --allowed-address ip-address=${c.vip}${c.mac ? `,mac-address=${c.mac}` : ''} ${portRef(c)}`,
];

/**
 * The diagnosis knowledge base: one entry per cause our users meet (see shared/seeds), each with
 * how it shows in a trace, the explanation in plain words, and the fix as commands with the real
 * port, VIP and MAC filled in. Order matters: the first entry that recognises a drop explains it.
 */
export const KNOWN_CAUSES: readonly KnownCause[] = [
  {
    id: 'lvs-dr-director',
    title: 'LVS-DR director forwarding client-sourced packets',
    recognise: (c) => c.kind === 'lvsForward' && (isSpoofChain(c.step) || ovsTable(c.step, 24, 25, 71)),
    explain: (c) => `An LVS-DR director forwards the client's packet unchanged: its source is the client (${c.clientIp ?? 'any address'}), not an address of port ${c.portId}. Neutron's anti-spoofing lets a port send only from its fixed IPs and allowed address pairs, so the forward is dropped and clients hang in SYN_RECV.`,
    fix: (c) => [
      `openstack port set --allowed-address ip-address=0.0.0.0/0${c.mac ? `,mac-address=${c.mac}` : ''} ${portRef(c)}`,
      `# or, if the director must send from anywhere and you accept losing anti-spoofing and security groups on this port:`,
      `openstack port set --no-security-group --disable-port-security ${portRef(c)}`,
    ],
    caveats: [
      'An ACCEPT rule added by hand to neutron-openvswi-local (the workaround seen in the field) accepts all bridged traffic on the host, disabling every security group there, and the agent rewrites the chain on its next sync.',
      'Real servers also need the VIP on lo with arp_ignore=1 and arp_announce=2, or they answer ARP for it.',
    ],
  },
  {
    id: 'neutron-iptables-spoof',
    title: 'Neutron iptables anti-spoofing (spoof chain)',
    recognise: (c) => isSpoofChain(c.step),
    explain: (c) => `Port ${c.portId}'s spoof chain ${c.step.chain} returns only for the port's fixed IPs and allowed address pairs with its MAC; traffic from ${c.vip} matches none of them and reaches "Drop traffic without an IP/MAC allow rule".`,
    fix: allowedPairFix,
    caveats: ['Disabling port security instead (openstack port set --no-security-group --disable-port-security) also removes the security groups of the port.'],
  },
  {
    id: 'ovs-arp-spoof',
    title: 'OVS ARP spoofing protection (br-int table 24)',
    recognise: (c) => ovsTable(c.step, 24),
    explain: (c) => `br-int table 24 passes ARP from port ${c.portId} only when arp_spa is one of the port's fixed IPs or allowed address pairs; ${c.vip} is not, so the ${c.kind === 'arpReply' ? 'ARP reply' : 'gratuitous ARP'} is dropped and neighbours keep the old MAC for the VIP.`,
    fix: allowedPairFix,
  },
  {
    id: 'ovs-mac-spoof',
    title: 'OVS MAC spoofing protection (br-int table 25)',
    recognise: (c) => ovsTable(c.step, 25),
    explain: (c) => `br-int table 25 passes frames from port ${c.portId} only with the port's own MAC or an allowed pair's MAC.`,
    fix: allowedPairFix,
  },
  {
    id: 'ovs-firewall-egress',
    title: 'OVS firewall egress port security (br-int table 71)',
    recognise: (c) => ovsTable(c.step, 71) && c.kind !== 'toVip' && c.kind !== 'toFip',
    explain: (c) => `The OVS firewall's egress table 71 accepts from port ${c.portId} only its own MAC/IP pairs and allowed address pairs; ${c.vip} is not among them.`,
    fix: allowedPairFix,
  },
  {
    id: 'vrrp-not-allowed',
    title: 'Security group without VRRP (IP protocol 112)',
    recognise: (c) => c.kind === 'vrrp' && (isFallback(c.step) || ovsTable(c.step, 82, 93) || (c.step.layer === 'iptables' && /^neutron-(openvswi|linuxbri)-i/.test(c.step.chain ?? ''))),
    explain: () => 'keepalived\'s VRRP advertisements (IP protocol 112 to 224.0.0.18) reach the other VM\'s port but its security group has no rule for protocol 112, so they fall through to the default drop. Both VMs then believe they are MASTER (split brain) and fight over the VIP.',
    fix: () => ['openstack security group rule create --ingress --ethertype IPv4 --protocol 112 --remote-group <SECURITY_GROUP> <SECURITY_GROUP>'],
  },
  {
    id: 'sg-missing-ingress',
    title: 'Security group without the needed ingress rule',
    recognise: (c) => (c.kind === 'toVip' || c.kind === 'toFip') && (isFallback(c.step) || ovsTable(c.step, 82, 93) || (c.step.layer === 'iptables' && /^neutron-(openvswi|linuxbri)-i/.test(c.step.chain ?? ''))),
    explain: (c) => `Traffic to ${c.vip}${c.dport ? ` port ${c.dport}` : ''} reaches port ${c.portId}, but none of its security group rules allows it, so the default drop (sg-fallback) takes it.`,
    fix: (c) => [`openstack security group rule create --ingress --protocol tcp${c.dport ? ` --dst-port ${c.dport}` : ''}${c.clientIp ? ` --remote-ip ${c.clientIp}/32` : ''} <SECURITY_GROUP>`],
  },
  {
    id: 'conntrack-invalid',
    title: 'Conntrack INVALID state',
    recognise: (c) => c.step.layer === 'iptables' && /INVALID/.test(c.step.raw ?? '') && /DROP/.test(c.step.action),
    explain: () => 'The packet belongs to no connection conntrack knows (e.g. a reply whose request took another path, as with asymmetric routing through a VIP), so it is INVALID and dropped.',
    fix: () => ['# make the request and the reply cross the same host and port (route the VIP symmetrically), or add the VIP as an allowed address pair so replies are not spoof-dropped before conntrack sees them'],
  },
  {
    id: 'nova-nwfilter',
    title: 'nova-network libvirt nwfilter anti-spoofing (ebtables)',
    recognise: (c) => c.step.layer === 'ebtables' && /^I-.+-(ipv4-ip|arp-ip|mac|arp-mac)$/.test(c.step.chain ?? ''),
    explain: (c) => `libvirt's nwfilter (nova-base: no-mac-spoofing, no-ip-spoofing, no-arp-spoofing) generated ebtables chain ${c.step.chain}, which returns only for the instance's own ${/mac/.test(c.step.chain ?? '') ? 'MAC' : 'IP'} and drops everything else, so the VM can never use ${c.vip}. iptables (nova-compute-inst-N) is not the culprit.`,
    fix: () => [
      '# on the compute host: remove the anti-spoofing filterrefs from nova-base and redefine it',
      'virsh nwfilter-dumpxml nova-base > /tmp/nova-base.xml',
      "sed -i -e '/no-ip-spoofing/d' -e '/no-arp-spoofing/d' /tmp/nova-base.xml   # add -e '/no-mac-spoofing/d' if the VIP uses its own MAC",
      'virsh nwfilter-define /tmp/nova-base.xml',
    ],
    caveats: ['This removes IP/ARP anti-spoofing for every instance on the host; nova-network has no per-port allowed address pairs. Nova may redefine nova-base on restart; keep the change in your configuration management.'],
  },
  {
    id: 'nova-sg-fallback',
    title: 'nova-network security group fallback',
    recognise: (c) => c.step.layer === 'iptables' && c.step.chain === 'nova-compute-sg-fallback',
    explain: (c) => `The instance chain (nova-compute-inst-N) accepts only its subnet, DHCP and the security group's rules; traffic to ${c.vip} matched none and fell to nova-compute-sg-fallback's DROP.`,
    fix: () => ['nova secgroup-add-rule <SECURITY_GROUP> <PROTOCOL> <FROM_PORT> <TO_PORT> <CIDR>'],
  },
  {
    id: 'dvr-fip-unbound',
    title: 'DVR floating IP on an unbound VIP port',
    recognise: (c) => c.kind === 'toFip' && (c.step.layer === 'routing' || c.step.layer === 'device'),
    explain: (c) => `Under DVR a floating IP is served by the fip/qrouter namespaces of the host where its port is bound; a VIP port (an allowed address pair or keepalived port) is never bound, so no host installs the DNAT for it and traffic to the floating IP of ${c.vip} finds no route.`,
    fix: () => ['# put the floating IP on a centralized (dvr_snat) router port, or upgrade Neutron to a release that centralizes FIPs of unbound ports; check with: ip netns exec qrouter-<ROUTER> iptables-save -t nat | grep <FIP>'],
  },
  {
    id: 'stale-policy-rule',
    title: 'Stale policy routing rule',
    recognise: (c) => c.step.layer === 'routing' && /lookup 16\b/.test(c.step.because.join(' ')),
    explain: () => 'A `from <fixed IP> lookup 16` rule left behind after the floating IP was removed still sends the VM\'s traffic to the fip namespace, bypassing the central SNAT.',
    fix: () => ['ip netns exec qrouter-<ROUTER> ip rule del priority <PRIORITY>   # or restart the l3 agent to resync'],
  },
];

export function recogniseCause(c: CauseContext): KnownCause | undefined {
  return KNOWN_CAUSES.find((k) => k.recognise(c));
}
