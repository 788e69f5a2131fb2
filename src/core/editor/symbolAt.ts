import { rangeContains, rangeFromSpan, type EditorPosition } from './EditorRange';
import { findChains, netfilterAtLine, netfilterView, type NfChain } from './netfilterView';
import { actionTargetTable, allActions } from './ovsView';
import type { EditorDocument } from './parseEditorDocument';
import { netfilterWordAt, wordAt } from './wordAt';

/**
 * What the cursor is on, for navigation: a chain name (iptables/ebtables: its declaration, a `-j`
 * target, the `-L` target column) or an OVS table (`table=N`, `resubmit(,N)`, `goto_table:N`,
 * `ct(table=N)`, `learn(table=N)`, a trace step `N.`).
 */
export type SymbolAt =
  | { readonly kind: 'chain'; readonly name: string; readonly chains: readonly NfChain[] }
  | { readonly kind: 'ovsTable'; readonly table: number };

export function symbolAt(doc: EditorDocument, pos: EditorPosition): SymbolAt | undefined {
  const line = doc.lines.line(pos.line);
  if (doc.kind === 'iptables' || doc.kind === 'ebtables') {
    const view = netfilterView(doc);
    const w = netfilterWordAt(line, pos.character);
    if (!view || !w) return undefined;
    const chains = findChains(view, w.text, netfilterAtLine(view, pos.line)?.table.name);
    return chains.length > 0 ? { kind: 'chain', name: w.text, chains } : undefined;
  }
  if (doc.kind === 'ovs-flows') {
    const flow = doc.dump.flows.find((f) => f.span.line - 1 === pos.line);
    if (!flow) return undefined;
    for (const a of allActions(flow.actions)) {
      const t = actionTargetTable(a);
      if (t !== undefined && rangeContains(rangeFromSpan(a.span), pos)) return { kind: 'ovsTable', table: t };
    }
    const w = wordAt(line, pos.character, 'ovs');
    if (w && /^\d+$/.test(w.text) && /(?:^|[\s,])table(?:_id)?=$/.test(line.slice(0, w.start))) return { kind: 'ovsTable', table: Number(w.text) };
    return undefined;
  }
  // ovs-trace: a step line (`24. ...`) or an action line under a step.
  const stepLine = /^\s*(\d+)\.(?=\s|$)/.exec(line);
  if (stepLine && pos.character <= stepLine[0].length) return { kind: 'ovsTable', table: Number(stepLine[1]) };
  for (const s of doc.trace.steps) {
    for (const l of s.lines) {
      if (l.span.line - 1 !== pos.line || !l.action) continue;
      for (const a of allActions([l.action])) {
        const t = actionTargetTable(a);
        if (t !== undefined && rangeContains(rangeFromSpan(a.span), pos)) return { kind: 'ovsTable', table: t };
      }
    }
  }
  return undefined;
}
