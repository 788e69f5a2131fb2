import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { isOvnLoopbackCheck } from '../../../src/core/openstack/isOvnLoopbackCheck';
import { ovnAclDrop } from '../../../src/core/openstack/ovnAclDrop';
import type { TraceStep } from '../../../src/core/sim/TraceResult';
import { parsePacketSpec } from '../../../src/core/sim/parsePacketSpec';
import { buildSimHost } from '../../../src/core/sim/walk/buildSimHost';
import { simulateHost } from '../../../src/core/sim/walk/simulateHost';
import { loadSnapshot } from '../../../src/host/loadSnapshot';

const samples = path.resolve(__dirname, '../../../samples');

const step = (raw: string, extra: Partial<TraceStep> = {}): TraceStep => ({
  layer: 'ovs', bridge: 'br-int', table: /table=(\d+)/.exec(raw)?.[1] ?? '0', raw, action: raw.split(' actions=')[1] ?? 'drop', because: [], depth: 1, ...extra,
});

/**
 * Neutron security groups on ML2/OVN are ACLs; their drops are recognised from the shape of the
 * flows ovn-controller compiles ls_in_acl / ls_out_acl into (ACL priority + 1000, a port register,
 * the ACL hint bits), never from table numbers: on a real OVN 23.03 br-int (samples/009-ovn-sg)
 * and in the forms other OVN versions write.
 */
describe('ovnAclDrop', () => {
  it('OVN 23.03: the VRRP advertisement dies in neutron_pg_drop\'s to-lport ACL of the receiving port', async () => {
    const host = buildSimHost((await loadSnapshot(path.join(samples, '009-ovn-sg'))).snapshot);
    const r = simulateHost(host, { kind: 'device', device: 'tap5d2b8e4f-1a' },
      parsePacketSpec('ip,nw_proto=112,dl_src=fa:16:3e:7e:b2:01,dl_dst=fa:16:3e:7e:b2:02,nw_src=10.30.0.11,nw_dst=10.30.0.12,nw_ttl=255').value, { ct: 'new' });
    assert.equal(r.verdict, 'dropped');
    assert.ok(r.decidedBy);
    assert.deepEqual(ovnAclDrop(r.decidedBy, r.steps), { direction: 'to-lport', portKey: 3n, aclPriority: 1001, neutronDefaultDrop: true, blockedConnection: false });
    // The allow-related rules the packet passed on the way are not drops.
    for (const s of r.steps.filter((x) => /priority=2002/.test(x.raw ?? ''))) assert.equal(ovnAclDrop(s, r.steps), undefined, s.raw);
  });

  it('tells the side from the port register, the conjunction clauses or the egress pipeline, and leaves other drops alone', () => {
    const cases: [string, Partial<ReturnType<typeof ovnAclDrop>> | undefined, Partial<TraceStep>?][] = [
      // 23.03, ls_in_acl (from-lport: the sender's egress rules)
      [' cookie=0xab1b337c, table=16, n_packets=0, priority=2001,ip,reg0=0x200/0x200,reg14=0x2,metadata=0x1 actions=drop', { direction: 'from-lport', portKey: 2n, neutronDefaultDrop: true }],
      // an established connection the rules no longer allow: committed as blocked, sent nowhere
      ['table=46, priority=2001,ip,reg0=0x400/0x400,reg15=0x3,metadata=0x1 actions=ct(commit,zone=NXM_NX_REG13[0..15],nat(src),exec(set_field:0x1/0x1->ct_mark))', { direction: 'to-lport', blockedConnection: true }],
      // OVN before the ACL hints (20.06): no reg0 bit, the port register alone
      ['table=14, priority=2001,ip,reg14=0x3,metadata=0x5 actions=drop', { direction: 'from-lport', portKey: 3n }],
      ['table=44, priority=2001,ipv6,reg15=0x4,metadata=0x5 actions=drop', { direction: 'to-lport', portKey: 4n }],
      // an operator's own drop ACL at another priority
      ['table=46, priority=1900,tcp,reg0=0x200/0x200,reg15=0x3,metadata=0x1,tp_dst=25 actions=drop', { direction: 'to-lport', aclPriority: 900, neutronDefaultDrop: false }],
      // a port group too large to expand: the port is in the conjunction's clauses
      ['table=46, priority=2001,conj_id=17,ip,reg0=0x200/0x200,metadata=0x1 actions=drop', { direction: 'to-lport', portKey: 7n },
        { because: ['ip', 'conjunction clauses: cookie=0x0, table=46, priority=2001,ip,reg0=0x200/0x200,reg15=0x7,metadata=0x1 actions=conjunction(17,1/2) | cookie=0x0, table=46, priority=2001,ipv6,reg0=0x200/0x200,metadata=0x1 actions=conjunction(17,2/2)'] }],
      // not ACLs: conntrack invalid, port security, the loopback check, a router policy, an allow
      ['table=46, priority=65532,ct_state=+inv+trk,metadata=0x1 actions=drop', undefined],
      ['table=9, priority=50,reg0=0x8000/0x8000,metadata=0x1 actions=drop', undefined],
      ['table=41, priority=100,reg10=0/0x1,reg14=0x2,reg15=0x2,metadata=0x1 actions=drop', undefined],
      ['table=20, priority=1500,ip,metadata=0x3,nw_src=192.0.2.0/24 actions=drop', undefined],
      ['table=46, priority=2002,icmp,reg0=0x80/0x80,reg15=0x3,metadata=0x1 actions=load:0x1->NXM_NX_XXREG0[97],resubmit(,47)', undefined],
      ['table=60, priority=2001,ip,reg5=0x7 actions=drop', undefined],
    ];
    for (const [raw, want, extra] of cases) {
      const s = step(raw, extra);
      const got = ovnAclDrop(s, [s]);
      if (want === undefined) assert.equal(got, undefined, raw);
      else for (const [k, v] of Object.entries(want)) assert.deepEqual(got?.[k as keyof typeof got], v, `${raw}: ${k}`);
    }
    // A conjunction naming no port: the egress pipeline runs after the outport was written.
    const conj = step('table=46, priority=2001,conj_id=9,ip,reg0=0x200/0x200,metadata=0x1 actions=drop', { depth: 3 });
    const chose = step('table=33, priority=50,metadata=0x1,dl_dst=fa:16:3e:7e:b2:02 actions=set_field:0x3->reg15,resubmit(,37)', { depth: 2 });
    assert.equal(ovnAclDrop(conj, [chose, conj])?.direction, 'to-lport');
    assert.equal(ovnAclDrop(conj, [conj])?.direction, 'from-lport');
  });

  it('isOvnLoopbackCheck: the copy of a flood for the port it came in on, and nothing else', () => {
    assert.equal(isOvnLoopbackCheck(step('table=41, priority=100,reg10=0/0x1,reg14=0x2,reg15=0x2,metadata=0x1 actions=drop')), true);
    assert.equal(isOvnLoopbackCheck(step('table=41, priority=100,reg10=0/0x1,reg14=0x2,reg15=0x3,metadata=0x1 actions=drop')), false);
    assert.equal(isOvnLoopbackCheck(step('table=46, priority=2001,ip,reg0=0x200/0x200,reg15=0x3,metadata=0x1 actions=drop')), false);
    assert.equal(isOvnLoopbackCheck(step('table=24, priority=0,reg14=0x2,reg15=0x2 actions=drop')), false);
  });
});
