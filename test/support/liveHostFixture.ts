/**
 * A "remote host" worth browsing, for the end-to-end live-host test: this machine, reached over a
 * real sshd on 127.0.0.1 (test/support/sshd.ts), with a network namespace of ours holding an
 * iptables user chain and a rule with a recognisable comment, and optionally a private Open vSwitch
 * (scripts/ovs-sandbox.sh, daemons inside a second namespace of ours, userspace datapath) with one
 * bridge and two flows. The root namespace's netfilter and any system OVS are never touched.
 * Names carry a unique prefix (`osnete2e<pid>`); cleanup() stops the OVS daemons by their pid
 * files and deletes only the namespaces made here.
 *
 *   const f = createLiveHostFixture();            // throws only on a broken machine
 *   const why = liveHostFixtureUnavailable();     // or: why it cannot run (not root, no ip/iptables)
 *   f.ovs?.runDir                                  // OVS_RUNDIR for the sessions of the test's sshd
 *   f.cleanup();
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const SANDBOX = path.resolve(__dirname, '../../scripts/ovs-sandbox.sh');
const SBIN = '/usr/sbin:/sbin:/usr/local/sbin';

export interface LiveHostFixture {
  readonly prefix: string;
  /** The namespace holding the iptables state. */
  readonly netns: string;
  /** User chain in that namespace's filter table, jumped to from INPUT. */
  readonly chain: string;
  /** The comment of the one rule in `chain` (unique to this process). */
  readonly comment: string;
  /** `iptables-save -c` of the namespace as this process reads it directly (the oracle). */
  iptablesSave(): string;
  /** Set when OVS could run: the bridge and its flows, and the run directory the tools need. */
  readonly ovs?: {
    readonly runDir: string;
    readonly bridge: string;
    readonly dropFlow: { readonly table: number; readonly priority: number; readonly match: string };
    /** `ovs-ofctl -O OpenFlow13 dump-flows BRIDGE` as this process reads it directly (the oracle). */
    dumpFlows(): string;
  };
  /** Why OVS was left out, when it was. */
  readonly ovsSkipped?: string;
  cleanup(): void;
}

function run(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, [...args], { encoding: 'utf8', env: { ...env, PATH: `${env['PATH'] ?? ''}:${SBIN}` }, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error ? String(r.error) : '') };
}

function must(cmd: string, args: readonly string[], env?: NodeJS.ProcessEnv): string {
  const r = run(cmd, args, env);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${String(r.status)}): ${r.stderr.trim()}`);
  return r.stdout;
}

const has = (tool: string): boolean => run('sh', ['-c', 'command -v "$1"', 'sh', tool]).status === 0;

/** Why the fixture cannot be made here, or undefined. */
export function liveHostFixtureUnavailable(): string | undefined {
  if (process.platform !== 'linux') return `needs Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'not root: network namespaces and sshd need root';
  const missing = ['ip', 'iptables', 'iptables-save'].filter((t) => !has(t));
  return missing.length > 0 ? `not installed: ${missing.join(', ')}` : undefined;
}

function ovsUnavailable(): string | undefined {
  const missing = ['ovsdb-tool', 'ovsdb-server', 'ovs-vswitchd', 'ovs-vsctl', 'ovs-ofctl'].filter((t) => !has(t));
  if (missing.length > 0) return `Open vSwitch not installed: ${missing.join(', ')}`;
  if (!fs.existsSync('/usr/share/openvswitch/vswitch.ovsschema')) return 'vswitch.ovsschema not found';
  return undefined;
}

export function createLiveHostFixture(opts: { withOvs?: boolean } = {}): LiveHostFixture {
  const prefix = `osnete2e${process.pid}`;
  const netns = `${prefix}-a`;
  const chain = 'OSNET-E2E';
  const comment = `osnet-e2e ${process.pid} live rule`;
  const namespaces: string[] = [];
  let ovsStop: (() => void) | undefined;
  const cleanup = (): void => {
    ovsStop?.();
    ovsStop = undefined;
    for (const n of namespaces.splice(0).reverse()) run('ip', ['netns', 'del', n]);
  };
  const addNamespace = (name: string): void => {
    must('ip', ['netns', 'add', name]);
    namespaces.push(name);
    must('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
  };
  try {
    addNamespace(netns);
    const ipt = (args: readonly string[]): string => must('ip', ['netns', 'exec', netns, 'iptables', ...args]);
    ipt(['-N', chain]);
    ipt(['-A', 'INPUT', '-j', chain]);
    ipt(['-A', chain, '-s', '198.51.100.7/32', '-p', 'tcp', '-m', 'tcp', '--dport', '5999', '-m', 'comment', '--comment', comment, '-j', 'DROP']);
    ipt(['-A', chain, '-j', 'RETURN']);

    let ovs: LiveHostFixture['ovs'];
    let ovsSkipped = opts.withOvs === false ? 'not asked for' : ovsUnavailable();
    if (!ovsSkipped) {
      const ovsNetns = `${prefix}-ovs`;
      addNamespace(ovsNetns);
      const dir = `/tmp/${prefix}-ovs`;
      fs.rmSync(dir, { recursive: true, force: true });
      const sandboxEnv = { ...process.env, OSNET_OVS_DIR: dir, OSNET_OVS_NETNS: ovsNetns };
      ovsStop = () => {
        run('bash', [SANDBOX, 'stop'], sandboxEnv); // by the daemons' pid files
        fs.rmSync(dir, { recursive: true, force: true });
      };
      const started = run('bash', [SANDBOX, 'start'], sandboxEnv);
      if (started.status !== 0) {
        ovsSkipped = `scripts/ovs-sandbox.sh start failed: ${started.stderr.trim().split('\n').slice(-2).join(' | ')}`;
        ovsStop();
        ovsStop = undefined;
      } else {
        const runDir = path.join(dir, 'run');
        const env = { ...process.env, OVS_RUNDIR: runDir, OVS_DBDIR: path.join(dir, 'db'), OVS_LOGDIR: path.join(dir, 'log') };
        const bridge = 'br-e2e';
        must('ovs-vsctl', ['--timeout=20', 'add-br', bridge, '--', 'set', 'bridge', bridge, 'datapath_type=netdev'], env);
        const dropFlow = { table: 7, priority: 77, match: 'ip,nw_dst=198.51.100.7' };
        must('ovs-ofctl', ['add-flow', bridge, 'table=0,priority=1,actions=resubmit(,7)'], env);
        must('ovs-ofctl', ['add-flow', bridge, `table=${dropFlow.table},priority=${dropFlow.priority},${dropFlow.match},actions=drop`], env);
        ovs = { runDir, bridge, dropFlow, dumpFlows: () => must('ovs-ofctl', ['-O', 'OpenFlow13', 'dump-flows', bridge], env) };
      }
    }
    return {
      prefix,
      netns,
      chain,
      comment,
      iptablesSave: () => must('ip', ['netns', 'exec', netns, 'iptables-save', '-c']),
      ...(ovs ? { ovs } : {}),
      ...(ovsSkipped ? { ovsSkipped } : {}),
      cleanup,
    };
  } catch (err) {
    cleanup();
    throw err;
  }
}
