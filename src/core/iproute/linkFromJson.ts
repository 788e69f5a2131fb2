import { parseIp } from '../net/IpAddress';
import { parseMac } from '../net/MacAddress';
import type { Address } from './Address';
import { addressFromJson } from './addressFromJson';
import { arr, bool, isJsonObject, num, obj, str, strArray, text, type JsonObject } from './jsonFields';
import type { JsonContext } from './JsonContext';
import { arrayElementsOfKey } from './jsonScan';
import type { Link, LinkBridge, LinkBridgeSlave, LinkVxlan } from './Link';
import type { Mutable } from './Mutable';

/**
 * One element of `ip -j [-d] [-s] link` or `ip -j addr`:
 * `{"ifindex":4,"link":"v1","ifname":"v0","flags":[...],"mtu":1500,"master":"br0","operstate":"UP",
 * "linkinfo":{"info_kind":"veth","info_slave_kind":"bridge","info_slave_data":{"state":"forwarding",...}},...}`.
 * Field for field the same model as the text forms (`@if16` <-> `"link_index":16`,
 * `bridge_slave` <-> `"info_slave_kind":"bridge"`). No `ifname` -> undefined (reported by the caller).
 */
export function linkFromJson(o: JsonObject, ctx: JsonContext): Link | undefined {
  const name = str(o, 'ifname');
  if (name === undefined) return undefined;
  const l: Mutable<Link> = { name, flags: strArray(o, 'flags') ?? [], addresses: [], raw: ctx.raw, span: ctx.span };
  const index = num(o, 'ifindex');
  if (index !== undefined) l.index = index;
  const peer = str(o, 'link');
  const linkIndex = num(o, 'link_index');
  if (peer !== undefined) l.peerName = peer;
  else if (linkIndex !== undefined) l.peerName = `if${linkIndex}`;
  const netnsId = num(o, 'link_netnsid');
  if (netnsId !== undefined) l.linkNetnsId = netnsId;
  const master = str(o, 'master');
  if (master !== undefined) l.master = master;
  const mtu = num(o, 'mtu');
  if (mtu !== undefined) l.mtu = mtu;
  const state = str(o, 'operstate');
  if (state !== undefined) l.state = state;
  const linkType = str(o, 'link_type');
  if (linkType !== undefined) l.linkType = linkType;
  const mac = parseMac(str(o, 'address') ?? '');
  if (mac !== undefined) l.mac = mac;
  const brd = parseMac(str(o, 'broadcast') ?? '');
  if (brd !== undefined) l.brd = brd;
  const alias = str(o, 'ifalias');
  if (alias !== undefined) l.alias = alias;
  const altNames = strArray(o, 'altnames');
  if (altNames) l.altNames = altNames;
  readLinkinfo(l, obj(o, 'linkinfo'));
  const stats = obj(o, 'stats64') ?? obj(o, 'stats');
  if (stats) l.stats = { rx: numbers(obj(stats, 'rx')), tx: numbers(obj(stats, 'tx')) };
  const addrInfo = arr(o, 'addr_info');
  if (addrInfo) l.addresses = readAddresses(addrInfo, ctx);
  return l;
}

function numbers(o: JsonObject | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  if (o) for (const [k, v] of Object.entries(o)) if (typeof v === 'number') out[k] = v;
  return out;
}

function readLinkinfo(l: Mutable<Link>, info: JsonObject | undefined): void {
  if (!info) return;
  const kind = str(info, 'info_kind');
  const data = obj(info, 'info_data');
  if (kind !== undefined) {
    l.kind = kind;
    if (kind === 'vlan' && data) {
      const id = num(data, 'id');
      if (id !== undefined) l.vlanId = id;
    } else if (kind === 'vxlan' && data) {
      const v: Mutable<LinkVxlan> = { external: data['external'] === true || data['external'] === null };
      const id = num(data, 'id');
      if (id !== undefined) v.id = id;
      const remote = parseIp(str(data, 'remote') ?? '');
      if (remote) v.remote = remote;
      const group = parseIp(str(data, 'group') ?? '');
      if (group) v.group = group;
      const local = parseIp(str(data, 'local') ?? '');
      if (local) v.local = local;
      const dev = str(data, 'link');
      if (dev !== undefined) v.dev = dev;
      const port = num(data, 'port');
      if (port !== undefined) v.dstport = port;
      l.vxlan = v;
    } else if (kind === 'bridge' && data) {
      const b: Mutable<LinkBridge> = {};
      const stp = num(data, 'stp_state');
      if (stp !== undefined) b.stpState = stp;
      const vf = num(data, 'vlan_filtering');
      if (vf !== undefined) b.vlanFiltering = vf === 1;
      l.bridge = b;
    }
  }
  const slave = str(info, 'info_slave_kind');
  if (slave !== undefined) {
    l.slaveKind = `${slave}_slave`;
    const sd = obj(info, 'info_slave_data');
    if (slave === 'bridge' && sd) {
      const s: Mutable<LinkBridgeSlave> = {};
      const st = text(sd, 'state');
      if (st !== undefined) s.state = st;
      const hairpin = bool(sd, 'hairpin');
      if (hairpin !== undefined) s.hairpin = hairpin;
      const learning = bool(sd, 'learning');
      if (learning !== undefined) s.learning = learning;
      const flood = bool(sd, 'flood');
      if (flood !== undefined) s.flood = flood;
      l.bridgeSlave = s;
    }
  }
}

function readAddresses(items: unknown[], ctx: JsonContext): Address[] {
  const ranges = arrayElementsOfKey(ctx.text, ctx.range.start, ctx.range.end, 'addr_info');
  const out: Address[] = [];
  items.forEach((item, i) => {
    const r = ranges?.length === items.length ? ranges[i] : undefined;
    const span = r ? ctx.lines.span(ctx.file, r.start, r.end) : ctx.span;
    const raw = r ? ctx.text.slice(r.start, r.end) : ctx.raw;
    const a = isJsonObject(item) ? addressFromJson(item, raw, span) : undefined;
    if (a) out.push(a);
    else ctx.problem(`addr_info entry ${i + 1} has no usable family/local address; skipped`);
  });
  return out;
}
