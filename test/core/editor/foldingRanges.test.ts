import { strict as assert } from 'node:assert';
import { foldingRanges } from '../../../src/core/editor/foldingRanges';
import { read } from './editorTestFiles';

const show = (text: string, file: string, lang: Parameters<typeof foldingRanges>[1]): string[] => {
  const lines = text.split('\n');
  return foldingRanges(text, lang, file).map((r) => `${r.kind} ${r.startLine}-${r.endLine} ${lines[r.startLine]!.trim().slice(0, 20)}`);
};

describe('foldingRanges', () => {
  it('iptables-save: each table to its COMMIT, each chain\'s run of rules', () => {
    const file = 'samples/002-neutron-spoof/iptables-save_-c';
    const folds = show(read(file), file, 'iptables');
    assert.deepEqual(folds.slice(0, 4), ['table 1-14 *raw', 'chain 8-13 [1:56] -A neutron-op', 'table 17-90 *filter', 'chain 36-37 [7:413] -A FORWARD -']);
    assert.ok(folds.includes('chain 48-55 [0:0] -A neutron-ope'));
  });

  it('iptables -L: each chain from its header, no whole-file table fold', () => {
    const file = 'test/fixtures/iptables/netns-generated/legacy/iptables_-t_filter_-nvL_--line-numbers';
    const folds = show(read(file), file, 'iptables');
    assert.equal(folds[0], 'chain 0-35 Chain INPUT (policy ');
    assert.ok(folds.every((f) => f.startsWith('chain')));
    assert.equal(folds.length, 9);
  });

  it('ebtables: tables and chains', () => {
    const file = 'test/fixtures/ebtables/nft-1.8.9/ebtables_-L_--Ln_--Lc.txt';
    const folds = show(read(file), file, 'ebtables');
    assert.deepEqual(folds.slice(0, 3), ['table 0-19 Bridge table: filter', 'chain 4-12 Bridge chain: FORWAR', 'chain 16-19 Bridge chain: vip-ch']);
  });

  it('ovs-flows: each table\'s run of flows', () => {
    const file = 'test/fixtures/ovs/hotsos/ovs-ofctl_dump-flows_br-int.txt';
    const folds = foldingRanges(read(file), 'ovs-flows', file);
    assert.deepEqual(folds.slice(0, 3).map((f) => [f.startLine, f.endLine]), [[1, 10], [11, 13], [18, 27]]);
  });

  it('ovs-trace: each step with what it resubmitted, each bridge section', () => {
    const file = 'test/fixtures/ovs/ovs-docs/ovs-appctl_ofproto-trace_learn_resubmit.txt';
    assert.deepEqual(show(read(file), file, 'ovs-trace'), [
      'bridge 2-18 bridge("br0")', 'step 4-18 0. priority 0', 'step 6-18 1. in_port=1, priori', 'step 8-18 2. priority 32768',
      'step 12-18 3. priority 50', 'step 14-15 10. vlan_tci=0x0014/', 'step 17-18 4. No match.',
    ]);
  });
});
