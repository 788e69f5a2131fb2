import { strict as assert } from 'node:assert';
import { parseOvsOfctlShow } from '../../../src/core/ovs/parseOvsOfctlShow';
import { assertDiagnosticsInside, assertSpan, readFixture } from './ovsTestFiles';

function parse(text: string): ReturnType<typeof parseOvsOfctlShow>['value'] {
  const r = parseOvsOfctlShow(text, { file: 'show' });
  assert.deepEqual(r.diagnostics, []);
  for (const p of r.value.ports) assertSpan(text, p.raw, p.span, p.name);
  return r.value;
}

describe('parseOvsOfctlShow', () => {
  it('reads ovs-ofctl show br-int (OpenFlow 1.0): features, ports, flags, speeds', () => {
    const s = parse(readFixture('hotsos/ovs-ofctl_show_br-int.txt'));
    assert.deepEqual([s.kind, s.datapathId, s.nTables, s.nBuffers, s.openflowVersion], ['show', '00002e1335c82646', 254, 0, undefined]);
    assert.deepEqual(s.capabilities, ['FLOW_STATS', 'TABLE_STATS', 'PORT_STATS', 'QUEUE_STATS', 'ARP_MATCH_IP']);
    assert.equal(s.actions.length, 12);
    assert.deepEqual(s.ports.map((p) => [p.ofport, p.name]), [
      [1, 'int-br-data'], [2, 'patch-tun'], [3, 'ha-550dc175-c0'], [4, 'fg-c8dcce74-c4'], [5, 'qg-14f81a43-69'],
      [6, 'qr-3a70b31c-3f'], [7, 'sg-189f4c40-9d'], [9, 'tap0e778df8-ca'], [65534, 'br-int'],
    ]);
    const tap = s.ports[7]!;
    assert.deepEqual([tap.macText, tap.mac, tap.config, tap.state, tap.current, tap.speedNowMbps, tap.speedMaxMbps], ['fe:16:3e:a7:45:cb', 0xfe163ea745cbn, [], [], ['10MB-FD', 'COPPER'], 10, 0]);
    const local = s.ports[8]!;
    assert.deepEqual([local.ofportText, local.config, local.state, local.raw], ['LOCAL', ['PORT_DOWN'], ['LINK_DOWN'], 'LOCAL(br-int): addr:2e:13:35:c8:26:46']);
    assert.deepEqual([s.fragHandling, s.missSendLen], ['normal', 0]);
  });

  it('reads the OpenFlow 1.3 form (port desc reply, LIVE state) and dump-ports-desc', () => {
    const s = parse(readFixture('hotsos/ovs-ofctl_-O_OpenFlow13_show_br-int.txt'));
    assert.deepEqual([s.kind, s.openflowVersion, s.ports.length, s.ports[0]?.state], ['show', '1.3', 9, ['LIVE']]);
    const d = parse(readFixture('hotsos/ovs-ofctl_dump-ports-desc_br-int.txt'));
    assert.deepEqual([d.kind, d.datapathId, d.ports.length, d.ports[2]?.name], ['dump-ports-desc', undefined, 9, 'ha-550dc175-c0']);
  });

  it('keeps unknown port lines as attributes and reports stray lines', () => {
    const text = 'OFPT_FEATURES_REPLY (xid=0x2): dpid:0000000000000001\n 1(p1): addr:aa:55:aa:55:00:0f\n     config:     0\n     mystery:    yes\nstray line\n 2(p2): addr:zz\n';
    const r = parseOvsOfctlShow(text, { file: 'show' });
    assert.deepEqual(r.value.ports[0]?.attributes, { mystery: 'yes' });
    assert.deepEqual(r.diagnostics.map((d) => [d.severity, d.line, d.message]), [
      ['error', 5, 'not a line of ovs-ofctl show / dump-ports-desc output; skipped'],
      ['error', 6, 'port p2: "zz" is not a MAC address'],
    ]);
    assertDiagnosticsInside(text, r.diagnostics);
    assert.deepEqual(r.value.ports.map((p) => [p.name, p.mac]), [['p1', 0xaa55aa55000fn], ['p2', undefined]]);
  });
});
