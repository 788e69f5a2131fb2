import type { ParseOptions, ParseResult } from '../text/Diagnostic';
import { CappedDiagnosticSink, MAX_LINE_LENGTH, tooLong } from '../iptables/CappedDiagnosticSink';
import { iterateLines, looksBinary } from '../text/lines';
import { spanInLine } from '../text/Span';
import type { ConntrackCpuStats, ConntrackStats } from './ConntrackModel';

/**
 * `conntrack -S`: one line per CPU, `cpu=0   \tfound=0 invalid=6914 ignore=283790 insert=0
 * insert_failed=0 drop=0 early_drop=0 error=0 search_restart=9916`. Counters are kept by name
 * (kernels add new ones: clash_resolve, chaintoolong). A line that is not `key=number` words is
 * an error with its position; the rest is kept.
 */
export function parseConntrackStats(text: string, opts: ParseOptions): ParseResult<ConntrackStats> {
  const sink = new CappedDiagnosticSink(opts.file);
  const cpus: ConntrackCpuStats[] = [];
  if (looksBinary(text)) {
    sink.error(1, 'input looks binary, not `conntrack -S` text; nothing read');
    return { value: { cpus }, diagnostics: sink.diagnostics };
  }
  for (const line of iterateLines(text)) {
    const trimmed = line.text.trim();
    if (trimmed === '') continue;
    if (trimmed.length > MAX_LINE_LENGTH) {
      sink.error(line.number, tooLong(trimmed.length), line.text);
      continue;
    }
    const start = line.text.indexOf(trimmed);
    const counters: Record<string, bigint> = {};
    let cpu: number | undefined;
    let bad: string | undefined;
    for (const w of trimmed.split(/\s+/)) {
      const m = /^([a-z_]+)=(\d+)$/.exec(w);
      if (!m) {
        bad = w;
        break;
      }
      if (m[1] === 'cpu') cpu = Number(m[2]);
      else counters[m[1]!] = BigInt(m[2]!);
    }
    if (bad !== undefined || cpu === undefined) {
      sink.error(line.number, bad !== undefined ? `unexpected \`${bad}\` in conntrack -S output (expected name=number); line ignored` : 'conntrack -S line without cpu=N; line ignored', line.text, start + 1);
      continue;
    }
    cpus.push({ cpu, counters, raw: trimmed, span: spanInLine(opts.file, line.number, line.offset, start, start + trimmed.length) });
  }
  sink.finish();
  return { value: { cpus }, diagnostics: sink.diagnostics };
}
