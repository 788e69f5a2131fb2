/**
 * Whitespace splitting that keeps columns, for the space-aligned iproute2 / net-tools dumps.
 * Besides space and tab it treats NBSP and the other Unicode spaces as blanks: dumps pasted from
 * web pages (the seed blog posts) are full of them. Never throws; empty input gives no tokens.
 */
export interface Token {
  readonly text: string;
  /** 0-based start column within the tokenized string. */
  readonly start: number;
  /** 0-based exclusive end column. */
  readonly end: number;
}

export function isBlankCode(c: number): boolean {
  return c === 32 || c === 9 || c === 0xa0 || c === 13 || c === 11 || c === 12 || c === 0x3000 || c === 0x202f ||
    c === 0xfeff || (c >= 0x2000 && c <= 0x200b);
}

export function tokenize(s: string): Token[] {
  const out: Token[] = [];
  const n = s.length;
  let i = 0;
  while (i < n) {
    while (i < n && isBlankCode(s.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && !isBlankCode(s.charCodeAt(i))) i++;
    out.push({ text: s.slice(start, i), start, end: i });
  }
  return out;
}

/** The texts of `tokens[from..]`. */
export function tokenTexts(tokens: readonly Token[], from = 0): string[] {
  const out: string[] = [];
  for (let i = from; i < tokens.length; i++) out.push(tokens[i]!.text);
  return out;
}

/** True when some token is exactly `word`. */
export function hasToken(tokens: readonly Token[], word: string): boolean {
  for (const t of tokens) if (t.text === word) return true;
  return false;
}

/** Index of the first non-blank character, or `s.length`. */
export function firstNonBlank(s: string): number {
  let i = 0;
  while (i < s.length && isBlankCode(s.charCodeAt(i))) i++;
  return i;
}

/** Index just after the last non-blank character, or 0. */
export function endOfNonBlank(s: string): number {
  let i = s.length;
  while (i > 0 && isBlankCode(s.charCodeAt(i - 1))) i--;
  return i;
}

export function isBlankLine(s: string): boolean {
  return firstNonBlank(s) === s.length;
}

/** Decimal integer that fits a JS number exactly, else undefined (`'0x10'`, `'1e3'`, `''` are not). */
export function parseDecimal(text: string): number | undefined {
  if (!/^\d{1,15}$/.test(text)) return undefined;
  return Number(text);
}

/** `0x1f`, `31`: the number forms iproute2 prints for marks and masks. */
export function parseIntAuto(text: string): number | undefined {
  if (/^0x[0-9a-f]{1,8}$/i.test(text)) return parseInt(text.slice(2), 16);
  return parseDecimal(text);
}
