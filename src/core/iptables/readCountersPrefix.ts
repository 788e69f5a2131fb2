import type { IptablesCounters } from './IptablesModel';

/**
 * The `[packets:bytes]` prefix of an iptables-save `-c` line: `[12:840] -A FORWARD ...`.
 * Split in two so a reader can check the prefix on every line (no allocation) and build the
 * counters only when someone asks for them (TemplateRule does so lazily).
 */

/**
 * Where the command starts after the `[` at `s[start]` (blanks after `]` skipped), or -1 when the
 * prefix is malformed (`[12]`, `[a:b]`, no `]`). `end` bounds the line. A hand-rolled scan: it runs
 * on every line of `-c` dumps.
 */
export function countersPrefixEnd(s: string, start: number, end: number): number {
  let i = start + 1;
  const p0 = i;
  while (i < end && isDigit(s.charCodeAt(i))) i++;
  if (i === p0 || s.charCodeAt(i) !== 58) return -1; // ':'
  i++;
  const b0 = i;
  while (i < end && isDigit(s.charCodeAt(i))) i++;
  if (i === b0 || s.charCodeAt(i) !== 93) return -1; // ']'
  i++;
  while (i < end && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9)) i++;
  return i;
}

/** The counters of the prefix at `s[start]`, which countersPrefixEnd found well-formed. */
export function readCountersPrefix(s: string, start: number): IptablesCounters {
  const p0 = start + 1;
  let p1 = p0;
  while (isDigit(s.charCodeAt(p1))) p1++;
  const b0 = p1 + 1;
  let b1 = b0;
  while (isDigit(s.charCodeAt(b1))) b1++;
  // `[0:0]` is most rules of many dumps: they share one (read-only) counters object.
  if (p1 === p0 + 1 && b1 === b0 + 1 && s.charCodeAt(p0) === 48 && s.charCodeAt(b0) === 48) return ZERO_COUNTERS;
  return { packets: digitsToBigInt(s, p0, p1), bytes: digitsToBigInt(s, b0, b1) };
}

const ZERO_COUNTERS: IptablesCounters = { packets: 0n, bytes: 0n };

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** `s[from, to)`, all digits, as a bigint: through a number when it is exact (twice as fast as parsing a string). */
function digitsToBigInt(s: string, from: number, to: number): bigint {
  if (to - from > 15) return BigInt(s.slice(from, to));
  let v = 0;
  for (let k = from; k < to; k++) v = v * 10 + (s.charCodeAt(k) - 48);
  return BigInt(v);
}
