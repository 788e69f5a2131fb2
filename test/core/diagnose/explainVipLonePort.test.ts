import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { explainVip } from '../../../src/core/diagnose/explainVip';
import { parseIp } from '../../../src/core/net/IpAddress';
import { buildSimHost } from '../../../src/core/sim/walk/buildSimHost';
import { loadSnapshot } from '../../../src/host/loadSnapshot';

/**
 * A keepalived VM that is the only port of its network on its host (the common case on a busy
 * cloud): there is no local peer to send to, yet VIP-sourced traffic must still be traced, because
 * the anti-spoofing layers check the source before any forwarding decision. The fixture is a real
 * ML2/OVS compute node with the OVS native firewall (canonical/hotsos, Apache-2.0).
 */
describe('explainVip with the VIP holder alone on its host', () => {
  it('traces VIP-sourced traffic off the host and names the table-71 port-security flow', async () => {
    const dir = path.resolve(__dirname, '../../fixtures/hotsos-compute');
    const { snapshot } = await loadSnapshot(dir);
    const vip = parseIp('192.168.21.250');
    assert.ok(vip);
    const r = explainVip({ hosts: [{ label: 'compute', snapshot, sim: buildSimHost(snapshot) }], vip });
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.deepEqual(r.report.ports.map((p) => [p.id, p.fixedIp, p.firewall]), [['0e778df8-ca', '192.168.21.18', 'ovs-native']]);
    // The DHCP flow's 0.0.0.0 source and the EUI-64 link-local address are not allowed pairs.
    assert.deepEqual(r.report.ports[0]!.allowedPairs, []);
    const egress = r.report.findings.find((f) => f.kind === 'vipEgress');
    assert.ok(egress, 'a vipEgress finding although no other port shares the network');
    assert.equal(egress.outcome, 'blocked');
    assert.equal(egress.cause?.id, 'ovs-firewall-egress');
    assert.equal(egress.decidedBy?.file, 'ovs-ofctl_-O_OpenFlow14_dump-flows_br-int.txt');
    assert.equal(egress.decidedBy?.line, 44);
    assert.match(egress.decidedBy?.raw ?? '', /table=71, .*priority=10,reg5=0x9,in_port=9 actions=ct_clear,resubmit\(,93\)/);
    assert.ok(egress.fix?.some((l) => l.includes('--allowed-address ip-address=192.168.21.250,mac-address=fa:16:3e:a7:45:cb')));
    assert.ok(r.report.unknowns.some((u) => /placeholder/.test(u)), 'the placeholder router MAC is reported');
  });
});
