import { strict as assert } from 'node:assert';
import { KNOWN_CAUSES, recogniseCause } from '../../../src/core/diagnose/knownCauses';
import { parsePacketSpec } from '../../../src/core/sim/parsePacketSpec';
import type { TraceStep } from '../../../src/core/sim/TraceResult';
import { simulateHost } from '../../../src/core/sim/walk/simulateHost';
import { sampleHost } from './sampleHost';

// Sample 009: a real OVN 23.03 chassis (scenario 009), port A = kv-vm1, B = kv-vm2.
const A = '5d2b8e4f-1a';
const A_UUID = '5d2b8e4f-1a3c-4e6b-9d7f-0c2e4a6b8d13';

describe('known causes on ML2/OVN beyond port security and ingress ACLs', () => {
  it('a packet conntrack calls invalid dies in ovn-controller\'s ct_state=+inv+trk flow: conntrack-invalid, not an ACL', async () => {
    const h = await sampleHost('009-ovn-sg');
    // An ACK for a connection conntrack never saw (asymmetric routing through a VIP).
    const pkt = parsePacketSpec('tcp,dl_src=fa:16:3e:7e:b2:01,dl_dst=fa:16:3e:7e:b2:02,nw_src=10.30.0.11,nw_dst=10.30.0.12,nw_ttl=64,tp_src=40000,tp_dst=22,tcp_flags=ack').value;
    const t = simulateHost(h.sim, { kind: 'device', device: `tap${A}` }, pkt, { ct: 'invalid' });
    assert.equal(t.verdict, 'dropped');
    const step = t.decidedBy;
    assert.ok(step);
    assert.match(step.raw ?? '', /priority=65532,ct_state=\+inv\+trk,metadata=0x1 actions=drop/);
    const cause = recogniseCause({ kind: 'vipReply', step, steps: t.steps, vip: '10.30.0.100', portId: A, portKind: 'neutron' });
    assert.equal(cause?.id, 'conntrack-invalid');
    // The same state on an established connection passes this flow: only +inv decides.
    const est = simulateHost(h.sim, { kind: 'device', device: `tap${A}` }, pkt, { ct: 'established' });
    assert.ok(!est.steps.some((s) => /ct_state=\+inv/.test(s.raw ?? '') && s.action.trim() === 'drop'));
  });

  it('a drop by the sender\'s own egress rules (from-lport ACL, Neutron\'s default drop) is sg-missing-egress, fixed on the sender\'s group', () => {
    // ls_in_acl of OVN 23.03 as ovn-controller compiles it (table 16 in dump-flows); reg14 = the sending port's key.
    const raw = ' cookie=0xab1b337c, table=16, n_packets=0, priority=2001,ip,reg0=0x200/0x200,reg14=0x2,metadata=0x1 actions=drop';
    const step: TraceStep = { layer: 'ovs', bridge: 'br-int', table: '16', raw, action: 'drop', because: ['reg14=0x2', 'metadata=0x1'], depth: 3 };
    const c = {
      kind: 'vipEgress' as const, step, steps: [step], vip: '10.30.0.100', portId: A, portUuid: A_UUID, portKind: 'neutron' as const,
      packet: 'tcp,dl_src=fa:16:3e:7e:b2:01,nw_src=10.30.0.100,nw_dst=10.30.0.12,tcp_dst=22',
    };
    const cause = recogniseCause(c);
    assert.equal(cause?.id, 'sg-missing-egress');
    const text = cause.explain(c);
    assert.match(text, /port 5d2b8e4f-1a may send/);
    assert.match(text, /br-int table 16: `priority=2001,ip,reg0=0x200\/0x200,reg14=0x2,metadata=0x1 -> drop` \(Neutron's neutron_pg_drop port group, ACL priority 1001\)/);
    const [rule, lookup] = cause.fix(c);
    assert.equal(rule, 'openstack security group rule create --egress --ethertype IPv4 --protocol tcp --dst-port 22 --remote-ip 10.30.0.12/32 <SECURITY_GROUP>');
    assert.match(lookup ?? '', new RegExp(`port 5d2b8e4f-1a; .*openstack port show ${A_UUID} -c security_group_ids.*ovn-nbctl get Logical_Switch_Port ${A_UUID}`));
    // The receiver's side (to-lport, reg15) stays sg-missing-ingress / vrrp-not-allowed.
    const ingress: TraceStep = { ...step, table: '46', raw: raw.replace('table=16', 'table=46').replace('reg14=0x2', 'reg15=0x3'), because: ['reg15=0x3', 'metadata=0x1'] };
    assert.notEqual(recogniseCause({ ...c, kind: 'toVip', step: ingress, steps: [ingress] })?.id, 'sg-missing-egress');
  });

  it('the LVS-DR caveat about neutron-openvswi-local says which hosts have that chain', () => {
    const lvs = KNOWN_CAUSES.find((k) => k.id === 'lvs-dr-director');
    assert.match(lvs?.caveats?.[0] ?? '', /^On ML2\/OVS hybrid and linuxbridge hosts, .*\(ML2\/OVN and the OVS native firewall have no such chain\.\)$/);
  });
});
