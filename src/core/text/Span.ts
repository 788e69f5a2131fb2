/**
 * Where an entity came from: the file and the exact character range of its raw text.
 * `text.slice(span.offset, span.endOffset)` is the entity's `raw` (tests check this round-trip),
 * so every tree node, trace step and diagnostic can jump to the dump line.
 * Lines and columns are 1-based; `endColumn` is exclusive, like VS Code ranges.
 */
export interface Span {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly offset: number;
  readonly endOffset: number;
}

/** A span covering part of one line; `lineOffset` is the offset of the line's first character. */
export function spanInLine(file: string, line: number, lineOffset: number, startCol0: number, endCol0: number): Span {
  return {
    file,
    line,
    column: startCol0 + 1,
    endLine: line,
    endColumn: endCol0 + 1,
    offset: lineOffset + startCol0,
    endOffset: lineOffset + endCol0,
  };
}
