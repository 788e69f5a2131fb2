import { parseCidr } from '../net/Cidr';
import { parseIp } from '../net/IpAddress';
import type { Span } from '../text/Span';
import type { Address } from './Address';
import { bool, has, num, str, text, type JsonObject } from './jsonFields';
import type { Mutable } from './Mutable';
import { ADDRESS_FLAGS } from './parseAddressTokens';

/** `valid_life_time: 4294967295` is what the text form prints as `forever`. */
function lifetime(n: number | undefined): string | undefined {
  if (n === undefined) return undefined;
  return n === 4294967295 ? 'forever' : `${n}sec`;
}

/**
 * One `addr_info` entry of `ip -j addr`:
 * `{"family":"inet","local":"192.168.5.1","prefixlen":24,"broadcast":"192.168.5.255","scope":"global","label":"br0:vip",...}`.
 * A point-to-point entry (`"address"` differs from `"local"`) gives `peer`, as the text form does.
 * A missing or bad address gives undefined (the caller reports it).
 */
export function addressFromJson(o: JsonObject, raw: string, span: Span): Address | undefined {
  const famText = str(o, 'family');
  const family = famText === 'inet6' ? 6 : famText === 'inet' ? 4 : undefined;
  const local = str(o, 'local');
  const prefixlen = text(o, 'prefixlen');
  if (family === undefined || local === undefined) return undefined;
  const peerText = str(o, 'address');
  const isPeer = peerText !== undefined && peerText !== local;
  const cidr = parseCidr(isPeer || prefixlen === undefined ? local : `${local}/${prefixlen}`);
  if (!cidr || cidr.family !== family) return undefined;
  const a: Mutable<Address> = { family, cidr, secondary: bool(o, 'secondary') === true, flags: [], raw, span };
  if (isPeer) {
    const p = parseCidr(prefixlen === undefined ? peerText : `${peerText}/${prefixlen}`);
    if (p) a.peer = p;
  }
  const brd = parseIp(str(o, 'broadcast') ?? '');
  if (brd) a.brd = brd;
  const scope = str(o, 'scope');
  if (scope !== undefined) a.scope = scope;
  const label = str(o, 'label');
  if (label !== undefined) a.label = label;
  // Key order is print order, so the flags come out in the order the text form prints them.
  for (const k of Object.keys(o)) if (k !== 'secondary' && ADDRESS_FLAGS.has(k) && (o[k] === true || (has(o, k) && o[k] === null))) a.flags.push(k);
  const v = lifetime(num(o, 'valid_life_time'));
  if (v !== undefined) a.validLft = v;
  const p = lifetime(num(o, 'preferred_life_time'));
  if (p !== undefined) a.preferredLft = p;
  return a;
}
