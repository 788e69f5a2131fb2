import { DiagnosticSink, type ParseOptions, type ParseResult } from '../text/Diagnostic';
import { iterateLines, looksBinary } from '../text/lines';
import type { Span } from '../text/Span';
import type { Mutable } from './Mutable';
import type { NetnsEntry } from './NetnsEntry';
import { reportAt, segmentOfLine, spanOfSegments } from './Segment';
import { isBlankLine, parseDecimal, tokenize } from './tokenize';

/**
 * `ip netns [list]`: `qrouter-984c22fd-64b3-4fa1-8ddd-87090f401ce5 (id: 10)` or a bare name.
 * Anything else on a line is an error and the line is skipped.
 */
export function parseIpNetns(text: string, opts: ParseOptions): ParseResult<NetnsEntry[]> {
  const sink = new DiagnosticSink(opts.file);
  const out: NetnsEntry[] = [];
  if (looksBinary(text)) {
    sink.error(1, 'input looks binary; not parsed as ip netns output');
    return { value: out, diagnostics: sink.diagnostics };
  }
  for (const l of iterateLines(text)) {
    if (isBlankLine(l.text)) continue;
    const seg = segmentOfLine(l);
    const toks = tokenize(l.text);
    const name = toks[0]!;
    const e: Mutable<Omit<NetnsEntry, 'raw' | 'span'>> & { raw?: string; span?: Span } = { name: name.text };
    if (toks.length === 3 && toks[1]!.text === '(id:' && toks[2]!.text.endsWith(')')) {
      const id = parseDecimal(toks[2]!.text.slice(0, -1));
      if (id === undefined) {
        reportAt(sink, 'error', seg, `bad namespace id '${toks[2]!.text}'; id ignored`, toks[2]);
      } else e.id = id;
    } else if (toks.length !== 1) {
      reportAt(sink, 'error', seg, `expected 'NAME' or 'NAME (id: N)'; line skipped`, toks[1]);
      continue;
    }
    const span = spanOfSegments(opts.file, seg, seg);
    e.raw = text.slice(span.offset, span.endOffset);
    e.span = span;
    out.push(e as NetnsEntry);
  }
  return { value: out, diagnostics: sink.diagnostics };
}
