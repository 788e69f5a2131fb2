import { strict as assert } from 'node:assert';
import { findChain } from '../../../src/core/iptables/findChain';
import type { IptablesRuleset } from '../../../src/core/iptables/IptablesModel';
import { parseIptablesList } from '../../../src/core/iptables/parseIptablesList';
import { parseIptablesRules } from '../../../src/core/iptables/parseIptablesRules';
import { parseIptablesSave } from '../../../src/core/iptables/parseIptablesSave';
import { assertDiagnosticsInside, assertRulesetSpans, canonicalRule, fixture } from './netfilterTestHelpers';

const LOSSY_VERBOSE = '`iptables -L` is a lossy view: some match options are printed partially or not at all (hashlimit names, set counters...). Prefer iptables-save -c';

describe('parseIptablesList (iptables -L)', () => {
  it('reads kube-proxy nat rules (hotsos-k8s -nvL) and translates the options column', () => {
    const file = 'iptables_-t_nat_-nvL.txt';
    const text = fixture(`iptables/hotsos-k8s/${file}`);
    const { value: rs, diagnostics } = parseIptablesList(text, { file });
    assert.deepEqual(diagnostics.map((d) => [d.severity, d.line, d.message]), [['info', 2, LOSSY_VERBOSE]]);
    assert.equal(rs.format, 'iptables-L');
    assert.equal(rs.lossy, true);
    assert.deepEqual(rs.tables.map((t) => t.name), ['nat']);
    const pre = findChain(rs, 'nat', 'PREROUTING')!;
    assert.deepEqual([pre.policy, pre.counters], ['ACCEPT', { packets: 264n, bytes: 17674n }]);
    assert.equal(pre.raw, 'Chain PREROUTING (policy ACCEPT 264 packets, 17674 bytes)');
    assert.equal(findChain(rs, 'nat', 'KUBE-MARK-MASQ')!.references, 21);
    const post = findChain(rs, 'nat', 'POSTROUTING')!.rules;
    assert.deepEqual(post[0]!.counters, { packets: 1328n, bytes: 82544n });
    assert.equal(canonicalRule(post[0]!), '-m comment --comment kubernetes postrouting rules | -j KUBE-POSTROUTING');
    assert.equal(post[0]!.comment, 'kubernetes postrouting rules');
    assert.equal(canonicalRule(post[2]!), 's=10.1.0.0/16 | !d=224.0.0.0/4 | -j MASQUERADE --random-fully');
    assert.equal(canonicalRule(post[3]!), '!s=10.1.0.0/16 | d=10.1.84.0/24 | -j RETURN');
    assert.equal(canonicalRule(findChain(rs, 'nat', 'KUBE-MARK-DROP')!.rules[0]!), '-j MARK --set-xmark 0x8000/0x8000');
    const kpost = findChain(rs, 'nat', 'KUBE-POSTROUTING')!.rules.map(canonicalRule);
    assert.deepEqual(kpost, [
      '-m mark ! --mark 0x4000/0x4000 | -j RETURN',
      '-j MARK --set-xmark 0x4000/0x0',
      '-m comment --comment kubernetes service traffic requiring SNAT | -j MASQUERADE --random-fully',
    ]);
    const sep = findChain(rs, 'nat', 'KUBE-SEP-2KEQUJUG7N2MHHHD')!.rules.map(canonicalRule);
    assert.deepEqual(sep, [
      's=10.1.7.3/32 | -m comment --comment kube-system/kube-dns:dns-tcp | -j KUBE-MARK-MASQ',
      'p=tcp | -m comment --comment kube-system/kube-dns:dns-tcp | -m tcp | -j DNAT --to-destination 10.1.7.3:53',
    ]);
    const svc = findChain(rs, 'nat', 'KUBE-SERVICES')!.rules;
    const last = svc[svc.length - 1]!;
    assert.equal(canonicalRule(last), '-m comment --comment kubernetes service nodeports; NOTE: this must be the last rule in this chain | -m addrtype --dst-type LOCAL | -j KUBE-NODEPORTS');
    assert.equal(last.matches[1]!.text, 'ADDRTYPE match dst-type LOCAL');
    const stat = findChain(rs, 'nat', 'KUBE-SVC-4FYCO4KNK5JC3JXL')!.rules.find((r) => r.matches.some((m) => m.module === 'statistic'))!;
    assert.match(canonicalRule(stat), /-m statistic --mode random --probability 0\.50000000000/);
    assertRulesetSpans(text, rs);
  });

  it('reads K/M/G counters as approximate and -x counters as exact', () => {
    const rounded = parseIptablesList(fixture('iptables/hotsos/iptables_-t_filter_-nvL.txt'), { file: 'iptables_-t_filter_-nvL.txt' }).value;
    assert.deepEqual(findChain(rounded, 'filter', 'INPUT')!.counters, { packets: 2_147_000n, bytes: 17_000_000_000n, approximate: true });
    assert.deepEqual(findChain(rounded, 'filter', 'FORWARD')!.counters, { packets: 51_000_000n, bytes: 14_000_000_000n, approximate: true });
    const exactText = fixture('iptables/hotsos/iptables_-vnxL.txt');
    const exact = parseIptablesList(exactText, { file: 'iptables_-vnxL.txt' });
    assert.deepEqual(findChain(exact.value, 'filter', 'INPUT')!.counters, { packets: 2146966n, bytes: 16720463859n });
    assert.deepEqual(exact.diagnostics.map((d) => d.message), [
      LOSSY_VERBOSE,
      '`iptables -L` does not print the table name; took it to be filter (built-in chains INPUT, FORWARD, OUTPUT). Name the file like iptables_-t_nat_-nvL to say otherwise',
    ]);
    const k8s = parseIptablesList(fixture('iptables/hotsos-k8s/iptables_-vnxL.txt'), { file: 'iptables_-vnxL.txt' }).value;
    const fwd = findChain(k8s, 'filter', 'KUBE-FORWARD')!.rules.map(canonicalRule);
    assert.deepEqual(fwd, [
      '-m conntrack --ctstate INVALID | -j DROP',
      '-m comment --comment kubernetes forwarding rules | -m mark --mark 0x4000/0x4000 | -j ACCEPT',
      '-m comment --comment kubernetes forwarding conntrack rule | -m conntrack --ctstate RELATED,ESTABLISHED | -j ACCEPT',
    ]);
  });

  it('names the table from a mangle/raw/nat file name and infers it otherwise', () => {
    for (const t of ['filter', 'mangle', 'nat', 'raw']) {
      const text = fixture(`iptables/hotsos/iptables_-t_${t}_-nvL.txt`);
      assert.deepEqual(parseIptablesList(text, { file: `iptables_-t_${t}_-nvL.txt` }).value.tables.map((x) => x.name), [t]);
      assert.deepEqual(parseIptablesList(text, { file: 'dump.txt' }).value.tables.map((x) => x.name), [t === 'filter' ? 'filter' : t], `${t} inferred`);
    }
  });

  // The same ruleset, restored into a namespace by real iptables 1.8.9 and dumped in every form:
  // every form must give the rules of iptables-save, except what the form cannot show.
  for (const mode of ['legacy', 'nft']) {
    it(`gives the same rules as iptables-save for every -S and -L form (${mode}, real iptables 1.8.9)`, () => {
      const dir = `iptables/netns-generated/${mode}`;
      const canonicalOf = (rs: IptablesRuleset, table: string, project: (s: string) => string): Map<string, string> => {
        const out = new Map<string, string>();
        for (const t of rs.tables) if (t.name === table) for (const c of t.chains) for (const r of c.rules) out.set(`${c.name}#${r.index}`, project(canonicalRule(r)));
        return out;
      };
      const save4 = parseIptablesSave(fixture(`${dir}/iptables-save`), { file: 'iptables-save' }).value;
      const save6 = parseIptablesSave(fixture(`${dir}/ip6tables-save_-c`), { file: 'ip6tables-save_-c' }).value;
      const noIfaces = (s: string): string => s.split(' | ').filter((p) => !/^!?[io]=/.test(p)).join(' | ');
      const noHashlimitName = (s: string): string => s.replace(/ --hashlimit-name \S+/, '');
      const forms: [string, boolean, boolean][] = [];
      for (const t of ['filter', 'nat', 'mangle', 'raw']) {
        for (const f of ['-S', '-v_-S']) forms.push([`iptables_-t_${t}_${f}`, true, true]);
        forms.push([`iptables_-t_${t}_-nvL_--line-numbers`, false, true], [`iptables_-t_${t}_-vnxL`, false, true], [`iptables_-t_${t}_-nL`, false, false], [`iptables_-t_${t}_-L`, false, false]);
      }
      for (const t of ['filter', 'nat']) forms.push([`ip6tables_-t_${t}_-S`, true, true], [`ip6tables_-t_${t}_-nvL`, false, true], [`ip6tables_-t_${t}_-L`, false, false]);
      let compared = 0;
      for (const [name, isS, via] of forms) {
        const table = /_-t_(\w+)_/.exec(name)![1]!;
        const text = fixture(`${dir}/${name}`);
        const r = isS ? parseIptablesRules(text, { file: name }) : parseIptablesList(text, { file: name });
        assert.deepEqual(r.diagnostics.filter((d) => d.severity !== 'info'), [], name);
        assertRulesetSpans(text, r.value);
        assert.deepEqual(r.value.tables.map((t) => t.name), [table], name);
        const project = (s: string): string => (isS ? s : noHashlimitName(via ? s : noIfaces(s)));
        const want = canonicalOf(name.startsWith('ip6') ? save6 : save4, table, project);
        const got = canonicalOf(r.value, table, (s) => s);
        assert.deepEqual([...got.keys()], [...want.keys()], `${name}: same chains and rule numbers`);
        for (const [k, v] of want) {
          // Without -n, `owner UID match root` names the user: kept as written.
          const expected = name.endsWith('_-L') && k === 'OUTPUT#1' && table === 'filter' && !name.startsWith('ip6') ? v.replace('--uid-owner 0', '--uid-owner root') : v;
          assert.equal(got.get(k), expected, `${name} ${k}`);
          compared++;
        }
      }
      assert.equal(compared, 2 * (55 + 11 + 7 + 5) + 4 * (55 + 11 + 7 + 5) + 3 * (6 + 1));
    });
  }

  it('says what a form without -v and -n cannot show', () => {
    const text = fixture('iptables/netns-generated/legacy/iptables_-t_filter_-L');
    const { value: rs, diagnostics } = parseIptablesList(text, { file: 'iptables_-t_filter_-L' });
    assert.deepEqual(diagnostics.map((d) => [d.severity, d.line, d.message]), [
      ['info', 2, '`iptables -L` is a lossy view: no interfaces (-i/-o, no -v): rules that match an interface look as if they matched any; no counters; some match options are printed partially or not at all (hashlimit names, set counters...). Prefer iptables-save -c'],
      ['info', 3, 'addresses are shown as names (iptables -L without -n): `anywhere` is read as any address, `default`/`loopback`/`link-local`/`localhost` as the usual /etc/networks and /etc/hosts addresses; other host names are kept as text and cannot be matched'],
    ]);
    const dhcp = findChain(rs, 'filter', 'neutron-openvswi-o38833ad6-c')!.rules[0]!;
    assert.equal(dhcp.raw, 'RETURN     udp  --  default              255.255.255.255      udp spt:bootpc dpt:bootps /* Allow DHCP client traffic. */');
    assert.equal(canonicalRule(dhcp), 'p=udp | s=0.0.0.0/32 | d=255.255.255.255/32 | -m udp --sport 68 --dport 67 | -m comment --comment Allow DHCP client traffic. | -j RETURN');
  });

  it('handles an empty target, [goto], line numbers and concatenated tables', () => {
    const text = [
      'Chain INPUT (policy DROP 0 packets, 0 bytes)',
      'num   pkts bytes target     prot opt in     out     source               destination',
      '1        5   300            all  --  *      *       0.0.0.0/0            0.0.0.0/0            /* count only */',
      '2        0     0 other      all  --  eth0   *       0.0.0.0/0            0.0.0.0/0           [goto] ',
      '4        0     0 DROP       all  -f  *      *       0.0.0.0/0            0.0.0.0/0',
      '',
      'Chain other (1 references)',
      'num   pkts bytes target     prot opt in     out     source               destination',
      '',
      'Chain PREROUTING (policy ACCEPT 0 packets, 0 bytes)',
      'num   pkts bytes target     prot opt in     out     source               destination',
      '1        0     0 DNAT       tcp  --  *      *       0.0.0.0/0            10.0.0.1             tcp dpt:80 to:10.0.0.2:8080',
      'Chain INPUT (policy ACCEPT 0 packets, 0 bytes)',
      'num   pkts bytes target     prot opt in     out     source               destination',
      'Chain POSTROUTING (policy ACCEPT 0 packets, 0 bytes)',
      'num   pkts bytes target     prot opt in     out     source               destination',
    ].join('\n');
    const { value: rs, diagnostics } = parseIptablesList(text, { file: 'dump' });
    assertDiagnosticsInside(text, diagnostics);
    assert.deepEqual(diagnostics.map((d) => [d.severity, d.line]), [['info', 2], ['warning', 5], ['info', 1], ['info', 10]]);
    assert.equal(diagnostics[1]!.message, 'rule number 4 but this is rule 3 of INPUT; kept in file order');
    assert.deepEqual(rs.tables.map((t) => t.name), ['filter', 'nat']);
    const [count, go, frag] = findChain(rs, 'filter', 'INPUT')!.rules;
    assert.equal(count!.target, undefined);
    assert.equal(count!.comment, 'count only');
    assert.deepEqual(count!.counters, { packets: 5n, bytes: 300n });
    assert.deepEqual(go!.target, { kind: 'goto', name: 'other', options: [] });
    assert.deepEqual(go!.inInterface, { negated: false, value: 'eth0' });
    assert.deepEqual(frag!.fragment, { negated: false, value: true });
    assert.equal(canonicalRule(findChain(rs, 'nat', 'PREROUTING')!.rules[0]!), 'p=tcp | d=10.0.0.1/32 | -m tcp --dport 80 | -j DNAT --to-destination 10.0.0.2:8080');
    assertRulesetSpans(text, rs);
  });

  it('keeps untranslatable options as text with a warning, and reports broken rows', () => {
    const text = [
      'Chain INPUT (policy ACCEPT)',
      'target     prot opt source               destination',
      'ACCEPT     all  --  0.0.0.0/0            0.0.0.0/0            policy match dir in pol ipsec /* after */',
      'ACCEPT     all',
      'Chain broken',
      'ACCEPT     all  --  0.0.0.0/0            0.0.0.0/0',
    ].join('\n');
    const { value: rs, diagnostics } = parseIptablesList(text, { file: 'x', table: 'filter' });
    assertDiagnosticsInside(text, diagnostics);
    assert.deepEqual(diagnostics.map((d) => [d.severity, d.line, d.column]), [['info', 2, 1], ['warning', 3, 63], ['error', 4, 1], ['error', 5, 1], ['error', 6, 1]]);
    assert.equal(diagnostics[1]!.message, 'could not translate `policy match dir in pol ipsec` from the options column; kept as text, the simulator cannot decide this rule');
    const rule = findChain(rs, 'filter', 'INPUT')!.rules[0]!;
    assert.deepEqual(rule.matches.map((m) => [m.module, m.text]), [['', 'policy match dir in pol ipsec'], ['comment', '/* after */']]);
    assert.equal(rule.comment, 'after');
  });
});
