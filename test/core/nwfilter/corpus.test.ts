import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseNwfilterXml } from '../../../src/core/nwfilter/parseNwfilterXml';
import { sniffNwfilterXml } from '../../../src/core/nwfilter/sniffNwfilterXml';
import { findPublicCorpus, listFiles } from '../ebtables/findPublicCorpus';
import { assertNwfilterSpans } from './nwfilterFixtures';

/** Every nwfilter capture in shared/corpus/public parses with no diagnostics; nothing else sniffs as nwfilter. */
describe('nwfilter: public capture corpus', function () {
  const root = findPublicCorpus();
  const files = root ? listFiles(root).filter((f) => f !== 'SOURCES.md') : [];
  const isNwfilter = (f: string): boolean => f.includes('nwfilter/') && f.endsWith('.xml');

  before(function () {
    if (!root) {
      console.log('    skipped: shared/corpus/public not found next to the project');
      this.skip();
    }
  });

  it('parses every nwfilter capture with zero errors', function () {
    const mine = files.filter(isNwfilter);
    let entities = 0;
    for (const f of mine) {
      const text = readFileSync(path.join(root ?? '', f), 'utf8');
      assert.ok(sniffNwfilterXml(text), f);
      const r = parseNwfilterXml(text, { file: f });
      assert.deepEqual(r.diagnostics, [], f);
      assert.equal(r.value.length, 1, f);
      entities += assertNwfilterSpans(text, r.value);
    }
    console.log(`    nwfilter corpus: ${mine.length} files, ${entities} filters/rules/filterrefs, 0 diagnostics`);
    assert.equal(mine.length, 18);
  });

  it('sniffs no other capture as nwfilter XML', function () {
    const others = files.filter((f) => !isNwfilter(f));
    for (const f of others) assert.equal(sniffNwfilterXml(readFileSync(path.join(root ?? '', f), 'utf8')), false, f);
    console.log(`    ${others.length} other captures sniffed as not nwfilter`);
  });
});
