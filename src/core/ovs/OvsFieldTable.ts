/**
 * The Open vSwitch match/set fields as data, generated from OVS's own field catalogue
 * (`include/openvswitch/meta-flow.h`, the source of ovs-fields(7)) and then checked by hand.
 * Canonical names follow ovs-fields(7) (`eth_src`, `ip_src`, `tcp_dst`...); the names
 * `ovs-ofctl dump-flows` prints (`dl_src`, `nw_src`, `tp_dst`...) are aliases. NXM/OXM names
 * (`NXM_NX_REG0`, `OXM_OF_METADATA`) are what `load:`/`move:`/`learn(...)` print.
 * Lookups never throw: an unknown name gives `undefined`.
 */

/** How a field's value is written in flows: this picks the value parser. */
export type OvsValueKind =
  | 'decimal' | 'hex' | 'mac' | 'ipv4' | 'ipv6' | 'ofport'
  | 'ctState' | 'tcpFlags' | 'tunFlags' | 'frag' | 'packetType';

export interface OvsFieldDef {
  /** Canonical name, as in ovs-fields(7). */
  readonly name: string;
  /** Other names OVS accepts or prints for the same field (`dl_src` for `eth_src`). */
  readonly aliases: readonly string[];
  /** Width of the value in bits (vlan_vid has 13: 12 VID bits plus OFPVID_PRESENT 0x1000). */
  readonly bits: number;
  readonly kind: OvsValueKind;
  /** Whether `field=value/mask` is allowed (OVS: "Maskable: bitwise"). */
  readonly maskable: boolean;
  /** OVS's prerequisite class ("Ethernet", "IPv4", "TCP", "ND solicit"...), or "none". */
  readonly prerequisites: string;
  /** Whether set_field/load may write it. */
  readonly writable: boolean;
  readonly nxm?: string;
  readonly oxm?: string;
  /** Printed by OVS (flow_format / match_format) but not a meta-flow field name. */
  readonly printedOnly?: boolean;
}

const BASE_FIELDS = [
  { name: 'dp_hash', aliases: [], bits: 32, kind: 'hex', maskable: true, prerequisites: 'none', writable: false, nxm: 'NXM_NX_DP_HASH', oxm: 'NXOXM_ET_DP_HASH' },
  { name: 'recirc_id', aliases: [], bits: 32, kind: 'decimal', maskable: false, prerequisites: 'none', writable: false, nxm: 'NXM_NX_RECIRC_ID' },
  { name: 'packet_type', aliases: [], bits: 32, kind: 'packetType', maskable: false, prerequisites: 'none', writable: false, oxm: 'OXM_OF_PACKET_TYPE' },
  { name: 'conj_id', aliases: [], bits: 32, kind: 'decimal', maskable: false, prerequisites: 'none', writable: false, nxm: 'NXM_NX_CONJ_ID' },
  { name: 'tun_id', aliases: ['tunnel_id'], bits: 64, kind: 'hex', maskable: true, prerequisites: 'none', writable: true, nxm: 'NXM_NX_TUN_ID', oxm: 'OXM_OF_TUNNEL_ID' },
  { name: 'tun_src', aliases: [], bits: 32, kind: 'ipv4', maskable: true, prerequisites: 'none', writable: true, nxm: 'NXM_NX_TUN_IPV4_SRC' },
  { name: 'tun_dst', aliases: [], bits: 32, kind: 'ipv4', maskable: true, prerequisites: 'none', writable: true, nxm: 'NXM_NX_TUN_IPV4_DST' },
  { name: 'tun_ipv6_src', aliases: [], bits: 128, kind: 'ipv6', maskable: true, prerequisites: 'none', writable: true, nxm: 'NXM_NX_TUN_IPV6_SRC' },
  { name: 'tun_ipv6_dst', aliases: [], bits: 128, kind: 'ipv6', maskable: true, prerequisites: 'none', writable: true, nxm: 'NXM_NX_TUN_IPV6_DST' },
  { name: 'tun_flags', aliases: [], bits: 4, kind: 'tunFlags', maskable: true, prerequisites: 'none', writable: true, nxm: 'NXM_NX_TUN_FLAGS' },
  { name: 'tun_ttl', aliases: [], bits: 8, kind: 'decimal', maskable: false, prerequisites: 'none', writable: false },
  { name: 'tun_tos', aliases: [], bits: 8, kind: 'decimal', maskable: false, prerequisites: 'none', writable: false },
  { name: 'tun_gbp_id', aliases: [], bits: 16, kind: 'decimal', maskable: true, prerequisites: 'none', writable: true, nxm: 'NXM_NX_TUN_GBP_ID' },
  { name: 'tun_gbp_flags', aliases: [], bits: 8, kind: 'hex', maskable: true, prerequisites: 'none', writable: true, nxm: 'NXM_NX_TUN_GBP_FLAGS' },
  { name: 'tun_erspan_idx', aliases: [], bits: 20, kind: 'hex', maskable: true, prerequisites: 'none', writable: true, oxm: 'NXOXM_ET_ERSPAN_IDX' },
  { name: 'tun_erspan_ver', aliases: [], bits: 4, kind: 'decimal', maskable: true, prerequisites: 'none', writable: true, oxm: 'NXOXM_ET_ERSPAN_VER' },
  { name: 'tun_erspan_dir', aliases: [], bits: 1, kind: 'decimal', maskable: true, prerequisites: 'none', writable: true, oxm: 'NXOXM_ET_ERSPAN_DIR' },
  { name: 'tun_erspan_hwid', aliases: [], bits: 6, kind: 'hex', maskable: true, prerequisites: 'none', writable: true, oxm: 'NXOXM_ET_ERSPAN_HWID' },
  { name: 'tun_gtpu_flags', aliases: ['gtpu_flags'], bits: 8, kind: 'hex', maskable: true, prerequisites: 'none', writable: false, oxm: 'NXOXM_ET_GTPU_FLAGS' },
  { name: 'tun_gtpu_msgtype', aliases: ['gtpu_msgtype'], bits: 8, kind: 'decimal', maskable: true, prerequisites: 'none', writable: false, oxm: 'NXOXM_ET_GTPU_MSGTYPE' },
  { name: 'metadata', aliases: [], bits: 64, kind: 'hex', maskable: true, prerequisites: 'none', writable: true, oxm: 'OXM_OF_METADATA' },
  { name: 'in_port', aliases: [], bits: 16, kind: 'ofport', maskable: false, prerequisites: 'none', writable: true, nxm: 'NXM_OF_IN_PORT' },
  { name: 'in_port_oxm', aliases: [], bits: 32, kind: 'ofport', maskable: false, prerequisites: 'none', writable: true, oxm: 'OXM_OF_IN_PORT' },
  { name: 'actset_output', aliases: [], bits: 32, kind: 'ofport', maskable: false, prerequisites: 'none', writable: false, oxm: 'ONFOXM_ET_ACTSET_OUTPUT' },
  { name: 'skb_priority', aliases: [], bits: 32, kind: 'hex', maskable: false, prerequisites: 'none', writable: false },
  { name: 'pkt_mark', aliases: [], bits: 32, kind: 'hex', maskable: true, prerequisites: 'none', writable: true, nxm: 'NXM_NX_PKT_MARK' },
  { name: 'ct_state', aliases: [], bits: 32, kind: 'ctState', maskable: true, prerequisites: 'none', writable: false, nxm: 'NXM_NX_CT_STATE' },
  { name: 'ct_zone', aliases: [], bits: 16, kind: 'hex', maskable: false, prerequisites: 'none', writable: false, nxm: 'NXM_NX_CT_ZONE' },
  { name: 'ct_mark', aliases: [], bits: 32, kind: 'hex', maskable: true, prerequisites: 'none', writable: true, nxm: 'NXM_NX_CT_MARK' },
  { name: 'ct_label', aliases: [], bits: 128, kind: 'hex', maskable: true, prerequisites: 'none', writable: true, nxm: 'NXM_NX_CT_LABEL' },
  { name: 'ct_nw_proto', aliases: [], bits: 8, kind: 'decimal', maskable: false, prerequisites: 'CT', writable: false, nxm: 'NXM_NX_CT_NW_PROTO' },
  { name: 'ct_nw_src', aliases: [], bits: 32, kind: 'ipv4', maskable: true, prerequisites: 'CT', writable: false, nxm: 'NXM_NX_CT_NW_SRC' },
  { name: 'ct_nw_dst', aliases: [], bits: 32, kind: 'ipv4', maskable: true, prerequisites: 'CT', writable: false, nxm: 'NXM_NX_CT_NW_DST' },
  { name: 'ct_ipv6_src', aliases: [], bits: 128, kind: 'ipv6', maskable: true, prerequisites: 'CT', writable: false, nxm: 'NXM_NX_CT_IPV6_SRC' },
  { name: 'ct_ipv6_dst', aliases: [], bits: 128, kind: 'ipv6', maskable: true, prerequisites: 'CT', writable: false, nxm: 'NXM_NX_CT_IPV6_DST' },
  { name: 'ct_tp_src', aliases: [], bits: 16, kind: 'decimal', maskable: true, prerequisites: 'CT', writable: false, nxm: 'NXM_NX_CT_TP_SRC' },
  { name: 'ct_tp_dst', aliases: [], bits: 16, kind: 'decimal', maskable: true, prerequisites: 'CT', writable: false, nxm: 'NXM_NX_CT_TP_DST' },
  { name: 'eth_src', aliases: ['dl_src'], bits: 48, kind: 'mac', maskable: true, prerequisites: 'Ethernet', writable: true, nxm: 'NXM_OF_ETH_SRC', oxm: 'OXM_OF_ETH_SRC' },
  { name: 'eth_dst', aliases: ['dl_dst'], bits: 48, kind: 'mac', maskable: true, prerequisites: 'Ethernet', writable: true, nxm: 'NXM_OF_ETH_DST', oxm: 'OXM_OF_ETH_DST' },
  { name: 'eth_type', aliases: ['dl_type'], bits: 16, kind: 'hex', maskable: false, prerequisites: 'Ethernet', writable: false, nxm: 'NXM_OF_ETH_TYPE', oxm: 'OXM_OF_ETH_TYPE' },
  { name: 'vlan_tci', aliases: [], bits: 16, kind: 'hex', maskable: true, prerequisites: 'Ethernet', writable: true, nxm: 'NXM_OF_VLAN_TCI' },
  { name: 'dl_vlan', aliases: [], bits: 12, kind: 'decimal', maskable: false, prerequisites: 'Ethernet', writable: true },
  { name: 'vlan_vid', aliases: [], bits: 13, kind: 'decimal', maskable: true, prerequisites: 'Ethernet', writable: true, oxm: 'OXM_OF_VLAN_VID' },
  { name: 'dl_vlan_pcp', aliases: [], bits: 3, kind: 'decimal', maskable: false, prerequisites: 'Ethernet', writable: true },
  { name: 'vlan_pcp', aliases: [], bits: 3, kind: 'decimal', maskable: false, prerequisites: 'VLAN VID', writable: true, oxm: 'OXM_OF_VLAN_PCP' },
  { name: 'mpls_label', aliases: [], bits: 20, kind: 'decimal', maskable: false, prerequisites: 'MPLS', writable: true, oxm: 'OXM_OF_MPLS_LABEL' },
  { name: 'mpls_tc', aliases: [], bits: 3, kind: 'decimal', maskable: false, prerequisites: 'MPLS', writable: true, oxm: 'OXM_OF_MPLS_TC' },
  { name: 'mpls_bos', aliases: [], bits: 1, kind: 'decimal', maskable: false, prerequisites: 'MPLS', writable: false, oxm: 'OXM_OF_MPLS_BOS' },
  { name: 'mpls_ttl', aliases: [], bits: 8, kind: 'decimal', maskable: false, prerequisites: 'MPLS', writable: true, nxm: 'NXM_NX_MPLS_TTL' },
  { name: 'ip_src', aliases: ['nw_src'], bits: 32, kind: 'ipv4', maskable: true, prerequisites: 'IPv4', writable: true, nxm: 'NXM_OF_IP_SRC', oxm: 'OXM_OF_IPV4_SRC' },
  { name: 'ip_dst', aliases: ['nw_dst'], bits: 32, kind: 'ipv4', maskable: true, prerequisites: 'IPv4', writable: true, nxm: 'NXM_OF_IP_DST', oxm: 'OXM_OF_IPV4_DST' },
  { name: 'ipv6_src', aliases: [], bits: 128, kind: 'ipv6', maskable: true, prerequisites: 'IPv6', writable: true, nxm: 'NXM_NX_IPV6_SRC', oxm: 'OXM_OF_IPV6_SRC' },
  { name: 'ipv6_dst', aliases: [], bits: 128, kind: 'ipv6', maskable: true, prerequisites: 'IPv6', writable: true, nxm: 'NXM_NX_IPV6_DST', oxm: 'OXM_OF_IPV6_DST' },
  { name: 'ipv6_label', aliases: [], bits: 20, kind: 'hex', maskable: true, prerequisites: 'IPv6', writable: true, nxm: 'NXM_NX_IPV6_LABEL', oxm: 'OXM_OF_IPV6_FLABEL' },
  { name: 'nw_proto', aliases: ['ip_proto'], bits: 8, kind: 'decimal', maskable: false, prerequisites: 'IPv4/IPv6', writable: false, nxm: 'NXM_OF_IP_PROTO', oxm: 'OXM_OF_IP_PROTO' },
  { name: 'nw_tos', aliases: [], bits: 8, kind: 'decimal', maskable: false, prerequisites: 'IPv4/IPv6', writable: true, nxm: 'NXM_OF_IP_TOS' },
  { name: 'ip_dscp', aliases: [], bits: 6, kind: 'decimal', maskable: false, prerequisites: 'IPv4/IPv6', writable: true, oxm: 'OXM_OF_IP_DSCP' },
  { name: 'nw_ecn', aliases: ['ip_ecn'], bits: 2, kind: 'decimal', maskable: false, prerequisites: 'IPv4/IPv6', writable: true, nxm: 'NXM_NX_IP_ECN', oxm: 'OXM_OF_IP_ECN' },
  { name: 'nw_ttl', aliases: [], bits: 8, kind: 'decimal', maskable: false, prerequisites: 'IPv4/IPv6', writable: true, nxm: 'NXM_NX_IP_TTL' },
  { name: 'ip_frag', aliases: ['nw_frag'], bits: 2, kind: 'frag', maskable: true, prerequisites: 'IPv4/IPv6', writable: false, nxm: 'NXM_NX_IP_FRAG' },
  { name: 'arp_op', aliases: [], bits: 16, kind: 'decimal', maskable: false, prerequisites: 'ARP', writable: true, nxm: 'NXM_OF_ARP_OP', oxm: 'OXM_OF_ARP_OP' },
  { name: 'arp_spa', aliases: [], bits: 32, kind: 'ipv4', maskable: true, prerequisites: 'ARP', writable: true, nxm: 'NXM_OF_ARP_SPA', oxm: 'OXM_OF_ARP_SPA' },
  { name: 'arp_tpa', aliases: [], bits: 32, kind: 'ipv4', maskable: true, prerequisites: 'ARP', writable: true, nxm: 'NXM_OF_ARP_TPA', oxm: 'OXM_OF_ARP_TPA' },
  { name: 'arp_sha', aliases: [], bits: 48, kind: 'mac', maskable: true, prerequisites: 'ARP', writable: true, nxm: 'NXM_NX_ARP_SHA', oxm: 'OXM_OF_ARP_SHA' },
  { name: 'arp_tha', aliases: [], bits: 48, kind: 'mac', maskable: true, prerequisites: 'ARP', writable: true, nxm: 'NXM_NX_ARP_THA', oxm: 'OXM_OF_ARP_THA' },
  { name: 'tcp_src', aliases: ['tp_src'], bits: 16, kind: 'decimal', maskable: true, prerequisites: 'TCP', writable: true, nxm: 'NXM_OF_TCP_SRC', oxm: 'OXM_OF_TCP_SRC' },
  { name: 'tcp_dst', aliases: ['tp_dst'], bits: 16, kind: 'decimal', maskable: true, prerequisites: 'TCP', writable: true, nxm: 'NXM_OF_TCP_DST', oxm: 'OXM_OF_TCP_DST' },
  { name: 'tcp_flags', aliases: [], bits: 12, kind: 'tcpFlags', maskable: true, prerequisites: 'TCP', writable: false, nxm: 'NXM_NX_TCP_FLAGS', oxm: 'ONFOXM_ET_TCP_FLAGS' },
  { name: 'udp_src', aliases: [], bits: 16, kind: 'decimal', maskable: true, prerequisites: 'UDP', writable: true, nxm: 'NXM_OF_UDP_SRC', oxm: 'OXM_OF_UDP_SRC' },
  { name: 'udp_dst', aliases: [], bits: 16, kind: 'decimal', maskable: true, prerequisites: 'UDP', writable: true, nxm: 'NXM_OF_UDP_DST', oxm: 'OXM_OF_UDP_DST' },
  { name: 'sctp_src', aliases: [], bits: 16, kind: 'decimal', maskable: true, prerequisites: 'SCTP', writable: true, oxm: 'OXM_OF_SCTP_SRC' },
  { name: 'sctp_dst', aliases: [], bits: 16, kind: 'decimal', maskable: true, prerequisites: 'SCTP', writable: true, oxm: 'OXM_OF_SCTP_DST' },
  { name: 'icmp_type', aliases: [], bits: 8, kind: 'decimal', maskable: false, prerequisites: 'ICMPv4', writable: true, nxm: 'NXM_OF_ICMP_TYPE', oxm: 'OXM_OF_ICMPV4_TYPE' },
  { name: 'icmp_code', aliases: [], bits: 8, kind: 'decimal', maskable: false, prerequisites: 'ICMPv4', writable: true, nxm: 'NXM_OF_ICMP_CODE', oxm: 'OXM_OF_ICMPV4_CODE' },
  { name: 'icmpv6_type', aliases: [], bits: 8, kind: 'decimal', maskable: false, prerequisites: 'ICMPv6', writable: true, nxm: 'NXM_NX_ICMPV6_TYPE', oxm: 'OXM_OF_ICMPV6_TYPE' },
  { name: 'icmpv6_code', aliases: [], bits: 8, kind: 'decimal', maskable: false, prerequisites: 'ICMPv6', writable: true, nxm: 'NXM_NX_ICMPV6_CODE', oxm: 'OXM_OF_ICMPV6_CODE' },
  { name: 'nd_target', aliases: [], bits: 128, kind: 'ipv6', maskable: true, prerequisites: 'ND', writable: true, nxm: 'NXM_NX_ND_TARGET', oxm: 'OXM_OF_IPV6_ND_TARGET' },
  { name: 'nd_sll', aliases: [], bits: 48, kind: 'mac', maskable: true, prerequisites: 'ND solicit', writable: true, nxm: 'NXM_NX_ND_SLL', oxm: 'OXM_OF_IPV6_ND_SLL' },
  { name: 'nd_tll', aliases: [], bits: 48, kind: 'mac', maskable: true, prerequisites: 'ND advert', writable: true, nxm: 'NXM_NX_ND_TLL', oxm: 'OXM_OF_IPV6_ND_TLL' },
  { name: 'nd_reserved', aliases: [], bits: 32, kind: 'decimal', maskable: false, prerequisites: 'ND', writable: true, oxm: 'ERICOXM_OF_ICMPV6_ND_RESERVED' },
  { name: 'nd_options_type', aliases: [], bits: 8, kind: 'decimal', maskable: false, prerequisites: 'ND', writable: true, oxm: 'ERICOXM_OF_ICMPV6_ND_OPTIONS_TYPE' },
  { name: 'nsh_flags', aliases: [], bits: 8, kind: 'decimal', maskable: true, prerequisites: 'NSH', writable: true, oxm: 'NXOXM_NSH_FLAGS' },
  { name: 'nsh_mdtype', aliases: [], bits: 8, kind: 'decimal', maskable: false, prerequisites: 'NSH', writable: false, oxm: 'NXOXM_NSH_MDTYPE' },
  { name: 'nsh_np', aliases: [], bits: 8, kind: 'decimal', maskable: false, prerequisites: 'NSH', writable: false, oxm: 'NXOXM_NSH_NP' },
  { name: 'nsh_spi', aliases: ['nsp'], bits: 24, kind: 'hex', maskable: false, prerequisites: 'NSH', writable: true, oxm: 'NXOXM_NSH_SPI' },
  { name: 'nsh_si', aliases: ['nsi'], bits: 8, kind: 'decimal', maskable: false, prerequisites: 'NSH', writable: true, oxm: 'NXOXM_NSH_SI' },
  { name: 'nsh_ttl', aliases: [], bits: 8, kind: 'decimal', maskable: false, prerequisites: 'NSH', writable: true, oxm: 'NXOXM_NSH_TTL' },

  // Printed by match_format() for the second (inner) VLAN header and extra MPLS labels.
  { name: 'vlan_tci1', aliases: [], bits: 16, kind: 'hex', maskable: true, prerequisites: 'Ethernet', writable: false, printedOnly: true },
  { name: 'dl_vlan1', aliases: [], bits: 12, kind: 'decimal', maskable: false, prerequisites: 'Ethernet', writable: false, printedOnly: true },
  { name: 'dl_vlan_pcp1', aliases: [], bits: 3, kind: 'decimal', maskable: false, prerequisites: 'Ethernet', writable: false, printedOnly: true },
  { name: 'mpls_lse1', aliases: [], bits: 32, kind: 'hex', maskable: true, prerequisites: 'MPLS', writable: false, printedOnly: true },
  { name: 'mpls_lse2', aliases: [], bits: 32, kind: 'hex', maskable: true, prerequisites: 'MPLS', writable: false, printedOnly: true },
] as const satisfies readonly OvsFieldDef[];

type BaseFieldName = (typeof BASE_FIELDS)[number]['name'];

/** A canonical field name; numbered families (`reg0`..`reg31`, `tun_metadata0`..) included. */
export type OvsFieldName =
  | BaseFieldName
  | `reg${number}` | `xreg${number}` | `xxreg${number}` | `tun_metadata${number}` | `nsh_c${number}`;

/** Register-like families: one row each in meta-flow.h, expanded here. */
const FAMILIES: readonly {
  readonly prefix: string; readonly count: number; readonly bits: number;
  readonly nxm?: (i: number) => string | undefined; readonly oxm?: (i: number) => string | undefined;
  readonly aliasPrefix?: string; readonly first?: number; readonly prerequisites?: string;
}[] = [
  // reg0-15 are NXM_NX_REGn; reg16-31 (OVS 3.7+) only have experimenter OXM codes.
  { prefix: 'reg', count: 32, bits: 32, nxm: (i) => (i < 16 ? `NXM_NX_REG${i}` : undefined), oxm: (i) => (i >= 16 ? `NXOXM_ET_REG${i}` : undefined) },
  // xregN overlays reg(2N) (high 32 bits) and reg(2N+1) (low 32 bits).
  { prefix: 'xreg', count: 16, bits: 64, oxm: (i) => `OXM_OF_PKT_REG${i}` },
  // xxregN overlays reg(4N)..reg(4N+3).
  { prefix: 'xxreg', count: 8, bits: 128, nxm: (i) => (i < 4 ? `NXM_NX_XXREG${i}` : undefined), oxm: (i) => (i >= 4 ? `NXOXM_ET_XXREG${i}` : undefined) },
  // Geneve options mapped by tlv-map; up to 124 bytes each.
  { prefix: 'tun_metadata', count: 64, bits: 992, nxm: (i) => `NXM_NX_TUN_METADATA${i}` },
  { prefix: 'nsh_c', count: 4, first: 1, bits: 32, aliasPrefix: 'nshc', oxm: (i) => `NXOXM_NSH_C${i}`, prerequisites: 'NSH' },
];

function expandFamilies(): OvsFieldDef[] {
  const out: OvsFieldDef[] = [];
  for (const f of FAMILIES) {
    const first = f.first ?? 0;
    for (let i = first; i < first + f.count; i++) {
      const nxm = f.nxm?.(i);
      const oxm = f.oxm?.(i);
      out.push({
        name: `${f.prefix}${i}`,
        aliases: f.aliasPrefix ? [`${f.aliasPrefix}${i}`] : [],
        bits: f.bits,
        kind: 'hex',
        maskable: true,
        prerequisites: f.prerequisites ?? 'none',
        writable: true,
        ...(nxm ? { nxm } : {}),
        ...(oxm ? { oxm } : {}),
      });
    }
  }
  return out;
}

/** Every field, canonical order: meta-flow.h order, then the numbered families. */
export const OVS_FIELDS: readonly OvsFieldDef[] = [...BASE_FIELDS, ...expandFamilies()];

const BY_NAME = new Map<string, OvsFieldDef>();
const BY_NXM = new Map<string, OvsFieldDef>();
for (const f of OVS_FIELDS) {
  BY_NAME.set(f.name, f);
  for (const a of f.aliases) BY_NAME.set(a, f);
  if (f.nxm) BY_NXM.set(f.nxm, f);
  if (f.oxm) BY_NXM.set(f.oxm, f);
}

/** `eth_src`, `dl_src` -> the eth_src definition. Case-sensitive, as OVS is. */
export function ovsFieldByName(name: string): OvsFieldDef | undefined {
  return BY_NAME.get(name);
}

/** `NXM_OF_ETH_SRC`, `OXM_OF_METADATA`, `NXM_NX_REG6` -> the field; `_W` (masked) forms too. */
export function ovsFieldByNxmName(name: string): OvsFieldDef | undefined {
  const f = BY_NXM.get(name);
  if (f) return f;
  return name.endsWith('_W') ? BY_NXM.get(name.slice(0, -2)) : undefined;
}

/** A field by any of its names: canonical, alias, NXM or OXM. */
export function ovsFieldByAnyName(name: string): OvsFieldDef | undefined {
  return BY_NAME.get(name) ?? ovsFieldByNxmName(name);
}

/** The all-ones mask of a field (`0xffff` for a 16-bit field). */
export function fullMask(def: OvsFieldDef): bigint {
  let m = MASKS.get(def.bits);
  if (m === undefined) {
    m = (1n << BigInt(def.bits)) - 1n;
    MASKS.set(def.bits, m);
  }
  return m;
}

const MASKS = new Map<number, bigint>();

/**
 * Protocol keywords and the prerequisites they stand for (ofp-parse.c `ofp_parse_protocol`):
 * `tcp` means `eth_type=0x0800,nw_proto=6`.
 */
export const OVS_PROTOCOL_SHORTHANDS: Readonly<Record<string, { readonly ethType: number; readonly nwProto?: number }>> = {
  ip: { ethType: 0x0800 },
  ipv4: { ethType: 0x0800 },
  ip4: { ethType: 0x0800 },
  arp: { ethType: 0x0806 },
  icmp: { ethType: 0x0800, nwProto: 1 },
  tcp: { ethType: 0x0800, nwProto: 6 },
  udp: { ethType: 0x0800, nwProto: 17 },
  sctp: { ethType: 0x0800, nwProto: 132 },
  ipv6: { ethType: 0x86dd },
  ip6: { ethType: 0x86dd },
  icmp6: { ethType: 0x86dd, nwProto: 58 },
  tcp6: { ethType: 0x86dd, nwProto: 6 },
  udp6: { ethType: 0x86dd, nwProto: 17 },
  sctp6: { ethType: 0x86dd, nwProto: 132 },
  rarp: { ethType: 0x8035 },
  mpls: { ethType: 0x8847 },
  mplsm: { ethType: 0x8848 },
};

/** A named bit of a flags field (`+trk`, `+syn`, `+key`). */
export interface OvsFlagBit {
  readonly name: string;
  readonly bit: number;
}

/** ct_state bits (lib/packets.h CS_STATES). */
export const CT_STATE_FLAGS: readonly OvsFlagBit[] = [
  { name: 'new', bit: 0x01 }, { name: 'est', bit: 0x02 }, { name: 'rel', bit: 0x04 }, { name: 'rpl', bit: 0x08 },
  { name: 'inv', bit: 0x10 }, { name: 'trk', bit: 0x20 }, { name: 'snat', bit: 0x40 }, { name: 'dnat', bit: 0x80 },
];

/** TCP flags as OVS names them (lib/packets.c packet_tcp_flag_to_string). */
export const TCP_FLAGS: readonly OvsFlagBit[] = [
  { name: 'fin', bit: 0x001 }, { name: 'syn', bit: 0x002 }, { name: 'rst', bit: 0x004 }, { name: 'psh', bit: 0x008 },
  { name: 'ack', bit: 0x010 }, { name: 'urg', bit: 0x020 }, { name: 'ece', bit: 0x040 }, { name: 'cwr', bit: 0x080 },
  { name: 'ns', bit: 0x100 }, { name: '[200]', bit: 0x200 }, { name: '[400]', bit: 0x400 }, { name: '[800]', bit: 0x800 },
];

/** Tunnel flags (FLOW_TNL_F_*): only `oam` is matchable in OpenFlow, the rest appear in megaflows. */
export const TUN_FLAGS: readonly OvsFlagBit[] = [
  { name: 'oam', bit: 0x1 }, { name: 'df', bit: 0x2 }, { name: 'csum', bit: 0x4 }, { name: 'key', bit: 0x8 },
];

/** The flag table of each flags-valued kind. */
export const OVS_FLAG_TABLES: Readonly<Record<'ctState' | 'tcpFlags' | 'tunFlags', readonly OvsFlagBit[]>> = {
  ctState: CT_STATE_FLAGS,
  tcpFlags: TCP_FLAGS,
  tunFlags: TUN_FLAGS,
};

/** nw_frag / ip_frag keywords (meta-flow.c all_frags): value and mask over the 2 frag bits. */
export const OVS_FRAG_VALUES: Readonly<Record<string, { readonly value: number; readonly mask: number }>> = {
  no: { value: 0, mask: 3 },
  first: { value: 1, mask: 3 },
  later: { value: 3, mask: 3 },
  yes: { value: 1, mask: 1 },
  not_later: { value: 0, mask: 2 },
};

/**
 * OpenFlow reserved ports by name, as 16-bit OpenFlow 1.0 numbers (OVS's internal ofp_port_t;
 * OpenFlow 1.1+ 0xfffffffX values are mapped onto these).
 */
export type OvsReservedPortName = 'IN_PORT' | 'TABLE' | 'NORMAL' | 'FLOOD' | 'ALL' | 'CONTROLLER' | 'LOCAL' | 'ANY' | 'NONE' | 'UNSET';

export const OVS_RESERVED_PORTS: Readonly<Record<OvsReservedPortName, number>> = {
  IN_PORT: 0xfff8,
  TABLE: 0xfff9,
  NORMAL: 0xfffa,
  FLOOD: 0xfffb,
  ALL: 0xfffc,
  CONTROLLER: 0xfffd,
  LOCAL: 0xfffe,
  ANY: 0xffff,
  NONE: 0xffff,
  UNSET: 0xfff7,
};

export function isReservedPortName(name: string): name is OvsReservedPortName {
  return Object.prototype.hasOwnProperty.call(OVS_RESERVED_PORTS, name);
}
