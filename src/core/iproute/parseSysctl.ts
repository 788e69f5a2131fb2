import { DiagnosticSink, type ParseOptions, type ParseResult } from '../text/Diagnostic';
import { iterateLines, looksBinary } from '../text/lines';
import { reportAt, segmentOfLine, spanOfSegments } from './Segment';
import type { SysctlEntry } from './SysctlEntry';
import { endOfNonBlank, firstNonBlank, isBlankLine } from './tokenize';

const KEY = /^[A-Za-z0-9_][\w.:@+/-]*$/;

/**
 * Kernel parameters, one per line, as `sysctl -a` prints them (`net.ipv4.ip_forward = 1`), the slash
 * form (`net/ipv4/conf/eth0.100/rp_filter = 1`) or `grep . /proc/sys/...` output
 * (`/proc/sys/net/ipv4/ip_forward:1`). Keys come out dotted, with a dot inside a component written
 * `/` as sysctl does (`net.ipv4.conf.eth0/100.rp_filter`). `#`/`;` comments are skipped; sysctl's
 * own error lines (`sysctl: permission denied on key ...`) are warnings; other lines are errors.
 */
export function parseSysctl(text: string, opts: ParseOptions): ParseResult<SysctlEntry[]> {
  const sink = new DiagnosticSink(opts.file);
  const out: SysctlEntry[] = [];
  if (looksBinary(text)) {
    sink.error(1, 'input looks binary; not parsed as sysctl output');
    return { value: out, diagnostics: sink.diagnostics };
  }
  for (const l of iterateLines(text)) {
    if (isBlankLine(l.text)) continue;
    const seg = segmentOfLine(l);
    const start = firstNonBlank(l.text);
    const body = l.text.slice(start, endOfNonBlank(l.text));
    if (body.startsWith('#') || body.startsWith(';')) continue;
    if (body.startsWith('sysctl:')) {
      reportAt(sink, 'warning', seg, `sysctl reported an error here (${body.slice(7).trim()}); line skipped`);
      continue;
    }
    let key: string | undefined;
    let value = '';
    if (body.startsWith('/proc/sys/')) {
      const colon = body.indexOf(':');
      if (colon !== -1) {
        key = slashToDotted(body.slice('/proc/sys/'.length, colon));
        value = body.slice(colon + 1);
      }
    } else {
      const eq = body.indexOf('=');
      if (eq !== -1) {
        const k = body.slice(0, eq).trim().replace(/^-/, '');
        key = k.includes('/') ? slashToDotted(k) : k;
        value = body.slice(eq + 1).trim();
      }
    }
    if (key === undefined || !KEY.test(key)) {
      reportAt(sink, 'error', seg, "expected 'name = value' (or '/proc/sys/path:value'); line skipped");
      continue;
    }
    const span = spanOfSegments(opts.file, seg, seg);
    out.push({ key, value, raw: text.slice(span.offset, span.endOffset), span });
  }
  return { value: out, diagnostics: sink.diagnostics };
}

/** `net/ipv4/conf/eth0.100/rp_filter` -> `net.ipv4.conf.eth0/100.rp_filter`. */
export function slashToDotted(path: string): string {
  return path.split('/').filter((c) => c !== '').map((c) => c.replace(/\./g, '/')).join('.');
}
