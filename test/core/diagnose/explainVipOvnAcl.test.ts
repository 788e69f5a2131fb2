import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { explainVip } from '../../../src/core/diagnose/explainVip';
import { recogniseCause } from '../../../src/core/diagnose/knownCauses';
import type { Finding } from '../../../src/core/diagnose/VipReport';
import { parseIp } from '../../../src/core/net/IpAddress';
import { parsePacketSpec } from '../../../src/core/sim/parsePacketSpec';
import { simulateHost } from '../../../src/core/sim/walk/simulateHost';
import { ruleIdentity } from '../../support/ruleIdentity';
import { sampleHost } from './sampleHost';

const samples = path.resolve(__dirname, '../../../samples');
const VIP = parseIp('10.30.0.100')!;
const A = '5d2b8e4f-1a';
const B = 'a8c0e2f4-6b';
const B_UUID = 'a8c0e2f4-6b8d-4f1a-8c3e-5d7f9b1d3f52';
const A_UUID = '5d2b8e4f-1a3c-4e6b-9d7f-0c2e4a6b8d13';

interface Observed {
  readonly id: string;
  readonly packet: string;
  readonly ingress: { readonly device: string };
  readonly delivered: boolean;
  readonly decidedBy?: { readonly file: string; readonly line: number };
}

function observed(sample: string, id: string): Observed {
  const o = (JSON.parse(fs.readFileSync(path.join(samples, sample, 'observed.json'), 'utf8')) as Observed[]).find((p) => p.id === id);
  assert.ok(o, `${sample}/${id} is recorded`);
  return o;
}

/** The flow OVS's counters named for a recorded drop (the OpenFlow 1.0 dump), as a rule identity. */
function observedDrop(sample: string, id: string): string {
  const o = observed(sample, id);
  assert.equal(o.delivered, false, `${sample}/${id} was dropped for real`);
  assert.ok(o.decidedBy, `${sample}/${id} was dropped by a flow`);
  return ruleIdentity(path.join(samples, sample), o.decidedBy.file, o.decidedBy.line);
}

/** The deciding flow a finding cites (the OpenFlow 1.5 dump), as a rule identity. */
function cited(sample: string, f: Finding): string {
  assert.ok(f.decidedBy?.file && f.decidedBy.line, `${f.title}: ${f.summary}`);
  return ruleIdentity(path.join(samples, sample), f.decidedBy.file, f.decidedBy.line);
}

const only = (fs_: readonly Finding[], kind: Finding['kind'], port: string, unicast = false): Finding => {
  const f = fs_.filter((x) => x.kind === kind && x.port === port && (kind !== 'vrrp' || x.packet.includes('224.0.0.18') !== unicast));
  assert.equal(f.length, 1, `${kind} from ${port}`);
  return f[0]!;
};

/**
 * explain-vip on the ML2/OVN compute node recorded with a real OVN 23.03 and Neutron's security
 * groups as ACLs (test/oracle/scenarios/009-ovn-sg.sh): the VIP is an allowed address pair, so
 * port security passes; the group "keepalived-sg" has no VRRP rule and admits ICMP and TCP 80 only
 * from its members (remote group). Every drop is neutron_pg_drop's to-lport ACL of the receiving
 * port, the flow whose counter OVS really moved; the cause and fix depend on what was missing.
 */
describe('explainVip on ML2/OVN security groups (OVN ACLs)', () => {
  it('VRRP without a protocol-112 rule (multicast and unicast): vrrp-not-allowed, the recorded ACL drop, the fix and where the group is found', async () => {
    const r = explainVip({ hosts: [await sampleHost('009-ovn-sg')], vip: VIP, ports: [A] });
    assert.ok(r.ok, r.ok ? '' : r.message);
    for (const [unicast, probe] of [[false, 'vrrp-multicast'], [true, 'vrrp-unicast']] as const) {
      const f = only(r.report.findings, 'vrrp', A, unicast);
      assert.equal(f.outcome, 'blocked', `${probe}: ${f.summary}`);
      assert.equal(f.cause?.id, 'vrrp-not-allowed', `${probe}: ${f.summary}`);
      assert.equal(cited('009-ovn-sg', f), observedDrop('009-ovn-sg', probe), probe);
      assert.match(f.summary, /dropped by br-int table \d+ \(OVN to-lport ACL, neutron_pg_drop\)/);
      assert.match(f.cause.explanation, /neutron_pg_drop, whose priority-1001 ACL drops all IP/);
      assert.match(f.cause.explanation, new RegExp(`reaches port ${B}, but no rule of that port's security groups allows protocol 112`));
      assert.match(f.cause.explanation, /ls_out_acl\) drops it at br-int table \d+ line \d+: `priority=2001,ip,reg0=0x200\/0x200,reg15=0x3,metadata=0x1 -> drop`/);
      assert.equal(f.fix?.[0], 'openstack security group rule create --ingress --ethertype IPv4 --protocol 112 --remote-ip 10.30.0.11/32 <SECURITY_GROUP>');
      // The group is not in br-int's flows: the fix says where to read it, for the receiving port's full id.
      assert.equal(f.fix?.[1], `# <SECURITY_GROUP>: a security group of port ${B}; br-int's flows do not name it (the port group pg_<id> lives in the OVN databases): openstack port show ${B_UUID} -c security_group_ids, or where the OVN NB database is reachable: ovn-nbctl get Logical_Switch_Port ${B_UUID} external_ids:"neutron:security_group_ids"`);
      assert.match(f.fix?.[2] ?? '', /--protocol 112 --remote-group <SECURITY_GROUP> <SECURITY_GROUP>$/);
    }
    // The multicast copy that did leave (to the metadata port) does not hide the peer's drop.
    assert.equal(only(r.report.findings, 'vrrp', A).conditional, undefined);
    assert.match(r.report.headline, /VRRP advertisement \(to 224\.0\.0\.18\) from port 5d2b8e4f-1a to port a8c0e2f4-6b is dropped by .*Security group without VRRP/);
  });

  it('traffic from the VIP to a remote-group rule: ovn-remote-group-pair (the address set holds fixed IPs), fixed with --remote-ip VIP/32', async () => {
    const r = explainVip({ hosts: [await sampleHost('009-ovn-sg')], vip: VIP, ports: [A] });
    assert.ok(r.ok);
    const f = only(r.report.findings, 'vipEgress', A);
    assert.equal(f.outcome, 'blocked', f.summary);
    assert.equal(f.cause?.id, 'ovn-remote-group-pair');
    assert.equal(cited('009-ovn-sg', f), observedDrop('009-ovn-sg', 'vip-icmp'));
    assert.match(f.cause.explanation, /the address set \$pg_<id>_ip4, which ovn-northd fills from the member ports' addresses \(their fixed IPs\)/);
    assert.match(f.cause.explanation, new RegExp(`admit this packet from port ${A}'s fixed IP 10\\.30\\.0\\.11 but not from 10\\.30\\.0\\.100, which falls to br-int table \\d+ line \\d+`));
    assert.equal(f.fix?.[0], 'openstack security group rule create --ingress --ethertype IPv4 --protocol icmp --remote-ip 10.30.0.100/32 <SECURITY_GROUP>');
    assert.match(f.fix?.[1] ?? '', new RegExp(`openstack port show ${B_UUID} -c security_group_ids`));
    // The real fixed-IP ping passed and the VIP's was dropped: the counterfactual is what really happened.
    assert.equal(observed('009-ovn-sg', 'fixed-icmp').delivered, true);
    // Port security is not the problem here: the VIP is an allowed pair and its GARP passes.
    assert.equal(only(r.report.findings, 'garp', A).outcome, 'ok');
    assert.equal(observed('009-ovn-sg', 'vip-garp').delivered, true);
    assert.deepEqual(r.report.ports.map((p) => [p.id, p.firewall, p.vipAllowed]), [[A, 'ovn', true]]);
  });

  it('the recorded VIP-sourced TCP 80 (haproxy with source VIP) gets the TCP rule', async () => {
    const h = await sampleHost('009-ovn-sg');
    const o = observed('009-ovn-sg', 'vip-tcp-80');
    const trace = simulateHost(h.sim, { kind: 'device', device: o.ingress.device }, parsePacketSpec(o.packet).value, { ct: 'new' });
    assert.ok(trace.decidedBy?.span);
    assert.equal(ruleIdentity(path.join(samples, '009-ovn-sg'), trace.decidedBy.span.file, trace.decidedBy.span.line), observedDrop('009-ovn-sg', 'vip-tcp-80'));
    const ctx = { kind: 'vipEgress' as const, step: trace.decidedBy, steps: trace.steps, vip: '10.30.0.100', portId: A, portKind: 'neutron' as const, targetPortId: B, targetPortUuid: B_UUID, packet: o.packet, fixedSourcePasses: '10.30.0.11' };
    const cause = recogniseCause(ctx);
    assert.equal(cause?.id, 'ovn-remote-group-pair');
    assert.equal(cause.fix(ctx)[0], 'openstack security group rule create --ingress --ethertype IPv4 --protocol tcp --dst-port 80 --remote-ip 10.30.0.100/32 <SECURITY_GROUP>');
    // Without the counterfactual (the fixed IP would be dropped too) it is not this cause.
    assert.notEqual(recogniseCause({ ...ctx, fixedSourcePasses: undefined })?.id, 'ovn-remote-group-pair');
  });

  it('inbound to the VIP on a port no rule opens: sg-missing-ingress on the holder\'s ACL, from the traced source', async () => {
    const r = explainVip({ hosts: [await sampleHost('009-ovn-sg')], vip: VIP, ports: [A], servicePort: 8080 });
    assert.ok(r.ok);
    const f = only(r.report.findings, 'toVip', A);
    assert.equal(f.outcome, 'blocked', f.summary);
    assert.equal(f.cause?.id, 'sg-missing-ingress');
    assert.equal(cited('009-ovn-sg', f), observedDrop('009-ovn-sg', 'to-vip-tcp-8080'));
    assert.match(f.cause.explanation, /Traffic to 10\.30\.0\.100 port 8080 from 10\.30\.0\.12 reaches port 5d2b8e4f-1a.*reg15=0x2,metadata=0x1 -> drop/);
    assert.deepEqual(f.fix, [
      'openstack security group rule create --ingress --ethertype IPv4 --protocol tcp --dst-port 8080 --remote-ip 10.30.0.12/32 <SECURITY_GROUP>',
      `# <SECURITY_GROUP>: a security group of port ${A}; br-int's flows do not name it (the port group pg_<id> lives in the OVN databases): openstack port show ${A_UUID} -c security_group_ids, or where the OVN NB database is reachable: ovn-nbctl get Logical_Switch_Port ${A_UUID} external_ids:"neutron:security_group_ids"`,
    ]);
    // Port 80 is open to members: the peer's connection to the VIP passes, as it really did.
    const r80 = explainVip({ hosts: [await sampleHost('009-ovn-sg')], vip: VIP, ports: [A] });
    assert.ok(r80.ok);
    assert.equal(only(r80.report.findings, 'toVip', A).outcome, 'ok');
    assert.equal(observed('009-ovn-sg', 'to-vip-tcp-80').delivered, true);
  });

  it('after --protocol 112 --remote-group: VRRP passes, VIP-sourced traffic still not; after the --remote-ip VIP/32 rules: no drop', async () => {
    const vrrp = explainVip({ hosts: [await sampleHost('009-ovn-sg-vrrp-rule')], vip: VIP, ports: [A, B] });
    assert.ok(vrrp.ok);
    for (const f of vrrp.report.findings.filter((x) => x.kind === 'vrrp')) assert.equal(f.outcome, 'ok', `${f.title}: ${f.summary}`);
    assert.equal(observed('009-ovn-sg-vrrp-rule', 'vrrp-multicast').delivered, true);
    const egress = only(vrrp.report.findings, 'vipEgress', A);
    assert.equal(egress.cause?.id, 'ovn-remote-group-pair');
    assert.equal(cited('009-ovn-sg-vrrp-rule', egress), observedDrop('009-ovn-sg-vrrp-rule', 'vip-icmp'));
    const fixed = explainVip({ hosts: [await sampleHost('009-ovn-sg-vip-rule')], vip: VIP });
    assert.ok(fixed.ok);
    assert.deepEqual(fixed.report.ports.map((p) => p.id), [A, B]);
    assert.deepEqual(fixed.report.findings.filter((f) => f.outcome !== 'ok' && !f.conditional).map((f) => `${f.kind}: ${f.summary}`), []);
    assert.equal(observed('009-ovn-sg-vip-rule', 'vip-icmp').delivered, true);
    assert.equal(observed('009-ovn-sg-vip-rule', 'vip-tcp-80').delivered, true);
  });
});
