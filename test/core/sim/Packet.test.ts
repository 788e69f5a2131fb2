import { strict as assert } from 'node:assert';
import { readField, withField, withFields, type Packet } from '../../../src/core/sim/Packet';

const empty: Packet = { fields: new Map() };

describe('Packet fields share OVS slots', () => {
  it('arp_spa is ip_src, arp_op is nw_proto, tcp_dst is udp_dst is icmp_code', () => {
    const p = withFields(empty, { arp_spa: 5n, arp_op: 2n, tcp_dst: 80n });
    assert.equal(readField(p, 'ip_src'), 5n);
    assert.equal(readField(p, 'nw_proto'), 2n);
    assert.equal(readField(p, 'udp_dst'), 80n);
    assert.equal(readField(p, 'icmp_code'), 80n);
  });

  it('dl_vlan / vlan_vid / vlan_pcp are views of vlan_tci; untagged dl_vlan reads 0xffff', () => {
    assert.equal(readField(empty, 'dl_vlan'), 0xffffn);
    const tagged = withField(empty, 'dl_vlan', 5n);
    assert.equal(readField(tagged, 'vlan_tci'), 0x1005n);
    assert.equal(readField(tagged, 'vlan_vid'), 0x1005n);
    const pcp = withField(tagged, 'vlan_pcp', 3n);
    assert.equal(readField(pcp, 'dl_vlan'), 5n);
    assert.equal(readField(pcp, 'vlan_pcp'), 3n);
    assert.equal(readField(withField(pcp, 'dl_vlan', 0xffffn), 'vlan_tci'), 0n);
  });

  it('xreg/xxreg overlay the 32-bit registers, masked writes keep the other bits', () => {
    const p = withField(empty, 'xreg0', 0x1111222233334444n);
    assert.equal(readField(p, 'reg0'), 0x11112222n);
    assert.equal(readField(p, 'reg1'), 0x33334444n);
    const q = withField(p, 'reg1', 0xffn, 0xf0n);
    assert.equal(readField(q, 'reg1'), 0x333344f4n);
    assert.equal(readField(withField(empty, 'xxreg0', 1n), 'reg3'), 1n);
  });
});
