/**
 * Orders picks with the most recently used first (in `recent` order, newest first), the rest
 * after them in their own order. No vscode import: tested in plain Node.
 */
export function recentFirst<T>(items: readonly T[], key: (t: T) => string, recent: readonly string[]): T[] {
  const rank = new Map(recent.map((k, i) => [k, i] as const));
  return items
    .map((item, index) => ({ item, index, r: rank.get(key(item)) }))
    .sort((a, b) => (a.r ?? Number.MAX_SAFE_INTEGER) - (b.r ?? Number.MAX_SAFE_INTEGER) || a.index - b.index)
    .map((x) => x.item);
}

/** `recent` with `key` moved to the front, at most `max` long. */
export function touchRecent(recent: readonly string[], key: string, max = 20): string[] {
  return [key, ...recent.filter((k) => k !== key)].slice(0, max);
}
