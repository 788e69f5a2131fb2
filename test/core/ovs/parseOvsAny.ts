/**
 * Dispatch from an OVS format id to its parser, for the corpus and property tests; returns a
 * one-line summary (counts) alongside the diagnostics and the spans to check.
 */
import type { Diagnostic } from '../../../src/core/text/Diagnostic';
import type { Span } from '../../../src/core/text/Span';
import { parseOvsDumpFlows } from '../../../src/core/ovs/parseOvsDumpFlows';
import { parseOvsFdbShow } from '../../../src/core/ovs/parseOvsFdbShow';
import { parseOvsOfctlShow } from '../../../src/core/ovs/parseOvsOfctlShow';
import { parseOvsRecognisedOnly } from '../../../src/core/ovs/parseOvsRecognisedOnly';
import { parseOvsTrace } from '../../../src/core/ovs/parseOvsTrace';
import { parseOvsVsctlShow } from '../../../src/core/ovs/parseOvsVsctlShow';
import type { OvsFormatId } from '../../../src/core/ovs/sniffOvsFormat';

export interface OvsParsed {
  readonly summary: string;
  /** The count a test can check against the text independently (flows, ports, entries...). */
  readonly count: number;
  readonly diagnostics: readonly Diagnostic[];
  /** Every kept entity with its raw text. */
  readonly spans: readonly { readonly raw: string; readonly span: Span }[];
}

export function parseOvsAny(format: OvsFormatId, text: string, file: string): OvsParsed {
  const o = { file };
  switch (format) {
    case 'ovs-dump-flows': {
      const r = parseOvsDumpFlows(text, o);
      const spans = r.value.flows.flatMap((f) => [f, f.match, ...f.match.fields, ...f.actions.filter((a) => a.raw !== '')]);
      const tables = new Set(r.value.flows.map((f) => f.table)).size;
      return { summary: `${r.value.flows.length} flows in ${tables} tables (${r.value.source})`, count: r.value.flows.length, diagnostics: r.diagnostics, spans };
    }
    case 'ovs-ofctl-show': {
      const r = parseOvsOfctlShow(text, o);
      return { summary: `${r.value.ports.length} ports`, count: r.value.ports.length, diagnostics: r.diagnostics, spans: r.value.ports };
    }
    case 'ovs-vsctl-show': {
      const r = parseOvsVsctlShow(text, o);
      const ports = r.value.bridges.flatMap((b) => b.ports);
      const spans = [...r.value.bridges, ...r.value.bridges.flatMap((b) => b.controllers), ...ports, ...ports.flatMap((p) => p.interfaces)];
      return { summary: `${r.value.bridges.length} bridges, ${ports.length} ports`, count: ports.length, diagnostics: r.diagnostics, spans };
    }
    case 'ovs-fdb-show': {
      const r = parseOvsFdbShow(text, o);
      return { summary: `${r.value.entries.length} entries`, count: r.value.entries.length, diagnostics: r.diagnostics, spans: r.value.entries };
    }
    case 'ovs-trace': {
      const r = parseOvsTrace(text, o);
      const spans = [...r.value.steps, ...r.value.steps.flatMap((s) => s.lines)];
      return { summary: `${r.value.steps.length} steps in ${r.value.passes.length} pass(es)`, count: r.value.steps.length, diagnostics: r.diagnostics, spans };
    }
    case 'ovs-dpctl-show':
    case 'ovs-dpctl-flows':
    case 'ovs-appctl-other':
    case 'ovn-lflows': {
      const r = parseOvsRecognisedOnly(text, { ...o, format });
      return { summary: `${r.value.kind}: ${r.value.entries} entries`, count: r.value.entries, diagnostics: r.diagnostics, spans: [] };
    }
  }
}
