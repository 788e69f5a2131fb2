import type { Cidr } from '../net/Cidr';
import type { IpAddress, IpFamily } from '../net/IpAddress';
import type { Span } from '../text/Span';

/** Kernel route types (`ip route` prints all but `unicast`). */
export const ROUTE_TYPES = ['unicast', 'local', 'broadcast', 'multicast', 'anycast', 'unreachable', 'blackhole', 'prohibit', 'throw', 'nat'] as const;
export type RouteType = (typeof ROUTE_TYPES)[number];

/** One path of a multipath route (`nexthop via 10.1.0.253 dev e0 weight 1`). */
export interface Nexthop {
  readonly via?: IpAddress;
  readonly dev?: string;
  readonly weight?: number;
  /** `onlink`, `linkdown`, `dead`... */
  readonly flags: string[];
}

/**
 * A route of any table (`ip route show table all`, `ip -6 route`, `ip -j route`, `route -n`).
 * `table` is `main` when the dump does not say (that is what the kernel means), `local`,
 * `default` or a number as text (`3232240897`, Neutron DVR).
 */
export interface Route {
  readonly table: string;
  readonly type: RouteType;
  readonly family: IpFamily;
  readonly destination: Cidr | 'default';
  /** IPv6 source-specific routing (`from 2001:db8::/64`). */
  readonly from?: Cidr;
  readonly via?: IpAddress;
  readonly dev?: string;
  readonly src?: IpAddress;
  readonly proto?: string;
  readonly scope?: string;
  readonly metric?: number;
  readonly tos?: string;
  readonly pref?: string;
  readonly mtu?: number;
  readonly nexthops?: Nexthop[];
  /** `linkdown`, `onlink`, `dead`, `offload`... */
  readonly flags: string[];
  /** A routing-cache entry (`ip route show cache`, or a `cache` continuation line). */
  readonly cache: boolean;
  readonly raw: string;
  readonly span: Span;
}
