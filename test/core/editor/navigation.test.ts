import { strict as assert } from 'node:assert';
import { definition } from '../../../src/core/editor/definition';
import type { EditorLanguageId } from '../../../src/core/editor/EditorLanguageId';
import { references } from '../../../src/core/editor/references';
import { posOf, read, textOf } from './editorTestFiles';

/** Definition and references of the `occurrence`-th `needle` (cursor in its middle), as "line: text". */
function navigate(file: string, lang: EditorLanguageId, needle: string, occurrence = 0): { def: string[]; refs: string[] } {
  const text = read(file);
  const pos = posOf(text, needle, occurrence, Math.floor(needle.length / 2));
  const where = (r: { range: { start: { line: number } } } & { range: Parameters<typeof textOf>[1] }): string => `${r.range.start.line}: ${textOf(text, r.range).slice(0, 40)}`;
  return { def: definition(text, lang, pos, file).map(where), refs: references(text, lang, pos, true, file).map(where) };
}

describe('go to definition / find references', () => {
  it('iptables-save: -j CHAIN goes to the chain declaration; references are the jumping rules\' targets', () => {
    const r = navigate('samples/002-neutron-spoof/iptables-save_-c', 'iptables', '-j neutron-openvswi-sg-chain');
    assert.deepEqual(r.def, ['33: :neutron-openvswi-sg-chain - [0:0]']);
    assert.deepEqual(r.refs, [
      '33: :neutron-openvswi-sg-chain - [0:0]',
      '42: neutron-openvswi-sg-chain', '43: neutron-openvswi-sg-chain', '44: neutron-openvswi-sg-chain', '45: neutron-openvswi-sg-chain',
    ]);
  });

  it('iptables -L: from the target column to `Chain X (...)`', () => {
    const r = navigate('test/fixtures/iptables/netns-generated/legacy/iptables_-t_filter_-nvL_--line-numbers', 'iptables', 'neutron-openvswi-sg-fallback');
    assert.deepEqual(r.def, ['72: Chain neutron-openvswi-sg-fallback (1 re']);
    assert.deepEqual(r.refs, ['72: Chain neutron-openvswi-sg-fallback (1 re', '60: neutron-openvswi-sg-fallback']);
  });

  it('iptables: a chain with the same name in two tables resolves in the rule\'s own table first', () => {
    const file = 'samples/002-neutron-spoof/iptables-save_-c';
    const text = read(file);
    const def = definition(text, 'iptables', posOf(text, '-j neutron-openvswi-OUTPUT', 0, 5), file);
    assert.deepEqual(def.map((d) => d.range.start.line), [4, 24]); // raw's declaration first, then filter's
  });

  it('ebtables: -j CHAIN, also in a one-line paste', () => {
    assert.deepEqual(navigate('test/fixtures/ebtables/nft-1.8.9/ebtables_-L_--Ln_--Lc.txt', 'ebtables', '-j vip-check').def, ['16: Bridge chain: vip-check, entries: 3, pol']);
    const seed = navigate('test/fixtures/seeds/000-ebtables-t-nat-L.txt', 'ebtables', '-j I-tap0678bf1d-41-arp-ip');
    assert.deepEqual(seed.def, ['0: Bridge chain: I-tap0678bf1d-41-arp-ip, e']);
    assert.deepEqual(seed.refs, ['0: Bridge chain: I-tap0678bf1d-41-arp-ip, e', '0: I-tap0678bf1d-41-arp-ip']);
  });

  it('ovs-flows: resubmit(,N) / goto_table:N go to table N\'s first flow; references are the actions', () => {
    const r = navigate('test/fixtures/ovs/hotsos/ovs-ofctl_dump-flows_br-int.txt', 'ovs-flows', 'resubmit(,73)');
    assert.deepEqual(r.def, ['57: cookie=0x565d7680690eea02, duration=53.9']);
    assert.equal(r.refs.length, 13);
    assert.deepEqual(r.refs.slice(1, 3), ['18: resubmit(,73)', '19: resubmit(,73)']);
    assert.deepEqual(navigate('test/fixtures/ovs/hotsos/ovs-ofctl_-O_OpenFlow13_dump-flows_br-int.txt', 'ovs-flows', 'goto_table:60').def, ['18: cookie=0x565d7680690eea02, duration=599.']);
  });

  it('ovs-flows: ct(table=N) goes to table N', () => {
    const r = navigate('test/fixtures/ovs/hotsos/ovs-ofctl_dump-flows_br-int.txt', 'ovs-flows', 'ct(table=72');
    assert.deepEqual(r.def, ['45: cookie=0x565d7680690eea02, duration=53.9']);
  });

  it('ovs-trace: resubmit(,N) goes to the step that ran table N next', () => {
    const r = navigate('test/fixtures/ovs/ovs-docs/ovs-appctl_ofproto-trace_learn_resubmit.txt', 'ovs-trace', 'resubmit(,10)');
    assert.deepEqual(r.def, ['14: 10. vlan_tci=0x0014/0x0fff,dl_dst=90:00:']);
    assert.deepEqual(r.refs, ['9: learn(table=10,NXM_OF_VLAN_TCI[0..11],NX', '13: resubmit(,10)', '14: 10. vlan_tci=0x0014/0x0fff,dl_dst=90:00:']);
  });

  it('nothing to navigate to: a verdict, a missing table', () => {
    assert.deepEqual(navigate('samples/002-neutron-spoof/iptables-save_-c', 'iptables', '-j ACCEPT').def, []);
    const text = 'table=0, priority=1 actions=resubmit(,99)\n';
    assert.deepEqual(definition(text, 'ovs-flows', { line: 0, character: 35 }), []);
  });
});
