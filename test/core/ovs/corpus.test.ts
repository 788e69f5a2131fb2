/**
 * Every ovs-* / ovn-* capture of the public corpus must be recognised and parse with zero error
 * diagnostics; counts are checked against a plain line count of the same text.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sniffOvsFormat } from '../../../src/core/ovs/sniffOvsFormat';
import { parseOvsAny } from './parseOvsAny';
import { assertDiagnosticsInside, assertSpan, describeDiagnostics, errorsOf, findCorpus } from './ovsTestFiles';

const SETS = ['9506-study-notes', 'hotsos', 'hotsos-sunbeam', 'ovs-docs', 'ovn-docs', 'neutron-docs'];

/** An independent count of entries, by line patterns, per format. */
function lineCount(format: string, text: string): number | undefined {
  const lines = text.split('\n');
  switch (format) {
    case 'ovs-dump-flows': return lines.filter((l) => /[ ,]actions=|^actions=/.test(l)).length;
    case 'ovs-ofctl-show': return lines.filter((l) => /^ (\d+|LOCAL)\(/.test(l)).length;
    case 'ovs-vsctl-show': return lines.filter((l) => /^\s*Port /.test(l)).length;
    case 'ovs-fdb-show': return lines.filter((l) => /^\s*\S+\s+\d+\s+[0-9a-f:]{17}\s/.test(l)).length;
    case 'ovs-trace': return lines.filter((l) => /^\s*\d+\. /.test(l)).length;
    default: return undefined;
  }
}

describe('OVS corpus (shared/corpus/public)', () => {
  const root = findCorpus();
  it('parses every ovs-*/ovn-* capture with zero errors', function () {
    if (!root) {
      console.log('      shared/corpus/public not found next to the project; corpus test skipped');
      this.skip();
    }
    let files = 0;
    const byFormat = new Map<string, number>();
    for (const set of SETS) {
      const dir = path.join(root, set);
      if (!fs.existsSync(dir)) continue;
      for (const name of fs.readdirSync(dir).sort()) {
        if (!/^(ovs|ovn)-/.test(name)) continue;
        const rel = `${set}/${name}`;
        const text = fs.readFileSync(path.join(dir, name), 'utf8');
        const format = sniffOvsFormat(text, name);
        assert.ok(format, `${rel}: not recognised`);
        const r = parseOvsAny(format, text, rel);
        assert.deepEqual(errorsOf(r.diagnostics), [], `${rel}:\n${describeDiagnostics(r.diagnostics)}`);
        assertDiagnosticsInside(text, r.diagnostics);
        for (const e of r.spans) assertSpan(text, e.raw, e.span, rel);
        const expected = lineCount(format, text);
        if (expected !== undefined) assert.equal(r.count, expected, `${rel}: count`);
        const warnings = r.diagnostics.filter((d) => d.severity === 'warning').length;
        console.log(`      ${rel}: ${format}, ${r.summary}${warnings ? `, ${warnings} warning(s)` : ''}`);
        files++;
        byFormat.set(format, (byFormat.get(format) ?? 0) + 1);
      }
    }
    console.log(`      covered ${files} files: ${[...byFormat].map(([f, n]) => `${f} ${n}`).join(', ')}`);
    assert.ok(files >= 40, `only ${files} OVS files found`);
  });
});
