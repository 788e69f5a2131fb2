import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseEbtablesList } from '../../../src/core/ebtables/parseEbtablesList';
import { parseEbtablesSave } from '../../../src/core/ebtables/parseEbtablesSave';
import { sniffEbtablesFormat } from '../../../src/core/ebtables/sniffEbtablesFormat';
import { createNamespace, deleteNamespace, loadAndCapture, whyNoEbtables, type Capture } from './captureRealEbtables';
import { assertNovaRuleset } from './rulesetSemantics';
import { assertRulesetSpans } from './spanChecks';

/**
 * Real ebtables, not hand-written text: loads the nova anti-spoofing ruleset into a fresh network
 * namespace, dumps it in every listing form and checks the parsers read back exactly what was
 * loaded. The root namespace is never touched. With OSNET_UPDATE_FIXTURES=1 the dumps are also
 * written to test/fixtures/ebtables/nft-<version>/ for realEbtablesFixtures.test.ts.
 */
describe('real ebtables in a network namespace', function () {
  const ns = `osnet-ebt-${process.pid}`;
  let created = false;
  let capture: Capture | undefined;

  before(function () {
    const why = whyNoEbtables();
    if (why) {
      console.log(`    skipped: ${why}`);
      this.skip();
    }
    const err = createNamespace(ns);
    if (err) {
      console.log(`    skipped: cannot create network namespace ${ns}: ${err}`);
      this.skip();
    }
    created = true;
    capture = loadAndCapture(ns);
    console.log(`    ${capture.version}, namespace ${ns}, ${Object.keys(capture.dumps).length} dumps`);
    if (process.env['OSNET_UPDATE_FIXTURES'] === '1') {
      const version = /\d+\.\d+\.\d+/.exec(capture.version)?.[0] ?? 'unknown';
      const dir = path.resolve(__dirname, `../../fixtures/ebtables/nft-${version}`);
      mkdirSync(dir, { recursive: true });
      for (const [name, text] of Object.entries(capture.dumps)) writeFileSync(path.join(dir, name), text);
      console.log(`    fixtures written to ${dir}`);
    }
  });

  after(function () {
    if (created) deleteNamespace(ns);
  });

  const listings: [string, boolean][] = [
    ['ebtables_-L.txt', false],
    ['ebtables_-L_--Lc.txt', true],
    ['ebtables_-L_--Ln.txt', false],
    ['ebtables_-L_--Ln_--Lc.txt', true],
    ['ebtables_-L_--Lx.txt', false],
    ['ebtables_-L_--Lmac2.txt', false],
  ];
  for (const [name, counters] of listings) {
    it(`reads back ${name}`, function () {
      const text = capture?.dumps[name];
      assert.ok(text !== undefined);
      assert.equal(sniffEbtablesFormat(text), 'ebtables-L');
      const r = parseEbtablesList(text, { file: name });
      assert.deepEqual(r.diagnostics, []);
      assertNovaRuleset(r.value, { format: 'ebtables-L', counters });
      assertRulesetSpans(text, r.value);
    });
  }

  const saves: [string, boolean][] = [
    ['ebtables-save.txt', false],
    ['ebtables-save_-c.txt', true],
    ['ebtables-save_EBTABLES_SAVE_COUNTER.txt', true],
  ];
  for (const [name, counters] of saves) {
    it(`reads back ${name}`, function () {
      const text = capture?.dumps[name];
      assert.ok(text !== undefined);
      assert.equal(sniffEbtablesFormat(text), 'ebtables-save');
      const r = parseEbtablesSave(text, { file: name });
      assert.deepEqual(r.diagnostics, []);
      assert.equal(r.value.backend, 'nft');
      assertNovaRuleset(r.value, { format: 'ebtables-save', counters });
      assertRulesetSpans(text, r.value);
    });
  }
});
