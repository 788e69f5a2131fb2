/**
 * How Neutron and nova name things on a hypervisor, as data. Neutron cuts a port id to fit
 * Linux's 15-character device names (`tap` + 11 characters) and iptables' 28-character chain
 * names (`neutron-openvswi-` + direction letter + 10 characters):
 *   port 38833ad6-c6f2-...  ->  tap38833ad6-c6, qbr38833ad6-c6, qvb38833ad6-c6, qvo38833ad6-c6,
 *                              neutron-openvswi-i38833ad6-c / -o38833ad6-c / -s38833ad6-c
 */
export const DEVICE_PREFIXES = ['tap', 'qbr', 'qvb', 'qvo'] as const;
export type DevicePrefix = (typeof DEVICE_PREFIXES)[number];

/** `tap38833ad6-c6` -> `{prefix: 'tap', portId: '38833ad6-c6'}`. */
export function decodeDeviceName(name: string): { prefix: DevicePrefix; portId: string } | undefined {
  const m = /^(tap|qbr|qvb|qvo)([0-9a-f]{8}-[0-9a-f]{2})$/.exec(name);
  return m ? { prefix: m[1] as DevicePrefix, portId: m[2] ?? '' } : undefined;
}

export const CHAIN_DIRECTIONS = { i: 'ingress', o: 'egress', s: 'spoof' } as const;
export type ChainDirection = (typeof CHAIN_DIRECTIONS)[keyof typeof CHAIN_DIRECTIONS];

/** `neutron-openvswi-s38833ad6-c` -> `{driver: 'openvswi', direction: 'spoof', portIdPrefix: '38833ad6-c'}`. */
export function decodeNeutronChain(name: string): { driver: string; direction: ChainDirection; portIdPrefix: string } | undefined {
  const m = /^neutron-(openvswi|linuxbri)-([ios])([0-9a-f]{8}-[0-9a-f])$/.exec(name);
  if (!m) return undefined;
  return { driver: m[1] ?? '', direction: CHAIN_DIRECTIONS[(m[2] ?? 'i') as keyof typeof CHAIN_DIRECTIONS], portIdPrefix: m[3] ?? '' };
}

/** libvirt nwfilter chains of nova-network: `I-tap0678bf1d-41-ipv4-ip`, `libvirt-I-vnet0`. */
export function decodeLibvirtChain(name: string): { direction: 'in' | 'out'; device: string; part?: string } | undefined {
  const root = /^libvirt-([IO])-(.+)$/.exec(name);
  if (root) return { direction: root[1] === 'I' ? 'in' : 'out', device: root[2] ?? '' };
  const sub = /^([IO])-(.+?)-(mac|ipv4-ip|ipv4|arp-mac|arp-ip|arp|ipv6|rarp)$/.exec(name);
  if (sub) return { direction: sub[1] === 'I' ? 'in' : 'out', device: sub[2] ?? '', part: sub[3] ?? '' };
  return undefined;
}

/** What Neutron's OVS agent uses each br-int / br-tun table for (neutron/plugins/ml2/drivers/openvswitch/agent/common/constants.py). */
export const NEUTRON_BR_INT_TABLES: Readonly<Record<number, string>> = {
  0: 'LOCAL_SWITCHING: classify traffic by input port',
  1: 'DVR_TO_SRC_MAC: DVR, rewrite the source MAC of routed traffic to the local router port',
  2: 'DVR_TO_SRC_MAC_VLAN: DVR on VLAN networks',
  3: 'DVR_TO_SRC_MAC_PHYSICAL / local VLAN to VLAN',
  23: 'CANARY_TABLE: the agent checks this table to detect an OVS restart',
  24: 'ARP_SPOOF_TABLE: only ARP from the port\'s own IPs (and allowed address pairs) passes',
  25: 'MAC_SPOOF_TABLE: only frames from the port\'s own MAC (and allowed pairs) pass',
  60: 'TRANSIENT_TABLE: normal switching, or into the OVS firewall',
  61: 'TRANSIENT_EGRESS_TABLE',
  62: 'LOCAL_EGRESS_TABLE',
  71: 'BASE_EGRESS_TABLE (OVS firewall): egress port security — source MAC/IP must be the port\'s own or an allowed address pair',
  72: 'RULES_EGRESS_TABLE (OVS firewall): egress security group rules',
  73: 'ACCEPT_OR_INGRESS_TABLE (OVS firewall): accepted egress, or traffic to a port on this host',
  81: 'BASE_INGRESS_TABLE (OVS firewall): ingress conntrack',
  82: 'RULES_INGRESS_TABLE (OVS firewall): ingress security group rules',
  91: 'ACCEPTED_EGRESS_TRAFFIC_TABLE',
  92: 'ACCEPTED_INGRESS_TRAFFIC_TABLE',
  93: 'DROPPED_TRAFFIC_TABLE',
  94: 'ACCEPTED_EGRESS_TRAFFIC_NORMAL_TABLE',
};

export const NEUTRON_BR_TUN_TABLES: Readonly<Record<number, string>> = {
  0: 'classify: from br-int (patch-int) or from a tunnel',
  1: 'DVR_PROCESS: DVR MAC rewriting for routed traffic',
  2: 'PATCH_LV_TO_TUN: unicast vs flood from br-int',
  3: 'GRE_TUN_TO_LV',
  4: 'VXLAN_TUN_TO_LV: tunnel id to local VLAN',
  6: 'GENEVE_TUN_TO_LV',
  9: 'DVR_NOT_LEARN',
  10: 'LEARN_FROM_TUN: learn remote MACs',
  20: 'UCAST_TO_TUN: known unicast to a tunnel',
  21: 'ARP_RESPONDER: answer ARP locally (l2population)',
  22: 'FLOOD_TO_TUN: flood to all tunnels of the network',
};
