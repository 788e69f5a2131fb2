import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEbtablesList } from '../../../src/core/ebtables/parseEbtablesList';
import { parseEbtablesSave } from '../../../src/core/ebtables/parseEbtablesSave';
import { sniffEbtablesFormat } from '../../../src/core/ebtables/sniffEbtablesFormat';
import { hasErrors } from '../../../src/core/text/Diagnostic';
import { findPublicCorpus, listFiles } from './findPublicCorpus';
import { assertRulesetSpans } from './spanChecks';

/**
 * Every ebtables capture in shared/corpus/public parses with zero errors, and the sniffer says
 * "not ebtables" for every other capture there (iptables-save included).
 */
describe('ebtables: public capture corpus', function () {
  const root = findPublicCorpus();
  const files = root ? listFiles(root).filter((f) => f !== 'SOURCES.md') : [];
  const isEbtables = (f: string): boolean => path.basename(f).startsWith('ebtables');

  before(function () {
    if (!root) {
      console.log('    skipped: shared/corpus/public not found next to the project');
      this.skip();
    }
  });

  it('parses every ebtables capture with zero errors', function () {
    const mine = files.filter(isEbtables);
    let rules = 0;
    let warnings = 0;
    let infos = 0;
    for (const f of mine) {
      const text = readFileSync(path.join(root ?? '', f), 'utf8');
      const format = sniffEbtablesFormat(text);
      const expected = /save/.test(path.basename(f)) ? 'ebtables-save' : 'ebtables-L';
      assert.equal(format, expected, f);
      const r = format === 'ebtables-save' ? parseEbtablesSave(text, { file: f }) : parseEbtablesList(text, { file: f });
      assert.ok(!hasErrors(r.diagnostics), `${f}: ${JSON.stringify(r.diagnostics.filter((d) => d.severity === 'error'))}`);
      assert.ok(r.value.tables.length > 0, f);
      assertRulesetSpans(text, r.value);
      warnings += r.diagnostics.filter((d) => d.severity === 'warning').length;
      infos += r.diagnostics.filter((d) => d.severity === 'info').length;
      rules += r.value.tables.reduce((n, t) => n + t.chains.reduce((m, c) => m + c.rules.length, 0), 0);
    }
    console.log(`    ebtables corpus: ${mine.length} files, ${rules} rules, 0 errors, ${warnings} warnings, ${infos} infos`);
    assert.equal(mine.length, 7);
  });

  it('sniffs no other capture as ebtables', function () {
    const others = files.filter((f) => !isEbtables(f));
    for (const f of others) {
      const text = readFileSync(path.join(root ?? '', f), 'utf8');
      assert.equal(sniffEbtablesFormat(text), undefined, f);
    }
    console.log(`    ${others.length} non-ebtables captures sniffed as not ebtables`);
  });
});
