import assert from 'node:assert/strict';
import {
  decodeArpOpcode, decodeEthertype, decodeInterface, decodeIpProtocol, decodeIpv4, decodeIpv6, decodeMac, decodeMacList, decodeMasked, decodeNumber, decodePortRange,
} from '../../../src/core/ebtables/decodeEbtablesValue';

describe('decodeEbtablesValue', () => {
  it('MACs: unpadded, masked, keywords as ebtables defines them', () => {
    assert.deepEqual(decodeMac('fa:16:3e:58:1:ac'), { kind: 'mac', address: 0xfa163e5801acn, mask: 0xffffffffffffn });
    assert.deepEqual(decodeMac('fa:16:3e:12:34:56/ff:ff:ff:0:0:0'), { kind: 'mac', address: 0xfa163e000000n, mask: 0xffffff000000n });
    assert.deepEqual(decodeMac('Unicast'), { kind: 'mac', address: 0n, mask: 0x010000000000n, keyword: 'Unicast' });
    assert.deepEqual(decodeMac('multicast'), { kind: 'mac', address: 0x010000000000n, mask: 0x010000000000n, keyword: 'Multicast' });
    assert.deepEqual(decodeMac('Broadcast'), { kind: 'mac', address: 0xffffffffffffn, mask: 0xffffffffffffn, keyword: 'Broadcast' });
    assert.deepEqual(decodeMac('BGA'), { kind: 'mac', address: 0x0180c2000000n, mask: 0xffffffffffffn, keyword: 'BGA' });
    assert.equal(decodeMac('fa:16:3e:58:1'), undefined);
    assert.equal(decodeMac('fa:16:3e:58:1:ac/zz'), undefined);
  });

  it('ethertypes: names, aliases, hex, Length', () => {
    assert.deepEqual(decodeEthertype('IPv4'), { kind: 'ethertype', ethertype: 0x0800, name: 'IPv4' });
    assert.deepEqual(decodeEthertype('arp'), { kind: 'ethertype', ethertype: 0x0806, name: 'ARP' });
    assert.deepEqual(decodeEthertype('0x8035'), { kind: 'ethertype', ethertype: 0x8035, name: 'RARP' });
    assert.deepEqual(decodeEthertype('0x835'), { kind: 'ethertype', ethertype: 0x835 });
    assert.deepEqual(decodeEthertype('8021q'), { kind: 'ethertype', ethertype: 0x8100, name: '802_1Q' });
    assert.deepEqual(decodeEthertype('Length'), { kind: 'length' });
    assert.equal(decodeEthertype('IPv5'), undefined);
  });

  it('IP addresses with prefix or dotted masks, IPv6 with either', () => {
    const v = decodeIpv4('10.0.0.0/255.0.255.0');
    assert.deepEqual(v?.kind === 'ip' ? [v.cidr.address, v.cidr.mask, v.cidr.prefixLength] : [], [0x0a000000n, 0xff00ff00n, -1]);
    const w = decodeIpv4('10.16.0.0/24');
    assert.deepEqual(w?.kind === 'ip' ? [w.cidr.mask, w.cidr.prefixLength] : [], [0xffffff00n, 24]);
    assert.equal(decodeIpv4('10.16.0.0/33'), undefined);
    assert.equal(decodeIpv4('fe80::1'), undefined);
    const x = decodeIpv6('fe80::/ffff:ffff:ffff:ffff::');
    assert.equal(x?.kind === 'ip' ? x.cidr.prefixLength : 0, 64);
    const y = decodeIpv6('feed:babe::1');
    assert.equal(y?.kind === 'ip' ? y.cidr.prefixLength : 0, 128);
  });

  it('ports, opcodes, protocols, interfaces, marks, numbers, MAC lists', () => {
    assert.deepEqual(decodePortRange('80:90'), { kind: 'portRange', from: 80, to: 90 });
    assert.deepEqual(decodePortRange('22'), { kind: 'portRange', from: 22, to: 22 });
    assert.deepEqual(decodePortRange(':1024'), { kind: 'portRange', from: 0, to: 1024 });
    assert.deepEqual(decodePortRange('1024:'), { kind: 'portRange', from: 1024, to: 65535 });
    assert.equal(decodePortRange('90:80'), undefined);
    assert.equal(decodePortRange('70000'), undefined);
    assert.deepEqual(decodeArpOpcode('Request_Reverse'), { kind: 'arpOpcode', opcode: 3, name: 'Request_Reverse' });
    assert.deepEqual(decodeArpOpcode('2'), { kind: 'arpOpcode', opcode: 2, name: 'Reply' });
    assert.deepEqual(decodeArpOpcode('99'), { kind: 'arpOpcode', opcode: 99 });
    assert.deepEqual(decodeIpProtocol('vrrp'), { kind: 'ipProtocol', protocol: 112, name: 'vrrp' });
    assert.deepEqual(decodeIpProtocol('17'), { kind: 'ipProtocol', protocol: 17, name: 'udp' });
    assert.equal(decodeIpProtocol('300'), undefined);
    assert.deepEqual(decodeInterface('tap+'), { kind: 'interface', name: 'tap', wildcard: true });
    assert.equal(decodeInterface('a-very-long-interface-name'), undefined);
    assert.deepEqual(decodeMasked('0x1/0xff'), { kind: 'masked', value: 1n, mask: 0xffn });
    assert.deepEqual(decodeMasked('/0x4'), { kind: 'masked', value: 0n, mask: 4n, anyBitSet: true });
    assert.deepEqual(decodeNumber('0x10'), { kind: 'number', value: 16 });
    assert.deepEqual(decodeMacList('fa:16:3e:0:0:1,fa:16:3e:0:0:2=10.0.0.2'), { kind: 'macList', addresses: [0xfa163e000001n, 0xfa163e000002n] });
  });
});
