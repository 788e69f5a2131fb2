/**
 * Finds the elements of `ip -j` output by offset without building a tree: `ip -j` prints one
 * line, so a span needs the columns of each top-level array element (and of each `addr_info`
 * entry). Only strings and brackets are tracked here; each element is then handed to JSON.parse.
 * Linear in the input; never throws; deep nesting uses an explicit stack.
 */
export interface JsonRange {
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
}

export interface JsonSyntaxError {
  readonly offset: number;
  readonly message: string;
}

export interface TopLevelScan {
  readonly elements: JsonRange[];
  readonly error?: JsonSyntaxError;
}

function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

export function skipJsonWs(s: string, i: number, end = s.length): number {
  while (i < end && isWs(s.charCodeAt(i))) i++;
  return i;
}

/** `s[i]` is `"`; returns the index after the closing quote, or -1 when unterminated. */
export function skipJsonString(s: string, i: number, end = s.length): number {
  let j = i + 1;
  for (;;) {
    const q = s.indexOf('"', j);
    if (q === -1 || q >= end) return -1;
    let b = q - 1;
    let slashes = 0;
    while (b > i && s.charCodeAt(b) === 92) { slashes++; b--; }
    if (slashes % 2 === 0) return q + 1;
    j = q + 1;
  }
}

/** The end of the value starting at `i` (bracket and string aware, not validating scalars). */
export function skipJsonValue(s: string, i: number, end = s.length): number | JsonSyntaxError {
  const c = s.charCodeAt(i);
  if (c === 34) {
    const e = skipJsonString(s, i, end);
    return e === -1 ? { offset: i, message: 'unterminated string' } : e;
  }
  if (c !== 123 && c !== 91) {
    let j = i;
    while (j < end) {
      const d = s.charCodeAt(j);
      if (d === 44 || d === 93 || d === 125 || isWs(d)) break;
      j++;
    }
    return j === i ? { offset: i, message: `unexpected '${s[i] ?? ''}' where a value was expected` } : j;
  }
  const closers: number[] = [];
  for (let j = i; j < end; j++) {
    const d = s.charCodeAt(j);
    if (d === 34) {
      const e = skipJsonString(s, j, end);
      if (e === -1) return { offset: j, message: 'unterminated string' };
      j = e - 1;
    } else if (d === 123) closers.push(125);
    else if (d === 91) closers.push(93);
    else if (d === 125 || d === 93) {
      if (closers.pop() !== d) return { offset: j, message: `unexpected '${s[j]}' (brackets do not match)` };
      if (closers.length === 0) return j + 1;
    }
  }
  return { offset: end, message: `unexpected end of input inside ${c === 123 ? 'an object' : 'an array'} (truncated dump?)` };
}

/**
 * The elements of the top-level array(s): `[{...},{...}]`, several arrays one after another
 * (dumps of several namespaces concatenated), or a lone top-level object (one element). Stops at
 * the first syntax error and returns the elements found before it.
 */
export function scanTopLevel(s: string): TopLevelScan {
  const elements: JsonRange[] = [];
  const n = s.length;
  let i = skipJsonWs(s, 0);
  if (s.charCodeAt(i) === 0xfeff) i = skipJsonWs(s, i + 1);
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 123) {
      const e = skipJsonValue(s, i);
      if (typeof e !== 'number') return { elements, error: e };
      elements.push({ start: i, end: e });
      i = skipJsonWs(s, e);
      continue;
    }
    if (c !== 91) return { elements, error: { offset: i, message: `expected '[' to start an ip -j array, found '${s[i]}'` } };
    i = skipJsonWs(s, i + 1);
    if (s.charCodeAt(i) === 93) {
      i = skipJsonWs(s, i + 1);
      continue;
    }
    for (;;) {
      if (i >= n) return { elements, error: { offset: n, message: 'unexpected end of input inside the array (truncated dump?)' } };
      const e = skipJsonValue(s, i);
      if (typeof e !== 'number') return { elements, error: e };
      elements.push({ start: i, end: e });
      i = skipJsonWs(s, e);
      const d = s.charCodeAt(i);
      if (d === 44) { i = skipJsonWs(s, i + 1); continue; }
      if (d === 93) { i = skipJsonWs(s, i + 1); break; }
      return { elements, error: { offset: i, message: i >= n ? 'unexpected end of input inside the array (truncated dump?)' : `expected ',' or ']' after an element, found '${s[i]}'` } };
    }
  }
  return { elements };
}

/** The ranges of the elements of the array value of `key` in the object at `objStart`, if any. */
export function arrayElementsOfKey(s: string, objStart: number, objEnd: number, key: string): JsonRange[] | undefined {
  if (s.charCodeAt(objStart) !== 123) return undefined;
  let i = skipJsonWs(s, objStart + 1, objEnd);
  while (i < objEnd && s.charCodeAt(i) === 34) {
    const kEnd = skipJsonString(s, i, objEnd);
    if (kEnd === -1) return undefined;
    const k = s.slice(i + 1, kEnd - 1);
    i = skipJsonWs(s, kEnd, objEnd);
    if (s.charCodeAt(i) !== 58) return undefined;
    i = skipJsonWs(s, i + 1, objEnd);
    const vEnd = skipJsonValue(s, i, objEnd);
    if (typeof vEnd !== 'number') return undefined;
    if (k === key) return s.charCodeAt(i) === 91 ? splitArray(s, i, vEnd) : undefined;
    i = skipJsonWs(s, vEnd, objEnd);
    if (s.charCodeAt(i) !== 44) return undefined;
    i = skipJsonWs(s, i + 1, objEnd);
  }
  return undefined;
}

function splitArray(s: string, start: number, end: number): JsonRange[] {
  const out: JsonRange[] = [];
  let i = skipJsonWs(s, start + 1, end);
  while (i < end && s.charCodeAt(i) !== 93) {
    const e = skipJsonValue(s, i, end);
    if (typeof e !== 'number') break;
    out.push({ start: i, end: e });
    i = skipJsonWs(s, e, end);
    if (s.charCodeAt(i) === 44) i = skipJsonWs(s, i + 1, end);
  }
  return out;
}
