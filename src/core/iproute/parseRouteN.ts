import { parseCidr, type Cidr } from '../net/Cidr';
import { parseIp, type IpFamily } from '../net/IpAddress';
import { DiagnosticSink, type ParseOptions, type ParseResult } from '../text/Diagnostic';
import { iterateLines, looksBinary } from '../text/lines';
import type { Span } from '../text/Span';
import type { Mutable } from './Mutable';
import { OnceReporter } from './reportOnce';
import type { Route } from './Route';
import { reportAt, segmentOfLine, spanOfSegments } from './Segment';
import { hasToken, isBlankLine, parseDecimal, tokenize, type Token } from './tokenize';

/** Column names of the net-tools tables, mapped to what they mean (`Next Hop` is joined first). */
const COLUMN_ROLES: Readonly<Record<string, 'dest' | 'gw' | 'mask' | 'flags' | 'metric' | 'iface'>> = {
  Destination: 'dest', Gateway: 'gw', 'Next Hop': 'gw', Genmask: 'mask', Flags: 'flags', Flag: 'flags',
  Metric: 'metric', Met: 'metric', Iface: 'iface', If: 'iface',
};

/**
 * `route -n` / `netstat -rn` (IPv4: `Destination Gateway Genmask Flags Metric Ref Use Iface`,
 * netstat: `... Flags MSS Window irtt Iface`) and their IPv6 form (`Destination Next Hop Flag Met
 * Ref Use If`, prefixes written `fe80::/64`). Sample row:
 * `0.0.0.0         10.5.0.1        0.0.0.0         UG    0      0        0 fg-d35ad06f-ae`.
 * These list the main table only and show every reject route as `!` (taken as `unreachable`).
 * A row that does not fit the header is an error and is skipped.
 */
export function parseRouteN(text: string, opts: ParseOptions): ParseResult<Route[]> {
  const sink = new DiagnosticSink(opts.file);
  const once = new OnceReporter(sink);
  const routes: Route[] = [];
  if (looksBinary(text)) {
    sink.error(1, 'input looks binary; not parsed as route -n output');
    return { value: routes, diagnostics: sink.diagnostics };
  }
  let roles: (string | undefined)[] | undefined;
  for (const l of iterateLines(text)) {
    if (isBlankLine(l.text)) continue;
    const seg = segmentOfLine(l);
    const toks = tokenize(l.text);
    const head = toks[0]!;
    if (head.text === 'Kernel' && hasToken(toks, 'routing')) continue;
    if (head.text === 'Destination') {
      roles = headerRoles(toks);
      continue;
    }
    if (!roles) {
      reportAt(sink, 'error', seg, "route table row before a 'Destination ...' header; skipped", head);
      continue;
    }
    if (toks.length !== roles.length) {
      reportAt(sink, 'error', seg, `expected ${roles.length} columns like the header, found ${toks.length}; row skipped`, head);
      continue;
    }
    const cols = roles;
    const col = (role: string): Token | undefined => columnOf(toks, cols, role);
    const destTok = col('dest')!;
    const maskTok = col('mask');
    const dest: Cidr | undefined = parseCidr(maskTok ? `${destTok.text}/${maskTok.text}` : destTok.text);
    if (!dest) {
      reportAt(sink, 'error', seg, `bad destination '${destTok.text}${maskTok ? `/${maskTok.text}` : ''}'; row skipped`, destTok);
      continue;
    }
    const family: IpFamily = dest.family;
    const flags = col('flags')?.text ?? '';
    const r: Mutable<Omit<Route, 'raw' | 'span'>> & { raw?: string; span?: Span } = {
      table: 'main',
      type: flags.includes('!') ? 'unreachable' : 'unicast',
      family,
      destination: dest.prefixLength === 0 ? 'default' : dest,
      flags: [],
      cache: false,
    };
    if (r.type === 'unreachable') once.report('reject', 'info', seg, "'!' (reject) routes are read as unreachable: route -n does not tell unreachable, prohibit and blackhole apart", col('flags'));
    // `-` / `*` is how net-tools writes "no gateway" (reject routes, `route` without -n).
    const gwTok = col('gw');
    const gwText = gwTok && gwTok.text !== '-' && gwTok.text !== '*' ? gwTok : undefined;
    const gw = gwText ? parseIp(gwText.text) : undefined;
    if (gwText && !gw) reportAt(sink, 'warning', seg, `bad gateway '${gwText.text}'; ignored`, gwText);
    if (gw && gw.value !== 0n) r.via = gw;
    const metric = parseDecimal(col('metric')?.text ?? '');
    if (metric !== undefined) r.metric = metric;
    const iface = col('iface')?.text;
    if (iface !== undefined && iface !== '-' && iface !== '*') r.dev = iface;
    // No G flag: the destination is on the link, which `ip route` calls `scope link`.
    if (!flags.includes('G') && r.type === 'unicast') r.scope = 'link';
    const span = spanOfSegments(opts.file, seg, seg);
    r.raw = text.slice(span.offset, span.endOffset);
    r.span = span;
    routes.push(r as Route);
  }
  return { value: routes, diagnostics: sink.diagnostics };
}

function columnOf(toks: readonly Token[], roles: readonly (string | undefined)[], role: string): Token | undefined {
  const i = roles.indexOf(role);
  return i === -1 ? undefined : toks[i];
}

function headerRoles(toks: readonly Token[]): (string | undefined)[] {
  const names: string[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!.text;
    if (t === 'Next' && toks[i + 1]?.text === 'Hop') {
      names.push('Next Hop');
      i++;
    } else names.push(t);
  }
  return names.map((n) => COLUMN_ROLES[n]);
}
