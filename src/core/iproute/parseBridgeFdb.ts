import { parseIp } from '../net/IpAddress';
import { parseMac } from '../net/MacAddress';
import { DiagnosticSink, type ParseOptions, type ParseResult } from '../text/Diagnostic';
import { iterateLines, looksBinary } from '../text/lines';
import type { Span } from '../text/Span';
import type { FdbEntry } from './FdbEntry';
import type { Mutable } from './Mutable';
import { OnceReporter } from './reportOnce';
import { reportAt, segmentOfLine, spanOfSegments } from './Segment';
import { isBlankLine, parseDecimal, tokenize } from './tokenize';

const FDB_KEYS: ReadonlySet<string> = new Set(['dev', 'vlan', 'master', 'dst', 'port', 'vni', 'src_vni', 'via', 'nhid', 'used', 'state']);
/** Neighbour states an FDB entry prints (permanent, `static` = NUD_NOARP, aged `stale`). */
export const FDB_STATES: ReadonlySet<string> = new Set(['permanent', 'static', 'stale']);
/** Entry flags printed as bare words. */
export const FDB_FLAGS: ReadonlySet<string> = new Set(['self', 'router', 'extern_learn', 'offload', 'sticky', 'activity_notify', 'inactive', 'norefresh']);

/**
 * `bridge fdb [show]` and `bridge -s -s -d -t fdb show`:
 * `52:54:00:e2:28:a3 dev ens3 vlan 1 used 63688/63688 master br-ens3 permanent`,
 * `00:aa:bb:cc:dd:ee dev vx0 dst 10.0.0.3 self permanent`. A line whose MAC or `dev` is missing
 * is an error and is skipped; unknown words are warned once and ignored.
 */
export function parseBridgeFdb(text: string, opts: ParseOptions): ParseResult<FdbEntry[]> {
  const sink = new DiagnosticSink(opts.file);
  const once = new OnceReporter(sink);
  const out: FdbEntry[] = [];
  if (looksBinary(text)) {
    sink.error(1, 'input looks binary; not parsed as bridge fdb output');
    return { value: out, diagnostics: sink.diagnostics };
  }
  for (const l of iterateLines(text)) {
    if (isBlankLine(l.text)) continue;
    const seg = segmentOfLine(l);
    const toks = tokenize(l.text);
    const macTok = toks[0]!;
    const mac = parseMac(macTok.text);
    if (mac === undefined) {
      reportAt(sink, 'error', seg, `expected a MAC address, found '${macTok.text}'; line skipped`, macTok);
      continue;
    }
    const e: Mutable<Omit<FdbEntry, 'raw' | 'span' | 'dev'>> & { dev?: string; raw?: string; span?: Span } = { mac, self: false, flags: [] };
    for (let i = 1; i < toks.length; i++) {
      const t = toks[i]!;
      const w = t.text;
      const next = toks[i + 1];
      if (w === 'self') { e.self = true; continue; }
      if (FDB_STATES.has(w)) { e.state = w; continue; }
      if (FDB_FLAGS.has(w)) { e.flags.push(w); continue; }
      // Old iproute2 prints a bare `master` flag; newer prints `master BRIDGE`.
      if (w === 'master' && (!next || FDB_STATES.has(next.text) || FDB_FLAGS.has(next.text))) { e.flags.push('master'); continue; }
      if (!FDB_KEYS.has(w) || !next) {
        once.report(`fdb:${w}`, 'warning', seg, `unknown fdb attribute '${w}'; kept in raw, ignored`, t);
        continue;
      }
      i++;
      const v = next.text;
      switch (w) {
        case 'dev': e.dev = v; break;
        case 'master': e.master = v; break;
        case 'via': e.via = v; break;
        case 'state': e.state = v; break;
        case 'dst': {
          const ip = parseIp(v);
          if (ip) e.dst = ip;
          else reportAt(sink, 'warning', seg, `bad fdb dst '${v}'; ignored`, next);
          break;
        }
        case 'vlan': case 'port': case 'vni': {
          const n = parseDecimal(v);
          if (n === undefined) reportAt(sink, 'warning', seg, `bad ${w} '${v}'; ignored`, next);
          else if (w === 'vlan') e.vlan = n;
          else if (w === 'port') e.port = n;
          else e.vni = n;
          break;
        }
        case 'used': {
          const m = /^(\d+)\/(\d+)$/.exec(v);
          if (m) { e.used = Number(m[1]); e.updated = Number(m[2]); }
          break;
        }
        default: break; // src_vni, nhid: kept in raw only
      }
    }
    if (e.dev === undefined) {
      reportAt(sink, 'error', seg, `fdb entry without 'dev'; line skipped`, macTok);
      continue;
    }
    const span = spanOfSegments(opts.file, seg, seg);
    e.raw = text.slice(span.offset, span.endOffset);
    e.span = span;
    out.push(e as FdbEntry);
  }
  return { value: out, diagnostics: sink.diagnostics };
}
