import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from '../../../src/core/text/Diagnostic';
import type { Span } from '../../../src/core/text/Span';

export const FIXTURES = path.resolve(__dirname, '../../fixtures');

export function fixture(rel: string): string {
  return readFileSync(path.join(FIXTURES, rel), 'utf8');
}

/** `shared/corpus/public` next to the project root, found by walking up; undefined when absent. */
export function corpusRoot(): string | undefined {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const c = path.join(dir, 'shared', 'corpus', 'public');
    if (existsSync(c)) return c;
    if (path.dirname(dir) === dir) return undefined;
  }
}

interface HasSpan { readonly raw: string; readonly span: Span }

/** Every entity (and nested address) slices back to its raw text; line/column agree with the offset. */
export function assertSpans(text: string, entities: readonly HasSpan[]): void {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const check = (e: HasSpan): void => {
    assert.equal(text.slice(e.span.offset, e.span.endOffset), e.raw, `span of ${JSON.stringify(e.raw.slice(0, 60))}`);
    assert.equal(lineStarts[e.span.line - 1]! + e.span.column - 1, e.span.offset, 'line/column vs offset');
    assert.equal(lineStarts[e.span.endLine - 1]! + e.span.endColumn - 1, e.span.endOffset, 'endLine/endColumn vs endOffset');
  };
  for (const e of entities) {
    check(e);
    const nested = (e as { addresses?: HasSpan[] }).addresses;
    if (nested) for (const a of nested) check(a);
  }
}

export function assertDiagnosticsInside(text: string, diags: readonly Diagnostic[]): void {
  const lines = text.length === 0 ? 1 : text.split('\n').length;
  for (const d of diags) {
    assert.ok(d.line >= 1 && d.line <= lines, `diagnostic line ${d.line} outside 1..${lines}: ${d.message}`);
    assert.ok(d.column >= 1, `diagnostic column ${d.column}`);
  }
}

export function errors(diags: readonly Diagnostic[]): Diagnostic[] {
  return diags.filter((d) => d.severity === 'error');
}

/** A deep copy without `raw`/`span`, for comparing the model of two forms of the same dump. */
export function plain<T>(x: T): unknown {
  return JSON.parse(JSON.stringify(x, (k, v: unknown) => (k === 'raw' || k === 'span' ? undefined : typeof v === 'bigint' ? `${v}n` : v)));
}
