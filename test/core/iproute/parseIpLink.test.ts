import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { formatIp } from '../../../src/core/net/IpAddress';
import { parseIpLink } from '../../../src/core/iproute/parseIpLink';
import { assertSpans, corpusRoot, fixture, plain } from './helpers';

describe('parseIpLink', () => {
  it('reads `ip -s -d link` with its RX/TX counter lines', () => {
    const text = fixture('iproute/hotsos/ip_-s_-d_link.txt');
    const { value: links, diagnostics } = parseIpLink(text, { file: 'ip_-s_-d_link' });
    assert.deepEqual(diagnostics, []);
    assert.equal(links.length, 24);
    assertSpans(text, links);
    const ens3 = links.find((l) => l.name === 'ens3')!;
    assert.deepEqual(ens3.stats, {
      rx: { bytes: 23781208158, packets: 25929812, errors: 0, dropped: 0, overrun: 0, mcast: 0 },
      tx: { bytes: 12454456325, packets: 25565252, errors: 0, dropped: 0, carrier: 0, collsns: 0 },
    });
    assert.equal(links.find((l) => l.name === 'br-data')!.stats!.rx['dropped'], 5801);
    // The block ends at its last counter line.
    assert.ok(ens3.raw.endsWith('12454456325 25565252 0       0       0       0'));
    assert.deepEqual(links.filter((l) => l.kind === 'openvswitch').map((l) => l.name), ['ovs-system', 'br-tun', 'br-int', 'br-ex', 'br-data']);
    assert.equal(links.filter((l) => l.slaveKind === 'bridge_slave').length, 8);
  });

  it('reads the live `ip -d link`: veth peers, bridge ports, tap and vxlan details', () => {
    const text = fixture('iproute/live/ip_-d_link.txt');
    const { value: links, diagnostics } = parseIpLink(text, { file: 'ip_-d_link' });
    assert.deepEqual(diagnostics, []);
    assertSpans(text, links);
    assert.deepEqual(links.map((l) => [l.name, l.peerName, l.kind, l.slaveKind, l.master]), [
      ['lo', undefined, undefined, undefined, undefined],
      ['qbr1234', undefined, 'bridge', undefined, undefined],
      ['br0', undefined, 'bridge', undefined, undefined],
      ['qvo1234', 'qvb1234', 'veth', undefined, undefined],
      ['qvb1234', 'qvo1234', 'veth', 'bridge_slave', 'qbr1234'],
      ['d0p', 'd0', 'veth', undefined, undefined],
      ['d0', 'd0p', 'veth', undefined, undefined],
      ['tap1234', undefined, 'tun', 'bridge_slave', 'qbr1234'],
      ['vx0', undefined, 'vxlan', 'bridge_slave', 'qbr1234'],
    ]);
    const vx = links[8]!.vxlan!;
    assert.equal(vx.id, 42);
    assert.equal(formatIp(vx.remote!), '10.0.0.2');
    assert.equal(formatIp(vx.local!), '10.1.0.1');
    assert.equal(vx.dev, 'd0');
    assert.equal(vx.dstport, 4789);
    assert.equal(links[7]!.bridgeSlave!.state, 'disabled');
  });

  it('reads `ip -o link` (lines joined by `\\`) to the same model as `ip link`', () => {
    const oneline = fixture('iproute/live/ip_-o_link.txt');
    const o = parseIpLink(oneline, { file: 'ip_-o_link' });
    assert.deepEqual(o.diagnostics, []);
    assertSpans(oneline, o.value);
    const full = parseIpLink(fixture('iproute/live/ip_-d_link.txt'), { file: 'ip_-d_link' }).value;
    // `-o` without `-d` has no kinds; everything else matches.
    const strip = (l: object): unknown => {
      const rest = plain(l) as Record<string, unknown>;
      for (const k of ['kind', 'slaveKind', 'vxlan', 'bridge', 'bridgeSlave']) delete rest[k];
      return rest;
    };
    assert.deepEqual(o.value.map(strip), full.map(strip));
    assert.equal(o.value[4]!.raw.split('\n').length, 1);
  });

  it('reads the linuxbridge node of the study notes (vxlan-N devices, link-netns names, a "(...)" cut)', function () {
    const root = corpusRoot();
    if (!root) {
      console.log('      shared corpus not found; skipped');
      this.skip();
    }
    const text = readFileSync(path.join(root, '9506-study-notes/ip_-d_link_show_linuxbridge.txt'), 'utf8');
    const r = parseIpLink(text, { file: 'linuxbridge' });
    assert.deepEqual(r.diagnostics.map((d) => [d.severity, d.line, d.column]), [['info', 1, 1]]);
    const vx = r.value.find((l) => l.name === 'vxlan-267')!;
    assert.deepEqual([vx.vxlan?.id, formatIp(vx.vxlan!.local!), vx.vxlan?.dev, vx.vxlan?.dstport, vx.master], [267, '172.16.0.11', 'eth0', 8472, 'brqc08e7dcd-4a']);
    const tap = r.value.find((l) => l.name === 'tapd8316879-dd')!;
    assert.equal(tap.linkNetns, 'qrouter-fa9a921e-7ff6-4468-a08b-5415cebeb089');
    assertSpans(text, r.value);
  });

  it('warns once per unknown header attribute and detail line, and keeps the link', () => {
    const text = [
      '5: vlan100@eth0: <BROADCAST,UP> mtu 1500 qdisc noqueue frob 7 state UP',
      '    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff',
      '    vlan protocol 802.1Q id 100 <REORDER_HDR> addrgenmode eui64',
      '    mystery stuff',
      '    altname enp0s3.100',
      '    alias uplink to the fabric',
      '6: vlan200@eth0: <BROADCAST,UP> mtu 1500 qdisc noqueue frob 8 state UP',
      '    mystery again',
      '    1 2 3',
    ].join('\n');
    const r = parseIpLink(text, { file: 't' });
    assert.equal(r.value.length, 2);
    const v = r.value[0]!;
    assert.deepEqual([v.name, v.peerName, v.kind, v.vlanId, v.state, v.altNames, v.alias], ['vlan100', 'eth0', 'vlan', 100, 'UP', ['enp0s3.100'], 'uplink to the fabric']);
    assert.deepEqual(r.diagnostics.map((d) => [d.severity, d.line, d.column, d.message]), [
      ['warning', 1, 56, "unknown link header attribute 'frob'; kept in raw, value ignored"],
      ['warning', 4, 5, "unrecognised detail line starting 'mystery'; kept in the link's raw text, not modelled"],
      ['warning', 9, 5, 'counter values without an RX:/TX: header line before them; ignored'],
    ]);
    assert.ok(r.value[1]!.raw.endsWith('1 2 3'));
  });
});
