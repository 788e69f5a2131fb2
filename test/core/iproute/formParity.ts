import { strict as assert } from 'node:assert';
import type { IpJsonDump } from '../../../src/core/iproute/IpJsonDump';
import { parseBridgeFdb } from '../../../src/core/iproute/parseBridgeFdb';
import { parseBridgeLink } from '../../../src/core/iproute/parseBridgeLink';
import { parseIpAddr } from '../../../src/core/iproute/parseIpAddr';
import { parseIpJson } from '../../../src/core/iproute/parseIpJson';
import { parseIpLink } from '../../../src/core/iproute/parseIpLink';
import { parseIpNeigh } from '../../../src/core/iproute/parseIpNeigh';
import { parseIpRoute } from '../../../src/core/iproute/parseIpRoute';
import { parseIpRule } from '../../../src/core/iproute/parseIpRule';
import { assertSpans, plain } from './helpers';

type Dumps = Readonly<Record<string, string>>;

function json<K extends IpJsonDump['kind']>(dumps: Dumps, file: string, kind: K): Extract<IpJsonDump, { kind: K }> {
  const r = parseIpJson(dumps[file]!, { file });
  assert.deepEqual(r.diagnostics, [], `${file}: ${JSON.stringify(r.diagnostics)}`);
  assert.equal(r.value.kind, kind, file);
  return r.value as Extract<IpJsonDump, { kind: K }>;
}

function text<T>(dumps: Dumps, file: string, parse: (t: string, o: { file: string }) => { value: T; diagnostics: unknown[] }): T {
  const r = parse(dumps[file]!, { file });
  assert.deepEqual(r.diagnostics, [], `${file}: ${JSON.stringify(r.diagnostics)}`);
  return r.value;
}

/**
 * The text and JSON dumps of the same namespace (file names of `LIVE_DUMPS`) parse to the same
 * model values, field for field. With `stableOnly`, state that may change between two commands
 * run a few milliseconds apart (learned FDB entries, unresolved neighbours) is left out.
 */
export function assertFormsAgree(dumps: Dumps, stableOnly: boolean): Record<string, number> {
  const links = text(dumps, 'ip_-d_link', parseIpLink);
  const jLinks = json(dumps, 'ip_-j_-d_link', 'links').links;
  assert.deepEqual(plain(links), plain(jLinks), 'ip -d link vs ip -j -d link');
  assertSpans(dumps['ip_-j_-d_link']!, jLinks);

  const addrLinks = text(dumps, 'ip_addr', parseIpAddr);
  const jAddr = json(dumps, 'ip_-j_addr', 'links').links;
  assert.deepEqual(plain(addrLinks), plain(jAddr), 'ip addr vs ip -j addr');
  assertSpans(dumps['ip_-j_addr']!, jAddr);
  const oneline = text(dumps, 'ip_-o_addr', parseIpAddr);
  for (const l of oneline) {
    const full = jAddr.find((x) => x.name === l.name);
    assert.ok(full, l.name);
    assert.deepEqual(plain(l.addresses), plain(full.addresses), `ip -o addr vs ip -j addr: ${l.name}`);
  }

  const routes = text(dumps, 'ip_route_show_table_all', parseIpRoute);
  const jRoutes = json(dumps, 'ip_-j_route_show_table_all', 'routes').routes;
  assert.deepEqual(plain(routes), plain(jRoutes), 'ip route show table all vs ip -j route show table all');
  const routes6 = text(dumps, 'ip_-6_route_show_table_all', parseIpRoute);
  assert.deepEqual(plain(routes6), plain(json(dumps, 'ip_-j_-6_route_show_table_all', 'routes').routes), 'ip -6 route vs ip -j -6 route');

  const rules = text(dumps, 'ip_rule', parseIpRule);
  assert.deepEqual(plain(rules), plain(json(dumps, 'ip_-j_rule', 'rules').rules), 'ip rule vs ip -j rule');
  const rules6 = text(dumps, 'ip_-6_rule', parseIpRule);
  assert.deepEqual(plain(rules6), plain(json(dumps, 'ip_-j_-6_rule', 'rules').rules), 'ip -6 rule vs ip -j -6 rule');

  const ports = text(dumps, 'bridge_link', parseBridgeLink);
  assert.deepEqual(plain(ports), plain(json(dumps, 'bridge_-j_link', 'bridge-ports').ports), 'bridge link vs bridge -j link');

  const stable = <T extends { state?: string | undefined }>(xs: T[]): T[] => (stableOnly ? xs.filter((e) => e.state !== undefined) : xs);
  const fdb = stable(text(dumps, 'bridge_fdb', parseBridgeFdb));
  assert.deepEqual(plain(fdb), plain(stable(json(dumps, 'bridge_-j_fdb', 'fdb').entries)), 'bridge fdb vs bridge -j fdb');

  const permanent = <T extends { states: string[] }>(xs: T[]): T[] => (stableOnly ? xs.filter((n) => n.states.includes('PERMANENT')) : xs);
  const neigh = permanent(text(dumps, 'ip_neigh', parseIpNeigh));
  assert.deepEqual(plain(neigh), plain(permanent(json(dumps, 'ip_-j_neigh', 'neighbours').neighbours)), 'ip neigh vs ip -j neigh');

  return {
    links: links.length,
    addresses: addrLinks.reduce((n, l) => n + l.addresses.length, 0),
    routes: routes.length,
    rules: rules.length + rules6.length,
    bridgePorts: ports.length,
    fdb: fdb.length,
    neighbours: neigh.length,
  };
}
