import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { explainVip } from '../../../src/core/diagnose/explainVip';
import { parseIp } from '../../../src/core/net/IpAddress';
import { parsePacketSpec } from '../../../src/core/sim/parsePacketSpec';
import { buildSimHost } from '../../../src/core/sim/walk/buildSimHost';
import { loadSnapshot } from '../../../src/host/loadSnapshot';

/**
 * An IPv6 VIP is announced by neighbour advertisements, not ARP, and keepalived's VRRPv3 speaks
 * from the link-local address to ff02::12. Sample 002 is a real br-int with Neutron's table-0/24
 * ND flows (recorded by test/oracle); that the table-24 path for an advertisement is what real OVS
 * does is checked in test/core/sim/ovsTraceFixtures.test.ts (neutron-nd-* cases).
 */
describe('explainVip with an IPv6 VIP', () => {
  it('traces neighbour advertisements, ICMPv6 and VRRPv3; table 24 drops the advertisement', async () => {
    const { snapshot } = await loadSnapshot(path.resolve(__dirname, '../../../samples/002-neutron-spoof'));
    const vip = parseIp('2001:db8::100');
    assert.ok(vip);
    const r = explainVip({ hosts: [{ label: 'compute-1', snapshot, sim: buildSimHost(snapshot) }], vip, ports: ['6d1e3a2b-7c'] });
    assert.ok(r.ok, r.ok ? '' : r.message);
    for (const f of r.report.findings) {
      // Every packet is IPv6 (or ND) and can be pasted into ofproto/trace as is.
      assert.doesNotMatch(f.packet, /^(arp|icmp|tcp|ip),/, f.packet);
      assert.deepEqual(parsePacketSpec(f.packet).diagnostics, [], f.packet);
    }
    const na = r.report.findings.find((f) => f.kind === 'garp')!;
    assert.match(na.title, /^Unsolicited neighbour advertisement for 2001:db8::100/);
    assert.match(na.packet, /^icmp6,icmpv6_type=136,.*nd_target=2001:db8::100/);
    assert.equal(na.outcome, 'blocked');
    assert.equal(na.cause?.id, 'ovs-arp-spoof');
    assert.equal(na.decidedBy?.line, 14);
    assert.match(na.cause?.explanation ?? '', /nd_target/);
    assert.ok(na.fix?.some((l) => l.includes('--allowed-address ip-address=2001:db8::100')));
    const vrrp = r.report.findings.find((f) => f.kind === 'vrrp')!;
    assert.match(vrrp.packet, /^ipv6,nw_proto=112,nw_ttl=255,ipv6_src=fe80::f816:3eff:fe7d:2a11,.*ipv6_dst=ff02::12,dl_dst=33:33:00:00:00:12/);
    const egress = r.report.findings.find((f) => f.kind === 'vipEgress')!;
    assert.match(egress.packet, /^icmp6,icmpv6_type=128,icmpv6_code=0,ipv6_src=2001:db8::100,ipv6_dst=2001:db8:ffff::10/);
    // The sample's ip6tables-save is empty: the walk says that nothing was checked there.
    assert.ok(egress.assumptions.some((a) => /no ip6tables rules/.test(a)), egress.assumptions.join('\n'));
  });
});
