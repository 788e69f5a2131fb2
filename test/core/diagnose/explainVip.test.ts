import { strict as assert } from 'node:assert';
import { explainVip } from '../../../src/core/diagnose/explainVip';
import { buildSimHost } from '../../../src/core/sim/walk/buildSimHost';
import { buildHostSnapshot } from '../../../src/core/snapshot/buildHostSnapshot';
import { ip, sampleHost } from './sampleHost';


/**
 * Each seed situation, recorded from real namespaces/netfilter/OVS by test/oracle: the report must
 * name the root cause the seed's author found, the exact rule line, and the proper fix.
 */
describe('explainVip on the seed situations', () => {
  it('000 nova-network: the libvirt nwfilter ebtables chains drop the VIP, not iptables', async () => {
    const r = explainVip({ hosts: [await sampleHost('000-nova-nwfilter')], vip: ip('10.16.0.200'), ports: ['vnet0'] });
    assert.ok(r.ok);
    const garp = r.report.findings.find((f) => f.kind === 'garp')!;
    assert.equal(garp.outcome, 'blocked');
    assert.equal(garp.cause?.id, 'nova-nwfilter');
    assert.equal(garp.decidedBy?.chain, 'I-vnet0-arp-ip');
    const egress = r.report.findings.find((f) => f.kind === 'vipEgress')!;
    assert.equal(egress.decidedBy?.chain, 'I-vnet0-ipv4-ip');
    assert.ok(egress.fix?.some((l) => l.includes('virsh nwfilter-define')));
    assert.match(r.report.headline, /I-vnet0-arp-ip/);
  });

  it('002 Neutron: table 24 drops the GARP, the spoof chain drops VIP-sourced traffic; fix is an allowed address pair', async () => {
    const r = explainVip({ hosts: [await sampleHost('002-neutron-spoof')], vip: ip('192.168.1.100'), ports: ['6d1e3a2b-7c'] });
    assert.ok(r.ok);
    const garp = r.report.findings.find((f) => f.kind === 'garp')!;
    assert.equal(garp.cause?.id, 'ovs-arp-spoof');
    assert.equal(garp.decidedBy?.bridge, 'br-int');
    assert.equal(garp.decidedBy?.table, '24');
    const egress = r.report.findings.find((f) => f.kind === 'vipEgress')!;
    assert.equal(egress.cause?.id, 'neutron-iptables-spoof');
    assert.equal(egress.decidedBy?.chain, 'neutron-openvswi-s6d1e3a2b-7');
    assert.equal(egress.decidedBy?.file, 'iptables-save_-c');
    assert.match(egress.decidedBy?.raw ?? '', /Drop traffic without an IP\/MAC allow rule/);
    assert.equal(egress.fix?.[0], 'openstack port set --allowed-address ip-address=192.168.1.100,mac-address=fa:16:3e:7d:2a:11 $(openstack port list -f value -c ID | grep ^6d1e3a2b-7c)');
    assert.equal(r.report.findings.find((f) => f.kind === 'toVip')?.outcome, 'ok');
  });

  it('003 LVS-DR: the director forward of client-sourced packets dies in the spoof chain; the fix is 0.0.0.0/0 or port security off', async () => {
    const r = explainVip({ hosts: [await sampleHost('003-lvs-dr-hybrid')], vip: ip('10.1.26.252'), ports: ['38833ad6-c6'], client: ip('10.0.19.92'), servicePort: 10051 });
    assert.ok(r.ok);
    const fwd = r.report.findings.find((f) => f.kind === 'lvsForward')!;
    assert.equal(fwd.outcome, 'blocked');
    assert.equal(fwd.cause?.id, 'lvs-dr-director');
    assert.equal(fwd.decidedBy?.chain, 'neutron-openvswi-s38833ad6-c');
    assert.ok(fwd.fix?.[0]?.includes('ip-address=0.0.0.0/0'));
    assert.ok(fwd.caveats?.some((c) => c.includes('neutron-openvswi-local')));
    assert.match(r.report.headline, /^LVS-DR forward/);
    // The VIP itself is an allowed pair on this port: its own traffic passes.
    assert.equal(r.report.findings.find((f) => f.kind === 'vipEgress')?.outcome, 'ok');
  });

  it('003 with the neutron-openvswi-local ACCEPT hack: traffic passes and the hack is called out', async () => {
    const r = explainVip({ hosts: [await sampleHost('003-lvs-dr-hybrid-local-accept')], vip: ip('10.1.26.252'), ports: ['38833ad6-c6'], client: ip('10.0.19.92') });
    assert.ok(r.ok);
    assert.equal(r.report.findings.find((f) => f.kind === 'lvsForward')?.outcome, 'ok');
    assert.ok(r.report.warnings.some((w) => /neutron-openvswi-local has an ACCEPT rule/.test(w) && /every port/.test(w)));
  });

  it('004 DVR: traffic to the floating IP goes fip -> rfp/fpr -> qrouter DNAT -> the VM', async () => {
    const r = explainVip({ hosts: [await sampleHost('004-dvr')], vip: ip('192.168.21.5'), fip: ip('10.5.150.1') });
    assert.ok(r.ok);
    const toFip = r.report.findings.find((f) => f.kind === 'toFip')!;
    assert.equal(toFip.outcome, 'ok', toFip.summary);
    assert.ok(toFip.steps.some((s) => s.layer === 'iptables' && /DNAT/.test(s.raw ?? '')));
  });

  it('finds the holders by themselves when no port is given', async () => {
    const r = explainVip({ hosts: [await sampleHost('002-neutron-spoof')], vip: ip('192.168.1.100') });
    assert.ok(r.ok);
    assert.deepEqual(r.report.ports.map((p) => p.id).sort(), ['2b9c4e71-0d', '6d1e3a2b-7c']);
  });
});

describe('explainVip on bad input', () => {
  it('a VIP on no network of this host: a specific message with near matches', async () => {
    const r = explainVip({ hosts: [await sampleHost('002-neutron-spoof')], vip: ip('172.31.9.9') });
    assert.ok(!r.ok);
    assert.equal(r.problem, 'vipNotFound');
    assert.match(r.message, /no port on 002-neutron-spoof holds 172\.31\.9\.9/);
    assert.ok(r.nearMatches.some((m) => m.includes('192.168.1.16')));
  });

  it('an unknown port: the message lists the ports that exist', async () => {
    const r = explainVip({ hosts: [await sampleHost('002-neutron-spoof')], vip: ip('192.168.1.100'), ports: ['deadbeef-00'] });
    assert.ok(!r.ok);
    assert.equal(r.problem, 'portNotFound');
    assert.ok(r.nearMatches.length > 0);
  });

  it('a snapshot with no VM ports at all (a network node without taps)', () => {
    const snapshot = buildHostSnapshot([{ path: 'ip_route', text: 'default via 10.0.0.1 dev eth0\n' }], { kind: 'folder', path: '/x' });
    const r = explainVip({ hosts: [{ label: 'net-1', snapshot, sim: buildSimHost(snapshot) }], vip: ip('10.0.0.5') });
    assert.ok(!r.ok);
    assert.equal(r.problem, 'noPorts');
  });

  it('missing layers are reported as unknowns, not guessed (no OVS dump)', async () => {
    const h = await sampleHost('002-neutron-spoof');
    const noOvs = { ...h.snapshot, ovsBridges: h.snapshot.ovsBridges.map((b) => ({ name: b.name, ...(b.vsctl ? { vsctl: b.vsctl } : {}), ...(b.show ? { show: b.show } : {}) })) };
    const r = explainVip({ hosts: [{ label: 'no-flows', snapshot: noOvs, sim: buildSimHost(noOvs) }], vip: ip('192.168.1.100'), ports: ['6d1e3a2b-7c'] });
    assert.ok(r.ok);
    assert.ok(r.report.unknowns.some((u) => /dump-flows br-int/.test(u)));
    // iptables still decides the VIP-sourced packet; OVS-dependent ones become "unknown".
    assert.equal(r.report.findings.find((f) => f.kind === 'vipEgress')?.cause?.id, 'neutron-iptables-spoof');
    assert.equal(r.report.findings.find((f) => f.kind === 'garp')?.outcome, 'unknown');
  });
});
