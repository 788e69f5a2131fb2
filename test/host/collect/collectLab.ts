/**
 * The "remote host" of the collection tests: this machine, with network namespaces, a Linux
 * bridge, routes, policy rules, iptables/ip6tables rules and an ipset made INSIDE those
 * namespaces (the root namespace's netfilter is never changed), and a private Open vSwitch
 * (scripts/ovs-sandbox.sh with its own OSNET_OVS_DIR, daemons inside one of our namespaces) with
 * bridges and flows. Names are unique per process (`osnet-ssh-<pid>-a`); cleanup() removes
 * everything it made, by name and by the sandbox's own pid files.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '../../..');
const SANDBOX = path.join(PROJECT_ROOT, 'scripts', 'ovs-sandbox.sh');

export interface CmdResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function sh(cmd: string, args: readonly string[], env?: NodeJS.ProcessEnv, input?: string): CmdResult {
  const r = spawnSync(cmd, [...args], { encoding: 'utf8', env: env ?? process.env, timeout: 60_000, ...(input !== undefined ? { input } : {}) });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error ? String(r.error) : '') };
}

export function must(cmd: string, args: readonly string[], env?: NodeJS.ProcessEnv): string {
  const r = sh(cmd, args, env);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${String(r.status)}): ${r.stderr.trim()}`);
  return r.stdout;
}

export function which(tool: string): boolean {
  return sh('sh', ['-c', 'command -v "$1"', 'sh', tool], { ...process.env, PATH: `${process.env['PATH'] ?? ''}:/usr/sbin:/sbin` }).status === 0;
}

/** Why the lab cannot run here, or undefined. */
export function labUnavailable(tools: readonly string[] = ['ip', 'iptables', 'ip6tables', 'iptables-save', 'ipset']): string | undefined {
  if (process.platform !== 'linux') return `needs Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'not root: creating network namespaces needs root';
  const missing = tools.filter((t) => !which(t));
  if (missing.length > 0) return `not installed: ${missing.join(', ')}`;
  const probe = `osnet-ssh-${process.pid}-probe`;
  const r = sh('ip', ['netns', 'add', probe]);
  if (r.status !== 0) return `ip netns add does not work here: ${r.stderr.trim()}`;
  sh('ip', ['netns', 'del', probe]);
  return undefined;
}

export function ovsUnavailable(): string | undefined {
  const missing = ['ovsdb-tool', 'ovsdb-server', 'ovs-vswitchd', 'ovs-vsctl', 'ovs-ofctl', 'ovs-appctl'].filter((t) => !which(t));
  if (missing.length > 0) return `Open vSwitch not installed: ${missing.join(', ')}`;
  if (!fs.existsSync('/usr/share/openvswitch/vswitch.ovsschema')) return 'vswitch.ovsschema not found';
  return undefined;
}

export interface Lab {
  readonly prefix: string;
  /** Every namespace made, in creation order. */
  readonly namespaces: string[];
  ovs?: { readonly dir: string; readonly netns: string; readonly runDir: string; readonly env: NodeJS.ProcessEnv; readonly bridges: string[] };
  addNamespace(name: string): void;
  /** Runs a command inside one of our namespaces (`ip netns exec NAME ...`). */
  inNs(name: string, cmd: readonly string[]): string;
  /** Starts the private OVS in a namespace of ours and creates netdev bridges with a few flows. */
  startOvs(bridges: readonly string[]): void;
  ovsCmd(tool: 'ovs-vsctl' | 'ovs-ofctl' | 'ovs-appctl', args: readonly string[]): string;
  cleanup(): void;
}

export function createLab(tag = 'x'): Lab {
  const prefix = `osnet-ssh-${process.pid}-${tag}`;
  const lab: Lab = {
    prefix,
    namespaces: [],
    addNamespace(name) {
      must('ip', ['netns', 'add', name]);
      lab.namespaces.push(name);
      must('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
    },
    inNs(name, cmd) {
      return must('ip', ['netns', 'exec', name, ...cmd]);
    },
    startOvs(bridges) {
      const netns = `${prefix}-ovs`;
      lab.addNamespace(netns);
      const dir = `/tmp/${prefix}-ovs`;
      fs.rmSync(dir, { recursive: true, force: true });
      const env = { ...process.env, OSNET_OVS_DIR: dir, OSNET_OVS_NETNS: netns, PATH: `${process.env['PATH'] ?? ''}:/usr/sbin:/sbin` };
      lab.ovs = { dir, netns, runDir: path.join(dir, 'run'), env: { ...env, OVS_RUNDIR: path.join(dir, 'run'), OVS_DBDIR: path.join(dir, 'db'), OVS_LOGDIR: path.join(dir, 'log') }, bridges: [] };
      must('bash', [SANDBOX, 'start'], env);
      for (const b of bridges) {
        // A name the kernel refuses for the internal port still makes the bridge (ovs-vsctl exits non-zero).
        sh('ovs-vsctl', ['--timeout=20', 'add-br', b, '--', 'set', 'bridge', b, 'datapath_type=netdev'], lab.ovs.env);
        lab.ovs.bridges.push(b);
        for (const flow of ['table=0,priority=100,arp,actions=NORMAL', 'table=0,priority=50,ip,nw_src=10.0.0.0/8,actions=resubmit(,1)', 'table=1,priority=10,ip,nw_dst=10.9.9.9,actions=drop', 'table=1,priority=1,actions=NORMAL']) {
          must('ovs-ofctl', ['--', 'add-flow', b, flow], lab.ovs.env);
        }
      }
    },
    ovsCmd(tool, args) {
      if (!lab.ovs) throw new Error('OVS not started');
      return must(tool, args, lab.ovs.env);
    },
    cleanup() {
      if (lab.ovs) {
        sh('bash', [SANDBOX, 'stop'], { ...process.env, OSNET_OVS_DIR: lab.ovs.dir, OSNET_OVS_NETNS: lab.ovs.netns });
        fs.rmSync(lab.ovs.dir, { recursive: true, force: true });
        lab.ovs = undefined;
      }
      for (const n of lab.namespaces.splice(0).reverse()) sh('ip', ['netns', 'del', n]);
    },
  };
  return lab;
}

/**
 * Two namespaces joined by a veth pair, a Linux bridge in the first, addresses, a policy rule and a
 * route in table 100, iptables (filter + nat, a user chain), ip6tables and an ipset — all inside
 * the namespaces.
 */
export function populateNamespaces(lab: Lab, a: string, b: string): void {
  lab.addNamespace(a);
  lab.addNamespace(b);
  must('ip', ['-n', a, 'link', 'add', 'va', 'type', 'veth', 'peer', 'name', 'vb', 'netns', b]);
  must('ip', ['-n', a, 'link', 'add', 'br-lab', 'type', 'bridge']);
  must('ip', ['-n', a, 'link', 'set', 'va', 'master', 'br-lab']);
  for (const [ns, dev] of [[a, 'va'], [a, 'br-lab'], [b, 'vb']] as const) must('ip', ['-n', ns, 'link', 'set', dev, 'up']);
  must('ip', ['-n', a, 'addr', 'add', '10.77.0.1/24', 'dev', 'br-lab']);
  must('ip', ['-n', b, 'addr', 'add', '10.77.0.2/24', 'dev', 'vb']);
  must('ip', ['-n', a, 'route', 'add', '10.88.0.0/16', 'via', '10.77.0.2', 'table', '100']);
  must('ip', ['-n', a, 'rule', 'add', 'from', '10.77.0.0/24', 'table', '100', 'pref', '1000']);
  lab.inNs(a, ['ipset', 'create', 'osnet-lab-set', 'hash:ip']);
  lab.inNs(a, ['ipset', 'add', 'osnet-lab-set', '10.77.0.9']);
  lab.inNs(a, ['iptables', '-N', 'osnet-lab-chain']);
  lab.inNs(a, ['iptables', '-A', 'INPUT', '-s', '10.77.0.5/32', '-m', 'comment', '--comment', 'osnet lab drop', '-j', 'DROP']);
  lab.inNs(a, ['iptables', '-A', 'FORWARD', '-i', 'br-lab', '-j', 'osnet-lab-chain']);
  lab.inNs(a, ['iptables', '-A', 'osnet-lab-chain', '-m', 'set', '--match-set', 'osnet-lab-set', 'src', '-j', 'ACCEPT']);
  lab.inNs(a, ['iptables', '-t', 'nat', '-A', 'POSTROUTING', '-s', '10.77.0.0/24', '-o', 'va', '-j', 'MASQUERADE']);
  lab.inNs(a, ['ip6tables', '-A', 'INPUT', '-s', 'fd00::5/128', '-j', 'DROP']);
  lab.inNs(b, ['iptables', '-A', 'OUTPUT', '-d', '10.77.0.1/32', '-p', 'tcp', '--dport', '22', '-j', 'REJECT']);
}
