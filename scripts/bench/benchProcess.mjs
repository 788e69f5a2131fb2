// Process helpers of the benchmark: synchronous runs with timing, tool lookup, and a cleanup list
// that runs once on exit, Ctrl-C or SIGTERM (every namespace, daemon and temp dir the run made).
import { spawnSync } from 'node:child_process';

const SBIN = '/usr/sbin:/usr/local/sbin:/sbin';
export const baseEnv = { ...process.env, PATH: `${process.env.PATH ?? ''}:${SBIN}` };

/** Runs argv to completion; never throws. `ms` is wall-clock time of the child. */
export function run(argv, { input, env = baseEnv, timeoutMs = 120_000, stdio, cwd } = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), {
    env, input, cwd, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, timeout: timeoutMs, ...(stdio ? { stdio } : {}),
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error ? String(r.error) : ''), ms, error: r.error };
}

/** Like run, but throws with the command's stderr when it fails. */
export function must(argv, opts) {
  const r = run(argv, opts);
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (exit ${r.status}): ${(r.stderr || String(r.error ?? '')).trim().split('\n').slice(-3).join(' | ')}`);
  return r;
}

export function which(tool) {
  return run(['sh', '-c', `command -v ${tool}`]).status === 0;
}

const cleanups = [];
let cleaned = false;

/** Registers fn to run at cleanup (last registered runs first). */
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
