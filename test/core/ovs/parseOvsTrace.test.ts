import { strict as assert } from 'node:assert';
import { parseOvsTrace, type OvsTrace } from '../../../src/core/ovs/parseOvsTrace';
import { assertDiagnosticsInside, assertSpan, describeDiagnostics, readFixture } from './ovsTestFiles';

function parse(text: string): OvsTrace {
  const r = parseOvsTrace(text, { file: 'trace' });
  assert.deepEqual(r.diagnostics, [], describeDiagnostics(r.diagnostics));
  for (const s of r.value.steps) {
    assertSpan(text, s.raw, s.span, `step ${s.table}`);
    for (const l of s.lines) assertSpan(text, l.raw, l.span, l.text);
  }
  return r.value;
}

/** `bridge table/priority` of each step. */
function path(t: OvsTrace): string[] {
  return t.steps.map((s) => `${s.bridge ?? '?'} ${s.table}/${s.noMatch ? 'miss' : String(s.priority)}`);
}

describe('parseOvsTrace', () => {
  it('reads the tracing topic example: flow, steps, matched flows, datapath actions', () => {
    const t = parse(readFixture('ovs-docs/ovs-appctl_ofproto-trace_tracing-topic.txt'));
    assert.equal(t.format, 'tree');
    assert.equal(t.bridge, 'br0');
    assert.ok(t.flowText.startsWith('tcp,in_port=3,vlan_tci=0x0000'));
    assert.deepEqual(path(t), ['br0 0/32768', 'br0 2/32768']);
    assert.deepEqual(t.steps.map((s) => s.matchText), ['ip,in_port=3,nw_src=192.0.2.0/24', 'tcp,tp_dst=22']);
    assert.deepEqual(t.steps[1]?.match?.fields.map((f) => f.field), ['eth_type', 'nw_proto', 'tcp_dst']);
    assert.deepEqual(t.steps.map((s) => s.actions.map((a) => a.kind)), [['resubmit'], ['output']]);
    assert.deepEqual([t.finalFlow, t.megaflow, t.datapathActions], ['unchanged', 'recirc_id=0,tcp,in_port=3,nw_src=192.0.2.0/24,nw_frag=no,tp_dst=22', '1']);
    assert.deepEqual(t.steps.map((s) => [s.depth, s.nesting, s.parent]), [[0, 0, undefined], [0, 1, 0]]);
  });

  it('reads cookies, controller actions and warnings (faucet flood)', () => {
    const t = parse(readFixture('ovs-docs/ovs-appctl_ofproto-trace_faucet_flood.txt'));
    assert.deepEqual(path(t), ['br0 0/9000', 'br0 1/9000', 'br0 2/0', 'br0 3/9000']);
    assert.deepEqual(t.steps.map((s) => s.cookie), [0x5adc15c0n, 0x5adc15c0n, 0x5adc15c0n, 0x5adc15c0n]);
    assert.equal(t.steps[2]?.matchText, '');
    assert.deepEqual(t.steps[3]?.lines.map((l) => [l.kind, l.text]), [
      ['action', 'pop_vlan'], ['action', 'output:1'], ['warning', 'skipping output to input port'], ['action', 'output:2'], ['action', 'output:3'],
    ]);
    assert.ok(t.datapathActions?.startsWith('push_vlan(vid=100,pcp=0),userspace('));
  });

  it('nests a non-tail resubmit and reads "No match." (OVS advanced tutorial)', () => {
    const t = parse(readFixture('ovs-docs/ovs-appctl_ofproto-trace_learn_resubmit.txt'));
    assert.deepEqual(path(t), ['br0 0/0', 'br0 1/99', 'br0 2/32768', 'br0 3/50', 'br0 10/32768', 'br0 4/miss']);
    assert.deepEqual(t.steps.map((s) => [s.depth, s.nesting, s.parent]), [
      [0, 0, undefined], [0, 1, 0], [0, 2, 1], [0, 3, 2], [1, 4, 3], [0, 4, 3],
    ]);
    assert.equal(t.steps[5]?.resultText, 'No match.');
    assert.deepEqual(t.steps[2]?.lines.map((l) => l.kind), ['action', 'detail', 'action']);
    assert.equal(t.datapathActions, undefined);
  });

  it('reads the OVN devstack trace through 29 tables', () => {
    const t = parse(readFixture('ovn-docs/ovs-appctl_ofproto-trace_br-int_ovn-devstack.txt'));
    assert.equal(t.steps.length, 29);
    assert.equal(t.steps.at(-1)?.table, 65);
    assert.deepEqual(t.steps.at(-1)?.actions.map((a) => a.kind), ['output']);
    assert.equal(t.datapathActions, '4');
    assert.equal(t.steps[1]?.cookie, 0x6dcc418an);
  });

  it('reads a trace that stops at ct() (datapath-flow input)', () => {
    const t = parse(readFixture('ovn-docs/ovs-appctl_ofproto-trace_datapath-flow_ct_recirc.txt'));
    assert.deepEqual(t.steps.at(-1)?.actions.map((a) => a.kind), ['ct', 'drop']);
    assert.equal(t.datapathActions, 'ct(zone=8),recirc(0xb)');
  });

  it('follows a patch port into another bridge and back, and a recirculation pass (OVS 3.1 output)', () => {
    const text = [
      'Flow: udp,in_port=2,vlan_tci=0x0000,dl_src=00:00:00:00:00:00,dl_dst=00:00:00:00:00:00,nw_src=1.1.1.1,nw_dst=2.2.2.2,nw_tos=0,nw_ecn=0,nw_ttl=0,nw_frag=no,tp_src=0,tp_dst=53',
      '',
      'bridge("br-int")',
      '----------------',
      ' 0. udp,in_port=2, priority 200',
      '    resubmit(,5)',
      ' 5. in_port=2, priority 10',
      '    resubmit(,6)',
      '     6. priority 1',
      '            set_field:0x1->reg0',
      '    output:10',
      '',
      '    bridge("br-tun")',
      '    ----------------',
      '         0. in_port=1, priority 1',
      '            resubmit(,2)',
      '         2. priority 1',
      '            set_field:0x5->tun_id',
      '            LOCAL',
      '    resubmit(,7)',
      ' 7. priority 1',
      '    group:1',
      '     -> no live bucket',
      '',
      'Final flow: unchanged',
      'Megaflow: recirc_id=0,eth,udp,in_port=2,nw_frag=no',
      'Datapath actions: 5,hash(sym_l4(0)),recirc(0x1)',
      '',
      '===============================================================================',
      'recirc(0x1) - resume conntrack with default ct_state=trk|new (use --ct-next to customize)',
      '===============================================================================',
      '',
      'Flow: recirc_id=0x1,ct_state=new|trk,eth,udp,in_port=2,nw_frag=no',
      '',
      'bridge("br-int")',
      '----------------',
      '    thaw',
      '        Resuming from table 72',
      '72. ip, priority 10, cookie 0x1234',
      '    resubmit(,73)',
      '73. priority 1',
      '    drop',
      '',
      'Final flow: unchanged',
      'Megaflow: recirc_id=0x1,eth,ip,in_port=2,nw_frag=no',
      'Datapath actions: drop',
    ].join('\n');
    const t = parse(text);
    assert.deepEqual(path(t), ['br-int 0/200', 'br-int 5/10', 'br-int 6/1', 'br-tun 0/1', 'br-tun 2/1', 'br-int 7/1', 'br-int 72/10', 'br-int 73/1']);
    assert.deepEqual(t.steps.map((s) => [s.pass, s.nesting, s.parent]), [
      [0, 0, undefined], [0, 1, 0], [0, 2, 1], [0, 2, 1], [0, 3, 3], [0, 2, 1], [1, 0, undefined], [1, 1, 6],
    ]);
    assert.deepEqual(t.steps[1]?.actions.map((a) => a.kind), ['resubmit', 'output', 'resubmit']);
    assert.deepEqual(t.passes.map((p) => [p.index, p.recirc, p.datapathActions]), [
      [0, undefined, '5,hash(sym_l4(0)),recirc(0x1)'],
      [1, 'recirc(0x1) - resume conntrack with default ct_state=trk|new (use --ct-next to customize)', 'drop'],
    ]);
    assert.deepEqual(t.passes[1]?.notes.map((n) => n.text), ['thaw', 'Resuming from table 72']);
    assert.equal(t.datapathActions, 'drop');
    assert.equal(t.passes[1]?.flow?.fields[0]?.field, 'recirc_id');
  });

  it('reads the OVS <= 2.6 format (Bridge:, Rule:, OpenFlow actions=, tab nesting)', () => {
    // Shaped like OVS 2.5's output (tutorial/Tutorial.md, EXAMPLE 1 of table 1), with real tabs.
    const text = [
      'Bridge: br0',
      'Flow: metadata=0,in_port=1,vlan_tci=0x0005,dl_src=00:00:00:00:00:00,dl_dst=00:00:00:00:00:00,dl_type=0x0000',
      'Rule: table=0 cookie=0 priority=0',
      'OpenFlow actions=resubmit(,1)',
      '',
      '\tResubmitted flow: unchanged',
      '\tResubmitted regs: reg0=0x0 reg1=0x0 reg2=0x0 reg3=0x0 reg4=0x0 reg5=0x0 reg6=0x0 reg7=0x0',
      '\tResubmitted  odp: drop',
      '\tRule: table=1 cookie=0x5 priority=99,in_port=1',
      '\tOpenFlow actions=resubmit(,2)',
      '',
      '\t\tResubmitted flow: unchanged',
      '\t\tNo match',
      '',
      'Final flow: unchanged',
      'Megaflow: recirc_id=0,in_port=1,dl_type=0x0000',
      'Datapath actions: drop',
    ].join('\n');
    const t = parse(text);
    assert.equal(t.format, 'legacy');
    assert.deepEqual(path(t), ['br0 0/0', 'br0 1/99', 'br0 2/miss']);
    assert.deepEqual(t.steps.map((s) => [s.depth, s.nesting, s.parent, s.cookie]), [[0, 0, undefined, 0n], [1, 1, 0, 5n], [2, 2, 1, undefined]]);
    assert.deepEqual(t.steps[1]?.match?.fields.map((f) => f.field), ['in_port']);
    assert.deepEqual(t.steps[1]?.actions.map((a) => a.kind), ['resubmit']);
    assert.equal(t.datapathActions, 'drop');
    assert.equal(t.passes[0]?.notes.length, 4);
  });

  it('reports what it does not understand, without throwing', () => {
    const text = 'Flow: in_port=1\n\nbridge("br0")\n-------------\n 0. in_port=1, priority 5\n    output:1\n    ??? weird ???\nTranslation failed (Recursion too deep), packet is dropped.\n';
    const r = parseOvsTrace(text, { file: 't' });
    assert.equal(r.value.translationFailed, 'Recursion too deep');
    assert.deepEqual(r.diagnostics.map((d) => [d.severity, d.line, d.message]), [['warning', 7, 'line of ofproto/trace output not understood; kept as a note']]);
    assert.deepEqual(r.value.passes[0]?.notes.map((n) => n.text), ['??? weird ???']);
    assertDiagnosticsInside(text, r.diagnostics);
    const none = parseOvsTrace('hello\n', { file: 't' });
    assert.deepEqual(none.diagnostics.map((d) => d.message).at(-1), 'no "Flow:" line: this does not look like ofproto/trace output');
  });
});
