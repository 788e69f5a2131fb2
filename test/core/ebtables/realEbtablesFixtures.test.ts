import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { EbtablesChain } from '../../../src/core/ebtables/EbtablesChain';
import { parseEbtablesList } from '../../../src/core/ebtables/parseEbtablesList';
import { parseEbtablesSave } from '../../../src/core/ebtables/parseEbtablesSave';
import { sniffEbtablesFormat } from '../../../src/core/ebtables/sniffEbtablesFormat';
import { assertNovaRuleset, canonicalRule } from './rulesetSemantics';
import { assertRulesetSpans } from './spanChecks';

const dir = path.resolve(__dirname, '../../fixtures/ebtables/nft-1.8.9');
const read = (name: string): string => readFileSync(path.join(dir, name), 'utf8');

/** The same checks as realEbtables.test.ts, on dumps captured from ebtables 1.8.9 (nf_tables). */
describe('captured ebtables-nft 1.8.9 dumps (test/fixtures/ebtables/nft-1.8.9)', () => {
  const listings: [string, boolean][] = [
    ['ebtables_-L.txt', false],
    ['ebtables_-L_--Lc.txt', true],
    ['ebtables_-L_--Ln.txt', false],
    ['ebtables_-L_--Ln_--Lc.txt', true],
    ['ebtables_-L_--Lx.txt', false],
    ['ebtables_-L_--Lmac2.txt', false],
  ];
  for (const [name, counters] of listings) {
    it(`reads ${name} back into the loaded ruleset`, () => {
      const text = read(name);
      assert.equal(sniffEbtablesFormat(text), 'ebtables-L');
      const r = parseEbtablesList(text, { file: name });
      assert.deepEqual(r.diagnostics, []);
      assertNovaRuleset(r.value, { format: 'ebtables-L', counters });
      assertRulesetSpans(text, r.value);
    });
  }
  for (const [name, counters] of [['ebtables-save.txt', false], ['ebtables-save_-c.txt', true], ['ebtables-save_EBTABLES_SAVE_COUNTER.txt', true]] as const) {
    it(`reads ${name} back into the loaded ruleset`, () => {
      const text = read(name);
      assert.equal(sniffEbtablesFormat(text), 'ebtables-save');
      const r = parseEbtablesSave(text, { file: name });
      assert.deepEqual(r.diagnostics, []);
      assert.equal(r.value.backend, 'nft');
      assertNovaRuleset(r.value, { format: 'ebtables-save', counters });
      assertRulesetSpans(text, r.value);
    });
  }

  it('reads nft 1.8.9 rule numbers (`1 ` without a dot) and says nft', () => {
    const r = parseEbtablesList(read('ebtables_-L_--Ln.txt'), { file: 'Ln' });
    assert.equal(r.value.backend, 'nft');
    const fwd = r.value.tables[0]?.chains.find((c) => c.name === 'FORWARD');
    assert.equal(fwd?.rules[7]?.raw, '8 --log-level info --log-prefix "spoof drop" -j DROP');
    const log = fwd?.rules[7]?.options.find((o) => o.name === '--log-prefix');
    assert.deepEqual(log?.values, ['spoof drop']);
  });

  it('keeps the values a VIP diagnosis needs, decoded', () => {
    const r = parseEbtablesSave(read('ebtables-save_-c.txt'), { file: 'save' });
    const nat = r.value.tables.find((t) => t.name === 'nat');
    const out = nat?.chains.find((c) => c.name === 'libvirt-O-tap496fa038-9e');
    assert.equal(out?.policy, 'DROP');
    const r1 = out?.rules[0];
    assert.equal(r1?.raw, '[0:0] -A libvirt-O-tap496fa038-9e -p ARP --arp-op Reply --arp-mac-dst ! fa:16:3e:58:01:ac -j DROP');
    assert.deepEqual(r1?.options.map((o) => [o.name, o.negated, o.values[0]]), [
      ['-p', false, 'ARP'], ['--arp-op', false, 'Reply'], ['--arp-mac-dst', true, 'fa:16:3e:58:01:ac'],
    ]);
    assert.deepEqual(r1?.options[2]?.decoded, { kind: 'mac', address: 0xfa163e5801acn, mask: 0xffffffffffffn });
    assert.deepEqual(r1?.options[1]?.decoded, { kind: 'arpOpcode', opcode: 2, name: 'Reply' });
    const mark = out?.rules[4]?.target;
    assert.equal(mark?.kind, 'extension');
    assert.equal(mark?.kind === 'extension' ? mark.verdict : '', 'CONTINUE');
    assert.deepEqual(mark?.options.map((o) => [o.name, o.values[0]]), [['--mark-set', '0x1'], ['--mark-target', 'CONTINUE']]);
    const rarp = out?.rules[5]?.options[0]?.decoded;
    assert.deepEqual(rarp, { kind: 'ethertype', ethertype: 0x8035, name: 'RARP' });
    const arpDst = out?.rules[1]?.options[1];
    assert.equal(arpDst?.negated, true);
    assert.equal(arpDst?.decoded?.kind === 'ip' ? arpDst.decoded.cidr.prefixLength : -1, 24);
  });

  it('lists the same I-tap chains as the seed 000 blog post (legacy ebtables, 2013)', () => {
    const seedText = readFileSync(path.resolve(__dirname, '../../fixtures/seeds/000-ebtables-t-nat-L.txt'), 'utf8');
    const seed = parseEbtablesList(seedText, { file: 'seed' }).value.tables[0];
    const live = parseEbtablesList(read('ebtables_-L.txt'), { file: 'live' }).value.tables.find((t) => t.name === 'nat');
    assert.ok(seed && live);
    let compared = 0;
    for (const chain of seed.chains) {
      const other: EbtablesChain | undefined = live.chains.find((c) => c.name === chain.name);
      assert.ok(other, chain.name);
      if (chain.name === 'POSTROUTING') continue; // the live ruleset adds an O- chain there
      assert.deepEqual(other.rules.map(canonicalRule), chain.rules.map(canonicalRule), chain.name);
      compared += chain.rules.length;
    }
    assert.equal(compared, 28);
  });
});
