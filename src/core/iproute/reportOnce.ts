import type { DiagnosticSink, Severity } from '../text/Diagnostic';
import { reportAt, type Segment } from './Segment';
import type { Token } from './tokenize';

/**
 * Reports an unknown keyword once per file (with its first position) instead of on every line:
 * a new iproute2 release adds attributes to thousands of lines at once, and one message per
 * keyword is what helps the operator.
 */
export class OnceReporter {
  private readonly seen = new Set<string>();
  constructor(private readonly sink: DiagnosticSink) {}

  report(key: string, severity: Severity, seg: Segment, message: string, token?: Token): void {
    if (this.seen.has(key)) return;
    this.seen.add(key);
    reportAt(this.sink, severity, seg, message, token);
  }
}
