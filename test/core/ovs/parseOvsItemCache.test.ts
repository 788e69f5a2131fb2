import { strict as assert } from 'node:assert';
import { parseOvsDumpFlows } from '../../../src/core/ovs/parseOvsDumpFlows';

/**
 * The dump-flows reader reads a repeated match item or action once and shares the result. That
 * must be invisible: every line keeps its own spans and raw text, a bad item is reported on every
 * line it appears on, and the JSON form of a field is the plain object it always was.
 */
describe('parseOvsDumpFlows: repeated items and actions', () => {
  const good = ' cookie=0x1, table=71, priority=95,arp,reg5=0x9,in_port=9 actions=load:0x9->NXM_NX_REG5[],resubmit(,94)';
  const text = [good, `  ${good.trim()}`, ' table=0, priority=10,reg5=0xzz,in_port=9 actions=bogus_action:1', ' table=0, priority=10,reg5=0xzz,in_port=9 actions=bogus_action:1', ''].join('\n');
  const r = parseOvsDumpFlows(text, { file: 'f' });

  it('each line keeps its own spans, raw texts and line numbers', () => {
    const [a, b] = r.value.flows;
    assert.ok(a && b);
    for (const f of [a, b]) {
      for (const m of f.match.fields) assert.equal(text.slice(m.span.offset, m.span.endOffset), m.raw);
      for (const x of f.actions) assert.equal(text.slice(x.span.offset, x.span.endOffset), x.raw);
      assert.equal(text.slice(f.matchSpan.offset, f.matchSpan.endOffset), f.match.raw);
    }
    assert.deepEqual(a.match.fields.map((m) => m.span.line), [1, 1, 1]);
    assert.deepEqual(b.match.fields.map((m) => m.span.line), [2, 2, 2]);
    assert.deepEqual(b.match.fields.map((m) => m.span.column), a.match.fields.map((m) => m.span.column + 1));
    assert.deepEqual(b.actions.map((x) => x.span.line), [2, 2]);
    assert.deepEqual(a.match.fields.map((m) => m.field), ['eth_type', 'reg5', 'in_port']);
  });

  it('a bad item and an unknown action are reported on every line', () => {
    const lines = (pred: (m: string) => boolean): number[] => r.diagnostics.filter((d) => pred(d.message)).map((d) => d.line);
    assert.deepEqual(lines((m) => m.includes('reg5')), [3, 4]);
    assert.deepEqual(lines((m) => m.includes('bogus_action')), [3, 4]);
    assert.equal(r.value.flows[2]?.match.unread.length, 1);
    assert.equal(r.value.flows[3]?.actions[0]?.kind, 'unknown');
  });

  it('a field serialises as the plain object it always was', () => {
    const f = r.value.flows[1]?.match.fields[0];
    assert.ok(f);
    const json = JSON.parse(JSON.stringify(f, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))) as Record<string, unknown>;
    assert.deepEqual(Object.keys(json), ['field', 'value', 'text', 'nameAsWritten', 'raw', 'span', 'shorthand']);
    const col = `  ${good.trim()}`.indexOf(',arp,') + 1;
    assert.deepEqual(json['span'], { file: 'f', line: 2, column: col + 1, endLine: 2, endColumn: col + 4, offset: good.length + 1 + col, endOffset: good.length + 1 + col + 3 });
  });
});
