import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { NwFilter } from '../../../src/core/nwfilter/NwFilter';

export const FIXTURES = path.resolve(__dirname, '../../fixtures/nwfilter');

/** The 18 stock libvirt filters of hotsos (Apache-2.0), name -> text. */
export function hotsosFilters(): Map<string, string> {
  const dir = path.join(FIXTURES, 'hotsos');
  return new Map(readdirSync(dir).sort().map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
}

export function readFixture(name: string): string {
  return readFileSync(path.join(FIXTURES, name), 'utf8');
}

/** Every filter, rule and filterref slices back to its raw text; returns how many were checked. */
export function assertNwfilterSpans(text: string, filters: readonly NwFilter[]): number {
  let n = 0;
  for (const f of filters) {
    assert.equal(text.slice(f.span.offset, f.span.endOffset), f.raw, `filter ${f.name}`);
    assert.ok(f.raw.startsWith('<filter'), f.raw.slice(0, 20));
    n++;
    for (const e of f.entries) {
      assert.equal(text.slice(e.span.offset, e.span.endOffset), e.raw, `${e.kind} in ${f.name}`);
      assert.ok(e.span.offset >= f.span.offset && e.span.endOffset <= f.span.endOffset);
      assert.ok(e.raw.startsWith(e.kind === 'rule' ? '<rule' : '<filterref'));
      const lineStart = text.lastIndexOf('\n', e.span.offset - 1) + 1;
      assert.equal(e.span.column, e.span.offset - lineStart + 1, 'column matches offset');
      assert.equal(e.span.line, text.slice(0, e.span.offset).split('\n').length, 'line matches offset');
      n++;
    }
  }
  return n;
}
