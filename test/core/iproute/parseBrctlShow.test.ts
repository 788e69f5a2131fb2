import { strict as assert } from 'node:assert';
import { parseBrctlShow } from '../../../src/core/iproute/parseBrctlShow';
import { assertSpans, fixture } from './helpers';

describe('parseBrctlShow', () => {
  it('reads the DevStack hybrid-firewall host of the neutron docs (continuation lines hold more ports)', () => {
    const text = fixture('iproute/neutron-docs/brctl_show_devstack-ovs-hybrid.txt');
    const r = parseBrctlShow(text, { file: 'brctl' });
    assert.deepEqual(r.diagnostics, []);
    assertSpans(text, r.value);
    assert.deepEqual(r.value.map((b) => [b.name, b.id, b.stp, b.interfaces]), [
      ['br-eth1', '0000.e2e7fc5ccb4d', false, []],
      ['br-ex', '0000.82ee46beaf4d', false, ['phy-br-ex', 'qg-41efb3f9-f0', 'qg-77e0666b-cd']],
      ['br-int', '0000.5e46cb509849', false, ['int-br-ex', 'qr-54c9cd83-43', 'qvo199abeb2-63', 'qvo1abbbb60-b8', 'tap74b45335-cc']],
      ['qbr199abeb2-63', '8000.ba06e5f8675c', false, ['qvb199abeb2-63', 'tap199abeb2-63']],
      ['qbr1abbbb60-b8', '8000.46a87ed4fb66', false, ['qvb1abbbb60-b8', 'tap1abbbb60-b8']],
      ['virbr0', '8000.000000000000', true, []],
    ]);
  });

  it('reads the NBSP-separated seed 001 and reports rows without an STP column', () => {
    const seed = parseBrctlShow(fixture('seeds/001-brctl_show_controller.txt'), { file: '001' });
    assert.deepEqual(seed.diagnostics, []);
    assert.deepEqual(seed.value.map((b) => [b.name, b.id, b.stp, b.interfaces]), [['br100', '8000.0800278f87fa', false, ['eth2']]]);
    const r = parseBrctlShow('bridge name\tbridge id\t\tSTP enabled\tinterfaces\nbr0\t\t8000.1\tmaybe\teth0\n\t\t\t\t\teth1\nbr1\t8000.2\tyes\n', { file: 't' });
    assert.deepEqual(r.value.map((b) => b.name), ['br1']);
    assert.deepEqual(r.diagnostics.map((d) => [d.severity, d.line, d.column]), [['error', 2, 13]]);
  });
});
