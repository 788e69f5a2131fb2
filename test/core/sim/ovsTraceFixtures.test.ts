import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { OvsFlow } from '../../../src/core/ovs/parseOvsDumpFlows';
import { formatTrace } from '../../../src/core/sim/formatTrace';
import { runOvsPipeline, type CtAssumption } from '../../../src/core/sim/ovs/runOvsPipeline';
import { parsePacketSpec } from '../../../src/core/sim/parsePacketSpec';
import { buildSimHost } from '../../../src/core/sim/walk/buildSimHost';
import { simulateHost } from '../../../src/core/sim/walk/simulateHost';
import { loadSnapshot } from '../../../src/host/loadSnapshot';
import { compareOutcomes, flowIdentity, simOutcome, simStepIdentity, traceOutcome } from '../../support/ovsTraceOutcome';

/**
 * Disagreements the OVS differential test (ovsDifferential.test.ts) found, kept as fixtures that
 * run without OVS: each folder under fixtures/ovs-trace/ holds a small snapshot, one probe and
 * the real `ovs-appctl ofproto/trace` output recorded for it (test/support/recordOvsTraceFixtures.ts).
 * The simulator must visit the same flows, send the packet out of the same ports, and — when the
 * packet goes nowhere — name as deciding flow the last flow ofproto/trace ran.
 */
interface Probe {
  why: string;
  start: { bridge: string; inPort: number };
  packet: string;
  ct: CtAssumption;
  odpPorts: Record<string, string>;
}

const dir = path.resolve(__dirname, 'fixtures/ovs-trace');
const cases = fs.existsSync(dir) ? fs.readdirSync(dir).filter((d) => fs.existsSync(path.join(dir, d, 'probe.json'))) : [];

describe('simulator vs recorded ofproto/trace (fixtures from the OVS differential test)', () => {
  for (const name of cases) {
    const root = path.join(dir, name);
    const probe = JSON.parse(fs.readFileSync(path.join(root, 'probe.json'), 'utf8')) as Probe;
    it(`${name}: ${probe.why}`, async () => {
      const { snapshot } = await loadSnapshot(root);
      const host = buildSimHost(snapshot);
      const flowsByRaw = new Map<string, OvsFlow>();
      const flowIds = new Set<string>();
      for (const b of snapshot.ovsBridges) for (const f of b.flows?.flows ?? []) {
        flowsByRaw.set(`${b.name}\u0000${f.raw}`, f);
        flowIds.add(flowIdentity(b.name, f.table, f.priority, f.match));
      }
      const odp = new Map(Object.entries(probe.odpPorts).map(([k, v]) => [Number(k), v]));
      const real = traceOutcome(fs.readFileSync(path.join(root, 'ofproto-trace.txt'), 'utf8'), odp, flowIds);
      const spec = parsePacketSpec(probe.packet);
      assert.deepEqual(spec.diagnostics.filter((d) => d.severity === 'error'), []);
      const run = runOvsPipeline(host.ovs.get(probe.start.bridge)!, probe.start.inPort, spec.value, { bridges: host.ovs, ct: probe.ct });
      const sim = simOutcome(run, flowsByRaw);
      assert.deepEqual(compareOutcomes(real, sim), [], JSON.stringify({ real, sim }, null, 2));
      if (real.outputs.length === 0) {
        const last = run.lastDecision ? simStepIdentity(run.lastDecision, flowsByRaw) : undefined;
        assert.equal(last, real.lastFlow, 'the deciding flow is the last flow ofproto/trace ran');
        const bridge = host.ovs.get(probe.start.bridge)!;
        if (bridge.ports.some((p) => p.ofport === probe.start.inPort)) {
          const h = simulateHost(host, { kind: 'ovsPort', bridge: probe.start.bridge, port: String(probe.start.inPort) }, spec.value, { ct: probe.ct });
          assert.ok(h.verdict === 'dropped' || h.verdict === 'noFlowMatch', formatTrace(h));
          assert.equal(h.decidedBy ? simStepIdentity(h.decidedBy, flowsByRaw) : undefined, real.lastFlow, formatTrace(h));
        }
      }
    });
  }
});
