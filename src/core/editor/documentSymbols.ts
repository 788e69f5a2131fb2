import type { OvsTrace } from '../ovs/parseOvsTrace';
import { decodeChainName } from '../openstack/decodeChainName';
import type { EditorLanguageId } from './EditorLanguageId';
import { rangeFromSpan, rangeUnion, type EditorRange } from './EditorRange';
import { groupDigits } from './humanUnits';
import { netfilterView, type NfChain, type NfRule } from './netfilterView';
import { neutronTableMeanings } from '../openstack/neutronOvsTables';
import { ovsFlowsView } from './ovsView';
import { parseEditorDocument, type EditorDocument } from './parseEditorDocument';

/**
 * The outline of a dump: iptables/ebtables tables -> chains -> rules; OVS flows by table;
 * ofproto/trace steps nested as the packet went (resubmits inside their caller), with the verdict.
 * Ranges come from the parsers' spans; a parent's range covers its children's, as VS Code's
 * breadcrumbs expect. Very large dumps keep tables and chains but drop leaf symbols past
 * `maxLeaves` (the outline of 42,000 rules is not readable anyway).
 */
export type EditorSymbolKind = 'table' | 'chain' | 'rule' | 'flow' | 'bridge' | 'step' | 'verdict' | 'pass';

/** Suggested `vscode.SymbolKind` member for each kind. */
export const SYMBOL_KIND_HINTS: Readonly<Record<EditorSymbolKind, string>> = {
  table: 'Namespace', chain: 'Function', rule: 'Field', flow: 'Field', bridge: 'Module', step: 'Event', verdict: 'Constant', pass: 'Package',
};

export interface EditorSymbol {
  readonly name: string;
  readonly detail: string;
  readonly kind: EditorSymbolKind;
  /** Everything that belongs to the symbol. */
  readonly range: EditorRange;
  /** The line that names it (the chain header, the table's first flow...). */
  readonly selectionRange: EditorRange;
  readonly children: readonly EditorSymbol[];
}

export interface DocumentSymbolsOptions {
  /** Rules/flows listed at most; past it only tables and chains are. Default 5,000. */
  readonly maxLeaves?: number;
}

const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function symbol(name: string, detail: string, kind: EditorSymbolKind, selectionRange: EditorRange, children: EditorSymbol[]): EditorSymbol {
  let range = selectionRange;
  for (const c of children) range = rangeUnion(range, c.range);
  return { name, detail, kind, range, selectionRange, children };
}

function ruleSymbol(r: NfRule): EditorSymbol {
  const target = r.targetName ?? '(no target)';
  const body = r.raw.replace(/^\s*(\[\d+:\d+\]\s+)?-[AI]\s+\S+\s*/, '');
  return symbol(`${r.index}. ${target}`, clip(r.comment ?? body, 100), 'rule', rangeFromSpan(r.span), []);
}

function chainDetail(c: NfChain, callers: number): string {
  const parts: string[] = [];
  if (c.policy !== undefined && c.policy !== '-') parts.push(`policy ${c.policy}`);
  parts.push(`${c.rules.length} rule${c.rules.length === 1 ? '' : 's'}`);
  if (!c.builtin) parts.push(`${callers} jump${callers === 1 ? '' : 's'} here`);
  const decoded = decodeChainName(c.name);
  if (decoded?.direction && decoded.port !== undefined) parts.push(`${decoded.direction} of ${decoded.port}`);
  return parts.join(' · ');
}

/** The smallest value in sorted `xs` greater than `x` (Infinity when none). */
function firstAbove(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo < xs.length ? xs[lo]! : Infinity;
}

function netfilterSymbols(doc: EditorDocument, maxLeaves: number): EditorSymbol[] {
  const view = netfilterView(doc);
  if (!view) return [];
  const total = view.tables.reduce((n, t) => n + t.chains.reduce((m, c) => m + c.rules.length, 0), 0);
  const withRules = total <= maxLeaves;
  return view.tables.map((t) => {
    // Lines where some chain's declaration or first rule stands, sorted for binary search.
    const starts = t.chains.flatMap((c) => (c.rules[0] ? [c.span.line, c.rules[0].span.line] : [c.span.line])).sort((a, b) => a - b);
    const chains = t.chains.map((c) => {
      const callers = view.callers.get(`${t.name}\u0000${c.name}`)?.length ?? 0;
      const rules = withRules ? c.rules.map(ruleSymbol) : [];
      // iptables-save declares every chain (`:CHAIN`) before any rule: a range from the declaration
      // to the last rule would overlap the other chains, and sticky scroll and breadcrumbs would
      // name the wrong chain. When another chain starts between the declaration and the chain's
      // first rule, the chain is its block of `-A` rules.
      const first = c.rules[0];
      if (first && firstAbove(starts, c.span.line) < first.span.line) {
        const block = rangeUnion(rangeFromSpan(first.span), rangeFromSpan(c.rules[c.rules.length - 1]!.span));
        return { ...symbol(c.name, chainDetail(c, callers), 'chain', rangeFromSpan(first.span), rules), range: block };
      }
      return symbol(c.name, chainDetail(c, callers), 'chain', rangeFromSpan(c.span), rules);
    });
    return symbol(t.name, `${t.chains.length} chains`, 'table', rangeFromSpan(t.span), chains);
  });
}

function flowSymbols(doc: Extract<EditorDocument, { kind: 'ovs-flows' }>, maxLeaves: number): EditorSymbol[] {
  const view = ovsFlowsView(doc.dump, doc.bridge);
  const withFlows = doc.dump.flows.length <= maxLeaves;
  return view.tables.map((g) => {
    const first = g.flows[0]!;
    const meaning = neutronTableMeanings(g.table, view.role);
    const packets = g.flows.reduce((n, f) => n + (f.nPackets ?? 0), 0);
    const detail = [`${g.flows.length} flow${g.flows.length === 1 ? '' : 's'}`, `${groupDigits(packets)} packets`, ...(meaning.length === 1 ? [meaning[0]!.table.name] : [])].join(' · ');
    const children = withFlows
      ? g.flows.map((f) => {
        const match = f.match.raw.replace(/^priority=\d+,?/, '');
        return symbol(clip(`priority=${f.priority}${match ? ` ${match}` : ''}`, 100), clip(`actions=${f.actionsText}`, 100), 'flow', rangeFromSpan(f.span), []);
      })
      : [];
    return symbol(`table ${g.table}`, detail, 'table', rangeFromSpan(first.span), children);
  });
}

function traceSymbols(doc: Extract<EditorDocument, { kind: 'ovs-trace' }>): EditorSymbol[] {
  const trace: OvsTrace = doc.trace;
  const children = new Map<number, number[]>();
  const roots: number[] = [];
  trace.steps.forEach((s, i) => {
    if (s.parent === undefined) roots.push(i);
    else children.set(s.parent, [...(children.get(s.parent) ?? []), i]);
  });
  const build = (i: number): EditorSymbol => {
    const s = trace.steps[i]!;
    let own = rangeFromSpan(s.span);
    for (const l of s.lines) own = rangeUnion(own, rangeFromSpan(l.span));
    const name = s.noMatch ? `table ${s.table}: no match` : `table ${s.table}`;
    const detail = [s.matchText || '(any)', s.priority !== undefined ? `priority ${s.priority}` : '', s.bridge ?? ''].filter(Boolean).join(' · ');
    const kids = (children.get(i) ?? []).map(build);
    const sym = symbol(name, clip(detail, 100), 'step', rangeFromSpan(s.span), kids);
    return { ...sym, range: rangeUnion(sym.range, own) };
  };
  const out: EditorSymbol[] = [];
  // Sections that the steps do not carry: the input flow and each verdict line.
  const lines = doc.lines;
  for (let n = 0; n < lines.count; n++) {
    const text = lines.line(n);
    const m = /^\s*(Flow|Datapath actions|Translation failed)\b:?\s*(.*)$/.exec(text);
    if (!m) continue;
    const start = text.length - text.trimStart().length;
    const range = { start: { line: n, character: start }, end: { line: n, character: text.length } };
    out.push(symbol(m[1] === 'Flow' ? 'Flow' : m[1]!, clip(m[2] ?? '', 100), m[1] === 'Flow' ? 'pass' : 'verdict', range, []));
  }
  out.push(...roots.map(build));
  return out.sort((a, b) => a.selectionRange.start.line - b.selectionRange.start.line);
}

export function documentSymbols(text: string, languageId: EditorLanguageId, file = 'untitled', opts: DocumentSymbolsOptions = {}): EditorSymbol[] {
  const doc = parseEditorDocument(text, languageId, file);
  const maxLeaves = opts.maxLeaves ?? 5000;
  switch (doc.kind) {
    case 'iptables':
    case 'ebtables':
      return netfilterSymbols(doc, maxLeaves);
    case 'ovs-flows':
      return flowSymbols(doc, maxLeaves);
    case 'ovs-trace':
      return traceSymbols(doc);
  }
}
