import type { TraceResult, TraceStep } from './TraceResult';

/**
 * The human form of a trace, read like `ovs-appctl ofproto/trace`: one indented line per step,
 * with the dump line it came from, then the verdict and what was assumed.
 */
export function formatTrace(r: TraceResult): string {
  const out: string[] = [];
  for (const s of r.steps) out.push(formatStep(s));
  out.push('');
  const d = r.decidedBy;
  out.push(`Verdict: ${r.verdict.toUpperCase()}${d ? ` by ${where(d)}` : ''}`);
  if (d?.raw) out.push(`  ${d.raw.trim()}`);
  if (d?.span) out.push(`  at ${d.span.file}:${d.span.line}`);
  for (const e of r.egress) out.push(`Exit: ${e.kind} ${e.device ?? ''}${e.netns ? ` (namespace ${e.netns})` : ''}${e.detail ? ` — ${e.detail}` : ''}`);
  for (const n of r.notes) out.push(`Note: ${n}`);
  for (const a of r.assumptions) out.push(`Assumed: ${a}`);
  return `${out.join('\n')}\n`;
}

function where(s: TraceStep): string {
  const ns = s.netns ? ` [netns ${s.netns}]` : '';
  switch (s.layer) {
    case 'ovs': return `OVS ${s.bridge ?? ''}${s.table !== undefined ? ` table ${s.table}` : ''}`;
    case 'iptables':
    case 'ebtables': return `${s.layer} ${s.table ?? ''} ${s.chain ?? ''}${s.span ? ` rule at line ${s.span.line}` : ''}${ns}`;
    case 'routing': return `routing${ns}`;
    case 'bridge': return `Linux bridge ${s.bridge ?? ''}${ns}`;
    case 'device': return `device${ns}`;
  }
}

function formatStep(s: TraceStep): string {
  const pad = '  '.repeat(s.depth);
  const head = s.layer === 'ovs' ? `${s.bridge ?? ''}${s.table !== undefined ? ` table ${s.table}` : ''}` :
    s.layer === 'iptables' || s.layer === 'ebtables' ? `${s.layer}${s.netns ? `[${s.netns}]` : ''} ${s.table ?? ''}/${s.chain ?? ''}` :
      s.layer === 'bridge' ? `bridge ${s.bridge ?? ''}` : s.layer;
  const rule = s.raw && s.layer !== 'device' ? ` ${s.raw.trim()}` : '';
  const line = s.span ? ` (${s.span.file}:${s.span.line})` : '';
  const lines = [`${pad}${head}:${rule}${line}`];
  lines.push(`${pad}    -> ${s.action}${s.because.length ? `  [${s.because.join('; ')}]` : ''}`);
  if (s.rewrites?.length) lines.push(`${pad}    rewrites: ${s.rewrites.join(', ')}`);
  if (s.note) lines.push(`${pad}    note: ${s.note}`);
  return lines.join('\n');
}
