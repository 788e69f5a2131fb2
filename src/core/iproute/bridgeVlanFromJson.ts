import type { BridgeVlan, BridgeVlanId } from './BridgeVlan';
import { arr, isJsonObject, num, str, strArray, type JsonObject } from './jsonFields';
import type { JsonContext } from './JsonContext';
import type { Mutable } from './Mutable';

/** `bridge -j vlan`: `{"ifname":"br0","vlans":[{"vlan":1,"flags":["PVID","Egress Untagged"]},{"vlan":10,"vlanEnd":20}]}`. */
export function bridgeVlanFromJson(o: JsonObject, ctx: JsonContext): BridgeVlan | undefined {
  const port = str(o, 'ifname');
  if (port === undefined) return undefined;
  const vlans: BridgeVlanId[] = [];
  for (const item of arr(o, 'vlans') ?? []) {
    if (!isJsonObject(item)) continue;
    const vid = num(item, 'vlan');
    if (vid === undefined) {
      ctx.problem(`VLAN entry without a numeric 'vlan' on port ${port}; skipped`);
      continue;
    }
    const flags = strArray(item, 'flags') ?? [];
    const v: Mutable<BridgeVlanId> = { vid, pvid: flags.includes('PVID'), untagged: flags.includes('Egress Untagged') };
    const end = num(item, 'vlanEnd');
    if (end !== undefined) v.vidEnd = end;
    vlans.push(v);
  }
  return { port, vlans, raw: ctx.raw, span: ctx.span };
}
