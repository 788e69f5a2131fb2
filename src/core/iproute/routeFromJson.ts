import type { Cidr } from '../net/Cidr';
import type { IpAddress, IpFamily } from '../net/IpAddress';
import type { AddressCache } from './fastAddress';
import { arr, has, isJsonObject, num, obj, str, strArray, text, type JsonObject } from './jsonFields';
import type { JsonContext } from './JsonContext';
import type { Mutable } from './Mutable';
import { ROUTE_TYPES, type Nexthop, type Route, type RouteType } from './Route';

const ROUTE_TYPE_SET: ReadonlySet<string> = new Set(ROUTE_TYPES);

/** `"gateway":"10.0.0.1"`, or RFC 5549 `"via":{"family":"inet6","host":"fe80::1"}`. */
function gatewayOf(o: JsonObject, addrs: AddressCache): IpAddress | undefined {
  const g = str(o, 'gateway');
  if (g !== undefined) return addrs.ip(g);
  const via = obj(o, 'via');
  const host = via ? str(via, 'host') : undefined;
  return host === undefined ? undefined : addrs.ip(host);
}

/**
 * One element of `ip -j route [show table all]`:
 * `{"type":"local","dst":"10.1.0.1","dev":"e0","table":"local","protocol":"kernel","scope":"host","prefsrc":"10.1.0.1","flags":[]}`,
 * multipath as `"nexthops":[{"gateway":...,"dev":...,"weight":1,"flags":[]}]`. Same model as
 * `parseIpRoute`. A missing/bad `dst` or an unknown `type` gives undefined with a problem reported.
 */
export function routeFromJson(o: JsonObject, ctx: JsonContext): Route | undefined {
  const typeText = str(o, 'type') ?? 'unicast';
  if (!ROUTE_TYPE_SET.has(typeText)) {
    ctx.problem(`unknown route type '${typeText}'; route skipped`);
    return undefined;
  }
  const dst = str(o, 'dst');
  let destination: Cidr | 'default' | undefined;
  if (dst === 'default') destination = 'default';
  else if (dst !== undefined) destination = ctx.addrs.cidr(dst);
  if (destination === undefined) {
    ctx.problem(`route without a usable 'dst' (${dst === undefined ? 'missing' : `'${dst}'`}); skipped`, 'error');
    return undefined;
  }
  const via = gatewayOf(o, ctx.addrs);
  const r: Mutable<Omit<Route, 'family'>> & { family?: IpFamily } = {
    table: text(o, 'table') ?? 'main',
    type: typeText as RouteType,
    destination,
    flags: strArray(o, 'flags') ?? [],
    cache: has(o, 'cache'),
    raw: ctx.raw,
    span: ctx.span,
  };
  if (via) r.via = via;
  const prefsrc = str(o, 'prefsrc');
  const src = prefsrc === undefined ? undefined : ctx.addrs.ip(prefsrc);
  if (src) r.src = src;
  const dev = str(o, 'dev');
  if (dev !== undefined) r.dev = dev;
  const proto = text(o, 'protocol');
  if (proto !== undefined) r.proto = proto;
  const scope = text(o, 'scope');
  if (scope !== undefined) r.scope = scope;
  const metric = num(o, 'metric');
  if (metric !== undefined) r.metric = metric;
  const tos = text(o, 'tos') ?? text(o, 'dsfield');
  if (tos !== undefined) r.tos = tos;
  const pref = str(o, 'pref');
  if (pref !== undefined) r.pref = pref;
  const fromText = str(o, 'src');
  if (fromText !== undefined) {
    const len = num(o, 'srclen');
    const from = ctx.addrs.cidr(len === undefined ? fromText : `${fromText}/${len}`);
    if (from) r.from = from;
  }
  for (const m of arr(o, 'metrics') ?? []) {
    if (isJsonObject(m)) {
      const mtu = num(m, 'mtu');
      if (mtu !== undefined) r.mtu = mtu;
    }
  }
  let nhFamily: IpFamily | undefined;
  const nexthops = arr(o, 'nexthops');
  if (nexthops) {
    r.nexthops = [];
    for (const item of nexthops) {
      if (!isJsonObject(item)) continue;
      const nh: Mutable<Nexthop> = { flags: strArray(item, 'flags') ?? [] };
      const g = gatewayOf(item, ctx.addrs);
      if (g) { nh.via = g; nhFamily ??= g.family; }
      const d = str(item, 'dev');
      if (d !== undefined) nh.dev = d;
      const w = num(item, 'weight');
      if (w !== undefined) nh.weight = w;
      r.nexthops.push(nh);
    }
  }
  r.family = destination !== 'default' ? destination.family
    : via?.family ?? src?.family ?? nhFamily ?? (pref !== undefined ? 6 : ctx.familyHint ?? 4);
  return r as Route;
}
