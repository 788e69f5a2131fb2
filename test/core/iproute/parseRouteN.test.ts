import { strict as assert } from 'node:assert';
import { formatIp } from '../../../src/core/net/IpAddress';
import { parseRouteN } from '../../../src/core/iproute/parseRouteN';
import type { Route } from '../../../src/core/iproute/Route';
import { assertSpans, fixture } from './helpers';

const dest = (r: Route): string => (r.destination === 'default' ? 'default' : r.destination.text);

describe('parseRouteN', () => {
  it('reads `route -n` of the DVR fip namespace (seed 004) into routes', () => {
    const text = fixture('seeds/004-fip_route_-n_dvr.txt');
    const r = parseRouteN(text, { file: 'route_-n' });
    assert.deepEqual(r.diagnostics, []);
    assertSpans(text, r.value);
    assert.deepEqual(r.value.map((x) => [dest(x), x.via ? formatIp(x.via) : undefined, x.dev, x.metric, x.scope, x.table]), [
      ['default', '10.5.0.1', 'fg-d35ad06f-ae', 0, undefined, 'main'],
      ['10.5.0.0/255.255.0.0', undefined, 'fg-d35ad06f-ae', 0, 'link', 'main'],
      ['10.5.150.1/255.255.255.255', '169.254.106.114', 'fpr-9a3594b0-5', 0, undefined, 'main'],
      ['169.254.106.114/255.255.255.254', undefined, 'fpr-9a3594b0-5', 0, 'link', 'main'],
    ]);
    const second = r.value[1]!.destination;
    assert.ok(second !== 'default' && second.prefixLength === 16);
  });

  it('reads the NBSP-aligned `route -n` of seed 001 (blank lines between rows)', () => {
    const r = parseRouteN(fixture('seeds/001-route_-n_controller.txt'), { file: '001' });
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.value.map((x) => [dest(x), x.dev, x.metric]), [
      ['default', 'eth1', 100], ['10.0.0.0/255.255.255.0', 'br100', 0], ['169.254.0.0/255.255.0.0', 'eth1', 1000], ['192.168.56.0/255.255.255.0', 'eth1', 0],
    ]);
  });

  it('reads netstat -rn and the IPv6 table, reject routes, and reports bad rows', () => {
    const text = [
      'Kernel IP routing table',
      'Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface',
      '0.0.0.0         10.0.0.1        0.0.0.0         UG        0 0          0 eth0',
      '10.66.0.0       -               255.255.0.0     !         0 -          0 -',
      '10.0.0.0        0.0.0.0         255.255.255.0   U         0 0          0',
      'Kernel IPv6 routing table',
      'Destination                    Next Hop                   Flag Met Ref Use If',
      'fe80::/64                      ::                         U    256 1     0 eth0',
      '2001:db8::/32                  fe80::1                    UG   1024 1    0 eth0',
      'fe80::/129                     ::                         U    256 1     0 eth0',
    ].join('\n');
    const r = parseRouteN(text, { file: 't' });
    assert.deepEqual(r.value.map((x) => [x.family, x.type, dest(x), x.via ? formatIp(x.via) : undefined, x.dev, x.metric]), [
      [4, 'unicast', 'default', '10.0.0.1', 'eth0', undefined],
      [4, 'unreachable', '10.66.0.0/255.255.0.0', undefined, undefined, undefined],
      [6, 'unicast', 'fe80::/64', undefined, 'eth0', 256],
      [6, 'unicast', '2001:db8::/32', 'fe80::1', 'eth0', 1024],
    ]);
    assert.deepEqual(r.diagnostics.map((d) => [d.severity, d.line, d.column]), [['info', 4, 49], ['error', 5, 1], ['error', 10, 1]]);
    assert.match(r.diagnostics[1]!.message, /expected 8 columns like the header, found 7/);
  });
});
