import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { sniffIprouteFormat, type IprouteFormat } from '../../../src/core/iproute/sniffIprouteFormat';
import { FIXTURES, fixture } from './helpers';

/** The format each fixture file name promises (the command that produced it). */
function expectedFormat(name: string): IprouteFormat | undefined {
  const rules: [RegExp, IprouteFormat][] = [
    [/_-j_|^bridge_-j/, 'ip-json'],
    [/brctl/, 'brctl-show'],
    [/route_-n/, 'route-n'],
    [/sysctl/, 'sysctl'],
    [/bridge_.*vlan/, 'bridge-vlan'],
    [/bridge_.*fdb/, 'bridge-fdb'],
    [/bridge_.*link/, 'bridge-link'],
    [/(^|_)rule/, 'ip-rule'],
    [/(^|_)route/, 'ip-route'],
    [/netns(_list|_74|\.txt)/, 'ip-netns'],
    [/neigh/, 'ip-neigh'],
    [/addr|address|ip_a_/, 'ip-addr'],
    [/link/, 'ip-link'],
  ];
  return rules.find(([re]) => re.test(name))?.[1];
}

describe('sniffIprouteFormat', () => {
  it('recognises every iproute2-family fixture (corpus copies, live capture, seed extracts)', () => {
    const files = [
      ...['iproute/hotsos', 'iproute/neutron-docs', 'iproute/live'].flatMap((d) => readdirSync(path.join(FIXTURES, d)).map((f) => `${d}/${f}`)),
      ...readdirSync(path.join(FIXTURES, 'seeds')).filter((f) => /^00[14]-/.test(f)).map((f) => `seeds/${f}`),
    ];
    assert.ok(files.length >= 70, `${files.length} fixtures`);
    for (const rel of files) {
      const name = path.basename(rel);
      assert.equal(sniffIprouteFormat(fixture(rel), name), expectedFormat(name), rel);
    }
  });

  it('uses the file name only where the content cannot tell (links without addresses)', () => {
    const links = fixture('iproute/live/ip_-o_link.txt');
    assert.equal(sniffIprouteFormat(links, 'ip_-o_link'), 'ip-link');
    assert.equal(sniffIprouteFormat(links, 'ip_-o_addr'), 'ip-addr');
    assert.equal(sniffIprouteFormat(links, 'netns/qrouter-1/ip_address_show'), 'ip-addr');
    // Content wins over a misleading name.
    assert.equal(sniffIprouteFormat(fixture('iproute/live/ip_addr.txt'), 'ip_link'), 'ip-addr');
    assert.equal(sniffIprouteFormat(fixture('iproute/live/ip_-6_route_show_table_all.txt'), 'ip_-6_route_show_table_all'), 'ip-route');
  });

  it('says nothing for other dumps and for empty text', () => {
    for (const t of ['', '\n\n', '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j ACCEPT\nCOMMIT\n', ' cookie=0x0, duration=1.2s, table=0, n_packets=0, priority=0 actions=NORMAL\n',
      'Bridge chain: INPUT, entries: 0, policy: ACCEPT\n', 'hello world\nthis is prose.\n']) {
      assert.equal(sniffIprouteFormat(t, 'x'), undefined, JSON.stringify(t));
    }
    assert.equal(sniffIprouteFormat(fixture('seeds/000-ebtables-t-nat-L.txt'), '000-ebtables-t-nat-L.txt'), undefined);
  });

  it('looks only at the head: a 50 MB dump is sniffed in a few milliseconds', () => {
    const line = 'fe80::/64 dev tap0e778df8-ca proto kernel metric 256 pref medium\n';
    // Built through a Buffer so the string is flat, as text read from a file is.
    const big = Buffer.alloc(50 * 1024 * 1024, line).toString('utf8');
    const t0 = process.hrtime.bigint();
    assert.equal(sniffIprouteFormat(big, 'x'), 'ip-route');
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    console.log(`      sniffed ${(big.length / 1048576).toFixed(0)} MB in ${ms.toFixed(2)} ms`);
    assert.ok(ms < 50, `${ms} ms`);
  });
});
