import { strict as assert } from 'node:assert';
import { formatIp } from '../../../src/core/net/IpAddress';
import { formatMac } from '../../../src/core/net/MacAddress';
import { parseBridgeFdb } from '../../../src/core/iproute/parseBridgeFdb';
import { assertSpans, fixture } from './helpers';

describe('parseBridgeFdb', () => {
  it('reads `bridge -s -s -d -t fdb show` (hotsos): learned, permanent, vlan, used/updated, self', () => {
    const text = fixture('iproute/hotsos/bridge_-s_-s_-d_-t_fdb_show.txt');
    const r = parseBridgeFdb(text, { file: 'fdb' });
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.value.length, 107);
    assertSpans(text, r.value);
    const learned = r.value[1]!;
    assert.deepEqual([formatMac(learned.mac), learned.dev, learned.master, learned.state, learned.used, learned.updated, learned.self],
      ['00:16:3e:3a:20:be', 'ens3', 'br-ens3', undefined, 23504, 25, false]);
    const perm = r.value[17]!;
    assert.deepEqual([perm.vlan, perm.state, perm.master], [1, 'permanent', 'br-ens3']);
    assert.equal(r.value.filter((e) => e.self).length, 65);
    assert.equal(r.value.filter((e) => e.master === 'br-ens3' && e.state === undefined).length, 24);
  });

  it('reads vxlan remotes (dst, via) from the live capture and reports bad lines', () => {
    const live = parseBridgeFdb(fixture('iproute/live/bridge_fdb.txt'), { file: 'l' }).value;
    const vx = live.filter((e) => e.dev === 'vx0' && e.dst);
    assert.deepEqual(vx.map((e) => [formatMac(e.mac), formatIp(e.dst!), e.via, e.self, e.state]), [
      ['00:aa:bb:cc:dd:ee', '10.0.0.3', undefined, true, 'permanent'],
      ['00:00:00:00:00:00', '10.0.0.2', 'd0', true, 'permanent'],
    ]);
    assert.equal(live.find((e) => formatMac(e.mac) === '02:00:00:00:12:34')!.state, 'static');
    const r = parseBridgeFdb('zz:00 dev eth0\n00:11:22:33:44:55 master\n00:11:22:33:44:56 dev eth0 vni 5000 extern_learn sparkle\n', { file: 't' });
    assert.deepEqual(r.value.map((e) => [e.dev, e.vni, e.flags]), [['eth0', 5000, ['extern_learn']]]);
    assert.deepEqual(r.diagnostics.map((d) => [d.severity, d.line, d.column, d.message]), [
      ['error', 1, 1, "expected a MAC address, found 'zz:00'; line skipped"],
      ['error', 2, 1, "fdb entry without 'dev'; line skipped"],
      ['warning', 3, 50, "unknown fdb attribute 'sparkle'; kept in raw, ignored"],
    ]);
  });
});
