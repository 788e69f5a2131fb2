import { strict as assert } from 'node:assert';
import { recentFirst, touchRecent } from '../../src/vscode/recentFirst';

describe('recentFirst (the host quick pick of "Explain…")', () => {
  it('puts the most recently used first, keeps the rest in order', () => {
    const items = ['a', 'b', 'c', 'd'];
    assert.deepEqual(recentFirst(items, (x) => x, ['c', 'a']), ['c', 'a', 'b', 'd']);
    assert.deepEqual(recentFirst(items, (x) => x, []), items);
    assert.deepEqual(recentFirst(items, (x) => x, ['gone', 'd']), ['d', 'a', 'b', 'c']);
  });

  it('touchRecent moves a key to the front and bounds the list', () => {
    assert.deepEqual(touchRecent(['a', 'b', 'c'], 'c'), ['c', 'a', 'b']);
    assert.deepEqual(touchRecent(['a', 'b'], 'x', 2), ['x', 'a']);
  });
});
