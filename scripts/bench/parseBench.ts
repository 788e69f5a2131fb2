/**
 * Parse throughput of our parsers on real dumps: best of N timed runs per file, after warm-up.
 *
 *   node dist/bench/parseBench.js --runs 10 [--ovs FILE]... [--iptables FILE]...
 *
 * Prints one JSON object: per file its size, entity count, error-diagnostic count, every run's
 * milliseconds and the best.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { parseIptablesSave } from '../../src/core/iptables/parseIptablesSave';
import { parseOvsDumpFlows } from '../../src/core/ovs/parseOvsDumpFlows';
import type { Diagnostic } from '../../src/core/text/Diagnostic';

export interface ParseTiming {
  readonly file: string;
  readonly kind: 'ovs' | 'iptables';
  readonly bytes: number;
  readonly lines: number;
  /** Flows or rules kept by the parser. */
  readonly entities: number;
  readonly errors: number;
  readonly warnings: number;
  /** The first error diagnostic, `line:col: message`, when there is one. */
  readonly firstError?: string;
  readonly runsMs: readonly number[];
  readonly bestMs: number;
  readonly medianMs: number;
}

type Counts = Pick<ParseTiming, 'entities' | 'errors' | 'warnings' | 'firstError'>;

function counts(entities: number, diagnostics: readonly Diagnostic[]): Counts {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const c: { -readonly [K in keyof Counts]: Counts[K] } = { entities, errors: errors.length, warnings: diagnostics.filter((d) => d.severity === 'warning').length };
  const e = errors[0];
  if (e) c.firstError = `${e.line}:${e.column}: ${e.message}`;
  return c;
}

function countRules(text: string, file: string): Counts {
  const r = parseIptablesSave(text, { file });
  let n = 0;
  for (const t of r.value.tables) for (const c of t.chains) n += c.rules.length;
  return counts(n, r.diagnostics);
}

function countFlows(text: string, file: string): Counts {
  const r = parseOvsDumpFlows(text, { file });
  return counts(r.value.flows.length, r.diagnostics);
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] ?? 0 : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}

function bench(kind: 'ovs' | 'iptables', file: string, runs: number): ParseTiming {
  const text = readFileSync(file, 'utf8');
  const parse = kind === 'ovs' ? (): unknown => parseOvsDumpFlows(text, { file }) : (): unknown => parseIptablesSave(text, { file });
  const counts = kind === 'ovs' ? countFlows(text, file) : countRules(text, file);
  // Warm-up: let the JIT settle on both the hot paths and the rare ones.
  for (let i = 0; i < 3; i++) parse();
  const runsMs: number[] = [];
  let keep: unknown;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    keep = parse();
    runsMs.push(performance.now() - t0);
  }
  if (keep === undefined) throw new Error('no result');
  let lines = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lines++;
  return { file, kind, bytes: Buffer.byteLength(text), lines, ...counts, runsMs, bestMs: Math.min(...runsMs), medianMs: median(runsMs) };
}

function main(): void {
  const { values } = parseArgs({
    options: { runs: { type: 'string', default: '10' }, ovs: { type: 'string', multiple: true }, iptables: { type: 'string', multiple: true } },
  });
  const runs = Math.max(1, Number(values.runs));
  const results: ParseTiming[] = [];
  for (const f of values.ovs ?? []) results.push(bench('ovs', f, runs));
  for (const f of values.iptables ?? []) results.push(bench('iptables', f, runs));
  process.stdout.write(`${JSON.stringify({ results })}\n`);
}

main();
