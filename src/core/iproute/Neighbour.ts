import type { IpAddress, IpFamily } from '../net/IpAddress';
import type { Span } from '../text/Span';

/** An ARP / NDP entry: `10.1.0.9 dev e0 lladdr 00:11:22:33:44:55 PERMANENT` (`ip neigh`, `ip -j neigh`). */
export interface Neighbour {
  readonly family: IpFamily;
  readonly ip: IpAddress;
  readonly dev?: string;
  readonly lladdr?: bigint;
  /** The link-layer address as printed when it is not a 6-byte MAC (InfiniBand, tunnels). */
  readonly lladdrText?: string;
  readonly router: boolean;
  readonly proxy: boolean;
  /** NUD states: `REACHABLE`, `STALE`, `PERMANENT`, `INCOMPLETE`, `FAILED`, `NOARP`... */
  readonly states: string[];
  readonly raw: string;
  readonly span: Span;
}
