import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildSimHost } from '../../../src/core/sim/walk/buildSimHost';
import { simulateHost } from '../../../src/core/sim/walk/simulateHost';
import { formatTrace } from '../../../src/core/sim/formatTrace';
import { parsePacketSpec } from '../../../src/core/sim/parsePacketSpec';
import { loadSnapshot } from '../../../src/host/loadSnapshot';
import { ruleIdentity } from '../../support/ruleIdentity';

/**
 * The simulator against what really happened: each sample under samples/ was recorded by a
 * test/oracle scenario that built the host with real namespaces, netfilter and OVS, sent each
 * probe packet, and noted whether it arrived and which rule's counter moved (observed.json).
 * The simulator must give the same fate and the same deciding rule or flow.
 */
interface Probe {
  id: string;
  ingress: { device: string; netns?: string };
  egress?: { device: string; netns?: string };
  packet: string;
  delivered: boolean;
  decidedBy?: { file: string; line: number } | null;
}

const samplesDir = path.resolve(__dirname, '../../../samples');
const samples = fs.existsSync(samplesDir) ? fs.readdirSync(samplesDir).filter((d) => fs.existsSync(path.join(samplesDir, d, 'observed.json'))) : [];

describe('simulator agrees with the real kernel and OVS on the recorded scenarios', () => {
  let checked = 0;
  after(() => console.log(`      (${checked} recorded probes compared over ${samples.length} samples)`));
  for (const sample of samples) {
    describe(sample, () => {
      const root = path.join(samplesDir, sample);
      const probes = (JSON.parse(fs.readFileSync(path.join(root, 'observed.json'), 'utf8')) as Probe[])
        .filter((p) => p.ingress.device !== 'local');
      let host: ReturnType<typeof buildSimHost>;
      before(async () => {
        host = buildSimHost((await loadSnapshot(root)).snapshot);
      });
      for (const probe of probes) {
        it(`${probe.id}: ${probe.delivered ? 'delivered' : 'dropped'}`, () => {
          const packet = parsePacketSpec(probe.packet);
          assert.deepEqual(packet.diagnostics.filter((d) => d.severity === 'error'), []);
          const start = { kind: 'device' as const, device: probe.ingress.device, ...(probe.ingress.netns ? { netns: probe.ingress.netns } : {}) };
          const r = simulateHost(host, start, packet.value, { ct: 'new' });
          const explain = `\n${formatTrace(r)}`;
          if (probe.delivered) {
            if (probe.egress?.device === 'local') {
              assert.ok(r.egress.some((e) => e.kind === 'local'), `expected delivery to the host itself${explain}`);
            } else if (probe.egress && probe.egress.device !== probe.ingress.device) {
              const reached = r.reached.some((x) => x.device === probe.egress!.device && (probe.egress!.netns === undefined || x.netns === probe.egress!.netns)) ||
                r.egress.some((e) => e.device === probe.egress!.device);
              assert.ok(reached, `expected the packet to reach ${probe.egress.device}${explain}`);
            } else {
              assert.equal(r.verdict, 'accepted', explain);
            }
          } else {
            assert.ok(['dropped', 'rejected', 'noFlowMatch', 'noRoute'].includes(r.verdict), `expected a drop, got ${r.verdict}${explain}`);
            if (probe.decidedBy) {
              const span = r.decidedBy?.span;
              assert.ok(span, `no deciding rule${explain}`);
              assert.equal(ruleIdentity(root, span.file, span.line), ruleIdentity(root, probe.decidedBy.file, probe.decidedBy.line), explain);
            }
          }
          checked++;
        });
      }
    });
  }
});
