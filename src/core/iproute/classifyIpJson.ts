import type { IpJsonKind } from './IpJsonDump';
import { has, str, type JsonObject } from './jsonFields';

/** Keys only `ip -j link` / `ip -j addr` objects have (bridge -j link has none of them). */
const LINK_KEYS = ['operstate', 'link_type', 'addr_info', 'linkinfo', 'txqlen', 'qdisc'] as const;

/**
 * Which command printed this `ip -j` object, from its keys (ordered checks, first match wins):
 * `ifname` + a link-only key -> links; `ifname` + `vlans` -> bridge VLANs; `mac` -> fdb;
 * `ifname` + `master`/`state` -> bridge ports; `priority` -> rules; `dst` + a `state` list ->
 * neighbours; `dst` -> routes; only `name`/`id` -> namespaces. Undefined when nothing fits.
 */
export function classifyIpJson(o: JsonObject): Exclude<IpJsonKind, 'empty'> | undefined {
  if (has(o, 'ifname')) {
    for (const k of LINK_KEYS) if (has(o, k)) return 'links';
    if (has(o, 'vlans')) return 'bridge-vlans';
    if (has(o, 'mac')) return 'fdb';
    if (has(o, 'master') || has(o, 'state') || has(o, 'cost') || has(o, 'priority')) return 'bridge-ports';
    return 'links';
  }
  if (has(o, 'mac')) return 'fdb';
  // Rules also carry `dst` (`to 10.70.0.0/16`); routes never carry `priority`.
  if (has(o, 'priority')) return 'rules';
  if (has(o, 'dst')) return Array.isArray(o['state']) || has(o, 'lladdr') ? 'neighbours' : 'routes';
  if (str(o, 'name') !== undefined && Object.keys(o).every((k) => k === 'name' || k === 'id')) return 'netns';
  return undefined;
}
