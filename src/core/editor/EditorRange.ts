import type { Span } from '../text/Span';

/**
 * Positions and ranges as editors count them: 0-based lines and UTF-16 characters, end exclusive
 * (VS Code's `Position`/`Range`, LSP's too), so the extension maps them one to one. Spans from the
 * parsers are 1-based; `rangeFromSpan` converts.
 */
export interface EditorPosition {
  readonly line: number;
  readonly character: number;
}

export interface EditorRange {
  readonly start: EditorPosition;
  readonly end: EditorPosition;
}

/** A place in a document: the extension turns it into a `Location` of the same document. */
export interface EditorLocation {
  /** The `file` the document was parsed with. */
  readonly file: string;
  readonly range: EditorRange;
}

export function rangeFromSpan(span: Span): EditorRange {
  return {
    start: { line: span.line - 1, character: span.column - 1 },
    end: { line: span.endLine - 1, character: span.endColumn - 1 },
  };
}

export function editorRange(startLine: number, startCharacter: number, endLine: number, endCharacter: number): EditorRange {
  return { start: { line: startLine, character: startCharacter }, end: { line: endLine, character: endCharacter } };
}

/** True when `pos` is inside `range` (start inclusive, end inclusive: a cursor just after a word still hovers it). */
export function rangeContains(range: EditorRange, pos: EditorPosition): boolean {
  if (pos.line < range.start.line || pos.line > range.end.line) return false;
  if (pos.line === range.start.line && pos.character < range.start.character) return false;
  if (pos.line === range.end.line && pos.character > range.end.character) return false;
  return true;
}

/** The smallest range covering both. */
export function rangeUnion(a: EditorRange, b: EditorRange): EditorRange {
  const before = (x: EditorPosition, y: EditorPosition): boolean => x.line < y.line || (x.line === y.line && x.character < y.character);
  return { start: before(a.start, b.start) ? a.start : b.start, end: before(a.end, b.end) ? b.end : a.end };
}
