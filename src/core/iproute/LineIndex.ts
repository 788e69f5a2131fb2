import type { Span } from '../text/Span';

/**
 * Offsets -> (line, column) for inputs whose entities are found by offset (JSON). The table of line
 * starts is built once, on first use, in one pass; each lookup is a binary search.
 */
export class LineIndex {
  private starts: number[] | undefined;
  constructor(private readonly text: string) {}

  private lineStarts(): number[] {
    if (this.starts) return this.starts;
    const s = [0];
    for (let i = this.text.indexOf('\n'); i !== -1; i = this.text.indexOf('\n', i + 1)) s.push(i + 1);
    this.starts = s;
    return s;
  }

  /** 1-based line and column of an offset (an offset at the end gives the last position + 1). */
  position(offset: number): { line: number; column: number } {
    const s = this.lineStarts();
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - s[lo]! + 1 };
  }

  span(file: string, offset: number, endOffset: number): Span {
    const a = this.position(offset);
    const b = this.position(endOffset);
    return { file, line: a.line, column: a.column, endLine: b.line, endColumn: b.column, offset, endOffset };
  }
}
