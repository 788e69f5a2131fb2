import { parseArgs } from 'node:util';
import { collectHost, type CollectOptions } from '../host/collect/collectHost';
import type { CollectResult } from '../host/collect/CollectResult';
import { localScriptRunner } from '../host/collect/localScriptRunner';
import { sshScriptRunner } from '../host/collect/sshScriptRunner';
import { writeSnapshotFolder } from '../host/collect/writeSnapshotFolder';
import { connectSsh, type UnknownHostKey } from '../host/ssh/connectSsh';
import { resolveSshHost } from '../host/ssh/resolveSshHost';
import type { CliIo } from './CliIo';

const USAGE = `usage: osnet collect [user@]HOST [-p PORT] [-J JUMP] [-i KEY]... [-l USER] [-F SSH_CONFIG]
                     [--ssh-option Key=Value]... [--accept-new] [--timeout S] -o DIR
       osnet collect --local -o DIR [--timeout S]
`;

/**
 * `osnet collect`: one SSH connection, one exec of the read-only collection script, saved as a
 * snapshot folder. An unknown host key is printed (SHA256 fingerprint) and refused unless
 * `--accept-new`. Passphrases and passwords are asked on the terminal when there is one.
 * Exit 0 complete, 1 partial / failed / sections needing attention, 2 usage.
 */
export async function runCollect(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      out: { type: 'string', short: 'o' },
      port: { type: 'string', short: 'p' },
      jump: { type: 'string', short: 'J' },
      identity: { type: 'string', short: 'i', multiple: true },
      user: { type: 'string', short: 'l' },
      config: { type: 'string', short: 'F' },
      'ssh-option': { type: 'string', multiple: true },
      'accept-new': { type: 'boolean', default: false },
      timeout: { type: 'string' },
      local: { type: 'boolean', default: false },
    },
  });
  const out = values.out;
  const dest = positionals[0];
  if (!out || positionals.length > 1 || (values.local ? dest !== undefined : dest === undefined)) {
    io.err(USAGE);
    return 2;
  }
  let timeoutS: number | undefined;
  if (values.timeout !== undefined) {
    timeoutS = Number(values.timeout);
    if (!(timeoutS > 0)) {
      io.err(`osnet collect: --timeout must be a positive number of seconds\n`);
      return 2;
    }
  }
  const collectOpts: CollectOptions = {
    ...(timeoutS !== undefined ? { timeoutMs: timeoutS * 1000 } : {}),
    onSection: (s) => {
      if (s.exitCode !== 0) io.err(`  ${s.file}: exit ${s.exitCode}${s.known ? ` (${s.known.id})` : ''}\n`);
    },
  };

  let result: CollectResult;
  if (values.local) {
    result = await collectHost(localScriptRunner(), collectOpts);
  } else {
    const options: Record<string, string> = {};
    for (const o of values['ssh-option'] ?? []) {
      const m = /^([A-Za-z]+)[= ](.*)$/.exec(o);
      if (!m?.[1]) {
        io.err(`osnet collect: --ssh-option wants Key=Value, got "${o}"\n`);
        return 2;
      }
      options[m[1]] = m[2] ?? '';
    }
    let port: number | undefined;
    if (values.port !== undefined) {
      port = Number(values.port);
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        io.err('osnet collect: -p wants a port number\n');
        return 2;
      }
    }
    let connection;
    try {
      const target = resolveSshHost(dest ?? '', {
        ...(values.config !== undefined ? { configFile: values.config === 'none' ? null : values.config } : {}),
        ...(values.user !== undefined ? { user: values.user } : {}),
        ...(port !== undefined ? { port } : {}),
        ...(values.identity ? { identityFiles: values.identity } : {}),
        ...(values.jump !== undefined ? { proxyJump: values.jump } : {}),
        options,
      });
      for (const w of target.warnings) io.err(`osnet collect: ${w}\n`);
      connection = await connectSsh(target, {
        ...(timeoutS !== undefined ? { connectTimeoutMs: timeoutS * 1000 } : {}),
        ...(values['accept-new'] ? { strictHostKeyChecking: 'accept-new' as const } : {}),
        onUnknownHostKey: (info: UnknownHostKey) => {
          io.err(`The authenticity of host '${info.host}' can't be established.\n${info.keyType} key fingerprint is ${info.fingerprint}.\n` +
            `Not connecting: check the fingerprint on the host (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub), then rerun with --accept-new to save it to ${info.knownHostsFile}.\n`);
          return Promise.resolve('reject');
        },
        askPassphrase: ({ keyFile, attempt }) => askHidden(`Enter passphrase for key '${keyFile}'${attempt > 1 ? ' (again)' : ''}: `),
        askPassword: ({ prompt }) => askHidden(`${prompt} `),
      });
    } catch (err) {
      io.err(`osnet collect: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    }
    const before = connection.execCount;
    const conn = connection;
    try {
      result = await collectHost(sshScriptRunner(conn), { ...collectOpts, execs: () => conn.execCount - before });
    } finally {
      conn.close();
    }
  }

  let written: string[];
  try {
    written = await writeSnapshotFolder(out, result);
  } catch (err) {
    io.err(`osnet collect: cannot save the snapshot: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  const failed = result.sections.filter((s) => s.exitCode !== 0).length;
  io.out(`${result.host}${result.hostname ? ` (${result.hostname})` : ''}: ${result.sections.length} sections (${failed} failed), ` +
    `${result.bytes} bytes in ${result.durationMs} ms, ${result.execs} exec${result.execs === 1 ? '' : 's'}; saved ${written.length} files to ${out}\n`);
  for (const p of result.problems) io.err(`${p.severity}: ${p.message}\n`);
  if (result.error) {
    io.err(`osnet collect: ${result.complete ? '' : 'PARTIAL snapshot: '}${result.error.message}\n`);
    return 1;
  }
  return result.problems.some((p) => p.severity === 'error') ? 1 : 0;
}

/** Reads a line from the terminal without echo; undefined when there is no terminal (never hangs a script). */
function askHidden(prompt: string): Promise<string | undefined> {
  const stdin = process.stdin;
  if (!stdin.isTTY) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    process.stderr.write(prompt);
    let answer = '';
    stdin.setRawMode(true);
    stdin.resume();
    const onData = (d: Buffer): void => {
      for (const ch of d.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004' || ch === '\u0003') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          resolve(ch === '\u0003' ? undefined : answer);
          return;
        }
        if (ch === '\u007f') answer = answer.slice(0, -1);
        else answer += ch;
      }
    };
    stdin.on('data', onData);
  });
}

