/**
 * Property tests: real fixtures are damaged (lines dropped, duplicated, truncated, garbage or
 * random bytes inserted) and every OVS parser must still not throw, keep its diagnostics inside
 * the input, and keep every entity's span round-tripping to its raw text.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { parseOvsActions } from '../../../src/core/ovs/parseOvsActions';
import { parseOvsMatch } from '../../../src/core/ovs/parseOvsMatch';
import { sniffOvsFormat, type OvsFormatId } from '../../../src/core/ovs/sniffOvsFormat';
import { parseOvsAny } from './parseOvsAny';
import { assertDiagnosticsInside, assertSpan, OVS_FIXTURES, SEED_FIXTURES } from './ovsTestFiles';

type Mutation =
  | { kind: 'drop' | 'duplicate' | 'truncate'; at: number }
  | { kind: 'garbage'; at: number; line: string }
  | { kind: 'bytes'; at: number; bytes: string };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('drop' as const, 'duplicate' as const, 'truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('garbage' as const), at: fc.nat(), line: fc.string({ maxLength: 120 }) }),
  fc.record({ kind: fc.constant('bytes' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 24 }).map((b) => String.fromCharCode(...b)) }),
);

function mutate(text: string, m: Mutation): string {
  const lines = text.split('\n');
  const i = m.at % Math.max(1, lines.length);
  switch (m.kind) {
    case 'drop': lines.splice(i, 1); return lines.join('\n');
    case 'duplicate': lines.splice(i, 0, lines[i] ?? ''); return lines.join('\n');
    case 'truncate': return text.slice(0, m.at % Math.max(1, text.length));
    case 'garbage': lines.splice(i, 0, m.line); return lines.join('\n');
    case 'bytes': {
      const at = m.at % Math.max(1, text.length);
      return text.slice(0, at) + m.bytes + text.slice(at + m.bytes.length);
    }
  }
}

function fixtures(): { name: string; text: string; format: OvsFormatId }[] {
  const out: { name: string; text: string; format: OvsFormatId }[] = [];
  const walk = (dir: string): void => {
    for (const n of fs.readdirSync(dir)) {
      const p = path.join(dir, n);
      if (fs.statSync(p).isDirectory()) walk(p);
      else if (n.endsWith('.txt')) {
        const text = fs.readFileSync(p, 'utf8');
        const format = sniffOvsFormat(text, n);
        if (format) out.push({ name: path.relative(OVS_FIXTURES, p), text, format });
      }
    }
  };
  walk(OVS_FIXTURES);
  for (const n of fs.readdirSync(SEED_FIXTURES).filter((x) => x.includes('-ovs-'))) {
    const text = fs.readFileSync(path.join(SEED_FIXTURES, n), 'utf8');
    const format = sniffOvsFormat(text, n);
    if (format) out.push({ name: n, text, format });
  }
  return out;
}

describe('OVS parsers under damaged input (fast-check)', () => {
  const all = fixtures();

  it('finds the fixtures', () => {
    assert.ok(all.length >= 30, `${all.length} fixtures`);
  });

  for (const f of all) {
    it(`${f.name}: no throw, diagnostics inside, spans round-trip`, () => {
      fc.assert(
        fc.property(fc.array(mutationArb, { minLength: 1, maxLength: 4 }), (ms) => {
          const text = ms.reduce(mutate, f.text);
          const r = parseOvsAny(f.format, text, f.name);
          assertDiagnosticsInside(text, r.diagnostics);
          for (const e of r.spans) assertSpan(text, e.raw, e.span, f.name);
        }),
        { numRuns: 40 },
      );
    });
  }

  it('parseOvsMatch and parseOvsActions never throw on arbitrary text', () => {
    const tokens = fc.constantFrom('tcp', 'in_port=', 'ct(', ')', '(', ',', '"', '->', 'NXM_NX_REG0[', '..', ']', '=', ':', '/', '0x', '+trk', 'load:', 'actions=', ' ', 'learn(', 'nat(src=', '[', '10.0.0.1', 'fe80::');
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.array(tokens, { maxLength: 40 }).map((t) => t.join(''))), (text) => {
        const m = parseOvsMatch(text, { file: 'm' });
        assertDiagnosticsInside(text, m.diagnostics);
        for (const x of m.value.fields) assertSpan(text, x.raw, x.span, 'field');
        const a = parseOvsActions(text, { file: 'a' });
        assertDiagnosticsInside(text, a.diagnostics);
        for (const x of a.value) if (x.raw !== '') assertSpan(text, x.raw, x.span, 'action');
      }),
      { numRuns: 400 },
    );
  });
});
