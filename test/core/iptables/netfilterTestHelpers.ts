import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { IptablesRule, IptablesRuleset } from '../../../src/core/iptables/IptablesModel';
import type { Diagnostic } from '../../../src/core/text/Diagnostic';
import type { Span } from '../../../src/core/text/Span';

/** Shared by the iptables, ipset and conntrack tests. */
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

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** `text.slice(span) === raw` and line/column agree with offsets, for every entity given. */
export function assertSpans(text: string, entities: readonly { readonly raw: string; readonly span: Span }[]): void {
  const starts = lineStarts(text);
  for (const e of entities) {
    assert.equal(text.slice(e.span.offset, e.span.endOffset), e.raw, `span of ${JSON.stringify(e.raw.slice(0, 80))}`);
    assert.equal(starts[e.span.line - 1]! + e.span.column - 1, e.span.offset, `line/column vs offset of ${JSON.stringify(e.raw.slice(0, 60))}`);
    assert.equal(starts[e.span.endLine - 1]! + e.span.endColumn - 1, e.span.endOffset, 'endLine/endColumn vs endOffset');
  }
}

/** Tables, chains and rules round-trip; every option span lies inside its rule's line. */
export function assertRulesetSpans(text: string, rs: IptablesRuleset): void {
  assertSpans(text, rs.tables);
  for (const t of rs.tables) {
    assertSpans(text, t.chains);
    for (const c of t.chains) {
      assertSpans(text, c.rules);
      for (const r of c.rules) {
        for (const o of [...r.matches.flatMap((m) => m.options), ...(r.target?.options ?? [])]) {
          const s = o.span;
          assert.ok(s, `option ${o.name} has a span`);
          assert.ok(s.line === r.span.line && s.offset >= r.span.offset && s.endOffset <= r.span.endOffset, `option ${o.name} inside rule ${r.raw}`);
        }
      }
    }
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

export function allRules(rs: IptablesRuleset): IptablesRule[] {
  return rs.tables.flatMap((t) => t.chains.flatMap((c) => [...c.rules]));
}

/**
 * A rule as one line of save-like text, for comparing forms: `p=udp | s=0.0.0.0/32 | -m udp
 * --sport 68 | -j RETURN`. Addresses are written as networks with their prefix.
 */
export function canonicalRule(r: IptablesRule): string {
  const neg = (n: boolean): string => (n ? '!' : '');
  const cidr = (c: { text: string; prefixLength: number }): string => (c.text.includes('/') ? c.text : `${c.text}/${c.prefixLength}`);
  const parts: string[] = [];
  if (r.protocol) parts.push(`${neg(r.protocol.negated)}p=${r.protocol.value}`);
  if (r.source) parts.push(`${neg(r.source.negated)}s=${cidr(r.source.value)}`);
  if (r.destination) parts.push(`${neg(r.destination.negated)}d=${cidr(r.destination.value)}`);
  if (r.inInterface) parts.push(`${neg(r.inInterface.negated)}i=${r.inInterface.value}`);
  if (r.outInterface) parts.push(`${neg(r.outInterface.negated)}o=${r.outInterface.value}`);
  if (r.fragment) parts.push(`${neg(r.fragment.negated)}f`);
  const opts = (os: readonly { name: string; negated: boolean; values: readonly string[] }[]): string =>
    os.map((o) => `${o.negated ? '! ' : ''}${o.name}${o.values.map((v) => ` ${v}`).join('')}`).join(' ');
  for (const m of r.matches) parts.push(`-m ${m.module} ${opts(m.options)}`.trimEnd());
  if (r.target) parts.push(`-${r.target.kind === 'goto' ? 'g' : 'j'} ${r.target.name} ${opts(r.target.options)}`.trimEnd());
  return parts.join(' | ');
}
