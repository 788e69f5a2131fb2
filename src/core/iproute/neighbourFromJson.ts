import { parseIp, type IpFamily } from '../net/IpAddress';
import { parseMac } from '../net/MacAddress';
import type { Neighbour } from './Neighbour';
import { str, strArray, type JsonObject } from './jsonFields';
import type { JsonContext } from './JsonContext';
import type { Mutable } from './Mutable';

/** `ip -j neigh`: `{"dst":"10.1.0.9","dev":"e0","lladdr":"00:11:22:33:44:55","state":["PERMANENT"]}`. */
export function neighbourFromJson(o: JsonObject, ctx: JsonContext): Neighbour | undefined {
  const ip = parseIp(str(o, 'dst') ?? '');
  if (!ip) return undefined;
  const family: IpFamily = ip.family;
  const n: Mutable<Neighbour> = {
    family, ip, router: Object.prototype.hasOwnProperty.call(o, 'router'), proxy: Object.prototype.hasOwnProperty.call(o, 'proxy'),
    states: strArray(o, 'state') ?? [], raw: ctx.raw, span: ctx.span,
  };
  const dev = str(o, 'dev');
  if (dev !== undefined) n.dev = dev;
  const ll = str(o, 'lladdr');
  if (ll !== undefined) {
    const mac = parseMac(ll);
    if (mac !== undefined) n.lladdr = mac;
    else n.lladdrText = ll;
  }
  return n;
}
