import type { BridgePort } from './BridgePort';
import { num, str, strArray, type JsonObject } from './jsonFields';
import type { JsonContext } from './JsonContext';
import type { Mutable } from './Mutable';

/**
 * `bridge -j link`: `{"ifindex":4,"link":"v1","ifname":"v0","flags":[...],"mtu":1500,"master":"br0",
 * "state":"forwarding","priority":32,"cost":2}` (+ booleans such as `"hairpin":false` with `-d`).
 */
export function bridgePortFromJson(o: JsonObject, ctx: JsonContext): BridgePort | undefined {
  const name = str(o, 'ifname');
  if (name === undefined) return undefined;
  const p: Mutable<BridgePort> = { name, flags: strArray(o, 'flags') ?? [], options: {}, raw: ctx.raw, span: ctx.span };
  const index = num(o, 'ifindex');
  if (index !== undefined) p.index = index;
  const peer = str(o, 'link');
  if (peer !== undefined) p.peerName = peer;
  const mtu = num(o, 'mtu');
  if (mtu !== undefined) p.mtu = mtu;
  const master = str(o, 'master');
  if (master !== undefined) p.master = master;
  const state = str(o, 'state');
  if (state !== undefined) p.state = state;
  const priority = num(o, 'priority');
  if (priority !== undefined) p.priority = priority;
  const cost = num(o, 'cost');
  if (cost !== undefined) p.cost = cost;
  for (const [k, v] of Object.entries(o)) {
    if (typeof v !== 'boolean') continue;
    p.options[k] = v ? 'on' : 'off';
    if (k === 'hairpin') p.hairpin = v;
    else if (k === 'learning') p.learning = v;
    else if (k === 'flood') p.flood = v;
  }
  return p;
}
