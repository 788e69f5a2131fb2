import type { IpAddress } from '../net/IpAddress';
import type { Span } from '../text/Span';

/**
 * A forwarding-database entry from `bridge [-s -s -d -t] fdb show` or `bridge -j fdb`:
 * `52:54:00:e2:28:a3 dev ens3 vlan 1 used 63688/63688 master br-ens3 permanent`,
 * `00:aa:bb:cc:dd:ee dev vx0 dst 10.0.0.3 self permanent`.
 */
export interface FdbEntry {
  readonly mac: bigint;
  readonly dev: string;
  /** The bridge that owns the entry (`master br0`). */
  readonly master?: string;
  readonly vlan?: number;
  /** The entry lives in the device's own table (`self`), e.g. a VXLAN remote. */
  readonly self: boolean;
  /** `permanent`, `static`; undefined for a learned (dynamic) entry. */
  readonly state?: string;
  /** Other flags: `extern_learn`, `offload`, `sticky`, `router`... */
  readonly flags: string[];
  /** VXLAN remote. */
  readonly dst?: IpAddress;
  readonly port?: number;
  readonly vni?: number;
  readonly via?: string;
  /** `used 23504/25` (`-s`): seconds since used / updated. */
  readonly used?: number;
  readonly updated?: number;
  readonly raw: string;
  readonly span: Span;
}
