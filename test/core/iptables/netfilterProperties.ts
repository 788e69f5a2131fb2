import fc from 'fast-check';

/**
 * Mutations of a real dump, line-wise and byte-wise, for property tests of every netfilter
 * parser: drop, duplicate or swap lines, truncate anywhere, insert garbage lines, replace random
 * characters (NUL and non-ASCII included).
 */
export function mutatedDump(text: string): fc.Arbitrary<string> {
  const lines = text.split('\n');
  const garbage = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.constantFrom('-A', '-A INPUT -m', '*', ':', '[1:2]', 'Chain', 'Chain X (', 'COMMIT', '-P', '"', '! !', '-s ! !', 'Name:', 'Members:', 'add', 'create x', 'src=', 'cpu=', '[ASSURED]', '/* unterminated', 'to:', 'PHYSDEV match --physdev-in'),
  );
  const lineOps = fc.array(
    fc.oneof(
      fc.record({ op: fc.constant('drop' as const), at: fc.nat() }),
      fc.record({ op: fc.constant('dup' as const), at: fc.nat() }),
      fc.record({ op: fc.constant('swap' as const), at: fc.nat() }),
      fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: garbage }),
    ),
    { maxLength: 6 },
  ).map((ops) => {
    const out = [...lines];
    for (const o of ops) {
      const at = out.length === 0 ? 0 : o.at % out.length;
      if (o.op === 'drop') out.splice(at, 1);
      else if (o.op === 'dup') out.splice(at, 0, out[at] ?? '');
      else if (o.op === 'swap' && at + 1 < out.length) [out[at], out[at + 1]] = [out[at + 1]!, out[at]!];
      else if (o.op === 'insert') out.splice(at, 0, o.text);
    }
    return out.join('\n');
  });
  const truncated = fc.nat({ max: text.length }).map((n) => text.slice(0, n));
  const bytes = fc.array(fc.record({ at: fc.nat(), ch: fc.oneof(fc.constantFrom('\u0000', '"', '!', ' ', '\n', '\r', '\t', '/', ':', '-', '\u00e9', '\ufffd'), fc.string({ minLength: 1, maxLength: 1 })) }), { maxLength: 12 }).map((subs) => {
    const chars = [...text];
    for (const s of subs) if (chars.length > 0) chars[s.at % chars.length] = s.ch;
    return chars.join('');
  });
  return fc.oneof(lineOps, truncated, bytes);
}
