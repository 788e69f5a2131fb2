import { strict as assert } from 'node:assert';
import { codeLenses } from '../../../src/core/editor/codeLenses';
import { read, textOf } from './editorTestFiles';

describe('codeLenses', () => {
  it('iptables-save: rules, jumps here and the packets that entered each chain', () => {
    const file = 'samples/002-neutron-spoof/iptables-save_-c';
    const text = read(file);
    const lenses = codeLenses(text, 'iptables', file);
    const sg = lenses.find((l) => l.name === 'neutron-openvswi-sg-chain')!;
    assert.equal(sg.title, '5 rules · 4 jumps here · 7 packets, 413 B in');
    assert.deepEqual([sg.entries, sg.referenceCount, sg.packets, sg.bytes, sg.range.start.line], [5, 4, 7n, 413n, 33]);
    assert.deepEqual(sg.references.map((r) => textOf(text, r.range)), Array(4).fill('neutron-openvswi-sg-chain'));
    const pre = lenses.find((l) => l.name === 'PREROUTING')!;
    assert.equal(pre.title, '1 rule · 7 packets, 413 B to policy');
    assert.equal(lenses.find((l) => l.name === 'neutron-openvswi-i6d1e3a2b-7')!.title, '8 rules · 1 jump here · 1 packet, 56 B in');
    assert.equal(lenses.length, 21);
  });

  it('ebtables --Lc: counters of the jumping rules', () => {
    const file = 'test/fixtures/ebtables/nft-1.8.9/ebtables_-L_--Ln_--Lc.txt';
    const lens = codeLenses(read(file), 'ebtables', file).find((l) => l.name === 'libvirt-I-tap0678bf1d-41')!;
    assert.equal(lens.title, '4 rules · 1 jump here · 3 packets, 252 B in');
  });

  it('ovs-flows: one lens per table with flows, senders and packets', () => {
    const file = 'test/fixtures/ovs/hotsos/ovs-ofctl_dump-flows_br-int.txt';
    const lenses = codeLenses(read(file), 'ovs-flows', file);
    const t73 = lenses.find((l) => l.name === '73')!;
    assert.equal(t73.title, 'table 73 · 10 flows · 12 actions send here · 469 packets, 45.9 KiB');
    assert.deepEqual([t73.range.start.line, t73.packets, t73.bytes], [57, 469n, 47051n]);
    assert.equal(lenses.length, 17);
  });
});
