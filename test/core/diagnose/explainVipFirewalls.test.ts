import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dropSender, explainVip } from '../../../src/core/diagnose/explainVip';
import { recogniseCause } from '../../../src/core/diagnose/knownCauses';
import type { Finding } from '../../../src/core/diagnose/VipReport';
import { parsePacketSpec } from '../../../src/core/sim/parsePacketSpec';
import { simulateHost } from '../../../src/core/sim/walk/simulateHost';
import { ip, sampleHost } from './sampleHost';

const samples = path.resolve(__dirname, '../../../samples');

interface Observed {
  readonly id: string;
  readonly delivered: boolean;
  readonly countersMoved: readonly { readonly file: string; readonly line: number; readonly table: number | string; readonly rule: string }[];
}

function observed(sample: string, id: string): Observed {
  const all = JSON.parse(fs.readFileSync(path.join(samples, sample, 'observed.json'), 'utf8')) as Observed[];
  const o = all.find((p) => p.id === id);
  assert.ok(o, `${sample}: probe ${id}`);
  return o;
}

function lineOf(sample: string, file: string, line: number): string {
  return fs.readFileSync(path.join(samples, sample, file), 'utf8').split('\n')[line - 1] ?? '';
}

/** The findings of one kind, the unconditional one first. */
function findings(fs_: readonly Finding[], kind: Finding['kind']): Finding[] {
  return fs_.filter((f) => f.kind === kind).sort((a, b) => Number(a.conditional !== undefined) - Number(b.conditional !== undefined));
}

const A = '3f6c2a9e-81';
const B = '8b2e4d61-0c';

/**
 * The OVS native firewall (samples/005-*) and the iptables hybrid firewall's VRRP case
 * (samples/007-*), recorded from real OVS and netfilter by test/oracle: the report must blame the
 * flow or rule whose counter really moved, name the cause, and give a fix with the real port, VIP
 * and peer address.
 */
describe('explainVip with the OVS native firewall (recorded: 005-ovs-native-firewall)', () => {
  it('GARP, ARP reply and VIP-sourced traffic: table 71 port security decides (the flow that sends to 93), fix is an allowed address pair', async () => {
    const r = explainVip({ hosts: [await sampleHost('005-ovs-native-firewall')], vip: ip('10.20.0.100'), ports: [A] });
    assert.ok(r.ok);
    const real = observed('005-ovs-native-firewall', 'vip-garp');
    assert.equal(real.delivered, false);
    const realSender = real.countersMoved.find((m) => String(m.table) === '71');
    assert.ok(realSender, 'the recording shows the table-71 flow that took the GARP');
    for (const kind of ['garp', 'arpReply', 'vipEgress', 'vipReply'] as const) {
      const f: Finding | undefined = findings(r.report.findings, kind)[0];
      assert.ok(f, kind);
      assert.equal(f.outcome, 'blocked', `${kind}: ${f.summary}`);
      assert.equal(f.cause?.id, 'ovs-firewall-egress', kind);
      assert.equal(f.decidedBy?.bridge, 'br-int');
      assert.equal(f.decidedBy?.table, '71');
      assert.match(f.decidedBy?.raw ?? '', /priority=10,reg5=0x7,in_port=7 actions=ct_clear,resubmit\(,93\)/);
      // The very line whose counter the real GARP moved.
      assert.equal(f.decidedBy?.line, realSender.line, kind);
      assert.equal(lineOf('005-ovs-native-firewall', f.decidedBy?.file ?? '', f.decidedBy?.line ?? 0).trim(), f.decidedBy?.raw);
      assert.match(f.summary, /^dropped by br-int table 71 \(BASE_EGRESS_TABLE\) -> table 93 \(line \d+\)$/);
      assert.equal(f.fix?.[0], `openstack port set --allowed-address ip-address=10.20.0.100,mac-address=fa:16:3e:5a:10:01 $(openstack port list -f value -c ID | grep ^${A})`);
    }
    assert.match(findings(r.report.findings, 'garp')[0]!.cause!.explanation, /ARP whose sender address \(arp_spa\)/);
    assert.match(r.report.headline, /^GARP for 10\.20\.0\.100 .* table 71 .*Fix: openstack port set --allowed-address ip-address=10\.20\.0\.100/);
  });

  it('the port is decoded from the firewall flows: ovs-native, its fixed IP, no DHCP 0.0.0.0 or link-local "pairs"', async () => {
    const r = explainVip({ hosts: [await sampleHost('005-ovs-native-firewall')], vip: ip('10.20.0.100'), ports: [A] });
    assert.ok(r.ok);
    assert.deepEqual(r.report.ports.map((p) => ({ id: p.id, fixedIp: p.fixedIp, mac: p.mac, firewall: p.firewall, pairs: p.allowedPairs, vipAllowed: p.vipAllowed })),
      [{ id: A, fixedIp: '10.20.0.11', mac: 'fa:16:3e:5a:10:01', firewall: 'ovs-native', pairs: [], vipAllowed: false }]);
  });

  it('VRRP to 224.0.0.18 passes without a protocol-112 rule (as real OVS delivered it); unicast VRRP dies in table 82', async () => {
    assert.equal(observed('005-ovs-native-firewall', 'vrrp-multicast').delivered, true);
    const realUnicast = observed('005-ovs-native-firewall', 'vrrp-unicast');
    assert.equal(realUnicast.delivered, false);
    const r = explainVip({ hosts: [await sampleHost('005-ovs-native-firewall')], vip: ip('10.20.0.100'), ports: [A, B] });
    assert.ok(r.ok);
    const fromA = r.report.findings.filter((f) => f.kind === 'vrrp' && f.port === A);
    const [multicast, unicast] = findings(fromA, 'vrrp');
    assert.match(multicast!.packet, /nw_dst=224\.0\.0\.18,dl_dst=01:00:5e:00:00:12/);
    assert.equal(multicast!.outcome, 'ok', multicast!.summary);
    assert.match(multicast!.summary, new RegExp(`reaches tap${B}`));
    assert.equal(unicast!.outcome, 'blocked');
    assert.equal(unicast!.conditional, 'only matters if keepalived uses unicast_peer');
    assert.equal(unicast!.cause?.id, 'vrrp-not-allowed');
    assert.equal(unicast!.decidedBy?.table, '82');
    assert.match(unicast!.decidedBy?.raw ?? '', /priority=40,ct_state=-est,reg5=0x8 actions=resubmit\(,93\)/);
    assert.ok(realUnicast.countersMoved.some((m) => m.line === unicast!.decidedBy?.line), 'the recorded unicast advertisement moved that flow');
    assert.match(unicast!.cause.explanation, /multicast ones to 224\.0\.0\.18 are switched to every port without ingress rules/);
    assert.equal(unicast!.fix?.[0], 'openstack security group rule create --ingress --ethertype IPv4 --protocol 112 --remote-ip 10.20.0.11/32 <SECURITY_GROUP>');
    assert.ok(unicast!.fix?.some((l) => l.startsWith('#') && l.includes(`grep ^${B}) -c security_group_ids`)), 'says where the security group is found');
    // A conditional finding never makes the headline while unconditional drops exist.
    assert.doesNotMatch(r.report.headline, /VRRP/);
  });

  it('after the fix (pair + protocol-112 rule): every packet passes, the reply from the VIP via +est+rpl', async () => {
    const r = explainVip({ hosts: [await sampleHost('005-ovs-native-firewall-after-fix')], vip: ip('10.20.0.100') });
    assert.ok(r.ok);
    assert.deepEqual(r.report.ports.map((p) => [p.id, p.allowedPairs, p.vipAllowed]), [[A, ['10.20.0.100'], true], [B, ['10.20.0.100'], true]]);
    for (const f of r.report.findings.filter((x) => x.kind !== 'lvsForward')) assert.equal(f.outcome, 'ok', `${f.title}: ${f.summary}`);
    const reply = r.report.findings.find((f) => f.kind === 'vipReply' && f.port === A)!;
    // An established connection's reply takes table 72's `+est-rel+rpl` flow straight to NORMAL
    // (checked against real OVS: the reply reached the client); `+est` alone would have been
    // sent through the client's ingress rules and dropped.
    assert.ok(reply.steps.some((s) => s.table === '72' && /ct_state=\+est-rel\+rpl/.test(s.raw ?? '')), 'reply takes the +rpl flow');
    assert.ok(reply.assumptions.some((a) => a.startsWith('conntrack state assumed reply (ct_state=+trk+est+rpl)')), reply.assumptions.join('; '));
  });
});

describe('explainVip with the iptables hybrid firewall and VRRP (recorded: 007-hybrid-vrrp)', () => {
  const C = 'c41f7e2d-9a';
  const D = 'd52a8f3e-0b';

  it('the advertisement to 224.0.0.18 dies in the peer\'s ingress chain via sg-fallback; fix names the sender and the peer', async () => {
    const real = observed('007-hybrid-vrrp', 'vrrp-multicast');
    assert.equal(real.delivered, false);
    const r = explainVip({ hosts: [await sampleHost('007-hybrid-vrrp')], vip: ip('10.30.0.100'), ports: [C, D] });
    assert.ok(r.ok);
    const [multicast, unicast] = findings(r.report.findings.filter((f) => f.port === C), 'vrrp');
    for (const f of [multicast!, unicast!]) {
      assert.equal(f.outcome, 'blocked');
      assert.equal(f.cause?.id, 'vrrp-not-allowed');
      assert.equal(f.decidedBy?.chain, 'neutron-openvswi-sg-fallback');
      assert.match(f.decidedBy?.raw ?? '', /"Default drop rule for unmatched traffic." -j DROP/);
      assert.ok(real.countersMoved.some((m) => m.line === f.decidedBy?.line), 'the rule whose counter really moved');
      assert.match(f.cause.explanation, /ingress chain neutron-openvswi-id52a8f3e-0 has no rule for protocol 112/);
      assert.equal(f.fix?.[0], 'openstack security group rule create --ingress --ethertype IPv4 --protocol 112 --remote-ip 10.30.0.11/32 <SECURITY_GROUP>');
    }
    assert.equal(multicast!.conditional, undefined);
  });

  it('with `-p vrrp -m set --match-set ... src -j RETURN` in the ingress chain both advertisements pass', async () => {
    assert.equal(observed('007-hybrid-vrrp-vrrp-rule', 'vrrp-multicast').delivered, true);
    const r = explainVip({ hosts: [await sampleHost('007-hybrid-vrrp-vrrp-rule')], vip: ip('10.30.0.100'), ports: [C, D] });
    assert.ok(r.ok);
    for (const f of r.report.findings.filter((x) => x.kind === 'vrrp')) assert.equal(f.outcome, 'ok', `${f.title}: ${f.summary}`);
  });
});

describe('conntrack reply direction (ct "reply") in the simulator', () => {
  it('a SYN-ACK from the VIP with +est+rpl passes table 72 to NORMAL; with +est (no rpl) it is held to the client\'s ingress rules', async () => {
    const h = await sampleHost('005-ovs-native-firewall-after-fix');
    const pkt = parsePacketSpec('tcp,dl_src=fa:16:3e:5a:10:01,dl_dst=fa:16:3e:5a:10:02,nw_src=10.20.0.100,nw_dst=10.20.0.12,tcp_src=80,tcp_dst=41000,tcp_flags=0x012').value;
    const start = { kind: 'device' as const, device: `tap${A}` };
    const reply = simulateHost(h.sim, start, pkt, { ct: 'reply' });
    assert.ok(reply.egress.some((e) => e.device === `tap${B}`) || reply.reached.some((x) => x.device === `tap${B}`));
    assert.ok(reply.steps.some((s) => s.table === '94'));
    const est = simulateHost(h.sim, start, pkt, { ct: 'established' });
    assert.ok(!est.egress.some((e) => e.device === `tap${B}`));
    assert.ok(est.steps.some((s) => s.table === '82'));
  });
});

describe('conntrack INVALID in the OVS firewall (recorded: reply-untracked)', () => {
  it('a SYN-ACK conntrack never saw: table 72 `ct_state=+inv+trk` decides, the very flow whose counter moved; cause conntrack-invalid', async () => {
    const real = observed('005-ovs-native-firewall', 'reply-untracked');
    assert.equal(real.delivered, false);
    const realInv = real.countersMoved.find((m) => /ct_state=\+inv\+trk/.test(m.rule));
    assert.ok(realInv);
    const h = await sampleHost('005-ovs-native-firewall');
    const pkt = parsePacketSpec('tcp,dl_src=fa:16:3e:5a:10:01,dl_dst=fa:16:3e:5a:10:02,nw_src=10.20.0.11,nw_dst=10.20.0.12,nw_ttl=64,tp_src=80,tp_dst=42000,tcp_flags=0x012').value;
    const t = simulateHost(h.sim, { kind: 'device', device: `tap${A}` }, pkt, { ct: 'invalid' });
    assert.equal(t.verdict, 'dropped');
    assert.ok(t.decidedBy);
    const sender = dropSender(t, t.decidedBy);
    assert.ok(sender);
    assert.equal(sender.table, '72');
    assert.equal(sender.span?.line, realInv.line);
    const cause = recogniseCause({ kind: 'vipReply', step: sender, vip: '10.20.0.100', portId: A, portKind: 'neutron' });
    assert.equal(cause?.id, 'conntrack-invalid');
    // Not every drop in table 93 comes from a "sender" lookup: a drop elsewhere has none.
    assert.equal(dropSender(t, t.steps.find((x) => x.table === '72')!), undefined);
  });
});

