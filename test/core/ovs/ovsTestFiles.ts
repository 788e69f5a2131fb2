/**
 * Shared helpers of the OVS tests: fixture paths, the public corpus location, and the span
 * checks every parser test runs (each kept entity's `raw` is exactly `text.slice(span)`, and
 * every diagnostic points inside the input).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from '../../../src/core/text/Diagnostic';
import type { Span } from '../../../src/core/text/Span';

export const OVS_FIXTURES = path.resolve(__dirname, '../../fixtures/ovs');
export const SEED_FIXTURES = path.resolve(__dirname, '../../fixtures/seeds');

export function readFixture(rel: string): string {
  return fs.readFileSync(path.join(OVS_FIXTURES, rel), 'utf8');
}

export function readSeed(name: string): string {
  return fs.readFileSync(path.join(SEED_FIXTURES, name), 'utf8');
}

/** `shared/corpus/public`, found by walking up from this file; `undefined` when absent. */
export function findCorpus(): string | undefined {
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'shared', 'corpus', 'public');
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Asserts `text.slice(span) === raw` and that line/column agree with the offsets. */
export function assertSpan(text: string, raw: string, span: Span, what = 'entity'): void {
  assert.equal(text.slice(span.offset, span.endOffset), raw, `${what}: span does not round-trip`);
  const lineStart = text.lastIndexOf('\n', span.offset - 1) + 1;
  assert.equal(span.column, span.offset - lineStart + 1, `${what}: column disagrees with offset`);
  const line = text.slice(0, span.offset).split('\n').length;
  assert.equal(span.line, line, `${what}: line disagrees with offset`);
}

/** Every diagnostic is on a line of the input. */
export function assertDiagnosticsInside(text: string, diagnostics: readonly Diagnostic[]): void {
  const lines = Math.max(1, text.split('\n').length);
  for (const d of diagnostics) {
    assert.ok(d.line >= 1 && d.line <= lines, `diagnostic line ${d.line} outside 1..${lines}: ${d.message}`);
    assert.ok(d.column >= 1, `diagnostic column ${d.column} < 1`);
  }
}

export function errorsOf(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === 'error');
}

/** Short text of diagnostics for assertion messages. */
export function describeDiagnostics(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map((d) => `${d.severity} ${d.line}:${d.column} ${d.message}`).join('\n');
}
