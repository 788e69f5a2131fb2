import type { SshConnection } from '../ssh/SshConnection';
import type { ScriptRunner } from './ScriptRunner';

/** Runs the script as ONE exec on an open SSH connection: `sh -s` with the script on stdin. */
export function sshScriptRunner(connection: SshConnection): ScriptRunner {
  return {
    label: connection.label,
    run: (script, io) => connection.exec('sh -s', { stdin: script, signal: io.signal, onStdout: (d) => io.onStdout(d), onStderr: (d) => io.onStderr(d) }),
  };
}
