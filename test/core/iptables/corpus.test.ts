import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseConntrackList } from '../../../src/core/conntrack/parseConntrackList';
import { parseConntrackStats } from '../../../src/core/conntrack/parseConntrackStats';
import { sniffConntrackFormat } from '../../../src/core/conntrack/sniffConntrackFormat';
import { findChain } from '../../../src/core/iptables/findChain';
import { IPTABLES_PARSERS } from '../../../src/core/iptables/iptablesParsers';
import { sniffIptablesFormat } from '../../../src/core/iptables/sniffIptablesFormat';
import { parseIpsetList } from '../../../src/core/ipset/parseIpsetList';
import { parseIpsetSave } from '../../../src/core/ipset/parseIpsetSave';
import { sniffIpsetFormat } from '../../../src/core/ipset/sniffIpsetFormat';
import { allRules, assertRulesetSpans, assertSpans, canonicalRule, corpusRoot, errors } from './netfilterTestHelpers';

/** Every iptables*, ip6tables*, ipset* and conntrack* capture of the shared corpus (ebtables files are not ours). */
function corpusFiles(root: string): { set: string; name: string; file: string }[] {
  const out: { set: string; name: string; file: string }[] = [];
  for (const set of readdirSync(root)) {
    let names: string[];
    try {
      names = readdirSync(path.join(root, set));
    } catch {
      continue;
    }
    for (const name of names) if (/^(ip6?tables|ipset|conntrack)/.test(name)) out.push({ set, name, file: path.join(root, set, name) });
  }
  return out;
}

describe('netfilter corpus (/work/shared/corpus/public)', () => {
  it('parses every iptables, ip6tables, ipset and conntrack capture with zero errors', function () {
    const root = corpusRoot();
    if (!root) {
      console.log('      shared/corpus/public not found next to the project; corpus walk skipped');
      this.skip();
    }
    const counts = { files: 0, rulesets: 0, tables: 0, chains: 0, rules: 0, conntrackEntries: 0, conntrackCpus: 0, ipsets: 0 };
    const byFormat: Record<string, number> = {};
    for (const { set, name, file } of corpusFiles(root)) {
      const text = readFileSync(file, 'utf8');
      const where = `${set}/${name}`;
      const ipt = sniffIptablesFormat(text);
      const ct = sniffConntrackFormat(text);
      const ips = sniffIpsetFormat(text);
      const format = ipt ?? ct ?? ips;
      assert.ok(format, `${where}: format not recognised`);
      byFormat[format] = (byFormat[format] ?? 0) + 1;
      counts.files++;
      if (ipt) {
        const r = IPTABLES_PARSERS[ipt](text, { file });
        assert.deepEqual(errors(r.diagnostics), [], where);
        assertRulesetSpans(text, r.value);
        counts.rulesets++;
        counts.tables += r.value.tables.length;
        counts.chains += r.value.tables.reduce((n, t) => n + t.chains.length, 0);
        counts.rules += allRules(r.value).length;
      } else if (ct === 'conntrack-L') {
        const r = parseConntrackList(text, { file });
        assert.deepEqual(errors(r.diagnostics), [], where);
        assertSpans(text, r.value.entries);
        counts.conntrackEntries += r.value.entries.length;
      } else if (ct === 'conntrack-S') {
        const r = parseConntrackStats(text, { file });
        assert.deepEqual(errors(r.diagnostics), [], where);
        assertSpans(text, r.value.cpus);
        counts.conntrackCpus += r.value.cpus.length;
      } else {
        const r = ips === 'ipset-save' ? parseIpsetSave(text, { file }) : parseIpsetList(text, { file });
        assert.deepEqual(errors(r.diagnostics), [], where);
        counts.ipsets += r.value.sets.length;
      }
    }
    console.log(`      corpus: ${JSON.stringify(counts)} by format ${JSON.stringify(byFormat)}`);
    assert.ok(counts.files >= 28, `expected the 28 netfilter captures, found ${counts.files}`);
  });

  it('translates the linuxbridge agent chains of `iptables -L` without -n (9506 study notes, read in place)', function () {
    const root = corpusRoot();
    if (!root) this.skip();
    const file = path.join(root, '9506-study-notes', 'iptables_-L_linuxbridge.txt');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      this.skip();
    }
    const { value: rs, diagnostics } = IPTABLES_PARSERS['iptables-L'](text, { file });
    assert.deepEqual(diagnostics.map((d) => d.severity), ['info', 'info', 'info']);
    const i = findChain(rs, 'filter', 'neutron-linuxbri-i7a8c0a54-7')!.rules.map(canonicalRule);
    assert.deepEqual(i, [
      '-m state --state RELATED,ESTABLISHED | -m comment --comment Direct packets associated with a known session to the RETURN chain. | -j RETURN',
      'p=udp | d=192.168.101.88/32 | -m udp --sport 67 --dport 68 | -j RETURN',
      'p=udp | d=255.255.255.255/32 | -m udp --sport 67 --dport 68 | -j RETURN',
      'p=icmp | -j RETURN',
      'p=tcp | -m tcp --dport 22 | -j RETURN',
      '-m state --state INVALID | -m comment --comment Drop packets that appear related to an existing connection (e.g. TCP ACK/FIN) but do not have an entry in conntrack. | -j DROP',
      '-m comment --comment Send unmatched traffic to the fallback chain. | -j neutron-linuxbri-sg-fallback',
    ]);
    const spoof = findChain(rs, 'filter', 'neutron-linuxbri-s7a8c0a54-7')!.rules.map(canonicalRule);
    assert.deepEqual(spoof, [
      's=192.168.101.88/32 | -m mac --mac-source fa:16:3e:be:71:21 | -m comment --comment Allow traffic from defined IP/MAC pairs. | -j RETURN',
      '-m comment --comment Drop traffic without an IP/MAC allow rule. | -j DROP',
    ]);
    const o = findChain(rs, 'filter', 'neutron-linuxbri-o7a8c0a54-7')!.rules[0]!;
    assert.equal(canonicalRule(o), 'p=udp | s=0.0.0.0/32 | d=255.255.255.255/32 | -m udp --sport 68 --dport 67 | -m comment --comment Allow DHCP client traffic. | -j RETURN');
    const sg = findChain(rs, 'filter', 'neutron-linuxbri-sg-chain')!.rules[0]!;
    assert.equal(canonicalRule(sg), '-m physdev --physdev-out tap7a8c0a54-75 --physdev-is-bridged | -m comment --comment Jump to the VM specific chain. | -j neutron-linuxbri-i7a8c0a54-7');
  });

  it('reads the numeric nft `-n -t nat -L` of a qrouter (9506 study notes): protocol numbers, REDIRECT, SNAT flags', function () {
    const root = corpusRoot();
    if (!root) this.skip();
    const file = path.join(root, '9506-study-notes', 'iptables_-n_-t_nat_-L_netns_qrouter.txt');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      this.skip();
    }
    const { value: rs } = IPTABLES_PARSERS['iptables-L'](text, { file });
    assert.deepEqual(rs.tables.map((t) => t.name), ['nat']);
    assert.deepEqual(findChain(rs, 'nat', 'neutron-l3-agent-PREROUTING')!.rules.map(canonicalRule), [
      'p=tcp | d=169.254.169.254/32 | -m tcp --dport 80 | -j REDIRECT --to-ports 9697',
      'd=172.16.0.168/32 | -j DNAT --to-destination 192.168.101.88',
    ]);
    assert.deepEqual(findChain(rs, 'nat', 'neutron-l3-agent-snat')!.rules.map(canonicalRule), [
      '-j neutron-l3-agent-float-snat',
      '-j SNAT --to-source 172.16.0.131 --random-fully',
      '-m mark ! --mark 0x2/0xffff | -m conntrack --ctstate DNAT | -j SNAT --to-source 172.16.0.131 --random-fully',
    ]);
  });
});
