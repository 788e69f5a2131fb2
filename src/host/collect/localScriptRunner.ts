import { spawn } from 'node:child_process';
import { SshError } from '../ssh/SshError';
import type { ScriptRunner } from './ScriptRunner';

export interface LocalRunnerOptions {
  /** Environment of `sh` (default: this process's). */
  readonly env?: NodeJS.ProcessEnv;
  /** Run `sh` through another program, e.g. `['setpriv', '--reuid=65534', ...]` to collect as another user. */
  readonly wrapper?: readonly string[];
}

/**
 * Runs the collection script with this machine's `sh -s` (`osnet collect --local`, tests, an
 * operator on the host itself). Abort kills the shell's process group, so commands it started
 * stop too.
 */
export function localScriptRunner(opts: LocalRunnerOptions = {}): ScriptRunner {
  return {
    label: 'local',
    run: (script, io) =>
      new Promise((resolve, reject) => {
        const argv = [...(opts.wrapper ?? []), 'sh', '-s'];
        const child = spawn(argv[0] ?? 'sh', argv.slice(1), { env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
        let done = false;
        const kill = (): void => {
          if (child.pid === undefined) return;
          try {
            process.kill(-child.pid, 'SIGTERM');
          } catch {
            // already gone
          }
        };
        const onAbort = (): void => {
          kill();
          if (!done) {
            done = true;
            reject(new SshError('aborted', 'local', 'local collection cancelled'));
          }
        };
        io.signal.addEventListener('abort', onAbort, { once: true });
        child.stdout.on('data', (d: Buffer) => io.onStdout(d));
        child.stderr.on('data', (d: Buffer) => io.onStderr(d));
        child.on('error', (err) => {
          io.signal.removeEventListener('abort', onAbort);
          if (!done) {
            done = true;
            reject(new SshError('connect', 'local', `cannot run sh: ${err.message}`, { cause: err }));
          }
        });
        child.on('close', (code, signal) => {
          io.signal.removeEventListener('abort', onAbort);
          if (done) return;
          done = true;
          resolve(signal ? { exitCode: code, signal } : { exitCode: code });
        });
        child.stdin.on('error', () => undefined);
        child.stdin.end(script);
      }),
  };
}
