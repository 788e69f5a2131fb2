import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { OvsFlow } from '../../../src/core/ovs/parseOvsDumpFlows';
import { formatTrace } from '../../../src/core/sim/formatTrace';
import { buildSimHost } from '../../../src/core/sim/walk/buildSimHost';
import type { SimHost } from '../../../src/core/sim/walk/SimHost';
import { simulateHost } from '../../../src/core/sim/walk/simulateHost';
import { runOvsPipeline } from '../../../src/core/sim/ovs/runOvsPipeline';
import { parsePacketSpec } from '../../../src/core/sim/parsePacketSpec';
import { buildHostSnapshot } from '../../../src/core/snapshot/buildHostSnapshot';
import { setUpNeutronOvsLab, type NeutronOvsLab } from '../../support/neutronOvsLab';
import { startOvsSandbox, type OvsSandbox } from '../../support/ovsSandbox';
import { compareOutcomes, flowIdentity, simOutcome, simStepIdentity, traceOutcome } from '../../support/ovsTraceOutcome';
import { CT_NEXT_FLAGS, randomNeutronPacket, type RandomOvsPacket } from '../../support/randomNeutronPacket';
import { runSeed, seededRandom } from '../../support/seededRandom';
import { unixctlBatch } from '../../support/ovsUnixctl';

/**
 * The OVS part of the simulator against real Open vSwitch at scale: a Neutron compute node's
 * br-int (agent + native firewall tables 0-3, 23-25, 60, 71-73, 81-82, 91-94) and br-tun
 * (0-4, 6, 9, 10, 20-22) joined by patch ports run in a private ovs-vswitchd; the flows are
 * dumped as an operator would, parsed by our parsers, and for >= 1,000 seeded random packets
 * `ovs-appctl ofproto/trace` and runOvsPipeline must visit the same flows, pass by pass, and send
 * the packet out of the same ports with the same VLAN (or both drop it). Conntrack states are
 * fed to ofproto/trace with `--ct-next` and to the simulator as its `ct` assumption.
 *
 * OSNET_OVS_DIFF_SEED=<n> replays a run; OSNET_OVS_DIFF_COUNT=<n> changes the packet count.
 * A disagreement prints the packet and both traces and saves the snapshot (under os.tmpdir())
 * so it can become a fixture.
 */
const COUNT = Number(process.env['OSNET_OVS_DIFF_COUNT'] ?? 1000);

interface Disagreement {
  readonly packet: RandomOvsPacket;
  readonly diffs: readonly string[];
  readonly trace: string;
  readonly sim: string;
}

for (const nativeOpenflow of [false, true]) {
  const layout = nativeOpenflow ? 'native OpenFlow driver layout (goto_table)' : 'ovs-ofctl driver layout (resubmit)';
  describe(`OVS differential: simulator vs ofproto/trace, Neutron br-int + br-tun, ${layout}`, function () {
    this.timeout(180_000);
    let sandbox: OvsSandbox | undefined;
    let lab: NeutronOvsLab;
    let files: Map<string, string>;
    let host: SimHost;
    const flowsByRaw = new Map<string, OvsFlow>();
    const flowIds = new Set<string>();

    before(function () {
      if (typeof process.getuid === 'function' && process.getuid() !== 0) {
        console.log('      OVS differential skipped: not root (ovs-vswitchd needs root for its sandbox)');
        this.skip();
      }
      const s = startOvsSandbox();
      if (!s.ok) {
        console.log(`      OVS differential skipped: ${s.reason}`);
        this.skip();
      }
      sandbox = s.sandbox;
      for (const br of ['br-int', 'br-tun']) if (sandbox.run('ovs-vsctl', [`--db=${sandbox.db}`, 'br-exists', br]).status === 0) sandbox.vsctl(['del-br', br]);
      lab = setUpNeutronOvsLab(sandbox, { ports: 12, portsPerNetwork: 4, nativeOpenflow, allowedAddressPairs: 1 });
      files = lab.dump();
      const snapshot = buildHostSnapshot([...files].map(([p, text]) => ({ path: p, text })), { kind: 'folder', path: 'ovs-differential' });
      host = buildSimHost(snapshot);
      for (const b of snapshot.ovsBridges) {
        for (const f of b.flows?.flows ?? []) {
          flowsByRaw.set(`${b.name}\u0000${f.raw}`, f);
          flowIds.add(flowIdentity(b.name, f.table, f.priority, f.match));
        }
      }
      assert.equal(flowIds.size, lab.int.flowCount + lab.tun.flowCount, 'every installed flow is in the parsed dumps');
    });
    after(() => sandbox?.stop());

    it(`${COUNT} seeded random packets: same flows visited, same outputs`, async () => {
      const seed = runSeed('OSNET_OVS_DIFF_SEED');
      console.log(`      seed ${seed} (replay with OSNET_OVS_DIFF_SEED=${seed})`);
      const r = seededRandom(seed);
      const world = { ports: lab.int.ports, tun: lab.tun, dvrMac: lab.int.dvrMac, remoteDvrMacs: ['fa:16:3f:0a:04:80', 'fa:16:3f:a4:e2:e2'], physOfport: lab.physOfport, patchTunOfport: lab.patchTunOfport };
      const packets = Array.from({ length: COUNT }, () => randomNeutronPacket(r, world));
      const t0 = Date.now();
      const answers = await unixctlBatch(lab.ctlSocket, packets.map((p) => ({
        method: 'ofproto/trace',
        params: [p.bridge, `in_port=${p.inPort},${p.fields}`, ...Array.from({ length: 4 }, () => ['--ct-next', CT_NEXT_FLAGS[p.ct]]).flat()],
      })));
      const traceMs = Date.now() - t0;
      const t1 = Date.now();
      const disagreements: Disagreement[] = [];
      const stats = new Map<string, { n: number; dropped: number; passes: number }>();
      for (const [i, p] of packets.entries()) {
        const answer = answers[i]!;
        const spec = parsePacketSpec(p.fields);
        const errors = spec.diagnostics.filter((d) => d.severity === 'error');
        if ('error' in answer || errors.length > 0) {
          disagreements.push({ packet: p, diffs: ['error' in answer ? `ofproto/trace failed: ${answer.error}` : `parsePacketSpec: ${errors.map((e) => e.message).join('; ')}`], trace: '', sim: '' });
          continue;
        }
        const real = traceOutcome(answer.result, lab.odpPorts, flowIds);
        const bridge = host.ovs.get(p.bridge)!;
        const run = runOvsPipeline(bridge, p.inPort, spec.value, { bridges: host.ovs, ct: p.ct });
        const sim = simOutcome(run, flowsByRaw);
        const diffs = compareOutcomes(real, sim);
        // The whole-host walk from a known port must give the same fate and name the same deciding flow.
        const known = bridge.ports.some((x) => x.ofport === p.inPort);
        let hostText = '';
        if (known) {
          const h = simulateHost(host, { kind: 'ovsPort', bridge: p.bridge, port: String(p.inPort) }, spec.value, { ct: p.ct });
          const before = diffs.length;
          if (real.outputs.length === 0) {
            if (h.verdict !== 'dropped' && h.verdict !== 'noFlowMatch') diffs.push(`simulateHost verdict ${h.verdict}, but OVS drops the packet`);
            const decided = h.decidedBy ? simStepIdentity(h.decidedBy, flowsByRaw) : undefined;
            if (decided !== real.lastFlow) diffs.push(`simulateHost decidedBy ${decided ?? '(none)'}, ofproto/trace's last flow ${real.lastFlow ?? '(none)'}`);
          } else if (h.verdict !== 'accepted' && !real.outputs.every((o) => /^br-(int|tun)@/.test(o))) {
            diffs.push(`simulateHost verdict ${h.verdict}, but OVS outputs to ${real.outputs.join(' ')}`);
          }
          if (diffs.length > before) hostText = formatTrace(h);
        }
        const st = stats.get(p.kind) ?? { n: 0, dropped: 0, passes: 0 };
        st.n++;
        if (real.outputs.length === 0) st.dropped++;
        st.passes += real.passes.length;
        stats.set(p.kind, st);
        if (diffs.length > 0) {
          disagreements.push({ packet: p, diffs, trace: answer.result, sim: `${run.steps.map((s) => `${'  '.repeat(s.depth)}${s.bridge ?? ''} ${s.table ?? ''} ${s.raw ?? ''} -> ${s.action}`).join('\n')}\noutputs: ${sim.outputs.join(' ')}\n${hostText}` });
        }
      }
      const simMs = Date.now() - t1;
      console.log(`      ${COUNT} packets: ofproto/trace ${traceMs} ms, simulator ${simMs} ms; ${disagreements.length} disagreements`);
      console.log(`      mix: ${[...stats].map(([k, s]) => `${k} ${s.n} (${s.dropped} dropped, ${(s.passes / s.n).toFixed(1)} passes)`).join(', ')}`);
      if (disagreements.length > 0) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), `osnet-ovs-differential-${seed}-`));
        fs.mkdirSync(path.join(dir, 'snapshot'));
        for (const [f, text] of files) fs.writeFileSync(path.join(dir, 'snapshot', f), text);
        disagreements.forEach((d, i) => fs.writeFileSync(path.join(dir, `disagreement-${i + 1}.txt`), [
          `packet: ${d.packet.bridge} in_port=${d.packet.inPort},${d.packet.fields}`, `ct: ${d.packet.ct}  (${d.packet.kind})`, '',
          ...d.diffs, '', '--- ofproto/trace', d.trace, '--- simulator', d.sim, ''].join('\n')));
        for (const d of disagreements.slice(0, 3)) {
          console.log(`\n      DISAGREEMENT (${d.packet.kind}, ct ${d.packet.ct}): ofproto/trace ${d.packet.bridge} 'in_port=${d.packet.inPort},${d.packet.fields}'`);
          for (const x of d.diffs) console.log(`        ${x}`);
          console.log(d.trace.split('\n').map((l) => `        | ${l}`).join('\n'));
          console.log(d.sim.split('\n').map((l) => `        > ${l}`).join('\n'));
        }
        console.log(`      snapshot and all ${disagreements.length} disagreements saved in ${dir}`);
      }
      assert.equal(disagreements.length, 0, `${disagreements.length} of ${COUNT} packets disagree (seed ${seed})`);
    });
  });
}
