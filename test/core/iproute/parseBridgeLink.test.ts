import { strict as assert } from 'node:assert';
import { parseBridgeLink } from '../../../src/core/iproute/parseBridgeLink';
import { assertSpans, fixture } from './helpers';

describe('parseBridgeLink', () => {
  it('reads `bridge -s -s -d link show` (hotsos): ports, states, -d options, the repeated name quirk', () => {
    const text = fixture('iproute/hotsos/bridge_-s_-s_-d_link_show.txt');
    const r = parseBridgeLink(text, { file: 'bridge_link' });
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.value.length, 10);
    assertSpans(text, r.value);
    const ens3 = r.value[0]!;
    assert.deepEqual([ens3.index, ens3.name, ens3.master, ens3.state, ens3.priority, ens3.cost, ens3.mtu, ens3.hairpin, ens3.learning, ens3.flood],
      [2, 'ens3', 'br-ens3', 'forwarding', 32, 100, 1500, false, true, true]);
    assert.equal(ens3.options['neigh_suppress'], 'off');
    assert.equal(ens3.raw.split('\n').length, 2);
    const br = r.value[1]!;
    assert.deepEqual([br.name, br.master, br.state], ['br-ens3', 'br-ens3', undefined]);
    assert.deepEqual([r.value[3]!.name, r.value[3]!.peerName], ['veth1883dceb', 'if16']);
  });

  it('reads the live `bridge link`, the old `N: eth0 state UP : <...>` form, and reports bad headers', () => {
    const live = parseBridgeLink(fixture('iproute/live/bridge_link.txt'), { file: 'l' }).value;
    assert.deepEqual(live.map((p) => [p.name, p.peerName, p.master, p.state]), [
      ['qvb1234', 'qvo1234', 'qbr1234', 'forwarding'], ['tap1234', undefined, 'qbr1234', 'disabled'], ['vx0', undefined, 'qbr1234', 'forwarding'],
    ]);
    const text = [
      '3: eth0 state UP : <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 32 cost 19',
      'eth1: <UP> mtu 1500',
      '    hairpin on',
      '4: eth2: <UP> mtu 1500 master br0 state blocking sparkle glitter',
    ].join('\n');
    const r = parseBridgeLink(text, { file: 't' });
    assert.deepEqual(r.value.map((p) => [p.index, p.name, p.master, p.state, p.cost]), [[3, 'eth0', 'br0', 'forwarding', 19], [4, 'eth2', 'br0', 'blocking', undefined]]);
    assert.deepEqual(r.diagnostics.map((d) => [d.severity, d.line, d.column]), [['error', 2, 1], ['warning', 4, 50]]);
    assert.match(r.diagnostics[1]!.message, /unknown bridge link attribute 'sparkle glitter'/);
  });
});
