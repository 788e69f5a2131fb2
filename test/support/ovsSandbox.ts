/**
 * A private Open vSwitch for tests and scripts: its own ovsdb-server and ovs-vswitchd, its own
 * database (created with ovsdb-tool from the installed vswitch.ovsschema), unix socket, pid files
 * and run directory under os.tmpdir(). Every ovs-vsctl / ovs-ofctl / ovs-appctl call is pointed at
 * it (`--db=unix:...`, `OVS_RUNDIR`, `-t .../ovs-vswitchd.ctl`), so the host's own OVS, if any, is
 * never touched. ovs-vswitchd runs with `--enable-dummy=override`: bridges use
 * `datapath_type=netdev` (the userspace datapath), and ports are dummies, so no tap device or
 * kernel datapath is created on the host.
 *
 *   const s = startOvsSandbox();
 *   if (!s.ok) { console.log(`OVS sandbox unavailable: ${s.reason}`); return; }
 *   s.sandbox.vsctl(['add-br', 'br-int', '--', 'set', 'bridge', 'br-int', 'datapath_type=netdev']);
 *   ...
 *   s.sandbox.stop();   // kills the two daemons by PID, removes the run directory
 *
 * Within one process the sandbox is shared: a second start() returns the running one and only
 * the last stop() ends it. Daemons are only ever stopped by the PIDs this module started.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface OvsCommandResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface OvsSandbox {
  readonly runDir: string;
  /** `unix:/tmp/.../db.sock`, for `--db=`. */
  readonly db: string;
  /** Environment for OVS tools (OVS_RUNDIR, OVS_LOGDIR, OVS_DBDIR point into runDir). */
  readonly env: NodeJS.ProcessEnv;
  /** ovs-vsctl against the sandbox database; throws with stderr on failure. */
  vsctl(args: readonly string[]): string;
  /** ovs-ofctl (bridges are found through OVS_RUNDIR); `input` is fed to stdin (`add-flows BR -`). */
  ofctl(args: readonly string[], input?: string): string;
  /** ovs-appctl -t <runDir>/ovs-vswitchd.ctl. */
  appctl(args: readonly string[]): string;
  /** Any command with the sandbox environment; never throws. */
  run(command: string, args: readonly string[], input?: string): OvsCommandResult;
  stop(): void;
}

export type OvsSandboxStart =
  | { readonly ok: true; readonly sandbox: OvsSandbox }
  | { readonly ok: false; readonly reason: string };

const SCHEMA_CANDIDATES = ['/usr/share/openvswitch/vswitch.ovsschema', '/usr/local/share/openvswitch/vswitch.ovsschema'];
const TOOLS = ['ovsdb-tool', 'ovsdb-server', 'ovs-vswitchd', 'ovs-vsctl', 'ovs-ofctl', 'ovs-appctl'];
const SBIN_PATH = '/usr/sbin:/usr/local/sbin:/sbin';

let shared: { sandbox: OvsSandbox; users: number } | undefined;

function which(tool: string, env: NodeJS.ProcessEnv): boolean {
  const r = spawnSync('sh', ['-c', `command -v ${tool}`], { env, encoding: 'utf8' });
  return r.status === 0;
}

function runWith(env: NodeJS.ProcessEnv, command: string, args: readonly string[], input?: string): OvsCommandResult {
  const r = spawnSync(command, [...args], { env, encoding: 'utf8', input, timeout: 30_000 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error ? String(r.error) : '') };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function readPid(file: string): number | undefined {
  try {
    const n = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

function stopPid(pid: number | undefined): void {
  if (pid === undefined || !alive(pid)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  for (let i = 0; i < 50 && alive(pid); i++) sleepMs(100);
  if (alive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Starts (or joins) the sandbox; says why not when OVS cannot run here. */
export function startOvsSandbox(): OvsSandboxStart {
  if (shared) {
    shared.users++;
    return { ok: true, sandbox: shared.sandbox };
  }
  if (process.platform !== 'linux') return { ok: false, reason: `OVS sandbox needs Linux (this is ${process.platform})` };
  const baseEnv: NodeJS.ProcessEnv = { ...process.env, PATH: `${process.env['PATH'] ?? ''}:${SBIN_PATH}` };
  const missing = TOOLS.filter((t) => !which(t, baseEnv));
  if (missing.length > 0) return { ok: false, reason: `Open vSwitch tools not installed: ${missing.join(', ')}` };
  const schema = SCHEMA_CANDIDATES.find((p) => fs.existsSync(p));
  if (!schema) return { ok: false, reason: `vswitch.ovsschema not found (${SCHEMA_CANDIDATES.join(', ')})` };

  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ovs-sandbox-'));
  const dbFile = path.join(runDir, 'conf.db');
  const sock = path.join(runDir, 'db.sock');
  const db = `unix:${sock}`;
  const env: NodeJS.ProcessEnv = { ...baseEnv, OVS_RUNDIR: runDir, OVS_LOGDIR: runDir, OVS_DBDIR: runDir, OVS_SYSCONFDIR: runDir };
  const pids: { server?: number; vswitchd?: number } = {};
  const cleanup = (): void => {
    stopPid(pids.vswitchd);
    stopPid(pids.server);
    fs.rmSync(runDir, { recursive: true, force: true });
  };
  const fail = (what: string, r: OvsCommandResult): OvsSandboxStart => {
    cleanup();
    return { ok: false, reason: `${what} failed (exit ${String(r.status)}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}` };
  };

  let r = runWith(env, 'ovsdb-tool', ['create', dbFile, schema]);
  if (r.status !== 0) return fail('ovsdb-tool create', r);
  r = runWith(env, 'ovsdb-server', [
    `--remote=punix:${sock}`, `--pidfile=${path.join(runDir, 'ovsdb-server.pid')}`, '--detach', '--no-chdir',
    `--log-file=${path.join(runDir, 'ovsdb-server.log')}`, `--unixctl=${path.join(runDir, 'ovsdb-server.ctl')}`, dbFile,
  ]);
  pids.server = readPid(path.join(runDir, 'ovsdb-server.pid'));
  if (r.status !== 0) return fail('ovsdb-server', r);
  r = runWith(env, 'ovs-vsctl', [`--db=${db}`, '--no-wait', 'init']);
  if (r.status !== 0) return fail('ovs-vsctl init', r);
  r = runWith(env, 'ovs-vswitchd', [
    db, '--enable-dummy=override', '--disable-system', '--disable-system-route',
    `--pidfile=${path.join(runDir, 'ovs-vswitchd.pid')}`, '--detach', '--no-chdir',
    `--log-file=${path.join(runDir, 'ovs-vswitchd.log')}`, `--unixctl=${path.join(runDir, 'ovs-vswitchd.ctl')}`,
  ]);
  pids.vswitchd = readPid(path.join(runDir, 'ovs-vswitchd.pid'));
  if (r.status !== 0) return fail('ovs-vswitchd', r);

  const check = (what: string, res: OvsCommandResult): string => {
    if (res.status !== 0) throw new Error(`${what} failed (exit ${String(res.status)}): ${res.stderr.trim()}`);
    return res.stdout;
  };
  const sandbox: OvsSandbox = {
    runDir,
    db,
    env,
    run: (command, args, input) => runWith(env, command, args, input),
    vsctl: (args) => check(`ovs-vsctl ${args.join(' ')}`, runWith(env, 'ovs-vsctl', [`--db=${db}`, '--timeout=20', ...args])),
    ofctl: (args, input) => check(`ovs-ofctl ${args.join(' ')}`, runWith(env, 'ovs-ofctl', args, input)),
    appctl: (args) => check(`ovs-appctl ${args.join(' ')}`, runWith(env, 'ovs-appctl', ['-t', path.join(runDir, 'ovs-vswitchd.ctl'), ...args])),
    stop: () => {
      if (!shared || --shared.users > 0) return;
      shared = undefined;
      cleanup();
    },
  };
  // Wait until ovs-vswitchd answers, so the first bridge command does not race its start-up.
  for (let i = 0; i < 50; i++) {
    if (runWith(env, 'ovs-appctl', ['-t', path.join(runDir, 'ovs-vswitchd.ctl'), 'version']).status === 0) break;
    sleepMs(100);
  }
  shared = { sandbox, users: 1 };
  return { ok: true, sandbox };
}
