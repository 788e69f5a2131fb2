import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main';

const root = path.resolve(__dirname, '../..');
const sample = (name: string): string => path.join(root, 'samples', name);

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => { out += t; }, err: (t) => { err += t; } });
  return { code, out, err };
}

describe('osnet CLI', () => {
  it('parse: summary line and exit 0 on a clean dump; --json one object per file', async () => {
    const r = await run(['parse', path.join(sample('002-neutron-spoof'), 'iptables-save_-c')]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /iptables-save \(\d+ tables, \d+ chains, \d+ rules\)/);
    const j = await run(['parse', '--json', sample('002-neutron-spoof')]);
    const lines = j.out.trim().split('\n').map((l) => JSON.parse(l) as { file: string; format: string | null; diagnostics: unknown[] });
    assert.ok(lines.some((l) => l.format === 'ovs-dump-flows'));
    assert.ok(lines.every((l) => Array.isArray(l.diagnostics)));
  });

  it('parse: bad input gives file:line:col diagnostics and exit 1, and the rest is still read', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'osnet-cli-'));
    const bad = path.join(dir, 'iptables-save');
    fs.writeFileSync(bad, '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s 10.0.0.999/32 -j DROP\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n');
    const r = await run(['parse', bad]);
    assert.equal(r.code, 1);
    assert.match(r.out, new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:\\d+: error: `));
    assert.match(r.out, /1 rules|2 rules/);
    fs.rmSync(dir, { recursive: true });
  });

  it('usage errors exit 2', async () => {
    assert.equal((await run(['parse'])).code, 2);
    assert.equal((await run(['parse', '--format', 'nope', 'x'])).code, 2);
    assert.equal((await run(['explain-vip', sample('002-neutron-spoof')])).code, 2);
    assert.equal((await run(['explain-vip', sample('002-neutron-spoof'), '--vip', 'not-an-ip'])).code, 2);
    assert.equal((await run(['trace', sample('002-neutron-spoof'), 'icmp'])).code, 2);
    assert.equal((await run(['frobnicate'])).code, 2);
  });

  it('trace: reads like ofproto/trace and ends with the verdict; --json has verdict and decidedBy', async () => {
    const pkt = 'icmp,dl_src=fa:16:3e:7d:2a:11,dl_dst=fa:16:3e:4b:9c:22,nw_src=192.168.1.100,nw_dst=192.168.1.17,icmp_type=8';
    const r = await run(['trace', sample('002-neutron-spoof'), '--in', 'tap6d1e3a2b-7c', pkt]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Verdict: DROPPED by iptables filter neutron-openvswi-s6d1e3a2b-7/);
    const j = await run(['trace', sample('002-neutron-spoof'), '--in', 'tap6d1e3a2b-7c', pkt, '--json']);
    const parsed = JSON.parse(j.out) as { verdict: string; decidedBy: { layer: string; file: string; line: number } };
    assert.equal(parsed.verdict, 'dropped');
    assert.equal(parsed.decidedBy.layer, 'iptables');
    assert.equal(parsed.decidedBy.file, 'iptables-save_-c');
  });

  it('explain-vip: report text, --json model, exit 1 when the VIP is not on the host', async () => {
    const r = await run(['explain-vip', sample('002-neutron-spoof'), '--vip', '192.168.1.100', '--port', '6d1e3a2b-7c']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Fix: openstack port set --allowed-address ip-address=192\.168\.1\.100/);
    const j = await run(['explain-vip', sample('002-neutron-spoof'), '--vip', '192.168.1.100', '--json']);
    assert.ok((JSON.parse(j.out) as { findings: unknown[] }).findings.length > 0);
    const missing = await run(['explain-vip', sample('002-neutron-spoof'), '--vip', '172.31.9.9']);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /looked at: /);
  });
});
