import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEbtablesList } from '../../../src/core/ebtables/parseEbtablesList';
import type { Diagnostic } from '../../../src/core/text/Diagnostic';
import { assertRulesetSpans } from './spanChecks';

const brief = (ds: readonly Diagnostic[]): [string, number, number, string][] => ds.map((d) => [d.severity, d.line, d.column, d.message]);

describe('parseEbtablesList', () => {
  describe('seed 000: `ebtables -t nat -L` pasted on one line (legacy ebtables, nova-network 2013)', () => {
    const text = readFileSync(path.resolve(__dirname, '../../fixtures/seeds/000-ebtables-t-nat-L.txt'), 'utf8');
    const r = parseEbtablesList(text, { file: '000-ebtables-t-nat-L.txt' });

    it('splits the flattened listing into its 13 chains and 28 rules, saying so once', () => {
      assert.deepEqual(brief(r.diagnostics), [
        ['info', 1, 1, "several chains or rules share this line (newlines lost when the dump was pasted?); split at `Bridge chain:` headers and after each rule's target"],
      ]);
      const nat = r.value.tables[0];
      assert.equal(r.value.tables.length, 1);
      assert.equal(nat?.name, 'nat');
      assert.equal(nat?.raw, 'Bridge table: nat');
      assert.deepEqual(nat?.chains.map((c) => `${c.name}:${c.entries ?? ''}:${c.rules.length}`), [
        'PREROUTING:2:2', 'OUTPUT:0:0', 'POSTROUTING:0:0',
        'libvirt-I-tap0678bf1d-41:4:4', 'I-tap0678bf1d-41-mac:2:2', 'I-tap0678bf1d-41-ipv4-ip:3:3', 'I-tap0678bf1d-41-arp-mac:2:2', 'I-tap0678bf1d-41-arp-ip:2:2',
        'libvirt-I-tap496fa038-9e:4:4', 'I-tap496fa038-9e-mac:2:2', 'I-tap496fa038-9e-ipv4-ip:3:3', 'I-tap496fa038-9e-arp-mac:2:2', 'I-tap496fa038-9e-arp-ip:2:2',
      ]);
      assert.equal(assertRulesetSpans(text, r.value), 1 + 13 + 28);
    });

    it('reads the anti-spoofing rules that dropped the keepalived VIP', () => {
      const chains = r.value.tables[0]?.chains ?? [];
      const mac = chains.find((c) => c.name === 'I-tap496fa038-9e-mac');
      assert.deepEqual(mac?.rules.map((x) => x.raw), ['-s fa:16:3e:58:1:ac -j RETURN', '-j DROP']);
      assert.deepEqual(mac?.rules[0]?.options[0]?.decoded, { kind: 'mac', address: 0xfa163e5801acn, mask: 0xffffffffffffn });
      assert.deepEqual(mac?.rules[1]?.target, { kind: 'verdict', name: 'DROP', verdict: 'DROP', options: [], span: mac?.rules[1]?.target.span });
      const ip = chains.find((c) => c.name === 'I-tap496fa038-9e-ipv4-ip');
      const first = ip?.rules[0];
      assert.equal(first?.raw, '-p IPv4 --ip-src 0.0.0.0 --ip-proto udp -j RETURN');
      assert.deepEqual(first?.options.map((o) => o.decoded?.kind), ['ethertype', 'ip', 'ipProtocol']);
      assert.deepEqual(first?.options[2]?.decoded, { kind: 'ipProtocol', protocol: 17, name: 'udp' });
      const second = ip?.rules[1]?.options[1]?.decoded;
      assert.equal(second?.kind === 'ip' ? second.cidr.address : 0n, 0x0a10006fn); // 10.16.0.111
      const pre = chains.find((c) => c.name === 'PREROUTING');
      assert.deepEqual(pre?.rules.map((x) => [x.target.kind, x.target.name]), [['jump', 'libvirt-I-tap0678bf1d-41'], ['jump', 'libvirt-I-tap496fa038-9e']]);
      assert.deepEqual(pre?.rules[0]?.options[0]?.decoded, { kind: 'interface', name: 'tap0678bf1d-41', wildcard: false });
      const arpIp = chains.find((c) => c.name === 'I-tap0678bf1d-41-arp-ip');
      assert.equal(arpIp?.rules[0]?.options[1]?.name, '--arp-ip-src');
      assert.equal(arpIp?.rules[0]?.span.column, 1 + text.indexOf('-p ARP --arp-ip-src 10.16.0.131'));
    });
  });

  describe('legacy ebtables 2.0.x forms (as printed by list_em() in ebtables.c)', () => {
    it('reads `--Ln --Lc`: right-aligned `N. ` numbers and counters glued to chain targets', () => {
      const lines = ['Bridge table: nat', '', 'Bridge chain: PREROUTING, entries: 10, policy: ACCEPT'];
      for (let i = 0; i < 10; i++) lines.push(`${String(i + 1).padStart(2)}. -i tap${i} -j ACCEPT , pcnt = ${i} -- bcnt = ${i * 60}`);
      lines[3] = ' 1. -i tap0 -j libvirt-I-tap0, pcnt = 0 -- bcnt = 0';
      lines.push('', 'Bridge chain: libvirt-I-tap0, entries: 0, policy: ACCEPT', '');
      const text = lines.join('\n');
      const r = parseEbtablesList(text, { file: 'legacy' });
      assert.deepEqual(r.diagnostics, []);
      assert.equal(r.value.backend, 'legacy');
      const rules = r.value.tables[0]?.chains[0]?.rules ?? [];
      assert.equal(rules.length, 10);
      assert.equal(rules[0]?.raw, '1. -i tap0 -j libvirt-I-tap0, pcnt = 0 -- bcnt = 0');
      assert.deepEqual([rules[0]?.target.kind, rules[0]?.target.name], ['jump', 'libvirt-I-tap0']);
      assert.deepEqual(rules[9]?.counters, { packets: 9n, bytes: 540n });
      assert.equal(rules[9]?.raw, '10. -i tap9 -j ACCEPT , pcnt = 9 -- bcnt = 540');
      assertRulesetSpans(text, r.value);
    });

    it('reads bang-after-option negation and extension targets with a glued counter comma', () => {
      const text = [
        'Bridge table: filter',
        '',
        'Bridge chain: FORWARD, entries: 3, policy: DROP',
        '-p ! ARP -s ! fa:16:3e:0:0:1 -i ! tap+ -j DROP , pcnt = 0 -- bcnt = 0',
        '-j mark --mark-set 0x1 --mark-target CONTINUE, pcnt = 2 -- bcnt = 120',
        '-p ARP ! --arp-gratuitous --arp-op ! Request -j ACCEPT , pcnt = 0 -- bcnt = 0',
      ].join('\n');
      const r = parseEbtablesList(text, { file: 'legacy' });
      assert.deepEqual(r.diagnostics, []);
      const [a, b, c] = r.value.tables[0]?.chains[0]?.rules ?? [];
      assert.deepEqual(a?.options.map((o) => [o.name, o.negated, o.values[0]]), [['-p', true, 'ARP'], ['-s', true, 'fa:16:3e:0:0:1'], ['-i', true, 'tap+']]);
      assert.deepEqual(a?.options[2]?.decoded, { kind: 'interface', name: 'tap', wildcard: true });
      assert.equal(b?.target.kind, 'extension');
      assert.deepEqual(b?.target.kind === 'extension' ? [b.target.verdict, b.target.options.map((o) => o.values[0])] : [], ['CONTINUE', ['0x1', 'CONTINUE']]);
      assert.deepEqual(b?.counters, { packets: 2n, bytes: 120n });
      assert.equal(b?.target.span.endColumn, '-j mark --mark-set 0x1 --mark-target CONTINUE'.length + 1);
      assert.deepEqual(c?.options.map((o) => [o.name, o.negated]), [['-p', false], ['--arp-gratuitous', true], ['--arp-op', true]]);
      assert.equal(r.value.tables[0]?.chains[0]?.policy, 'DROP');
    });

    it('reads the `--Lx` command form, counters glued to chain targets, and -P after -N', () => {
      const text = [
        'ebtables -t nat -N libvirt-I-tap0',
        'ebtables -t nat -P libvirt-I-tap0 DROP',
        'ebtables -t nat -A PREROUTING -i tap0 -j libvirt-I-tap0-c 3 180',
        'ebtables -t nat -A libvirt-I-tap0 -p IPv4 --ip-src ! 10.0.0.5 -j DROP -c 0 0',
      ].join('\n');
      const r = parseEbtablesList(text, { file: 'Lx' });
      assert.deepEqual(r.diagnostics, []);
      assert.equal(r.value.backend, 'legacy');
      const nat = r.value.tables[0];
      assert.deepEqual([nat?.name, nat?.nameSource], ['nat', 'command']);
      assert.deepEqual(nat?.chains.map((c) => [c.name, c.policy, c.builtin, c.rules.length]), [['libvirt-I-tap0', 'DROP', false, 1], ['PREROUTING', 'ACCEPT', true, 1]]);
      const jump = nat?.chains[1]?.rules[0];
      assert.deepEqual([jump?.target.name, jump?.counters], ['libvirt-I-tap0', { packets: 3n, bytes: 180n }]);
      assertRulesetSpans(text, r.value);
    });

    it('infers the table of a listing cut without its `Bridge table:` line', () => {
      const text = 'Bridge chain: PREROUTING, entries: 1, policy: ACCEPT\n-i vnet0 -j libvirt-I-vnet0\n\nBridge chain: libvirt-I-vnet0, entries: 1, policy: ACCEPT\n-p 0x835 -j ACCEPT\n';
      const r = parseEbtablesList(text, { file: 'doc' });
      assert.deepEqual(brief(r.diagnostics), [['info', 1, 1, 'no `Bridge table:` line before the first chain; table taken to be nat from its built-in chain names']]);
      assert.deepEqual([r.value.tables[0]?.name, r.value.tables[0]?.nameSource, r.value.tables[0]?.raw], ['nat', 'inferred', '']);
      assert.deepEqual(r.value.tables[0]?.chains[1]?.rules[0]?.options[0]?.decoded, { kind: 'ethertype', ethertype: 0x835 });
      const given = parseEbtablesList('Bridge chain: foo, entries: 1, policy: ACCEPT\n-j DROP\n', { file: 'x', table: 'broute' });
      assert.deepEqual(given.diagnostics, []);
      assert.deepEqual([given.value.tables[0]?.name, given.value.tables[0]?.nameSource], ['broute', 'option']);
    });
  });

  it('reads nft >= 1.8.10 negation before the option (`! -p IPv4`) and says nft', () => {
    const text = 'Bridge table: filter\n\nBridge chain: FORWARD, entries: 2, policy: ACCEPT\n1. ! -p IPv4 ! -s fa:16:3e:00:00:01 ! -i tap0 -j DROP\n2. -p IPv4 ! --ip-src 10.0.0.1 -j ACCEPT\n';
    const r = parseEbtablesList(text, { file: 'nft' });
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.value.backend, 'nft');
    const [a, b] = r.value.tables[0]?.chains[0]?.rules ?? [];
    assert.deepEqual(a?.options.map((o) => [o.name, o.negated, o.span.column]), [['-p', true, 4], ['-s', true, 14], ['-i', true, 37]]);
    assert.deepEqual(b?.options.map((o) => [o.name, o.negated]), [['-p', false], ['--ip-src', true]]);
  });

  it('keeps what it can of bad input and says exactly what it skipped', () => {
    const text = [
      '-i tap0 -j ACCEPT',
      'Bridge table: filter',
      'Bridge chain: FORWARD, entries: 5, policy: ACCEPT',
      '-p IPv4 --foo bar -j ACCEPT',
      '-s zz:16:3e:0:0:1 -j DROP',
      '-p IPv4 --ip-src',
      '-i tap1',
      '-j nowhere',
      'hello world',
      "ebtables v1.8.9 (nf_tables): table 'broute' does not exist",
      'Bridge chain: INPUT, entries: 0, policy: ACCEPT',
      'Bridge chain: OUTPUT, entries: 0, policy: ACCEPT',
      '-j ACCEPT extra',
    ].join('\n');
    const r = parseEbtablesList(text, { file: 'bad' });
    assert.deepEqual(brief(r.diagnostics), [
      ['error', 1, 1, 'rule outside of a chain: expected a `Bridge chain: NAME, entries: N, policy: POLICY` line before it; rule skipped'],
      ['warning', 4, 9, 'unknown ebtables option --foo; rule kept, option kept as text and not evaluated'],
      ['warning', 5, 4, 'cannot read `zz:16:3e:0:0:1` of -s as a MAC address (aa:bb:cc:dd:ee:ff[/mask], Unicast, Multicast, Broadcast or BGA); option kept as text and not evaluated'],
      ['error', 6, 9, 'ebtables option --ip-src needs a value; option ignored'],
      ['warning', 6, 9, 'rule has no -j target; read as CONTINUE, as ebtables does'],
      ['warning', 7, 4, 'rule has no -j target; read as CONTINUE, as ebtables does'],
      ['error', 9, 1, 'not part of an `ebtables -L` listing: expected `Bridge table:`, `Bridge chain:` or a rule; line skipped'],
      ['warning', 10, 1, "ebtables reported an error here (`ebtables v1.8.9 (nf_tables): table 'broute' does not exist`); nothing to read on this line"],
      ['error', 13, 11, 'unexpected `extra` after target ACCEPT; ignored'],
      ['warning', 8, 1, '-j nowhere: no chain nowhere in table filter and it is not a known target; the simulator cannot follow this jump'],
      ['warning', 12, 1, 'chain OUTPUT says entries: 0 but 1 rule(s) were read; the dump may be truncated or edited'],
    ]);
    const fwd = r.value.tables[0]?.chains[0];
    assert.deepEqual(fwd?.rules.map((x) => x.raw), ['-p IPv4 --foo bar -j ACCEPT', '-s zz:16:3e:0:0:1 -j DROP', '-p IPv4 --ip-src', '-i tap1', '-j nowhere']);
    const foo = fwd?.rules[0]?.options[1];
    assert.deepEqual([foo?.name, foo?.known, foo?.values], ['--foo', false, ['bar']]);
    assert.equal(fwd?.rules[1]?.options[0]?.decoded, undefined);
    assert.deepEqual(fwd?.rules[3]?.target.name, 'CONTINUE');
    assertRulesetSpans(text, r.value);
  });

  it('refuses binary input with one error', () => {
    const r = parseEbtablesList('\u0000\u0001\u0002binary', { file: 'bin' });
    assert.deepEqual(brief(r.diagnostics), [['error', 1, 1, 'input looks binary, not `ebtables -L` output; nothing read']]);
    assert.deepEqual(r.value.tables, []);
  });
});
