import { strict as assert } from 'node:assert';
import { decodeChainName } from '../../../src/core/openstack/decodeChainName';
import { decodeDeviceName, decodeVmPortDevice } from '../../../src/core/openstack/decodeDeviceName';
import { explainNeutronComment, NEUTRON_RULE_COMMENTS } from '../../../src/core/openstack/neutronRuleComments';

describe('OpenStack names decoded', () => {
  const chains: [string, Record<string, string | undefined>][] = [
    ['neutron-openvswi-i6d1e3a2b-7', { kind: 'neutron-port', agent: 'openvswi', direction: 'ingress', port: '6d1e3a2b-7', devicePrefix: 'tap6d1e3a2b-7', device: undefined, owner: 'neutron-openvswitch-agent (iptables hybrid firewall)' }],
    ['neutron-openvswi-o38833ad6-c', { direction: 'egress', port: '38833ad6-c', devicePrefix: 'tap38833ad6-c' }],
    ['neutron-openvswi-s2b9c4e71-0', { direction: 'spoof', port: '2b9c4e71-0' }],
    ['neutron-linuxbri-ie1f2a3b4-5', { kind: 'neutron-port', agent: 'linuxbri', direction: 'ingress', port: 'e1f2a3b4-5', owner: 'neutron-linuxbridge-agent (iptables firewall)' }],
    ['neutron-linuxbri-s5a7c9e1b-3', { direction: 'spoof', port: '5a7c9e1b-3', devicePrefix: 'tap5a7c9e1b-3' }],
    ['neutron-linuxbri-sg-fallback', { kind: 'neutron-agent', agent: 'linuxbri', direction: undefined }],
    // arp_protect.py appends the whole vif name: the port prefix keeps 11 characters.
    ['neutronARP-tap5a7c9e1b-3d', { kind: 'neutron-arp-protect', agent: 'linuxbri', direction: 'spoof', check: 'arp', port: '5a7c9e1b-3d', device: 'tap5a7c9e1b-3d', devicePrefix: undefined }],
    ['neutronMAC-tap5a7c9e1b-3d', { kind: 'neutron-arp-protect', direction: 'spoof', check: 'mac', port: '5a7c9e1b-3d', device: 'tap5a7c9e1b-3d' }],
    ['libvirt-I-tap0678bf1d-41', { kind: 'libvirt', direction: 'egress', port: 'tap0678bf1d-41', owner: 'libvirt nwfilter' }],
    ['libvirt-O-vnet0', { direction: 'ingress', port: 'vnet0', device: 'vnet0' }],
    ['I-tap0678bf1d-41-arp-ip', { direction: 'egress', port: 'tap0678bf1d-41', check: 'arp-ip' }],
    ['O-vnet0-ipv4', { direction: 'ingress', port: 'vnet0' }],
  ];
  for (const [name, expected] of chains) {
    it(`chain ${name}`, () => {
      const d = decodeChainName(name);
      assert.ok(d, name);
      for (const [k, v] of Object.entries(expected)) assert.equal((d as unknown as Record<string, unknown>)[k], v, `${name}.${k}`);
    });
  }

  it('agent chains, shared chains, nova, unknown', () => {
    assert.match(decodeChainName('neutron-openvswi-sg-fallback')!.meaning, /DROPPED/);
    assert.match(decodeChainName('neutron-openvswi-sg-chain')!.meaning, /dispatch/);
    assert.match(decodeChainName('neutron-l3-agent-float-snat')!.meaning, /floating IPs/);
    assert.match(decodeChainName('neutron-filter-top')!.meaning, /Shared top chain/);
    assert.match(decodeChainName('nova-compute-inst-42')!.meaning, /instance id 42/);
    assert.equal(decodeChainName('INPUT'), undefined);
    assert.equal(decodeChainName('my-own-chain'), undefined);
    assert.match(decodeChainName('neutronARP-tap5a7c9e1b-3d')!.meaning, /--arp-ip-src[\s\S]*gratuitous ARP for a VIP/);
    assert.match(decodeChainName('neutronMAC-tap5a7c9e1b-3d')!.meaning, /--among-src/);
    // User chains may be named like Object's own properties: names, not inherited methods.
    for (const n of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) assert.equal(decodeChainName(n), undefined, n);
    assert.equal(decodeChainName('neutron-openvswi-constructor')?.meaning, 'A chain of this Neutron agent.');
  });

  it('devices', () => {
    assert.deepEqual(decodeDeviceName('tap6d1e3a2b-7c'), {
      prefix: 'tap', meaning: 'the VM\'s tap device (libvirt) for the Neutron port', id: { kind: 'port', prefix: '6d1e3a2b-7c' }, portPrefix: '6d1e3a2b-7c', vmPort: true, wildcard: false,
    });
    assert.equal(decodeDeviceName('qvo6d1e3a2b-7c')!.portPrefix, '6d1e3a2b-7c');
    assert.match(decodeDeviceName('qr-+')!.meaning, /^any router internal \(subnet gateway\) port in a qrouter namespace \(`\+` matches every interface starting with `qr-`\)$/);
    assert.equal(decodeDeviceName('eth0'), undefined);
    assert.equal(decodeDeviceName('eth+')!.wildcard, true);
  });

  it('linuxbridge devices: brq carries a network id, vxlan-N a VNI, neither is a port', () => {
    const brq = decodeDeviceName('brq3f8a2c71-5d')!;
    assert.deepEqual(brq.id, { kind: 'network', prefix: '3f8a2c71-5d' });
    assert.equal(brq.portPrefix, undefined);
    assert.equal(brq.vmPort, false);
    assert.equal(decodeDeviceName('vxlan-1001')!.vni, 1001);
    assert.deepEqual(decodeDeviceName('rfp-9a3594b0-5')!.id, { kind: 'router', prefix: '9a3594b0-5' });
  });

  it('VM port devices: tap/qbr/qvb/qvo with the 11 characters a device keeps', () => {
    assert.deepEqual(decodeVmPortDevice('tap5a7c9e1b-3d'), { prefix: 'tap', portId: '5a7c9e1b-3d' });
    assert.deepEqual(decodeVmPortDevice('qbr38833ad6-c6'), { prefix: 'qbr', portId: '38833ad6-c6' });
    for (const n of ['qr-9a3594b0-52', 'brq3f8a2c71-5d', 'tap5a7c9e1b-3', 'tap+', 'vnet0', 'vxlan-1001']) assert.equal(decodeVmPortDevice(n), undefined, n);
  });

  it('every Neutron comment of iptables_comments.py is explained, and Set zone comments', () => {
    for (const c of Object.keys(NEUTRON_RULE_COMMENTS)) assert.ok(explainNeutronComment(c));
    assert.match(explainNeutronComment('Set zone for 6d1e3a2b-7c41-4a5e-9f0b-3c2d1e0f9a87')!, /Conntrack zone of port 6d1e3a2b-7c41-4a5e-9f0b-3c2d1e0f9a87/);
    // The linuxbridge agent names the tap without "tap", and zones are per network.
    assert.match(explainNeutronComment('Set zone for 5a7c9e1b-3d')!, /zone of the network of port 5a7c9e1b-3d \(tap5a7c9e1b-3d\)/);
    assert.match(explainNeutronComment('Make 5a7c9e1b-3d stateless')!, /--notrack/);
    assert.equal(explainNeutronComment('my comment'), undefined);
  });
});
