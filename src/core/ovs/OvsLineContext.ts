import type { DiagnosticSink } from '../text/Diagnostic';
import { spanInLine, type Span } from '../text/Span';
import type { OvsReadingCache } from './OvsReadingCache';

/**
 * Where the OVS readers are working: one line of the input, so sub-parsers (match, actions,
 * subfields) can report diagnostics and build spans with real columns while reading a slice of
 * that line. Offsets passed around are 0-based positions within `text`.
 */
export interface OvsLineContext {
  readonly file: string;
  /** 1-based line number. */
  readonly line: number;
  /** The whole line, without its terminator. */
  readonly text: string;
  /** Offset of the line's first character in the whole input. */
  readonly offset: number;
  readonly sink: DiagnosticSink;
  /** Readings shared with the other lines of the same parse; without it, every item is read afresh. */
  readonly cache?: OvsReadingCache;
}

export function ctxSpan(ctx: OvsLineContext, start: number, end: number): Span {
  return spanInLine(ctx.file, ctx.line, ctx.offset, start, end);
}

export function ctxError(ctx: OvsLineContext, start: number, end: number, message: string): void {
  ctx.sink.error(ctx.line, message, ctx.text, start + 1, Math.max(end, start + 1) + 1);
}

export function ctxWarning(ctx: OvsLineContext, start: number, end: number, message: string): void {
  ctx.sink.warning(ctx.line, message, ctx.text, start + 1, Math.max(end, start + 1) + 1);
}

export function ctxInfo(ctx: OvsLineContext, start: number, end: number, message: string): void {
  ctx.sink.info(ctx.line, message, ctx.text, start + 1, Math.max(end, start + 1) + 1);
}
