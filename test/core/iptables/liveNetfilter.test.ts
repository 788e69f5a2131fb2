import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { parseConntrackStats } from '../../../src/core/conntrack/parseConntrackStats';
import type { IptablesRuleset } from '../../../src/core/iptables/IptablesModel';
import { parseIptablesList } from '../../../src/core/iptables/parseIptablesList';
import { parseIptablesRules } from '../../../src/core/iptables/parseIptablesRules';
import { parseIptablesSave } from '../../../src/core/iptables/parseIptablesSave';
import { sniffIptablesFormat } from '../../../src/core/iptables/sniffIptablesFormat';
import { parseIpsetList } from '../../../src/core/ipset/parseIpsetList';
import { parseIpsetSave } from '../../../src/core/ipset/parseIpsetSave';
import { assertRulesetSpans, canonicalRule, errors, fixture } from './netfilterTestHelpers';
import { generateNeutronHybrid } from './generateNeutronHybrid';

/**
 * The netfilter tools of this machine (whatever versions they are), inside a throw-away network
 * namespace: load the project's ruleset and a generated Neutron host, dump every form, parse it.
 * Skips (saying why) when not root or when iptables/ipset/ip are missing.
 */
function whyNoLiveNetfilter(): string | undefined {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'not root: cannot create a network namespace';
  for (const [tool, arg] of [['ip', '-V'], ['iptables', '--version'], ['ipset', '--version'], ['conntrack', '--version']] as const) {
    const probe = spawnSync(tool, [arg], { encoding: 'utf8' });
    if (probe.error || probe.status !== 0) return `${tool} is not available`;
  }
  return undefined;
}

describe('netfilter parsers on live dumps (real iptables, ipset, conntrack in a namespace)', function () {
  this.timeout(120_000);
  const why = whyNoLiveNetfilter();
  const ns = `ipt-test-${process.pid}`;
  let created = false;
  const run = (argv: readonly string[], input?: string): string =>
    execFileSync('ip', ['netns', 'exec', ns, ...argv], { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });

  before(function () {
    if (why) {
      console.log(`      live netfilter tests skipped: ${why}`);
      this.skip();
    }
    execFileSync('ip', ['netns', 'add', ns]);
    created = true;
    run(['ipset', 'restore'], fixture('iptables/netns-generated/ipset/ipset-restore-input'));
    run(['iptables-restore'], fixture('iptables/netns-generated/rules.v4'));
  });
  after(() => {
    if (created) spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
  });

  it('every form of the live ruleset parses without errors and agrees with iptables-save', () => {
    const save = run(['iptables-save', '-c']);
    const saved = parseIptablesSave(save, { file: 'live iptables-save -c' });
    assert.deepEqual(errors(saved.diagnostics), []);
    assertRulesetSpans(save, saved.value);
    const rulesOf = (rs: IptablesRuleset, table: string): string[] =>
      rs.tables.filter((t) => t.name === table).flatMap((t) => t.chains.flatMap((c) => c.rules.map((r) => `${c.name} ${canonicalRule(r)}`)));
    for (const table of ['filter', 'nat', 'mangle', 'raw']) {
      const want = rulesOf(saved.value, table);
      const s = run(['iptables', '-t', table, '-v', '-S']);
      assert.equal(sniffIptablesFormat(s), 'iptables-S');
      const rs = parseIptablesRules(s, { file: `iptables_-t_${table}_-v_-S` });
      assert.deepEqual(errors(rs.diagnostics), [], `${table} -v -S`);
      assert.deepEqual(rulesOf(rs.value, table), want, `${table}: -v -S agrees with iptables-save`);
      const l = run(['iptables', '-t', table, '-vnxL', '--line-numbers']);
      assert.equal(sniffIptablesFormat(l), 'iptables-L');
      const ls = parseIptablesList(l, { file: `iptables_-t_${table}_-vnxL` });
      assert.deepEqual(ls.diagnostics.filter((d) => d.severity !== 'info'), [], `${table} -vnxL`);
      assertRulesetSpans(l, ls.value);
      assert.equal(rulesOf(ls.value, table).length, want.length, `${table}: -vnxL has every rule`);
    }
  });

  it('a generated 200-port Neutron host round-trips through the real iptables-restore', () => {
    run(['iptables-restore'], generateNeutronHybrid(200, { ctZones: true }));
    const save = run(['iptables-save', '-c']);
    const r = parseIptablesSave(save, { file: 'live neutron' });
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.value.tables.find((t) => t.name === 'filter')!.chains.reduce((n, c) => n + c.rules.length, 0), 200 * 21 + 8);
  });

  it('ipset save/list and conntrack -S of this machine parse without errors', () => {
    const save = run(['ipset', 'save']);
    const s = parseIpsetSave(save, { file: 'live ipset save' });
    assert.deepEqual(s.diagnostics, []);
    const list = parseIpsetList(run(['ipset', 'list']), { file: 'live ipset list' });
    assert.deepEqual(list.diagnostics, []);
    assert.deepEqual(list.value.sets.map((x) => [x.name, x.members.length]), s.value.sets.map((x) => [x.name, x.members.length]));
    const stats = parseConntrackStats(run(['conntrack', '-S']), { file: 'live conntrack -S' });
    assert.deepEqual(stats.diagnostics, []);
    assert.ok(stats.value.cpus.length >= 1);
  });
});
