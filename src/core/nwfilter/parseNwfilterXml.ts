import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { DiagnosticSink, type ParseOptions, type ParseResult } from '../text/Diagnostic';
import { looksBinary } from '../text/lines';
import { findFilterElements } from './findFilterElements';
import {
  NWFILTER_ACTIONS,
  NWFILTER_DIRECTIONS,
  type NwFilter,
  type NwFilterAction,
  type NwFilterDirection,
  type NwFilterEntry,
  type NwFilterParameter,
  type NwFilterRef,
  type NwFilterRule,
} from './NwFilter';
import { NWFILTER_PROTOCOLS } from './nwfilterProtocols';
import { OffsetIndex } from './OffsetIndex';

type XmlNode = Record<string | symbol, unknown>;

const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  preserveOrder: true,
  captureMetaData: true,
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

const ACTIONS: ReadonlySet<string> = new Set(NWFILTER_ACTIONS);
const DIRECTIONS: ReadonlySet<string> = new Set(NWFILTER_DIRECTIONS);

function isNode(v: unknown): v is XmlNode {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function tagOf(node: XmlNode): string | undefined {
  for (const k of Object.keys(node)) if (k !== ':@') return k;
  return undefined;
}

function childrenOf(node: XmlNode, tag: string): XmlNode[] {
  const c = node[tag];
  return Array.isArray(c) ? c.filter(isNode) : [];
}

function attributesOf(node: XmlNode): Record<string, string> {
  const a = node[':@'];
  if (!isNode(a)) return {};
  const out: Record<string, string> = {};
  // `__proto__` would set the prototype of a plain object instead of adding a key.
  for (const k in a) {
    const v = a[k];
    if (typeof v === 'string' && k !== '__proto__') out[k] = v;
  }
  return out;
}

function textOf(node: XmlNode, tag: string): string {
  return childrenOf(node, tag)
    .map((c) => c['#text'])
    .filter((t): t is string | number => typeof t === 'string' || typeof t === 'number')
    .join('')
    .trim();
}

function metaOf(node: XmlNode): { start: number; end: number } | undefined {
  const m = node[META];
  if (!isNode(m)) return undefined;
  const start = m['startIndex'];
  const end = m['endIndex'];
  return typeof start === 'number' && typeof end === 'number' ? { start, end } : undefined;
}

function parseIntAttr(text: string | undefined): number | undefined {
  if (text === undefined || !/^[+-]?\d{1,6}$/.test(text.trim())) return undefined;
  return Number(text.trim());
}

/**
 * Reads libvirt nwfilter XML: one `<filter>` (a file of /etc/libvirt/nwfilter) or several
 * concatenated (`for f in $(virsh nwfilter-list ...); do virsh nwfilter-dumpxml $f; done`).
 * Sample: `<filter name='no-mac-spoofing' chain='mac' priority='-800'>`.
 * Elements are parsed with fast-xml-parser; each filter, rule and filterref keeps the exact
 * source range (`captureMetaData`) so tree nodes and trace steps jump to its line.
 * Bad input never throws: a malformed filter gives an error with the line of the problem and is
 * skipped, the other filters are kept; unknown actions, directions and elements are kept and warned.
 */
export function parseNwfilterXml(text: string, opts: ParseOptions): ParseResult<NwFilter[]> {
  const file = opts.file;
  const sink = new DiagnosticSink(file);
  if (looksBinary(text)) {
    sink.error(1, 'input looks binary, not nwfilter XML; nothing read');
    return { value: [], diagnostics: sink.diagnostics };
  }
  const index = new OffsetIndex(text);
  const at = (offset: number): { line: number; column: number; raw: string } => ({ ...index.position(offset), raw: index.lineText(offset) });
  const { filters: elements, stray } = findFilterElements(text);
  const firstStray = stray[0];
  if (firstStray !== undefined) {
    const p = at(firstStray);
    sink.warning(p.line, `text outside <filter> elements ignored (${stray.length} place${stray.length === 1 ? '' : 's'}; is this a domain or filter-binding XML?)`, p.raw, p.column);
  }
  if (elements.length === 0 && text.trim() !== '') {
    sink.error(1, 'no <filter> element found: not libvirt nwfilter XML', index.lineText(0));
  }

  const filters: NwFilter[] = [];
  for (const el of elements) {
    const xml = text.slice(el.start, el.end);
    const nameGuess = /^<filter\s[^>]*?\bname\s*=\s*(['"])(.*?)\1/.exec(xml)?.[2];
    const what = nameGuess !== undefined ? `filter '${nameGuess}'` : 'this filter';
    const valid = XMLValidator.validate(xml);
    if (valid !== true) {
      const base = index.position(el.start);
      const line = base.line + valid.err.line - 1;
      const column = valid.err.line === 1 ? base.column + valid.err.col - 1 : valid.err.col;
      const msg = valid.err.msg.replace(/\.$/, '');
      const detail = el.closed ? msg : `no closing </filter> (truncated?): ${msg}`;
      sink.error(line, `malformed nwfilter XML: ${detail}; ${what} skipped`, index.lineText(Math.min(text.length, el.start)), column);
      continue;
    }
    let nodes: unknown;
    try {
      nodes = parser.parse(xml);
    } catch (e: unknown) {
      const p = at(el.start);
      sink.error(p.line, `nwfilter XML could not be read (${e instanceof Error ? e.message : String(e)}); ${what} skipped`, p.raw, p.column);
      continue;
    }
    const root = Array.isArray(nodes) ? nodes.filter(isNode).find((n) => tagOf(n) === 'filter') : undefined;
    if (!root) continue;
    const filter = readFilter(root, el.start);
    if (filter) filters.push(filter);
  }
  return { value: filters, diagnostics: sink.diagnostics };

  function readFilter(node: XmlNode, base: number): NwFilter | undefined {
    const m = metaOf(node);
    const start = base + (m?.start ?? 0);
    const end = base + (m?.end ?? 0);
    const a = attributesOf(node);
    const name = a['name'];
    if (name === undefined || name === '') {
      const p = at(start);
      sink.error(p.line, '<filter> without a name attribute; kept with an empty name, cannot be referenced', p.raw, p.column);
    }
    const priorityText = a['priority'];
    const priority = parseIntAttr(priorityText);
    if (priorityText !== undefined && (priority === undefined || priority < -1000 || priority > 1000)) {
      const p = at(start);
      sink.warning(p.line, `filter priority \`${priorityText}\` is not a number in -1000..1000; ignored`, p.raw, p.column);
    }
    const entries: NwFilterEntry[] = [];
    let uuid: string | undefined;
    for (const child of childrenOf(node, 'filter')) {
      const tag = tagOf(child);
      if (tag === undefined || tag === '#text') continue;
      if (tag === 'uuid') {
        uuid = textOf(child, 'uuid');
        continue;
      }
      if (tag === 'rule') {
        entries.push(readRule(child, base));
        continue;
      }
      if (tag === 'filterref') {
        const ref = readFilterref(child, base);
        if (ref) entries.push(ref);
        continue;
      }
      const cm = metaOf(child);
      const cp = at(base + (cm?.start ?? 0));
      sink.warning(cp.line, `unknown element <${tag}> in filter ${name ?? ''}; ignored`, cp.raw, cp.column);
    }
    const chain = a['chain'];
    return {
      name: name ?? '',
      ...(chain !== undefined ? { chain } : {}),
      ...(priority !== undefined && priority >= -1000 && priority <= 1000 ? { priority } : {}),
      ...(uuid !== undefined ? { uuid } : {}),
      entries,
      rules: entries.filter((e): e is NwFilterRule => e.kind === 'rule'),
      filterrefs: entries.filter((e): e is NwFilterRef => e.kind === 'filterref'),
      raw: text.slice(start, end),
      span: index.span(file, start, end),
    };
  }

  function readRule(node: XmlNode, base: number): NwFilterRule {
    const m = metaOf(node);
    const start = base + (m?.start ?? 0);
    const end = base + (m?.end ?? 0);
    let pos: ReturnType<typeof at> | undefined;
    const p = (): ReturnType<typeof at> => (pos ??= at(start));
    const a = attributesOf(node);
    const actionText = a['action'];
    const directionText = a['direction'];
    let action: NwFilterAction | 'unknown' = 'unknown';
    if (actionText !== undefined && ACTIONS.has(actionText)) action = actionText as NwFilterAction;
    else sink.warning(p().line, `rule action \`${actionText ?? '(missing)'}\` is not drop, accept, return, continue or reject; rule kept, not evaluated`, p().raw, p().column);
    let direction: NwFilterDirection | 'unknown' = 'unknown';
    if (directionText !== undefined && DIRECTIONS.has(directionText)) direction = directionText as NwFilterDirection;
    else sink.warning(p().line, `rule direction \`${directionText ?? '(missing)'}\` is not in, out or inout; rule kept, not evaluated`, p().raw, p().column);
    const priorityText = a['priority'];
    const priority = parseIntAttr(priorityText);
    if (priorityText !== undefined && (priority === undefined || priority < -1000 || priority > 1000)) {
      sink.warning(p().line, `rule priority \`${priorityText}\` is not a number in -1000..1000; libvirt's default 500 applies`, p().raw, p().column);
    }
    const statematchText = a['statematch'];
    const protoNodes = childrenOf(node, 'rule').filter((c) => {
      const t = tagOf(c);
      return t !== undefined && t !== '#text';
    });
    const proto = protoNodes[0];
    const protocol = proto ? tagOf(proto) : undefined;
    if (protoNodes.length > 1) {
      const second = protoNodes[1];
      const sp = at(base + ((second && metaOf(second)?.start) ?? 0));
      sink.warning(sp.line, `rule has ${protoNodes.length} protocol elements; libvirt uses one, the first (<${protocol ?? ''}>) is kept`, sp.raw, sp.column);
    }
    if (protocol !== undefined && !NWFILTER_PROTOCOLS.has(protocol)) {
      const pp = at(base + ((proto && metaOf(proto)?.start) ?? 0));
      sink.warning(pp.line, `unknown nwfilter protocol <${protocol}>; rule kept, not evaluated`, pp.raw, pp.column);
    }
    const attributes = proto ? attributesOf(proto) : {};
    return {
      kind: 'rule',
      action,
      direction,
      ...(priority !== undefined && priority >= -1000 && priority <= 1000 ? { priority } : {}),
      ...(statematchText !== undefined ? { statematch: !/^(0|false)$/i.test(statematchText) } : {}),
      ...(protocol !== undefined ? { protocol } : {}),
      negated: attributes['match'] === 'no',
      attributes,
      ruleAttributes: a,
      raw: text.slice(start, end),
      span: index.span(file, start, end),
    };
  }

  function readFilterref(node: XmlNode, base: number): NwFilterRef | undefined {
    const m = metaOf(node);
    const start = base + (m?.start ?? 0);
    const end = base + (m?.end ?? 0);
    const target = attributesOf(node)['filter'];
    if (target === undefined || target === '') {
      const p = at(start);
      sink.error(p.line, '<filterref> without a filter attribute; skipped', p.raw, p.column);
      return undefined;
    }
    const parameters: NwFilterParameter[] = [];
    for (const c of childrenOf(node, 'filterref')) {
      const tag = tagOf(c);
      if (tag === undefined || tag === '#text') continue;
      const ca = attributesOf(c);
      const name = ca['name'];
      const value = ca['value'];
      if (tag !== 'parameter' || name === undefined || value === undefined) {
        const cp = at(base + (metaOf(c)?.start ?? 0));
        sink.warning(cp.line, `expected <parameter name='…' value='…'/> in filterref ${target}; ignored`, cp.raw, cp.column);
        continue;
      }
      parameters.push({ name, value });
    }
    return { kind: 'filterref', filter: target, parameters, raw: text.slice(start, end), span: index.span(file, start, end) };
  }
}
