import type { Diagnostic } from '../text/Diagnostic';
import type { EditorLanguageId } from './EditorLanguageId';
import { editorRange, type EditorRange } from './EditorRange';
import { parseEditorDocument } from './parseEditorDocument';
import type { TextLines } from './TextLines';

/**
 * The parsers' diagnostics as editor problems: 1-based line/column become a 0-based range (to the
 * end of the line when the parser gave no end column, clamped to the document), severities map to
 * VS Code's (`info` -> `information`). Order and messages are the parser's.
 */
export interface EditorDiagnostic {
  readonly range: EditorRange;
  readonly severity: 'error' | 'warning' | 'information';
  readonly message: string;
  readonly source: 'osnet';
}

export function toEditorDiagnostic(d: Diagnostic, lines: TextLines): EditorDiagnostic {
  const line = Math.min(Math.max(d.line - 1, 0), Math.max(lines.count - 1, 0));
  const text = lines.line(line);
  const start = Math.min(Math.max(d.column - 1, 0), text.length);
  let end = d.endColumn !== undefined ? Math.min(d.endColumn - 1, text.length) : text.length;
  if (end <= start) end = Math.min(text.length, start + 1);
  return { range: editorRange(line, start, line, end), severity: d.severity === 'info' ? 'information' : d.severity, message: d.message, source: 'osnet' };
}

export function editorDiagnostics(text: string, languageId: EditorLanguageId, file = 'untitled'): EditorDiagnostic[] {
  const doc = parseEditorDocument(text, languageId, file);
  return doc.diagnostics.map((d) => toEditorDiagnostic(d, doc.lines));
}
