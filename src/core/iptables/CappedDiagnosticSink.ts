import { DiagnosticSink, type Severity } from '../text/Diagnostic';

/**
 * A DiagnosticSink that stops recording after `limit` diagnostics and ends with one error saying
 * how many more there were. A 50 MB file of garbage would otherwise produce millions of
 * diagnostic objects (gigabytes) before any of them could be shown. Call `finish()` at the end.
 */
export class CappedDiagnosticSink extends DiagnosticSink {
  private suppressed = 0;
  private lastLine = 1;

  constructor(file: string, private readonly limit = 1000) {
    super(file);
  }

  override add(severity: Severity, line: number, message: string, raw?: string, column = 1, endColumn?: number): void {
    if (this.diagnostics.length >= this.limit) {
      this.suppressed++;
      this.lastLine = line;
      return;
    }
    super.add(severity, line, message, raw, column, endColumn);
  }

  /** Diagnostics added so far, the suppressed ones included: a reader compares two counts to learn whether a line said anything. */
  get added(): number {
    return this.diagnostics.length + this.suppressed;
  }

  finish(): void {
    if (this.suppressed === 0) return;
    const n = this.suppressed;
    this.suppressed = 0;
    super.add('error', this.lastLine, `${n} more problem${n === 1 ? '' : 's'} not listed (only the first ${this.limit} are kept); is this the right file?`);
  }
}

/** Longest line the netfilter parsers read; real rule lines are a few hundred characters. */
export const MAX_LINE_LENGTH = 64 * 1024;

export function tooLong(n: number): string {
  return `line is ${n} characters long, longer than any netfilter dump line; line ignored`;
}
