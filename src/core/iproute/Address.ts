import type { Cidr } from '../net/Cidr';
import type { IpAddress, IpFamily } from '../net/IpAddress';
import type { Span } from '../text/Span';

/**
 * One address of a link, from `ip addr` (`inet 10.0.0.128/24 brd 10.0.0.255 scope global br-ens3`),
 * `ip -o addr` or the `addr_info` of `ip -j addr`. `cidr` keeps the host bits as printed.
 */
export interface Address {
  readonly family: IpFamily;
  readonly cidr: Cidr;
  /** Point-to-point peer (`inet 10.0.0.1 peer 10.0.0.2/32`). */
  readonly peer?: Cidr;
  readonly brd?: IpAddress;
  /** `host`, `link`, `global`, `site` or a number. */
  readonly scope?: string;
  /** IPv4 label: the link name or an alias such as `br0:vip`. */
  readonly label?: string;
  readonly secondary: boolean;
  /** Other address flags as printed (`dynamic`, `noprefixroute`, `tentative`, `flags 08`...). */
  readonly flags: string[];
  /** `forever` or e.g. `86391sec`, when printed. */
  readonly validLft?: string;
  readonly preferredLft?: string;
  readonly raw: string;
  readonly span: Span;
}
