import type { Cidr } from '../net/Cidr';
import type { IpAddress, IpFamily } from '../net/IpAddress';
import { DiagnosticSink, type ParseOptions, type ParseResult } from '../text/Diagnostic';
import { iterateLines, looksBinary } from '../text/lines';
import type { Span } from '../text/Span';
import { AddressCache } from './fastAddress';
import { familyFromFileName, tableFromFileName } from './fileHints';
import type { Mutable } from './Mutable';
import { OnceReporter } from './reportOnce';
import { ROUTE_TYPES, type Nexthop, type Route, type RouteType } from './Route';
import { ROUTE_FLAGS, ROUTE_KEY_ARITY } from './routeAttributes';
import { reportAt, segmentOfLine, spanOfSegments, type Segment } from './Segment';
import { firstNonBlank, isBlankLine, parseDecimal, tokenize, type Token } from './tokenize';

const ROUTE_TYPE_SET: ReadonlySet<string> = new Set(ROUTE_TYPES);

/** A route being read; `family`, `raw` and `span` are filled in when its last line is known. */
type RouteFields = Mutable<Omit<Route, 'raw' | 'span' | 'family'>> & { family?: IpFamily; raw?: string; span?: Span };

interface RouteDraft {
  fields: RouteFields;
  first: Segment;
  last: Segment;
  /** Family seen on `via`/`src`/`pref`, for `default` destinations. */
  hint?: IpFamily;
}

/**
 * `ip route`, `ip route show table all`, `ip -6 route show table all`:
 * `broadcast 10.0.0.0 dev br-ens3 table local proto kernel scope link src 10.0.0.128`,
 * `default via 10.100.0.1 dev fg-c8dcce74-c4 table 2852018311 proto static`, multipath routes
 * continued by `	nexthop via 10.1.0.253 dev e0 weight 1` lines, `cache` continuation lines.
 * A route without `table` is in `main` (or in the table named by the file name, e.g.
 * `ip_route_list_table_16`). A bad destination is an error and the line is skipped; unknown words
 * are warned once and ignored.
 */
export function parseIpRoute(text: string, opts: ParseOptions): ParseResult<Route[]> {
  const sink = new DiagnosticSink(opts.file);
  const once = new OnceReporter(sink);
  const routes: Route[] = [];
  if (looksBinary(text)) {
    sink.error(1, 'input looks binary; not parsed as ip route output');
    return { value: routes, diagnostics: sink.diagnostics };
  }
  const fileFamily = familyFromFileName(opts.file);
  const fileTable = tableFromFileName(opts.file);
  const addrs = new AddressCache();
  let tableNoted = false;
  let cur: RouteDraft | undefined;

  const close = (): void => {
    if (!cur) return;
    // Filled in place: object spread costs more than the whole parse of a line.
    const f = cur.fields;
    f.family = f.family ?? cur.hint ?? fileFamily ?? 4;
    const span = spanOfSegments(opts.file, cur.first, cur.last);
    f.raw = text.slice(span.offset, span.endOffset);
    f.span = span;
    routes.push(f as Route);
    cur = undefined;
  };

  for (const l of iterateLines(text)) {
    if (isBlankLine(l.text)) continue;
    const seg = segmentOfLine(l);
    const toks = tokenize(l.text);
    const head = toks[0]!;
    if (firstNonBlank(l.text) > 0 && (head.text === 'nexthop' || head.text === 'cache')) {
      if (!cur) {
        reportAt(sink, 'error', seg, `'${head.text}' continuation line without a route before it; skipped`, head);
        continue;
      }
      cur.last = seg;
      if (head.text === 'cache') cur.fields.cache = true;
      else readNexthop(cur, seg, toks);
      continue;
    }
    close();
    cur = readRouteLine(seg, toks);
  }
  close();
  return { value: routes, diagnostics: sink.diagnostics };

  function readRouteLine(seg: Segment, toks: readonly Token[]): RouteDraft | undefined {
    let i = 0;
    let type: RouteType = 'unicast';
    const t0 = toks[0]!;
    if (ROUTE_TYPE_SET.has(t0.text) && toks.length > 1) {
      type = t0.text as RouteType;
      i = 1;
    }
    const destTok = toks[i]!;
    let destination: Cidr | 'default';
    if (destTok.text === 'default') destination = 'default';
    else {
      const c = addrs.cidr(destTok.text);
      if (!c) {
        reportAt(sink, 'error', seg, `expected a route destination (prefix, address or 'default'), found '${destTok.text}'; line skipped`, destTok);
        return undefined;
      }
      destination = c;
    }
    const fields: RouteFields = { table: fileTable ?? 'main', type, destination, flags: [], cache: false };
    if (destination !== 'default') fields.family = destination.family;
    const d: RouteDraft = { fields, first: seg, last: seg };
    if (fileTable !== undefined && !tableNoted) {
      tableNoted = true;
      reportAt(sink, 'info', seg, `routes that do not print 'table' are taken to be in table ${fileTable} (from the file name)`);
    }
    for (i++; i < toks.length; i++) {
      const t = toks[i]!;
      const w = t.text;
      if (w === 'cache') {
        fields.cache = true;
        if (toks[i + 1]?.text.startsWith('<')) i++;
        continue;
      }
      if (ROUTE_FLAGS.has(w)) {
        if (w !== 'lock') fields.flags.push(w);
        continue;
      }
      const arity = ROUTE_KEY_ARITY[w];
      if (arity === undefined) {
        once.report(`route:${w}`, 'warning', seg, `unknown route attribute '${w}'; kept in raw, ignored`, t);
        continue;
      }
      let v = toks[i + 1];
      if (!v) {
        reportAt(sink, 'warning', seg, `route attribute '${w}' has no value; ignored`, t);
        break;
      }
      i++;
      // RFC 5549: `via inet6 fe80::1` / `via inet 10.0.0.1`.
      if (w === 'via' && (v.text === 'inet' || v.text === 'inet6') && toks[i + 1]) v = toks[++i]!;
      applyKey(d, w, v, seg);
    }
    return d;
  }

  function applyKey(d: RouteDraft, key: string, v: Token, seg: Segment): void {
    const f = d.fields;
    switch (key) {
      case 'table': f.table = v.text; break;
      case 'proto': f.proto = v.text; break;
      case 'scope': f.scope = v.text; break;
      case 'tos': case 'dsfield': f.tos = v.text; break;
      case 'pref': f.pref = v.text; d.hint = 6; break;
      case 'dev': f.dev = v.text; break;
      case 'metric': case 'mtu': {
        const n = parseDecimal(v.text);
        if (n === undefined) reportAt(sink, 'warning', seg, `bad ${key} '${v.text}'; ignored`, v);
        else if (key === 'metric') f.metric = n;
        else f.mtu = n;
        break;
      }
      case 'via': case 'src': {
        const ip = addrs.ip(v.text);
        if (!ip) {
          reportAt(sink, 'error', seg, `bad ${key} address '${v.text}'; ignored`, v);
          break;
        }
        if (key === 'via') f.via = ip;
        else f.src = ip;
        d.hint ??= ip.family;
        break;
      }
      case 'from': {
        const c = addrs.cidr(v.text);
        if (c) f.from = c;
        else reportAt(sink, 'warning', seg, `bad source prefix '${v.text}'; ignored`, v);
        break;
      }
      default: break; // metrics and cache details: kept in raw only
    }
  }

  function readNexthop(d: RouteDraft, seg: Segment, toks: readonly Token[]): void {
    const nh: Mutable<Nexthop> = { flags: [] };
    for (let i = 1; i < toks.length; i++) {
      const t = toks[i]!;
      const w = t.text;
      if (ROUTE_FLAGS.has(w)) { nh.flags.push(w); continue; }
      const v = toks[i + 1];
      if (w === 'via' || w === 'dev' || w === 'weight') {
        if (!v) { reportAt(sink, 'warning', seg, `nexthop '${w}' has no value; ignored`, t); break; }
        i++;
        if (w === 'dev') nh.dev = v.text;
        else if (w === 'weight') {
          const n = parseDecimal(v.text);
          if (n !== undefined) nh.weight = n;
          else reportAt(sink, 'warning', seg, `bad nexthop weight '${v.text}'; ignored`, v);
        } else {
          let a = v;
          if ((a.text === 'inet' || a.text === 'inet6') && toks[i + 1]) a = toks[++i]!;
          const ip: IpAddress | undefined = addrs.ip(a.text);
          if (ip) { nh.via = ip; d.hint ??= ip.family; } else reportAt(sink, 'error', seg, `bad nexthop address '${a.text}'; ignored`, a);
        }
        continue;
      }
      const arity = ROUTE_KEY_ARITY[w];
      if (arity !== undefined) { i += arity; continue; }
      once.report(`nexthop:${w}`, 'warning', seg, `unknown nexthop attribute '${w}'; kept in raw, ignored`, t);
    }
    (d.fields.nexthops ??= []).push(nh);
  }
}
