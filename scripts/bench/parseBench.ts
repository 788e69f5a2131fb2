/**
 * Parse throughput of our parsers on real dumps, one timed parse per request, so run.mjs can
 * interleave our runs with the baselines' (on a shared machine, both sides then see the same load).
 *
 *   node dist/bench/parseBench.js --serve
 *     stdin:  one request per line, `ovs FILE` or `iptables FILE`
 *     stdout: one JSON line per request: {kind, file, ms, ...} — the first request for a file also
 *             warms the JIT up (3 untimed parses) and adds its size, entity and diagnostic counts
 *   node dist/bench/parseBench.js --runs 10 [--ovs FILE]... [--iptables FILE]...
 *     best of N in one go; prints one JSON object {results: [...]}.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { parseIptablesSave } from '../../src/core/iptables/parseIptablesSave';
import { parseOvsDumpFlows } from '../../src/core/ovs/parseOvsDumpFlows';
import type { Diagnostic } from '../../src/core/text/Diagnostic';

type Kind = 'ovs' | 'iptables';

export interface ParseInput {
  readonly file: string;
  readonly kind: Kind;
  readonly bytes: number;
  readonly lines: number;
  /** Flows or rules kept by the parser. */
  readonly entities: number;
  readonly errors: number;
  readonly warnings: number;
  /** The first error diagnostic, `line:col: message`, when there is one. */
  readonly firstError?: string;
}

interface Loaded {
  readonly info: ParseInput;
  readonly parse: () => unknown;
}

function describe(kind: Kind, file: string, text: string, entities: number, diagnostics: readonly Diagnostic[]): ParseInput {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  let lines = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lines++;
  const info: { -readonly [K in keyof ParseInput]: ParseInput[K] } = {
    file, kind, bytes: Buffer.byteLength(text), lines, entities, errors: errors.length,
    warnings: diagnostics.filter((d) => d.severity === 'warning').length,
  };
  const e = errors[0];
  if (e) info.firstError = `${e.line}:${e.column}: ${e.message}`;
  return info;
}

function load(kind: Kind, file: string): Loaded {
  const text = readFileSync(file, 'utf8');
  let info: ParseInput;
  let parse: () => unknown;
  if (kind === 'ovs') {
    const r = parseOvsDumpFlows(text, { file });
    info = describe(kind, file, text, r.value.flows.length, r.diagnostics);
    parse = () => parseOvsDumpFlows(text, { file });
  } else {
    const r = parseIptablesSave(text, { file });
    let n = 0;
    for (const t of r.value.tables) for (const c of t.chains) n += c.rules.length;
    info = describe(kind, file, text, n, r.diagnostics);
    parse = () => parseIptablesSave(text, { file });
  }
  // Warm-up: let the JIT settle on both the hot paths and the rare ones.
  for (let i = 0; i < 3; i++) parse();
  return { info, parse };
}

let sink: unknown;

function timeOnce(l: Loaded): number {
  const t0 = performance.now();
  sink = l.parse();
  const ms = performance.now() - t0;
  if (sink === undefined) throw new Error('no parse result');
  return ms;
}

async function serve(): Promise<void> {
  const loaded = new Map<string, Loaded>();
  for await (const line of createInterface({ input: process.stdin })) {
    const m = /^(ovs|iptables) (.+)$/.exec(line.trim());
    if (!m) continue;
    const kind = m[1] as Kind;
    const file = m[2] ?? '';
    const key = `${kind} ${file}`;
    let l = loaded.get(key);
    const first = !l;
    if (!l) loaded.set(key, (l = load(kind, file)));
    const ms = timeOnce(l);
    process.stdout.write(`${JSON.stringify(first ? { ...l.info, ms } : { kind, file, ms })}\n`);
  }
}

function batch(runs: number, ovs: readonly string[], iptables: readonly string[]): void {
  const results = [];
  for (const [kind, files] of [['ovs', ovs], ['iptables', iptables]] as const) {
    for (const file of files) {
      const l = load(kind, file);
      const runsMs: number[] = [];
      for (let i = 0; i < runs; i++) runsMs.push(timeOnce(l));
      results.push({ ...l.info, runsMs, bestMs: Math.min(...runsMs) });
    }
  }
  process.stdout.write(`${JSON.stringify({ results })}\n`);
}

const { values } = parseArgs({
  options: {
    serve: { type: 'boolean', default: false }, runs: { type: 'string', default: '10' },
    ovs: { type: 'string', multiple: true }, iptables: { type: 'string', multiple: true },
  },
});
if (values.serve) {
  serve().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  });
} else {
  batch(Math.max(1, Number(values.runs)), values.ovs ?? [], values.iptables ?? []);
}
