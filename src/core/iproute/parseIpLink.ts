import type { ParseOptions, ParseResult } from '../text/Diagnostic';
import type { Link } from './Link';
import { parseLinkBlocks } from './parseLinkBlocks';

/**
 * `ip link`, `ip -d link` (kinds, bridge / bridge_slave / vxlan details), `ip -s -d link` (counters)
 * and `ip -o link` (`\` joins the lines). Sample:
 * `4: v0@v1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br0 state UP mode DEFAULT`.
 * Bad lines are reported with their position and skipped; the rest is kept.
 */
export function parseIpLink(text: string, opts: ParseOptions): ParseResult<Link[]> {
  return parseLinkBlocks(text, opts, 'ip link');
}
