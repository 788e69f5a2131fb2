import { strict as assert } from 'node:assert';
import { buildSync } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { IPROUTE_PARSERS } from '../../../src/core/iproute/iprouteParsers';
import { iterateLines } from '../../../src/core/text/lines';
import { fixture } from './helpers';

type Parsers = typeof IPROUTE_PARSERS;

/**
 * The parsers as they ship: one esbuild bundle (scripts/build.mjs settings), not tsx's per-module
 * transform, which wraps every arrow function in a `__name()` call and would measure the test
 * harness instead of the parser.
 */
async function shippedParsers(dir: string): Promise<Parsers> {
  const outfile = path.join(dir, 'iproute.cjs');
  buildSync({
    entryPoints: [path.resolve(__dirname, '../../../src/core/iproute/iprouteParsers.ts')],
    bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile, logLevel: 'warning',
  });
  const mod = (await import(pathToFileURL(outfile).href)) as { IPROUTE_PARSERS?: Parsers; default?: { IPROUTE_PARSERS: Parsers } };
  return mod.IPROUTE_PARSERS ?? mod.default!.IPROUTE_PARSERS;
}

/** A flat string (as read from a file), not a rope built by `+=` / `repeat`. */
const flat = (parts: string[]): string => Buffer.from(parts.join(''), 'utf8').toString('utf8');

function time<T>(f: () => T): { ms: number; value: T } {
  const t0 = process.hrtime.bigint();
  const value = f();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, value };
}

/** Prints the parse time and its ratio to a bare line walk of the same text (the baseline). */
function report(what: string, text: string, ms: number): void {
  const base = time(() => { let n = 0; for (const l of iterateLines(text)) n += l.text.length; return n; }).ms;
  console.log(`      ${what}: ${(text.length / 1048576).toFixed(1)} MB in ${ms.toFixed(0)} ms (${(ms / Math.max(base, 0.01)).toFixed(1)}x a bare line walk)`);
}

describe('iproute2 parser speed (shipped bundle, first run, no warm-up)', () => {
  let P: Parsers;
  let dir = '';
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'osnet-iproute-bench-'));
    P = await shippedParsers(dir);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('parses 42,000 routes of several tables (with multipath) well under a second', () => {
    const parts: string[] = [];
    for (let i = 0; i < 42000; i++) {
      const a = `10.${(i >> 8) & 255}.${i & 255}`;
      if (i % 10 === 0) parts.push(`${a}.0/24 \n\tnexthop via 192.168.0.1 dev eth0 weight 1 \n\tnexthop via 192.168.0.2 dev eth1 weight 1 \n`);
      else parts.push(`${a}.0/24 via 192.168.${i % 3}.1 dev qr-${i.toString(16).padStart(8, '0')}-aa table ${100 + (i % 50)} proto static metric ${i % 7} \n`);
    }
    const text = flat(parts);
    const r = time(() => P['ip-route'](text, { file: 'ip_route_show_table_all' }));
    report('42k routes', text, r.ms);
    assert.equal(r.value.value.length, 42000);
    assert.deepEqual(r.value.diagnostics, []);
    assert.ok(r.ms < 1000, `${r.ms} ms`);
  });

  it('parses 10,000 `ip -d addr` links (the hotsos blocks repeated, ~100k lines) well under a second', () => {
    const block = fixture('iproute/hotsos/ip_-d_address.txt');
    const text = flat(Array<string>(420).fill(block));
    const r = time(() => P['ip-addr'](text, { file: 'ip_-d_address' }));
    report(`${r.value.value.length} links`, text, r.ms);
    assert.equal(r.value.value.length, 24 * 420);
    assert.ok(r.ms < 1000, `${r.ms} ms`);
  });

  it('parses a 10,000-link `ip -j -d link` and 20,000 rules / 40,000 fdb entries well under a second each', () => {
    const one = JSON.parse(fixture('iproute/live/ip_-j_-d_link.txt')) as unknown[];
    const many: unknown[] = [];
    for (let i = 0; i < 10000; i++) many.push(one[i % one.length]);
    const json = flat([JSON.stringify(many)]);
    const j = time(() => P['ip-json'](json, { file: 'ip_-j_-d_link' }));
    report('10k JSON links', json, j.ms);
    assert.equal(j.value.value.kind === 'links' && j.value.value.links.length, 10000);
    assert.ok(j.ms < 1000, `${j.ms} ms`);

    const rules = flat(Array.from({ length: 20000 }, (_, i) => `${1000 + i}:\tfrom 10.${(i >> 8) & 255}.${i & 255}.0/24 fwmark 0x${i.toString(16)}/0xffff iif qr-${i} lookup ${i}\n`));
    const u = time(() => P['ip-rule'](rules, { file: 'ip_rule' }));
    report('20k rules', rules, u.ms);
    assert.equal(u.value.value.length, 20000);
    assert.ok(u.ms < 1000, `${u.ms} ms`);

    const fdb = flat(Array.from({ length: 40000 }, (_, i) => `fa:16:3e:${((i >> 16) & 255).toString(16)}:${((i >> 8) & 255).toString(16)}:${(i & 255).toString(16)} dev tap${i} vlan 1 used 5/5 master qbr${i} \n`));
    const f = time(() => P['bridge-fdb'](fdb, { file: 'fdb' }));
    report('40k fdb entries', fdb, f.ms);
    assert.equal(f.value.value.length, 40000);
    assert.ok(f.ms < 1000, `${f.ms} ms`);
  });

  it('does not throw on 50 MB inputs (garbage lines and one huge JSON line)', () => {
    const line = '    inet 10.0.0.999/24 and then some words that are not iproute2 at all\n';
    const garbage = flat([`1: eth0: <UP> mtu 1500\n${line.repeat(Math.ceil((50 * 1048576) / line.length))}`]);
    const g = time(() => P['ip-addr'](garbage, { file: 'big' }));
    report('50 MB of bad address lines', garbage, g.ms);
    assert.equal(g.value.value.length, 1);
    const json = flat(['[', '{"dst":"10.0.0.0/8","flags":[]},'.repeat(1600000), '{"dst":']);
    const jj = time(() => P['ip-json'](json, { file: 'big.json' }));
    report('50 MB truncated JSON', json, jj.ms);
    assert.equal(jj.value.value.kind === 'routes' && jj.value.value.routes.length, 1600000);
    assert.equal(jj.value.diagnostics.filter((d) => d.severity === 'error').length, 1);
  });
});
