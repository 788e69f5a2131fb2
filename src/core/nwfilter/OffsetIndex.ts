import type { Span } from '../text/Span';

/**
 * Offset -> 1-based line and column for text whose entities are found by offset (XML elements),
 * not line by line. Built once in linear time; each lookup is a binary search.
 * `\r\n` counts as one line break; the `\r` belongs to the line it ends.
 */
export class OffsetIndex {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (this.starts[lo] ?? 0) + 1 };
  }

  span(file: string, offset: number, endOffset: number): Span {
    const a = this.position(offset);
    const b = this.position(endOffset);
    return { file, line: a.line, column: a.column, endLine: b.line, endColumn: b.column, offset, endOffset };
  }

  /** The text of the line holding `offset`, for diagnostics' `raw`. */
  lineText(offset: number): string {
    const { line } = this.position(offset);
    const start = this.starts[line - 1] ?? 0;
    const next = this.starts[line];
    return this.text.slice(start, next === undefined ? this.text.length : next - 1).replace(/\r$/, '');
  }
}
