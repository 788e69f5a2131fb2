// Process helpers of the benchmark: child runs with timing, tool lookup, and a cleanup list that
// runs once on exit, Ctrl-C or SIGTERM (every namespace, daemon and temp dir the run made).
// Children run asynchronously, each in its own process group, so a signal is handled at once: the
// running children's groups get SIGTERM by their ids (SIGKILL after 30 s, so a child bench can
// clean up after itself), then the cleanup list runs.
import { spawn, spawnSync } from 'node:child_process';

const SBIN = '/usr/sbin:/usr/local/sbin:/sbin';
export const baseEnv = { ...process.env, PATH: `${process.env.PATH ?? ''}:${SBIN}` };

const running = new Set();

/** Runs argv to completion; never rejects. `ms` is the child's wall-clock time. */
export function run(argv, { input, env = baseEnv, timeoutMs = 120_000, stdio, cwd } = {}) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    let timedOut = false;
    const done = (status, stdout, stderr, error) => resolve({ status, stdout, stderr, ms: Number(process.hrtime.bigint() - t0) / 1e6, error, timedOut });
    let child;
    try {
      child = spawn(argv[0], argv.slice(1), { env, cwd, detached: true, stdio: stdio === 'inherit' ? ['ignore', 'inherit', 'inherit'] : ['pipe', 'pipe', 'pipe'] });
    } catch (err) {
      done(null, '', String(err), err);
      return;
    }
    running.add(child);
    const out = [];
    const errs = [];
    child.stdout?.on('data', (b) => out.push(b));
    child.stderr?.on('data', (b) => errs.push(b));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroupGently(child);
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      running.delete(child);
      done(null, '', String(err), err);
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      running.delete(child);
      done(status, Buffer.concat(out).toString('utf8'), `${Buffer.concat(errs).toString('utf8')}${timedOut ? `\n(timed out after ${timeoutMs / 1000} s)` : ''}`);
    });
    if (child.stdin) {
      child.stdin.on('error', () => {}); // a child that exits early closes its stdin
      child.stdin.end(input ?? '');
    }
  });
}

/**
 * A long-lived child speaking JSON lines: `request(line)` writes one line to its stdin and resolves
 * with the next JSON line of its stdout (`next()` reads one without writing). Rejects if it dies.
 */
export function startServer(argv, { env = baseEnv } = {}) {
  const child = spawn(argv[0], argv.slice(1), { env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  running.add(child);
  const waiting = [];
  const ready = [];
  let buf = '';
  let stderr = '';
  let dead;
  child.stdout.on('data', (b) => {
    buf += b.toString('utf8');
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (!line.trim()) continue;
      const w = waiting.shift();
      if (w) w.resolve(line);
      else ready.push(line);
    }
  });
  child.stderr.on('data', (b) => (stderr = (stderr + b.toString('utf8')).slice(-4000)));
  child.on('close', (status) => {
    running.delete(child);
    dead = new Error(`${argv.join(' ')} exited (${status}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
    while (waiting.length) waiting.shift().reject(dead);
  });
  child.stdin.on('error', () => {});
  const next = () => new Promise((resolve, reject) => {
    if (ready.length) resolve(ready.shift());
    else if (dead) reject(dead);
    else waiting.push({ resolve, reject });
  }).then((line) => JSON.parse(line));
  return {
    next,
    request: (line) => {
      if (dead) return Promise.reject(dead);
      child.stdin.write(`${line}\n`);
      return next();
    },
    close: () => {
      child.stdin.end();
    },
  };
}

/** Like run, but rejects with the command's stderr when it fails. */
export async function must(argv, opts) {
  const r = await run(argv, opts);
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (exit ${r.status}): ${(r.stderr || String(r.error ?? '')).trim().split('\n').slice(-3).join(' | ')}`);
  return r;
}

/** Synchronous run, for cleanup (which may happen inside a signal handler) and quick probes. */
export function runSync(argv, { env = baseEnv, timeoutMs = 60_000 } = {}) {
  const r = spawnSync(argv[0], argv.slice(1), { env, encoding: 'utf8', timeout: timeoutMs });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error ? String(r.error) : '') };
}

export function which(tool) {
  return runSync(['sh', '-c', `command -v ${tool}`]).status === 0;
}

const GRACE_MS = 30_000;

function signalGroup(child, sig) {
  try {
    process.kill(-child.pid, sig);
    return true;
  } catch {
    return false; // already gone
  }
}

/** SIGTERM to the child's process group (so it can clean up after itself), SIGKILL after a grace period. */
function killGroupGently(child) {
  if (!signalGroup(child, 'SIGTERM')) return;
  setTimeout(() => signalGroup(child, 'SIGKILL'), GRACE_MS).unref();
}

/** The same, synchronously, for the exit path: waits up to the grace period for the group to go. */
function killGroupNow(child) {
  if (!signalGroup(child, 'SIGTERM')) return;
  const until = Date.now() + GRACE_MS;
  while (Date.now() < until && signalGroup(child, 0)) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  signalGroup(child, 'SIGKILL');
}

const cleanups = [];
let cleaned = false;

/** Registers fn (synchronous) to run at cleanup; the last registered runs first. */
export function onCleanup(fn) {
  cleanups.push(fn);
}

export function cleanupNow() {
  while (cleanups.length > 0) {
    const fn = cleanups.pop();
    try {
      fn();
    } catch (err) {
      process.stderr.write(`bench cleanup: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
}

export function installCleanupHandlers() {
  const final = () => {
    if (cleaned) return;
    cleaned = true;
    for (const child of running) killGroupNow(child);
    cleanupNow();
  };
  process.on('exit', final);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      process.stderr.write(`\nbench: ${sig}, cleaning up\n`);
      final();
      process.exit(130);
    });
  }
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
