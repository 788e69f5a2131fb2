import type { EditorLanguageId } from './EditorLanguageId';
import { rangeFromSpan, type EditorLocation, type EditorPosition } from './EditorRange';
import { ovsFlowsView } from './ovsView';
import { parseEditorDocument } from './parseEditorDocument';
import { symbolAt } from './symbolAt';

/**
 * Go to definition: from `-j CHAIN` / `-g CHAIN` (or any mention of a chain) to the chain's
 * declaration (`:CHAIN - [0:0]`, `-N CHAIN`, `Chain CHAIN (...)`, `Bridge chain: CHAIN, ...`), the
 * same table's chain first; from `resubmit(,N)` / `goto_table:N` / `ct(table=N)` to the first flow of
 * table N; in a trace, to the step where the packet entered table N next. Nothing found -> [].
 */
export function definition(text: string, languageId: EditorLanguageId, position: EditorPosition, file = 'untitled'): EditorLocation[] {
  const doc = parseEditorDocument(text, languageId, file);
  const at = symbolAt(doc, position);
  if (!at) return [];
  if (at.kind === 'chain') return at.chains.map((c) => ({ file, range: rangeFromSpan(c.span) }));
  if (doc.kind === 'ovs-flows') {
    const first = ovsFlowsView(doc.dump, doc.bridge).byTable.get(at.table)?.flows[0];
    return first ? [{ file, range: rangeFromSpan(first.span) }] : [];
  }
  if (doc.kind === 'ovs-trace') {
    const steps = doc.trace.steps.filter((s) => s.table === at.table);
    const next = steps.find((s) => s.span.line - 1 > position.line) ?? steps[0];
    return next ? [{ file, range: rangeFromSpan(next.span) }] : [];
  }
  return [];
}
