import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runSeed } from '../../support/seededRandom';
import { checkVariant, seedReport } from './checkVariant';
import { drawVariant, seedVariant, VARIANT_SCENARIOS } from './drawVariant';
import { runVariant, variantCommand } from './runVariant';
import type { VariantScenario } from './Variant';

/**
 * Draws, builds (real namespaces, netfilter, OVS) and checks variants by hand, to look for
 * diagnoses that depend on one fixture:
 *
 *   npx tsx test/oracle/variants/exploreVariants.ts [SCENARIO...] [--count N] [--noise N] [--keep]
 *   OSNET_VARIANT_SEED=1234 npx tsx test/oracle/variants/exploreVariants.ts 002-neutron-spoof
 *
 * Variant seeds are SEED, SEED+1, ... per scenario; each is printed with the shell command that
 * rebuilds it. --keep leaves the snapshots in the temporary folder.
 */
export async function exploreVariants(argv: readonly string[]): Promise<number> {
  const opt = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const count = Number(opt('--count') ?? 1);
  const noise = opt('--noise');
  const keep = argv.includes('--keep');
  const skipValues = new Set([opt('--count'), opt('--noise')]);
  const chosen = argv.filter((a) => !a.startsWith('--') && !skipValues.has(a)) as VariantScenario[];
  const scenarios = chosen.length ? chosen : VARIANT_SCENARIOS;
  const base = runSeed('OSNET_VARIANT_SEED');
  const samples = path.resolve(__dirname, '../../../samples');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'osnet-variants-'));
  console.log(`variants: base seed ${base} (OSNET_VARIANT_SEED=${base} reproduces), snapshots in ${tmp}`);
  let failed = 0;
  for (const id of scenarios) {
    const seed = await seedReport(seedVariant(id), samples);
    for (let k = 0; k < count; k++) {
      const v = drawVariant(id, (base + k) >>> 0, noise !== undefined ? { noise: Number(noise) } : {});
      const root = path.join(tmp, `${id}-${v.seed ?? 0}`);
      console.log(`\n${id} seed ${v.seed ?? '-'}: ${v.summary}`);
      const run = runVariant(v, root, `osvx${process.pid}`);
      if (!run.ok) {
        console.log(run.skip ? `  skipped: ${run.message}` : `  FAILED to build: ${run.message}\n  ${variantCommand(v, path.join(root, id))}`);
        if (!run.skip) failed++;
        continue;
      }
      try {
        const r = await checkVariant(v, root, seed, k === 0);
        console.log(`  ok in ${run.ms} ms: ${r.probes} probes agree; ${r.cli ?? ''}\n  ${r.headline}`);
      } catch (err) {
        failed++;
        console.log(`  FAILED: ${err instanceof Error ? err.message : String(err)}\n  rebuild: ${variantCommand(v, path.join(root, id))}`);
      }
    }
  }
  if (!keep) fs.rmSync(tmp, { recursive: true, force: true });
  console.log(`\nvariants: ${failed} failed`);
  return failed ? 1 : 0;
}

if (require.main === module) {
  exploreVariants(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err: unknown) => { console.error(err); process.exitCode = 70; });
}
