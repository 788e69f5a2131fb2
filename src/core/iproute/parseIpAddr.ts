import type { ParseOptions, ParseResult } from '../text/Diagnostic';
import type { Link } from './Link';
import { parseLinkBlocks } from './parseLinkBlocks';

/**
 * `ip addr`, `ip -d addr`, `ip -o addr`, and old iproute2 forms: links with their addresses.
 * Sample: `    inet 10.0.0.128/24 brd 10.0.0.255 scope global br-ens3` under `9: br-ens3: <...> mtu 1500 ...`.
 * Bad lines are reported with their position and skipped; the rest is kept.
 */
export function parseIpAddr(text: string, opts: ParseOptions): ParseResult<Link[]> {
  return parseLinkBlocks(text, opts, 'ip addr');
}
