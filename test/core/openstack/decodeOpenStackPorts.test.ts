import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { formatIp } from '../../../src/core/net/IpAddress';
import { formatMac } from '../../../src/core/net/MacAddress';
import { decodeOpenStackPorts, fixedIpOf, type OpenStackPort } from '../../../src/core/openstack/decodeOpenStackPorts';
import { loadSnapshot } from '../../../src/host/loadSnapshot';

const samples = path.resolve(__dirname, '../../../samples');

async function ports(sample: string): Promise<readonly OpenStackPort[]> {
  return decodeOpenStackPorts((await loadSnapshot(path.join(samples, sample))).snapshot);
}

const sources = (p: OpenStackPort, layer: string): string[] => p.allowedSources.filter((s) => s.layer === layer).map((s) => s.cidr?.text ?? '');

/**
 * Ports decoded from snapshots recorded by test/oracle (real iptables, ebtables, bridges): what an
 * operator reads off the names must come out without being told which port to look at.
 */
describe('decodeOpenStackPorts', () => {
  it('linuxbridge agent: taps on the network\'s brq bridge, neutron-linuxbri chains, ebtables neutronARP/neutronMAC chains', async () => {
    const all = await ports('006-linuxbridge');
    assert.deepEqual(all.map((p) => p.id), ['5a7c9e1b-3d', 'e4b2d6f8-1a']);
    const a = all[0]!;
    assert.equal(a.kind, 'neutron');
    assert.equal(a.firewall, 'linuxbridge');
    assert.equal(a.vmDevice, 'tap5a7c9e1b-3d');
    assert.deepEqual(a.devices, ['tap5a7c9e1b-3d']);
    assert.equal(a.linuxBridge, 'brq3f8a2c71-5d');
    assert.equal(a.networkIdPrefix, '3f8a2c71-5d');
    assert.equal(a.ovs, undefined);
    assert.deepEqual(a.chains, {
      ingress: 'neutron-linuxbri-i5a7c9e1b-3', egress: 'neutron-linuxbri-o5a7c9e1b-3', spoof: 'neutron-linuxbri-s5a7c9e1b-3',
      other: ['neutronARP-tap5a7c9e1b-3d', 'neutronMAC-tap5a7c9e1b-3d'],
    });
    assert.deepEqual(a.macs.map(formatMac), ['fa:16:3e:5a:7c:01']);
    assert.deepEqual(sources(a, 'iptables'), ['172.16.10.11/32']);
    assert.deepEqual(sources(a, 'ebtables'), ['172.16.10.11']);
    const arp = a.allowedSources.find((s) => s.layer === 'ebtables')!;
    assert.equal(arp.raw.trim(), '-A neutronARP-tap5a7c9e1b-3d -p ARP --arp-ip-src 172.16.10.11 -j ACCEPT');
  });

  it('the allowed address pair shows in both layers, and the fixed IP is still told apart from it', async () => {
    const a = (await ports('006-linuxbridge-allowed-pair'))[0]!;
    // The spoof chain lists the pair first (iptables_firewall._spoofing_rule); the ebtables ARP
    // chain has one ACCEPT per address, inserted in sorted order (arp_protect.py).
    assert.deepEqual(sources(a, 'iptables'), ['172.16.10.100/32', '172.16.10.11/32']);
    assert.deepEqual(sources(a, 'ebtables').sort(), ['172.16.10.100', '172.16.10.11']);
    assert.equal(formatIp(fixedIpOf(a)!), '172.16.10.11');
  });

  it('fixedIpOf: the spoof chain\'s last address, not the allowed pair listed before it (seed 003)', async () => {
    const director = (await ports('003-lvs-dr-hybrid')).find((p) => p.id === '38833ad6-c6')!;
    assert.deepEqual(sources(director, 'iptables'), ['10.1.26.252/32', '10.1.26.144/32']);
    assert.equal(formatIp(fixedIpOf(director)!), '10.1.26.144');
  });

  it('the hybrid firewall and nova-network keep their kinds', async () => {
    assert.deepEqual((await ports('002-neutron-spoof')).map((p) => [p.id, p.firewall, p.linuxBridge]),
      [['2b9c4e71-0d', 'iptables-hybrid', 'qbr2b9c4e71-0d'], ['6d1e3a2b-7c', 'iptables-hybrid', 'qbr6d1e3a2b-7c']]);
    assert.deepEqual((await ports('000-nova-nwfilter')).map((p) => [p.id, p.firewall]), [['vnet0', 'nova-nwfilter'], ['vnet1', 'nova-nwfilter']]);
  });

  it('decodes a snapshot once: asking again gives the same ports; another snapshot of the same folder is decoded afresh', async () => {
    const dir = path.join(samples, '002-neutron-spoof');
    const { snapshot } = await loadSnapshot(dir);
    const first = decodeOpenStackPorts(snapshot);
    assert.equal(decodeOpenStackPorts(snapshot), first);
    const again = decodeOpenStackPorts((await loadSnapshot(dir)).snapshot);
    assert.notEqual(again, first);
    assert.deepEqual(again.map((p) => p.id), first.map((p) => p.id));
  });
});
