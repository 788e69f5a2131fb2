import { DiagnosticSink, type ParseOptions, type ParseResult } from '../text/Diagnostic';
import { iterateLines, looksBinary } from '../text/lines';
import type { BrctlBridge } from './BrctlBridge';
import { reportAt, segmentOfLine, spanOfSegments, type Segment } from './Segment';
import { firstNonBlank, isBlankLine, tokenize, tokenTexts } from './tokenize';

/**
 * `brctl show`:
 * ```
 * bridge name     bridge id               STP enabled     interfaces
 * qbr199abeb2-63  8000.ba06e5f8675c       no              qvb199abeb2-63
 *                                                         tap199abeb2-63
 * ```
 * Indented lines hold more interfaces of the bridge above. A row whose STP column is not yes/no
 * is an error and is skipped.
 */
export function parseBrctlShow(text: string, opts: ParseOptions): ParseResult<BrctlBridge[]> {
  const sink = new DiagnosticSink(opts.file);
  const out: BrctlBridge[] = [];
  if (looksBinary(text)) {
    sink.error(1, 'input looks binary; not parsed as brctl show output');
    return { value: out, diagnostics: sink.diagnostics };
  }
  let cur: { name: string; id: string; stp: boolean; interfaces: string[]; first: Segment; last: Segment } | undefined;
  let skipping = false;
  const close = (): void => {
    if (!cur) return;
    const span = spanOfSegments(opts.file, cur.first, cur.last);
    out.push({ name: cur.name, id: cur.id, stp: cur.stp, interfaces: cur.interfaces, raw: text.slice(span.offset, span.endOffset), span });
    cur = undefined;
  };
  for (const l of iterateLines(text)) {
    if (isBlankLine(l.text)) continue;
    const seg = segmentOfLine(l);
    const toks = tokenize(l.text);
    const head = toks[0]!;
    if (head.text === 'bridge' && toks[1]?.text === 'name') {
      close();
      continue;
    }
    if (firstNonBlank(l.text) > 0) {
      if (!cur) {
        if (!skipping) reportAt(sink, 'error', seg, 'interface line without a bridge row before it; skipped', head);
        continue;
      }
      cur.last = seg;
      for (const t of toks) cur.interfaces.push(t.text);
      continue;
    }
    close();
    const stpTok = toks[2];
    if (toks.length < 3 || (stpTok?.text !== 'yes' && stpTok?.text !== 'no')) {
      skipping = true;
      reportAt(sink, 'error', seg, "expected 'NAME BRIDGE-ID yes|no [INTERFACE]'; row skipped", stpTok ?? head);
      continue;
    }
    skipping = false;
    cur = { name: head.text, id: toks[1]!.text, stp: stpTok.text === 'yes', interfaces: tokenTexts(toks, 3), first: seg, last: seg };
  }
  close();
  return { value: out, diagnostics: sink.diagnostics };
}
