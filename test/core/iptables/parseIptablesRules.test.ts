import { strict as assert } from 'node:assert';
import { findChain } from '../../../src/core/iptables/findChain';
import { parseIptablesRules } from '../../../src/core/iptables/parseIptablesRules';
import { allRules, assertDiagnosticsInside, assertRulesetSpans, canonicalRule, errors, fixture } from './netfilterTestHelpers';

describe('parseIptablesRules (iptables -S)', () => {
  it('reads the nova-network compute host of seed 001, blank lines and an elided part included', () => {
    const file = '001-iptables_-S-compute.txt';
    const text = fixture(`seeds/${file}`);
    const { value: rs, diagnostics } = parseIptablesRules(text, { file });
    assertDiagnosticsInside(text, diagnostics);
    assert.deepEqual(diagnostics.map((d) => [d.severity, d.line, d.message]), [
      ['error', 29, 'not an `iptables -S` line (expected -P, -N or -A); line ignored'],
      ['info', 1, '`iptables -S` does not print the table name; took it to be filter (built-in chains INPUT, FORWARD, OUTPUT). Name the file like iptables_-t_nat_-S to say otherwise'],
    ]);
    assert.equal(diagnostics[0]!.raw, '... (virbr0 stuff omitted) ...');
    assert.equal(rs.format, 'iptables-S');
    assert.deepEqual(rs.tables.map((t) => t.name), ['filter']);
    const input = findChain(rs, 'filter', 'INPUT')!;
    assert.deepEqual([input.builtin, input.policy, input.raw], [true, 'ACCEPT', '-P INPUT ACCEPT']);
    const inst = findChain(rs, 'filter', 'nova-compute-inst-9')!;
    assert.deepEqual([inst.builtin, inst.raw], [false, '-N nova-compute-inst-9']);
    assert.deepEqual(inst.rules.map(canonicalRule), [
      '-m state --state INVALID | -j DROP',
      '-m state --state RELATED,ESTABLISHED | -j ACCEPT',
      '-j nova-compute-provider',
      'p=udp | s=10.0.0.1/32 | -m udp --sport 67 --dport 68 | -j ACCEPT',
      's=10.0.0.0/24 | -j ACCEPT',
      '-j nova-compute-sg-fallback',
    ]);
    assert.deepEqual(findChain(rs, 'filter', 'nova-compute-sg-fallback')!.rules.map(canonicalRule), ['-j DROP']);
    assert.equal(allRules(rs).length, 16);
    assertRulesetSpans(text, rs);
  });

  it('names the table from the file name (`iptables_-t_nat_-S`) and otherwise infers it', () => {
    const nat = fixture('seeds/001-iptables_-t_nat_-S-controller.txt');
    const named = parseIptablesRules(nat, { file: 'seeds/001-iptables_-t_nat_-S-controller.txt' });
    assert.deepEqual(named.diagnostics, []);
    assert.deepEqual(named.value.tables.map((t) => t.name), ['nat']);
    const meta = findChain(named.value, 'nat', 'nova-network-PREROUTING')!.rules[0]!;
    assert.equal(canonicalRule(meta), 'p=tcp | d=169.254.169.254/32 | -m tcp --dport 80 | -j DNAT --to-destination 192.168.56.200:8775');
    const inferred = parseIptablesRules(nat, { file: 'controller.txt' });
    assert.deepEqual(inferred.value.tables.map((t) => t.name), ['nat']);
    assert.match(inferred.diagnostics[0]!.message, /took it to be nat \(built-in chains PREROUTING, INPUT, OUTPUT, POSTROUTING\)/);
    const given = parseIptablesRules(nat, { file: 'x', table: 'mangle' });
    assert.deepEqual(given.value.tables.map((t) => t.name), ['mangle'], 'the caller wins');
    const filter = parseIptablesRules(fixture('seeds/001-iptables_-t_filter_-S-controller.txt'), { file: '001-iptables_-t_filter_-S-controller.txt' });
    assert.deepEqual(filter.diagnostics, []);
    assert.equal(allRules(filter.value).length, 17);
  });

  it('reads `-v -S` counters on policies and rules (real iptables 1.8.9)', () => {
    const text = fixture('iptables/netns-generated/legacy/iptables_-t_filter_-v_-S');
    const { value: rs, diagnostics } = parseIptablesRules(text, { file: 'iptables_-t_filter_-v_-S' });
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(findChain(rs, 'filter', 'INPUT')!.counters, { packets: 0n, bytes: 0n });
    assert.equal(findChain(rs, 'filter', 'INPUT')!.policy, 'DROP');
    const lo = findChain(rs, 'filter', 'INPUT')!.rules[0]!;
    assert.equal(lo.raw, '-A INPUT -i lo -c 0 0 -j ACCEPT');
    assert.deepEqual(lo.counters, { packets: 0n, bytes: 0n });
    assertRulesetSpans(text, rs);
  });

  it('gives every form of seed 004 the nat table from its file name', () => {
    for (const name of ['004-snat-iptables_-t_nat_-S-grep-NAT.txt', '004-qrouter-iptables_-t_nat_-S-grep-192.168.txt']) {
      const text = fixture(`seeds/${name}`);
      const { value: rs, diagnostics } = parseIptablesRules(text, { file: name });
      assert.deepEqual(errors(diagnostics), []);
      assert.deepEqual(diagnostics.map((d) => d.severity), ['warning'], 'only: chains used without a declaration');
      assert.deepEqual(rs.tables.map((t) => t.name), ['nat']);
      assertRulesetSpans(text, rs);
    }
    const { value } = parseIptablesRules(fixture('seeds/004-qrouter-iptables_-t_nat_-S-grep-192.168.txt'), { file: '004-qrouter-iptables_-t_nat_-S-grep-192.168.txt' });
    assert.deepEqual(allRules(value).map(canonicalRule), [
      'd=10.5.152.142/32 | i=rfp-919bb6a3-4 | -j DNAT --to-destination 192.168.21.210',
      's=192.168.21.210/32 | -j SNAT --to-source 10.5.152.142 --random-fully',
    ]);
  });

  it('splits several pasted -S outputs into tables at the second policy line', () => {
    const text = ['-P INPUT ACCEPT', '-A INPUT -j ACCEPT', '-P PREROUTING ACCEPT', '-P INPUT ACCEPT', '-P OUTPUT ACCEPT', '-P POSTROUTING ACCEPT', '-A POSTROUTING -j MASQUERADE'].join('\n');
    const { value: rs, diagnostics } = parseIptablesRules(text, { file: 'x' });
    assert.deepEqual(rs.tables.map((t) => t.name), ['filter', 'nat']);
    assert.equal(diagnostics.filter((d) => d.severity === 'info').length, 2);
    assertRulesetSpans(text, rs);
  });

  it('reports bad lines with positions and keeps the rest', () => {
    const text = ['-P INPUT', '-N', '-A INPUT -s nonsense -j ACCEPT', '-X foo', '-Q INPUT', '-A INPUT -j ACCEPT -c 1'].join('\n');
    const { value: rs, diagnostics } = parseIptablesRules(text, { file: 'x', table: 'filter' });
    assertDiagnosticsInside(text, diagnostics);
    assert.deepEqual(diagnostics.map((d) => [d.severity, d.line, d.column]), [
      ['error', 1, 1], ['error', 2, 1], ['error', 3, 13], ['warning', 4, 1], ['error', 5, 1], ['error', 6, 20], ['error', 6, 23],
      ['warning', 3, 4],
    ]);
    assert.equal(diagnostics[6]!.message, 'unexpected argument `1`; argument ignored, rest of the rule kept');
    assert.equal(diagnostics[7]!.message, '1 chain used without being declared (a partial dump such as grep output?): INPUT; created as chains without policy');
    assert.equal(diagnostics[5]!.message, '-c needs two counters (packets bytes); counters ignored');
    assert.equal(findChain(rs, 'filter', 'INPUT')!.rules.length, 2);
  });
});
