import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSimHost } from '../../../src/core/sim/walk/buildSimHost';
import type { SimHost } from '../../../src/core/sim/walk/SimHost';
import { buildHostSnapshot } from '../../../src/core/snapshot/buildHostSnapshot';
import { setUpHybridNetfilterLab, type HybridNetfilterLab } from '../../support/hybridNetfilterLab';
import { compareNetfilterObservation, type NetfilterObservation } from '../../support/netfilterObservation';
import { randomHybridPackets, type RandomHybridPacket } from '../../support/randomHybridPacket';
import { runSeed, seededRandom } from '../../support/seededRandom';

/**
 * The netfilter part of the simulator against the real kernel at scale: a Neutron hybrid-firewall
 * hypervisor built in network namespaces (test/support/hybridNetfilterLab.ts: Linux bridge with
 * two VM taps and the qvb port, br_netfilter on, neutron's iptables for 40 ports), dumped as an
 * operator would, then >= 1,000 seeded random frames sent one by one from the guests. For each,
 * the rules whose `iptables-save -c` counters moved (and how often) must be exactly the rules the
 * simulator's walk matched, policies included; and the guests that received the frame must be
 * the devices the simulator delivers it to. The conntrack state the kernel gave each frame is
 * read from counting rules in mangle PREROUTING and passed to the simulator as its `ct`.
 *
 * OSNET_IPT_DIFF_SEED=<n> replays a run; OSNET_IPT_DIFF_COUNT=<n> changes the frame count.
 * Disagreements print the frame, both sides and the simulator's trace, and the snapshot is
 * saved under os.tmpdir() so it can become a fixture.
 */
const COUNT = Number(process.env['OSNET_IPT_DIFF_COUNT'] ?? 1000);
const PORTS = 40;
const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const DRIVER = path.resolve(__dirname, '../../support/netfilterProbeDriver.py');

function whyNot(): string | undefined {
  if (process.platform !== 'linux') return `needs Linux network namespaces (this is ${process.platform})`;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'not root: cannot create network namespaces';
  for (const [tool, arg] of [['ip', '-V'], ['iptables-save', '--version'], ['iptables-restore', '--version'], ['bridge', '-V'], ['sysctl', '--version'], ['conntrack', '--version'], [PYTHON, '--version']] as const) {
    const r = spawnSync(tool, [arg], { encoding: 'utf8' });
    if (r.error || r.status !== 0) return `${tool} is not available`;
  }
  if (!fs.existsSync('/proc/sys/net/bridge')) return 'br_netfilter is not loaded (no /proc/sys/net/bridge)';
  return undefined;
}

describe('iptables differential: simulator vs real netfilter counters, Neutron hybrid firewall with br_netfilter', function () {
  this.timeout(300_000);
  let lab: HybridNetfilterLab | undefined;
  let files: Map<string, string>;
  let host: SimHost;
  let seed: number;

  before(function () {
    const why = whyNot();
    if (why) {
      console.log(`      iptables differential skipped: ${why}`);
      this.skip();
    }
    seed = runSeed('OSNET_IPT_DIFF_SEED');
    lab = setUpHybridNetfilterLab(`osnet-ipd-${process.pid}`, PORTS, seed);
    files = lab.dump();
    host = buildSimHost(buildHostSnapshot([...files].map(([p, text]) => ({ path: p, text })), { kind: 'folder', path: 'iptables-differential' }));
  });
  after(() => lab?.teardown());

  it(`${COUNT} seeded random frames: same rules counted, same guests reached`, () => {
    const l = lab!;
    console.log(`      seed ${seed} (replay with OSNET_IPT_DIFF_SEED=${seed})`);
    const r = seededRandom(seed);
    const packets: RandomHybridPacket[] = [];
    while (packets.length < COUNT) packets.push(...randomHybridPackets(r, l.world, packets.length));
    const t0 = Date.now();
    const job = {
      endpoints: l.endpoints,
      probes: packets.map((p, id) => ({ id, from: p.from, flow: p.flow, marker: p.marker ?? `osnet-ipd-${seed}-${id}`, ...(p.embed ? { embed: p.embed } : {}), ...(p.keepConntrack ? { keepConntrack: true } : {}) })),
      save: ['iptables-save', '-c'],
      // Every frame starts a fresh connection (as the simulator's `ct` assumes) unless it is a reply.
      flush: ['conntrack', '-F'],
    };
    const res = spawnSync('ip', ['netns', 'exec', l.hostNs, PYTHON, DRIVER], { input: JSON.stringify(job), encoding: 'utf8', maxBuffer: 256 << 20, timeout: 240_000 });
    assert.equal(res.status, 0, `probe driver failed: ${res.stderr}`);
    const observed = res.stdout.trim().split('\n').map((line) => JSON.parse(line) as NetfilterObservation & { id: number });
    assert.equal(observed.length, packets.length);
    const kernelMs = Date.now() - t0;

    const t1 = Date.now();
    const disagreements: string[] = [];
    const stats = new Map<string, { n: number; delivered: number; ct: Record<string, number> }>();
    for (const [i, p] of packets.entries()) {
      const o = observed[i]!;
      const { ct, problems, report } = compareNetfilterObservation(host, p.from, p.flow, o);
      const st = stats.get(p.kind) ?? { n: 0, delivered: 0, ct: {} };
      st.n++;
      if (o.received.length > 0) st.delivered++;
      st.ct[ct] = (st.ct[ct] ?? 0) + 1;
      stats.set(p.kind, st);
      if (problems.length > 0) disagreements.push(`frame ${i} (${p.kind}) ${report}`);
    }
    const simMs = Date.now() - t1;
    console.log(`      ${COUNT} frames: kernel send+count ${kernelMs} ms, simulator ${simMs} ms; ${disagreements.length} disagreements`);
    console.log(`      mix: ${[...stats].map(([k, s]) => `${k} ${s.n} (${s.delivered} delivered; ${Object.entries(s.ct).map(([c, n]) => `${c} ${n}`).join(' ')})`).join(', ')}`);
    if (disagreements.length > 0) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `osnet-iptables-differential-${seed}-`));
      fs.mkdirSync(path.join(dir, 'snapshot'));
      for (const [f, text] of files) fs.writeFileSync(path.join(dir, 'snapshot', f), text);
      fs.writeFileSync(path.join(dir, 'disagreements.txt'), `${disagreements.join('\n\n')}\n`);
      for (const d of disagreements.slice(0, 3)) console.log(`\n${d.split('\n').map((x) => `      ${x}`).join('\n')}`);
      console.log(`      snapshot and all ${disagreements.length} disagreements saved in ${dir}`);
    }
    assert.equal(disagreements.length, 0, `${disagreements.length} of ${COUNT} frames disagree (seed ${seed})`);
  });
});
