import { strict as assert } from 'node:assert';
import { documentSymbols, type EditorSymbol } from '../../../src/core/editor/documentSymbols';
import { contains, read } from './editorTestFiles';

function assertNested(s: EditorSymbol, where: string): void {
  assert.ok(contains(s.range, s.selectionRange), `${where}/${s.name}: selectionRange outside range`);
  for (const c of s.children) {
    assert.ok(contains(s.range, c.range), `${where}/${s.name}: child ${c.name} outside its parent`);
    assertNested(c, `${where}/${s.name}`);
  }
}

/** Line (1-based) of the first `-A neutron-openvswi-sg-chain` rule in samples/002-neutron-spoof/iptables-save_-c. */
const SG_FIRST_RULE_LINE = 85;

describe('documentSymbols', () => {
  it('iptables-save: tables -> chains -> rules, chains with rule and jump counts', () => {
    const file = 'samples/002-neutron-spoof/iptables-save_-c';
    const symbols = documentSymbols(read(file), 'iptables', file);
    assert.deepEqual(symbols.map((s) => [s.name, s.kind, s.children.length]), [['raw', 'table', 4], ['filter', 'table', 17]]);
    const filter = symbols[1]!;
    const sg = filter.children.find((c) => c.name === 'neutron-openvswi-sg-chain')!;
    assert.equal(sg.detail, '5 rules · 4 jumps here');
    // iptables-save declares all chains first: a chain is its block of -A rules, so chains never
    // overlap and sticky scroll / breadcrumbs name the chain the cursor is in.
    assert.equal(sg.selectionRange.start.line, SG_FIRST_RULE_LINE - 1);
    const chains = filter.children;
    for (const a of chains) for (const b of chains) {
      if (a !== b) assert.ok(a.range.end.line < b.range.start.line || b.range.end.line < a.range.start.line, `${a.name} overlaps ${b.name}`);
    }
    const at84 = chains.filter((c) => c.range.start.line <= 83 && 83 <= c.range.end.line).map((c) => c.name);
    assert.deepEqual(at84, ['neutron-openvswi-s6d1e3a2b-7']);
    assert.deepEqual(sg.children.map((r) => r.name), ['1. neutron-openvswi-i6d1e3a2b-7', '2. neutron-openvswi-o6d1e3a2b-7', '3. neutron-openvswi-i2b9c4e71-0', '4. neutron-openvswi-o2b9c4e71-0', '5. ACCEPT']);
    const spoof = filter.children.find((c) => c.name === 'neutron-openvswi-s6d1e3a2b-7')!;
    assert.equal(spoof.detail, '2 rules · 1 jump here · spoof of 6d1e3a2b-7');
    assert.equal(spoof.children[1]!.detail, 'Drop traffic without an IP/MAC allow rule.');
    assert.equal(filter.children.find((c) => c.name === 'FORWARD')!.detail, 'policy ACCEPT · 2 rules');
    symbols.forEach((s) => assertNested(s, file));
  });

  it('iptables -L: chains with the rules under their header', () => {
    const file = 'test/fixtures/iptables/netns-generated/legacy/iptables_-t_filter_-nvL_--line-numbers';
    const [table] = documentSymbols(read(file), 'iptables', file);
    assert.equal(table!.name, 'filter');
    const input = table!.children[0]!;
    assert.equal(input.name, 'INPUT');
    assert.equal(input.children.length, 34);
    assert.deepEqual([input.range.start.line, input.range.end.line], [0, 35]);
    assert.equal(input.children[5]!.name, '6. REJECT');
  });

  it('ebtables -L --Ln --Lc: both tables, libvirt chains', () => {
    const file = 'test/fixtures/ebtables/nft-1.8.9/ebtables_-L_--Ln_--Lc.txt';
    const symbols = documentSymbols(read(file), 'ebtables', file);
    assert.deepEqual(symbols.map((s) => s.name), ['filter', 'nat']);
    assert.deepEqual(symbols[0]!.children.map((c) => `${c.name}:${c.children.length}`), ['INPUT:0', 'FORWARD:8', 'OUTPUT:0', 'vip-check:3']);
    const mac = symbols[1]!.children.find((c) => c.name === 'I-tap0678bf1d-41-mac')!;
    assert.equal(mac.detail, 'policy RETURN · 2 rules · 1 jump here · egress of tap0678bf1d-41');
    symbols.forEach((s) => assertNested(s, file));
  });

  it('ovs-flows: one symbol per table with its Neutron name, flows under it', () => {
    const file = 'test/fixtures/ovs/hotsos/ovs-ofctl_dump-flows_br-int.txt';
    const symbols = documentSymbols(read(file), 'ovs-flows', file);
    assert.deepEqual(symbols.map((s) => s.name), ['table 0', 'table 1', 'table 2', 'table 3', 'table 23', 'table 24', 'table 60', 'table 62', 'table 71', 'table 72', 'table 73', 'table 81', 'table 82', 'table 91', 'table 92', 'table 93', 'table 94']);
    assert.equal(symbols[5]!.detail, '1 flow · 0 packets · ARP_SPOOF_TABLE');
    assert.equal(symbols[0]!.children[0]!.name, 'priority=65535 vlan_tci=0x0fff/0x1fff');
    assert.equal(symbols[0]!.children[0]!.detail, 'actions=drop');
    symbols.forEach((s) => assertNested(s, file));
  });

  it('ovs-trace: steps nested as the packet was resubmitted, with the input flow', () => {
    const file = 'test/fixtures/ovs/ovs-docs/ovs-appctl_ofproto-trace_learn_resubmit.txt';
    const symbols = documentSymbols(read(file), 'ovs-trace', file);
    const flat = (s: EditorSymbol, depth: number): string[] => [`${'-'.repeat(depth)}${s.name}`, ...s.children.flatMap((c) => flat(c, depth + 1))];
    assert.deepEqual(symbols.flatMap((s) => flat(s, 0)), ['Flow', 'table 0', '-table 1', '--table 2', '---table 3', '----table 10', '----table 4: no match']);
    symbols.forEach((s) => assertNested(s, file));
  });

  it('ovs-trace: the verdict line is a symbol', () => {
    const file = 'test/fixtures/ovs/ovs-docs/ovs-appctl_ofproto-trace_tracing-topic.txt';
    const verdict = documentSymbols(read(file), 'ovs-trace', file).find((s) => s.kind === 'verdict')!;
    assert.deepEqual([verdict.name, verdict.detail, verdict.selectionRange.start.line], ['Datapath actions', '1', 11]);
  });

  it('drops leaf symbols past maxLeaves, keeps tables and chains', () => {
    const file = 'samples/002-neutron-spoof/iptables-save_-c';
    const symbols = documentSymbols(read(file), 'iptables', file, { maxLeaves: 10 });
    assert.equal(symbols[1]!.children.length, 17);
    assert.ok(symbols.every((t) => t.children.every((c) => c.children.length === 0)));
  });
});
