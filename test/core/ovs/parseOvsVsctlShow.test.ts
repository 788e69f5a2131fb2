import { strict as assert } from 'node:assert';
import { parseOvsdbMap, parseOvsVsctlShow, type OvsVsctlShow } from '../../../src/core/ovs/parseOvsVsctlShow';
import { assertDiagnosticsInside, assertSpan, readFixture, readSeed } from './ovsTestFiles';

function parse(text: string): { value: OvsVsctlShow; infos: string[] } {
  const r = parseOvsVsctlShow(text, { file: 'vsctl' });
  assert.deepEqual(r.diagnostics.filter((d) => d.severity !== 'info'), []);
  for (const b of r.value.bridges) {
    assertSpan(text, b.raw, b.span, b.name);
    for (const c of b.controllers) assertSpan(text, c.raw, c.span, c.name);
    for (const p of b.ports) {
      assertSpan(text, p.raw, p.span, p.name);
      for (const i of p.interfaces) assertSpan(text, i.raw, i.span, i.name);
    }
  }
  return { value: r.value, infos: r.diagnostics.map((d) => d.message) };
}

describe('parseOvsVsctlShow', () => {
  it('reads the hotsos tree: manager, controllers, fail_mode, tags, patch and vxlan options', () => {
    const { value: s } = parse(readFixture('hotsos/ovs-vsctl_show.txt'));
    assert.deepEqual([s.uuid, s.ovsVersion], ['b8a20458-9009-41a0-aa49-71bcc0080537', '2.13.3']);
    assert.deepEqual(s.managers.map((m) => [m.target, m.isConnected]), [['ptcp:6640:127.0.0.1', true]]);
    assert.deepEqual(s.bridges.map((b) => [b.name, b.failMode, b.datapathType, b.ports.length]), [
      ['br-data', 'secure', 'system', 3], ['br-tun', 'secure', 'system', 4], ['br-ex', undefined, 'system', 1], ['br-int', 'secure', 'system', 9],
    ]);
    const brInt = s.bridges[3]!;
    assert.deepEqual(brInt.controllers.map((c) => [c.target, c.isConnected, c.raw]), [['tcp:127.0.0.1:6633', true, 'Controller "tcp:127.0.0.1:6633"']]);
    assert.deepEqual(brInt.ports.map((p) => [p.name, p.tag ?? null]), [
      ['sg-189f4c40-9d', 3], ['tap0e778df8-ca', 3], ['qr-3a70b31c-3f', 3], ['int-br-data', null], ['ha-550dc175-c0', 1],
      ['qg-14f81a43-69', 2], ['patch-tun', null], ['br-int', null], ['fg-c8dcce74-c4', 2],
    ]);
    const patch = brInt.ports[6]!.interfaces[0]!;
    assert.deepEqual([patch.name, patch.type, patch.options], ['patch-tun', 'patch', { peer: 'patch-int' }]);
    assert.equal(brInt.ports[1]!.interfaces[0]!.type, '');
    const vx = s.bridges[1]!.ports[0]!.interfaces[0]!;
    assert.deepEqual([vx.type, vx.options], ['vxlan', { df_default: 'true', egress_pkt_mark: '0', in_key: 'flow', local_ip: '10.0.0.128', out_key: 'flow', remote_ip: '10.0.0.133' }]);
  });

  it('reports interface errors as info and keeps the interface', () => {
    const text = [
      '698493db-95ef-4c31-b419-56b3d4096f2b',
      '    Bridge br-int',
      '        Port tap0ab9a23c-99',
      '            tag: 1',
      '            Interface tap0ab9a23c-99',
      '                error: "could not open network device tap0ab9a23c-99 (No such device)"',
      '    ovs_version: "3.3.1"',
    ].join('\n');
    const { value: s, infos } = parse(text);
    const iface = s.bridges[0]!.ports[0]!.interfaces[0]!;
    assert.equal(iface.error, 'could not open network device tap0ab9a23c-99 (No such device)');
    assert.deepEqual(infos, ['interface tap0ab9a23c-99: could not open network device tap0ab9a23c-99 (No such device)']);
    assert.equal(s.ovsVersion, '3.3.1');
  });

  it('reads old OVS 1.4 output with quoted names (neutron docs)', () => {
    const { value: s } = parse(readFixture('neutron-docs/ovs-vsctl_show_devstack-ovs-1.4.txt'));
    assert.deepEqual(s.bridges.map((b) => b.name), ['br-int', 'br-eth1', 'br-ex']);
    assert.deepEqual(s.bridges[0]!.ports.map((p) => p.name), ['qr-0ba8700e-da', 'br-int', 'int-br-ex', 'tapbb60d1bb-0c', 'qvob2044570-ad', 'int-br-eth1']);
    assert.equal(s.bridges[0]!.ports[0]!.raw, 'Port "qr-0ba8700e-da"');
    assert.equal(s.ovsVersion, '1.4.0+build0');
  });

  it('reads the seed 004 fragment indented with non-breaking spaces, unevenly', () => {
    const { value: s } = parse(readSeed('004-ovs-vsctl_show_fragment.txt'));
    assert.equal(s.uuid, undefined);
    assert.deepEqual(s.bridges.map((b) => [b.name, b.failMode, b.controllers.length, b.ports.map((p) => p.name)]), [
      ['br-ex', 'secure', 1, ['ens7', 'br-ex', 'phy-br-ex']],
      ['br-int', undefined, 0, ['fg-8e1bdebc-b0']],
    ]);
    assert.deepEqual(s.bridges[0]!.ports[2]!.interfaces[0]!.options, { peer: 'int-br-ex' });
    assert.deepEqual([s.bridges[1]!.ports[0]!.tag, s.bridges[1]!.ports[0]!.interfaces[0]!.type], [2, 'internal']);
  });

  it('reads OVN geneve options and keeps unknown keys as attributes', () => {
    const text = 'x\n    Bridge br-int\n        Port p\n            trunks: [10, 20]\n            bond_mode: balance-slb\n            Interface ovn-32a2f4-0\n                type: geneve\n                options: {csum="true", key=flow, remote_ip="172.16.0.31"}\n                bfd_status: {state=up}\n';
    const r = parseOvsVsctlShow(text, { file: 'v' });
    assert.deepEqual(r.diagnostics.map((d) => [d.line, d.message]), [[1, 'not a line of ovs-vsctl show output; skipped']]);
    const p = r.value.bridges[0]!.ports[0]!;
    assert.deepEqual([p.trunks, p.attributes], [[10, 20], { bond_mode: 'balance-slb' }]);
    assert.deepEqual([p.interfaces[0]!.options, p.interfaces[0]!.attributes], [{ csum: 'true', key: 'flow', remote_ip: '172.16.0.31' }, { bfd_status: '{state=up}' }]);
    assertDiagnosticsInside(text, r.diagnostics);
  });

  it('reports ports and interfaces outside their parents', () => {
    const r = parseOvsVsctlShow('        Interface lonely\n    Port orphan\n', { file: 'v' });
    assert.deepEqual(r.diagnostics.map((d) => d.message), ['Interface lonely outside any Port; skipped', 'Port orphan outside any Bridge; skipped']);
  });

  it('parses OVSDB maps with quoted commas and escapes, and stores __proto__ as a plain key', () => {
    assert.deepEqual(parseOvsdbMap('{a="x, y", b=c, "q"="\\"z\\""}'), { a: 'x, y', b: 'c', q: '"z"' });
    const m = parseOvsdbMap('{__proto__=1}')!;
    assert.equal(Object.getPrototypeOf(m), Object.prototype);
    assert.equal(m['__proto__' as string], '1');
    assert.equal(parseOvsdbMap('not a map'), undefined);
  });
});
