import { parseIp } from '../net/IpAddress';
import { parseMac } from '../net/MacAddress';
import type { FdbEntry } from './FdbEntry';
import { num, str, strArray, type JsonObject } from './jsonFields';
import type { JsonContext } from './JsonContext';
import type { Mutable } from './Mutable';

/**
 * `bridge -j fdb`: `{"mac":"00:aa:bb:cc:dd:ee","ifname":"vx0","dst":"10.0.0.3","flags":["self"],"state":"permanent"}`;
 * `"state":""` is a learned entry. No usable `mac`/`ifname` -> undefined.
 */
export function fdbEntryFromJson(o: JsonObject, ctx: JsonContext): FdbEntry | undefined {
  const mac = parseMac(str(o, 'mac') ?? '');
  const dev = str(o, 'ifname') ?? str(o, 'dev');
  if (mac === undefined || dev === undefined) return undefined;
  const flags = strArray(o, 'flags') ?? [];
  const e: Mutable<FdbEntry> = { mac, dev, self: flags.includes('self'), flags: flags.filter((f) => f !== 'self'), raw: ctx.raw, span: ctx.span };
  const master = str(o, 'master');
  if (master !== undefined) e.master = master;
  const vlan = num(o, 'vlan');
  if (vlan !== undefined) e.vlan = vlan;
  const state = str(o, 'state');
  if (state) e.state = state;
  const dst = parseIp(str(o, 'dst') ?? '');
  if (dst) e.dst = dst;
  const port = num(o, 'port');
  if (port !== undefined) e.port = port;
  const vni = num(o, 'vni');
  if (vni !== undefined) e.vni = vni;
  const via = str(o, 'viaIf') ?? str(o, 'via');
  if (via !== undefined) e.via = via;
  const used = num(o, 'used');
  if (used !== undefined) e.used = used;
  const updated = num(o, 'updated');
  if (updated !== undefined) e.updated = updated;
  return e;
}
