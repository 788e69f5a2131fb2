// The real side of the benchmark: a network namespace with real iptables and a private Open vSwitch
// holding the generated Neutron state, dumped back the way an operator (and `osnet collect`) would.
//
// As root: `ip netns add osnet-bench-<pid>`, iptables-legacy inside it, scripts/ovs-sandbox.sh with
// ovs-vswitchd running inside it (userspace datapath), and the traced VM ports wired as Neutron's
// hybrid firewall does: tap -> qbr (Linux bridge) -> qvb/qvo veth -> br-int.
// Without root: iptables in a throw-away user+network namespace (`unshare -rn`) when the kernel
// allows it, and the dummy-port OVS sandbox of test/support/ovsSandbox.ts (no kernel devices).
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { baseEnv, must, onCleanup, run, runSync, which } from './benchProcess.mjs';

/** The iptables binaries: legacy preferred (it is the baseline), nft as a fallback. */
export function iptablesTools() {
  if (which('iptables-legacy-restore') && which('iptables-legacy-save')) return { restore: 'iptables-legacy-restore', save: 'iptables-legacy-save', backend: 'legacy' };
  if (which('iptables-restore') && which('iptables-save')) return { restore: 'iptables-restore', save: 'iptables-save', backend: 'default (probably nft)' };
  return undefined;
}

/** Creates a network namespace (root only); registered for deletion. */
export function createNamespace(name) {
  const r = runSync(['ip', 'netns', 'add', name]);
  if (r.status !== 0) return { ok: false, reason: `ip netns add ${name} failed: ${r.stderr.trim()}` };
  onCleanup(() => runSync(['ip', 'netns', 'del', name]));
  // No router solicitations or MLD reports from the new links: the dumps stay deterministic.
  runSync(['ip', 'netns', 'exec', name, 'sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
  runSync(['ip', '-n', name, 'link', 'set', 'lo', 'up']);
  return { ok: true, name };
}

/** Whether this user may make a user+network namespace (for iptables without root). */
export function canUnshare() {
  if (!which('unshare')) return { ok: false, reason: 'unshare(1) not installed' };
  const r = runSync(['unshare', '-rn', 'true']);
  return r.status === 0 ? { ok: true } : { ok: false, reason: `unshare -rn not permitted here: ${r.stderr.trim()}` };
}

// Times `RESTORE --test -c < FILE` RUNS times inside the namespace it runs in; prints "rc ns" lines.
const TEST_LOOP = 'f=$1; runs=$2; restore=$3; i=0; while [ "$i" -lt "$runs" ]; do i=$((i+1)); '
  + 't0=$(date +%s%N); "$restore" --test -c <"$f" >/dev/null 2>>"$f.test-stderr"; rc=$?; t1=$(date +%s%N); echo "$rc $((t1 - t0))"; done';

/**
 * Loads the generated rules with `RESTORE -c` and dumps them back with `SAVE -c` into savedFile.
 * mode: {kind: 'netns', ns} or {kind: 'unshare'}. Returns the timings and `testOnce()`, which times
 * one `RESTORE --test -c < savedFile` in the same kind of namespace (undefined when it failed).
 */
export async function loadIptables(mode, tools, generatedFile, savedFile, tmp) {
  const env = { ...baseEnv, XTABLES_LOCKFILE: path.join(tmp, 'xtables.lock') };
  const testArgv = ['sh', '-c', TEST_LOOP, 'sh', savedFile, '1', tools.restore];
  const testOnce = async (prefix) => {
    const r = await run([...prefix, ...testArgv], { env });
    const [rc, ns] = r.stdout.trim().split(' ').map(Number);
    return r.status === 0 && rc === 0 ? ns / 1e6 : undefined;
  };
  if (mode.kind === 'netns') {
    const exec = ['ip', 'netns', 'exec', mode.ns];
    const load = await must([...exec, tools.restore, '-c'], { input: fs.readFileSync(generatedFile, 'utf8'), env });
    const save = await must([...exec, tools.save, '-c'], { env });
    fs.writeFileSync(savedFile, save.stdout);
    return { loadMs: load.ms, saveMs: save.ms, where: `namespace ${mode.ns}`, testOnce: () => testOnce(exec) };
  }
  // A throw-away namespace for load + dump (-t filter: /proc/net/ip_tables_names is not readable
  // from a user namespace), and a fresh one for each --test.
  const script = '"$1" -c <"$2" || exit 90; "$3" -t filter -c >"$4" || exit 91';
  await must(['unshare', '-rn', 'sh', '-c', script, 'sh', tools.restore, generatedFile, tools.save, savedFile], { env });
  return { loadMs: undefined, saveMs: undefined, where: 'a user+network namespace (unshare -rn)', testOnce: () => testOnce(['unshare', '-rn']) };
}

/**
 * Starts a private OVS: in the namespace (root) with scripts/ovs-sandbox.sh, else the dummy-port
 * sandbox of test/support/ovsSandbox.ts (bundled to dist/bench/ovsSandbox.js).
 */
export async function startOvs(projectDir, tmp, ns) {
  if (ns) {
    const dir = path.join(tmp, 'ovs');
    const env = {
      ...baseEnv, OSNET_OVS_DIR: dir, OSNET_OVS_NETNS: ns,
      OVS_RUNDIR: path.join(dir, 'run'), OVS_DBDIR: path.join(dir, 'db'), OVS_LOGDIR: path.join(dir, 'log'), OVS_SYSCONFDIR: path.join(dir, 'etc'),
    };
    const script = path.join(projectDir, 'scripts/ovs-sandbox.sh');
    // Registered first, so a half-started sandbox is stopped too (stop goes by pidfile, never by name).
    onCleanup(() => runSync(['bash', script, 'stop'], { env }));
    const r = await run(['bash', script, 'start'], { env, timeoutMs: 60_000 });
    if (r.status !== 0) return { ok: false, reason: `scripts/ovs-sandbox.sh start failed: ${r.stderr.trim().split('\n').slice(-2).join(' | ')}` };
    const pids = ['ovsdb-server', 'ovs-vswitchd'].map((d) => Number(fs.readFileSync(path.join(dir, 'run', `${d}.pid`), 'utf8').trim()));
    return {
      ok: true,
      kind: `scripts/ovs-sandbox.sh, ovs-vswitchd inside ${ns} (pids ${pids.join(', ')})`,
      env,
      dummy: false,
      vsctl: (args) => must(['ovs-vsctl', `--db=unix:${path.join(dir, 'run', 'db.sock')}`, '--timeout=30', ...args], { env }),
      ofctl: (args) => must(['ovs-ofctl', ...args], { env, timeoutMs: 300_000 }),
      appctlArgv: (args) => ['ovs-appctl', '-t', 'ovs-vswitchd', ...args],
    };
  }
  const require = createRequire(import.meta.url);
  const { startOvsSandbox } = require(path.join(projectDir, 'dist/bench/ovsSandbox.js'));
  const s = startOvsSandbox();
  if (!s.ok) return { ok: false, reason: s.reason };
  onCleanup(() => s.sandbox.stop());
  const env = s.sandbox.env;
  return {
    ok: true,
    kind: `test/support/ovsSandbox.ts (dummy ports, ${s.sandbox.runDir})`,
    env,
    dummy: true,
    vsctl: (args) => must(['ovs-vsctl', `--db=${s.sandbox.db}`, '--timeout=30', ...args], { env }),
    ofctl: (args) => must(['ovs-ofctl', ...args], { env, timeoutMs: 300_000 }),
    appctlArgv: (args) => ['ovs-appctl', '-t', path.join(s.sandbox.runDir, 'ovs-vswitchd.ctl'), ...args],
  };
}

/**
 * br-int with the traced VM ports. In a namespace: per port a Linux bridge qbr, the VM's tap, and a
 * veth qvb (in qbr) / qvo (on br-int, at the ofport the generated flows expect). Dummy OVS: just
 * the qvo ports.
 */
export async function buildBrInt(ovs, plan, ns) {
  if (ns) {
    const lines = [];
    for (const t of plan.traced) {
      lines.push(`link add ${t.qbr} type bridge`, `tuntap add ${t.tap} mode tap`, `link add ${t.qvb} type veth peer name ${t.qvo}`,
        `link set ${t.tap} master ${t.qbr}`, `link set ${t.qvb} master ${t.qbr}`);
      for (const d of [t.qbr, t.tap, t.qvb, t.qvo]) lines.push(`link set ${d} up`);
    }
    await must(['ip', '-n', ns, '-batch', '-'], { input: `${lines.join('\n')}\n` });
  }
  const args = ['add-br', 'br-int', '--', 'set', 'Bridge', 'br-int', 'datapath_type=netdev', 'fail_mode=secure'];
  for (const t of plan.traced) {
    args.push('--', 'add-port', 'br-int', t.qvo, '--', 'set', 'Interface', t.qvo, `ofport_request=${t.ofport}`, ...(ns ? [] : ['type=dummy']));
  }
  await ovs.vsctl(args);
}

/** Writes a snapshot folder (docs/snapshot-folder.md) from the namespace and the OVS sandbox. */
export async function writeSnapshot(dir, { ns, ovs, iptablesFile, flowsFile }) {
  fs.mkdirSync(dir, { recursive: true });
  const commands = [];
  const put = (file, argv, r) => {
    fs.writeFileSync(path.join(dir, file), r.stdout);
    commands.push({ file, argv, exitCode: r.status ?? -1 });
  };
  if (iptablesFile) {
    fs.copyFileSync(iptablesFile, path.join(dir, 'iptables-save_-c'));
    commands.push({ file: 'iptables-save_-c', argv: ['iptables-save', '-c'], exitCode: 0 });
  }
  if (ns) {
    const inNs = [
      ['ip_-d_-j_link', ['ip', '-d', '-j', 'link']],
      ['ip_-j_addr', ['ip', '-j', 'addr']],
      ['ip_route_show_table_all', ['ip', 'route', 'show', 'table', 'all']],
      ['ip_rule', ['ip', 'rule']],
      ['bridge_-j_link', ['bridge', '-j', 'link']],
      ['sysctl_-a', ['sysctl', 'net.bridge.bridge-nf-call-iptables', 'net.bridge.bridge-nf-call-ip6tables', 'net.ipv4.ip_forward']],
    ];
    for (const [file, argv] of inNs) put(file, argv, await run(['ip', 'netns', 'exec', ns, ...argv]));
  }
  put('ovs-vsctl_show', ['ovs-vsctl', 'show'], await ovs.vsctl(['show']));
  put('ovs-ofctl_show_br-int', ['ovs-ofctl', 'show', 'br-int'], await ovs.ofctl(['show', 'br-int']));
  fs.copyFileSync(flowsFile, path.join(dir, 'ovs-ofctl_dump-flows_br-int'));
  commands.push({ file: 'ovs-ofctl_dump-flows_br-int', argv: ['ovs-ofctl', 'dump-flows', 'br-int'], exitCode: 0, bridge: 'br-int' });
  const host = { version: 1, hostname: 'osnet-bench', collectedAt: new Date().toISOString(), collector: 'scripts/bench/run.mjs', commands };
  fs.writeFileSync(path.join(dir, 'host.json'), `${JSON.stringify(host, null, 2)}\n`);
}
