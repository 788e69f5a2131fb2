/**
 * A real OpenSSH server for tests: Debian's /usr/sbin/sshd on 127.0.0.1, a random free port, its
 * own host key, config, pid file and authorized_keys in a temporary folder, and generated client
 * keys (one plain, one encrypted with a passphrase). Started in the foreground (`-D -e`) as a
 * child of this process, stopped by that PID; sessions it forked can be killed by their PIDs (all
 * descendants of the PID we started) to simulate a host that dies mid-command.
 *
 *   const s = await startSshd();
 *   if (!s.ok) { console.log(`sshd unavailable: ${s.reason}`); this.skip(); }
 *   ... s.sshd.port, s.sshd.clientKey, s.sshd.hostKeyFingerprint ...
 *   await s.sshd.stop();   // also removes the folder
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export interface Sshd {
  readonly port: number;
  readonly dir: string;
  /** Private key (no passphrase) that authorized_keys accepts. */
  readonly clientKey: string;
  /** The same kind of key, encrypted with `clientKeyPassphrase`. */
  readonly encryptedClientKey: string;
  readonly clientKeyPassphrase: string;
  /** `SHA256:...` of the current host key, from `ssh-keygen -lf`. */
  readonly hostKeyFingerprint: string;
  /** `ssh-ed25519 AAAA...` of the current host key. */
  readonly hostKeyLine: string;
  readonly pid: number;
  /** Writes a known_hosts file with `[127.0.0.1]:PORT <host key>`; returns its path. */
  writeKnownHosts(file?: string, opts?: { hashed?: boolean }): string;
  /** Stops sshd and starts it again on the same port, with a new host key when asked. */
  restart(opts?: { newHostKey?: boolean }): Promise<void>;
  /** SIGKILLs every session process sshd forked (not sshd itself): connections drop mid-command. */
  killSessions(): number;
  /** SIGKILLs sshd and its sessions. */
  kill(): void;
  log(): string;
  stop(): Promise<void>;
}

export type SshdStart = { readonly ok: true; readonly sshd: Sshd } | { readonly ok: false; readonly reason: string };

const SSHD = '/usr/sbin/sshd';

function run(cmd: string, args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, [...args], { encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error ? String(r.error) : '') };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function waitForBanner(port: number, deadlineMs: number): Promise<boolean> {
  const until = Date.now() + deadlineMs;
  const attempt = (): Promise<boolean> =>
    new Promise((resolve) => {
      const sock = net.connect(port, '127.0.0.1');
      let buf = '';
      const done = (ok: boolean): void => {
        sock.destroy();
        resolve(ok);
      };
      sock.setTimeout(1000, () => done(false));
      sock.on('data', (d) => {
        buf += d.toString('latin1');
        if (buf.includes('SSH-2.0')) done(true);
      });
      sock.on('error', () => done(false));
    });
  const loop = async (): Promise<boolean> => {
    while (Date.now() < until) {
      if (await attempt()) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  };
  return loop();
}

function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      let l = children.get(ppid);
      if (!l) children.set(ppid, (l = []));
      l.push(Number(e));
    } catch {
      // process ended while we looked
    }
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

function fingerprintOf(pubFile: string): string {
  const r = run('ssh-keygen', ['-lf', pubFile]);
  const m = /SHA256:[A-Za-z0-9+/]+/.exec(r.stdout);
  if (!m) throw new Error(`ssh-keygen -lf ${pubFile}: ${r.stderr}`);
  return m[0];
}

/**
 * Starts sshd, or says why it cannot run here (not root, not installed, config rejected).
 * `port`: listen there instead of a random free port (a test that first saw the port refused).
 */
export async function startSshd(opts: { extraConfig?: readonly string[]; port?: number } = {}): Promise<SshdStart> {
  if (process.platform !== 'linux') return { ok: false, reason: `needs Linux (this is ${process.platform})` };
  if (process.getuid?.() !== 0) return { ok: false, reason: 'not root: sshd must run as root to accept a login as root' };
  if (!fs.existsSync(SSHD)) return { ok: false, reason: `${SSHD} is not installed (Debian package openssh-server)` };
  if (run('ssh-keygen', ['-?']).status === null) return { ok: false, reason: 'ssh-keygen is not installed (openssh-client)' };
  // sshd refuses to start without its privilege separation folder (normally made by its service unit).
  fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'osnet-sshd-'));
  const hostKey = path.join(dir, 'host_key');
  const clientKey = path.join(dir, 'client_ed25519');
  const encryptedClientKey = path.join(dir, 'client_encrypted_ed25519');
  const clientKeyPassphrase = 'correct horse battery staple';
  const keygen = (file: string, pass: string, comment: string): void => {
    fs.rmSync(file, { force: true });
    fs.rmSync(`${file}.pub`, { force: true });
    const r = run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', pass, '-C', comment, '-f', file]);
    if (r.status !== 0) throw new Error(`ssh-keygen: ${r.stderr}`);
  };
  try {
    keygen(hostKey, '', 'osnet-test-host');
    keygen(clientKey, '', 'osnet-test-client');
    keygen(encryptedClientKey, clientKeyPassphrase, 'osnet-test-client-encrypted');
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
  fs.writeFileSync(path.join(dir, 'authorized_keys'), fs.readFileSync(`${clientKey}.pub`, 'utf8') + fs.readFileSync(`${encryptedClientKey}.pub`, 'utf8'), { mode: 0o600 });
  const port = opts.port ?? (await freePort());
  const config = path.join(dir, 'sshd_config');
  fs.writeFileSync(config, [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${hostKey}`,
    `PidFile ${path.join(dir, 'sshd.pid')}`,
    'UsePAM no',
    'PermitRootLogin prohibit-password',
    `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
    'StrictModes no',
    'PubkeyAuthentication yes',
    'PasswordAuthentication yes',
    'KbdInteractiveAuthentication no',
    'AllowTcpForwarding yes',
    'MaxSessions 100',
    'MaxStartups 100:30:200',
    'PrintMotd no',
    'LogLevel VERBOSE',
    ...(opts.extraConfig ?? []),
    '',
  ].join('\n'));
  const check = run(SSHD, ['-t', '-f', config]);
  if (check.status !== 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    return { ok: false, reason: `sshd -t rejected the test config: ${check.stderr.trim()}` };
  }

  let child: ChildProcess | undefined;
  let logText = '';
  const launch = async (): Promise<void> => {
    const c = spawn(SSHD, ['-f', config, '-D', '-e'], { stdio: ['ignore', 'ignore', 'pipe'] });
    c.stderr?.on('data', (d: Buffer) => {
      if (logText.length < 1_000_000) logText += d.toString('utf8');
    });
    child = c;
    if (!(await waitForBanner(port, 10_000))) throw new Error(`sshd did not answer on port ${port}: ${logText.slice(-2000)}`);
  };
  const stopChild = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (!c?.pid || c.exitCode !== null) return;
    for (const p of descendants(c.pid)) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        // gone
      }
    }
    const exited = new Promise<void>((r) => c.once('exit', () => r()));
    c.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    if (c.exitCode === null) c.kill('SIGKILL');
  };
  try {
    await launch();
  } catch (err) {
    await stopChild();
    fs.rmSync(dir, { recursive: true, force: true });
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }

  const state = { fingerprint: fingerprintOf(`${hostKey}.pub`), line: fs.readFileSync(`${hostKey}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ') };
  const sshd: Sshd = {
    port,
    dir,
    clientKey,
    encryptedClientKey,
    clientKeyPassphrase,
    get hostKeyFingerprint() {
      return state.fingerprint;
    },
    get hostKeyLine() {
      return state.line;
    },
    get pid() {
      return child?.pid ?? -1;
    },
    writeKnownHosts(file = path.join(dir, 'known_hosts'), o = {}) {
      fs.writeFileSync(file, `[127.0.0.1]:${port} ${state.line}\n`, { mode: 0o600 });
      if (o.hashed) {
        const r = run('ssh-keygen', ['-H', '-f', file]);
        if (r.status !== 0) throw new Error(`ssh-keygen -H: ${r.stderr}`);
        fs.rmSync(`${file}.old`, { force: true });
      }
      return file;
    },
    async restart(o = {}) {
      await stopChild();
      if (o.newHostKey) {
        keygen(hostKey, '', 'osnet-test-host-2');
        state.fingerprint = fingerprintOf(`${hostKey}.pub`);
        state.line = fs.readFileSync(`${hostKey}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
      }
      await launch();
    },
    killSessions() {
      const pid = child?.pid;
      if (!pid) return 0;
      const list = descendants(pid);
      for (const p of list) {
        try {
          process.kill(p, 'SIGKILL');
        } catch {
          // gone
        }
      }
      return list.length;
    },
    kill() {
      const pid = child?.pid;
      if (!pid) return;
      for (const p of descendants(pid)) {
        try {
          process.kill(p, 'SIGKILL');
        } catch {
          // gone
        }
      }
      child?.kill('SIGKILL');
    },
    log: () => logText,
    async stop() {
      await stopChild();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return { ok: true, sshd };
}

/**
 * A mocha `before` hook's sshd: started, or the suite skipped with the reason printed (a skipped
 * test says why). `why` is checked first: a missing prerequisite of the suite's own.
 */
export async function startSshdOrSkip(ctx: Mocha.Context, why?: string): Promise<Sshd> {
  if (why) {
    console.log(`      skipped: ${why}`);
    ctx.skip();
  }
  const s = await startSshd();
  if (!s.ok) {
    console.log(`      skipped: sshd unavailable: ${s.reason}`);
    ctx.skip();
  }
  return s.sshd;
}
