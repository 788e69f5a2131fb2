import { strict as assert } from 'node:assert';
import { decodeChainName } from '../../../src/core/editor/decodeChainName';
import { decodeDeviceName } from '../../../src/core/editor/decodeDeviceName';
import { explainNeutronComment, NEUTRON_RULE_COMMENTS } from '../../../src/core/editor/neutronRuleComments';

describe('OpenStack names decoded', () => {
  const chains: [string, Record<string, string | undefined>][] = [
    ['neutron-openvswi-i6d1e3a2b-7', { direction: 'ingress', port: '6d1e3a2b-7', device: 'tap6d1e3a2b-7', owner: 'neutron-openvswitch-agent (iptables hybrid firewall)' }],
    ['neutron-openvswi-o38833ad6-c', { direction: 'egress', port: '38833ad6-c', device: 'tap38833ad6-c' }],
    ['neutron-openvswi-s2b9c4e71-0', { direction: 'spoof', port: '2b9c4e71-0' }],
    ['neutron-linuxbri-ie1f2a3b4-5', { direction: 'ingress', port: 'e1f2a3b4-5', owner: 'neutron-linuxbridge-agent (iptables firewall)' }],
    ['libvirt-I-tap0678bf1d-41', { direction: 'egress', port: 'tap0678bf1d-41', owner: 'libvirt nwfilter' }],
    ['libvirt-O-vnet0', { direction: 'ingress', port: 'vnet0' }],
    ['I-tap0678bf1d-41-arp-ip', { direction: 'egress', port: 'tap0678bf1d-41' }],
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
  });

  it('devices', () => {
    assert.deepEqual(decodeDeviceName('tap6d1e3a2b-7c'), { meaning: 'the VM\'s tap device (libvirt) for the Neutron port', portPrefix: '6d1e3a2b-7c', wildcard: false });
    assert.equal(decodeDeviceName('qvo6d1e3a2b-7c')!.portPrefix, '6d1e3a2b-7c');
    assert.match(decodeDeviceName('qr-+')!.meaning, /^any router internal \(subnet gateway\) port in a qrouter namespace \(`\+` matches every interface starting with `qr-`\)$/);
    assert.equal(decodeDeviceName('eth0'), undefined);
    assert.equal(decodeDeviceName('eth+')!.wildcard, true);
  });

  it('every Neutron comment of iptables_comments.py is explained, and Set zone comments', () => {
    for (const c of Object.keys(NEUTRON_RULE_COMMENTS)) assert.ok(explainNeutronComment(c));
    assert.match(explainNeutronComment('Set zone for 6d1e3a2b-7c41-4a5e-9f0b-3c2d1e0f9a87')!, /Conntrack zone of port 6d1e3a2b-7c41-4a5e-9f0b-3c2d1e0f9a87/);
    assert.equal(explainNeutronComment('my comment'), undefined);
  });
});
