import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { EditorPosition, EditorRange } from '../../../src/core/editor/EditorRange';

export const projectRoot = path.resolve(__dirname, '../../..');

export function read(rel: string): string {
  return readFileSync(path.join(projectRoot, rel), 'utf8');
}

/** The position `offset` characters into the `occurrence`-th (0-based) `needle` of `text`. */
export function posOf(text: string, needle: string, occurrence = 0, offset = 0): EditorPosition {
  const lines = text.split('\n');
  let n = 0;
  for (let i = 0; i < lines.length; i++) {
    for (let c = lines[i]!.indexOf(needle); c >= 0; c = lines[i]!.indexOf(needle, c + 1)) {
      if (n++ === occurrence) return { line: i, character: c + offset };
    }
  }
  throw new Error(`"${needle}" #${occurrence} not found`);
}

/** The text a range covers (single-line ranges). */
export function textOf(text: string, r: EditorRange): string {
  const line = text.split('\n')[r.start.line] ?? '';
  return r.start.line === r.end.line ? line.slice(r.start.character, r.end.character) : line.slice(r.start.character);
}

export function contains(outer: EditorRange, inner: EditorRange): boolean {
  const le = (a: EditorPosition, b: EditorPosition): boolean => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return le(outer.start, inner.start) && le(inner.end, outer.end);
}
