#!/usr/bin/env node
// `npm run bench`: performance of the parsers and the simulator against baselines measured in the
// same run on the same machine (issues 2 and 3). It prints ratios, not absolute pass/fail: a slow
// or busy machine slows both sides.
//
//   1. parse throughput: a 20,000-flow Neutron br-int (OVS firewall) loaded into a real private OVS
//      and dumped back (`dump-flows`, `--no-stats`), and a 2,000-port Neutron hybrid-firewall
//      ruleset (~42,000 rules) loaded into real iptables in a namespace and dumped back
//      (`iptables-save -c`); our parsers vs Python's ovs.flow parser and `iptables-restore --test`.
//   2. trace latency on that host (a snapshot folder dumped from the namespace) vs one
//      `ovs-appctl ofproto/trace` call on the same flows in the same OVS.
//   3. memory after loading the snapshot, against its raw text size.
//   4. other benches (scripts/bench/grammarBench.mjs, collectBench.mjs) when present.
// Writes bench-results/latest.json. Without root, the parts that need it are skipped with a reason.
//
//   node scripts/bench/run.mjs [--runs 10] [--traces 1000] [--appctl 20] [--flows 20000] [--ports 2000] [--keep]
import { build } from 'esbuild';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildBrInt, canUnshare, createNamespace, iptablesTools, realIptables, startOvs, writeSnapshot } from './benchHost.mjs';
import { baseEnv, cleanupNow, installCleanupHandlers, median, must, onCleanup, run, which } from './benchProcess.mjs';
import { printReport } from './benchReport.mjs';

const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const OTHER_BENCHES = ['grammarBench.mjs', 'collectBench.mjs'];

const { values: opt } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    'test-runs': { type: 'string', default: '5' },
    'py-runs': { type: 'string', default: '3' },
    traces: { type: 'string', default: '1000' },
    appctl: { type: 'string', default: '20' },
    flows: { type: 'string', default: '20000' },
    ports: { type: 'string', default: '2000' },
    keep: { type: 'boolean', default: false },
  },
});

const t0 = Date.now();
const log = (msg) => process.stderr.write(`[bench ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${msg}\n`);
const loadavg = () => os.loadavg().map((x) => Number(x.toFixed(2)));

const result = {
  startedAt: new Date().toISOString(),
  machine: { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', memGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)), kernel: os.release() },
  loadavg: { start: loadavg() },
  root: process.getuid?.() === 0,
  skipped: [],
  notes: [],
};
const skip = (part, reason) => {
  result.skipped.push({ part, reason });
  log(`skipped ${part}: ${reason}`);
};

async function buildBundles() {
  // Plain Node at run time: the TypeScript entry points are bundled here, as scripts/build.mjs does.
  await build({
    entryPoints: {
      generateInputs: 'scripts/bench/generateInputs.ts',
      parseBench: 'scripts/bench/parseBench.ts',
      traceBench: 'scripts/bench/traceBench.ts',
      ovsSandbox: 'test/support/ovsSandbox.ts',
    },
    absWorkingDir: PROJECT,
    outdir: 'dist/bench',
    bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning',
  });
}

function nodeJson(script, args, nodeFlags = []) {
  const r = must([process.execPath, ...nodeFlags, path.join(PROJECT, 'dist/bench', script), ...args], { timeoutMs: 300_000 });
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

function findPython() {
  for (const py of ['/usr/bin/python3', 'python3']) {
    if (py.startsWith('/') ? fs.existsSync(py) : which(py)) {
      if (run([py, '-c', 'from ovs.flow.ofp import OFPFlow']).status === 0) return py;
    }
  }
  return undefined;
}

/** The OpenFlow tables an `ofproto/trace` walked (` 72. ct_state=...` lines), repeats folded. */
function ofprotoTraceTables(text) {
  const out = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\. /.exec(line);
    if (m && out[out.length - 1] !== Number(m[1])) out.push(Number(m[1]));
  }
  return out;
}

function runOtherBenches() {
  const out = [];
  for (const name of OTHER_BENCHES) {
    const file = path.join(PROJECT, 'scripts/bench', name);
    if (!fs.existsSync(file)) {
      out.push({ name, status: 'missing' });
      log(`${name}: missing (scripts/bench/${name} not written yet)`);
      continue;
    }
    log(`${name}: running (its output follows)`);
    process.stdout.write(`\n----- scripts/bench/${name} -----\n`);
    const r = run([process.execPath, file], { stdio: 'inherit', cwd: PROJECT, timeoutMs: 180_000, env: { ...baseEnv, OSNET_BENCH_RESULTS: path.join(PROJECT, 'bench-results') } });
    process.stdout.write(`----- end of ${name} (exit ${r.status}, ${(r.ms / 1000).toFixed(1)} s) -----\n`);
    out.push({ name, status: r.status === 0 ? 'ok' : 'failed', exitCode: r.status, seconds: Number((r.ms / 1000).toFixed(1)) });
  }
  return out;
}

async function main() {
  installCleanupHandlers();
  log(`build dist/bench/*.js`);
  await buildBundles();

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'osnet-bench-'));
  if (!opt.keep) onCleanup(() => fs.rmSync(tmp, { recursive: true, force: true }));
  else result.notes.push(`--keep: inputs, dumps and the snapshot folder are left in ${tmp}`);
  const gen = path.join(tmp, 'gen');
  const real = path.join(tmp, 'real');
  fs.mkdirSync(real, { recursive: true });

  log(`generate ${opt.flows} flows and ${opt.ports} hybrid-firewall ports`);
  const plan = nodeJson('generateInputs.js', [gen, '--flows', opt.flows, '--ports', opt.ports]);
  const planFile = path.join(gen, 'plan.json');
  result.inputs = { generatedFlows: plan.flowCount, ovsPorts: plan.ovsPorts, hybridPorts: plan.hybridPorts, generatedRules: plan.ruleLines, packet: plan.packet };

  // ---- the real host: namespace, iptables, OVS --------------------------------------------------
  let ns;
  if (result.root) {
    const made = createNamespace(`osnet-bench-${process.pid}`);
    if (made.ok) ns = made.name;
    else skip('namespace', made.reason);
  } else {
    skip('namespace', 'not root: no network namespace with real links (the whole-host trace needs one)');
  }

  const ipt = iptablesTools();
  let iptablesFile = path.join(gen, 'iptables.rules');
  result.iptables = { source: 'generated text (not round-tripped through the kernel)' };
  if (!ipt) skip('iptables', 'iptables-restore / iptables-save not installed');
  else {
    let mode;
    if (ns) mode = { kind: 'netns', ns };
    else {
      const u = canUnshare();
      if (u.ok) mode = { kind: 'unshare' };
      else skip('iptables', `not root and ${u.reason}`);
    }
    if (mode) {
      log(`iptables: load ${plan.ruleLines} rules with ${ipt.restore} -c, dump with ${ipt.save} -c, time ${ipt.restore} --test x${opt['test-runs']}`);
      const saved = path.join(real, 'iptables-save_-c');
      try {
        const r = realIptables(mode, ipt, iptablesFile, saved, Number(opt['test-runs']), tmp);
        iptablesFile = saved;
        result.iptables = { source: `${ipt.save} -c in ${r.where}`, backend: ipt.backend, loadMs: r.loadMs, saveMs: r.saveMs, testRunsMs: r.runsMs, testFailed: r.failed, tool: `${ipt.restore} --test -c` };
        if (r.runsMs.length === 0) skip('iptables-restore --test', `all runs failed: ${fs.readFileSync(`${saved}.test-stderr`, 'utf8').trim().split('\n').slice(-2).join(' | ')}`);
      } catch (err) {
        skip('iptables', err instanceof Error ? err.message : String(err));
      }
    }
  }

  let ovs;
  const ovsMissing = ['ovsdb-tool', 'ovsdb-server', 'ovs-vswitchd', 'ovs-vsctl', 'ovs-ofctl', 'ovs-appctl'].filter((t) => !which(t));
  if (ovsMissing.length > 0) skip('ovs', `Open vSwitch tools not installed: ${ovsMissing.join(', ')}`);
  else {
    const s = startOvs(PROJECT, tmp, ns);
    if (s.ok) ovs = s;
    else skip('ovs', s.reason);
  }
  const flowsStats = path.join(real, 'ovs-ofctl_dump-flows_br-int');
  const flowsNoStats = path.join(real, 'ovs-ofctl_dump-flows_--no-stats_br-int');
  result.ovs = { source: 'generated text (no OVS to load it into)' };
  if (ovs) {
    log(`ovs: ${ovs.kind}; br-int with ${plan.traced.length} wired ports, add-flows ${plan.flowCount} flows`);
    try {
      buildBrInt(ovs, plan, ns);
      const add = ovs.ofctl(['add-flows', 'br-int', path.join(gen, 'add-flows.txt')]);
      const dump = ovs.ofctl(['dump-flows', 'br-int']);
      fs.writeFileSync(flowsStats, dump.stdout);
      const dumpNs = ovs.ofctl(['dump-flows', '--no-stats', 'br-int']);
      fs.writeFileSync(flowsNoStats, dumpNs.stdout);
      result.ovs = { source: `ovs-ofctl dump-flows br-int from ${ovs.kind}`, addFlowsMs: add.ms, dumpFlowsMs: dump.ms, dumpNoStatsMs: dumpNs.ms };
    } catch (err) {
      skip('ovs', err instanceof Error ? err.message : String(err));
      ovs = undefined;
    }
  }
  if (!ovs) {
    fs.copyFileSync(path.join(gen, 'gen-flows.txt'), flowsStats);
    fs.writeFileSync(flowsNoStats, fs.readFileSync(path.join(gen, 'add-flows.txt'), 'utf8').replace(/^/gm, ' ').replace(/ $/, ''));
  }

  // ---- 1. parse throughput ------------------------------------------------------------------------
  result.loadavg.parse = loadavg();
  log(`parse: our parsers, best of ${opt.runs}`);
  const parsed = nodeJson('parseBench.js', ['--runs', opt.runs, '--ovs', flowsStats, '--ovs', flowsNoStats, '--iptables', iptablesFile]);
  const [oursStats, oursNoStats, oursIpt] = parsed.results;
  result.parse = { ours: { ovsStats: oursStats, ovsNoStats: oursNoStats, iptables: oursIpt } };

  const py = findPython();
  if (!py) skip('python ovs.flow', 'no python3 with the ovs module (Debian python3-openvswitch)');
  else {
    log(`parse: ${py} ovs.flow.ofp.OFPFlow on the --no-stats dump, best of ${opt['py-runs']}`);
    const r = run([py, path.join(PROJECT, 'scripts/bench/ovsFlowParse.py'), flowsNoStats, '--runs', opt['py-runs'], '--budget', '60'], { timeoutMs: 240_000 });
    try {
      const j = JSON.parse(r.stdout.trim().split('\n').pop());
      if (j.error) skip('python ovs.flow', j.error);
      else result.parse.python = { interpreter: py, ...j };
    } catch {
      skip('python ovs.flow', `ovsFlowParse.py failed (exit ${r.status}): ${r.stderr.trim().split('\n').slice(-2).join(' | ')}`);
    }
  }

  // ---- 2 and 4. trace latency and memory ---------------------------------------------------------
  const snap = path.join(tmp, 'snapshot');
  if (ovs) {
    writeSnapshot(snap, { ns, ovs, iptablesFile, flowsFile: flowsStats });
    result.snapshot = { dir: opt.keep ? snap : '(temporary)', from: ns ? `namespace ${ns} and its OVS` : `the dummy OVS sandbox${result.iptables.source.startsWith('generated') ? ' and the generated rules' : ` and ${result.iptables.source}`}` };
    result.loadavg.trace = loadavg();
    log(`trace: load the snapshot folder, ${opt.traces} traces per start point${ns ? '' : ' (no whole-host trace: no namespace)'}`);
    const tr = nodeJson('traceBench.js', [snap, planFile, '--n', opt.traces, ...(ns ? ['--full'] : [])], ['--expose-gc']);
    result.trace = { loadMs: tr.loadMs, buildSimHostMs: tr.buildSimHostMs, gaps: tr.gaps, files: tr.files, sim: tr.traces };
    result.memory = { rawBytes: tr.rawBytes, ...tr.memory };
    if (!ns) skip('whole-host trace', 'not root: the tap -> qbr -> qvb/qvo -> br-int devices need a network namespace');

    const sender = plan.traced[0];
    const argv = ovs.appctlArgv(['ofproto/trace', 'br-int', `in_port=${sender.ofport},${plan.packet}`]);
    const first = run(argv, { env: ovs.env });
    if (first.status !== 0) skip('ofproto/trace', first.stderr.trim());
    else {
      log(`trace: ovs-appctl ofproto/trace x${opt.appctl}`);
      const times = [];
      for (let i = 0; i < Number(opt.appctl); i++) times.push(run(argv, { env: ovs.env }).ms);
      const dp = first.stdout.split('\n').filter((l) => l.startsWith('Datapath actions:'));
      const tables = ofprotoTraceTables(first.stdout);
      const ours = result.trace.sim.find((t) => t.name === 'ovs-pipeline')?.ovsTables ?? [];
      result.trace.ofprotoTrace = {
        command: argv.join(' '), runsMs: times, medianMs: median(times), minMs: Math.min(...times), datapathActions: dp,
        tables, tablesAgree: tables.join(',') === ours.join(','),
      };
    }
  } else {
    skip('trace latency', 'no OVS: the snapshot and the ofproto/trace baseline need it');
    skip('memory', 'measured on the trace snapshot, which needs OVS');
  }
  result.loadavg.end = loadavg();

  // The namespace and the daemons go before the other benches run (they may start their own).
  cleanupNow();
  if (opt.keep) log(`kept ${tmp}`);

  result.otherBenches = runOtherBenches();
  result.seconds = Number(((Date.now() - t0) / 1000).toFixed(1));
  const summary = printReport(result, (s) => process.stdout.write(s));
  result.summary = summary;
  const outDir = path.join(PROJECT, 'bench-results');
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`\nwrote bench-results/latest.json (${result.seconds} s)\n`);
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  cleanupNow();
  process.exitCode = 1;
});
