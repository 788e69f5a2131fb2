import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { GRAMMAR_LANGUAGES, projectRoot } from './grammarHarness';

/** The committed JSON grammars are what the readable sources build to, and the sources keep their conventions. */
describe('scripts/build-grammars.mjs', () => {
  it('the committed syntaxes/*.tmLanguage.json are up to date with syntaxes/src (every rule commented, scoped, compiling)', function () {
    this.timeout(60000);
    const out = execFileSync(process.execPath, [path.join(projectRoot, 'scripts/build-grammars.mjs'), '--check'], { cwd: projectRoot, encoding: 'utf8' });
    assert.match(out, /all grammars up to date/);
  });

  it('every generated grammar names its source and has only includes at the top', () => {
    for (const lang of GRAMMAR_LANGUAGES) {
      const g = JSON.parse(readFileSync(path.join(projectRoot, 'syntaxes', `${lang}.tmLanguage.json`), 'utf8')) as { scopeName: string; patterns: Record<string, unknown>[]; information_for_contributors: string[] };
      assert.equal(g.scopeName, `source.${lang}`);
      assert.match(g.information_for_contributors[0]!, new RegExp(`syntaxes/src/${lang}\\.tmLanguage\\.yaml`));
      assert.ok(g.patterns.every((p) => Object.keys(p).join() === 'include'));
    }
  });
});
