import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { formatTokens, GRAMMAR_LANGUAGES, loadGrammars, tokenizeText } from './grammarHarness';
import { snapshotInputs } from './grammarInputs';

/**
 * Token snapshots of real dumps through vscode-textmate + vscode-oniguruma. A snapshot shows each
 * line (`> text`) and its tokens (`  "token" scope scope...`), so a review of a grammar change is
 * a review of what an operator will see. `OSNET_UPDATE_SNAPSHOTS=1` rewrites them.
 */
const UPDATE = process.env['OSNET_UPDATE_SNAPSHOTS'] === '1';
const SNAP_DIR = path.join(__dirname, '__snapshots__');

describe('grammar snapshots (vscode-textmate + oniguruma)', () => {
  const inputs = snapshotInputs();

  it('covers at least 5 real dumps per language', () => {
    for (const lang of GRAMMAR_LANGUAGES) {
      const n = inputs.filter((i) => i.lang === lang).length;
      assert.ok(n >= 5, `${lang}: only ${n} snapshot inputs`);
    }
  });

  for (const input of inputs) {
    it(`${input.lang}: ${input.source}`, async () => {
      const grammar = (await loadGrammars())[input.lang];
      let text = input.text;
      const lines = text.split(/\r?\n/);
      if (input.maxLines !== undefined && lines.length > input.maxLines) text = lines.slice(0, input.maxLines).join('\n');
      const header = `# ${input.source}${input.maxLines !== undefined && lines.length > input.maxLines ? ` (first ${input.maxLines} lines)` : ''} as ${input.lang} (scopes end with .${input.lang})\n`;
      const actual = header + formatTokens(tokenizeText(grammar, text), `.${input.lang}`);
      const file = path.join(SNAP_DIR, input.lang, input.snapshot);
      if (UPDATE) {
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, actual);
        return;
      }
      assert.ok(existsSync(file), `no snapshot ${path.relative(process.cwd(), file)}; run with OSNET_UPDATE_SNAPSHOTS=1 and review it`);
      const expected = readFileSync(file, 'utf8');
      if (actual !== expected) {
        // Show the first differing line instead of two multi-kilobyte strings.
        const a = actual.split('\n');
        const e = expected.split('\n');
        let i = 0;
        while (i < a.length && a[i] === e[i]) i++;
        let lineStart = i;
        while (lineStart > 0 && !(a[lineStart] ?? '').startsWith('> ')) lineStart--;
        assert.fail(`${path.relative(process.cwd(), file)} differs at snapshot line ${i + 1} (dump line "${(a[lineStart] ?? '').slice(2, 120)}"):\n  expected: ${e[i]}\n  actual:   ${a[i]}\nrun with OSNET_UPDATE_SNAPSHOTS=1 if the change is intended`);
      }
    });
  }
});
