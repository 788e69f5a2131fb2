import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { ovnPortSecurityDrop } from '../../../src/core/openstack/ovnPortSecurityDrop';
import type { TraceStep } from '../../../src/core/sim/TraceResult';
import { parsePacketSpec } from '../../../src/core/sim/parsePacketSpec';
import { buildSimHost } from '../../../src/core/sim/walk/buildSimHost';
import { simulateHost } from '../../../src/core/sim/walk/simulateHost';
import { loadSnapshot } from '../../../src/host/loadSnapshot';

const samples = path.resolve(__dirname, '../../../samples');

const step = (table: number, raw: string, depth = 1): TraceStep => ({
  layer: 'ovs', bridge: 'br-int', table: String(table), raw, action: raw.split(' actions=')[1] ?? 'drop', because: [], depth,
});

/**
 * OVN port security recognised from the shape of ovn-controller's flows, whatever the table
 * numbers: the 22.06+ check/apply pair on a real OVN 23.03 br-int (samples/008-ovn), and the
 * per-port priority-80 drops of earlier OVN (ovn-northd(8) before 22.06: ls_in_port_sec_ip /
 * _nd, ls_out_port_sec_ip), with the drops that are not port security left alone.
 */
describe('ovnPortSecurityDrop', () => {
  it('OVN 23.03: the apply_port_sec drop after check_in_port_sec / check_out_port_sec, with the port\'s failing check', async () => {
    const host = buildSimHost((await loadSnapshot(path.join(samples, '008-ovn'))).snapshot);
    const garp = simulateHost(host, { kind: 'device', device: 'tape3a1c5d7-2f' }, parsePacketSpec('arp,arp_op=1,arp_spa=10.30.0.100,arp_tpa=10.30.0.100,arp_sha=fa:16:3e:3c:a1:01,dl_src=fa:16:3e:3c:a1:01,dl_dst=ff:ff:ff:ff:ff:ff').value, { ct: 'new' });
    assert.ok(garp.decidedBy);
    const d = ovnPortSecurityDrop(garp.decidedBy, garp.steps);
    assert.equal(d?.direction, 'in');
    assert.equal(d?.check?.table, '74');
    assert.match(d?.check?.raw ?? '', /priority=80,arp,reg14=0x2,metadata=0x1 actions=set_field:0x1000\/0x1000->reg10/);
    const toVip = simulateHost(host, { kind: 'device', device: 'tap7b9d1f3e-5a' }, parsePacketSpec('icmp,dl_src=fa:16:3e:3c:a1:02,dl_dst=fa:16:3e:3c:a1:01,nw_src=10.30.0.12,nw_dst=10.30.0.100,icmp_type=8').value, { ct: 'new' });
    assert.ok(toVip.decidedBy);
    assert.equal(toVip.decidedBy.table, '51');
    const o = ovnPortSecurityDrop(toVip.decidedBy, toVip.steps);
    assert.equal(o?.direction, 'out');
    assert.match(o?.check?.raw ?? '', /table=75.*reg15=0x2/);
    // A security-group (ACL) drop of the same walk shape is not port security.
    const acl = step(16, 'table=16, priority=2001,ip,reg0=0x200/0x200,reg14=0x2,metadata=0x1 actions=drop');
    assert.equal(ovnPortSecurityDrop(acl, [acl]), undefined);
  });

  it('OVN before 22.06: the port\'s priority-80 catch-all drops in ls_in_port_sec_ip / _nd and ls_out_port_sec_ip', () => {
    const cases: [string, 'in' | 'out' | undefined][] = [
      ['table=9, priority=80,ip,reg14=0x3,metadata=0x5,dl_src=fa:16:3e:4a:10:5c actions=drop', 'in'],
      ['table=9, priority=80,ipv6,reg14=0x3,metadata=0x5,dl_src=fa:16:3e:4a:10:5c actions=drop', 'in'],
      ['table=10, priority=80,arp,reg14=0x3,metadata=0x5 actions=drop', 'in'],
      ['table=10, priority=80,icmp6,reg14=0x3,metadata=0x5,nw_ttl=255,icmp_type=136,icmp_code=0 actions=drop', 'in'],
      ['table=48, priority=80,ip,reg15=0x3,metadata=0x5,dl_dst=fa:16:3e:4a:10:5c actions=drop', 'out'],
      // not port security: ACL drops, the loopback check, the L2 stage's multicast-source drop
      ['table=14, priority=2001,ip,reg14=0x3,metadata=0x5 actions=drop', undefined],
      ['table=13, priority=65535,ct_state=+inv+trk,metadata=0x5 actions=drop', undefined],
      ['table=34, priority=100,reg10=0/0x1,reg14=0x3,reg15=0x3,metadata=0x5 actions=drop', undefined],
      ['table=8, priority=100,metadata=0x5,dl_src=01:00:00:00:00:00/01:00:00:00:00:00 actions=drop', undefined],
      ['table=9, priority=90,ip,reg14=0x3,metadata=0x5,dl_src=fa:16:3e:4a:10:5c,nw_src=10.0.0.217 actions=resubmit(,10)', undefined],
    ];
    for (const [raw, want] of cases) {
      const s = step(Number(/table=(\d+)/.exec(raw)?.[1]), raw);
      assert.equal(ovnPortSecurityDrop(s, [s])?.direction, want, raw);
    }
  });
});
