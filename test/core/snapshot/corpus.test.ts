import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDump } from '../../../src/core/snapshot/parseDump';
import { loadSnapshot } from '../../../src/host/loadSnapshot';

function findCorpus(): string | undefined {
  for (let dir = path.resolve(__dirname); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const c = path.join(dir, 'shared', 'corpus', 'public');
    if (fs.existsSync(c)) return c;
  }
  return undefined;
}

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** What a corpus file's name says its format is; detection must agree (content decides, names confirm). */
const EXPECTED: readonly [RegExp, string][] = [
  [/ip6?tables-save/, 'iptables-save'], [/iptables_-v?_?-S/, 'iptables-S'], [/iptables.*-[nvx]*L|iptables_-L/, 'iptables-L'],
  [/ebtables-nft-save|ebtables-save/, 'ebtables-save'], [/ebtables.*-L/, 'ebtables-L'], [/dpctl.dump-flows|dpctl_dump-flows/, 'ovs-dpctl-flows'], [/dump-flows/, 'ovs-dump-flows'],
  [/ovs-vsctl_show/, 'ovs-vsctl-show'], [/ofproto-trace/, 'ovs-trace'], [/fdb\.show/, 'ovs-fdb-show'], [/nwfilter\/.*\.xml$/, 'nwfilter-xml'],
  [/ip_route|ip_-6_route/, 'ip-route'], [/ip_rule|ip_-4_rule/, 'ip-rule'], [/ip_netns/, 'ip-netns'], [/brctl_show/, 'brctl-show'],
  [/conntrack_-L/, 'conntrack-L'], [/lflow-list/, 'ovn-lflows'],
];

describe('every real capture of the public corpus', () => {
  const corpus = findCorpus();
  it('is detected and parsed with zero error diagnostics', function () {
    if (!corpus) {
      console.log('      (shared/corpus/public not found beside the project: corpus walk skipped)');
      this.skip();
    }
    const files = walk(corpus).filter((f) => !f.endsWith('SOURCES.md'));
    const problems: string[] = [];
    for (const f of files) {
      const rel = path.relative(corpus, f);
      const r = parseDump(fs.readFileSync(f, 'utf8'), rel);
      if (!r.parsed) problems.push(`${rel}: not recognised`);
      for (const d of r.diagnostics.filter((x) => x.severity === 'error')) problems.push(`${rel}:${d.line}: ${d.message}`);
      const want = EXPECTED.find(([re]) => re.test(rel.replace(/^.*?\//, (m) => (rel.includes('nwfilter/') ? m : ''))))?.[1];
      if (want && r.parsed && r.parsed.format !== want && !(want === 'ovs-dump-flows' && rel.includes('bridge.dump-flows'))) problems.push(`${rel}: detected ${r.parsed.format}, name says ${want}`);
    }
    console.log(`      (${files.length} corpus files detected and parsed)`);
    assert.deepEqual(problems.slice(0, 20), []);
    assert.ok(files.length >= 120);
  });

  it('the hotsos sosreport captures load as one host with its namespaces and OVS bridges', async function () {
    if (!corpus) this.skip();
    const { snapshot } = await loadSnapshot(path.join(corpus, 'hotsos'));
    assert.deepEqual(snapshot.namespaces.map((n) => n.name), ['', 'fip', 'qrouter', 'snat']);
    const qrouter = snapshot.namespaces.find((n) => n.name === 'qrouter')!;
    assert.equal(qrouter.iptables?.format, 'iptables-save');
    assert.ok(qrouter.ip6tables, 'ip6tables-save of the qrouter namespace is attached as IPv6');
    assert.ok((qrouter.rules?.length ?? 0) > 0);
    const brInt = snapshot.ovsBridges.find((b) => b.name === 'br-int')!;
    assert.equal(brInt.flows?.flows.length, 110);
    assert.ok(brInt.show && brInt.vsctl && brInt.fdb);
    // Several forms of the same state: the most complete is used and the others say why not.
    const root = snapshot.namespaces[0]!;
    assert.equal(root.iptables?.format, 'iptables-L');
    assert.ok(snapshot.files.some((f) => f.path === 'iptables_-vnxL.txt' && !f.used && /more complete/.test(f.note ?? '')));
  });
});

describe('bad input never crashes a load', () => {
  it('binary garbage, a wrong format and a truncated dump give diagnostics with line numbers', () => {
    const bin = parseDump(String.fromCharCode(...Array.from({ length: 2000 }, (_, i) => (i * 7919) % 256)), 'garbage.bin');
    assert.equal(bin.parsed, undefined);
    assert.equal(bin.diagnostics[0]?.line, 1);
    const prose = parseDump('Dear operator,\nthis is a letter, not a dump.\n', 'letter.txt');
    assert.equal(prose.parsed, undefined);
    assert.match(prose.diagnostics[0]?.message ?? '', /not a dump format/);
    const truncated = parseDump('*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s 10.0.0.0/8 -j ACC', 'iptables-save');
    assert.equal(truncated.parsed?.format, 'iptables-save');
  });

  it('a 50 MB dump with a damaged tail parses without throwing and keeps what it could read', function () {
    this.timeout(120000);
    // Per-parser 50 MB tests of real rules live beside each parser; this one checks the whole
    // detect-and-parse path on a dump whose head is fine and whose body is a corrupted paste.
    const head = '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s 10.0.0.0/8 -j DROP\n';
    const junk = `${'\u00a0#?'.repeat(30)}\n`;
    const text = `${head}${junk.repeat(Math.ceil(50e6 / junk.length))}COMMIT\n`;
    const r = parseDump(text, 'big-iptables-save');
    assert.equal(r.parsed?.format, 'iptables-save');
    assert.ok(r.parsed?.format === 'iptables-save' && r.parsed.value.tables[0]?.chains[0]?.rules.length === 1);
    assert.ok(r.diagnostics.length > 0 && r.diagnostics.every((d) => d.line >= 1));
  });
});
