/**
 * A parser's message about its input. Parsers never throw on bad input: they skip what they
 * cannot read, keep the rest, and say so here with the line and column an editor can jump to.
 * `info` is for facts the user should know (e.g. "this `iptables -L` form omits interfaces"),
 * `warning` for constructs documented as unsupported or skipped, `error` for malformed input.
 */
export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  readonly severity: Severity;
  readonly message: string;
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  /** 1-based, exclusive; absent means "to the end of the line". */
  readonly endColumn?: number;
  /** The offending line as it was in the input, for messages shown away from the file. */
  readonly raw?: string;
}

/** The result of every parser: what could be read, plus what could not and why. */
export interface ParseResult<T> {
  readonly value: T;
  readonly diagnostics: Diagnostic[];
}

export interface ParseOptions {
  /** Name reported in spans and diagnostics (a path, or e.g. `untitled:1`). */
  readonly file: string;
}

/** Collects diagnostics for one file, so parsers do not repeat `file` everywhere. */
export class DiagnosticSink {
  readonly diagnostics: Diagnostic[] = [];
  constructor(readonly file: string) {}

  add(severity: Severity, line: number, message: string, raw?: string, column = 1, endColumn?: number): void {
    const d: { -readonly [K in keyof Diagnostic]: Diagnostic[K] } = { severity, message, file: this.file, line, column };
    if (endColumn !== undefined) d.endColumn = endColumn;
    if (raw !== undefined) d.raw = raw.length > 300 ? `${raw.slice(0, 300)}…` : raw;
    this.diagnostics.push(d);
  }
  error(line: number, message: string, raw?: string, column = 1, endColumn?: number): void {
    this.add('error', line, message, raw, column, endColumn);
  }
  warning(line: number, message: string, raw?: string, column = 1, endColumn?: number): void {
    this.add('warning', line, message, raw, column, endColumn);
  }
  info(line: number, message: string, raw?: string, column = 1, endColumn?: number): void {
    this.add('info', line, message, raw, column, endColumn);
  }
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
