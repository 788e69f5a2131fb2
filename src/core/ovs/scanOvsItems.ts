/**
 * Splits an OVS key/value list the way OVS's own `ofputil_parse_key_value` does, keeping
 * positions: items are separated by commas or white space; an item is `key`, `key=value`,
 * `key:value` or `key(value)`; a value runs to the next top-level separator, skipping nested
 * parentheses and "quoted strings". So `ct(commit,zone=NXM_NX_REG6[0..15],exec(set_field:1->ct_mark)),output:2`
 * gives two items, and `bundle(eth_src,0,active_backup,ofport,members:1,2)` one.
 * The special OVS form `check_pkt_larger(1500)->NXM_NX_REG0[0]` is one item whose value is
 * `1500)->NXM_NX_REG0[0]`, as in OVS. Linear; never throws; an unclosed `(` or `"` runs to `end`
 * and is flagged `unclosed`.
 */
export interface OvsItem {
  /** Start of the key (0-based, in the scanned string). */
  readonly start: number;
  /** End of the whole item, after the value and any closing parenthesis. */
  readonly end: number;
  readonly keyEnd: number;
  /** What followed the key: `''` for a bare word. */
  readonly delim: '' | ':' | '=' | '(';
  readonly valueStart: number;
  readonly valueEnd: number;
  /** A `(` or `"` was not closed before `end`. */
  readonly unclosed: boolean;
}

/** Character classes by code (ASCII only; everything else is an ordinary character). */
const SEPARATOR = 1;
const KEY_END = 2;
/** A character the key or value loops must look at (everything else is skipped with one test). */
const KEY_STOP = 4;
const VALUE_STOP = 8;
const CLASS = (() => {
  const t = new Uint8Array(128);
  // ',' ' ' '\t' '\r' '\n' separate items; ':' '=' '(' end a key too.
  for (const c of [44, 32, 9, 13, 10]) t[c] = SEPARATOR | KEY_END | KEY_STOP | VALUE_STOP;
  for (const c of [58, 61, 40]) t[c] = KEY_END | KEY_STOP;
  t[34] = KEY_STOP | VALUE_STOP; // "
  t[40] = KEY_END | KEY_STOP | VALUE_STOP; // (
  t[41] = VALUE_STOP; // )
  return t;
})();

function isSeparator(c: number): boolean {
  return c < 128 && (CLASS[c]! & SEPARATOR) !== 0;
}

/** Skips a "quoted string" starting at `i` (on the quote); returns the index after it, or -1. */
function skipQuoted(text: string, i: number, end: number): number {
  let j = i + 1;
  while (j < end) {
    const c = text.charCodeAt(j);
    if (c === 92) { j += 2; continue; } // backslash escape
    if (c === 34) return j + 1;
    j++;
  }
  return -1;
}

/** Second result of scanValue (a result object per value was most of the scanner's garbage). */
let scannedUnclosed = false;

/**
 * Scans a value from `i` until a separator (or, with `stopAtParen`, the closing parenthesis) at
 * nesting depth 0. Returns the stop index; `scannedUnclosed` says whether something was left unclosed.
 */
function scanValue(text: string, i: number, end: number, stopAtParen: boolean): number {
  let depth = 0;
  let j = i;
  scannedUnclosed = false;
  while (j < end) {
    const c = text.charCodeAt(j);
    if (c >= 128 || (CLASS[c]! & VALUE_STOP) === 0) {
      j++;
      continue;
    }
    if (c === 34) {
      const k = skipQuoted(text, j, end);
      if (k === -1) {
        scannedUnclosed = true;
        return end;
      }
      j = k;
      continue;
    }
    if (c === 40) { depth++; j++; continue; }
    if (c === 41) {
      if (depth === 0) {
        if (stopAtParen) return j;
        j++;
        continue;
      }
      depth--;
      j++;
      continue;
    }
    if (depth === 0 && !stopAtParen && isSeparator(c)) return j;
    j++;
  }
  scannedUnclosed = depth > 0 || stopAtParen;
  return end;
}

/**
 * The item found by the last `scanOvsItemAt` (module state, like `scannedUnclosed`: readers that
 * scan 20,000 lines need no object per item). Valid until the next call.
 */
export const scanned = { start: 0, end: 0, keyEnd: 0, delim: '' as OvsItem['delim'], valueStart: 0, valueEnd: 0, unclosed: false };

/**
 * Scans the item that starts at or after `i` (separators skipped) in `text[i, end)` into `scanned`.
 * Returns the index to continue from, or -1 when only separators were left.
 */
export function scanOvsItemAt(text: string, i: number, end: number): number {
  while (i < end && isSeparator(text.charCodeAt(i))) i++;
  if (i >= end) return -1;
  const itemStart = i;
  let k = i;
  while (k < end) {
    const c = text.charCodeAt(k);
    if (c < 128 && (CLASS[c]! & KEY_STOP) !== 0) {
      if ((CLASS[c]! & KEY_END) !== 0) break;
    } else {
      k++;
      continue;
    }
    // A quoted bare word (`"patch-int"` as an action) is one key.
    if (c === 34) {
      const q = skipQuoted(text, k, end);
      k = q === -1 ? end : q;
      continue;
    }
    k++;
  }
  const keyEnd = k;
  const dc = k < end ? text.charCodeAt(k) : -1;
  const out = scanned;
  out.start = itemStart;
  out.keyEnd = keyEnd;
  if (dc === 58 || dc === 61) {
    const pos = scanValue(text, k + 1, end, false);
    out.end = pos;
    out.delim = dc === 58 ? ':' : '=';
    out.valueStart = k + 1;
    out.valueEnd = pos;
    out.unclosed = scannedUnclosed;
    i = pos;
  } else if (dc === 40) {
    const pos = scanValue(text, k + 1, end, true);
    const unclosed = scannedUnclosed;
    let valueEnd = pos;
    let itemEnd = unclosed ? end : pos + 1;
    // OVS special case "(x)->y": the value continues past the parenthesis.
    if (!unclosed && text.charCodeAt(itemEnd) === 45 && text.charCodeAt(itemEnd + 1) === 62 && itemEnd + 1 < end) {
      const more = scanValue(text, itemEnd, end, false);
      valueEnd = more;
      itemEnd = more;
    }
    out.end = itemEnd;
    out.delim = '(';
    out.valueStart = k + 1;
    out.valueEnd = valueEnd;
    out.unclosed = unclosed;
    i = itemEnd;
  } else {
    out.end = keyEnd;
    out.delim = '';
    out.valueStart = keyEnd;
    out.valueEnd = keyEnd;
    out.unclosed = false;
    i = keyEnd;
  }
  return i === itemStart ? i + 1 : i; // never loop on a stray character
}

export function scanOvsItems(text: string, start = 0, end = text.length): OvsItem[] {
  const items: OvsItem[] = [];
  let i = start;
  const s = scanned;
  while (i < end) {
    i = scanOvsItemAt(text, i, end);
    if (i === -1) break;
    items.push({ start: s.start, end: s.end, keyEnd: s.keyEnd, delim: s.delim, valueStart: s.valueStart, valueEnd: s.valueEnd, unclosed: s.unclosed });
  }
  return items;
}
