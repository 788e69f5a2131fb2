/**
 * What the OpenFlow table numbers of the Neutron OVS agent mean, per bridge role, from
 * neutron-lib `neutron_lib/plugins/ml2/ovs_constants.py` (before 2023:
 * neutron/plugins/ml2/drivers/openvswitch/agent/common/constants.py, where table 2 of br-int was
 * DVR_TO_SRC_MAC_VLAN and table 3 of physical bridges DVR_NOT_LEARN_VLAN), and the registers the
 * OVS firewall uses (neutron/agent/linux/openvswitch_firewall/constants.py). OVN (br-int managed by
 * ovn-controller) numbers tables differently: `bridgeRoleOf` tells them apart.
 */
export type BridgeRole = 'int' | 'tun' | 'phys' | 'ovn';

export interface NeutronTable {
  /** The constant's name in Neutron's code. */
  readonly name: string;
  readonly meaning: string;
}

export const NEUTRON_OVS_TABLES: Readonly<Record<Exclude<BridgeRole, 'ovn'>, Readonly<Record<number, NeutronTable>>>> = {
  int: {
    0: { name: 'LOCAL_SWITCHING', meaning: 'First table: tags traffic from physical bridges with the local VLAN, drops the dead VLAN 4095, sends port traffic to the anti-spoofing (24/25) or firewall tables.' },
    1: { name: 'DVR_TO_SRC_MAC', meaning: 'DVR: routed traffic of tunnel networks gets the router interface MAC as source.' },
    2: { name: 'DVR_TO_SRC_MAC_PHYSICAL', meaning: 'DVR: the same for VLAN/flat networks (DVR_TO_SRC_MAC_VLAN in older releases).' },
    3: { name: 'ARP_DVR_MAC_TO_DST_MAC', meaning: 'DVR: ARP replies to the DVR MAC are sent to the right port (tunnel networks).' },
    4: { name: 'ARP_DVR_MAC_TO_DST_MAC_PHYSICAL', meaning: 'DVR: the same for VLAN/flat networks.' },
    23: { name: 'CANARY_TABLE', meaning: 'Canary: a single flow the agent checks to notice that OVS restarted and lost its flows.' },
    24: { name: 'ARP_SPOOF_TABLE', meaning: 'ARP spoofing protection: ARP (and ND) from a port passes only when the sender IP (arp_spa) is one of the port\'s addresses or allowed address pairs; anything else is dropped. A gratuitous ARP for a VIP that is not an allowed address pair dies here.' },
    25: { name: 'MAC_SPOOF_TABLE', meaning: 'MAC spoofing protection: traffic from a port passes only with one of the port\'s MACs (in_port + dl_src); anything else is dropped.' },
    30: { name: 'LOCAL_EGRESS_TABLE', meaning: 'Local IP extension: egress traffic to Local IPs.' },
    31: { name: 'LOCAL_IP_TABLE', meaning: 'Local IP extension: translation of Local IP addresses.' },
    58: { name: 'PACKET_RATE_LIMIT', meaning: 'QoS packet rate limit (meters), 2023.1 on; table 0 goes here first. In Yoga and Zed this table was 59.' },
    59: { name: 'BANDWIDTH_RATE_LIMIT', meaning: 'QoS bandwidth limit (meters), 2023.1 on (PACKET_RATE_LIMIT in Yoga and Zed); then 60.' },
    60: { name: 'TRANSIENT_TABLE', meaning: 'Decides the path after spoofing checks: to the OVS firewall (71/81) or straight to NORMAL switching.' },
    61: { name: 'LOCAL_MAC_DIRECT', meaning: 'Direct output to a local port by destination MAC (explicitly_egress_direct); TRANSIENT_EGRESS_TABLE in Train and Ussuri.' },
    62: { name: 'TRANSIENT_EGRESS_TABLE', meaning: 'Egress NORMAL switching when the OVS firewall is off (explicitly_egress_direct).' },
    71: { name: 'BASE_EGRESS_TABLE', meaning: 'OVS firewall, egress (from the VM): per-port anti-spoofing (reg5 = port ofport; allowed IP/MAC pairs), ARP/ND/DHCP allowances, then conntrack -> 72. A VIP source that is not an allowed address pair is dropped here.' },
    72: { name: 'RULES_EGRESS_TABLE', meaning: 'OVS firewall: security group egress rules, after conntrack (ct_state, ct_zone = reg6). Accepted -> 73; otherwise dropped (93).' },
    73: { name: 'ACCEPT_OR_INGRESS_TABLE', meaning: 'OVS firewall: accepted egress is committed to conntrack and switched; traffic to another local port continues into its ingress tables (81).' },
    77: { name: 'DHCP_IPV4_TABLE', meaning: 'DHCPv4 responder in OVS (distributed DHCP).' },
    78: { name: 'DHCP_IPV6_TABLE', meaning: 'DHCPv6 responder in OVS (distributed DHCP).' },
    81: { name: 'BASE_INGRESS_TABLE', meaning: 'OVS firewall, ingress (to the VM): conntrack of traffic to the port (reg5 = port ofport) -> 82.' },
    82: { name: 'RULES_INGRESS_TABLE', meaning: 'OVS firewall: security group ingress rules (ct_state, remote groups via conjunction); accepted traffic is output to the port, the rest dropped (93). A VRRP or VIP flow without a matching rule is dropped here.' },
    91: { name: 'ACCEPTED_EGRESS_TRAFFIC_TABLE', meaning: 'Hook for accepted egress traffic (firewall logging); then switched.' },
    92: { name: 'ACCEPTED_INGRESS_TRAFFIC_TABLE', meaning: 'Hook for accepted ingress traffic (firewall logging).' },
    93: { name: 'DROPPED_TRAFFIC_TABLE', meaning: 'Where the OVS firewall drops: the flow that sent the packet here (`resubmit(,93)` in 71 port security, 72/82 security group rules) decided; 93 only drops (or logs, with the logging extension).' },
    94: { name: 'ACCEPTED_EGRESS_TRAFFIC_NORMAL_TABLE', meaning: 'Accepted egress traffic handed to NORMAL switching (with the right VLAN).' },
  },
  tun: {
    0: { name: 'LOCAL_SWITCHING', meaning: 'First table of br-tun: traffic from br-int (patch-int) -> 2 (1 with DVR), traffic from tunnels -> 3/4/6 by tunnel type.' },
    1: { name: 'DVR_PROCESS', meaning: 'DVR: traffic from br-int with DVR MACs.' },
    2: { name: 'PATCH_LV_TO_TUN', meaning: 'From br-int: unicast -> 20, broadcast/multicast -> 22 (ARP requests -> 21 with l2pop ARP responder).' },
    3: { name: 'GRE_TUN_TO_LV', meaning: 'From a GRE tunnel: tunnel key -> local VLAN, then learn (10).' },
    4: { name: 'VXLAN_TUN_TO_LV', meaning: 'From a VXLAN tunnel: VNI (tun_id) -> local VLAN, then learn (10). A VNI without a flow here is dropped (network not on this host).' },
    6: { name: 'GENEVE_TUN_TO_LV', meaning: 'From a Geneve tunnel: VNI -> local VLAN, then learn (10).' },
    9: { name: 'DVR_NOT_LEARN', meaning: 'DVR: do not learn DVR MACs from tunnels.' },
    10: { name: 'LEARN_FROM_TUN', meaning: 'Learns (MAC, VLAN) -> tunnel port into table 20, then outputs to br-int.' },
    20: { name: 'UCAST_TO_TUN', meaning: 'Unicast to the tunnel port of the destination MAC (learned or l2pop); unknown MACs -> 22.' },
    21: { name: 'ARP_RESPONDER', meaning: 'l2pop ARP responder: answers ARP requests for known ports locally; others -> 22.' },
    22: { name: 'FLOOD_TO_TUN', meaning: 'Floods to every tunnel port of the network (one flow per local VLAN).' },
  },
  phys: {
    0: { name: 'LOCAL_SWITCHING', meaning: 'First table of a physical bridge (br-ex, br-provider): traffic from br-int gets its segmentation VLAN (local VLAN translation), then NORMAL.' },
    1: { name: 'DVR_PROCESS_PHYSICAL', meaning: 'DVR: traffic with DVR MACs on VLAN/flat networks.' },
    2: { name: 'LOCAL_VLAN_TRANSLATION', meaning: 'Local VLAN -> provider segmentation VLAN.' },
    3: { name: 'DVR_NOT_LEARN_PHYSICAL', meaning: 'DVR: do not learn DVR MACs (DVR_NOT_LEARN_VLAN in older releases).' },
    80: { name: 'METADATA_EGRESS_NAT', meaning: 'OVS metadata path: NAT of traffic to the metadata service.' },
    87: { name: 'METADATA_EGRESS_OUTPUT', meaning: 'OVS metadata path: output of metadata traffic.' },
    90: { name: 'METADATA_IP_ARP_RESPONDER', meaning: 'OVS metadata path: ARP responder for the metadata IP.' },
    91: { name: 'METADATA_INGRESS_DIRECT', meaning: 'OVS metadata path: replies back to the VM.' },
  },
};

/**
 * br-int's DROPPED_TRAFFIC_TABLE: the OVS firewall drops by `resubmit(,93)` from the table that
 * decided (71 port security, 72/82 security group rules), and 93 only drops (or logs, with the
 * logging extension). The deciding flow is the one that sent the packet here.
 */
export const NEUTRON_DROPPED_TRAFFIC_TABLE = 93;

/** Registers with a meaning on Neutron and OVN bridges. */
export const NEUTRON_REGISTERS: Readonly<Record<string, string>> = {
  reg3: 'Neutron QoS: ingress bandwidth limit (REG_INGRESS_BW_LIMIT).',
  reg4: 'Neutron QoS: minimum bandwidth (REG_MIN_BW).',
  reg5: 'Neutron OVS firewall: the OpenFlow port (ofport) of the VM port the packet belongs to (REG_PORT).',
  reg6: 'Neutron OVS firewall: the network, used as conntrack zone (REG_NET).',
  reg7: 'Neutron OVS firewall: remote security group id, for logging (REG_REMOTE_GROUP).',
  reg11: 'OVN: DNAT conntrack zone of the logical router (MFF_LOG_DNAT_ZONE).',
  reg12: 'OVN: SNAT conntrack zone of the logical router (MFF_LOG_SNAT_ZONE).',
  reg13: 'OVN: conntrack zone of the logical port (MFF_LOG_CT_ZONE).',
  reg14: 'OVN: logical input port (MFF_LOG_INPORT).',
  reg15: 'OVN: logical output port (MFF_LOG_OUTPORT).',
  metadata: 'OVN: the logical datapath (switch or router) the packet is in. Neutron OVS agent: unused.',
};

/** Neutron ct_mark values of the OVS firewall. */
export const NEUTRON_CT_MARKS: Readonly<Record<string, string>> = {
  '0x0': 'CT_MARK_NORMAL: a connection the firewall accepted.',
  '0x1': 'CT_MARK_INVALID: a connection the firewall marked invalid (e.g. its security group rule was removed): its packets are dropped.',
};

const TUN_HINT_TABLES = [4, 10, 20, 21, 22];
const INT_HINT_TABLES = [24, 25, 60, 71, 72, 73, 81, 82, 94];

/**
 * The role of a bridge: from its name (`br-int`, `br-tun`, `br-ex`/other = physical), else from the
 * tables its flows use (`tables`). OVN's br-int is recognised by its flows' OVN registers
 * (`reg14`/`reg15` with `metadata=`); pass `ovnHint` when the caller saw them.
 */
export function bridgeRoleOf(bridge: string | undefined, tables: readonly number[], ovnHint = false): BridgeRole | undefined {
  if (ovnHint) return 'ovn';
  if (bridge === 'br-int') return 'int';
  if (bridge === 'br-tun') return 'tun';
  if (bridge !== undefined && bridge.startsWith('br-')) return 'phys';
  const set = new Set(tables);
  if (INT_HINT_TABLES.some((t) => set.has(t))) return 'int';
  if (TUN_HINT_TABLES.some((t) => set.has(t))) return 'tun';
  return undefined;
}

/** The meaning of table `n` on a bridge of `role`; with no role, every role's meaning. */
export function neutronTableMeanings(n: number, role: BridgeRole | undefined): { role: Exclude<BridgeRole, 'ovn'>; table: NeutronTable }[] {
  if (role === 'ovn') return [];
  const roles: Exclude<BridgeRole, 'ovn'>[] = role ? [role] : ['int', 'tun', 'phys'];
  const out: { role: Exclude<BridgeRole, 'ovn'>; table: NeutronTable }[] = [];
  for (const r of roles) {
    const t = NEUTRON_OVS_TABLES[r][n];
    if (t) out.push({ role: r, table: t });
  }
  return out;
}
