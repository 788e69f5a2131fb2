/**
 * Line access for editor features: line starts are found once per document (one pass over the
 * text), then any line, or the offset of any position, is a lookup.
 */
export class TextLines {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  get count(): number {
    return this.starts.length;
  }

  /** Line `n` (0-based) without its `\n` / `\r\n`; `''` past the end. */
  line(n: number): string {
    const start = this.starts[n];
    if (start === undefined) return '';
    let end = this.starts[n + 1] ?? this.text.length;
    if (end > start && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return this.text.slice(start, end);
  }

  /** Offset of the first character of line `n` (0-based). */
  lineStart(n: number): number {
    return this.starts[Math.max(0, Math.min(n, this.starts.length - 1))] ?? 0;
  }
}
