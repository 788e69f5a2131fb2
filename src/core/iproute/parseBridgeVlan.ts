import { DiagnosticSink, type ParseOptions, type ParseResult } from '../text/Diagnostic';
import { iterateLines, looksBinary } from '../text/lines';
import type { BridgeVlan, BridgeVlanId } from './BridgeVlan';
import type { Mutable } from './Mutable';
import { reportAt, segmentOfLine, spanOfSegments, type Segment } from './Segment';
import { firstNonBlank, isBlankLine, tokenize, tokenTexts, type Token } from './tokenize';

/** First words of the `-d` per-VLAN detail lines (`state forwarding mcast_router 1`). */
const VLAN_DETAIL_WORDS: ReadonlySet<string> = new Set(['state', 'mcast_router', 'mcast_max_groups', 'mcast_n_groups', 'neigh_suppress', 'tunnel_id']);

/**
 * `bridge [-d] vlan [show]`:
 * ```
 * port	vlan ids
 * ens3	 1 PVID Egress Untagged
 *
 * br0               1 PVID Egress Untagged
 *                   10-20
 * ```
 * Indented lines add VLANs to the port above; `-d` lines such as `state forwarding mcast_router 1`
 * are kept in raw only. A bad VLAN id is an error and that VLAN is skipped; any other line is a warning.
 */
export function parseBridgeVlan(text: string, opts: ParseOptions): ParseResult<BridgeVlan[]> {
  const sink = new DiagnosticSink(opts.file);
  const out: BridgeVlan[] = [];
  if (looksBinary(text)) {
    sink.error(1, 'input looks binary; not parsed as bridge vlan output');
    return { value: out, diagnostics: sink.diagnostics };
  }
  let cur: { port: string; vlans: BridgeVlanId[]; first: Segment; last: Segment } | undefined;
  const close = (): void => {
    if (!cur) return;
    const span = spanOfSegments(opts.file, cur.first, cur.last);
    out.push({ port: cur.port, vlans: cur.vlans, raw: text.slice(span.offset, span.endOffset), span });
    cur = undefined;
  };
  for (const l of iterateLines(text)) {
    if (isBlankLine(l.text)) continue;
    const seg = segmentOfLine(l);
    const toks = tokenize(l.text);
    const head = toks[0]!;
    if (head.text === 'port' && (toks[1]?.text === 'vlan' || toks[1]?.text === 'vlan-id')) {
      close();
      continue;
    }
    if (firstNonBlank(l.text) === 0) {
      close();
      cur = { port: head.text, vlans: [], first: seg, last: seg };
      readVlan(cur.vlans, toks, 1, seg);
      continue;
    }
    if (!cur) {
      reportAt(sink, 'error', seg, 'VLAN line without a port before it; skipped', head);
      continue;
    }
    cur.last = seg;
    if (/^\d/.test(head.text)) readVlan(cur.vlans, toks, 0, seg);
    else if (!VLAN_DETAIL_WORDS.has(head.text)) reportAt(sink, 'warning', seg, `unrecognised line in a port's VLAN list ('${head.text}'); kept in raw, ignored`, head);
  }
  close();
  return { value: out, diagnostics: sink.diagnostics };

  function readVlan(into: BridgeVlanId[], toks: readonly Token[], at: number, seg: Segment): void {
    const vt = toks[at];
    if (!vt) return;
    const m = /^(\d{1,4})(?:-(\d{1,4}))?$/.exec(vt.text);
    if (!m) {
      reportAt(sink, 'error', seg, `bad VLAN id '${vt.text}'; skipped`, vt);
      return;
    }
    const rest = tokenTexts(toks, at + 1);
    const v: Mutable<BridgeVlanId> = {
      vid: Number(m[1]),
      pvid: rest.includes('PVID'),
      untagged: rest.includes('Untagged'),
    };
    if (m[2] !== undefined) v.vidEnd = Number(m[2]);
    into.push(v);
  }
}
