import type { Span } from '../text/Span';

/**
 * One kernel parameter: `net.ipv4.ip_forward = 1` (`sysctl -a`), `net/ipv4/ip_forward = 1`, or
 * `/proc/sys/net/ipv4/ip_forward:1` (`grep . /proc/sys/...`). `key` is always the dotted form; a dot
 * inside a component (an interface such as `eth0.100`) is written `/`, as sysctl itself does.
 */
export interface SysctlEntry {
  readonly key: string;
  readonly value: string;
  readonly raw: string;
  readonly span: Span;
}
