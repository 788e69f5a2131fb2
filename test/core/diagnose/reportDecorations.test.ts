import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { explainVip, type VipHost } from '../../../src/core/diagnose/explainVip';
import { reportDecorations } from '../../../src/core/diagnose/reportDecorations';
import type { Finding, VipReport } from '../../../src/core/diagnose/VipReport';
import { parseIp } from '../../../src/core/net/IpAddress';
import { buildSimHost } from '../../../src/core/sim/walk/buildSimHost';
import { loadSnapshot } from '../../../src/host/loadSnapshot';

const samples = path.resolve(__dirname, '../../../samples');

async function report(name: string, vip: string, ports: string[], client?: string): Promise<VipReport> {
  const { snapshot } = await loadSnapshot(path.join(samples, name));
  const host: VipHost = { label: name, snapshot, sim: buildSimHost(snapshot) };
  const r = explainVip({ hosts: [host], vip: parseIp(vip)!, ports, ...(client ? { client: parseIp(client)! } : {}) });
  assert.ok(r.ok, r.ok ? '' : r.message);
  return r.report;
}

/** The line of the sample's dump a decoration points at. */
function lineOf(name: string, file: string, line: number): string {
  return fs.readFileSync(path.join(samples, name, file), 'utf8').split('\n')[line - 1] ?? '';
}

/**
 * Issue 7: "in the dump editor, the deciding rules get a decoration and an inline note (e.g.
 * drops 10.1.26.252 from port 38833ad6-c6: not an allowed address pair)". Which file and line get
 * which note is computed here, from real reports on the recorded seed situations.
 */
describe('reportDecorations', () => {
  it('002 Neutron: one note on the spoof chain DROP and one on br-int table 24, each at the real line', async () => {
    const r = await report('002-neutron-spoof', '192.168.1.100', ['6d1e3a2b-7c']);
    const d = reportDecorations(r);
    assert.deepEqual(d.map((x) => `${x.file}:${x.line}`), ['iptables-save_-c:84', 'ovs-ofctl_-O_OpenFlow13_dump-flows_br-int:14']);
    const [spoof, table24] = d as [typeof d[0], typeof d[0]];
    assert.equal(spoof.note, 'drops 192.168.1.100 from port 6d1e3a2b-7c (also LVS-DR forwards): not an allowed address pair');
    assert.match(lineOf('002-neutron-spoof', spoof.file, spoof.line), /-A neutron-openvswi-s6d1e3a2b-7 .* -j DROP/);
    assert.deepEqual([...spoof.kinds].sort(), ['lvsForward', 'vipEgress', 'vipReply']);
    assert.equal(table24.note, 'drops GARP and ARP replies for 192.168.1.100 from port 6d1e3a2b-7c: ARP spoofing protection, not an allowed address pair');
    assert.match(lineOf('002-neutron-spoof', table24.file, table24.line), /table=24, .*priority=0 actions=drop/);
    // The hover tells the whole story once per cause, with the fix to paste.
    assert.match(spoof.hover, /Neutron iptables anti-spoofing/);
    assert.match(spoof.hover, /openstack port set --allowed-address ip-address=192\.168\.1\.100,mac-address=fa:16:3e:7d:2a:11/);
    assert.equal(spoof.hover.split('*Neutron iptables anti-spoofing').length - 1, 1, 'one explanation for the two packets of the same cause');
    assert.ok(d.every((x) => x.host === '002-neutron-spoof' && x.outcome === 'blocked'));
  });

  it('003 LVS-DR: the forward and the VRRP drop get their own notes; packets that pass get none', async () => {
    const r = await report('003-lvs-dr-hybrid', '10.1.26.252', ['38833ad6-c6'], '10.0.19.92');
    const d = reportDecorations(r);
    assert.deepEqual(d.map((x) => [x.line, x.note]), [
      [85, "drops client traffic for 10.1.26.252 forwarded by port 38833ad6-c6: the client's address is not an allowed address pair"],
      [94, 'drops VRRP from port 38833ad6-c6: no security group rule allows VRRP (IP protocol 112)'],
    ]);
    assert.match(lineOf('003-lvs-dr-hybrid', 'iptables-save_-c', 85), /neutron-openvswi-s38833ad6-c .*-j DROP/);
    assert.match(lineOf('003-lvs-dr-hybrid', 'iptables-save_-c', 94), /neutron-openvswi-sg-fallback .*-j DROP/);
  });

  it('000 nova-network: the notes sit on the libvirt nwfilter ebtables rules', async () => {
    const r = await report('000-nova-nwfilter', '10.16.0.200', ['vnet0']);
    const d = reportDecorations(r);
    assert.deepEqual(d.map((x) => `${x.file}:${x.line}`), ['ebtables-save:27', 'ebtables-save:33']);
    assert.match(d[0]!.note, /^drops GARP and ARP replies for 10\.16\.0\.200 from port vnet0: libvirt nwfilter anti-spoofing/);
    assert.match(lineOf('000-nova-nwfilter', 'ebtables-save', 27), /I-vnet0-arp-ip/);
  });

  it('a report where nothing is dropped has no decorations (003 with the ACCEPT-all workaround)', async () => {
    const r = await report('003-lvs-dr-hybrid-local-accept', '10.1.26.252', ['38833ad6-c6'], '10.0.19.92');
    assert.ok(r.findings.length > 0 && r.findings.every((f) => f.outcome === 'ok'));
    assert.deepEqual(reportDecorations(r), []);
  });

  const finding = (over: Partial<Finding>): Finding => ({
    kind: 'vipEgress', title: 't', port: 'p1', host: 'h', packet: '', ingress: 'tapp1', outcome: 'blocked', verdict: 'dropped', summary: 's',
    assumptions: [], steps: [], decidedBy: { layer: 'iptables', file: 'f', line: 3 }, ...over,
  });
  const base: VipReport = { vip: '10.0.0.9', hosts: ['h'], ports: [], findings: [], warnings: [], unknowns: [], headline: '' };

  it('rejects, undecided walks, several ports on one rule, and findings without a line', () => {
    const d = reportDecorations({ ...base, findings: [
      finding({ verdict: 'rejected', decidedBy: { layer: 'iptables', file: 'a', line: 1 } }),
      finding({ outcome: 'unknown', verdict: 'indeterminate', summary: 'could not be decided at iptables filter chain `x` line 7: unsupported match -m foo', decidedBy: { layer: 'iptables', file: 'b', line: 7 } }),
      finding({ kind: 'toVip', port: 'p1', decidedBy: { layer: 'iptables', file: 'c', line: 2 }, cause: { id: 'sg-missing-ingress', title: 'SG', explanation: 'e' } }),
      finding({ kind: 'toVip', port: 'p2', decidedBy: { layer: 'iptables', file: 'c', line: 2 } }),
      finding({ decidedBy: { layer: 'routing' } }),
      finding({ outcome: 'ok', verdict: 'accepted', decidedBy: { layer: 'iptables', file: 'z', line: 1 } }),
    ] });
    assert.deepEqual(d.map((x) => [x.file, x.line, x.outcome, x.note]), [
      ['a', 1, 'blocked', 'rejects 10.0.0.9 from port p1: no known cause; see the report'],
      ['b', 7, 'unknown', 'cannot decide 10.0.0.9 from port p1: unsupported match -m foo'],
      ['c', 2, 'blocked', 'drops traffic to 10.0.0.9 on port p1 (also port p2): no security group rule lets it in'],
    ]);
  });

  it('an IPv6 VIP: neighbour advertisements, not ARP', () => {
    const d = reportDecorations({ ...base, vip: 'fd00::10', findings: [
      finding({ kind: 'garp', decidedBy: { layer: 'ovs', file: 'flows', line: 9 }, cause: { id: 'ovs-arp-spoof', title: 't', explanation: 'e' } }),
      finding({ kind: 'arpReply', decidedBy: { layer: 'ovs', file: 'flows', line: 9 } }),
      finding({ kind: 'arpReply', decidedBy: { layer: 'ovs', file: 'flows', line: 12 } }),
    ] });
    assert.deepEqual(d.map((x) => x.note), [
      'drops neighbour advertisements for fd00::10 from port p1: ND spoofing protection, not an allowed address pair',
      'drops neighbour advertisements for fd00::10 from port p1: no known cause; see the report',
    ]);
    assert.match(d[0]!.hover, /this flow decides 2 packets/);
  });

  it('keeps notes short and groups by host as well as by file and line', () => {
    const long = finding({ cause: { id: 'made-up', title: 'x'.repeat(300), explanation: '' } });
    const d = reportDecorations({ ...base, findings: [long, { ...long, host: 'g' }] });
    assert.deepEqual(d.map((x) => x.host), ['g', 'h']);
    assert.ok(d.every((x) => x.note.length <= 160 && x.note.endsWith('…')));
  });
});
