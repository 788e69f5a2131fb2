import { strict as assert } from 'node:assert';
import { parseOvsRecognisedOnly, type OvsRecognisedFormat } from '../../../src/core/ovs/parseOvsRecognisedOnly';
import { readFixture } from './ovsTestFiles';

function parse(rel: string, format: OvsRecognisedFormat): ReturnType<typeof parseOvsRecognisedOnly> {
  return parseOvsRecognisedOnly(readFixture(rel), { file: rel, format });
}

describe('parseOvsRecognisedOnly', () => {
  it('counts datapath ports of ovs-dpctl show / dpctl/show -s, with one info', () => {
    const r = parse('hotsos/ovs-appctl_dpctl.show_-s_system_ovs-system.txt', 'ovs-dpctl-show');
    assert.deepEqual([r.value.kind, r.value.entries, r.value.groups], ['dpctl-show', 13, 1]);
    assert.deepEqual(r.diagnostics.map((d) => [d.severity, d.line, d.message]), [
      ['info', 1, 'recognised, not modelled: ovs-dpctl show output with 13 port(s) in 1 datapath(s) in 69 line(s)'],
    ]);
    assert.equal(parse('ovn-docs/ovs-dpctl_show_ovn-devstack.txt', 'ovs-dpctl-show').value.entries, 5);
  });

  it('counts datapath flows, tunnels and routes', () => {
    const flows = parse('hotsos/ovs-appctl_dpctl.dump-flows_-m_system_ovs-system.txt', 'ovs-dpctl-flows');
    assert.deepEqual([flows.value.kind, flows.value.entries], ['dpctl-dump-flows', 7]);
    const tunnels = parse('hotsos/ovs-appctl_ofproto.list-tunnels.txt', 'ovs-appctl-other');
    assert.deepEqual([tunnels.value.kind, tunnels.value.entries], ['list-tunnels', 2]);
    const routes = parse('hotsos/ovs-appctl_ovs.route.show.txt', 'ovs-appctl-other');
    assert.deepEqual([routes.value.kind, routes.value.entries], ['route-show', 19]);
    for (const r of [flows, tunnels, routes]) assert.deepEqual(r.diagnostics.map((d) => d.severity), ['info']);
  });

  it('counts conntrack entries and OVN logical flows', () => {
    const ct = parseOvsRecognisedOnly('tcp,orig=(src=10.0.0.111,dst=10.0.0.119,sport=55158,dport=3306),reply=(src=10.0.0.119,dst=10.0.0.111,sport=3306,dport=55158),id=1\nudp,orig=(src=10.0.0.1,dst=10.0.0.2,sport=1,dport=2),reply=(src=10.0.0.2,dst=10.0.0.1,sport=2,dport=1),id=2\n', { file: 'ct', format: 'ovs-appctl-other' });
    assert.deepEqual([ct.value.kind, ct.value.entries], ['dpctl-dump-conntrack', 2]);
    const lf = parseOvsRecognisedOnly('Datapath: "sw0" (0b7c2e4a-0f14-41d3-b33d-0ea0eaac34ff)  Pipeline: ingress\n  table=0 (ls_in_check_port_sec), priority=110  , match=(eth.src[40]), action=(drop;)\n  table=1 (ls_in_apply_port_sec), priority=0    , match=(1), action=(next;)\n', { file: 'lf', format: 'ovn-lflows' });
    assert.deepEqual([lf.value.kind, lf.value.entries, lf.value.groups], ['lflow-list', 2, 1]);
  });

  it('warns when the file holds the command\'s error message instead of output', () => {
    const r = parse('hotsos/ovs-dpctl_dump-flows_--name_-m_type_ovs.txt', 'ovs-dpctl-flows');
    assert.equal(r.value.kind, 'command-error');
    assert.deepEqual(r.diagnostics.map((d) => [d.severity, d.message]), [
      ['warning', 'this file holds the command\'s error message, not its output: "ovs-dpctl: Invalid argument \'type\'. Use \'ovs-appctl dpctl/dump-flows\' instead."'],
    ]);
  });

  it('says so when the content is not one of the known kinds, and refuses binary input', () => {
    const r = parseOvsRecognisedOnly('something else\n', { file: 'x', format: 'ovs-appctl-other' });
    assert.deepEqual([r.value.kind, r.diagnostics.map((d) => d.severity)], ['unknown', ['info']]);
    const b = parseOvsRecognisedOnly('\u0000\u0000', { file: 'x', format: 'ovn-lflows' });
    assert.deepEqual(b.diagnostics.map((d) => d.severity), ['error']);
  });
});
