import { strict as assert } from 'node:assert';
import { formatIp } from '../../../src/core/net/IpAddress';
import { formatMac } from '../../../src/core/net/MacAddress';
import { parseIpAddr } from '../../../src/core/iproute/parseIpAddr';
import { assertSpans, fixture } from './helpers';

describe('parseIpAddr', () => {
  it('reads `ip -d address` of a DVR-SNAT node (hotsos): kinds, masters, bridge ports, addresses', () => {
    const text = fixture('iproute/hotsos/ip_-d_address.txt');
    const { value: links, diagnostics } = parseIpAddr(text, { file: 'ip_-d_address' });
    assert.deepEqual(diagnostics, []);
    assert.equal(links.length, 24);
    assert.equal(links.reduce((n, l) => n + l.addresses.length, 0), 13);
    assertSpans(text, links);
    const ens3 = links.find((l) => l.name === 'ens3')!;
    assert.equal(ens3.master, 'br-ens3');
    assert.equal(ens3.slaveKind, 'bridge_slave');
    assert.deepEqual(ens3.bridgeSlave, { state: 'forwarding', hairpin: false, learning: true, flood: true });
    assert.equal(formatMac(ens3.mac!), '52:54:00:e2:28:a3');
    const br = links.find((l) => l.name === 'br-ens3')!;
    assert.equal(br.kind, 'bridge');
    assert.deepEqual(br.bridge, { stpState: 0, vlanFiltering: false });
    assert.equal(br.addresses[0]!.cidr.text, '10.0.0.128/24');
    assert.equal(formatIp(br.addresses[0]!.brd!), '10.0.0.255');
    assert.equal(br.addresses[0]!.label, 'br-ens3');
    assert.equal(br.addresses[1]!.cidr.text, 'fe80::98a5:d0ff:fe3f:6793/64');
    assert.equal(br.addresses[1]!.scope, 'link');
    assert.equal(links.find((l) => l.name === 'lxdbr0')!.bridge?.vlanFiltering, true);
    const veth = links.find((l) => l.name === 'veth1883dceb')!;
    assert.equal(veth.index, 17);
    assert.equal(veth.peerName, 'if16');
    assert.equal(veth.linkNetnsId, 0);
    assert.equal(veth.kind, 'veth');
    const vx = links.find((l) => l.name === 'vxlan_sys_4789')!;
    assert.equal(vx.kind, 'vxlan');
    assert.deepEqual(vx.vxlan, { external: true });
    assert.equal(vx.slaveKind, 'openvswitch_slave');
    assert.equal(vx.master, 'ovs-system');
    assert.equal(vx.mtu, 65000);
    const tap = links.find((l) => l.name === 'tap0e778df8-ca')!;
    assert.equal(tap.kind, 'tun');
    assert.equal(tap.state, 'UNKNOWN');
    assert.equal(links.find((l) => l.name === 'ovs-system')!.kind, 'openvswitch');
    assert.deepEqual(links.find((l) => l.name === 'lo')!.flags, ['LOOPBACK', 'UP', 'LOWER_UP']);
  });

  it('reads `ip -o addr`, one address per line, grouping lines of one link', () => {
    const text = fixture('iproute/hotsos/ip_-o_addr.txt');
    const { value: links, diagnostics } = parseIpAddr(text, { file: 'ip_-o_addr' });
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(links.map((l) => `${l.index}:${l.name}:${l.addresses.length}`), [
      '1:lo:2', '3:ens4:1', '4:ens5:1', '5:ens6:1', '6:ens7:1', '7:ens8:1', '8:ens9:1', '9:br-ens3:2', '15:lxdbr0:1', '31:vxlan_sys_4789:1', '37:tap0e778df8-ca:1',
    ]);
    assertSpans(text, links);
    const a = links[7]!.addresses[0]!;
    assert.equal(a.raw, 'inet 10.0.0.128/24 brd 10.0.0.255 scope global br-ens3\\       valid_lft forever preferred_lft forever');
    assert.equal(a.validLft, 'forever');
    assert.equal(a.label, 'br-ens3');
    assert.equal(links[0]!.raw.split('\n').length, 2);
  });

  it('reads old iproute2 output (inet lines without lifetimes, lo mtu 16436) and namespaces of a DVR router', () => {
    const text = fixture('iproute/neutron-docs/ip_addr_netns_qrouter_old-iproute.txt');
    const r = parseIpAddr(text, { file: 'old' });
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.value.map((l) => [l.name, l.mtu, l.addresses.map((a) => a.cidr.text)]), [
      ['lo', 16436, ['127.0.0.1/8', '::1/128']],
      ['qr-54c9cd83-43', 1500, ['10.0.0.1/24', 'fe80::f816:3eff:fedd:c18f/64']],
      ['qg-77e0666b-cd', 1500, ['192.168.27.130/28', 'fe80::f816:3eff:fe1f:d3ec/64']],
    ]);
    assert.equal(r.value[1]!.addresses[0]!.raw, 'inet 10.0.0.1/24 brd 10.0.0.255 scope global qr-54c9cd83-43');
    assertSpans(text, r.value);
    const fip = parseIpAddr(fixture('iproute/hotsos/ip_addr_netns_fip.txt'), { file: 'fip' }).value;
    assert.equal(fip[1]!.name, 'fpr-984c22fd-6');
    assert.equal(fip[1]!.peerName, 'if2');
    assert.equal(fip[1]!.linkNetns, 'qrouter-984c22fd-64b3-4fa1-8ddd-87090f401ce5');
  });

  it('reads the seed posts: NBSP-indented `ip a` whose <FLAGS> were eaten by HTML, and DVR namespaces', () => {
    const text = fixture('seeds/001-ip_a_cirros.txt');
    const r = parseIpAddr(text, { file: '001' });
    assert.deepEqual(r.diagnostics.map((d) => [d.severity, d.line]), [['info', 1]]);
    assert.match(r.diagnostics[0]!.message, /no <FLAGS> list/);
    const eth0 = r.value[1]!;
    assert.equal(eth0.name, 'eth0');
    assert.equal(eth0.state, 'UP');
    assert.deepEqual(eth0.flags, []);
    assert.equal(formatMac(eth0.mac!), 'fa:16:3e:06:5c:27');
    assert.deepEqual(eth0.addresses[1]!.flags, ['tentative', 'flags 08']);
    assertSpans(text, r.value);
    const dvr = fixture('seeds/004-qrouter_ip_addr_show_dvr.txt');
    const d = parseIpAddr(dvr, { file: '004' });
    assert.deepEqual(d.diagnostics, []);
    assert.deepEqual(d.value[0]!.addresses.map((a) => a.cidr.text), ['169.254.109.46/31', '10.5.150.1/32']);
    assert.equal(d.value[0]!.peerName, 'if5');
    const snat = parseIpAddr(fixture('seeds/004-snat_ip_addr_show.txt'), { file: '004' }).value;
    assert.deepEqual(snat.map((l) => [l.name, l.addresses[0]!.cidr.text]), [['qg-b825f548-32', '10.5.150.0/16'], ['sg-95540cb3-85', '192.168.21.3/24']]);
  });

  it('reads secondary, peer and flag words, and reports bad lines with their position', () => {
    const text = [
      '2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP group default qlen 1000',
      '    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff',
      '    inet 10.0.0.5/24 brd 10.0.0.255 scope global dynamic noprefixroute eth0',
      '       valid_lft 86391sec preferred_lft 86391sec',
      '    inet 10.0.0.99/24 scope global secondary eth0:vip',
      '    inet 10.9.9.1 peer 10.9.9.2/32 scope global eth0',
      '    inet 10.0.0.300/24 scope global eth0',
      '    inet6 fe80::1/64 scope link frobnicated',
      'garbage here',
      '    link/ether 00:00:00:00:00:01',
      'x: eth1: <UP> mtu 1500',
    ].join('\n');
    const r = parseIpAddr(text, { file: 't' });
    const eth0 = r.value[0]!;
    assert.equal(r.value.length, 1);
    assert.deepEqual(eth0.addresses.map((a) => [a.cidr.text, a.secondary, a.flags, a.label, a.peer?.text]), [
      ['10.0.0.5/24', false, ['dynamic', 'noprefixroute'], 'eth0', undefined],
      ['10.0.0.99/24', true, [], 'eth0:vip', undefined],
      ['10.9.9.1', false, [], 'eth0', '10.9.9.2/32'],
      ['fe80::1/64', false, [], undefined, undefined],
    ]);
    assert.equal(eth0.addresses[0]!.validLft, '86391sec');
    assert.deepEqual(r.diagnostics.map((d) => [d.severity, d.line, d.column, d.message]), [
      ['error', 7, 10, "bad inet address '10.0.0.300/24'; address skipped"],
      ['warning', 8, 33, "unknown address attribute 'frobnicated'; kept in raw, ignored"],
      ['error', 9, 1, "expected an ip addr header like '2: eth0: <BROADCAST,UP> mtu 1500 ...'; line skipped"],
      ['error', 10, 5, "detail line outside any link block (no 'N: name:' header before it); skipped"],
      ['error', 11, 1, "expected an ip addr header like '2: eth0: <BROADCAST,UP> mtu 1500 ...'; line skipped"],
    ]);
    assertSpans(text, r.value);
  });
});
