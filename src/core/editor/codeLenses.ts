import type { EditorLanguageId } from './EditorLanguageId';
import { rangeFromSpan, type EditorLocation, type EditorRange } from './EditorRange';
import { groupDigits } from './humanUnits';
import { chainKey, netfilterView } from './netfilterView';
import { actionTargetTable, allActions, ovsFlowsView } from './ovsView';
import { parseEditorDocument } from './parseEditorDocument';

/**
 * CodeLens data above each chain (iptables, ebtables) and each OVS table's first flow:
 * `12 rules · 3 jumps here · 1.2 M packets, 84 MiB in`. The extension shows `title` and, on
 * click, peeks `references` (the rules jumping there / the actions resubmitting there).
 * Packets "in" a user chain are the sum of the counters of the rules that jump to it (a user
 * chain's own `[0:0]` means nothing); for a built-in chain, its policy counters.
 */
export interface EditorCodeLens {
  readonly kind: 'chain' | 'table';
  /** Chain name, or the table number as text. */
  readonly name: string;
  /** The chain header line / the table's first flow line. */
  readonly range: EditorRange;
  readonly title: string;
  /** Rules in the chain / flows in the table. */
  readonly entries: number;
  /** Rules jumping here / actions sending packets to this table. */
  readonly referenceCount: number;
  readonly references: readonly EditorLocation[];
  readonly packets?: bigint;
  readonly bytes?: bigint;
}

const DECIMAL = [['', 1], [' K', 1e3], [' M', 1e6], [' G', 1e9], [' T', 1e12]] as const;
const BINARY = [[' B', 1], [' KiB', 1024], [' MiB', 1024 ** 2], [' GiB', 1024 ** 3], [' TiB', 1024 ** 4]] as const;

function short(n: bigint, units: readonly (readonly [string, number])[]): string {
  const v = Number(n);
  let u = units[0]!;
  for (const x of units) if (v >= x[1]) u = x;
  const s = v / u[1];
  return `${u[1] === 1 || s >= 100 ? s.toFixed(0) : s.toFixed(1)}${u[0]}`;
}

const plural = (n: number, one: string, many: string): string => `${groupDigits(n)} ${n === 1 ? one : many}`;

export function codeLenses(text: string, languageId: EditorLanguageId, file = 'untitled'): EditorCodeLens[] {
  const doc = parseEditorDocument(text, languageId, file);
  const out: EditorCodeLens[] = [];
  if (doc.kind === 'iptables' || doc.kind === 'ebtables') {
    const view = netfilterView(doc);
    if (!view) return out;
    for (const t of view.tables) {
      for (const c of t.chains) {
        const callers = view.callers.get(chainKey(t.name, c.name)) ?? [];
        let packets: bigint | undefined;
        let bytes: bigint | undefined;
        if (c.builtin && c.counters) {
          packets = c.counters.packets;
          bytes = c.counters.bytes;
        } else if (callers.some((r) => r.counters)) {
          packets = callers.reduce((n, r) => n + (r.counters?.packets ?? 0n), 0n);
          bytes = callers.reduce((n, r) => n + (r.counters?.bytes ?? 0n), 0n);
        }
        const parts = [plural(c.rules.length, 'rule', 'rules')];
        if (!c.builtin) parts.push(plural(callers.length, 'jump here', 'jumps here'));
        if (packets !== undefined && bytes !== undefined) parts.push(`${short(packets, DECIMAL)} packet${packets === 1n ? '' : 's'}, ${short(bytes, BINARY)} ${c.builtin ? 'to policy' : 'in'}`);
        const lens: { -readonly [K in keyof EditorCodeLens]: EditorCodeLens[K] } = {
          kind: 'chain', name: c.name, range: rangeFromSpan(c.span), title: parts.join(' · '), entries: c.rules.length,
          referenceCount: callers.length, references: callers.map((r) => ({ file, range: r.targetRange ?? rangeFromSpan(r.span) })),
        };
        if (packets !== undefined) lens.packets = packets;
        if (bytes !== undefined) lens.bytes = bytes;
        out.push(lens);
      }
    }
    return out;
  }
  if (doc.kind === 'ovs-flows') {
    const view = ovsFlowsView(doc.dump, doc.bridge);
    const refs = new Map<number, EditorLocation[]>();
    for (const f of doc.dump.flows) {
      for (const a of allActions(f.actions)) {
        const t = actionTargetTable(a);
        if (t === undefined) continue;
        const list = refs.get(t) ?? [];
        list.push({ file, range: rangeFromSpan(a.span) });
        refs.set(t, list);
      }
    }
    for (const g of view.tables) {
      const packets = BigInt(g.flows.reduce((n, f) => n + (f.nPackets ?? 0), 0));
      const bytes = BigInt(g.flows.reduce((n, f) => n + (f.nBytes ?? 0), 0));
      const r = refs.get(g.table) ?? [];
      out.push({
        kind: 'table', name: String(g.table), range: rangeFromSpan(g.flows[0]!.span),
        title: `table ${g.table} · ${plural(g.flows.length, 'flow', 'flows')} · ${plural(r.length, 'action sends here', 'actions send here')} · ${short(packets, DECIMAL)} packet${packets === 1n ? '' : 's'}, ${short(bytes, BINARY)}`,
        entries: g.flows.length, referenceCount: r.length, references: r, packets, bytes,
      });
    }
  }
  return out;
}
