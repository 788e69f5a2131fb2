import { strict as assert } from 'node:assert';
import { parseOvsDumpFlows } from '../../../src/core/ovs/parseOvsDumpFlows';
import { buildOvsBridgeView, type OvsBridgeView } from '../../../src/core/sim/ovs/OvsBridgeView';
import { runOvsPipeline, type CtAssumption, type OvsRunResult } from '../../../src/core/sim/ovs/runOvsPipeline';
import { readField } from '../../../src/core/sim/Packet';
import { parsePacketSpec } from '../../../src/core/sim/parsePacketSpec';

/**
 * The OVS actions ovn-controller uses that a Neutron agent never does, each with what
 * `ovs-appctl ofproto/trace` does with it (checked on OVS 3.1 with the same flows):
 *   push:/pop:            the register stack; OVN swaps inport and outport with it, and an
 *                         empty stack's pop leaves the field alone
 *   controller(...,pause) ovn-controller's pinctrl continues the packet (DHCP, ARP/ND replies):
 *                         the translation stops there, so the simulator cannot decide
 *   ct(...,nat(dst=A:P))  a new connection is translated before the recirculated lookup
 *   check_pkt_larger(N)   the datapath decides by length; the walk assumes a packet that fits
 */
const PORTS = [1, 2, 3].map((n) => ({ name: `p${n}`, ofport: n, type: '' }));

function bridge(lines: readonly string[]): OvsBridgeView {
  const parsed = parseOvsDumpFlows(`${lines.join('\n')}\n`, { file: 'flows' });
  assert.deepEqual(parsed.diagnostics.filter((d) => d.severity !== 'info').map((d) => d.message), []);
  return buildOvsBridgeView({ name: 'br-int', flows: parsed.value.flows, ports: PORTS });
}

function run(b: OvsBridgeView, inPort: number, spec: string, ct: CtAssumption = 'new'): OvsRunResult {
  return runOvsPipeline(b, inPort, parsePacketSpec(spec).value, { bridges: new Map([[b.name, b]]), ct });
}

const outPorts = (r: OvsRunResult): string[] => r.outputs.map((o) => o.port.name);

describe('OVN actions in the OVS simulator', () => {
  it('push:/pop: swap registers through the stack, as OVN swaps reg14 and reg15; a pop on an empty stack changes nothing', () => {
    const b = bridge([
      'table=0, priority=10,in_port=1 actions=load:0x2->NXM_NX_REG14[],load:0x3->NXM_NX_REG15[],push:NXM_NX_REG14[],push:NXM_NX_REG15[],pop:NXM_NX_REG14[],pop:NXM_NX_REG15[],resubmit(,9),pop:NXM_NX_REG13[],resubmit(,10)',
      'table=9, priority=10,reg14=0x3,reg15=0x2 actions=output:2',
      'table=9, priority=5 actions=output:3',
      'table=10, priority=10,reg13=0 actions=output:3',
      'table=10, priority=5 actions=drop',
    ]);
    const r = run(b, 1, 'ip,nw_src=10.0.0.1,nw_dst=10.0.0.2');
    assert.equal(r.indeterminate, undefined);
    assert.deepEqual(outPorts(r), ['p2', 'p3']);
    assert.ok(r.assumptions.some((a) => /empty stack/.test(a)), r.assumptions.join('\n'));
  });

  it('push/pop keeps the subfield width: push:NXM_OF_IN_PORT[] ... pop restores in_port after set_field:ANY->in_port', () => {
    const b = bridge([
      'table=0, priority=10,in_port=2 actions=push:NXM_OF_IN_PORT[],set_field:ANY->in_port,resubmit(,65),pop:NXM_OF_IN_PORT[],resubmit(,66)',
      'table=65, priority=10 actions=output:2',
      'table=66, priority=10,in_port=2 actions=output:1',
    ]);
    const r = run(b, 2, 'arp,arp_op=2');
    // OVN's loopback: with in_port ANY the output to the input port is allowed; afterwards the
    // real input port is back (table 66 matches in_port=2).
    assert.deepEqual(outPorts(r), ['p2', 'p1']);
  });

  it('controller(...,pause) stops the walk: ovn-controller decides, so the verdict is indeterminate, never a pass', () => {
    const b = bridge([
      'table=0, priority=10,in_port=1 actions=resubmit(,28)',
      'table=28, priority=100,udp,tp_src=68,tp_dst=67 actions=controller(userdata=00.00.00.02.00.00.00.00,pause),resubmit(,29)',
      'table=29, priority=0 actions=output:2',
    ]);
    const r = run(b, 1, 'udp,nw_src=0.0.0.0,nw_dst=255.255.255.255,udp_src=68,udp_dst=67');
    assert.match(r.indeterminate ?? '', /pauses the packet/);
    assert.equal(r.sentToController, true);
    assert.deepEqual(outPorts(r), [], 'the actions after a paused controller are not run');
    // Without pause (OVN's put_arp, svc_monitor) the packet is copied to the controller and goes on.
    const c = run(bridge([
      'table=0, priority=10,in_port=1 actions=controller(userdata=00.00.00.01.00.00.00.00),output:2',
    ]), 1, 'arp,arp_op=2');
    assert.equal(c.indeterminate, undefined);
    assert.deepEqual(outPorts(c), ['p2']);
  });

  it('ct(commit,table=N,nat(dst=A:P)) translates a new connection before the recirculated lookup, and says so', () => {
    const flows = [
      'table=0, priority=10,in_port=3,tcp actions=ct(commit,table=12,zone=5,nat(dst=10.0.0.9:8080))',
      'table=12, priority=10,tcp,nw_dst=10.0.0.9,tp_dst=8080 actions=output:1',
      'table=12, priority=5 actions=output:2',
    ];
    const r = run(bridge(flows), 3, 'tcp,nw_src=10.0.0.5,nw_dst=10.0.0.1,tcp_src=40000,tcp_dst=80');
    assert.deepEqual(outPorts(r), ['p1']);
    assert.equal(readField(r.outputs[0]!.packet, 'ip_dst'), 0x0a000009n);
    assert.ok(r.assumptions.some((a) => /translates the new connection to 10\.0\.0\.9:8080/.test(a)), r.assumptions.join('\n'));
    // An established connection keeps a translation no snapshot shows: assumed none, and said.
    const e = run(bridge(flows), 3, 'tcp,nw_src=10.0.0.5,nw_dst=10.0.0.1,tcp_src=40000,tcp_dst=80', 'established');
    assert.deepEqual(outPorts(e), ['p2']);
    assert.ok(e.assumptions.some((a) => /existing connection/.test(a)));
    // Without recirculation the datapath translates after the pipeline: not simulated.
    const n = run(bridge(['table=0, priority=10,in_port=3,tcp actions=ct(commit,zone=5,nat(dst=10.0.0.9)),output:1']), 3, 'tcp,nw_dst=10.0.0.1');
    assert.match(n.indeterminate ?? '', /translates the packet in the datapath/);
  });

  it('check_pkt_larger(N) takes the packet to fit, and says so', () => {
    const b = bridge([
      'table=0, priority=10,in_port=2,ip actions=load:0x1->NXM_NX_REG9[1],check_pkt_larger(1514)->NXM_NX_REG9[1],resubmit(,11)',
      'table=11, priority=10,reg9=0x2/0x2 actions=output:1',
      'table=11, priority=5 actions=output:3',
    ]);
    const r = run(b, 2, 'ip,nw_src=10.0.0.1,nw_dst=10.0.0.2');
    assert.equal(r.indeterminate, undefined);
    assert.deepEqual(outPorts(r), ['p3']);
    assert.ok(r.assumptions.some((a) => /no larger than 1514 bytes/.test(a)));
  });
});
