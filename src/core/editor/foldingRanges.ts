import type { EditorLanguageId } from './EditorLanguageId';
import { netfilterView } from './netfilterView';
import { ovsFlowsView } from './ovsView';
import { parseEditorDocument, type EditorDocument } from './parseEditorDocument';

/**
 * Folding per table and chain (iptables, ebtables), per OVS table (a run of flows of one table),
 * per trace step (with the actions and resubmits under it) and per bridge section of a trace.
 * Lines are 0-based; a range folds `startLine + 1 .. endLine` under `startLine`.
 */
export interface EditorFoldingRange {
  readonly startLine: number;
  readonly endLine: number;
  readonly kind: 'table' | 'chain' | 'step' | 'bridge';
}

function add(out: EditorFoldingRange[], seen: Set<string>, startLine: number, endLine: number, kind: EditorFoldingRange['kind']): void {
  if (endLine <= startLine) return;
  const key = `${startLine}:${endLine}`;
  if (seen.has(key)) return;
  seen.add(key);
  out.push({ startLine, endLine, kind });
}

function netfilterFolds(doc: EditorDocument, out: EditorFoldingRange[], seen: Set<string>): void {
  const view = netfilterView(doc);
  if (!view) return;
  for (const t of view.tables) {
    let end = t.span.endLine - 1;
    for (const c of t.chains) {
      end = Math.max(end, c.span.endLine - 1);
      const rules = c.rules;
      if (rules.length === 0) continue;
      const first = rules[0]!.span.line - 1;
      const last = rules[rules.length - 1]!.span.endLine - 1;
      end = Math.max(end, last);
      // A chain header directly above its rules (`Chain X (...)`, `Bridge chain: X`) folds them;
      // iptables-save declares chains apart from their rules, so there the rules fold under the first.
      const header = c.span.line - 1;
      const contiguous = rules.every((r, i) => i === 0 || r.span.line === rules[i - 1]!.span.endLine + 1);
      if (!contiguous) continue;
      if (header < first && first - header <= 2) add(out, seen, header, last, 'chain');
      else add(out, seen, first, last, 'chain');
    }
    // iptables-save: the table runs to its COMMIT line.
    for (let n = end + 1; n < Math.min(doc.lines.count, end + 3); n++) {
      const text = doc.lines.line(n).trim();
      if (text === 'COMMIT') {
        end = n;
        break;
      }
      if (text !== '') break;
    }
    // `-S`/`-L` dumps have no table line of their own (the table "starts" at its first chain):
    // folding the whole file under that chain's header would hide the chain fold.
    const ownLine = t.span.endOffset > t.span.offset && !t.chains.some((c) => c.span.line === t.span.line || c.rules.some((r) => r.span.line === t.span.line));
    if (ownLine) add(out, seen, t.span.line - 1, end, 'table');
  }
}

function flowFolds(doc: Extract<EditorDocument, { kind: 'ovs-flows' }>, out: EditorFoldingRange[], seen: Set<string>): void {
  const view = ovsFlowsView(doc.dump, doc.bridge);
  // A table's flows are normally consecutive; fold each consecutive run.
  for (const g of view.tables) {
    let start = -1;
    let prev = -2;
    for (const f of g.flows) {
      const line = f.span.line - 1;
      if (line !== prev + 1) {
        if (start >= 0) add(out, seen, start, prev, 'table');
        start = line;
      }
      prev = line;
    }
    if (start >= 0) add(out, seen, start, prev, 'table');
  }
}

function traceFolds(doc: Extract<EditorDocument, { kind: 'ovs-trace' }>, out: EditorFoldingRange[], seen: Set<string>): void {
  const steps = doc.trace.steps;
  const end = steps.map((s) => Math.max(s.span.endLine - 1, ...s.lines.map((l) => l.span.endLine - 1)));
  // A step's fold covers its descendants (resubmitted steps are printed under it).
  for (let i = steps.length - 1; i >= 0; i--) {
    const p = steps[i]!.parent;
    if (p !== undefined && p >= 0 && p < i) end[p] = Math.max(end[p]!, end[i]!);
  }
  steps.forEach((s, i) => add(out, seen, s.span.line - 1, end[i]!, 'step'));
  // Bridge sections: `bridge("br-int")` up to the line before the next section or verdict.
  let open = -1;
  let last = -1;
  for (let n = 0; n < doc.lines.count; n++) {
    const text = doc.lines.line(n);
    const section = /^\s*(bridge\("|Bridge: )/.test(text);
    const closing = /^\s*(Final flow:|Megaflow:|Datapath actions:|recirc\()/.test(text);
    if ((section || closing) && open >= 0) {
      add(out, seen, open, last, 'bridge');
      open = -1;
    }
    if (section) open = n;
    if (text.trim() !== '') last = n;
  }
  if (open >= 0) add(out, seen, open, last, 'bridge');
}

export function foldingRanges(text: string, languageId: EditorLanguageId, file = 'untitled'): EditorFoldingRange[] {
  const doc = parseEditorDocument(text, languageId, file);
  const out: EditorFoldingRange[] = [];
  const seen = new Set<string>();
  if (doc.kind === 'iptables' || doc.kind === 'ebtables') netfilterFolds(doc, out, seen);
  else if (doc.kind === 'ovs-flows') flowFolds(doc, out, seen);
  else traceFolds(doc, out, seen);
  return out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}
