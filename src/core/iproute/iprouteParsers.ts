import type { ParseOptions, ParseResult } from '../text/Diagnostic';
import { parseBrctlShow } from './parseBrctlShow';
import { parseBridgeFdb } from './parseBridgeFdb';
import { parseBridgeLink } from './parseBridgeLink';
import { parseBridgeVlan } from './parseBridgeVlan';
import { parseIpAddr } from './parseIpAddr';
import { parseIpJson } from './parseIpJson';
import { parseIpLink } from './parseIpLink';
import { parseIpNeigh } from './parseIpNeigh';
import { parseIpNetns } from './parseIpNetns';
import { parseIpRoute } from './parseIpRoute';
import { parseIpRule } from './parseIpRule';
import { parseRouteN } from './parseRouteN';
import { parseSysctl } from './parseSysctl';
import type { IprouteFormat } from './sniffIprouteFormat';

/**
 * Format id -> parser, for loaders that detect a file with `sniffIprouteFormat` and then parse it.
 * Data, so a new format is one more row.
 */
export const IPROUTE_PARSERS = {
  'ip-json': parseIpJson,
  'ip-addr': parseIpAddr,
  'ip-link': parseIpLink,
  'ip-route': parseIpRoute,
  'ip-rule': parseIpRule,
  'ip-netns': parseIpNetns,
  'ip-neigh': parseIpNeigh,
  'bridge-link': parseBridgeLink,
  'bridge-fdb': parseBridgeFdb,
  'bridge-vlan': parseBridgeVlan,
  'brctl-show': parseBrctlShow,
  'route-n': parseRouteN,
  sysctl: parseSysctl,
} as const satisfies Record<IprouteFormat, (text: string, opts: ParseOptions) => ParseResult<unknown>>;
