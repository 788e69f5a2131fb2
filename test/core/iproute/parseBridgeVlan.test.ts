import { strict as assert } from 'node:assert';
import { parseBridgeVlan } from '../../../src/core/iproute/parseBridgeVlan';
import { assertSpans, fixture } from './helpers';

describe('parseBridgeVlan', () => {
  it('reads `bridge -d vlan show` (hotsos, old `port<TAB>vlan ids` layout)', () => {
    const text = fixture('iproute/hotsos/bridge_-d_vlan_show.txt');
    const r = parseBridgeVlan(text, { file: 'vlan' });
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.value.length, 10);
    assertSpans(text, r.value);
    assert.deepEqual(r.value[0], { port: 'ens3', vlans: [{ vid: 1, pvid: true, untagged: true }], raw: 'ens3\t 1 PVID Egress Untagged', span: r.value[0]!.span });
  });

  it('reads the newer layout with continuation lines, ranges and -d state lines; reports bad ids', () => {
    const text = [
      'port              vlan-id  ',
      'br0               1 PVID Egress Untagged',
      '                    state forwarding mcast_router 1',
      'eth0              10-20',
      '                  30 Egress Untagged',
      '                  x40',
      '   99',
    ].join('\n');
    const r = parseBridgeVlan(text, { file: 't' });
    assert.deepEqual(r.value.map((p) => [p.port, p.vlans]), [
      ['br0', [{ vid: 1, pvid: true, untagged: true }]],
      ['eth0', [{ vid: 10, vidEnd: 20, pvid: false, untagged: false }, { vid: 30, pvid: false, untagged: true }, { vid: 99, pvid: false, untagged: false }]],
    ]);
    assert.deepEqual(r.diagnostics.map((d) => [d.severity, d.line, d.column]), [['warning', 6, 19]]);
    assert.equal(r.value[1]!.raw.split('\n').length, 4);
  });
});
