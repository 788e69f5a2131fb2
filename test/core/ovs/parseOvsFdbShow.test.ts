import { strict as assert } from 'node:assert';
import { parseOvsFdbShow } from '../../../src/core/ovs/parseOvsFdbShow';
import { assertSpan, readFixture } from './ovsTestFiles';

describe('parseOvsFdbShow', () => {
  it('reads the MAC learning table of br-int', () => {
    const text = readFixture('hotsos/ovs-appctl_fdb.show_br-int.txt');
    const r = parseOvsFdbShow(text, { file: 'fdb' });
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.value.entries.length, 12);
    const e = r.value.entries[0]!;
    assert.deepEqual([e.ofport, e.port, e.vlan, e.macText, e.mac, e.age], [1, '1', 2, '52:54:00:2d:fb:46', 0x5254002dfb46n, 286]);
    assert.deepEqual(r.value.entries.map((x) => x.ofport), [1, 1, 2, 6, 4, 1, 3, 2, 1, 2, 9, 2]);
    for (const x of r.value.entries) assertSpan(text, x.raw, x.span, x.macText);
  });

  it('reads LOCAL, named ports and static entries, and reports bad lines', () => {
    const text = ' port  VLAN  MAC                Age\nLOCAL     0  aa:55:aa:55:00:0f  static\ntap1    4  aa:55:aa:55:00:10    3\n    1  zz  aa:55:aa:55:00:11  1\n    1  5000  aa:55:aa:55:00:12  1\n';
    const r = parseOvsFdbShow(text, { file: 'fdb' });
    assert.deepEqual(r.value.entries.map((x) => [x.port, x.ofport, x.vlan, x.age]), [['LOCAL', 65534, 0, 'static'], ['tap1', undefined, 4, 3], ['1', 1, 5000, 1]]);
    assert.deepEqual(r.diagnostics.map((d) => [d.severity, d.line, d.message]), [
      ['error', 4, 'not an fdb/show entry (port, VLAN, MAC, age); line skipped'],
      ['error', 5, 'VLAN 5000 is out of range; entry kept'],
    ]);
  });
});
