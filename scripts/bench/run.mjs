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
//   node scripts/bench/run.mjs [--rounds 7] [--traces 1000] [--appctl 20] [--flows 20000] [--ports 2000]
//                              [--other-timeout 150] [--keep]
import { build } from 'esbuild';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildBrInt, canUnshare, createNamespace, iptablesTools, loadIptables, startOvs, writeSnapshot } from './benchHost.mjs';
import { baseEnv, cleanupNow, installCleanupHandlers, median, must, onCleanup, run, runSync, startServer, which } from './benchProcess.mjs';
import { printReport } from './benchReport.mjs';

const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const OTHER_BENCHES = ['grammarBench.mjs', 'collectBench.mjs'];

const { values: opt } = parseArgs({
  options: {
    rounds: { type: 'string', default: '7' },
    traces: { type: 'string', default: '1000' },
    appctl: { type: 'string', default: '20' },
    flows: { type: 'string', default: '20000' },
    ports: { type: 'string', default: '2000' },
    'other-timeout': { type: 'string', default: '150' },
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

async function nodeJson(script, args, nodeFlags = []) {
  const r = await must([process.execPath, ...nodeFlags, path.join(PROJECT, 'dist/bench', script), ...args], { timeoutMs: 300_000 });
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

function findPython() {
  for (const py of ['/usr/bin/python3', 'python3']) {
    if (py.startsWith('/') ? fs.existsSync(py) : which(py)) {
      if (runSync([py, '-c', 'from ovs.flow.ofp import OFPFlow']).status === 0) return py;
    }
  }
  return undefined;
}

/**
 * Rounds of: ours on the rules, `iptables-restore --test` once, ours on the --no-stats flows, one
 * Python ovs.flow pass over them, ours on the stats flows. Interleaving makes both sides of each
 * ratio see the same machine load; the best of each side is compared.
 */
async function measureParse({ flowsStats, flowsNoStats, iptablesFile, iptablesTest }) {
  const rounds = Math.max(1, Number(opt.rounds));
  const py = findPython();
  let python;
  if (!py) skip('python ovs.flow', 'no python3 with the ovs module (Debian python3-openvswitch)');
  else {
    python = startServer([py, path.join(PROJECT, 'scripts/bench/ovsFlowParse.py'), flowsNoStats, '--serve']);
    const header = await python.next();
    if (header.error) {
      skip('python ovs.flow', header.error);
      python.close();
      python = undefined;
    } else result.parse = { python: { interpreter: py, ...header, runsS: [] } };
  }
  result.parse ??= {};
  const ours = startServer([process.execPath, path.join(PROJECT, 'dist/bench/parseBench.js'), '--serve']);
  const sides = { iptables: [], ovsNoStats: [], ovsStats: [] };
  const info = {};
  const testRuns = [];
  let testFailed = 0;
  const oursOnce = async (key, kind, file) => {
    const r = await ours.request(`${kind} ${file}`);
    if (r.entities !== undefined) info[key] = r;
    sides[key].push(r.ms);
  };
  const started = Date.now();
  log(`parse: ${rounds} interleaved rounds of our parsers, ${iptablesTest ? 'iptables-restore --test' : '(no iptables-restore)'}, ${python ? 'Python ovs.flow' : '(no Python)'}`);
  for (let i = 0; i < rounds; i++) {
    // Past 2 minutes, stop after the third round: enough for a best-of on a very busy machine.
    if (i >= 3 && Date.now() - started > 120_000) {
      result.notes.push(`parse: stopped after ${i} rounds (time budget)`);
      break;
    }
    await oursOnce('iptables', 'iptables', iptablesFile);
    if (iptablesTest) {
      const ms = await iptablesTest();
      if (ms === undefined) testFailed++;
      else testRuns.push(ms);
    }
    await oursOnce('ovsNoStats', 'ovs', flowsNoStats);
    if (python) {
      const r = await python.request('run');
      result.parse.python.runsS.push(r.s);
      Object.assign(result.parse.python, { ok: r.ok, errors: r.errors, firstError: r.firstError });
    }
    await oursOnce('ovsStats', 'ovs', flowsStats);
  }
  ours.close();
  python?.close();
  result.parse.ours = {};
  for (const key of Object.keys(sides)) {
    result.parse.ours[key] = { ...info[key], ms: undefined, runsMs: sides[key], bestMs: Math.min(...sides[key]), medianMs: median(sides[key]) };
  }
  if (python) result.parse.python.bestS = Math.min(...result.parse.python.runsS);
  if (iptablesTest) {
    Object.assign(result.iptables, { testRunsMs: testRuns, testFailed });
    if (testRuns.length === 0) skip('iptables-restore --test', `every run failed (stderr in ${iptablesFile}.test-stderr)`);
  }
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

async function runOtherBenches() {
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
    const r = await run([process.execPath, file], { stdio: 'inherit', cwd: PROJECT, timeoutMs: Number(opt['other-timeout']) * 1000, env: { ...baseEnv, OSNET_BENCH_RESULTS: path.join(PROJECT, 'bench-results') } });
    process.stdout.write(`----- end of ${name} (exit ${r.status}, ${(r.ms / 1000).toFixed(1)} s) -----\n`);
    const status = r.timedOut ? `timed out after ${opt['other-timeout']} s (--other-timeout)` : r.status === 0 ? 'ok' : 'failed';
    out.push({ name, status, exitCode: r.status, seconds: Number((r.ms / 1000).toFixed(1)) });
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
  const plan = await nodeJson('generateInputs.js', [gen, '--flows', opt.flows, '--ports', opt.ports]);
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
  let iptablesTest;
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
      log(`iptables: load ${plan.ruleLines} rules with ${ipt.restore} -c, dump with ${ipt.save} -c`);
      const saved = path.join(real, 'iptables-save_-c');
      try {
        const r = await loadIptables(mode, ipt, iptablesFile, saved, tmp);
        iptablesFile = saved;
        iptablesTest = r.testOnce;
        result.iptables = { source: `${ipt.save} -c in ${r.where}`, backend: ipt.backend, loadMs: r.loadMs, saveMs: r.saveMs, tool: `${ipt.restore} --test -c` };
      } catch (err) {
        skip('iptables', err instanceof Error ? err.message : String(err));
      }
    }
  }

  let ovs;
  const ovsMissing = ['ovsdb-tool', 'ovsdb-server', 'ovs-vswitchd', 'ovs-vsctl', 'ovs-ofctl', 'ovs-appctl'].filter((t) => !which(t));
  if (ovsMissing.length > 0) skip('ovs', `Open vSwitch tools not installed: ${ovsMissing.join(', ')}`);
  else {
    const s = await startOvs(PROJECT, tmp, ns);
    if (s.ok) ovs = s;
    else skip('ovs', s.reason);
  }
  const flowsStats = path.join(real, 'ovs-ofctl_dump-flows_br-int');
  const flowsNoStats = path.join(real, 'ovs-ofctl_dump-flows_--no-stats_br-int');
  result.ovs = { source: 'generated text (no OVS to load it into)' };
  if (ovs) {
    log(`ovs: ${ovs.kind}; br-int with ${plan.traced.length} wired ports, add-flows ${plan.flowCount} flows`);
    try {
      await buildBrInt(ovs, plan, ns);
      const add = await ovs.ofctl(['add-flows', 'br-int', path.join(gen, 'add-flows.txt')]);
      const dump = await ovs.ofctl(['dump-flows', 'br-int']);
      fs.writeFileSync(flowsStats, dump.stdout);
      const dumpNs = await ovs.ofctl(['dump-flows', '--no-stats', 'br-int']);
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
  await measureParse({ flowsStats, flowsNoStats, iptablesFile, iptablesTest });

  // ---- 2 and 4. trace latency and memory ---------------------------------------------------------
  const snap = path.join(tmp, 'snapshot');
  if (ovs) {
    await writeSnapshot(snap, { ns, ovs, iptablesFile, flowsFile: flowsStats });
    result.snapshot = { dir: opt.keep ? snap : '(temporary)', from: ns ? `namespace ${ns} and its OVS` : `the dummy OVS sandbox${result.iptables.source.startsWith('generated') ? ' and the generated rules' : ` and ${result.iptables.source}`}` };
    result.loadavg.trace = loadavg();
    log(`trace: load the snapshot folder, ${opt.traces} traces per start point${ns ? '' : ' (no whole-host trace: no namespace)'}`);
    const tr = await nodeJson('traceBench.js', [snap, planFile, '--n', opt.traces, ...(ns ? ['--full'] : [])], ['--expose-gc']);
    result.trace = { loadMs: tr.loadMs, buildSimHostMs: tr.buildSimHostMs, gaps: tr.gaps, files: tr.files, sim: tr.traces, explain: tr.explain };
    result.memory = { rawBytes: tr.rawBytes, ...tr.memory };
    if (!ns) skip('whole-host trace', 'not root: the tap -> qbr -> qvb/qvo -> br-int devices need a network namespace');

    const sender = plan.traced[0];
    const argv = ovs.appctlArgv(['ofproto/trace', 'br-int', `in_port=${sender.ofport},${plan.packet}`]);
    const first = await run(argv, { env: ovs.env });
    if (first.status !== 0) skip('ofproto/trace', first.stderr.trim());
    else {
      log(`trace: ovs-appctl ofproto/trace x${opt.appctl}`);
      const times = [];
      for (let i = 0; i < Number(opt.appctl); i++) times.push((await run(argv, { env: ovs.env })).ms);
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

  result.otherBenches = await runOtherBenches();
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
