import fc from 'fast-check';

/**
 * Damage done to real fixtures by the property tests: drop, duplicate or swap lines, truncate,
 * insert a garbage line, overwrite a range with random bytes. Each keeps the text a string.
 */
export type Mutation =
  | { kind: 'drop'; at: number }
  | { kind: 'duplicate'; at: number }
  | { kind: 'swap'; at: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'garbage'; at: number; line: string }
  | { kind: 'bytes'; at: number; bytes: string };

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('garbage' as const), at: fc.nat(), line: fc.string({ maxLength: 80 }) }),
  fc.record({
    kind: fc.constant('bytes' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 24 }).map((b) => Array.from(b, (x) => String.fromCharCode(x)).join('')),
  }),
);

export function mutate(text: string, m: Mutation): string {
  const lines = text.split('\n');
  const i = lines.length === 0 ? 0 : m.at % lines.length;
  switch (m.kind) {
    case 'drop':
      lines.splice(i, 1);
      return lines.join('\n');
    case 'duplicate':
      lines.splice(i, 0, lines[i] ?? '');
      return lines.join('\n');
    case 'swap': {
      const j = (i + 1) % lines.length;
      const a = lines[i] ?? '';
      lines[i] = lines[j] ?? '';
      lines[j] = a;
      return lines.join('\n');
    }
    case 'truncate':
      return text.slice(0, text.length === 0 ? 0 : m.at % text.length);
    case 'garbage':
      lines.splice(i, 0, m.line);
      return lines.join('\n');
    case 'bytes': {
      const at = text.length === 0 ? 0 : m.at % text.length;
      return text.slice(0, at) + m.bytes + text.slice(at + m.bytes.length);
    }
  }
}
