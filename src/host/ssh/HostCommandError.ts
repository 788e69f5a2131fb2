import { explainStderr, type KnownStderrMatch } from './knownStderr';

/**
 * A command on a host ended with a non-zero exit code. Carries what an operator needs to act:
 * which host, the exact argv, the exit code, stderr, and what a known stderr message means.
 */
export class HostCommandError extends Error {
  override readonly name = 'HostCommandError';
  readonly known: KnownStderrMatch | undefined;

  constructor(
    readonly host: string,
    readonly argv: readonly string[],
    readonly exitCode: number,
    readonly stderr: string,
  ) {
    const known = explainStderr(stderr);
    const first = stderr.trim().split('\n')[0] ?? '';
    super(`${host}: \`${argv.join(' ')}\` exited with ${exitCode}${first ? `: ${first}` : ''}${known ? ` (${known.advice})` : ''}`);
    this.known = known;
  }

  static is(err: unknown): err is HostCommandError {
    return err instanceof HostCommandError;
  }
}
