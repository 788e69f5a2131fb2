import type { TraceResult, TraceStep } from './TraceResult';

export interface TraceJsonStep {
  layer: string; netns?: string; table?: string; chain?: string; bridge?: string;
  raw?: string; file?: string; line?: number; action: string; because: readonly string[]; depth: number;
  rewrites?: readonly string[]; note?: string;
}

/** The `--json` form: `{verdict, decidedBy: {layer, netns, table, chain, bridge, raw, file, line}, steps, assumptions}`. */
export function traceToJson(r: TraceResult): { verdict: string; decidedBy: TraceJsonStep | null; steps: TraceJsonStep[]; egress: TraceResult['egress']; assumptions: readonly string[]; notes: readonly string[] } {
  return {
    verdict: r.verdict,
    decidedBy: r.decidedBy ? stepJson(r.decidedBy) : null,
    steps: r.steps.map(stepJson),
    egress: r.egress,
    assumptions: r.assumptions,
    notes: r.notes,
  };
}

function stepJson(s: TraceStep): TraceJsonStep {
  const j: TraceJsonStep = { layer: s.layer, action: s.action, because: s.because, depth: s.depth };
  if (s.netns !== undefined) j.netns = s.netns;
  if (s.table !== undefined) j.table = s.table;
  if (s.chain !== undefined) j.chain = s.chain;
  if (s.bridge !== undefined) j.bridge = s.bridge;
  if (s.raw !== undefined) j.raw = s.raw;
  if (s.span) { j.file = s.span.file; j.line = s.span.line; }
  if (s.rewrites) j.rewrites = s.rewrites;
  if (s.note) j.note = s.note;
  return j;
}
