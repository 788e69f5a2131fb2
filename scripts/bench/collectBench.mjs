// Collection benchmark (issue 5): a host with 100 network namespaces, collected over a real
// loopback sshd (a) the osnet way — one SSH exec running the generated script — and (b) the naive
// way — the same commands (replayed from the snapshot's host.json), one SSH exec each, on one
// connection. Prints round trips and times, and the ratio (target: 1 round trip, >= 5x faster).
//
//   node scripts/bench/collectBench.mjs          (root; needs dist/cli.js from `npm run build`)
//   OSNET_BENCH_NAMESPACES=20 node scripts/bench/collectBench.mjs
//
// Self-contained: it creates its namespaces (iptables rules inside them, never in the root
// namespace) and its own sshd on 127.0.0.1 with a temporary host key and client key, and removes
// everything on exit, by name and by the PIDs it started.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const COUNT = Number(process.env.OSNET_BENCH_NAMESPACES ?? 100);
const prefix = `osnet-cbench-${process.pid}`;

function skip(why) {
  console.log(`collectBench: skipped: ${why}`);
  process.exit(0);
}
function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? String(r.error ?? '') };
}
function must(cmd, args) {
  const r = run(cmd, args);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr.trim()}`);
  return r.stdout;
}

if (process.platform !== 'linux') skip('needs Linux');
if (process.getuid?.() !== 0) skip('not root (network namespaces and sshd need root)');
if (!fs.existsSync('/usr/sbin/sshd')) skip('/usr/sbin/sshd not installed (openssh-server)');
if (!fs.existsSync(path.join(root, 'dist', 'cli.js'))) {
  const b = run(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root });
  if (b.status !== 0) skip(`dist/cli.js missing and the build failed: ${b.stderr}`);
}
const { main } = require(path.join(root, 'dist', 'cli.js'));
const { Client } = require('ssh2');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'osnet-cbench-'));
const namespaces = [];
let sshd;
let cleaned = false;
function cleanup() {
  if (cleaned) return;
  cleaned = true;
  if (sshd?.pid) {
    try { sshd.kill('SIGTERM'); } catch { /* gone */ }
  }
  for (const n of namespaces) run('ip', ['netns', 'del', n]);
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { cleanup(); process.exit(130); });

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}
async function waitForBanner(port) {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise((resolve) => {
      const c = net.connect(port, '127.0.0.1');
      c.setTimeout(500, () => { c.destroy(); resolve(false); });
      c.on('data', (d) => { c.destroy(); resolve(d.toString('latin1').includes('SSH-2.0')); });
      c.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('sshd did not start');
}
function shellQuote(w) {
  return `'${w.replace(/'/g, `'\\''`)}'`;
}

async function startSshd() {
  fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  for (const k of ['host_key', 'client_key']) must('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(tmp, k)]);
  fs.copyFileSync(path.join(tmp, 'client_key.pub'), path.join(tmp, 'authorized_keys'));
  const port = await freePort();
  const cfg = path.join(tmp, 'sshd_config');
  fs.writeFileSync(cfg, [`Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${path.join(tmp, 'host_key')}`, `PidFile ${path.join(tmp, 'sshd.pid')}`,
    'UsePAM no', 'PermitRootLogin prohibit-password', `AuthorizedKeysFile ${path.join(tmp, 'authorized_keys')}`, 'StrictModes no',
    'PasswordAuthentication no', 'MaxSessions 1000', 'PrintMotd no', 'LogLevel ERROR', ''].join('\n'));
  sshd = spawn('/usr/sbin/sshd', ['-f', cfg, '-D', '-e'], { stdio: 'ignore' });
  await waitForBanner(port);
  return port;
}

/**
 * The naive baseline: one exec per command on one connection, sequentially, as a simple tool would.
 * Stops after `budgetMs` (an exec costs whatever the login shell's rc files cost: on a host whose
 * root .bashrc runs `pyenv init`, about a second, and 1,000+ commands would outrun the bench's time
 * limit); `ran` then says how many ran and the caller extrapolates from their mean.
 */
async function execPerCommand(port, commands, budgetMs = Infinity) {
  const conn = new Client();
  await new Promise((resolve, reject) => {
    conn.once('ready', resolve).once('error', reject).connect({ host: '127.0.0.1', port, username: 'root', privateKey: fs.readFileSync(path.join(tmp, 'client_key')) });
  });
  let bytes = 0;
  let execs = 0;
  const started = Date.now();
  for (const argv of commands) {
    if (Date.now() - started > budgetMs) break;
    execs++;
    await new Promise((resolve, reject) => {
      conn.exec(argv.map(shellQuote).join(' '), (err, ch) => {
        if (err) return reject(err);
        ch.on('data', (d) => { bytes += d.length; });
        ch.stderr.on('data', () => undefined);
        ch.on('close', resolve);
      });
    });
  }
  conn.end();
  return { bytes, execs, ran: execs, ms: Date.now() - started };
}

try {
  const t0 = Date.now();
  for (let i = 0; i < COUNT; i++) {
    const n = `${prefix}-${String(i).padStart(3, '0')}`;
    must('ip', ['netns', 'add', n]);
    namespaces.push(n);
    must('ip', ['-n', n, 'link', 'set', 'lo', 'up']);
  }
  // A few rules per namespace, like a qrouter: filter, nat, and a user chain (inside each namespace).
  const rules = ['*filter', ':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':bench-chain - [0:0]',
    '-A INPUT -s 192.0.2.0/24 -j bench-chain', '-A bench-chain -p tcp --dport 22 -j ACCEPT', '-A bench-chain -j DROP', 'COMMIT',
    '*nat', ':PREROUTING ACCEPT [0:0]', ':INPUT ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]',
    '-A POSTROUTING -s 10.0.0.0/24 -j MASQUERADE', 'COMMIT', ''].join('\n');
  for (const n of namespaces) {
    const r = run('ip', ['netns', 'exec', n, 'iptables-restore'], { input: rules });
    if (r.status !== 0) throw new Error(`iptables-restore in ${n}: ${r.stderr}`);
  }
  console.log(`collectBench: ${COUNT} namespaces with iptables rules ready in ${Date.now() - t0} ms`);
  const port = await startSshd();
  const knownHosts = path.join(tmp, 'known_hosts');
  const base = ['collect', 'root@127.0.0.1', '-p', String(port), '-i', path.join(tmp, 'client_key'), '-F', 'none', '--accept-new',
    '--ssh-option', `UserKnownHostsFile=${knownHosts}`, '--ssh-option', 'GlobalKnownHostsFile=none', '--ssh-option', 'IdentityAgent=none', '--timeout', '600'];

  const oneExec = [];
  let hostJson;
  for (let round = 0; round < 2; round++) {
    const out = path.join(tmp, `snap${round}`);
    let text = '';
    const io = { out: (t) => { text += t; }, err: () => undefined };
    const s = Date.now();
    const code = await main([...base, '-o', out], io);
    const ms = Date.now() - s;
    const m = /(\d+) sections .*?(\d+) bytes in \d+ ms, (\d+) execs?/.exec(text);
    if (!m) throw new Error(`collect printed: ${text} (exit ${code})`);
    oneExec.push({ ms, sections: Number(m[1]), bytes: Number(m[2]), execs: Number(m[3]) });
    hostJson = JSON.parse(fs.readFileSync(path.join(out, 'host.json'), 'utf8'));
  }
  const commands = hostJson.commands.map((c) => c.argv);
  const perCommand = [];
  const budgetMs = Number(process.env.OSNET_BENCH_EXEC_BUDGET_MS ?? 40_000);
  for (let round = 0; round < 2; round++) {
    const r = await execPerCommand(port, commands, budgetMs);
    if (r.ran < commands.length) {
      // Cut by the budget: the rest is estimated from the mean of the execs that ran (one round only).
      perCommand.push({ ...r, ms: Math.round((r.ms / r.ran) * commands.length), execs: commands.length, extrapolatedFrom: r.ran, bytes: r.bytes });
      break;
    }
    perCommand.push(r);
  }
  // What one exec costs on this host before any command runs (sshd session + the login shell).
  const idle = await execPerCommand(port, Array.from({ length: 5 }, () => ['true']));
  const perExecMs = idle.ms / idle.ran;
  const best = (l) => l.reduce((a, b) => (b.ms < a.ms ? b : a));
  const a = best(oneExec);
  const b = best(perCommand);
  const ns = hostJson.commands.filter((c) => c.netns).reduce((set, c) => set.add(c.netns), new Set()).size;
  console.log(`collectBench: host with ${ns} namespaces (${COUNT} made by the bench), ${commands.length} commands`);
  console.log(`  one exec (osnet collect, connect included):   ${a.ms} ms, ${a.execs} round trip(s), ${a.sections} sections, ${a.bytes} bytes`);
  const est = b.extrapolatedFrom ? ` (estimated: ${b.extrapolatedFrom} of them ran within ${budgetMs / 1000} s, the rest at their mean; bytes of those that ran)` : '';
  console.log(`  one exec per command (same commands, 1 conn): ${b.ms} ms, ${b.execs} round trips, ${b.bytes} bytes${est}`);
  console.log(`  ratio: ${(b.ms / a.ms).toFixed(1)}x faster, ${b.execs / a.execs}x fewer round trips (targets: 1 round trip, >= 5x)`);
  console.log(`  (one empty exec costs ${perExecMs.toFixed(0)} ms here: sshd session + the login shell's rc files; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores)`);
  if (a.execs !== 1) process.exitCode = 1;
} catch (err) {
  console.error(`collectBench: ${err instanceof Error ? err.stack : err}`);
  process.exitCode = 1;
} finally {
  cleanup();
}
