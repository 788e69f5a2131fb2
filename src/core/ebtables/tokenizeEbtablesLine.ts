/**
 * Splits one line of ebtables output into whitespace-separated tokens with their columns, so
 * every option can get its own span. Double-quoted text is one token (`--log-prefix "spoof drop"`);
 * `text` keeps the quotes, `value` drops them. An unterminated quote runs to the end of the line.
 * `-A FORWARD -i tap0 -j ACCEPT` -> 6 tokens.
 */
export interface EbtablesToken {
  readonly text: string;
  /** The token without surrounding double quotes. */
  readonly value: string;
  /** 0-based column of the first character in the line. */
  readonly start: number;
  /** 0-based column after the last character. */
  readonly end: number;
}

export function tokenizeEbtablesLine(line: string, from = 0, to = line.length): EbtablesToken[] {
  const tokens: EbtablesToken[] = [];
  let i = from;
  while (i < to) {
    const c = line.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    const start = i;
    if (c === 34) {
      i++;
      while (i < to && line.charCodeAt(i) !== 34) {
        if (line.charCodeAt(i) === 92 && i + 1 < to) i++;
        i++;
      }
      if (i < to) i++;
      // A quoted prefix glued to more text ("a"b) stays one token, like a shell word.
      while (i < to && line.charCodeAt(i) !== 32 && line.charCodeAt(i) !== 9) i++;
      const text = line.slice(start, i);
      const closed = text.length >= 2 && text.endsWith('"');
      tokens.push({ text, value: closed ? text.slice(1, -1).replace(/\\"/g, '"') : text.slice(1), start, end: i });
      continue;
    }
    while (i < to && line.charCodeAt(i) !== 32 && line.charCodeAt(i) !== 9) i++;
    const text = line.slice(start, i);
    tokens.push({ text, value: text, start, end: i });
  }
  return tokens;
}

/** A copy of `token` with its last `n` characters removed (`foo,` -> `foo`). */
export function trimTokenEnd(token: EbtablesToken, n: number): EbtablesToken {
  const text = token.text.slice(0, token.text.length - n);
  return { text, value: text, start: token.start, end: token.end - n };
}

/**
 * Legacy ebtables prints `--Lc` counters right after a chain name or an extension's last value
 * with no space: `-j libvirt-I-tap0, pcnt = 0 -- bcnt = 0`, `--mark-target CONTINUE, pcnt = ...`.
 * Splits such `X,` tokens (followed by `pcnt`) into `X` and `,`. `glued` tells the caller the
 * listing came from legacy ebtables.
 */
export function splitGluedPcntComma(tokens: EbtablesToken[]): { tokens: EbtablesToken[]; glued: boolean } {
  let any = false;
  for (let i = 0; i + 1 < tokens.length && !any; i++) {
    const t = tokens[i];
    any = t !== undefined && t.text.length > 1 && t.text.endsWith(',') && tokens[i + 1]?.text === 'pcnt';
  }
  if (!any) return { tokens, glued: false };
  let glued = false;
  const out: EbtablesToken[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t) continue;
    if (t.text.length > 1 && t.text.endsWith(',') && tokens[i + 1]?.text === 'pcnt') {
      out.push(trimTokenEnd(t, 1), { text: ',', value: ',', start: t.end - 1, end: t.end });
      glued = true;
    } else {
      out.push(t);
    }
  }
  return { tokens: out, glued };
}
