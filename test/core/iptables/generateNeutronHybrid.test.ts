import { strict as assert } from 'node:assert';
import { findChain } from '../../../src/core/iptables/findChain';
import { parseIptablesSave } from '../../../src/core/iptables/parseIptablesSave';
import { sniffIptablesFormat } from '../../../src/core/iptables/sniffIptablesFormat';
import { generateNeutronHybrid, neutronHybridPorts } from './generateNeutronHybrid';
import { allRules, assertRulesetSpans, canonicalRule } from './netfilterTestHelpers';

describe('generateNeutronHybrid (benchmark input)', () => {
  it('writes 21 filter rules per port in the chains and order the Neutron agent uses', () => {
    const text = generateNeutronHybrid(3, { seed: 7 });
    const { value: rs, diagnostics } = parseIptablesSave(text, { file: 'neutron.txt' });
    assert.deepEqual(diagnostics, []);
    assert.equal(sniffIptablesFormat(text), 'iptables-save');
    assert.equal(allRules(rs).length, 3 * 21 + 8);
    const [p] = neutronHybridPorts(3, 7);
    const s = findChain(rs, 'filter', `neutron-openvswi-s${p!.chainSuffix}`)!;
    assert.deepEqual(s.rules.map(canonicalRule), [
      `s=${p!.ip}/32 | -m mac --mac-source ${p!.mac} | -m comment --comment Allow traffic from defined IP/MAC pairs. | -j RETURN`,
      '-m comment --comment Drop traffic without an IP/MAC allow rule. | -j DROP',
    ]);
    const fwd = findChain(rs, 'filter', 'neutron-openvswi-FORWARD')!;
    assert.ok(fwd.rules.some((r) => canonicalRule(r) === `-m physdev --physdev-in ${p!.tap} --physdev-is-bridged | -m comment --comment Direct traffic from the VM interface to the security group chain. | -j neutron-openvswi-sg-chain`));
    assert.ok(fwd.rules.every((r) => r.counters !== undefined));
    assertRulesetSpans(text, rs);
    const withZones = parseIptablesSave(generateNeutronHybrid(3, { seed: 7, ctZones: true, allowedAddressPairs: 2, counters: false }), { file: 'z' });
    assert.deepEqual(withZones.diagnostics, []);
    assert.equal(allRules(withZones.value).length, 3 * (21 + 3 + 2) + 8 + 2);
  });

  it('parses 2,000 ports (42,000 rules) well under a second', function () {
    this.timeout(120_000);
    const text = generateNeutronHybrid(2000);
    // Baseline measured in the same run: just splitting the text into lines and words.
    let t0 = performance.now();
    let words = 0;
    for (const line of text.split('\n')) words += line.split(' ').length;
    const baseline = performance.now() - t0;
    const times: number[] = [];
    let rules = 0;
    for (let k = 0; k < 3; k++) {
      t0 = performance.now();
      const r = parseIptablesSave(text, { file: 'neutron-2000.txt' });
      times.push(performance.now() - t0);
      rules = allRules(r.value).length;
      assert.equal(r.diagnostics.length, 0);
    }
    assert.equal(rules, 42_008);
    const best = Math.min(...times);
    console.log(`      2,000 ports, ${rules} rules, ${(text.length / 1e6).toFixed(1)} MB: first ${times[0]!.toFixed(0)} ms, best ${best.toFixed(0)} ms; split-into-words baseline ${baseline.toFixed(0)} ms (${words} words), ratio ${(best / baseline).toFixed(1)}x`);
    // Linear time, whatever the machine's load: a bounded multiple of splitting the same text into words
    // measured in this run. Absolute targets live in `npm run bench`.
    assert.ok(best / baseline < 25, `parse is ${(best / baseline).toFixed(1)}x the split baseline`);
  });
});
