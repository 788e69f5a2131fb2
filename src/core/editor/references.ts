import type { EditorLanguageId } from './EditorLanguageId';
import { rangeFromSpan, type EditorLocation, type EditorPosition } from './EditorRange';
import { chainKey, netfilterView } from './netfilterView';
import { actionTargetTable, allActions, ovsFlowsView } from './ovsView';
import { parseEditorDocument } from './parseEditorDocument';
import { symbolAt } from './symbolAt';

/**
 * Find references: every rule that jumps (`-j`) or goes (`-g`) to a chain, pointing at the target
 * name on the rule's line; every action that sends packets to an OVS table (resubmit, goto_table,
 * ct(table=), learn(table=)); in a trace, also every step in that table. With
 * `includeDeclaration`, the chain declaration / the table's first flow come first.
 */
export function references(text: string, languageId: EditorLanguageId, position: EditorPosition, includeDeclaration = true, file = 'untitled'): EditorLocation[] {
  const doc = parseEditorDocument(text, languageId, file);
  const at = symbolAt(doc, position);
  if (!at) return [];
  const out: EditorLocation[] = [];
  if (at.kind === 'chain') {
    const view = netfilterView(doc);
    if (!view) return [];
    for (const c of at.chains) {
      if (includeDeclaration) out.push({ file, range: rangeFromSpan(c.span) });
      for (const r of view.callers.get(chainKey(c.table, c.name)) ?? []) out.push({ file, range: r.targetRange ?? rangeFromSpan(r.span) });
    }
    return out;
  }
  if (doc.kind === 'ovs-flows') {
    const view = ovsFlowsView(doc.dump, doc.bridge);
    const first = view.byTable.get(at.table)?.flows[0];
    if (includeDeclaration && first) out.push({ file, range: rangeFromSpan(first.span) });
    for (const f of doc.dump.flows) {
      for (const a of allActions(f.actions)) if (actionTargetTable(a) === at.table) out.push({ file, range: rangeFromSpan(a.span) });
    }
    return out;
  }
  if (doc.kind === 'ovs-trace') {
    for (const s of doc.trace.steps) {
      if (includeDeclaration && s.table === at.table) out.push({ file, range: rangeFromSpan(s.span) });
      for (const l of s.lines) {
        if (!l.action) continue;
        for (const a of allActions([l.action])) if (actionTargetTable(a) === at.table) out.push({ file, range: rangeFromSpan(a.span) });
      }
    }
    return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  }
  return out;
}
