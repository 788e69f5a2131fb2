import type { IpAddress } from '../net/IpAddress';
import type { Span } from '../text/Span';
import type { Address } from './Address';

/** `vxlan id 267 remote 10.0.0.2 local 172.16.0.11 dev eth0 dstport 8472` (`ip -d link`). */
export interface LinkVxlan {
  readonly id?: number;
  readonly remote?: IpAddress;
  /** Multicast group instead of a unicast remote. */
  readonly group?: IpAddress;
  readonly local?: IpAddress;
  readonly dstport?: number;
  /** Underlay device. */
  readonly dev?: string;
  /** `external` (collect_metadata): the OVS `vxlan_sys_4789` style device. */
  readonly external: boolean;
}

/** Linux bridge settings that change forwarding (`bridge ... stp_state 0 ... vlan_filtering 1`). */
export interface LinkBridge {
  readonly stpState?: number;
  readonly vlanFiltering?: boolean;
}

/** A Linux bridge port's settings (`bridge_slave state forwarding ... hairpin off ... learning on flood on`). */
export interface LinkBridgeSlave {
  readonly state?: string;
  readonly hairpin?: boolean;
  readonly learning?: boolean;
  readonly flood?: boolean;
}

/**
 * A network device as `ip link` / `ip addr` (text, `-d`, `-s`, `-o`) or `ip -j` print it.
 * `qvo1234@qvb1234: ...` gives `name: 'qvo1234', peerName: 'qvb1234'`; a peer in another namespace
 * prints as `@if12` (and `linkNetnsId` / `linkNetns` say which namespace).
 */
export interface Link {
  readonly index?: number;
  readonly name: string;
  readonly peerName?: string;
  readonly linkNetnsId?: number;
  /** `link-netns qrouter-...` (newer iproute2 prints the name when it knows it). */
  readonly linkNetns?: string;
  /** `veth`, `bridge`, `openvswitch`, `vxlan`, `tun`, `dummy`, `vlan`... (from `-d` or `linkinfo.info_kind`). */
  readonly kind?: string;
  /** `bridge_slave`, `openvswitch_slave`, `bond_slave`... */
  readonly slaveKind?: string;
  readonly master?: string;
  readonly mtu?: number;
  /** Operational state: `UP`, `DOWN`, `UNKNOWN`, `LOWERLAYERDOWN`... */
  readonly state?: string;
  /** `<BROADCAST,MULTICAST,UP,LOWER_UP>` as a list. */
  readonly flags: string[];
  /** `ether`, `loopback`, `none`, `ipip`... (`link/ether`). */
  readonly linkType?: string;
  readonly mac?: bigint;
  readonly brd?: bigint;
  readonly alias?: string;
  readonly altNames?: string[];
  readonly vlanId?: number;
  readonly vxlan?: LinkVxlan;
  readonly bridge?: LinkBridge;
  readonly bridgeSlave?: LinkBridgeSlave;
  /** `ip -s link` counters, keyed as printed (`bytes`, `packets`, `errors`, `dropped`...). */
  readonly stats?: { readonly rx: Record<string, number>; readonly tx: Record<string, number> };
  readonly addresses: Address[];
  readonly raw: string;
  readonly span: Span;
}
