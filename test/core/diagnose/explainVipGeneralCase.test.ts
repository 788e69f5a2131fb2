import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { explainVip, type VipHost } from '../../../src/core/diagnose/explainVip';
import { parseIp } from '../../../src/core/net/IpAddress';
import { buildSimHost } from '../../../src/core/sim/walk/buildSimHost';
import { buildHostSnapshot } from '../../../src/core/snapshot/buildHostSnapshot';
import { readDumpTree } from '../../../src/host/readDumpTree';

const samples = path.resolve(__dirname, '../../../samples');

/** A recorded sample with some of its files edited, as another real host would show them. */
async function edited(name: string, edit: (file: string, text: string) => string): Promise<VipHost> {
  const root = path.join(samples, name);
  const tree = await readDumpTree(root);
  const snapshot = buildHostSnapshot(tree.files.map((f) => ({ path: f.relativePath, text: edit(f.relativePath, f.text) })), { kind: tree.kind, path: root });
  return { label: name, snapshot, sim: buildSimHost(snapshot) };
}

function ip(text: string): NonNullable<ReturnType<typeof parseIp>> {
  const v = parseIp(text);
  assert.ok(v, text);
  return v;
}

/**
 * Regressions found by the oracle variants (test/oracle/variants/): the seed situations rebuilt
 * with other names, addresses and noise ports. Each case is the sample with the one difference
 * that made the diagnosis depend on the fixture; the variant seed that showed it is named.
 */
describe('explainVip beyond the seed fixtures', () => {
  it('a director holding a second VIP: its fixed IP is the spoof chain\'s last pair, not its first (variant 003 seed 100)', async () => {
    // Neutron writes the allowed pairs first, the fixed IPs last (iptables_firewall._spoofing_rule).
    const h = await edited('003-lvs-dr-hybrid', (file, text) => (file !== 'iptables-save_-c' ? text : text.replace(
      '[1:62] -A neutron-openvswi-s38833ad6-c -s 10.1.26.252/32',
      '[0:0] -A neutron-openvswi-s38833ad6-c -s 10.1.26.77/32 -m mac --mac-source fa:16:3e:c4:20:c7 -m comment --comment "Allow traffic from defined IP/MAC pairs." -j RETURN\n[1:62] -A neutron-openvswi-s38833ad6-c -s 10.1.26.252/32')));
    const r = explainVip({ hosts: [h], vip: ip('10.1.26.252'), ports: ['38833ad6-c6'], client: ip('10.0.19.92'), servicePort: 10051 });
    assert.ok(r.ok);
    const port = r.report.ports[0]!;
    assert.equal(port.fixedIp, '10.1.26.144');
    assert.deepEqual(port.allowedPairs, ['10.1.26.77', '10.1.26.252']);
    // keepalived advertises from the fixed IP
    assert.ok(r.report.findings.filter((f) => f.kind === 'vrrp').every((f) => f.packet.includes('nw_src=10.1.26.144,')));
    assert.equal(r.report.findings.find((f) => f.kind === 'lvsForward')?.cause?.id, 'lvs-dr-director');
  });

  it('a VIP in a subnet larger than /24: the ports of its network are found by themselves (variant 002 seed 100)', async () => {
    // 192.168.0.100 and the ports' 192.168.1.16/.17 are one /23; no /24 holds them together.
    const r = explainVip({ hosts: [await edited('002-neutron-spoof', (_f, t) => t)], vip: ip('192.168.0.100') });
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.deepEqual(r.report.ports.map((p) => p.id).sort(), ['2b9c4e71-0d', '6d1e3a2b-7c']);
    assert.equal(r.report.findings.find((f) => f.kind === 'vipEgress' && f.port === '6d1e3a2b-7c')?.cause?.id, 'neutron-iptables-spoof');
  });

  it('a port of another network in the same /24 (smaller subnets, another local VLAN) is not a candidate', async () => {
    // lb-vm2 moved to 192.168.1.200 on local VLAN 2: 192.168.1.128/25 next to the VIP's 192.168.1.0/25.
    const h = await edited('002-neutron-spoof', (file, text) => {
      const t = text.replaceAll('192.168.1.17', '192.168.1.200');
      if (file !== 'ovs-vsctl_show') return t;
      return t.replace('Port qvo2b9c4e71-0d\n            tag: 1', 'Port qvo2b9c4e71-0d\n            tag: 2');
    });
    const r = explainVip({ hosts: [h], vip: ip('192.168.1.100') });
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.deepEqual(r.report.ports.map((p) => p.id), ['6d1e3a2b-7c']);
  });

  it('--port vnet1 is vnet1, not also vnet10..vnet19 (variant 000 seed 405)', async () => {
    // libvirt numbers taps vnetN: rename the sample's vnet1 to vnet10 and its vnet0 to vnet1.
    const h = await edited('000-nova-nwfilter', (_f, t) => t.replace(/\bvnet1\b/g, 'vnet10').replace(/\bvnet0\b/g, 'vnet1'));
    const r = explainVip({ hosts: [h], vip: ip('10.16.0.200'), ports: ['vnet1'] });
    assert.ok(r.ok);
    assert.deepEqual(r.report.ports.map((p) => p.id), ['vnet1']);
    assert.equal(r.report.findings.find((f) => f.kind === 'garp')?.decidedBy?.chain, 'I-vnet1-arp-ip');
    // a Neutron id prefix still selects its port
    const n = explainVip({ hosts: [await edited('002-neutron-spoof', (_f, t) => t)], vip: ip('192.168.1.100'), ports: ['6d1e3a2b'] });
    assert.ok(n.ok);
    assert.deepEqual(n.report.ports.map((p) => p.id), ['6d1e3a2b-7c']);
  });

  it('still says so when a VIP shares no network with any port', async () => {
    const r = explainVip({ hosts: [await edited('002-neutron-spoof', (_f, t) => t)], vip: ip('192.169.1.100') });
    assert.ok(!r.ok);
    assert.equal(r.problem, 'vipNotFound');
    assert.match(r.message, /or is on its network/);
  });
});
