/**
 * Runs one POSIX sh script somewhere (a host over SSH, this machine) and streams its stdout.
 * The script is fed on stdin to `sh -s`, so it works whatever the remote login shell is.
 * Resolves with the exit status; rejects when the transport fails first (SshError
 * `disconnected`, `aborted`, ...). Aborting `signal` must stop the script promptly.
 */
export interface ScriptRunner {
  /** `root@compute-1:22`, `local`: for messages and host.json. */
  readonly label: string;
  run(script: string, io: ScriptIo): Promise<{ readonly exitCode: number | null; readonly signal?: string }>;
}

export interface ScriptIo {
  readonly signal: AbortSignal;
  onStdout(chunk: Buffer): void;
  onStderr(chunk: Buffer): void;
}
