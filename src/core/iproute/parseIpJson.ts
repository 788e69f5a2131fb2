import { DiagnosticSink, type ParseOptions, type ParseResult, type Severity } from '../text/Diagnostic';
import { looksBinary } from '../text/lines';
import type { Span } from '../text/Span';
import type { IpFamily } from '../net/IpAddress';
import { bridgePortFromJson } from './bridgePortFromJson';
import { bridgeVlanFromJson } from './bridgeVlanFromJson';
import type { BridgePort } from './BridgePort';
import type { BridgeVlan } from './BridgeVlan';
import { classifyIpJson } from './classifyIpJson';
import type { FdbEntry } from './FdbEntry';
import { fdbEntryFromJson } from './fdbEntryFromJson';
import { AddressCache } from './fastAddress';
import { familyFromFileName } from './fileHints';
import { findJsonError } from './findJsonError';
import type { IpJsonDump, IpJsonKind } from './IpJsonDump';
import { isJsonObject, type JsonObject } from './jsonFields';
import type { JsonContext } from './JsonContext';
import { scanTopLevel, type JsonRange } from './jsonScan';
import { LineIndex } from './LineIndex';
import type { Link } from './Link';
import { linkFromJson } from './linkFromJson';
import type { Neighbour } from './Neighbour';
import { neighbourFromJson } from './neighbourFromJson';
import type { NetnsEntry } from './NetnsEntry';
import { netnsFromJson } from './netnsFromJson';
import type { PolicyRule } from './PolicyRule';
import type { Route } from './Route';
import { routeFromJson } from './routeFromJson';
import { ruleFromJson } from './ruleFromJson';

type Reporter = (offset: number, severity: Severity, message: string, raw?: string) => void;

/** One element's context (a class, so no closure is made per element of a 50 MB dump). */
class ElementContext implements JsonContext {
  constructor(
    readonly text: string, readonly file: string, readonly range: JsonRange, readonly raw: string, readonly lines: LineIndex,
    readonly span: Span, readonly familyHint: IpFamily | undefined, readonly addrs: AddressCache,
    private readonly index: number, private readonly report: Reporter,
  ) {}

  problem(message: string, severity: Severity = 'warning'): void {
    this.report(this.range.start, severity, `element ${this.index + 1}: ${message}`, this.raw);
  }
}

function missingField(ctx: JsonContext, what: string): void {
  ctx.problem(`no usable ${what}; skipped`);
}

const KIND_WORDS: Readonly<Record<Exclude<IpJsonKind, 'empty'>, string>> = {
  links: 'a link (ip -j link / addr)', routes: 'a route (ip -j route)', rules: 'a rule (ip -j rule)',
  neighbours: 'a neighbour (ip -j neigh)', netns: 'a namespace (ip -j netns)', 'bridge-ports': 'a bridge port (bridge -j link)',
  fdb: 'an fdb entry (bridge -j fdb)', 'bridge-vlans': 'a port VLAN list (bridge -j vlan)',
};

/**
 * The JSON of `ip -j [-d] link`, `ip -j addr`, `ip -j route show table all`, `ip -j rule`,
 * `ip -j neigh`, `ip -j netns`, `bridge -j link`, `bridge -j fdb`, `bridge -j vlan` (pretty-printed
 * with `-p` too), told apart by the keys of the first recognisable object. Sample:
 * `[{"priority":0,"src":"all","table":"local"},{"priority":32766,"src":"all","table":"main"}]`.
 * Each top-level element is one entity; its span is the element's text (line and columns, since
 * `ip -j` prints one line). Invalid JSON is an error at its line/column and the elements before it
 * are kept; an object of another command, or one missing its key field, is a warning and skipped.
 */
export function parseIpJson(text: string, opts: ParseOptions): ParseResult<IpJsonDump> {
  const sink = new DiagnosticSink(opts.file);
  if (looksBinary(text)) {
    sink.error(1, 'input looks binary; not parsed as ip -j output');
    return { value: { kind: 'empty' }, diagnostics: sink.diagnostics };
  }
  const lines = new LineIndex(text);
  const familyHint = familyFromFileName(opts.file);
  const scan = scanTopLevel(text);
  const addrs = new AddressCache();
  const at: Reporter = (offset, severity, message, raw) => {
    const p = lines.position(offset);
    sink.add(severity, p.line, message, raw, p.column);
  };

  let kind: Exclude<IpJsonKind, 'empty'> | undefined;
  const links: Link[] = [];
  const routes: Route[] = [];
  const rules: PolicyRule[] = [];
  const neighbours: Neighbour[] = [];
  const namespaces: NetnsEntry[] = [];
  const ports: BridgePort[] = [];
  const entries: FdbEntry[] = [];
  const vlans: BridgeVlan[] = [];

  scan.elements.forEach((range, n) => {
    const raw = text.slice(range.start, range.end);
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      const e = findJsonError(text, range.start, range.end) ?? { offset: range.start, message: 'invalid JSON' };
      at(e.offset, 'error', `invalid JSON in element ${n + 1}: ${e.message}; element skipped`, raw);
      return;
    }
    if (!isJsonObject(value)) {
      at(range.start, 'warning', `element ${n + 1} is not an object; skipped`, raw);
      return;
    }
    const k = classifyIpJson(value);
    if (k === undefined) {
      at(range.start, 'warning', `element ${n + 1} is not recognised as ip/bridge -j output (keys: ${Object.keys(value).slice(0, 6).join(', ')}); skipped`, raw);
      return;
    }
    kind ??= k;
    if (k !== kind) {
      at(range.start, 'warning', `element ${n + 1} looks like ${KIND_WORDS[k]}, but this dump holds ${KIND_WORDS[kind]}; skipped`, raw);
      return;
    }
    const ctx = new ElementContext(text, opts.file, range, raw, lines, lines.span(opts.file, range.start, range.end), familyHint, addrs, n, at);
    convert(k, value, ctx, n);
  });
  if (scan.error) {
    at(scan.error.offset, 'error', `invalid JSON: ${scan.error.message}; the ${scan.elements.length} complete element(s) before it are kept`);
  }
  return { value: result(), diagnostics: sink.diagnostics };

  function convert(k: Exclude<IpJsonKind, 'empty'>, o: JsonObject, ctx: JsonContext, n: number): void {
    switch (k) {
      case 'links': { const l = linkFromJson(o, ctx); if (l) links.push(l); else missingField(ctx, "'ifname'"); break; }
      case 'routes': { const r = routeFromJson(o, ctx); if (r) routes.push(r); break; }
      case 'rules': { const r = ruleFromJson(o, ctx); if (r) rules.push(r); break; }
      case 'neighbours': { const e = neighbourFromJson(o, ctx); if (e) neighbours.push(e); else missingField(ctx, "'dst' address"); break; }
      case 'netns': { const e = netnsFromJson(o, ctx); if (e) namespaces.push(e); else missingField(ctx, "'name'"); break; }
      case 'bridge-ports': { const p = bridgePortFromJson(o, ctx); if (p) ports.push(p); else missingField(ctx, "'ifname'"); break; }
      case 'fdb': { const e = fdbEntryFromJson(o, ctx); if (e) entries.push(e); else missingField(ctx, "'mac'/'ifname'"); break; }
      case 'bridge-vlans': { const v = bridgeVlanFromJson(o, ctx); if (v) vlans.push(v); else missingField(ctx, `'ifname' (element ${n + 1})`); break; }
    }
  }

  function result(): IpJsonDump {
    switch (kind) {
      case undefined: return { kind: 'empty' };
      case 'links': return { kind, links };
      case 'routes': return { kind, routes };
      case 'rules': return { kind, rules };
      case 'neighbours': return { kind, neighbours };
      case 'netns': return { kind, namespaces };
      case 'bridge-ports': return { kind, ports };
      case 'fdb': return { kind, entries };
      case 'bridge-vlans': return { kind, vlans };
    }
  }
}
