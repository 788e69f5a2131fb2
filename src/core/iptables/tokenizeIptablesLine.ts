/**
 * Splits one iptables-save / `iptables -S` line into arguments the way iptables-restore does
 * (xshared.c add_param_to_argv): blanks separate, a double-quoted string is one argument (a quote
 * may open mid-word, its close ends the argument), and inside quotes a backslash escapes the next
 * character. `-m comment --comment "Allow \"DHCP\" client"` -> `-m`, `comment`, `--comment`,
 * `Allow "DHCP" client`. An unterminated quote takes the rest of the line as the argument and is
 * reported through `unterminatedQuoteAt` (never thrown).
 *
 * Tokens land in reusable parallel arrays rather than one object each: a 42,000-rule dump has
 * ~600,000 arguments and per-token objects were a third of the parse time in garbage collection.
 */
export class IptablesTokens {
  count = 0;
  /** The argument with quotes removed and escapes resolved. */
  readonly text: string[] = [];
  /** Line-relative offset of the first character (an opening quote included). */
  readonly start: number[] = [];
  /** Line-relative offset after the last character (a closing quote included). */
  readonly end: number[] = [];
  readonly quoted: boolean[] = [];
  /** Offset of an opening quote that never closed, or -1. */
  unterminatedQuoteAt = -1;

  push(text: string, start: number, end: number, quoted: boolean): void {
    const k = this.count++;
    this.text[k] = text;
    this.start[k] = start;
    this.end[k] = end;
    this.quoted[k] = quoted;
  }
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

export function tokenizeIptablesLine(line: string, from: number, out: IptablesTokens): IptablesTokens {
  return tokenizeIptablesRange(line, 0, from, line.length, out);
}

/**
 * The same on a line given by its place in a larger text: `text[lineOffset + from, lineOffset + end)`,
 * positions reported relative to the line. Scanning the whole input in place is faster than
 * scanning a slice of it (V8 reads characters of a sliced string through an indirection).
 */
export function tokenizeIptablesRange(text: string, lineOffset: number, from: number, end: number, out: IptablesTokens): IptablesTokens {
  out.count = 0;
  out.unterminatedQuoteAt = -1;
  const n = lineOffset + end;
  let i = lineOffset + from;
  while (i < n) {
    while (i < n && isBlank(text.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    let token = '';
    let quoted = false;
    while (i < n) {
      const runStart = i;
      let c = text.charCodeAt(i);
      while (c !== 34 && c !== 32 && c !== 9) {
        if (++i >= n) break;
        c = text.charCodeAt(i);
      }
      if (i > runStart) token += text.slice(runStart, i);
      if (i >= n || c !== 34) break;
      // A quote, possibly mid-word; its closing quote ends the argument.
      quoted = true;
      let closed = false;
      i++;
      let qStart = i;
      while (i < n) {
        const q = text.charCodeAt(i);
        if (q === 92 && i + 1 < n) {
          token += text.slice(qStart, i) + text[i + 1]!;
          i += 2;
          qStart = i;
          continue;
        }
        if (q === 34) {
          token += text.slice(qStart, i);
          closed = true;
          i++;
          break;
        }
        i++;
      }
      if (!closed) {
        token += text.slice(qStart, i);
        out.push(token, start - lineOffset, i - lineOffset, quoted);
        out.unterminatedQuoteAt = start - lineOffset;
        return out;
      }
      break;
    }
    out.push(token, start - lineOffset, i - lineOffset, quoted);
  }
  return out;
}
