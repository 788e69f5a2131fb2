import type { Client, ClientChannel } from 'ssh2';
import { HostCommandError } from './HostCommandError';
import type { SshTarget } from './resolveSshHost';
import { shellJoin } from './shellQuote';
import { SshError } from './SshError';

export interface ExecStreamOptions {
  /** Written to the command's stdin, then EOF. */
  readonly stdin?: string | Buffer;
  readonly signal?: AbortSignal;
  onStdout?(chunk: Buffer): void;
  onStderr?(chunk: Buffer): void;
}

export interface ExecExit {
  /** null when the command was killed by a signal. */
  readonly exitCode: number | null;
  readonly signal?: string;
}

export interface RunOptions {
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** stdout beyond this is an error (default 64 MiB). */
  readonly maxBytes?: number;
}

/**
 * One authenticated SSH connection (the last hop of a ProxyJump chain). `exec` streams one
 * command; `run` runs an argv (every word single-quoted, never a shell string built from data)
 * and collects its output. `execCount` counts exec channels, i.e. round trips.
 */
export class SshConnection {
  private execs = 0;
  private closedError: SshError | undefined;
  private readonly closeWaiters = new Set<(err: SshError) => void>();

  constructor(
    private readonly clients: readonly Client[],
    readonly target: SshTarget,
    /** `root@jump -> root@host:2222`, for messages. */
    readonly label: string,
  ) {
    const last = this.last;
    const onGone = (why: string) => (): void => {
      if (this.closedError) return;
      this.closedError = new SshError('disconnected', label, `${label}: ${why}`);
      for (const w of this.closeWaiters) w(this.closedError);
    };
    last.on('close', onGone('the connection closed'));
    last.on('end', onGone('the connection ended'));
    last.on('error', (err: Error) => onGone(`connection error: ${err.message}`)());
  }

  get execCount(): number {
    return this.execs;
  }

  get closed(): boolean {
    return this.closedError !== undefined;
  }

  private get last(): Client {
    const c = this.clients[this.clients.length - 1];
    if (!c) throw new Error('SshConnection without a client');
    return c;
  }

  /**
   * Runs `command` through the remote user's shell (as `ssh host command` does) and streams its
   * output. Resolves with the exit status; rejects with SshError `disconnected` when the
   * connection goes away first, `aborted` when `signal` fires (the channel is closed at once,
   * without waiting for the host).
   */
  exec(command: string, opts: ExecStreamOptions = {}): Promise<ExecExit> {
    return new Promise<ExecExit>((resolve, reject) => {
      if (this.closedError) {
        reject(this.closedError);
        return;
      }
      if (opts.signal?.aborted) {
        reject(new SshError('aborted', this.label, `${this.label}: cancelled`));
        return;
      }
      this.execs++;
      let channel: ClientChannel | undefined;
      let exit: ExecExit | undefined;
      let settled = false;
      const settle = (err: Error | undefined, value?: ExecExit): void => {
        if (settled) return;
        settled = true;
        this.closeWaiters.delete(onClosed);
        opts.signal?.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve(value ?? { exitCode: null });
      };
      const onClosed = (err: SshError): void => settle(err);
      const onAbort = (): void => {
        if (channel) {
          try {
            channel.signal('TERM');
          } catch {
            // the host may not support signals; closing is enough
          }
          channel.close();
        }
        settle(new SshError('aborted', this.label, `${this.label}: cancelled`));
      };
      this.closeWaiters.add(onClosed);
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      this.last.exec(command, (err, ch) => {
        if (err) {
          settle(this.closedError ?? new SshError('protocol', this.label, `${this.label}: the host refused to run a command: ${err.message}`, { cause: err }));
          return;
        }
        channel = ch;
        if (settled) {
          ch.close();
          return;
        }
        ch.on('data', (d: Buffer) => opts.onStdout?.(d));
        ch.stderr.on('data', (d: Buffer) => opts.onStderr?.(d));
        ch.on('exit', (code: number | null, signal?: string) => {
          exit = signal ? { exitCode: code, signal } : { exitCode: code };
        });
        ch.on('close', () => {
          if (exit) settle(undefined, exit);
          else settle(this.closedError ?? new SshError('disconnected', this.label, `${this.label}: the command's channel closed without an exit status (connection lost?)`));
        });
        ch.on('error', () => undefined);
        if (opts.stdin !== undefined) ch.end(opts.stdin);
        else ch.end();
      });
    });
  }

  /**
   * Runs one argv and collects its output; throws HostCommandError on a non-zero exit, SshError
   * on timeout (`phase: command`), cancellation or a lost connection.
   */
  async run(argv: readonly string[], opts: RunOptions = {}): Promise<{ stdout: Buffer; stderr: string }> {
    const max = opts.maxBytes ?? 64 * 1024 * 1024;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    const ctl = new AbortController();
    const onOuter = (): void => ctl.abort();
    opts.signal?.addEventListener('abort', onOuter, { once: true });
    let timedOut = false;
    let tooBig = false;
    const timer = opts.timeoutMs !== undefined ? setTimeout(() => { timedOut = true; ctl.abort(); }, opts.timeoutMs) : undefined;
    try {
      const r = await this.exec(shellJoin(argv), {
        signal: ctl.signal,
        onStdout: (d) => {
          size += d.length;
          if (size > max) {
            tooBig = true;
            ctl.abort();
          } else out.push(d);
        },
        onStderr: (d) => err.push(d),
      });
      const stderr = Buffer.concat(err).toString('utf8');
      if (r.exitCode !== 0) throw new HostCommandError(this.label, argv, r.exitCode ?? -1, stderr);
      return { stdout: Buffer.concat(out), stderr };
    } catch (e) {
      if (timedOut) throw new SshError('timeout', this.label, `${this.label}: \`${argv.join(' ')}\` did not finish within ${opts.timeoutMs} ms`, { phase: 'command' });
      if (tooBig) throw new SshError('protocol', this.label, `${this.label}: \`${argv.join(' ')}\` printed more than ${max} bytes`);
      throw e;
    } finally {
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onOuter);
    }
  }

  /** Closes the connection and every jump hop behind it. */
  close(): void {
    for (const c of [...this.clients].reverse()) {
      try {
        c.end();
      } catch {
        // already closed
      }
    }
  }
}
