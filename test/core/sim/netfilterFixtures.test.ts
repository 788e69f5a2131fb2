import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildSimHost } from '../../../src/core/sim/walk/buildSimHost';
import { loadSnapshot } from '../../../src/host/loadSnapshot';
import { compareNetfilterObservation, type NetfilterObservation } from '../../support/netfilterObservation';

/**
 * Frames the netfilter differential test (iptablesDifferential.test.ts) found the simulator
 * wrong about, recorded from the real kernel (test/support/recordNetfilterFixtures.ts) so they run
 * anywhere: a 2-port Neutron hybrid-firewall host in namespaces, and per frame the iptables
 * counters that moved and the guests that received it. The simulator must match both.
 */
interface FixtureProbe {
  name: string;
  why: string;
  from: string;
  flow: string;
  observed: NetfilterObservation;
}

const root = path.resolve(__dirname, 'fixtures/netfilter/hybrid-2-ports');
const probes: FixtureProbe[] = fs.existsSync(path.join(root, 'probes.json')) ? JSON.parse(fs.readFileSync(path.join(root, 'probes.json'), 'utf8')) as FixtureProbe[] : [];

describe('simulator vs recorded netfilter counters (fixtures from the iptables differential test)', () => {
  let host: ReturnType<typeof buildSimHost>;
  before(async () => {
    host = buildSimHost((await loadSnapshot(root)).snapshot);
  });
  for (const p of probes) {
    it(`${p.name}: ${p.why}`, () => {
      const c = compareNetfilterObservation(host, p.from, p.flow, p.observed);
      assert.deepEqual(c.problems, [], c.report);
    });
  }
});
