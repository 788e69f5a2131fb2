#!/usr/bin/env node
// Compares every parser's full output between a git ref and the working tree: a speed change must
// not change what is read. Each input (every file under test/, samples/, ../shared/corpus/public
// and any EXTRA dir, plus seeded mutants of each: a line deleted, a byte changed, a truncation, a
// separator inserted) goes through parseDump of both trees; the results are serialised deeply,
// getters of lazy records included, and must be identical.
//
//   node scripts/compareParsers.mjs [REF=HEAD] [--mutants 2] [--only REGEX] [--extra DIR]...
// Exit 0 with no differences, 1 otherwise (the first differences are printed).
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: { mutants: { type: 'string', default: '2' }, only: { type: 'string' }, extra: { type: 'string', multiple: true, default: [] } },
});
const ref = positionals[0] ?? 'HEAD';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'osnet-compare-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

async function bundle(root, out) {
  fs.writeFileSync(path.join(root, 'compare-entry.ts'), "export { parseDump } from './src/core/snapshot/parseDump';\n");
  try {
    await build({ entryPoints: [path.join(root, 'compare-entry.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: out, logLevel: 'error', nodePaths: [path.join(PROJECT, 'node_modules')] });
  } finally {
    if (root === PROJECT) fs.rmSync(path.join(root, 'compare-entry.ts'), { force: true });
  }
}
const baseRoot = path.join(tmp, 'base');
fs.mkdirSync(baseRoot);
execFileSync('sh', ['-c', `git -C "$1" archive "$2" src | tar -x -C "$3"`, 'sh', PROJECT, ref, baseRoot]);
await bundle(baseRoot, path.join(tmp, 'base.js'));
await bundle(PROJECT, path.join(tmp, 'cur.js'));
const require = createRequire(import.meta.url);
const base = require(path.join(tmp, 'base.js'));
const cur = require(path.join(tmp, 'cur.js'));

const roots = [path.join(PROJECT, 'test'), path.join(PROJECT, 'samples'), path.resolve(PROJECT, '../shared/corpus/public'), ...opt.extra];
const only = opt.only ? new RegExp(opt.only) : undefined;
const files = [];
const walk = (d) => {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) { if (e.name !== 'node_modules') walk(p); }
    else if (e.isFile() && !/\.(ts|js|mjs|sh|py|png|md)$/.test(e.name) && fs.statSync(p).size < 20e6 && (!only || only.test(p))) files.push(p);
  }
};
for (const r of roots) if (fs.existsSync(r)) walk(r);

/** Own properties and prototype getters, sorted; bigints, Maps, Sets and undefined made visible. */
function serialise(v) {
  const stack = new Set();
  const out = (x) => {
    if (x === undefined) return { $undefined: 1 };
    if (typeof x === 'bigint') return { $bigint: x.toString() };
    if (typeof x === 'function') return '$function';
    if (x === null || typeof x !== 'object') return x;
    if (stack.has(x)) return '$cycle';
    stack.add(x);
    let r;
    if (Array.isArray(x)) r = x.map(out);
    else if (x instanceof Map) r = { $map: [...x].map(([k, val]) => [out(k), out(val)]) };
    else if (x instanceof Set) r = { $set: [...x].map(out) };
    else {
      const keys = new Set(Object.keys(x));
      for (let p = Object.getPrototypeOf(x); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
        for (const [k, d] of Object.entries(Object.getOwnPropertyDescriptors(p))) if (d.get) keys.add(k);
      }
      r = {};
      for (const k of [...keys].sort()) if (x[k] !== undefined) r[k] = out(x[k]);
    }
    stack.delete(x);
    return r;
  };
  return JSON.stringify(out(v));
}

let seed = 12345;
const rand = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
function mutate(t, k) {
  const lines = t.split('\n');
  switch (k % 4) {
    case 0: lines.splice(rand(lines.length), 1); return lines.join('\n');
    case 1: { const i = rand(t.length); return t.slice(0, i) + String.fromCharCode(32 + rand(95)) + t.slice(i + 1); }
    case 2: return t.slice(0, rand(t.length));
    default: {
      const i = rand(lines.length);
      const l = lines[i] ?? '';
      const j = rand(l.length + 1);
      lines[i] = l.slice(0, j) + [',', ' ', '(', '"', '=', '-', '0x', ':', '/'][rand(9)] + l.slice(j);
      return lines.join('\n');
    }
  }
}

const mutants = Math.max(0, Number(opt.mutants));
let inputs = 0;
let differences = 0;
for (const f of files) {
  const text = fs.readFileSync(f, 'utf8');
  const variants = [text];
  for (let k = 0; k < mutants; k++) variants.push(mutate(text, k));
  for (const [i, t] of variants.entries()) {
    inputs++;
    const run = (p) => { try { return serialise(p.parseDump(t, f)); } catch (err) { return `threw ${err}`; } };
    const a = run(base);
    const b = run(cur);
    if (a === b) continue;
    differences++;
    let at = 0;
    while (at < a.length && a[at] === b[at]) at++;
    console.log(`difference: ${path.relative(PROJECT, f)} (${i === 0 ? 'as is' : `mutant ${i}`}) at character ${at}\n  ${ref}: ${a.slice(Math.max(0, at - 150), at + 150)}\n  tree: ${b.slice(Math.max(0, at - 150), at + 150)}`);
    if (differences >= 10) break;
  }
  if (differences >= 10) break;
}
console.log(`compareParsers: ${inputs} inputs (${files.length} files, ${mutants} mutants each), ${differences}${differences >= 10 ? '+' : ''} differences between ${ref} and the working tree`);
process.exitCode = differences === 0 ? 0 : 1;
