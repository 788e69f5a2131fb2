import { parseIp } from '../net/IpAddress';
import { parseMac } from '../net/MacAddress';
import { DiagnosticSink, type ParseOptions, type ParseResult } from '../text/Diagnostic';
import { iterateLines, looksBinary } from '../text/lines';
import type { Span } from '../text/Span';
import type { Mutable } from './Mutable';
import type { Neighbour } from './Neighbour';
import { OnceReporter } from './reportOnce';
import { reportAt, segmentOfLine, spanOfSegments } from './Segment';
import { isBlankLine, tokenize } from './tokenize';

const NEIGH_KEYS: ReadonlySet<string> = new Set(['dev', 'lladdr', 'probes', 'ref', 'used', 'protocol', 'vrf', 'nud']);
const NEIGH_FLAGS: ReadonlySet<string> = new Set(['router', 'proxy', 'extern_learn', 'offload', 'managed', 'use']);

/**
 * `ip neigh` / `ip -6 neigh` (`-s` too): `10.1.0.9 dev e0 lladdr 00:11:22:33:44:55 PERMANENT`,
 * `fe80::1 dev eth0 lladdr 52:54:00:12:34:56 router STALE`, `10.0.0.2 dev e0 INCOMPLETE`.
 * Upper-case words are NUD states. A bad address is an error and the line is skipped.
 */
export function parseIpNeigh(text: string, opts: ParseOptions): ParseResult<Neighbour[]> {
  const sink = new DiagnosticSink(opts.file);
  const once = new OnceReporter(sink);
  const out: Neighbour[] = [];
  if (looksBinary(text)) {
    sink.error(1, 'input looks binary; not parsed as ip neigh output');
    return { value: out, diagnostics: sink.diagnostics };
  }
  for (const l of iterateLines(text)) {
    if (isBlankLine(l.text)) continue;
    const seg = segmentOfLine(l);
    const toks = tokenize(l.text);
    const ipTok = toks[0]!;
    const ip = parseIp(ipTok.text);
    if (!ip) {
      reportAt(sink, 'error', seg, `expected a neighbour address, found '${ipTok.text}'; line skipped`, ipTok);
      continue;
    }
    const n: Mutable<Omit<Neighbour, 'raw' | 'span'>> & { raw?: string; span?: Span } = { family: ip.family, ip, router: false, proxy: false, states: [] };
    for (let i = 1; i < toks.length; i++) {
      const t = toks[i]!;
      const w = t.text;
      if (NEIGH_KEYS.has(w) && toks[i + 1]) {
        const v = toks[++i]!;
        if (w === 'dev') n.dev = v.text;
        else if (w === 'lladdr') {
          const mac = parseMac(v.text);
          if (mac !== undefined) n.lladdr = mac;
          else n.lladdrText = v.text;
        }
        continue;
      }
      if (w === 'router') n.router = true;
      else if (w === 'proxy') n.proxy = true;
      else if (NEIGH_FLAGS.has(w)) continue;
      else if (/^[A-Z_]+$/.test(w)) n.states.push(w);
      else once.report(`neigh:${w}`, 'warning', seg, `unknown neighbour attribute '${w}'; kept in raw, ignored`, t);
    }
    const span = spanOfSegments(opts.file, seg, seg);
    n.raw = text.slice(span.offset, span.endOffset);
    n.span = span;
    out.push(n as Neighbour);
  }
  return { value: out, diagnostics: sink.diagnostics };
}
