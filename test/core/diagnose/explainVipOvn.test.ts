import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { explainVip } from '../../../src/core/diagnose/explainVip';
import { formatVipReport } from '../../../src/core/diagnose/formatVipReport';
import type { Finding } from '../../../src/core/diagnose/VipReport';
import { parseIp } from '../../../src/core/net/IpAddress';
import { ruleIdentity } from '../../support/ruleIdentity';
import { sampleHost } from './sampleHost';

const samples = path.resolve(__dirname, '../../../samples');
const VIP = parseIp('10.30.0.100')!;
const A_UUID = 'e3a1c5d7-2f4b-4a6c-8e9d-1b3f5a7c9e20';

interface Observed { readonly id: string; readonly decidedBy?: { readonly file: string; readonly line: number } }

function observedDrop(sample: string, id: string): string {
  const o = (JSON.parse(fs.readFileSync(path.join(samples, sample, 'observed.json'), 'utf8')) as Observed[]).find((p) => p.id === id);
  assert.ok(o?.decidedBy, `${sample}/${id} was dropped by a flow`);
  return ruleIdentity(path.join(samples, sample), o.decidedBy.file, o.decidedBy.line);
}

const one = (fs_: readonly Finding[], kind: Finding['kind']): Finding => {
  const f = fs_.find((x) => x.kind === kind && !x.conditional);
  assert.ok(f, kind);
  return f;
};

/**
 * explain-vip on the ML2/OVN compute node recorded with a real OVN (test/oracle/scenarios/008-ovn.sh):
 * the VIP's announcements and VIP-sourced traffic die in the ingress port-security stage, traffic to
 * the VIP in the egress one, both named by the flow OVS really counted and fixed with an allowed
 * address pair on the port's full id (the tap's iface-id).
 */
describe('explainVip on ML2/OVN (OVN port security)', () => {
  it('names the port-security drops with the recorded deciding flows and the allowed-address-pair fix', async () => {
    const r = explainVip({ hosts: [await sampleHost('008-ovn')], vip: VIP, ports: ['e3a1c5d7-2f'] });
    assert.ok(r.ok, r.ok ? '' : r.message);
    const report = r.report;
    assert.deepEqual(report.ports.map((p) => [p.id, p.fixedIp, p.mac, p.firewall, p.vipAllowed]), [['e3a1c5d7-2f', '10.30.0.11', 'fa:16:3e:3c:a1:01', 'ovn', false]]);
    const root = path.join(samples, '008-ovn');
    for (const [kind, probe] of [['garp', 'vip-garp'], ['vipEgress', 'vip-icmp'], ['toVip', 'to-vip-icmp']] as const) {
      const f = one(report.findings, kind);
      assert.equal(f.outcome, 'blocked', `${kind}: ${f.summary}`);
      assert.equal(f.cause?.id, 'ovn-port-security', `${kind}: ${f.summary}`);
      assert.ok(f.decidedBy?.file && f.decidedBy.line, kind);
      // The same flow OVS's counters named (recorded in the OpenFlow 1.0 dump; the report cites the 1.5 one).
      assert.equal(ruleIdentity(root, f.decidedBy.file, f.decidedBy.line), observedDrop('008-ovn', probe), kind);
      assert.deepEqual(f.fix, [`openstack port set --allowed-address ip-address=10.30.0.100 ${A_UUID}`], kind);
    }
    assert.match(one(report.findings, 'garp').cause!.explanation, /ingress port-security stage.*table 74 line \d+: `priority=80,arp,reg14=0x2,metadata=0x1/s);
    assert.match(one(report.findings, 'toVip').cause!.explanation, /way out of the switch.*table 75 line \d+/s);
    for (const k of ['arpReply', 'vipReply'] as const) assert.equal(one(report.findings, k).cause?.id, 'ovn-port-security', k);
    // VRRP between the two members passes (the default group's remote-group rule), as the real probes did.
    assert.ok(report.findings.filter((f) => f.kind === 'vrrp').every((f) => f.outcome === 'ok'));
    assert.match(report.headline, /OVN port security.*Fix: openstack port set --allowed-address ip-address=10\.30\.0\.100 e3a1c5d7-2f4b-4a6c-8e9d-1b3f5a7c9e20/);
    assert.match(formatVipReport(report), /ovs-ofctl_-O_OpenFlow15_dump-flows_br-int:\d+/);
  });

  it('finds the VIP holders by their network without --port, and after the fix finds no drop', async () => {
    const before = explainVip({ hosts: [await sampleHost('008-ovn')], vip: VIP });
    assert.ok(before.ok);
    assert.deepEqual(before.report.ports.map((p) => p.id), ['7b9d1f3e-5a', 'e3a1c5d7-2f']);
    const after = explainVip({ hosts: [await sampleHost('008-ovn-allowed-pair')], vip: VIP });
    assert.ok(after.ok, after.ok ? '' : after.message);
    assert.deepEqual(after.report.ports.map((p) => [p.id, p.vipAllowed, p.allowedPairs]), [['7b9d1f3e-5a', true, ['10.30.0.100']], ['e3a1c5d7-2f', true, ['10.30.0.100']]]);
    const blocked = after.report.findings.filter((f) => f.outcome !== 'ok' && !f.conditional);
    assert.deepEqual(blocked.map((f) => `${f.kind}: ${f.summary}`), []);
  });
});
