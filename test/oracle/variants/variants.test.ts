// The oracle scenarios 000, 002, 003 and 004 rebuilt as a variant drawn from a seeded PRNG: other
// port/router/network ids (so other tap/qbr/qvb/qvo/qr-/fg-/rfp- devices and neutron-openvswi-*
// chains), MACs, subnets of any usual size, VIP, floating IP, instance numbers, vnet devices,
// ofports, VLANs, rule priorities, plug order, plus noise VMs (see drawVariant.ts). Each is built
// with real namespaces, netfilter and OVS, and explain-vip must still name the seed's cause, the
// rule or flow whose real counter moved, fixes carrying the variant's own port, VIP and MAC, and
// no noise port as a candidate. One variant per scenario per run; the seed is printed, and
// OSNET_VARIANT_SEED=<seed> replays it. Needs root and the oracle's tools; otherwise it says why
// and skips (OSNET_SKIP_ORACLE=1 skips on purpose).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runSeed } from '../../support/seededRandom';
import { whyOracleCannotRun } from '../whyOracleCannotRun';
import { checkVariant, seedReport } from './checkVariant';
import { drawVariant, seedVariant, VARIANT_SCENARIOS } from './drawVariant';
import { runVariant, variantCommand } from './runVariant';

const SAMPLES = path.resolve(__dirname, '../../../samples');
const PREFIX = `osvr${process.pid}`;

describe('oracle variants: the seed situations with other names, addresses and noise ports', function () {
  this.timeout(240_000);
  const reason = whyOracleCannotRun();
  const seed = runSeed('OSNET_VARIANT_SEED');
  let root = '';

  before(function () {
    if (reason) {
      console.log(`    oracle variants skipped: ${reason}`);
      return;
    }
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'osnet-variants-test-'));
    console.log(`    variant seed ${seed} (replay: OSNET_VARIANT_SEED=${seed} npx mocha test/oracle/variants/variants.test.ts)`);
  });

  after(function () {
    if (root) fs.rmSync(root, { recursive: true, force: true });
    if (!reason) {
      const left = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout.split('\n').filter((l) => l.startsWith(`${PREFIX}-`));
      assert.deepEqual(left, [], 'every variant removed its namespaces');
    }
  });

  for (const id of VARIANT_SCENARIOS) {
    it(`${id}: same cause, the rule the real counters name, the variant's own names in the fix`, async function () {
      if (reason) this.skip();
      // Few noise VMs keep the run short (each is a namespace, a plug and chains or flows).
      const v = drawVariant(id, seed, { noise: 1 + (seed % 2) });
      console.log(`      ${v.summary}`);
      const dir = path.join(root, id);
      const run = runVariant(v, dir, PREFIX);
      if (!run.ok && run.skip) {
        console.log(`      ${id} skipped: ${run.message}`);
        this.skip();
      }
      assert.ok(run.ok, run.ok ? '' : `${run.message}\nrebuild: ${variantCommand(v, path.join(dir, id))}`);
      try {
        const r = await checkVariant(v, dir, await seedReport(seedVariant(id), SAMPLES), true);
        console.log(`      built in ${(run.ms / 1000).toFixed(1)} s; ${r.probes} recorded probes agree with the simulator; ${r.cli ?? ''}`);
      } catch (err) {
        if (err instanceof Error) err.message += `\nreplay: OSNET_VARIANT_SEED=${seed} npx mocha test/oracle/variants/variants.test.ts\nrebuild: ${variantCommand(v, path.join(dir, id))}`;
        throw err;
      }
    });
  }
});
