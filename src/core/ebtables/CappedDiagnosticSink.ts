import { DiagnosticSink, type Severity } from '../text/Diagnostic';

/**
 * A DiagnosticSink that stops collecting after `cap` diagnostics and says so once: a 50 MB file
 * of garbage would otherwise produce millions of messages nobody reads (and copies of each line).
 * Counting continues, so the final message gives the total.
 */
export class CappedDiagnosticSink extends DiagnosticSink {
  private dropped = 0;

  constructor(file: string, private readonly cap = 1000) {
    super(file);
  }

  override add(severity: Severity, line: number, message: string, raw?: string, column = 1, endColumn?: number): void {
    if (this.diagnostics.length < this.cap) {
      super.add(severity, line, message, raw, column, endColumn);
      return;
    }
    this.dropped++;
  }

  /** Call once at the end: appends "N more problems not shown" when some were dropped. */
  finish(lastLine: number): void {
    if (this.dropped === 0) return;
    super.add('warning', lastLine, `${this.dropped} more problem(s) in this file not listed (only the first ${this.cap} are kept)`);
  }
}
