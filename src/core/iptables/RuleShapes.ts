import { checkIptablesOptionValue } from './checkIptablesOptionValue';
import { IPTABLES_TARGETS, STANDARD_TARGETS } from './iptablesExtensions';
import type { IptablesTokens } from './tokenizeIptablesLine';

/**
 * Rule texts that differ from a rule read before only in values that change nothing else about
 * the reading. A Neutron dump's distinct rules are mostly one of a few forms per port:
 * `-m physdev --physdev-in tap0039eddb-b0 --physdev-is-bridged -m comment --comment "..." -j neutron-openvswi-o0039eddb-b`
 * differs from the same line of every other port only in the tap and chain names. Such a text is
 * taken apart into words (as the tokenizer would, quotes and escapes included); a hash of its
 * form (the words but plain ones: unquoted, not an option, not `!`) finds read templates of the
 * same form. Its words must then be a template's, except the "holes": plain words the reader
 * marked with a role (RuleLineContext.roles). A hole's new value passes the same check the reader
 * makes (an address that reads, a target that is a chain, an option value that is well formed),
 * else the text is read in full, which reports what is wrong.
 */
export class ArgumentWords {
  count = 0;
  /** Offsets in the scanned text. */
  readonly start: number[] = [];
  readonly end: number[] = [];
  readonly plain: boolean[] = [];
  /** A hash of the form: the number of words, which are plain, the others' length and ends. */
  key = 0;
}

/**
 * The form of a template's text: its number of words, the holes (indices of plain words that may
 * differ) and their roles, and the text around them (`segments[h]` ends where hole `h` starts;
 * the last one runs to the end).
 */
export interface RuleShape {
  readonly count: number;
  readonly holes: readonly number[];
  readonly roles: readonly string[];
  readonly segments: readonly string[];
}

/** Scans `s[from, to)` into `out`; false for a text with an unterminated quote (not taken apart). */
export function scanWords(s: string, from: number, to: number, out: ArgumentWords): boolean {
  out.count = 0;
  let key = 0;
  let i = from;
  for (;;) {
    while (i < to && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9)) i++;
    if (i >= to) break;
    const w = i;
    let quoted = false;
    while (i < to) {
      const c = s.charCodeAt(i);
      if (c === 32 || c === 9) break;
      if (c === 34) {
        quoted = true;
        i++;
        while (i < to && s.charCodeAt(i) !== 34) i += s.charCodeAt(i) === 92 ? 2 : 1;
        if (i >= to) return false;
      }
      i++;
    }
    const c0 = s.charCodeAt(w);
    const plain = !quoted && c0 !== 45 && !(c0 === 33 && i - w === 1);
    const k = out.count++;
    out.start[k] = w;
    out.end[k] = i;
    out.plain[k] = plain;
    key = (Math.imul(key, 31) + (plain ? 1 : Math.imul(i - w, 131) + Math.imul(c0, 7) + s.charCodeAt(i - 1))) | 0;
  }
  out.key = key;
  return true;
}

const SINGLE_ROLES: ReadonlySet<string> = new Set(['-s', '-d', '-i', '-o', '-j']);

/**
 * The shape of a text just read cleanly: `words` scanned from it, `toks` its tokens (the
 * arguments from token 2 on, positions relative to the line at `lineOffset`), `roles` what the
 * reader said of them. Undefined when words and tokens do not correspond one to one, nothing can
 * vary, or a rule-level option is given twice (the last one wins: not a simple hole).
 */
export function shapeOf(s: string, to: number, words: ArgumentWords, toks: IptablesTokens, lineOffset: number, roles: readonly (string | undefined)[]): RuleShape | undefined {
  if (words.count !== toks.count - 2 || words.count === 0) return undefined;
  const holes: number[] = [];
  const holeRoles: string[] = [];
  for (let w = 0; w < words.count; w++) {
    const k = w + 2;
    if (words.start[w] !== lineOffset + toks.start[k]! || words.end[w] !== lineOffset + toks.end[k]!) return undefined;
    const role = words.plain[w] ? roles[k] : undefined;
    if (role === undefined) continue;
    if (SINGLE_ROLES.has(role) && holeRoles.includes(role)) return undefined;
    holes.push(w);
    holeRoles.push(role);
  }
  if (holes.length === 0) return undefined;
  const segments: string[] = [];
  let from = words.start[0]!;
  for (const w of holes) {
    segments.push(s.slice(from, words.start[w]));
    from = words.end[w]!;
  }
  segments.push(s.slice(from, to));
  return { count: words.count, holes, roles: holeRoles, segments };
}

/**
 * The hole values of `words` (scanned from `s[.., to)`) when its text is the shape's but in the
 * holes, which hold plain words whose values pass their checks; else undefined. Same words around
 * the holes, with the holes at the same word indices, means the same words everywhere else.
 * Addresses are checked by the caller, who reads them anyway.
 */
export function holeValues(s: string, to: number, words: ArgumentWords, shape: RuleShape): string[] | undefined {
  if (words.count !== shape.count) return undefined;
  let from = words.start[0]!;
  for (let h = 0; h < shape.holes.length; h++) {
    const w = shape.holes[h]!;
    if (!words.plain[w] || s.slice(from, words.start[w]) !== shape.segments[h]) return undefined;
    from = words.end[w]!;
  }
  if (s.slice(from, to) !== shape.segments[shape.holes.length]) return undefined;
  const values = new Array<string>(shape.holes.length);
  for (let h = 0; h < shape.holes.length; h++) {
    const w = shape.holes[h]!;
    const v = s.slice(words.start[w], words.end[w]);
    const role = shape.roles[h]!;
    if (role === '-j') {
      if (IPTABLES_TARGETS[v] !== undefined || STANDARD_TARGETS.has(v)) return undefined;
    } else if (!SINGLE_ROLES.has(role) && checkIptablesOptionValue(role, v) !== undefined) return undefined;
    values[h] = v;
  }
  return values;
}
