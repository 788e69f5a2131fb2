/**
 * Against a real Open vSwitch (a private sandbox, test/support/ovsSandbox.ts): install flows
 * covering many match fields and actions, dump them back in every ovs-ofctl variant, and check
 * the parsers read each flow's table, priority, match fields and action kinds exactly; also
 * `show`, `ovs-vsctl show`, `bridge/dump-flows`, `fdb/show` and `ofproto/trace`, whose deciding
 * flows must be the dumped flows. Skips (saying why) when OVS cannot run here.
 */
import { strict as assert } from 'node:assert';
import { isPortName, type OvsMatch } from '../../../src/core/ovs/OvsMatch';
import { parseOvsDumpFlows, type OvsDumpFlows, type OvsFlow } from '../../../src/core/ovs/parseOvsDumpFlows';
import { parseOvsFdbShow } from '../../../src/core/ovs/parseOvsFdbShow';
import { parseOvsOfctlShow } from '../../../src/core/ovs/parseOvsOfctlShow';
import { parseOvsTrace, type OvsTrace } from '../../../src/core/ovs/parseOvsTrace';
import { parseOvsVsctlShow } from '../../../src/core/ovs/parseOvsVsctlShow';
import { sniffOvsFormat } from '../../../src/core/ovs/sniffOvsFormat';
import { startOvsSandbox, type OvsSandbox } from '../../support/ovsSandbox';
import { assertSpan, describeDiagnostics, errorsOf } from './ovsTestFiles';
import { BR_INT_FLOWS, BR_INT_PORTS, BR_TUN_FLOWS, EXPECTED_ACTIONS, EXPECTED_PRINTED_MATCH, flowKey, setUpRealOvs } from './realOvs';

/** Match fields as sorted `field=0xvalue/0xmask`, port names resolved through `ports`. */
function matchKeys(m: OvsMatch, ports: ReadonlyMap<string, number>): string[] {
  return m.fields
    .map((f) => {
      if (isPortName(f.value)) {
        const n = ports.get(f.value.portName);
        return n === undefined ? `${f.field}=name:${f.value.portName}` : `${f.field}=0x${n.toString(16)}/0xffff`;
      }
      return `${f.field}=0x${f.value.value.toString(16)}/0x${f.value.mask.toString(16)}`;
    })
    .sort();
}

function parseClean(text: string, what: string): OvsDumpFlows {
  assert.equal(sniffOvsFormat(text, 'x'), 'ovs-dump-flows', what);
  const r = parseOvsDumpFlows(text, { file: what });
  assert.deepEqual(errorsOf(r.diagnostics), [], `${what}:\n${describeDiagnostics(r.diagnostics)}`);
  for (const f of r.value.flows) assertSpan(text, f.raw, f.span, what);
  return r.value;
}

function byKey(d: OvsDumpFlows): Map<string, OvsFlow> {
  const m = new Map<string, OvsFlow>();
  for (const f of d.flows) {
    assert.ok(!m.has(flowKey(f.table, f.priority)), `duplicate ${flowKey(f.table, f.priority)}`);
    m.set(flowKey(f.table, f.priority), f);
  }
  return m;
}

describe('real Open vSwitch (sandbox)', function () {
  this.timeout(120_000);
  let sandbox: OvsSandbox | undefined;
  let ports = new Map<string, number>();
  const portsByBridge = new Map<string, Map<string, number>>();
  const s = (): OvsSandbox => {
    assert.ok(sandbox);
    return sandbox;
  };

  before(function () {
    const started = startOvsSandbox();
    if (!started.ok) {
      console.log(`      Open vSwitch unavailable, real-OVS tests skipped: ${started.reason}`);
      this.skip();
    }
    sandbox = started.sandbox;
    setUpRealOvs(sandbox);
    for (const bridge of ['br-int', 'br-tun']) {
      const show = parseOvsOfctlShow(sandbox.ofctl(['show', bridge]), { file: 'show' }).value;
      portsByBridge.set(bridge, new Map(show.ports.map((p) => [p.name, p.ofport])));
    }
    ports = portsByBridge.get('br-int') ?? ports;
  });

  after(() => {
    sandbox?.stop();
  });

  it('reads ovs-ofctl show and dump-ports-desc of the sandbox bridge', () => {
    for (const args of [['show', 'br-int'], ['-O', 'OpenFlow13', 'show', 'br-int'], ['-O', 'OpenFlow13', 'dump-ports-desc', 'br-int']]) {
      const text = s().ofctl(args);
      assert.equal(sniffOvsFormat(text, 'x'), 'ovs-ofctl-show');
      const r = parseOvsOfctlShow(text, { file: args.join(' ') });
      assert.deepEqual(r.diagnostics, [], describeDiagnostics(r.diagnostics));
      const byName = new Map(r.value.ports.map((p) => [p.name, p]));
      for (const [name, ofport] of Object.entries(BR_INT_PORTS)) assert.equal(byName.get(name)?.ofport, ofport, `${args.join(' ')}: ${name}`);
      assert.equal(byName.get('br-int')?.ofportText, 'LOCAL');
      for (const p of r.value.ports) assert.ok(p.mac !== undefined, p.name);
      if (args.includes('show')) assert.match(r.value.datapathId ?? '', /^[0-9a-f]{16}$/);
    }
  });

  it('reads ovs-vsctl show of the sandbox', () => {
    const text = s().vsctl(['show']);
    assert.equal(sniffOvsFormat(text, 'x'), 'ovs-vsctl-show');
    const r = parseOvsVsctlShow(text, { file: 'vsctl' });
    assert.deepEqual(r.diagnostics, []);
    const version = /\(Open vSwitch\) (\S+)/.exec(s().run('ovs-vsctl', ['--version']).stdout)?.[1];
    assert.equal(r.value.ovsVersion ?? version, version);
    const brInt = r.value.bridges.find((b) => b.name === 'br-int')!;
    assert.deepEqual([brInt.failMode, brInt.datapathType], ['secure', 'netdev']);
    const port = (n: string) => brInt.ports.find((p) => p.name === n)!;
    assert.deepEqual([port('tap1').tag, port('tap1').interfaces[0]?.type], [4, 'internal']);
    assert.deepEqual([port('patch-tun').interfaces[0]?.type, port('patch-tun').interfaces[0]?.options], ['patch', { peer: 'patch-int' }]);
    assert.deepEqual(r.value.bridges.find((b) => b.name === 'br-tun')?.ports.map((p) => p.name).sort(), ['br-tun', 'p-phys', 'patch-int']);
  });

  it('reads every dump-flows variant back: table, priority, match fields, action kinds', () => {
    const spec = parseOvsDumpFlows(BR_INT_FLOWS.join('\n'), { file: 'spec' });
    assert.deepEqual(errorsOf(spec.diagnostics), []);
    const specByKey = byKey(spec.value);
    assert.equal(specByKey.size, BR_INT_FLOWS.length);
    const variants: { args: string[]; of10: boolean; stats: boolean; names: boolean; version?: string }[] = [
      { args: ['dump-flows', 'br-int'], of10: true, stats: true, names: false, version: '1.0' },
      { args: ['-O', 'OpenFlow13', 'dump-flows', 'br-int'], of10: false, stats: true, names: false, version: '1.3' },
      { args: ['-O', 'OpenFlow14', 'dump-flows', 'br-int'], of10: false, stats: true, names: false, version: '1.4' },
      { args: ['-O', 'OpenFlow15', 'dump-flows', 'br-int'], of10: false, stats: true, names: false, version: '1.5' },
      // With --names, ovs-ofctl prints no reply header.
      { args: ['--names', 'dump-flows', 'br-int'], of10: true, stats: true, names: true },
      { args: ['--no-stats', 'dump-flows', 'br-int'], of10: true, stats: false, names: false },
      { args: ['-O', 'OpenFlow13', '--names', '--no-stats', 'dump-flows', 'br-int'], of10: false, stats: false, names: true },
    ];
    for (const v of variants) {
      const what = `ovs-ofctl ${v.args.join(' ')}`;
      const d = parseClean(s().ofctl(v.args), what);
      assert.equal(d.flows.length, BR_INT_FLOWS.length, what);
      assert.deepEqual([d.withStats, d.portNames, d.header?.openflowVersion], [v.stats, v.names, v.version], what);
      const dumped = byKey(d);
      for (const [key, want] of specByKey) {
        const got = dumped.get(key);
        assert.ok(got, `${what}: flow ${key} missing`);
        const expectedMatch = EXPECTED_PRINTED_MATCH[key] ? [...EXPECTED_PRINTED_MATCH[key]].sort() : matchKeys(want.match, ports);
        assert.deepEqual(matchKeys(got.match, ports), expectedMatch, `${what}: match of ${key}`);
        assert.deepEqual(got.match.unread, [], `${what}: unread items in ${key}`);
        const kinds = EXPECTED_ACTIONS[key];
        assert.ok(kinds, key);
        assert.equal(got.actions.map((a) => a.kind).join(), v.of10 ? kinds.of10 ?? kinds.of13 : kinds.of13, `${what}: actions of ${key} (${got.actionsText})`);
      }
      const f72 = dumped.get('72/10')!;
      assert.deepEqual([f72.cookie, f72.idleTimeout, f72.hardTimeout], [0x1234n, 60, 120], what);
      assert.deepEqual(f72.flags, v.of10 ? [] : ['send_flow_rem', 'check_overlap'], what);
      assert.equal(f72.importance, v.args.includes('OpenFlow15') || v.args.includes('OpenFlow14') ? 5 : undefined, what);
      assert.deepEqual(dumped.get('72/5')!.flags, v.of10 ? [] : ['reset_counts'], what);
    }
  });

  it('reads bridge/dump-flows, hidden flows included', () => {
    const text = s().appctl(['bridge/dump-flows', 'br-int']);
    const d = parseClean(text, 'bridge/dump-flows');
    assert.equal(d.source, 'bridge/dump-flows');
    const visible = d.flows.filter((f) => f.table < 254);
    assert.equal(visible.length, BR_INT_FLOWS.length);
    assert.ok(d.flows.some((f) => f.table === 254), 'hidden flows of table 254');
    const of15 = byKey(parseClean(s().ofctl(['-O', 'OpenFlow15', 'dump-flows', 'br-int']), 'of15'));
    for (const f of visible) {
      const o = of15.get(flowKey(f.table, f.priority));
      assert.ok(o, flowKey(f.table, f.priority));
      assert.deepEqual(matchKeys(f.match, ports), matchKeys(o.match, ports), flowKey(f.table, f.priority));
    }
  });

  it('reads fdb/show after a packet is learned', () => {
    s().appctl(['netdev-dummy/receive', 'tap2', 'in_port(2),eth(src=50:54:00:00:00:0b,dst=50:54:00:00:00:0c),eth_type(0x0800),ipv4(src=10.0.0.11,dst=10.0.0.12,proto=1,tos=0,ttl=64,frag=no),icmp(type=8,code=0)']);
    let text = '';
    for (let i = 0; i < 50 && !text.includes('50:54:00:00:00:0b'); i++) {
      text = s().appctl(['fdb/show', 'br-int']);
      if (!text.includes('50:54:00:00:00:0b')) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
    assert.equal(sniffOvsFormat(text, 'x'), 'ovs-fdb-show');
    const r = parseOvsFdbShow(text, { file: 'fdb' });
    assert.deepEqual(r.diagnostics, []);
    const e = r.value.entries.find((x) => x.macText === '50:54:00:00:00:0b');
    assert.ok(e, text);
    assert.deepEqual([e.ofport, e.vlan], [2, 0]);
  });

  describe('ofproto/trace', () => {
    /** Every step's deciding flow must be a dumped flow with the same match. */
    function checkDecidingFlows(t: OvsTrace): void {
      const dumps = new Map<string, Map<string, OvsFlow>>();
      for (const bridge of ['br-int', 'br-tun']) dumps.set(bridge, byKey(parseClean(s().ofctl(['dump-flows', bridge]), bridge)));
      for (const step of t.steps) {
        if (step.noMatch) continue;
        const flow = dumps.get(step.bridge ?? '')?.get(flowKey(step.table, step.priority ?? -1));
        assert.ok(flow, `${step.bridge} ${step.table}/${step.priority}: no such flow`);
        assert.ok(step.match);
        const bridgePorts = portsByBridge.get(step.bridge ?? '') ?? ports;
        assert.deepEqual(matchKeys(step.match, bridgePorts), matchKeys(flow.match, bridgePorts), `${step.bridge} ${step.raw}`);
      }
    }

    it('follows br-int through a patch port into br-tun and back', () => {
      const text = s().appctl(['ofproto/trace', 'br-int', 'in_port=2,udp,nw_src=1.1.1.1,nw_dst=2.2.2.2,udp_dst=53']);
      assert.equal(sniffOvsFormat(text, 'x'), 'ovs-trace');
      const r = parseOvsTrace(text, { file: 'trace' });
      assert.deepEqual(errorsOf(r.diagnostics), [], describeDiagnostics(r.diagnostics));
      const t = r.value;
      assert.deepEqual(t.steps.map((x) => `${x.bridge} ${x.table}/${x.priority}`), ['br-int 0/200', 'br-int 5/10', 'br-int 6/1', 'br-tun 0/1', 'br-tun 2/1', 'br-int 7/1']);
      assert.deepEqual(t.steps.map((x) => x.parent), [undefined, 0, 1, 1, 3, 1]);
      assert.deepEqual(t.steps[1]?.actions.map((a) => a.kind), ['resubmit', 'output', 'resubmit']);
      assert.deepEqual(t.flow?.fields.slice(0, 3).map((f) => f.field), ['eth_type', 'nw_proto', 'in_port']);
      assert.ok(t.datapathActions);
      checkDecidingFlows(t);
    });

    it('follows conntrack recirculation into a second pass', () => {
      const text = s().appctl(['ofproto/trace', 'br-int', 'in_port=1,tcp,dl_src=fa:16:3e:00:00:01,dl_dst=fa:16:3e:00:00:02,nw_src=10.0.0.5,nw_dst=10.0.0.6,tcp_dst=22,tcp_flags=syn']);
      const r = parseOvsTrace(text, { file: 'trace' });
      assert.deepEqual(errorsOf(r.diagnostics), [], describeDiagnostics(r.diagnostics));
      const t = r.value;
      // NORMAL in table 94 floods to the patch port, so the second pass goes on into br-tun.
      assert.deepEqual(t.steps.map((x) => `${x.pass} ${x.bridge} ${x.table}/${x.priority}`), [
        '0 br-int 0/100', '0 br-int 71/90', '1 br-int 72/10', '1 br-int 73/1', '1 br-int 94/1', '1 br-tun 0/1', '1 br-tun 2/1',
      ]);
      assert.equal(t.passes.length, 2);
      assert.match(t.passes[1]?.recirc ?? '', /^recirc\(0x[0-9a-f]+\) - resume conntrack/);
      assert.deepEqual(t.steps[1]?.actions.map((a) => a.kind), ['ct', 'drop']);
      assert.equal(t.steps[2]?.cookie, 0x1234n);
      checkDecidingFlows(t);
    });

    it('reads a --names trace', () => {
      const text = s().appctl(['ofproto/trace', '--names', 'br-int', 'in_port=tap2,arp,arp_spa=1.1.1.1,arp_tpa=1.1.1.2,arp_op=1']);
      const r = parseOvsTrace(text, { file: 'trace' });
      assert.deepEqual(errorsOf(r.diagnostics), [], describeDiagnostics(r.diagnostics));
      const inPort = r.value.flow?.fields.find((f) => f.field === 'in_port');
      assert.deepEqual(inPort?.value, { portName: 'tap2' });
      checkDecidingFlows(r.value);
    });
  });

  it('installs br-tun flows too', () => {
    const d = parseClean(s().ofctl(['dump-flows', 'br-tun']), 'br-tun');
    assert.equal(d.flows.length, BR_TUN_FLOWS.length);
  });
});
