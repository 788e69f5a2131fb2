import { strict as assert } from 'node:assert';
import { findChain } from '../../../src/core/iptables/findChain';
import { parseIptablesSave } from '../../../src/core/iptables/parseIptablesSave';
import { allRules, assertDiagnosticsInside, assertRulesetSpans, canonicalRule, errors, fixture } from './netfilterTestHelpers';

const parse = (text: string, file = 'test.txt') => parseIptablesSave(text, { file });

describe('parseIptablesSave', () => {
  it('reads a DVR qrouter namespace dump (hotsos): tables, policies, counters, rules', () => {
    const text = fixture('iptables/hotsos/iptables-save_netns_qrouter.txt');
    const { value: rs, diagnostics } = parse(text, 'iptables-save_netns_qrouter.txt');
    assert.deepEqual(diagnostics, []);
    assert.equal(rs.family, 4);
    assert.equal(rs.format, 'iptables-save');
    assert.equal(rs.backend, 'legacy');
    assert.equal(rs.lossy, false);
    assert.deepEqual(rs.tables.map((t) => t.name), ['raw', 'nat', 'mangle', 'filter']);
    assert.equal(allRules(rs).length, 36);
    const pre = findChain(rs, 'mangle', 'PREROUTING')!;
    assert.equal(pre.builtin, true);
    assert.equal(pre.policy, 'ACCEPT');
    assert.deepEqual(pre.counters, { packets: 473n, bytes: 46354n });
    assert.equal(pre.raw, ':PREROUTING ACCEPT [473:46354]');
    const userChain = findChain(rs, 'nat', 'neutron-l3-agent-snat')!;
    assert.equal(userChain.builtin, false);
    assert.equal(userChain.policy, undefined);

    const [post] = findChain(rs, 'nat', 'neutron-l3-agent-POSTROUTING')!.rules;
    assert.equal(post!.raw, '-A neutron-l3-agent-POSTROUTING ! -o rfp-984c22fd-6 -m conntrack ! --ctstate DNAT -j ACCEPT');
    assert.deepEqual(post!.outInterface, { negated: true, value: 'rfp-984c22fd-6' });
    assert.equal(post!.matches[0]!.module, 'conntrack');
    const ct = post!.matches[0]!.options[0]!;
    assert.deepEqual([ct.name, ct.negated, ct.values], ['--ctstate', true, ['DNAT']]);
    assert.equal(text.slice(ct.span!.offset, ct.span!.endOffset), '! --ctstate DNAT');
    assert.deepEqual(post!.target, { kind: 'jump', name: 'ACCEPT', options: [] });

    const redirect = findChain(rs, 'nat', 'neutron-l3-agent-PREROUTING')!.rules[0]!;
    assert.equal(redirect.index, 1);
    assert.equal(redirect.table, 'nat');
    assert.equal(redirect.destination!.value.text, '169.254.169.254/32');
    assert.equal(redirect.destination!.value.prefixLength, 32);
    assert.deepEqual(redirect.inInterface, { negated: false, value: 'qr-+' });
    assert.deepEqual(redirect.protocol, { negated: false, value: 'tcp' });
    assert.equal(canonicalRule(redirect), 'p=tcp | d=169.254.169.254/32 | i=qr-+ | -m tcp --dport 80 | -j REDIRECT --to-ports 9697');
    const snat = findChain(rs, 'nat', 'neutron-l3-agent-float-snat')!.rules[0]!;
    assert.equal(canonicalRule(snat), 's=192.168.21.18/32 | -j SNAT --to-source 10.100.0.203 --random-fully');
    const bottom = findChain(rs, 'nat', 'neutron-postrouting-bottom')!.rules[0]!;
    assert.equal(bottom.comment, 'Perform source NAT on outgoing traffic.');
    const connmark = findChain(rs, 'mangle', 'neutron-l3-agent-PREROUTING')!.rules[2]!;
    assert.equal(canonicalRule(connmark), '-m connmark ! --mark 0x0/0xffff0000 | -j CONNMARK --restore-mark --nfmask 0xffff0000 --ctmask 0xffff0000');
    assertRulesetSpans(text, rs);
  });

  it('reads ip6tables-save: family from the header', () => {
    const text = fixture('iptables/hotsos/ip6tables-save_netns_qrouter.txt');
    const { value: rs, diagnostics } = parse(text);
    assert.deepEqual(diagnostics, []);
    assert.equal(rs.family, 6);
    assert.deepEqual(rs.tables.map((t) => t.name), ['raw', 'mangle', 'filter']);
    assertRulesetSpans(text, rs);
  });

  it('reads `iptables-save -c` counters and the nft backend from real iptables 1.8.9 output', () => {
    const text = fixture('iptables/netns-generated/nft/iptables-save_-c');
    const { value: rs, diagnostics } = parse(text);
    assert.deepEqual(diagnostics, []);
    assert.equal(rs.backend, 'nf_tables');
    const rule = findChain(rs, 'filter', 'INPUT')!.rules[0]!;
    assert.equal(rule.raw, '[0:0] -A INPUT -i lo -j ACCEPT');
    assert.deepEqual(rule.counters, { packets: 0n, bytes: 0n });
    const v6 = parse(fixture('iptables/netns-generated/nft/ip6tables-save_-c')).value;
    assert.equal(v6.family, 6);
    const ra = findChain(v6, 'filter', 'INPUT')!.rules[0]!;
    assert.equal(canonicalRule(ra), 'p=ipv6-icmp | -m icmp6 --icmpv6-type 134 | -j ACCEPT');
    const dnat = findChain(v6, 'nat', 'PREROUTING')!.rules[0]!;
    assert.equal(canonicalRule(dnat), 'p=tcp | d=2001:db8::1/128 | -m tcp --dport 80 | -j DNAT --to-destination [2001:db8::2]:8080');
  });

  it('reads every match module of the generated ruleset the way iptables-save prints it', () => {
    const text = fixture('iptables/netns-generated/legacy/iptables-save');
    const { value: rs, diagnostics } = parse(text);
    assert.deepEqual(diagnostics, []);
    const input = findChain(rs, 'filter', 'INPUT')!.rules.map(canonicalRule);
    assert.equal(input[1], 'p=tcp | -m tcp --tcp-flags FIN,SYN,RST,ACK SYN | -j syn-flood');
    assert.equal(input[2], 'p=tcp | -m tcp ! --tcp-flags FIN,SYN,RST,ACK SYN | -m state --state NEW | -j DROP');
    assert.equal(input[3], 'f | -j LOG --log-prefix IPTABLES FRAGMENTS:');
    assert.equal(findChain(rs, 'filter', 'INPUT')!.rules[3]!.target!.options[0]!.values[0], 'IPTABLES FRAGMENTS: ');
    assert.equal(input[5], 'p=tcp | -m tcp ! --dport 22 | -j REJECT --reject-with tcp-reset');
    assert.equal(input[8], 'p=icmp | -m icmp --icmp-type 3/4 | -j ACCEPT');
    assert.equal(input[11], 'p=vrrp | -j ACCEPT');
    assert.equal(input[13], '!p=tcp | -j ACCEPT');
    assert.equal(input[15], '-m set ! --match-set blocked src,dst | -j ACCEPT');
    assert.equal(input[27], 's=10.0.0.0/8 | -m comment --comment quote "inside" here | -j ACCEPT');
    const fwd = findChain(rs, 'filter', 'FORWARD')!.rules.map(canonicalRule);
    assert.equal(fwd[1], 'i=eth0 | o=eth1 | -g syn-flood');
    assert.equal(fwd[2], '!i=eth9 | !o=eth8 | -j ACCEPT');
    const phys = findChain(rs, 'filter', 'neutron-openvswi-FORWARD')!.rules.map(canonicalRule);
    assert.equal(phys[0], '-m physdev --physdev-out tap38833ad6-c6 --physdev-is-bridged | -m comment --comment Direct traffic from the VM interface to the security group chain. | -j neutron-openvswi-sg-chain');
    assert.equal(phys[2], '-m physdev ! --physdev-is-in --physdev-is-out | -j ACCEPT');
    const spoof = findChain(rs, 'filter', 'neutron-openvswi-s38833ad6-c')!.rules.map(canonicalRule);
    assert.equal(spoof[0], 's=10.1.26.252/32 | -m mac --mac-source fa:16:3e:c4:20:c7 | -m comment --comment Allow traffic from defined IP/MAC pairs. | -j RETURN');
    assert.equal(spoof[1], '-m mac ! --mac-source fa:16:3e:c4:20:c8 | -j DROP');
    assertRulesetSpans(text, rs);
  });

  it('assigns implicit options to the protocol and the last module that knows them', () => {
    const text = [
      '*filter',
      ':INPUT ACCEPT [0:0]',
      '-A INPUT -p tcp --dport 22 -j ACCEPT',
      '-A INPUT -p udp -m udp --sport 67 -m udp --dport 68 -j RETURN',
      '-A INPUT -p tcp -m tcp -m multiport --dports 1:65535 -m comment --comment x -j RETURN',
      '-A INPUT -m mark --mark 0x1 -m connmark --mark 0x2 -j ACCEPT',
      'COMMIT',
    ].join('\n');
    const { value: rs, diagnostics } = parse(text);
    assert.deepEqual(diagnostics, []);
    const [a, b, c, d] = findChain(rs, 'filter', 'INPUT')!.rules;
    assert.equal(a!.matches[0]!.module, 'tcp');
    assert.equal(a!.matches[0]!.implicit, true);
    assert.equal(canonicalRule(a!), 'p=tcp | -m tcp --dport 22 | -j ACCEPT');
    assert.equal(canonicalRule(b!), 'p=udp | -m udp --sport 67 | -m udp --dport 68 | -j RETURN');
    assert.equal(canonicalRule(c!), 'p=tcp | -m tcp | -m multiport --dports 1:65535 | -m comment --comment x | -j RETURN');
    assert.equal(canonicalRule(d!), '-m mark --mark 0x1 | -m connmark --mark 0x2 | -j ACCEPT');
  });

  it('accepts the old `-s ! X` negation style, quotes, escapes and `--opt=value`', () => {
    const text = [
      '*filter',
      ':FORWARD DROP [1:2]',
      '-A FORWARD -s ! 10.0.0.0/8 -p ! udp -j DROP',
      '-A FORWARD -m comment --comment "a \\"quoted\\" word" -j LOG --log-prefix "x: "',
      '-A FORWARD -p tcp --dport=443 -j ACCEPT',
      'COMMIT',
    ].join('\n');
    const { value: rs, diagnostics } = parse(text);
    assert.deepEqual(diagnostics, []);
    const [a, b, c] = findChain(rs, 'filter', 'FORWARD')!.rules;
    assert.deepEqual([a!.source!.negated, a!.source!.value.text, a!.protocol], [true, '10.0.0.0/8', { negated: true, value: 'udp' }]);
    assert.equal(b!.comment, 'a "quoted" word');
    assert.deepEqual(b!.target!.options.map((o) => o.values[0]), ['x: ']);
    assert.equal(canonicalRule(c!), 'p=tcp | -m tcp --dport 443 | -j ACCEPT');
  });

  it('reports the nft warnings: legacy tables present, incompatible tables', () => {
    const text = [
      '# Warning: iptables-legacy tables present, use iptables-legacy-save to see them',
      "# Table `filter' is incompatible, use 'nft' tool.",
      '# Generated by iptables-nft-save v1.8.7 on Mon Jan  1 00:00:00 2024',
      '*nat',
      ':PREROUTING ACCEPT [0:0]',
      'COMMIT',
    ].join('\n');
    const { value: rs, diagnostics } = parse(text);
    assert.equal(rs.backend, 'nf_tables');
    assert.deepEqual(rs.incompatibleTables, ['filter']);
    assert.deepEqual(diagnostics.map((d) => [d.severity, d.line]), [['warning', 1], ['warning', 2]]);
    assert.match(diagnostics[0]!.message, /legacy iptables tables also exist on this host and are NOT in this dump/);
    assert.match(diagnostics[1]!.message, /table filter holds nftables rules iptables-nft cannot show/);
  });

  it('keeps going on bad input and says exactly where', () => {
    const text = [
      '*filter',
      ':INPUT ACCEPT [0:0]',
      ':BROKEN',
      '-A INPUT -s 10.0.0.300/32 -j ACCEPT',
      '-A INPUT -p tcp --dport -j ACCEPT',
      '-A INPUT -m physdev --physdev-in tap1 --physdev-frobnicate -j ACCEPT',
      '-A INPUT -m ttl --ttl-eq 1 -m weird --weird-opt 3 -j ACCEPT',
      'garbage here',
      '[12:x] -A INPUT -j DROP',
      '-A INPUT -m comment --comment "unterminated',
      '-A INPUT -j FOO-NOT-A-CHAIN',
      'COMMIT',
    ].join('\n');
    const { value: rs, diagnostics } = parse(text);
    assertDiagnosticsInside(text, diagnostics);
    assert.deepEqual(diagnostics.map((d) => [d.severity, d.line, d.column]), [
      ['error', 3, 1],
      ['error', 4, 13],
      ['error', 5, 17],
      ['warning', 6, 39],
      ['error', 8, 1],
      ['error', 9, 1],
      ['error', 10, 31],
      ['warning', 7, 31],
      ['warning', 11, 1],
    ]);
    assert.match(diagnostics[0]!.message, /bad chain line/);
    assert.equal(diagnostics[1]!.message, 'bad address `10.0.0.300/32` for -s; address match ignored, rule kept');
    assert.equal(diagnostics[2]!.message, 'option --dport needs a value; option ignored');
    assert.equal(diagnostics[3]!.message, 'unknown option --physdev-frobnicate (no loaded module or target accepts it); kept on -m physdev, not trusted');
    assert.equal(diagnostics[7]!.message, 'match module `weird` is unknown to this tool (1 rule); options kept as written, the simulator cannot decide these rules');
    assert.match(diagnostics[8]!.message, /target FOO-NOT-A-CHAIN is neither a chain of table filter nor a target extension/);
    const rules = findChain(rs, 'filter', 'INPUT')!.rules;
    assert.equal(rules.length, 6, 'every -A line but the bad-counters one is kept');
    const frob = rules[2]!.matches[0]!.options[1]!;
    assert.deepEqual([frob.name, frob.unknown], ['--physdev-frobnicate', true]);
    assert.equal(rules[3]!.matches[1]!.module, 'weird');
    assert.deepEqual(rules[3]!.matches[1]!.options.map((o) => [o.name, o.values]), [['--weird-opt', ['3']]]);
    assert.equal(rules[4]!.comment, 'unterminated');
    assertRulesetSpans(text, rs);
  });

  it('reads partial pastes (seed 003: `iptables-save | grep`) and flags the pasted MAC slip', () => {
    const text = fixture('seeds/003-iptables-save-grep-neutron-hybrid.txt');
    const { value: rs, diagnostics } = parse(text, '003-iptables-save-grep-neutron-hybrid.txt');
    assert.deepEqual(errors(diagnostics), []);
    assert.deepEqual(diagnostics.map((d) => [d.severity, d.line]), [
      ['warning', 1], ['warning', 3], ['warning', 1], ['warning', 18], ['warning', 38],
    ]);
    assert.equal(diagnostics[0]!.message, 'rules outside any *table section (a partial paste such as grep output?); took them to be table filter (nothing table-specific; iptables defaults to filter)');
    assert.equal(diagnostics[1]!.message, '`neutron-openvswi-o38833ad6-c` for --mac-source is not a MAC address (1 rule; an anonymised or hand-edited dump?); option kept, the simulator cannot decide this rule');
    assert.equal(diagnostics[2]!.message, '3 chains used without being declared (a partial dump such as grep output?): neutron-openvswi-s38833ad6-c, neutron-openvswi-INPUT, FORWARD; created as chains without policy');
    assert.equal(rs.tables.length, 1);
    const spoof = findChain(rs, 'filter', 'neutron-openvswi-s38833ad6-c')!;
    assert.deepEqual(spoof.rules.map((r) => [r.source?.value.text, r.target?.name]), [
      ['10.1.26.252/32', 'RETURN'], ['10.1.26.252/32', 'RETURN'], ['10.1.26.144/32', 'RETURN'], [undefined, 'DROP'],
    ]);
    assert.equal(spoof.rules[3]!.comment, 'Drop traffic without an IP/MAC allow rule.');
    const sg = findChain(rs, 'filter', 'neutron-openvswi-sg-chain')!;
    assert.equal(sg.raw, ':neutron-openvswi-sg-chain - [0:0]', 'declared after its first use: the declaration wins');
    assert.equal(sg.rules.length, 5);
    assertRulesetSpans(text, rs);
  });

  it('takes grep pastes of NAT rules (seed 004) to be table nat', () => {
    for (const name of ['004-snat-iptables-save-grep-SNAT.txt', '004-qrouter-iptables-save-grep-SNAT.txt', '004-qrouter-iptables-save-grep-NAT.txt']) {
      const text = fixture(`seeds/${name}`);
      const { value: rs, diagnostics } = parse(text, name);
      assert.deepEqual(errors(diagnostics), [], name);
      assert.deepEqual(rs.tables.map((t) => t.name), ['nat'], name);
      assertRulesetSpans(text, rs);
    }
    const { value: rs } = parse(fixture('seeds/004-snat-iptables-save-grep-SNAT.txt'));
    assert.deepEqual(allRules(rs).map(canonicalRule), [
      'o=qg-b825f548-32 | -j SNAT --to-source 10.5.150.0',
      '-m mark ! --mark 0x2/0xffff | -m conntrack --ctstate DNAT | -j SNAT --to-source 10.5.150.0',
    ]);
  });

  it('handles -I with positions, -N, -4/-6 restore lines and a missing COMMIT', () => {
    const text = ['*filter', ':INPUT ACCEPT [0:0]', '-A INPUT -j DROP', '-I INPUT 1 -i lo -j ACCEPT', '-N extra', '-A INPUT -6 -j REJECT', '-A INPUT -4 -s 1.2.3.4 -j RETURN'].join('\n');
    const { value: rs, diagnostics } = parseIptablesSave(text, { file: 'rules.v4', family: 4 });
    assert.deepEqual(diagnostics.map((d) => [d.severity, d.line]), [['info', 6], ['warning', 1]]);
    assert.equal(diagnostics[0]!.message, 'rule is marked -6 (IPv6 only) in an IPv4 dump; iptables-restore skips it, so does this reader');
    assert.match(diagnostics[1]!.message, /has no COMMIT/);
    assert.deepEqual(findChain(rs, 'filter', 'INPUT')!.rules.map((r) => [r.index, r.target?.name]), [[1, 'ACCEPT'], [2, 'DROP'], [3, 'RETURN']]);
    assert.ok(findChain(rs, 'filter', 'extra'));
  });

  it('never throws on empty, binary or huge input', () => {
    assert.deepEqual(parse('').value.tables, []);
    const bin = parse('\u0000\u0001\u0002garbage');
    assert.equal(bin.diagnostics[0]!.message, 'input looks binary, not iptables-save text; nothing read');
    const big = `*filter\n:INPUT ACCEPT [0:0]\n${'-A INPUT -s 10.0.0.1/32 -j ACCEPT\n'.repeat(1000)}COMMIT\n`.repeat(50);
    const r = parse(big);
    assert.equal(findChain(r.value, 'filter', 'INPUT')!.rules.length, 50_000);
  });
});
