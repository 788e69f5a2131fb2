import type { Span } from '../text/Span';

/**
 * A Linux bridge port from `bridge [-d] link [show]` or `bridge -j link`:
 * `2: ens3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br-ens3 state forwarding priority 32 cost 100`
 * and, with `-d`, `hairpin off guard off ... learning on flood on ...`.
 */
export interface BridgePort {
  readonly index?: number;
  readonly name: string;
  readonly peerName?: string;
  readonly flags: string[];
  readonly mtu?: number;
  readonly master?: string;
  /** STP port state: `forwarding`, `blocking`, `learning`, `listening`, `disabled`. */
  readonly state?: string;
  readonly priority?: number;
  readonly cost?: number;
  readonly hairpin?: boolean;
  readonly learning?: boolean;
  readonly flood?: boolean;
  /** Every `-d` on/off option as printed (`guard: 'off'`, `neigh_suppress: 'off'`...). */
  readonly options: Record<string, string>;
  readonly raw: string;
  readonly span: Span;
}
