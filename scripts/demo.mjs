// `npm run demo`: the main job on the bundled samples — explain-vip (and one trace) per seed
// situation, printed as an operator would see it. Run after `npm run build`.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { main } = require('../dist/cli.js');
const { runs } = JSON.parse(readFileSync(new URL('../samples/demo.json', import.meta.url), 'utf8'));
let worst = 0;
for (const run of runs) {
  process.stdout.write(`\n${'='.repeat(100)}\n${run.title}\n$ osnet ${run.args.map((a) => (/[\s,|]/.test(a) ? `'${a}'` : a)).join(' ')}\n${'='.repeat(100)}\n`);
  const code = await main(run.args);
  worst = Math.max(worst, code);
}
process.exitCode = worst;
