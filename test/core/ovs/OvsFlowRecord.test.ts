import { strict as assert } from 'node:assert';
import { parseOvsDumpFlows, type OvsFlow } from '../../../src/core/ovs/parseOvsDumpFlows';
import { generateNeutronFlows } from './generateNeutronFlows';

/**
 * The dump-flows reader keeps a flow's match and actions until they are asked for, and reads the
 * usual `ovs-ofctl` line in one go (stats by one pattern, match items by commas). That must be
 * invisible: the same line read item by item (spaced so that the one-go path does not apply)
 * gives the same flow, every span round-trips at its own line and column, and the JSON form has
 * the keys of the plain object a flow always was, in the same order.
 */
describe('parseOvsDumpFlows: flows built on demand', () => {
  // Two flows per kind of line, so the second one is read from shared readings.
  const lines = [
    ' cookie=0x565d7680690eea02, duration=12.5s, table=71, n_packets=3, n_bytes=126, idle_age=7, priority=95,arp,reg5=0x9,in_port=9,dl_src=fa:16:3e:00:00:09,arp_spa=10.0.0.9 actions=resubmit(,94)',
    ' cookie=0x565d7680690eea02, duration=13.25s, table=71, n_packets=0, n_bytes=0, idle_age=8, hard_age=2, priority=95,arp,reg5=0x9,in_port=9,dl_src=fa:16:3e:00:00:09,arp_spa=10.0.0.9 actions=resubmit(,94)',
    ' cookie=0x565d7680690eea02, table=82, priority=77,ct_state=+est-rel-rpl,tcp,reg5=0x46,,tp_dst=80 actions=output:70',
    ' cookie=0x565d7680690eea02, table=82, priority=77,ct_state=+est-rel-rpl,tcp,reg5=0x46,,tp_dst=80 actions=output:70',
    ' cookie=0x0, table=0, actions=NORMAL',
    ' cookie=0x0, table=0, actions=NORMAL',
  ];
  const text = `${lines.join('\n')}\n`;
  // The same items with a blank after every stat comma doubled: read item by item.
  const spaced = text.replace(/, (?=table=|n_|idle_|hard_|priority=|arp|ct_|actions)/g, ',  ');

  const shape = (f: OvsFlow, src: string): unknown => ({
    cookie: f.cookie, table: f.table, priority: f.priority, flags: f.flags, duration: f.duration, nPackets: f.nPackets, nBytes: f.nBytes,
    idleAge: f.idleAge, hardAge: f.hardAge, raw: f.raw.replace(/, {2}/g, ', '), actionsText: f.actionsText, matchRaw: f.match.raw,
    fields: f.match.fields.map((m) => [m.field, m.value, m.text, m.nameAsWritten, m.raw, m.shorthand, src.slice(m.span.offset, m.span.endOffset)]),
    unread: f.match.unread.length,
    actions: f.actions.map((a) => [a.kind, a.raw, src.slice(a.span.offset, a.span.endOffset)]),
    spans: [src.slice(f.span.offset, f.span.endOffset) === f.raw, src.slice(f.matchSpan.offset, f.matchSpan.endOffset) === f.match.raw,
      src.slice(f.actionsSpan.offset, f.actionsSpan.endOffset) === f.actionsText, f.span.line],
  });

  it('reads a line in one go exactly as item by item', () => {
    const a = parseOvsDumpFlows(text, { file: 'f' });
    const b = parseOvsDumpFlows(spaced, { file: 'f' });
    assert.deepEqual(a.diagnostics, []);
    assert.deepEqual(b.diagnostics, []);
    assert.equal(a.value.flows.length, lines.length);
    for (let i = 0; i < lines.length; i++) assert.deepEqual(shape(a.value.flows[i]!, text), shape(b.value.flows[i]!, spaced), `line ${i + 1}`);
    const f = a.value.flows[1]!;
    assert.deepEqual([f.duration, f.nPackets, f.hardAge, f.priority, f.table], [13.25, 0, 2, 95, 71]);
    assert.deepEqual(f.match.fields.map((m) => m.field), ['eth_type', 'reg5', 'in_port', 'eth_src', 'arp_spa']);
    // `tp_dst` of a tcp flow is tcp_dst; the empty item between two commas is no item.
    assert.deepEqual(a.value.flows[3]!.match.fields.map((m) => m.field), ['ct_state', 'eth_type', 'nw_proto', 'reg5', 'tcp_dst']);
    assert.equal(a.value.flows[5]!.priority, 32768);
    assert.equal(a.value.flows[5]!.match.raw, '');
  });

  it('serialises with the keys of a plain flow, in order, numbers only when printed', () => {
    const [withStats, , noStats] = parseOvsDumpFlows(text, { file: 'f' }).value.flows;
    const keys = (f: OvsFlow | undefined): string[] => Object.keys(JSON.parse(JSON.stringify(f, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))) as object);
    const base = ['raw', 'span', 'cookie', 'table', 'priority', 'flags', 'match', 'actions', 'matchSpan', 'actionsSpan', 'actionsText'];
    assert.deepEqual(keys(withStats), [...base, 'duration', 'nPackets', 'nBytes', 'idleAge']);
    assert.deepEqual(keys(noStats), base);
    assert.equal(noStats!.duration, undefined);
    assert.equal('duration' in JSON.parse(JSON.stringify(noStats, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))), false);
  });

  it('gives a generated Neutron dump the same flows both ways', () => {
    const gen = generateNeutronFlows({ ports: 12 });
    const a = parseOvsDumpFlows(gen.text, { file: 'g' });
    const b = parseOvsDumpFlows(gen.text.replace(/, table=/g, ',  table='), { file: 'g' });
    assert.equal(a.value.flows.length, b.value.flows.length);
    const src2 = gen.text.replace(/, table=/g, ',  table=');
    a.value.flows.forEach((f, i) => assert.deepEqual(shape(f, gen.text), shape(b.value.flows[i]!, src2), `flow ${i + 1}`));
  });
});
