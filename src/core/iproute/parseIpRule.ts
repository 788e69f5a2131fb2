import { parseCidr, type Cidr } from '../net/Cidr';
import type { IpFamily } from '../net/IpAddress';
import { DiagnosticSink, type ParseOptions, type ParseResult } from '../text/Diagnostic';
import { iterateLines, looksBinary } from '../text/lines';
import type { Span } from '../text/Span';
import { familyFromFileName } from './fileHints';
import type { Mutable } from './Mutable';
import type { PolicyRule, RuleAction } from './PolicyRule';
import { OnceReporter } from './reportOnce';
import { reportAt, segmentOfLine, spanOfSegments, type Segment } from './Segment';
import { isBlankLine, parseDecimal, parseIntAuto, tokenize, type Token } from './tokenize';

/** Rule selectors and options that take one value (ip/iprule.c). */
const RULE_KEYS: ReadonlySet<string> = new Set([
  'from', 'to', 'tos', 'dsfield', 'fwmark', 'iif', 'oif', 'lookup', 'table', 'goto', 'suppress_prefixlength',
  'suppress_ifgroup', 'realms', 'uidrange', 'ipproto', 'sport', 'dport', 'protocol', 'proto', 'nat', 'map-to', 'tun_id', 'pref',
]);

/** Actions printed as a bare word. */
const BARE_ACTIONS: ReadonlySet<string> = new Set(['unreachable', 'blackhole', 'prohibit']);

/** A rule being read; what the line leaves open is filled in before it is handed out. */
type RuleFields = Mutable<Omit<PolicyRule, 'raw' | 'span' | 'family' | 'action'>> & { family?: IpFamily; action?: RuleAction; raw?: string; span?: Span };

/**
 * `ip rule` / `ip -4 rule` / `ip -6 rule` (`ip rule list`):
 * `0:	from all lookup local`, `57481:	from 192.168.21.5 lookup 16`,
 * `1003:	not from all fwmark 0x2 lookup 200`, `1004:	from all iif d0 [detached] lookup main`,
 * `1005:	from all lookup main suppress_prefixlength 0`, `1007:	from 10.2.0.0/16 goto 1010`.
 * A rule without an address is IPv4 unless the file name says `-6`. A bad line is an error and
 * is skipped; unknown words are warned once and ignored.
 */
export function parseIpRule(text: string, opts: ParseOptions): ParseResult<PolicyRule[]> {
  const sink = new DiagnosticSink(opts.file);
  const once = new OnceReporter(sink);
  const rules: PolicyRule[] = [];
  if (looksBinary(text)) {
    sink.error(1, 'input looks binary; not parsed as ip rule output');
    return { value: rules, diagnostics: sink.diagnostics };
  }
  const fileFamily = familyFromFileName(opts.file);
  for (const l of iterateLines(text)) {
    if (isBlankLine(l.text)) continue;
    const seg = segmentOfLine(l);
    const rule = readRule(seg, tokenize(l.text));
    if (!rule) continue;
    const span = spanOfSegments(opts.file, seg, seg);
    rule.family ??= fileFamily ?? 4;
    rule.action ??= 'lookup';
    rule.raw = text.slice(span.offset, span.endOffset);
    rule.span = span;
    rules.push(rule as PolicyRule);
  }
  return { value: rules, diagnostics: sink.diagnostics };

  function readRule(seg: Segment, toks: readonly Token[]): RuleFields | undefined {
    const p = toks[0]!;
    const priority = p.text.endsWith(':') ? parseDecimal(p.text.slice(0, -1)) : undefined;
    if (priority === undefined) {
      reportAt(sink, 'error', seg, `expected a rule priority like '32766:', found '${p.text}'; line skipped`, p);
      return undefined;
    }
    const r: RuleFields = { priority, not: false };
    for (let i = 1; i < toks.length; i++) {
      const t = toks[i]!;
      const w = t.text;
      if (w === 'not') { r.not = true; continue; }
      if (w === '[detached]') {
        // Applies to the iif/oif just before it.
        const prev = toks[i - 2]?.text;
        if (prev === 'oif') r.oifDetached = true;
        else r.iifDetached = true;
        continue;
      }
      if (w === 'l3mdev') { r.l3mdev = true; continue; }
      if (BARE_ACTIONS.has(w)) { r.action = w as RuleAction; continue; }
      if (!RULE_KEYS.has(w)) {
        once.report(`rule:${w}`, 'warning', seg, `unknown rule attribute '${w}'; kept in raw, ignored`, t);
        continue;
      }
      const v = toks[i + 1];
      if (!v) {
        reportAt(sink, 'error', seg, `rule attribute '${w}' has no value; ignored`, t);
        break;
      }
      i++;
      if (!applyKey(r, w, v, seg)) return undefined;
    }
    return r;
  }

  /** False when the rule cannot be kept (a bad selector would widen what it matches). */
  function applyKey(r: RuleFields, key: string, v: Token, seg: Segment): boolean {
    switch (key) {
      case 'from': case 'to': {
        if (v.text === 'all') {
          if (key === 'from') r.from = 'all';
          return true;
        }
        const c: Cidr | undefined = parseCidr(v.text);
        if (!c) {
          reportAt(sink, 'error', seg, `bad ${key} prefix '${v.text}'; rule skipped`, v);
          return false;
        }
        if (key === 'from') r.from = c;
        else r.to = c;
        r.family ??= c.family;
        return true;
      }
      case 'fwmark': {
        const [valText = '', maskText] = v.text.split('/');
        const value = parseIntAuto(valText);
        const mask = maskText === undefined ? 0xffffffff : parseIntAuto(maskText);
        if (value === undefined || mask === undefined) {
          reportAt(sink, 'error', seg, `bad fwmark '${v.text}'; rule skipped`, v);
          return false;
        }
        r.fwmark = { value, mask };
        return true;
      }
      case 'lookup': case 'table': r.table = v.text; r.action ??= 'lookup'; return true;
      case 'goto': {
        const n = parseDecimal(v.text);
        if (n === undefined) {
          reportAt(sink, 'error', seg, `bad goto target '${v.text}'; rule skipped`, v);
          return false;
        }
        r.action = 'goto';
        r.gotoTarget = n;
        return true;
      }
      case 'nat': case 'map-to': r.action = 'nat'; return true;
      case 'iif': r.iif = v.text; return true;
      case 'oif': r.oif = v.text; return true;
      case 'tos': case 'dsfield': r.tos = v.text; return true;
      case 'suppress_prefixlength': {
        const n = parseDecimal(v.text);
        if (n === undefined) reportAt(sink, 'warning', seg, `bad suppress_prefixlength '${v.text}'; ignored`, v);
        else r.suppressPrefixLength = n;
        return true;
      }
      case 'suppress_ifgroup': r.suppressIfgroup = v.text; return true;
      case 'uidrange': {
        const m = /^(\d+)-(\d+)$/.exec(v.text);
        if (m) r.uidrange = { start: Number(m[1]), end: Number(m[2]) };
        else reportAt(sink, 'warning', seg, `bad uidrange '${v.text}'; ignored`, v);
        return true;
      }
      case 'ipproto': r.ipproto = v.text; return true;
      case 'sport': r.sport = v.text; return true;
      case 'dport': r.dport = v.text; return true;
      case 'protocol': case 'proto': r.protocol = v.text; return true;
      default: return true; // realms, tun_id, pref: kept in raw only
    }
  }
}
