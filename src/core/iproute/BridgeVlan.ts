import type { Span } from '../text/Span';

/** One VLAN (or range) on a bridge port: `1 PVID Egress Untagged`, `10-20`. */
export interface BridgeVlanId {
  readonly vid: number;
  /** Last VLAN of a range (`10-20`). */
  readonly vidEnd?: number;
  readonly pvid: boolean;
  readonly untagged: boolean;
}

/** The VLANs of one port from `bridge [-d] vlan show` or `bridge -j vlan`. */
export interface BridgeVlan {
  readonly port: string;
  readonly vlans: BridgeVlanId[];
  readonly raw: string;
  readonly span: Span;
}
