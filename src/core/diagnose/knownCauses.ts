import { decodeChainName } from '../openstack/decodeChainName';
import type { FirewallKind } from '../openstack/decodeOpenStackPorts';
import { ovnAclDrop, type OvnAclDrop } from '../openstack/ovnAclDrop';
import { ovnPortSecurityDrop, type OvnPortSecurityDrop } from '../openstack/ovnPortSecurityDrop';
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
  /** The packet's source when it is an address of the port (the fixed IP a VRRP advertisement comes from). */
  readonly srcIp?: string;
  /** The port the packet was meant for (the VRRP peer, the VIP holder), when it is not the sender. */
  readonly targetPortId?: string;
  readonly targetFirewall?: FirewallKind;
  /** The walk that led to `step`: OVN's port security is recognised from the flows before its drop. */
  readonly steps?: readonly TraceStep[];
  /** The full Neutron port id of `portId`, when the host names it (OVN: Interface external_ids:iface-id). */
  readonly portUuid?: string;
  /** The same for `targetPortId`. */
  readonly targetPortUuid?: string;
  /** The packet, in ovs-appctl ofproto/trace syntax (a fix that mirrors it takes its protocol and port). */
  readonly packet?: string;
  /** The port's fixed IP, when the same packet sent from it instead of the VIP passes: the source address alone decided. */
  readonly fixedSourcePasses?: string;
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
/** `arp` / `mac` for the linuxbridge agent's ebtables neutronARP-<tap> / neutronMAC-<tap> chains. */
const arpProtect = (s: TraceStep): string | undefined => {
  const d = s.layer === 'ebtables' ? decodeChainName(s.chain ?? '') : undefined;
  return d?.kind === 'neutron-arp-protect' ? d.check : undefined;
};

/** `neutron-openvswi-id52a8f3e-0` for the target port, from the driver prefix of the chain that dropped. */
const ingressChain = (c: CauseContext): string => {
  const driver = /^(neutron-(?:openvswi|linuxbri)-)/.exec(c.step.chain ?? '')?.[1];
  return driver && c.targetPortId ? `${driver}i${c.targetPortId.slice(0, 10)}` : 'of the port';
};

/** Neither iptables chains nor OVS firewall flows carry the security group's id: say where to find it. */
const sgLookup = (portId: string): string =>
  `# <SECURITY_GROUP>: a security group of port ${portId}; the host's rules and flows do not name it: openstack port show $(openstack port list -f value -c ID | grep ^${portId}) -c security_group_ids`;

const ovnPortSec = (c: CauseContext): OvnPortSecurityDrop | undefined => (c.steps ? ovnPortSecurityDrop(c.step, c.steps) : undefined);
/** An OVN to-lport ACL (Neutron's ingress rules of the receiving port) that dropped the packet. */
const ovnIngressAcl = (c: CauseContext): OvnAclDrop | undefined => {
  const d = ovnAclDrop(c.step, c.steps ?? []);
  return d?.direction === 'to-lport' ? d : undefined;
};

/** "br-int table 46 line 244: `priority=2001,ip,reg0=0x200/0x200,reg15=0x3,metadata=0x1 -> drop` (neutron_pg_drop, ACL priority 1001)" */
const aclWhere = (c: CauseContext, d: OvnAclDrop): string =>
  `${c.step.bridge ?? 'br-int'} table ${c.step.table ?? '?'}${c.step.span ? ` line ${c.step.span.line}` : ''}: \`${checkMatch(c.step)}\` (${d.neutronDefaultDrop ? "Neutron's neutron_pg_drop port group, ACL priority 1001" : `an ACL at priority ${d.aclPriority}`}${d.blockedConnection ? '; an established connection, now marked blocked' : ''})`;

/** What security groups are on ML2/OVN, for every OVN ACL explanation. */
const OVN_SG = 'On ML2/OVN a security group is an OVN port group whose rules are allow-related ACLs (priority 1002), and every port with security groups is also in neutron_pg_drop, whose priority-1001 ACL drops all IP no rule allowed';

/** The SG lookup on ML2/OVN: the flows name no group; the NB database does, where it is reachable (rarely from a compute node). */
const ovnSgLookup = (c: CauseContext, side: 'receiver' | 'sender' = 'receiver'): string => {
  const portId = side === 'sender' ? c.portId : c.targetPortId ?? c.portId;
  const id = side === 'sender' ? c.portUuid : c.targetPortUuid ?? (c.targetPortId ? undefined : c.portUuid);
  const ref = id ?? `$(openstack port list -f value -c ID | grep ^${portId})`;
  return `# <SECURITY_GROUP>: a security group of port ${portId}; br-int's flows do not name it (the port group pg_<id> lives in the OVN databases): openstack port show ${ref} -c security_group_ids${id ? `, or where the OVN NB database is reachable: ovn-nbctl get Logical_Switch_Port ${id} external_ids:"neutron:security_group_ids"` : ''}`;
};

/** An OVN from-lport ACL (Neutron's egress rules of the sending port) that dropped the packet. */
const ovnEgressAcl = (c: CauseContext): OvnAclDrop | undefined => {
  const d = ovnAclDrop(c.step, c.steps ?? []);
  return d?.direction === 'from-lport' ? d : undefined;
};

/** The traced packet's IPv4 source (`nw_src=`), e.g. the peer connecting to the VIP. */
const packetSource = (c: CauseContext): string | undefined => /(?:^|,)nw_src=([0-9.]+)(?=,|$)/.exec(c.packet ?? '')?.[1];
/** The traced packet's destination address (`nw_dst=` / `ipv6_dst=`). */
const packetDestination = (c: CauseContext): string | undefined => /(?:^|,)(?:nw_dst|ipv6_dst)=([0-9a-f.:]+)(?=,|$)/.exec(c.packet ?? '')?.[1];

/** `--protocol tcp --dst-port 80` for a TCP packet to port 80, `--protocol icmp` for a ping: a rule that admits exactly this packet. */
function ruleFor(packet: string | undefined): string {
  const p = packet ?? '';
  const field = (k: string): string | undefined => new RegExp(`(?:^|,)${k}=([^,]+)`).exec(p)?.[1];
  const head = p.split(',')[0];
  if (head === 'tcp' || head === 'udp') {
    const port = field(`${head}_dst`) ?? field('tp_dst');
    return `--protocol ${head}${port ? ` --dst-port ${port}` : ''}`;
  }
  if (head === 'icmp') return '--protocol icmp';
  const proto = field('nw_proto');
  return proto ? `--protocol ${proto}` : '--protocol any';
}

/** OVN checks the destination port on the way out: that port needs the pair. */
const ovnFixPort = (c: CauseContext, d: OvnPortSecurityDrop): string =>
  d.direction === 'out' && c.targetPortId && c.targetPortId !== c.portId ? `$(openstack port list -f value -c ID | grep ^${c.targetPortId})` : c.portUuid ?? portRef(c);

const allowedPairFix = (c: CauseContext): string[] => [
  `openstack port set --allowed-address ip-address=${c.vip}${c.mac ? `,mac-address=${c.mac}` : ''} ${portRef(c)}`,
];

/** VRRP dropped by the OVS firewall's ingress tables or the iptables ingress chain. */
const vrrpExplanation = (c: CauseContext): string => c.step.layer === 'ovs'
  ? `keepalived's VRRP advertisement (IP protocol 112) from ${c.srcIp ?? `port ${c.portId}`} reaches port ${c.targetPortId ?? 'of its peer'} through the OVS firewall's ingress tables, but no security group rule of that port allows protocol 112: table 82 has no accept flow for it, so the new connection (ct_state=-est) is sent to table 93 and dropped. The OVS firewall filters only unicast advertisements this way (keepalived's unicast_peer): multicast ones to 224.0.0.18 are switched to every port without ingress rules (Neutron documents this difference from the iptables firewall). The peer never hears the MASTER and becomes MASTER too (split brain).`
  : `keepalived's VRRP advertisements (IP protocol 112) from ${c.srcIp ?? `port ${c.portId}`} reach port ${c.targetPortId ?? 'of the other VM'}, but its ingress chain ${ingressChain(c)} has no rule for protocol 112, so they fall through to the default drop (${c.step.chain ?? 'sg-fallback'}). Both VMs then believe they are MASTER (split brain) and fight over the VIP.`;

/**
 * The diagnosis knowledge base: one entry per cause our users meet (see shared/seeds), each with
 * how it shows in a trace, the explanation in plain words, and the fix as commands with the real
 * port, VIP and MAC filled in. Order matters: the first entry that recognises a drop explains it.
 */
export const KNOWN_CAUSES: readonly KnownCause[] = [
  {
    id: 'lvs-dr-director',
    title: 'LVS-DR director forwarding client-sourced packets',
    recognise: (c) => c.kind === 'lvsForward' && (isSpoofChain(c.step) || ovsTable(c.step, 24, 25, 71) || ovnPortSec(c)?.direction === 'in'),
    explain: (c) => `An LVS-DR director forwards the client's packet unchanged: its source is the client (${c.clientIp ?? 'any address'}), not an address of port ${c.portId}. Neutron's anti-spoofing lets a port send only from its fixed IPs and allowed address pairs, so the forward is dropped and clients hang in SYN_RECV.`,
    fix: (c) => [
      `openstack port set --allowed-address ip-address=0.0.0.0/0${c.mac ? `,mac-address=${c.mac}` : ''} ${portRef(c)}`,
      `# or, if the director must send from anywhere and you accept losing anti-spoofing and security groups on this port:`,
      `openstack port set --no-security-group --disable-port-security ${portRef(c)}`,
    ],
    caveats: [
      'On ML2/OVS hybrid and linuxbridge hosts, an ACCEPT rule added by hand to neutron-openvswi-local (neutron-linuxbri-local on linuxbridge; the workaround seen in the field) accepts all bridged traffic on the host, disabling every security group there, and the agent rewrites the chain on its next sync. (ML2/OVN and the OVS native firewall have no such chain.)',
      'Real servers also need the VIP on lo with arp_ignore=1 and arp_announce=2, or they answer ARP for it.',
    ],
  },
  {
    id: 'ovn-port-security',
    title: 'OVN port security of the logical switch port',
    recognise: (c) => ovnPortSec(c) !== undefined,
    explain: (c) => {
      const d = ovnPortSec(c);
      const check = d?.check ? ` The port's check that failed is ${c.step.bridge ?? 'br-int'} table ${d.check.table ?? '?'}${d.check.span ? ` line ${d.check.span.line}` : ''}: \`${checkMatch(d.check)}\`.` : '';
      return d?.direction === 'out'
        ? `On ML2/OVN, port security also guards the way out of the switch: a packet is delivered to logical port ${c.targetPortId ?? c.portId} only when its destination is one of the addresses in the port's port_security (its fixed IPs and allowed address pairs). ${c.vip} is neither, so the egress port-security stage (ls_out_apply_port_sec; ls_out_port_sec_ip before OVN 22.06) drops the ${kindWords(c.kind, c.vip)} before it reaches the VM, even though the VM holds the VIP. (ML2/OVS firewalls only check sources; OVN checks both.)${check}`
        : `On ML2/OVN there are no spoof chains or table-24 flows: ovn-controller compiles the Logical_Switch_Port's port_security ("MAC fixed-IPs allowed-pairs", which Neutron fills from the port's fixed IPs and allowed address pairs) into br-int, and the ingress port-security stage (ls_in_apply_port_sec; ls_in_port_sec_ip/_nd before OVN 22.06) drops anything port ${c.portId} sends from another address. ${c.vip} is neither a fixed IP nor an allowed address pair, so the ${kindWords(c.kind, c.vip)} is dropped${c.kind === 'garp' || c.kind === 'arpReply' ? ' and neighbours keep the old MAC for the VIP' : ''}.${check}`;
    },
    fix: (c) => {
      const d = ovnPortSec(c);
      return [`openstack port set --allowed-address ip-address=${c.vip} ${d ? ovnFixPort(c, d) : portRef(c)}`];
    },
    caveats: [
      'Neutron appends the pair to the Logical_Switch_Port\'s port_security; ovn-controller reprograms br-int at once, nothing to restart. Check with `ovn-nbctl lsp-get-port-security <PORT_ID>` where the NB database is reachable, or `ovs-ofctl dump-flows br-int | grep <VIP>` on the compute node.',
      'Add the pair on every port that may hold the VIP (each keepalived peer): OVN checks the sender on the way in and the receiver on the way out.',
      'Disabling port security instead (openstack port set --no-security-group --disable-port-security) makes Neutron add "unknown" to the port\'s addresses and removes its security groups.',
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
    explain: (c) => `br-int table 24 passes ${c.vip.includes(':') ? 'neighbour advertisements from port ' + c.portId + ' only when nd_target' : 'ARP from port ' + c.portId + ' only when arp_spa'} is one of the port's fixed IPs or allowed address pairs; ${c.vip} is not, so the ${kindWords(c.kind, c.vip)} is dropped and neighbours keep the old MAC for the VIP.`,
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
    id: 'linuxbridge-arp-spoof',
    title: 'linuxbridge ARP spoofing protection (ebtables neutronARP chain)',
    recognise: (c) => arpProtect(c.step) === 'arp',
    explain: (c) => `The linuxbridge agent's ebtables chain ${c.step.chain ?? 'neutronARP-<tap>'} (nat PREROUTING, ARP from the port's tap) ACCEPTs ARP from port ${c.portId} only when the sender IP (--arp-ip-src) is one of the port's fixed IPs or allowed address pairs; ${c.vip} is neither, so the ${kindWords(c.kind, c.vip)} reaches the chain's final -j DROP and neighbours keep the old MAC for the VIP (keepalived fails over, nobody learns it).`,
    fix: allowedPairFix,
    caveats: [
      'The agent rebuilds the neutronARP-/neutronMAC- chains from the port\'s fixed IPs and allowed address pairs on every port update (no restart needed); an ebtables rule added by hand is flushed then.',
      'The same pair opens the port\'s iptables spoof chain (neutron-linuxbri-s…), which otherwise drops IPv4 sent from the VIP.',
      'Disabling port security instead (openstack port set --no-security-group --disable-port-security) removes these ebtables chains together with the port\'s security groups.',
    ],
  },
  {
    id: 'linuxbridge-mac-spoof',
    title: 'linuxbridge MAC spoofing protection (ebtables neutronMAC chain)',
    recognise: (c) => arpProtect(c.step) === 'mac',
    explain: (c) => `The linuxbridge agent's ebtables chain ${c.step.chain ?? 'neutronMAC-<tap>'} (nat PREROUTING, every frame from the port's tap) RETURNs only frames whose source MAC is in --among-src: port ${c.portId}'s MAC${c.mac ? ` (${c.mac})` : ''} and the MACs of its allowed address pairs. A frame from any other MAC (keepalived's use_vmac 00:00:5e:00:01:<VRID>, a bridge or bond inside the VM) hits the final -j DROP.`,
    fix: (c) => [`openstack port set --allowed-address ip-address=${c.vip},mac-address=<MAC the VM sends from> ${portRef(c)}`],
    caveats: ['Without use_vmac keepalived sends from the port\'s own MAC, which this chain passes: check the MAC the VM really uses (ip -d link inside the VM).'],
  },
  {
    id: 'ovs-firewall-egress',
    title: 'OVS firewall egress port security (br-int table 71)',
    recognise: (c) => ovsTable(c.step, 71) && c.kind !== 'toVip' && c.kind !== 'toFip',
    explain: (c) => `br-int table 71 (the OVS firewall's egress port security, reg5 = the port's ofport) lets port ${c.portId} send only ${c.kind === 'garp' || c.kind === 'arpReply' ? (c.vip.includes(':') ? 'neighbour advertisements whose target (nd_target)' : 'ARP whose sender address (arp_spa)') : (c.vip.includes(':') ? 'IPv6 whose source (ipv6_src)' : 'IPv4 whose source (nw_src)')} is one of its fixed IPs or allowed address pairs, with the port's MAC; ${c.vip} is neither, so the ${kindWords(c.kind, c.vip)} falls through to the port's \`priority=10\` flow, which sends it to table 93 to be dropped.`,
    fix: allowedPairFix,
    caveats: ['The OVS agent rewrites the port\'s table 60/71/73 flows as soon as the pair is added (no restart); check with `ovs-ofctl dump-flows br-int table=71 | grep <VIP>`.'],
  },
  {
    id: 'vrrp-not-allowed',
    title: 'Security group without VRRP (IP protocol 112)',
    recognise: (c) => c.kind === 'vrrp' && (isFallback(c.step) || ovnIngressAcl(c) !== undefined || ovsTable(c.step, 82, 93) || (c.step.layer === 'iptables' && /^neutron-(openvswi|linuxbri)-i/.test(c.step.chain ?? ''))),
    explain: (c) => {
      const acl = ovnIngressAcl(c);
      return acl
        ? `${OVN_SG}. keepalived's VRRP advertisement (IP protocol 112) from ${c.srcIp ?? `port ${c.portId}`} reaches port ${c.targetPortId ?? 'of its peer'}, but no rule of that port's security groups allows protocol 112, so the to-lport ACL stage (ls_out_acl) drops it at ${aclWhere(c, acl)}. Unlike the OVS firewall, OVN holds multicast advertisements to 224.0.0.18 to the same ACLs (they skip conntrack, not the ACLs). The peer never hears the MASTER and becomes MASTER too (split brain).`
        : vrrpExplanation(c);
    },
    fix: (c) => [
      `openstack security group rule create --ingress --ethertype IPv4 --protocol 112 --remote-ip ${c.srcIp ? `${c.srcIp}/32` : '<PEER_IP>/32'} <SECURITY_GROUP>`,
      ovnIngressAcl(c) ? ovnSgLookup(c) : sgLookup(c.targetPortId ?? c.portId),
      '# or allow VRRP from every member of the group (each keepalived peer): openstack security group rule create --ingress --ethertype IPv4 --protocol 112 --remote-group <SECURITY_GROUP> <SECURITY_GROUP>',
    ],
  },
  {
    id: 'ovn-remote-group-pair',
    title: 'Remote-group rule does not cover the VIP (OVN address sets hold fixed IPs only)',
    recognise: (c) => (c.kind === 'vipEgress' || c.kind === 'vipReply') && c.fixedSourcePasses !== undefined && ovnIngressAcl(c) !== undefined,
    explain: (c) => {
      const acl = ovnIngressAcl(c)!;
      return `${OVN_SG}. The security groups of port ${c.targetPortId ?? 'of the peer'} admit this packet from port ${c.portId}'s fixed IP ${c.fixedSourcePasses ?? ''} but not from ${c.vip}, which falls to ${aclWhere(c, acl)}. The usual reason is a remote-group rule: OVN matches a remote group by address, the address set $pg_<id>_ip4, which ovn-northd fills from the member ports' addresses (their fixed IPs). Neutron writes allowed address pairs only into port_security, so the VIP is in no address set, although the port may send from it. (The ML2/OVS firewalls count a member's allowed address pairs as group members; OVN does not.)`;
    },
    fix: (c) => [
      `openstack security group rule create --ingress --ethertype IPv4 ${ruleFor(c.packet)} --remote-ip ${c.vip}/32 <SECURITY_GROUP>`,
      ovnSgLookup(c),
    ],
    caveats: [
      'A --remote-ip rule admits the VIP from whichever port holds it (and from nothing else); mirror each remote-group rule the VIP\'s traffic needs (protocol and port), for every security group of the receiving ports.',
      'The rule is an ACL on the group\'s port group: ovn-northd and ovn-controller apply it at once, nothing to restart.',
    ],
  },
  {
    id: 'sg-missing-egress',
    title: 'Security group of the sender without the needed egress rule (OVN from-lport ACL)',
    recognise: (c) => ovnEgressAcl(c) !== undefined,
    explain: (c) => {
      const acl = ovnEgressAcl(c)!;
      return `${OVN_SG}. The sender's own security groups decide what port ${c.portId} may send (from-lport ACLs, the ls_in_acl stage, before the packet leaves the switch port): none of their egress rules allows this ${kindWords(c.kind, c.vip)}${packetDestination(c) ? ` to ${packetDestination(c)}` : ''}, so it is dropped at ${aclWhere(c, acl)}. Neutron's default security group allows all egress; a group whose egress rules were deleted or narrowed does not.`;
    },
    fix: (c) => {
      const dst = packetDestination(c);
      const v6 = (dst ?? c.vip).includes(':');
      return [
        `openstack security group rule create --egress --ethertype ${v6 ? 'IPv6' : 'IPv4'} ${ruleFor(c.packet)}${dst ? ` --remote-ip ${dst}/${v6 ? 128 : 32}` : ''} <SECURITY_GROUP>`,
        ovnSgLookup(c, 'sender'),
      ];
    },
    caveats: ['The rule is an ACL on the group\'s port group: ovn-northd and ovn-controller apply it at once, nothing to restart.'],
  },
  {
    id: 'sg-missing-ingress',
    title: 'Security group without the needed ingress rule',
    recognise: (c) => (c.kind === 'toVip' || c.kind === 'toFip') && (isFallback(c.step) || ovnIngressAcl(c) !== undefined || ovsTable(c.step, 82, 93) || (c.step.layer === 'iptables' && /^neutron-(openvswi|linuxbri)-i/.test(c.step.chain ?? ''))),
    explain: (c) => {
      const acl = ovnIngressAcl(c);
      return acl
        ? `${OVN_SG}. Traffic to ${c.vip}${c.dport ? ` port ${c.dport}` : ''} from ${packetSource(c) ?? 'the client'} reaches port ${c.portId}, but none of its security group rules allows it, so the to-lport ACL stage (ls_out_acl) drops it at ${aclWhere(c, acl)}.`
        : `Traffic to ${c.vip}${c.dport ? ` port ${c.dport}` : ''} reaches port ${c.portId}, but none of its security group rules allows it, so the default drop (${c.step.layer === 'ovs' ? 'br-int table 82 sends it to table 93' : 'sg-fallback'}) takes it.`;
    },
    fix: (c) => {
      const src = packetSource(c) ?? c.clientIp;
      return [
        `openstack security group rule create --ingress${ovnIngressAcl(c) ? ' --ethertype IPv4' : ''} --protocol tcp${c.dport ? ` --dst-port ${c.dport}` : ''}${src ? ` --remote-ip ${src}/32` : ''} <SECURITY_GROUP>`,
        ovnIngressAcl(c) ? ovnSgLookup(c) : sgLookup(c.targetPortId ?? c.portId),
      ];
    },
  },
  {
    id: 'conntrack-invalid',
    title: 'Conntrack INVALID state',
    // iptables `-m state --state INVALID -j DROP`; OVS firewall `table=72/82, ct_state=+inv+trk actions=resubmit(,93)`.
    // OVN: ovn-controller's `priority=65532,ct_state=+inv+trk,metadata=0x1 actions=drop` in the ACL stages (table numbers vary by version).
    recognise: (c) => (c.step.layer === 'iptables' && /INVALID/.test(c.step.raw ?? '') && /DROP/.test(c.step.action)) ||
      (ovsTable(c.step, 72, 82) && /ct_state=[^ ,]*\+inv/.test(c.step.raw ?? '')) ||
      (c.step.layer === 'ovs' && c.step.action.trim() === 'drop' && /(?:^|,)ct_state=[^ ,]*\+inv/.test(matchOf(c.step)) && /(?:^|,)metadata=/.test(matchOf(c.step))),
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

/** The match part of a flow step's raw text (before ` actions=`). */
function matchOf(s: TraceStep): string {
  const raw = s.raw ?? '';
  const a = raw.indexOf(' actions=');
  return (a === -1 ? raw : raw.slice(0, a)).replace(/^.*?\bpriority=/, 'priority=');
}

/** `arp,reg14=0x2,metadata=0x1 -> set_field:0x1000/0x1000->reg10` of a port-security check flow. */
function checkMatch(s: TraceStep): string {
  const raw = s.raw ?? '';
  const a = raw.indexOf(' actions=');
  const head = a === -1 ? raw : raw.slice(0, a);
  const p = head.search(/\bpriority=/);
  return `${(p === -1 ? head : head.slice(p)).trim()} -> ${s.action}`;
}

/** What the packet is called in an explanation; an IPv6 VIP is announced by neighbour discovery, not ARP. */
function kindWords(kind: VipPacketKind, vip?: string): string {
  const v6 = vip?.includes(':') ?? false;
  switch (kind) {
    case 'garp': return v6 ? 'unsolicited neighbour advertisement' : 'gratuitous ARP';
    case 'arpReply': return v6 ? 'neighbour advertisement' : 'ARP reply';
    case 'vrrp': return 'VRRP advertisement';
    case 'vipReply': return 'reply';
    case 'lvsForward': return 'forwarded packet';
    default: return 'packet';
  }
}

export function recogniseCause(c: CauseContext): KnownCause | undefined {
  return KNOWN_CAUSES.find((k) => k.recognise(c));
}
