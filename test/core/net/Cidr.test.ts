import { strict as assert } from 'node:assert';
import { cidrContains, cidrNetwork, parseCidr } from '../../../src/core/net/Cidr';
import { formatIp, parseIp } from '../../../src/core/net/IpAddress';
import { formatMac, isMulticastMac, parseMac } from '../../../src/core/net/MacAddress';

describe('net values', () => {
  it('parses and formats IPv4 and IPv6 addresses', () => {
    for (const t of ['10.1.26.252', '0.0.0.0', '255.255.255.255', 'fe80::f816:3eff:fe4b:d3e2', '::1', '2001:db8::', '::']) {
      const ip = parseIp(t);
      assert.ok(ip, t);
      assert.equal(formatIp(ip), t);
    }
    assert.equal(formatIp(parseIp('::ffff:10.0.0.1')!), '::ffff:a00:1');
    for (const bad of ['10.1.26', '10.1.26.256', 'fe80:::1', 'x', '', '1:2:3:4:5:6:7:8:9']) assert.equal(parseIp(bad), undefined, bad);
  });

  it('matches prefixes, dotted masks and non-contiguous masks', () => {
    const c = parseCidr('10.1.26.0/24')!;
    assert.ok(cidrContains(c, parseIp('10.1.26.252')!));
    assert.ok(!cidrContains(c, parseIp('10.1.27.1')!));
    assert.ok(!cidrContains(c, parseIp('::1')!));
    const dotted = parseCidr('10.0.0.0/255.255.0.0')!;
    assert.equal(dotted.prefixLength, 16);
    assert.equal(cidrNetwork(parseCidr('10.0.0.5/24')!), '10.0.0.0/24');
    const odd = parseCidr('10.0.0.1/255.0.0.255')!;
    assert.equal(odd.prefixLength, -1);
    assert.ok(cidrContains(odd, parseIp('10.9.9.1')!));
    assert.ok(cidrContains(parseCidr('0.0.0.0/0')!, parseIp('8.8.8.8')!));
    assert.ok(cidrContains(parseCidr('fe80::/64')!, parseIp('fe80::1')!));
    assert.equal(parseCidr('10.0.0.0/33'), undefined);
  });

  it('reads MACs in the forms dumps print them', () => {
    assert.equal(formatMac(parseMac('fa:16:3e:4:20:c7')!), 'fa:16:3e:04:20:c7');
    assert.equal(formatMac(parseMac('FA-16-3E-C4-20-C7')!), 'fa:16:3e:c4:20:c7');
    assert.ok(isMulticastMac(parseMac('ff:ff:ff:ff:ff:ff')!));
    assert.ok(!isMulticastMac(parseMac('fa:16:3e:c4:20:c7')!));
    assert.equal(parseMac('fa:16:3e:c4:20'), undefined);
  });
});
