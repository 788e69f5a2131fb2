/**
 * Safe lookups in the `const` tables keyed by text from the dump: `ownValue(READERS, 'constructor')`
 * is `undefined`, not Object's constructor, and `setOwnValue(attrs, '__proto__', v)` stores a
 * plain property instead of changing the prototype. Dumps are untrusted text.
 */
export function ownValue<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

export function setOwnValue<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}
