import type { DiagnosticSink, Severity } from '../text/Diagnostic';
import type { Line } from '../text/lines';
import type { Span } from '../text/Span';
import { endOfNonBlank, firstNonBlank, isBlankCode, type Token } from './tokenize';

/**
 * A piece of one physical line: usually the whole line, or one `\`-separated part of an `ip -o`
 * line (`1: lo: <LOOPBACK,UP> mtu 65536 ...\    link/loopback 00:00:...`), which iproute2 prints
 * instead of a newline. Keeping the column base lets spans and diagnostics point into the file.
 */
export interface Segment {
  readonly text: string;
  /** 1-based line number of the physical line. */
  readonly line: number;
  /** Offset of the physical line's first character in the whole input. */
  readonly lineOffset: number;
  /** 0-based column of `text[0]` in the physical line. */
  readonly col0: number;
  /** The whole physical line, for diagnostics. */
  readonly lineText: string;
}

export function segmentOfLine(l: Line): Segment {
  return { text: l.text, line: l.number, lineOffset: l.offset, col0: 0, lineText: l.text };
}

/**
 * Splits an `ip -o` line at each `\` that is followed by a blank (the continuation marker); a line
 * without one is a single segment. The marker itself belongs to no segment.
 */
export function splitOneline(l: Line): Segment[] {
  const t = l.text;
  if (!t.includes('\\')) return [segmentOfLine(l)];
  const out: Segment[] = [];
  let start = 0;
  for (let i = t.indexOf('\\'); i !== -1; i = t.indexOf('\\', i + 1)) {
    const next = i + 1 < t.length ? t.charCodeAt(i + 1) : 32;
    if (!isBlankCode(next)) continue;
    out.push({ text: t.slice(start, i), line: l.number, lineOffset: l.offset, col0: start, lineText: t });
    start = i + 1;
  }
  out.push({ text: t.slice(start), line: l.number, lineOffset: l.offset, col0: start, lineText: t });
  return out;
}

/**
 * The span from the first non-blank character of `first` (or from `fromCol` within it) to the last
 * non-blank character of `last` (both may be the same segment), so `raw` has no indentation or
 * trailing blanks.
 */
export function spanOfSegments(file: string, first: Segment, last: Segment, fromCol?: number): Span {
  const startCol = first.col0 + (fromCol ?? firstNonBlank(first.text));
  let endCol = last.col0 + endOfNonBlank(last.text);
  if (first === last && endCol < startCol) endCol = startCol;
  return {
    file,
    line: first.line,
    column: startCol + 1,
    endLine: last.line,
    endColumn: endCol + 1,
    offset: first.lineOffset + startCol,
    endOffset: last.lineOffset + endCol,
  };
}

/** A diagnostic at a token of a segment (or at the segment's first non-blank when no token). */
export function reportAt(sink: DiagnosticSink, severity: Severity, seg: Segment, message: string, token?: Token): void {
  if (token) {
    sink.add(severity, seg.line, message, seg.lineText, seg.col0 + token.start + 1, seg.col0 + token.end + 1);
  } else {
    sink.add(severity, seg.line, message, seg.lineText, seg.col0 + firstNonBlank(seg.text) + 1);
  }
}
