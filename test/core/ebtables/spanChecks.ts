import assert from 'node:assert/strict';
import type { EbtablesRuleset } from '../../../src/core/ebtables/EbtablesRuleset';
import type { Diagnostic } from '../../../src/core/text/Diagnostic';
import type { Span } from '../../../src/core/text/Span';

/** Every entity's span must slice back to its raw text (the project-wide round-trip rule). */
export function assertSpan(text: string, raw: string, span: Span, what: string): void {
  assert.equal(text.slice(span.offset, span.endOffset), raw, `${what} span round-trip`);
  assert.ok(span.line >= 1 && span.column >= 1 && span.endLine >= span.line, `${what} span lines`);
}

export function assertRulesetSpans(text: string, ruleset: EbtablesRuleset): number {
  let n = 0;
  for (const t of ruleset.tables) {
    assertSpan(text, t.raw, t.span, `table ${t.name}`);
    n++;
    for (const c of t.chains) {
      assertSpan(text, c.raw, c.span, `chain ${c.name}`);
      n++;
      for (const r of c.rules) {
        assertSpan(text, r.raw, r.span, `rule ${c.name}#${r.index}`);
        n++;
        for (const o of [...r.options, ...r.target.options]) {
          const optText = text.slice(o.span.offset, o.span.endOffset);
          assert.ok(r.raw.includes(optText), `option ${o.name} span inside its rule`);
          assert.ok(o.span.offset >= r.span.offset && o.span.endOffset <= r.span.endOffset, `option ${o.name} within rule`);
        }
        assert.ok(r.target.span.offset >= r.span.offset && r.target.span.endOffset <= r.span.endOffset, 'target within rule');
      }
    }
  }
  return n;
}

export function assertDiagnosticsWithin(text: string, diagnostics: readonly Diagnostic[]): void {
  const lines = text.split('\n').length;
  for (const d of diagnostics) {
    assert.ok(d.line >= 1 && d.line <= Math.max(1, lines), `diagnostic line ${d.line} within ${lines}: ${d.message}`);
    assert.ok(d.column >= 1, `diagnostic column ${d.column}`);
  }
}
