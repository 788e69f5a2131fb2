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
  out.count = 0;
  out.unterminatedQuoteAt = -1;
  const n = line.length;
  if (!line.includes('"', from)) {
    let i = from;
    while (i < n) {
      while (i < n && isBlank(line.charCodeAt(i))) i++;
      if (i >= n) break;
      const start = i;
      while (i < n && !isBlank(line.charCodeAt(i))) i++;
      out.push(line.slice(start, i), start, i, false);
    }
    return out;
  }
  let i = from;
  while (i < n) {
    while (i < n && isBlank(line.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    let text = '';
    let quoted = false;
    while (i < n) {
      const runStart = i;
      while (i < n && line.charCodeAt(i) !== 34 && !isBlank(line.charCodeAt(i))) i++;
      if (i > runStart) text += line.slice(runStart, i);
      if (i >= n || line.charCodeAt(i) !== 34) break;
      // A quote, possibly mid-word; its closing quote ends the argument.
      quoted = true;
      let closed = false;
      i++;
      let qStart = i;
      while (i < n) {
        const q = line.charCodeAt(i);
        if (q === 92 && i + 1 < n) {
          text += line.slice(qStart, i) + line[i + 1]!;
          i += 2;
          qStart = i;
          continue;
        }
        if (q === 34) {
          text += line.slice(qStart, i);
          closed = true;
          i++;
          break;
        }
        i++;
      }
      if (!closed) {
        text += line.slice(qStart, i);
        out.push(text, start, i, quoted);
        out.unterminatedQuoteAt = start;
        return out;
      }
      break;
    }
    out.push(text, start, i, quoted);
  }
  return out;
}
