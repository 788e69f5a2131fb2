import { strict as assert } from 'node:assert';
import { isPortName } from '../../../src/core/ovs/OvsMatch';
import { parseOvsDumpFlows, type OvsDumpFlows, type OvsFlow } from '../../../src/core/ovs/parseOvsDumpFlows';
import { assertDiagnosticsInside, assertSpan, describeDiagnostics, errorsOf, readFixture, readSeed } from './ovsTestFiles';

function parse(text: string, file = 'flows'): OvsDumpFlows {
  const r = parseOvsDumpFlows(text, { file });
  assert.deepEqual(errorsOf(r.diagnostics), [], describeDiagnostics(r.diagnostics));
  assertDiagnosticsInside(text, r.diagnostics);
  for (const f of r.value.flows) {
    assertSpan(text, f.raw, f.span, 'flow');
    assertSpan(text, f.match.raw, f.match.span, 'match');
    assert.equal(text.slice(f.actionsSpan.offset, f.actionsSpan.endOffset), f.actionsText);
    assert.equal(text.slice(f.matchSpan.offset, f.matchSpan.endOffset), f.match.raw);
    for (const m of f.match.fields) assertSpan(text, m.raw, m.span, m.nameAsWritten);
    for (const a of f.actions) if (a.raw !== '') assertSpan(text, a.raw, a.span, a.name);
  }
  return r.value;
}

function flowAt(d: OvsDumpFlows, line: number): OvsFlow {
  const f = d.flows.find((x) => x.span.line === line);
  assert.ok(f, `no flow on line ${line}`);
  return f;
}

function fieldText(f: OvsFlow): string[] {
  return f.match.fields.map((m) => `${m.field}=${isPortName(m.value) ? m.value.portName : `${m.value.value.toString(16)}/${m.value.mask.toString(16)}`}`);
}

describe('parseOvsDumpFlows', () => {
  it('reads hotsos OpenFlow 1.0 br-int (neutron OVS firewall, DVR): stats, matches, actions', () => {
    const d = parse(readFixture('hotsos/ovs-ofctl_dump-flows_br-int.txt'));
    assert.equal(d.source, 'ovs-ofctl');
    assert.deepEqual([d.header?.reply, d.header?.openflowVersion, d.header?.raw], ['NXST_FLOW', '1.0', 'NXST_FLOW reply (xid=0x4):']);
    assert.equal(d.flows.length, 110);
    assert.equal(d.withStats, true);
    assert.equal(d.portNames, false);
    const f = flowAt(d, 2);
    assert.deepEqual(
      [f.cookie, f.duration, f.table, f.nPackets, f.nBytes, f.idleAge, f.priority, f.actions.map((a) => a.kind)],
      [0x565d7680690eea02n, 63605.461, 0, 0, 0, 63605, 65535, ['drop']],
    );
    assert.deepEqual(fieldText(f), ['vlan_tci=fff/1fff']);
    const conj = flowAt(d, 93);
    assert.deepEqual([conj.table, conj.priority], [82, 70]);
    assert.deepEqual(fieldText(conj), ['conj_id=10/ffffffff', 'ct_state=2/e', 'eth_type=800/ffff', 'reg5=9/ffffffff']);
    assert.deepEqual(conj.actions.map((a) => a.kind), ['load', 'output']);
    const ct = flowAt(d, 55);
    const a = ct.actions[0];
    assert.ok(a?.kind === 'ct');
    assert.deepEqual([a.commit, a.zoneField?.text, a.exec.map((x) => x.kind)], [true, 'NXM_NX_REG6[0..15]', ['load']]);
    assert.equal(ct.actionsText, 'ct(commit,zone=NXM_NX_REG6[0..15],exec(load:0x1->NXM_NX_CT_MARK[]))');
    assert.equal(ct.match.raw, 'priority=40,ct_state=+est,ip,reg5=0x9');
    const tables = [...new Set(d.flows.map((x) => x.table))];
    assert.deepEqual(tables, [0, 1, 2, 3, 23, 24, 60, 62, 71, 72, 73, 81, 82, 91, 92, 93, 94]);
  });

  it('reads the same flows from the OpenFlow 1.3 and 1.4 dumps (goto_table, set_field, reset_counts)', () => {
    const of10 = parse(readFixture('hotsos/ovs-ofctl_dump-flows_br-int.txt'));
    for (const [file, version] of [['hotsos/ovs-ofctl_-O_OpenFlow13_dump-flows_br-int.txt', '1.3'], ['hotsos/ovs-ofctl_-O_OpenFlow14_dump-flows_br-int.txt', '1.4']] as const) {
      const d = parse(readFixture(file));
      assert.deepEqual([d.header?.reply, d.header?.openflowVersion], ['OFPST_FLOW', version]);
      assert.equal(d.flows.length, of10.flows.length);
      const resets = d.flows.filter((f) => f.flags.includes('reset_counts'));
      assert.ok(resets.length >= 10, file);
      assert.deepEqual(flowAt(d, 30).flags, ['reset_counts']);
      assert.deepEqual([flowAt(d, 30).table, flowAt(d, 30).priority, flowAt(d, 30).match.raw], [71, 110, 'priority=110,ct_state=+trk']);
      // Same match for each (table, priority, match text) in both protocol versions.
      const key = (f: OvsFlow): string => `${f.table}/${f.priority}/${fieldText(f).join(',')}`;
      assert.deepEqual(d.flows.map(key).sort(), of10.flows.map(key).sort());
      assert.ok(d.flows.some((f) => f.actions.some((x) => x.kind === 'goto_table')));
    }
  });

  it('reads hard_timeout, learn and tunnel flows of br-tun (OpenFlow 1.3)', () => {
    const d = parse(readFixture('hotsos/ovs-ofctl_-O_OpenFlow13_dump-flows_br-tun.txt'));
    assert.equal(d.flows.length, 39);
    const learned = flowAt(d, 25);
    assert.deepEqual([learned.table, learned.hardTimeout, learned.priority], [20, 300, 1]);
    assert.deepEqual(fieldText(learned), ['vlan_tci=1/fff', 'eth_dst=fa163e7b53a9/ffffffffffff']);
    const learn = flowAt(d, 20).actions[0];
    assert.ok(learn?.kind === 'learn');
    assert.deepEqual([learn.table, learn.hardTimeout, learn.specs.length], [20, 300, 5]);
    const push = flowAt(d, 13);
    assert.deepEqual(push.actions.map((a) => a.kind), ['push_vlan', 'set_field', 'goto_table']);
    assert.deepEqual(fieldText(push), ['tun_id=3e9/ffffffffffffffff']);
  });

  it('reads --names --no-stats output (faucet tutorial, OpenFlow 1.3, no header)', () => {
    const text = readFixture('ovs-docs/ovs-ofctl_-OOpenFlow13_--names_--no-stats_dump-flows_faucet_table0.txt');
    const d = parse(text);
    assert.equal(d.header, undefined);
    assert.deepEqual([d.withStats, d.portNames], [false, true]);
    assert.equal(d.flows.length, 7);
    const first = d.flows[0]!;
    assert.deepEqual([first.cookie, first.duration, first.table, first.priority], [0n, undefined, 0, 9099]);
    assert.deepEqual(fieldText(first), ['eth_type=800/ffff', 'nw_proto=6/ff', 'in_port=p1', 'tcp_dst=1f90/ffff']);
    assert.deepEqual(d.flows.map((f) => f.actions.map((a) => a.kind).join()), ['drop', 'goto_table', 'goto_table', 'goto_table', 'goto_table', 'goto_table', 'drop']);
  });

  it('reads OpenFlow 1.5 output (idle_age before priority)', () => {
    const d = parse(readFixture('hotsos-sunbeam/ovs-ofctl_-O_OpenFlow15_dump-flows_br-ex.txt'));
    assert.deepEqual([d.header?.openflowVersion, d.flows[0]?.idleAge, d.flows[0]?.priority], ['1.5', 36081, 0]);
  });

  it('reads OVS 2.15+ flag/importance forms as printed by -O OpenFlow15', () => {
    const text = [
      'OFPST_FLOW reply (OF1.5) (xid=0x2):',
      ' cookie=0x1234, duration=5.287s, table=72, n_packets=0, n_bytes=0, idle_timeout=60, hard_timeout=120, send_flow_rem check_overlap importance=5, idle_age=5, priority=10,ip actions=resubmit:2',
      ' cookie=0x0, duration=5.287s, table=72, n_packets=0, n_bytes=0, reset_counts idle_age=5, priority=5 actions=drop',
      ' table=72, reset_counts priority=5 actions=drop',
    ].join('\n');
    const d = parse(text);
    const [a, b, c] = d.flows;
    assert.deepEqual([a?.flags, a?.importance, a?.idleTimeout, a?.hardTimeout, a?.idleAge, a?.cookie], [['send_flow_rem', 'check_overlap'], 5, 60, 120, 5, 0x1234n]);
    assert.deepEqual([b?.flags, b?.idleAge, b?.priority], [['reset_counts'], 5, 5]);
    assert.deepEqual([c?.flags, c?.table, c?.duration], [['reset_counts'], 72, undefined]);
  });

  it('reads ovs-appctl bridge/dump-flows --offload-stats (table_id, whole seconds, ",actions=")', () => {
    const d = parse(readFixture('hotsos/ovs-appctl_bridge.dump-flows_--offload-stats_br-int.txt'));
    assert.equal(d.source, 'bridge/dump-flows');
    assert.equal(d.flows.length, 114);
    const first = d.flows[0]!;
    assert.deepEqual([first.table, first.duration, first.nOffloadPackets, first.priority, first.actionsText], [0, 63605, 0, 65535, 'drop']);
    const t1 = d.flows.find((f) => f.table === 1)!;
    assert.deepEqual([t1.duration, t1.priority, t1.match.raw], [503, 20, 'priority=20,dl_vlan=3,dl_dst=fa:16:3e:87:45:fc']);
  });

  it('reads hidden flows of bridge/dump-flows (priority above 65535)', () => {
    const d = parse('table_id=254, duration=47s, n_packets=0, n_bytes=0, priority=0,reg0=0x1,actions=controller(reason=)\nduration=1s, n_packets=0, n_bytes=0, priority=180001,in_port=1,actions=drop\n');
    assert.deepEqual(d.flows.map((f) => [f.table, f.priority]), [[254, 0], [0, 180001]]);
  });

  it('reads the seed 004 DVR dumps (hard_age, flows without priority)', () => {
    const brInt = parse(readSeed('004-ovs-ofctl_dump-flows_br-int.txt'));
    assert.equal(brInt.flows.length, 18);
    const spoof = brInt.flows.find((f) => f.table === 24 && f.priority === 2 && f.match.raw.includes('arp'))!;
    assert.deepEqual(fieldText(spoof), ['eth_type=806/ffff', 'in_port=8/ffff', 'arp_spa=c0a81605/ffffffff']);
    assert.equal(brInt.flows[2]?.hardAge, 65534);
    const brTun = parse(readSeed('004-ovs-ofctl_dump-flows_br-tun.txt'));
    assert.equal(brTun.flows.length, 32);
    const flood = brTun.flows.find((f) => f.span.line === 31)!;
    assert.deepEqual([flood.priority, flood.hardAge, flood.match.raw], [32768, 4156, 'dl_vlan=3']);
    assert.deepEqual(flood.actions.map((a) => a.kind), ['pop_vlan', 'set_tunnel', 'output', 'output']);
  });

  it('reads an add-flows file (the syntax operators write)', () => {
    const d = parse('table=0,priority=65535,dl_vlan=4095,actions=drop\ntable=72,cookie=0x1234,idle_timeout=60,send_flow_rem,priority=10,ip,actions=resubmit(,73)\ntable=72,priority=5,reset_counts,actions=\n');
    assert.deepEqual(d.flows.map((f) => [f.table, f.priority, f.cookie, f.flags.join()]), [[0, 65535, 0n, ''], [72, 10, 0x1234n, 'send_flow_rem'], [72, 5, 0n, 'reset_counts']]);
    assert.deepEqual(d.flows[2]?.actions.map((a) => [a.kind, a.kind === 'drop' && a.implicit]), [['drop', true]]);
  });

  it('defaults priority to 32768 and gives a catch-all an empty match at the actions', () => {
    const text = ' cookie=0x0, duration=1.5s, table=3, n_packets=1, n_bytes=60 actions=NORMAL\n';
    const d = parse(text);
    const f = d.flows[0]!;
    assert.deepEqual([f.priority, f.table, f.match.fields.length, f.match.raw], [32768, 3, 0, '']);
    assert.equal(f.matchSpan.offset, text.indexOf('actions='));
  });

  it('reports lines that are not flows, decode errors and log lines, and keeps the rest', () => {
    const text = [
      'NXST_FLOW reply (xid=0x4):',
      ' cookie=0x0, duration=1.0s, table=0, n_packets=0, n_bytes=0, priority=1 actions=drop',
      'this is not a flow',
      '***decode error: OFPBAC_UNSUPPORTED_ORDER***',
      '00000000  01 11 0e 30 00 00 00 04-ff ff 00 00 00 00 23 20 |...0..........# |',
      '2026-11-22T03:05:17Z|00001|ofp_actions|WARN|invalid instruction ordering',
      ' cookie=0xZZ, duration=abc, table=999, n_packets=0, n_bytes=0, priority=2 actions=drop',
    ].join('\n');
    const r = parseOvsDumpFlows(text, { file: 'bad' });
    assert.equal(r.value.flows.length, 2);
    assert.deepEqual(r.diagnostics.map((d) => [d.severity, d.line, d.column, d.message]), [
      ['error', 3, 1, 'not an OVS flow (no "actions="); line skipped'],
      ['warning', 4, 1, 'ovs-ofctl could not decode a reply ("***decode error: OFPBAC_UNSUPPORTED_ORDER***"); this line and its hex dump are skipped, flows in it are missing'],
      ['warning', 6, 1, 'an ovs-ofctl log message inside the dump; skipped'],
      ['error', 7, 9, 'cookie "0xZZ" is not a number; ignored'],
      ['error', 7, 24, 'duration "abc" is not a duration like 12.5s; ignored'],
      ['error', 7, 35, 'table "999" is not a table number; ignored'],
    ]);
    assertDiagnosticsInside(text, r.diagnostics);
  });

  it('refuses binary input without throwing', () => {
    const r = parseOvsDumpFlows('\u0000\u0001\u0002garbage', { file: 'bin' });
    assert.deepEqual(r.value.flows, []);
    assert.equal(r.diagnostics[0]?.message, 'this file is binary, not ovs-ofctl dump-flows output; nothing read');
  });
});

describe('parseOvsDumpFlows: a large dump in several replies', () => {
  it('reads `NXST_FLOW reply (xid=0x4): flags=[more]` headers without errors or warnings', () => {
    const t = 'NXST_FLOW reply (xid=0x4): flags=[more]\n cookie=0x0, duration=1.0s, table=0, n_packets=0, n_bytes=0, priority=1 actions=drop\n' +
      'NXST_FLOW reply (xid=0x4):\n cookie=0x0, duration=1.0s, table=0, n_packets=0, n_bytes=0, priority=2 actions=drop\n';
    const r = parseOvsDumpFlows(t, { file: 'x' });
    assert.equal(r.value.flows.length, 2);
    assert.deepEqual(r.diagnostics, []);
  });
});
