import { strict as assert } from 'node:assert';
import { formatIp } from '../../../src/core/net/IpAddress';
import { formatMac } from '../../../src/core/net/MacAddress';
import { parseIpNeigh } from '../../../src/core/iproute/parseIpNeigh';
import { assertSpans, fixture } from './helpers';

describe('parseIpNeigh', () => {
  it('reads the live capture (permanent IPv4/IPv6 entries, an INCOMPLETE vxlan remote)', () => {
    const text = fixture('iproute/live/ip_neigh.txt');
    const r = parseIpNeigh(text, { file: 'ip_neigh' });
    assert.deepEqual(r.diagnostics, []);
    assertSpans(text, r.value);
    const perm = r.value.filter((n) => n.states.includes('PERMANENT'));
    assert.deepEqual(perm.map((n) => [formatIp(n.ip), n.family, n.dev, formatMac(n.lladdr!)]), [
      ['10.1.0.9', 4, 'd0', '00:11:22:33:44:55'],
      ['2001:db8::9', 6, 'd0', '00:11:22:33:44:56'],
    ]);
  });

  it('reads router/proxy flags, -s counters and odd link-layer addresses; reports bad lines', () => {
    const text = [
      'fe80::1 dev eth0 lladdr 52:54:00:12:34:56 router STALE',
      '10.0.0.7 dev eth0 lladdr 52:54:00:aa:bb:cc ref 1 used 10/10/5 probes 1 REACHABLE',
      '10.0.0.8 dev ib0 lladdr 80:00:00:48:fe:80:00:00:00:00:00:00:00:02:c9:03:00:0a:6e:11 REACHABLE',
      '10.0.0.9 dev eth0 proxy',
      'nonsense dev eth0',
      '10.0.0.10 dev eth0 sparkly FAILED',
    ].join('\n');
    const r = parseIpNeigh(text, { file: 't' });
    assert.deepEqual(r.value.map((n) => [formatIp(n.ip), n.router, n.proxy, n.states, n.lladdrText]), [
      ['fe80::1', true, false, ['STALE'], undefined],
      ['10.0.0.7', false, false, ['REACHABLE'], undefined],
      ['10.0.0.8', false, false, ['REACHABLE'], '80:00:00:48:fe:80:00:00:00:00:00:00:00:02:c9:03:00:0a:6e:11'],
      ['10.0.0.9', false, true, [], undefined],
      ['10.0.0.10', false, false, ['FAILED'], undefined],
    ]);
    assert.deepEqual(r.diagnostics.map((d) => [d.severity, d.line, d.column, d.message]), [
      ['error', 5, 1, "expected a neighbour address, found 'nonsense'; line skipped"],
      ['warning', 6, 20, "unknown neighbour attribute 'sparkly'; kept in raw, ignored"],
    ]);
  });
});
