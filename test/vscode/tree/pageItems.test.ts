import { strict as assert } from 'node:assert';
import { pageItems, PAGE_SIZE } from '../../../src/vscode/tree/pageItems';

/** Issue 5: "a chain with 10,000 rules or a table with 50,000 flows must not freeze the view". */
describe('pageItems (tree paging)', () => {
  it('shows 500 of 50,000 flows, then 500 more per click, without copying the list for a full page', () => {
    const flows = Array.from({ length: 50_000 }, (_, i) => i);
    const first = pageItems(flows, PAGE_SIZE);
    assert.equal(PAGE_SIZE, 500);
    assert.deepEqual([first.items.length, first.total, first.next], [500, 50_000, 500]);
    assert.equal(first.items[499], 499);
    const last = pageItems(flows, 49_800);
    assert.deepEqual([last.items.length, last.next], [49_800, 200]);
    const all = pageItems(flows, 60_000);
    assert.equal(all.items, flows);
    assert.equal(all.next, 0);
  });

  it('a short list is shown whole with no "more" node; odd inputs are clamped', () => {
    const rules = ['a', 'b'];
    assert.deepEqual(pageItems(rules, 500), { items: rules, total: 2, next: 0 });
    assert.deepEqual(pageItems(rules, -5), { items: [], total: 2, next: 2 });
  });

  it('building one page of 10,000 rules costs the page, not the chain', () => {
    const rules = Array.from({ length: 10_000 }, (_, i) => ({ raw: `-A c -s 10.0.${i >> 8}.${i & 255}/32 -j DROP` }));
    let built = 0;
    const t0 = process.hrtime.bigint();
    const nodes = pageItems(rules, PAGE_SIZE).items.map((r) => { built++; return r.raw; });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    assert.equal(built, 500);
    assert.equal(nodes.length, 500);
    assert.ok(ms < 50, `${ms} ms`);
  });
});
