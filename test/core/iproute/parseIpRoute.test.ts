import { strict as assert } from 'node:assert';
import { formatIp } from '../../../src/core/net/IpAddress';
import { parseIpRoute } from '../../../src/core/iproute/parseIpRoute';
import type { Route } from '../../../src/core/iproute/Route';
import { assertSpans, fixture } from './helpers';

const dest = (r: Route): string => (r.destination === 'default' ? 'default' : r.destination.text);

describe('parseIpRoute', () => {
  it('reads `ip route show table all` of a host: local/broadcast/multicast, linkdown, IPv4 and IPv6', () => {
    const text = fixture('iproute/hotsos/ip_route_show_table_all.txt');
    const { value: routes, diagnostics } = parseIpRoute(text, { file: 'ip_route_show_table_all' });
    assert.deepEqual(diagnostics, []);
    assert.equal(routes.length, 43);
    assertSpans(text, routes);
    const d = routes[0]!;
    assert.deepEqual([d.table, d.type, d.family, dest(d), formatIp(d.via!), d.dev, d.proto], ['main', 'unicast', 4, 'default', '10.0.0.2', 'br-ens3', 'static']);
    const lxd = routes[2]!;
    assert.deepEqual([dest(lxd), lxd.flags, formatIp(lxd.src!), lxd.scope], ['10.50.99.0/24', ['linkdown'], '10.50.99.1', 'link']);
    const types = new Map<string, number>();
    for (const r of routes) types.set(`${r.family}/${r.table}/${r.type}`, (types.get(`${r.family}/${r.table}/${r.type}`) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries(types), {
      '4/main/unicast': 3, '4/local/broadcast': 6, '4/local/local': 4,
      '6/main/unicast': 10, '6/local/local': 10, '6/local/multicast': 10,
    });
    const v6 = routes.find((r) => r.family === 6 && r.type === 'local')!;
    assert.deepEqual([dest(v6), v6.metric, v6.pref], ['::1', 0, 'medium']);
  });

  it('reads the DVR namespaces: routes in tables 16, 3232240897 and 2852018311, anycast', () => {
    const q = parseIpRoute(fixture('iproute/hotsos/ip_route_show_table_all_netns_qrouter.txt'), { file: 'q' }).value;
    assert.deepEqual(q.slice(0, 2).map((r) => [r.table, dest(r), formatIp(r.via!), r.dev]), [
      ['3232240897', 'default', '192.168.21.109', 'qr-3a70b31c-3f'],
      ['16', 'default', '169.254.88.135', 'rfp-984c22fd-6'],
    ]);
    const fip = parseIpRoute(fixture('iproute/hotsos/ip_route_show_table_all_netns_fip.txt'), { file: 'fip' });
    assert.deepEqual(fip.diagnostics, []);
    assert.equal(fip.value[0]!.table, '2852018311');
    assert.deepEqual(fip.value.filter((r) => r.type === 'anycast').map((r) => [dest(r), r.family, r.dev]), [['fe80::', 6, 'fg-c8dcce74-c4'], ['fe80::', 6, 'fpr-984c22fd-6']]);
  });

  it('reads multipath routes (IPv4 and IPv6), blackhole/unreachable/prohibit/throw, from the live capture', () => {
    const text = fixture('iproute/live/ip_route_show_table_all.txt');
    const { value: routes, diagnostics } = parseIpRoute(text, { file: 'ip_route_show_table_all' });
    assert.deepEqual(diagnostics, []);
    assertSpans(text, routes);
    const mp = routes.find((r) => dest(r) === '10.70.0.0/16')!;
    assert.equal(mp.raw, '10.70.0.0/16 \n\tnexthop via 10.1.0.253 dev d0 weight 1 \n\tnexthop via 10.1.0.252 dev d0 weight 2');
    assert.deepEqual(mp.nexthops!.map((n) => [formatIp(n.via!), n.dev, n.weight]), [['10.1.0.253', 'd0', 1], ['10.1.0.252', 'd0', 2]]);
    const mp6 = routes.find((r) => dest(r) === '2001:db8:6::/64')!;
    assert.deepEqual([mp6.family, mp6.metric, mp6.nexthops!.length], [6, 1024, 2]);
    assert.deepEqual(routes.filter((r) => !['unicast', 'local', 'broadcast', 'multicast'].includes(r.type)).map((r) => [r.type, r.table, dest(r), r.family]), [
      ['unreachable', '200', '10.67.0.0/16', 4],
      ['prohibit', '200', '10.68.0.0/16', 4],
      ['throw', '200', '10.69.0.0/16', 4],
      ['blackhole', 'main', '10.66.0.0/16', 4],
      ['blackhole', 'main', '2001:db8:dead::/48', 6],
    ]);
  });

  it('takes the table from the file name when `ip route list table N` does not print it (seed 004)', () => {
    const r = parseIpRoute(fixture('seeds/004-qrouter_ip_route_list_table_16_dvr.txt'), { file: '004-qrouter_ip_route_list_table_16_dvr.txt' });
    assert.deepEqual([r.value[0]!.table, dest(r.value[0]!), formatIp(r.value[0]!.via!)], ['16', 'default', '169.254.106.115']);
    assert.deepEqual(r.diagnostics.map((d) => [d.severity, d.message]), [['info', "routes that do not print 'table' are taken to be in table 16 (from the file name)"]]);
    const main = parseIpRoute(fixture('seeds/004-qrouter_ip_route_list_table_main_dvr.txt'), { file: '004-qrouter_ip_route_list_table_main_dvr.txt' });
    assert.deepEqual(main.diagnostics, []);
    assert.deepEqual(main.value.map((x) => [x.table, dest(x), x.dev]), [['main', '169.254.109.46/31', 'rfp-9a3594b0-5'], ['main', '192.168.21.0/24', 'qr-48e90ad1-5f']]);
  });

  it('reads cache lines, RFC 5549 via, unreachable IPv6 default; reports bad lines', () => {
    const text = [
      'local 10.0.0.1 from 10.0.0.2 dev lo table local src 10.0.0.1 uid 0',
      '    cache <local>',
      'default via inet6 fe80::1 dev eth0 proto bgp metric 20 onlink',
      'unreachable default dev lo proto kernel metric 4294967295 error -101 pref medium',
      '10.5.0.0/16 via 10.0.0.1 dev eth0 frobnicate',
      '10.6.0.0/33 via 10.0.0.1 dev eth0',
      '    nexthop via 10.0.0.9',
      '10.7.0.0/16 via 10.0.0.x dev eth0',
    ].join('\n');
    const r = parseIpRoute(text, { file: 't' });
    assert.deepEqual(r.value.map((x) => [x.type, dest(x), x.family, x.cache, x.flags, x.table]), [
      ['local', '10.0.0.1', 4, true, [], 'local'],
      ['unicast', 'default', 6, false, ['onlink'], 'main'],
      ['unreachable', 'default', 6, false, [], 'main'],
      ['unicast', '10.5.0.0/16', 4, false, [], 'main'],
      ['unicast', '10.7.0.0/16', 4, false, [], 'main'],
    ]);
    assert.equal(r.value[0]!.raw, 'local 10.0.0.1 from 10.0.0.2 dev lo table local src 10.0.0.1 uid 0\n    cache <local>');
    assert.equal(formatIp(r.value[1]!.via!), 'fe80::1');
    assert.deepEqual(r.diagnostics.map((d) => [d.severity, d.line, d.column, d.message]), [
      ['warning', 5, 35, "unknown route attribute 'frobnicate'; kept in raw, ignored"],
      ['error', 6, 1, "expected a route destination (prefix, address or 'default'), found '10.6.0.0/33'; line skipped"],
      ['error', 7, 5, "'nexthop' continuation line without a route before it; skipped"],
      ['error', 8, 17, "bad via address '10.0.0.x'; ignored"],
    ]);
    assertSpans(text, r.value);
  });
});
