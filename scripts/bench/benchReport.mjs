// The human-readable table of a benchmark run, and the ratio summary stored in latest.json.

const int = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-');
const ms = (n) => (Number.isFinite(n) ? (n >= 100 ? `${n.toFixed(0)} ms` : n >= 1 ? `${n.toFixed(1)} ms` : `${(n * 1000).toFixed(0)} µs`) : '-');
const mib = (b) => (Number.isFinite(b) ? `${(b / 2 ** 20).toFixed(1)} MiB` : '-');
const x = (n, digits = 1) => (Number.isFinite(n) ? `${n.toFixed(digits)}x` : '-');

function table(rows, write) {
  const widths = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, String(c).length)));
  for (const r of rows) write(`  ${r.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd()}\n`);
}

const verdict = (met) => (met === undefined ? '' : met ? 'met' : 'MISSED');

/** Prints the report; returns the ratios and whether each target was met. */
export function printReport(r, write) {
  const summary = {};
  write(`\nosnet bench  ${r.startedAt}  node ${r.machine.node}, ${r.machine.cpus} CPUs (${r.machine.cpuModel}), ${r.machine.memGiB} GiB, kernel ${r.machine.kernel}, ${r.root ? 'root' : 'not root'}\n`);
  write(`load average (1/5/15 min): start ${r.loadavg.start.join(' ')}`);
  if (r.loadavg.parse) write(`, parse ${r.loadavg.parse.join(' ')}`);
  if (r.loadavg.trace) write(`, trace ${r.loadavg.trace.join(' ')}`);
  write(`, end ${r.loadavg.end.join(' ')}\n`);
  write(`inputs: ${int(r.inputs.generatedFlows)} generated flows (${r.inputs.ovsPorts} ports), ${int(r.inputs.generatedRules)} generated rules (${r.inputs.hybridPorts} hybrid-firewall ports)\n`);
  write(`  flows: ${r.ovs.source}\n  rules: ${r.iptables.source}\n`);

  // ---- parse ----
  const p = r.parse;
  write(`\n1. Parse throughput (best of ${p.ours.iptables.runsMs.length} interleaved rounds per side; ratio = ours vs the baseline measured in the same rounds)\n`);
  const rows = [['input', 'entities', 'errors', 'ours', 'ours/s', 'baseline', 'baseline/s', 'ratio', 'target', '']];
  const ns = p.ours.ovsNoStats;
  const st = p.ours.ovsStats;
  const ip = p.ours.iptables;
  const perS = (n, msBest) => n / (msBest / 1000);
  if (p.python) {
    const pyRate = p.python.flows / p.python.bestS;
    const ratio = perS(ns.entities, ns.bestMs) / pyRate;
    summary.ovsParseVsPython = { ratio, target: 50, met: ratio >= 50 };
    rows.push(['dump-flows --no-stats', int(ns.entities), ns.errors, ms(ns.bestMs), `${int(perS(ns.entities, ns.bestMs))} flows`, `ovs.flow (Python ${p.python.python}) ${ms(p.python.bestS * 1000)}`, `${int(pyRate)} flows`, x(ratio), '>= 50x', verdict(ratio >= 50)]);
    const ratioSt = perS(st.entities, st.bestMs) / pyRate;
    rows.push(['dump-flows (stats)', int(st.entities), st.errors, ms(st.bestMs), `${int(perS(st.entities, st.bestMs))} flows`, '(same Python rate; it rejects n_packets)', '', x(ratioSt), '', '']);
  } else {
    rows.push(['dump-flows --no-stats', int(ns.entities), ns.errors, ms(ns.bestMs), `${int(perS(ns.entities, ns.bestMs))} flows`, 'ovs.flow: skipped', '', '-', '>= 50x', '']);
    rows.push(['dump-flows (stats)', int(st.entities), st.errors, ms(st.bestMs), `${int(perS(st.entities, st.bestMs))} flows`, '', '', '-', '', '']);
  }
  const testRuns = r.iptables.testRunsMs ?? [];
  if (testRuns.length > 0) {
    const best = Math.min(...testRuns);
    const ratio = ip.bestMs / best;
    summary.iptablesParseVsRestoreTest = { ratio, target: 0.2, met: ratio <= 0.2 };
    rows.push(['iptables-save -c', int(ip.entities), ip.errors, ms(ip.bestMs), `${int(perS(ip.entities, ip.bestMs))} rules`, `${r.iptables.tool} ${ms(best)}`, `${int(perS(ip.entities, best))} rules`, `${x(ratio, 2)} time`, '<= 0.2x', verdict(ratio <= 0.2)]);
  } else {
    rows.push(['iptables-save -c', int(ip.entities), ip.errors, ms(ip.bestMs), `${int(perS(ip.entities, ip.bestMs))} rules`, 'iptables-restore --test: skipped', '', '-', '<= 0.2x', '']);
  }
  table(rows, write);
  write(`  (ours: median of runs ${ms(ns.medianMs)} / ${ms(st.medianMs)} / ${ms(ip.medianMs)}; sizes ${mib(ns.bytes)} / ${mib(st.bytes)} / ${mib(ip.bytes)})\n`);
  if (p.python && p.python.errors > 0) write(`  ovs.flow rejected ${p.python.errors} of ${p.python.flows} flows (first: ${p.python.firstError})\n`);
  for (const [what, o] of [['dump-flows --no-stats', ns], ['dump-flows', st], ['iptables-save -c', ip]]) {
    if (o.errors > 0) write(`  our parser reported ${o.errors} error diagnostics on the ${what} dump; first: ${o.firstError}\n`);
  }

  // ---- trace ----
  if (r.trace) {
    const t = r.trace;
    write(`\n2. Trace latency (snapshot folder loaded in ${ms(t.loadMs)}, buildSimHost ${ms(t.buildSimHostMs)}; ${t.sim[0]?.n ?? 0} traces each)\n`);
    const base = t.ofprotoTrace?.medianMs;
    const trows = [['trace', 'start', 'verdict', 'median', 'p99', 'vs ofproto/trace', 'target', '']];
    for (const s of t.sim) {
      const start = s.start.kind === 'device' ? `--in ${s.start.device}` : `--bridge br-int --in-port ${s.start.port}`;
      const faster = base / s.medianMs;
      const met = s.medianMs < 1;
      summary[`trace_${s.name}`] = { medianMs: s.medianMs, p99Ms: s.p99Ms, speedupVsOfprotoTrace: faster, target: '< 1 ms', met };
      trows.push([s.name, start, `${s.verdict}${s.egress.length ? ` -> ${s.egress.join(', ')}` : ''}`, ms(s.medianMs), ms(s.p99Ms), base ? `${x(faster)} faster` : '-', '< 1 ms', verdict(met)]);
    }
    const o = t.ofprotoTrace;
    if (o) trows.push(['ofproto/trace', 'ovs-appctl, one process per call', 'baseline', ms(o.medianMs), `min ${ms(o.minMs)}`, `${o.runsMs.length} calls`, '', '']);
    table(trows, write);
    if (o) {
      const ours = t.sim.find((s) => s.name === 'ovs-pipeline')?.ovsTables ?? [];
      write(`  ofproto/trace: ${o.datapathActions.join(' ; ')}\n`);
      write(`  OVS tables walked: ofproto/trace ${o.tables.join(',')}; runOvsPipeline ${ours.join(',')}: ${o.tablesAgree ? 'same' : 'DIFFERENT'}\n`);
      summary.traceAgreesWithOfprotoTrace = o.tablesAgree;
    }
    for (const s of t.sim) if (s.decidedBy) write(`  ${s.name} decided by: ${s.decidedBy}\n`);
    const errFiles = t.files.filter((f) => f.errors > 0);
    if (errFiles.length) write(`  snapshot files with error diagnostics: ${errFiles.map((f) => `${f.path} (${f.errors})`).join(', ')}\n`);
    if (t.gaps.length) write(`  snapshot gaps: ${t.gaps.join('; ')}\n`);
  }

  // ---- explain-vip ----
  if (r.trace?.explain) {
    const e = r.trace.explain;
    // Both figures must be under target: the first call after loading (what an operator waits for) and
    // the median of the CLI runs.
    const first = e.firstMs ?? e.medianMs;
    summary.explainVip = { firstMs: first, medianMs: e.medianMs, cliMs: e.cliMs, targets: '< 100 ms after loading (first call), < 1.5 s whole CLI run (median of 3)', met: first < 100 && e.cliMs < 1500 };
    const cliRuns = e.cliRunsMs ? ` (runs ${e.cliRunsMs.map(ms).join(', ')})` : '';
    write(`\n2b. explain-vip ${e.vip} --port ${e.port} on the same host: first call after loading ${ms(first)}, then ${ms(e.medianMs)} median (target < 100 ms); whole CLI run ${ms(e.cliMs)} median of 3${cliRuns} (target < 1.5 s), exit ${e.cliExit}\n`);
    if (e.headline) write(`  ${e.headline.slice(0, 200)}\n`);
  }

  // ---- memory ----
  if (r.memory) {
    const m = r.memory;
    const heap = m.after.heapUsed - m.before.heapUsed;
    summary.memory = { rawBytes: m.rawBytes, heapBytes: heap, heapPerRawByte: heap / m.rawBytes, peakRssBytes: m.after.maxRss, peakRssPerRawByte: m.after.maxRss / m.rawBytes };
    write('\n3. Memory after loading the snapshot (loadSnapshot + buildSimHost, after GC)\n');
    table([
      ['raw text', 'heap retained', 'heap / raw', 'RSS after', 'peak RSS', 'peak RSS / raw', 'RSS growth / raw'],
      [mib(m.rawBytes), mib(heap), x(heap / m.rawBytes), mib(m.after.rss), mib(m.after.maxRss), x(m.after.maxRss / m.rawBytes), x((m.after.maxRss - m.before.rss) / m.rawBytes)],
    ], write);
  }

  // ---- others ----
  write('\n4. Other benches\n');
  for (const o of r.otherBenches) write(`  ${o.name}: ${o.status}${o.exitCode !== undefined ? ` (exit ${o.exitCode}, ${o.seconds} s)` : ''}\n`);
  if (r.skipped.length) {
    write('\nSkipped:\n');
    for (const s of r.skipped) write(`  ${s.part}: ${s.reason}\n`);
  }
  for (const n of r.notes) write(`note: ${n}\n`);
  return summary;
}
