import { strict as assert } from 'node:assert';
import { parseConntrackList } from '../../../src/core/conntrack/parseConntrackList';
import { parseConntrackStats } from '../../../src/core/conntrack/parseConntrackStats';
import { parseIptablesList } from '../../../src/core/iptables/parseIptablesList';
import { parseIptablesRules } from '../../../src/core/iptables/parseIptablesRules';
import { parseIptablesSave } from '../../../src/core/iptables/parseIptablesSave';
import { parseIpsetList } from '../../../src/core/ipset/parseIpsetList';
import { parseIpsetSave } from '../../../src/core/ipset/parseIpsetSave';
import type { Diagnostic } from '../../../src/core/text/Diagnostic';

const PARSERS: Record<string, (text: string, opts: { file: string }) => { diagnostics: Diagnostic[] }> = {
  parseIptablesSave, parseIptablesRules, parseIptablesList, parseIpsetSave, parseIpsetList, parseConntrackList, parseConntrackStats,
};

describe('netfilter parsers on huge or hostile input', function () {
  this.timeout(120_000);

  it('a single 50 MB line is refused with one error, not tokenised', () => {
    const text = `-A INPUT ${'x '.repeat(25_000_000)}`;
    for (const [name, parse] of Object.entries(PARSERS)) {
      const { diagnostics } = parse(text, { file: 'huge' });
      assert.deepEqual(diagnostics.map((d) => [d.severity, d.line, d.message]), [['error', 1, 'line is 50000008 characters long, longer than any netfilter dump line; line ignored']], name);
      assert.ok(diagnostics[0]!.raw!.length <= 301, 'the raw line in a diagnostic is truncated');
    }
  });

  it('stops listing problems after 1,000 and says how many more there were', () => {
    const text = 'not a dump line\n'.repeat(300_000);
    for (const [name, parse] of Object.entries(PARSERS)) {
      const { diagnostics } = parse(text, { file: 'garbage' });
      assert.equal(diagnostics.length, 1001, name);
      assert.deepEqual([diagnostics[0]!.line, diagnostics[999]!.line], [1, 1000], name);
      const last = diagnostics[1000]!;
      assert.equal(last.message, '299000 more problems not listed (only the first 1000 are kept); is this the right file?', name);
      assert.equal(last.line, 300_000, name);
    }
  });
});
