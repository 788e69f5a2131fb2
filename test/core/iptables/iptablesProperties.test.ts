import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parseIptablesList } from '../../../src/core/iptables/parseIptablesList';
import { parseIptablesRules } from '../../../src/core/iptables/parseIptablesRules';
import { parseIptablesSave } from '../../../src/core/iptables/parseIptablesSave';
import { sniffIptablesFormat } from '../../../src/core/iptables/sniffIptablesFormat';
import { assertDiagnosticsInside, assertRulesetSpans, fixture } from './netfilterTestHelpers';
import { mutatedDump } from './netfilterProperties';

const CASES = [
  { parse: parseIptablesSave, files: ['iptables/hotsos/iptables-save_netns_qrouter.txt', 'iptables/netns-generated/nft/iptables-save_-c', 'seeds/003-iptables-save-grep-neutron-hybrid.txt'] },
  { parse: parseIptablesRules, files: ['seeds/001-iptables_-S-compute.txt', 'iptables/netns-generated/legacy/iptables_-t_filter_-v_-S'] },
  { parse: parseIptablesList, files: ['iptables/hotsos-k8s/iptables_-t_nat_-nvL.txt', 'iptables/netns-generated/legacy/iptables_-t_filter_-L', 'iptables/netns-generated/nft/iptables_-t_mangle_-nvL_--line-numbers'] },
];

describe('iptables parsers on mutated real dumps (fast-check)', () => {
  for (const { parse, files } of CASES) {
    for (const file of files) {
      it(`${parse.name}: ${file} — never throws, diagnostics inside the input, spans round-trip`, () => {
        fc.assert(
          fc.property(mutatedDump(fixture(file)), (text) => {
            const r = parse(text, { file });
            assertDiagnosticsInside(text, r.diagnostics);
            assertRulesetSpans(text, r.value);
            for (const t of r.value.tables) for (const c of t.chains) c.rules.forEach((rule, k) => assert.equal(rule.index, k + 1));
            sniffIptablesFormat(text);
          }),
          { numRuns: 80 },
        );
      });
    }
  }
});
