#!/usr/bin/env node
// The `osnet` command: a thin launcher for the bundled CLI (run `npm run build` first).
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const bundle = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(bundle)) {
  process.stderr.write('osnet: dist/cli.js is missing; run `npm run build` first.\n');
  process.exit(2);
}
require(bundle).main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`osnet: internal error: ${err && err.stack ? err.stack : err}\n`); process.exitCode = 70; },
);
