import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parseOvsDumpFlows } from '../../../src/core/ovs/parseOvsDumpFlows';
import type { CompiledOvsFlow } from '../../../src/core/sim/ovs/compileOvsFlow';
import { buildOvsBridgeView, type OvsBridgeView } from '../../../src/core/sim/ovs/OvsBridgeView';
import { candidatePositions } from '../../../src/core/sim/ovs/OvsTableIndex';
import { lookupFlow } from '../../../src/core/sim/ovs/runOvsPipeline';
import { readField, withField, withFields, type Packet } from '../../../src/core/sim/Packet';
import { generateNeutronFlows } from '../ovs/generateNeutronFlows';
import { seededRandom } from '../../support/seededRandom';

/**
 * The table index must never change what a lookup returns: for any flow table and any packet,
 * lookupFlow (index) and a plain scan of the whole sorted table (the lookup as it was before the
 * index) select the same flow object and the same conjunction clause flows.
 */
type Hit = { flow: CompiledOvsFlow; conj?: CompiledOvsFlow[] } | undefined;

function matches(f: CompiledOvsFlow, p: Packet): boolean {
  return f.checks.every((c) => (readField(p, c.field) & c.mask) === c.value);
}

/** The linear lookup: highest priority first, the last match of that priority, conjunctions. */
function scanLookup(flows: readonly CompiledOvsFlow[], packet: Packet): Hit {
  let regular: CompiledOvsFlow | undefined;
  const clauses = new Map<number, { priority: number; n: number; seen: Set<number>; flows: CompiledOvsFlow[] }>();
  for (const f of flows) {
    if (regular && f.flow.priority < regular.flow.priority) break;
    if (f.conjId !== undefined || !matches(f, packet)) continue;
    if (f.conjunctions.length > 0) {
      for (const c of f.conjunctions) {
        let e = clauses.get(c.id);
        if (!e) clauses.set(c.id, (e = { priority: f.flow.priority, n: c.nClauses, seen: new Set(), flows: [] }));
        e.seen.add(c.clause);
        e.flows.push(f);
      }
      continue;
    }
    regular = f;
  }
  let best: Hit = regular ? { flow: regular } : undefined;
  for (const [id, e] of clauses) {
    if (e.seen.size < e.n || (best && best.flow.flow.priority >= e.priority)) continue;
    const target = flows.find((f) => f.conjId === BigInt(id) && matches(f, withField(packet, 'conj_id', BigInt(id))));
    if (target) best = { flow: target, conj: e.flows };
  }
  return best;
}

function assertSameHit(view: OvsBridgeView, table: number, packet: Packet, label: string): void {
  const t = view.tables.get(table);
  // The lookup first (it compiles only what it looks at), then the scan, which compiles every
  // flow as buildOvsBridgeView did before flows were compiled on demand.
  const got = lookupFlow(view, table, packet);
  const flows = t?.compiledAll() ?? [];
  const want = scanLookup(flows, packet);
  assert.equal(got?.flow, want?.flow, `${label}: winner ${got?.flow.flow.raw} vs ${want?.flow.flow.raw}`);
  assert.deepEqual(got?.conj?.map((f) => f.order), want?.conj?.map((f) => f.order), `${label}: conjunction clauses`);
  if (!t) return;
  // The candidates are a subset of the table, ascending, containing every flow that matches.
  const cands = candidatePositions(t.index, packet);
  for (let i = 1; i < cands.length; i++) assert.ok((cands[i] ?? 0) > (cands[i - 1] ?? 0), `${label}: candidates ascending`);
  const set = new Set(cands);
  flows.forEach((f, pos) => {
    if (f.conjId === undefined && matches(f, packet)) assert.ok(set.has(pos), `${label}: matching flow ${f.flow.raw} was ruled out`);
  });
}

function viewOf(lines: readonly string[]): OvsBridgeView {
  const parsed = parseOvsDumpFlows(`${lines.join('\n')}\n`, { file: 'flows' });
  assert.equal(parsed.diagnostics.filter((d) => d.severity === 'error').length, 0, parsed.diagnostics.map((d) => d.message).join('\n'));
  return buildOvsBridgeView({ name: 'br-test', flows: parsed.value.flows, ports: [] });
}

const item = fc.oneof(
  fc.integer({ min: 1, max: 6 }).map((n) => `in_port=${n}`),
  fc.integer({ min: 0, max: 4 }).map((n) => `reg5=0x${n.toString(16)}`),
  fc.tuple(fc.integer({ min: 0, max: 15 }), fc.constantFrom(0x3, 0xc, 0xf)).map(([v, m]) => `reg6=0x${(v & m).toString(16)}/0x${m.toString(16)}`),
  fc.constantFrom('ip', 'arp', 'tcp', 'udp', 'ipv6', 'icmp'),
  fc.integer({ min: 1, max: 4 }).map((n) => `dl_src=fa:16:3e:00:00:0${n}`),
  fc.constant('dl_dst=01:00:00:00:00:00/01:00:00:00:00:00'),
  fc.tuple(fc.integer({ min: 1, max: 4 }), fc.constantFrom('', '/24', '/30')).map(([n, m]) => `nw_src=10.0.0.${n}${m}`),
  fc.integer({ min: 0, max: 3 }).map((n) => `tcp_dst=0x${(n * 16).toString(16)}/0xfff0`),
  fc.constantFrom('ct_state=+trk-est', 'ct_state=+trk+est', 'ct_state=-trk', 'ct_state=+new-est+trk'),
  fc.integer({ min: 1, max: 3 }).map((n) => `dl_vlan=${n}`),
  fc.constantFrom('vlan_tci=0x1000/0x1000', 'vlan_tci=0/0x1000'),
);

const action = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('drop', 'output:1', 'output:2', 'resubmit(,1)', 'NORMAL') },
  { weight: 2, arbitrary: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 2, max: 3 })).chain(([id, n]) => fc.integer({ min: 1, max: n }).map((k) => `conjunction(${id},${k}/${n})`)) },
);

const flowLine = fc.tuple(
  fc.constantFrom(0, 10, 50, 50, 100, 100, 200),
  fc.array(item, { maxLength: 4 }),
  fc.option(fc.integer({ min: 1, max: 3 }), { freq: 6 }),
  action,
).map(([priority, items, conjId, act]) => {
  const m = [`priority=${priority}`, ...items, ...(conjId !== null ? [`conj_id=${conjId}`] : [])].join(',');
  return ` table=0, ${m} actions=${conjId !== null ? 'output:3' : act}`;
});

const packet = fc.record({
  in_port: fc.integer({ min: 0, max: 7 }),
  reg5: fc.integer({ min: 0, max: 5 }),
  reg6: fc.integer({ min: 0, max: 15 }),
  eth_type: fc.constantFrom(0x0800, 0x0806, 0x86dd, 0),
  nw_proto: fc.constantFrom(0, 1, 6, 17),
  eth_src: fc.integer({ min: 0, max: 5 }),
  eth_dst: fc.constantFrom(0xfa163e000001n, 0xffffffffffffn, 0x01005e000001n),
  ip_src: fc.integer({ min: 0, max: 6 }),
  tp_dst: fc.integer({ min: 0, max: 80 }),
  ct_state: fc.constantFrom(0, 0x21, 0x22, 0x20, 0x01),
  vlan_tci: fc.constantFrom(0, 0x1001, 0x1002, 0x1003),
}).map((r): Packet => withFields({ fields: new Map() }, {
  in_port: BigInt(r.in_port), reg5: BigInt(r.reg5), reg6: BigInt(r.reg6), eth_type: BigInt(r.eth_type),
  nw_proto: BigInt(r.nw_proto), eth_src: 0xfa163e000000n + BigInt(r.eth_src), eth_dst: r.eth_dst,
  ip_src: 0x0a000000n + BigInt(r.ip_src), tp_dst: BigInt(r.tp_dst), ct_state: BigInt(r.ct_state), vlan_tci: BigInt(r.vlan_tci),
}));

describe('OVS table index: lookups equal a scan of the whole table', () => {
  it('random flow tables (ties, masks, overlays, conjunctions) and random packets', () => {
    fc.assert(fc.property(fc.array(flowLine, { minLength: 1, maxLength: 160, size: 'max' }), fc.array(packet, { minLength: 1, maxLength: 25 }), (lines, packets) => {
      const view = viewOf(lines);
      packets.forEach((p, i) => assertSameHit(view, 0, p, `packet ${i}`));
    }), { numRuns: 300 });
  });

  it('a generated Neutron br-int (2,000+ flows): every table, packets from its own ports and strangers', () => {
    const dump = generateNeutronFlows({ flows: 2500, seed: 7 });
    const parsed = parseOvsDumpFlows(dump.text, { file: 'br-int' });
    const view = buildOvsBridgeView({ name: 'br-int', flows: parsed.value.flows, ports: [] });
    const r = seededRandom(11);
    const mac = (s: string): bigint => BigInt(`0x${s.replace(/:/g, '')}`);
    const ip = (s: string): bigint => s.split('.').reduce((v, o) => (v << 8n) | BigInt(o), 0n);
    let lookups = 0;
    for (let i = 0; i < 400; i++) {
      const p = r.pick(dump.ports);
      const q = r.pick(dump.ports);
      const own = r.chance(0.7);
      const base = withFields({ fields: new Map() }, {
        in_port: BigInt(own ? p.ofport : r.int(1, 400)),
        eth_type: r.pick([0x0800n, 0x0806n, 0x86ddn]),
        nw_proto: r.pick([1n, 6n, 17n, 112n]),
        eth_src: mac(own ? p.mac : q.mac),
        eth_dst: r.chance(0.2) ? 0xffffffffffffn : mac(q.mac),
        ip_src: ip(own ? p.ip : q.ip),
        ip_dst: ip(q.ip),
        tp_src: BigInt(r.int(1, 65535)),
        tp_dst: BigInt(r.pick([22, 67, 68, 80, 443])),
        reg5: BigInt(r.chance(0.8) ? p.ofport : r.int(0, 400)),
        reg6: BigInt(r.chance(0.8) ? p.vlan : r.int(0, 5)),
        ct_state: r.pick([0n, 0x21n, 0x22n, 0x24n, 0x30n]),
        vlan_tci: r.chance(0.3) ? 0x1000n | BigInt(p.vlan) : 0n,
      });
      for (const table of view.tables.keys()) {
        assertSameHit(view, table, base, `packet ${i} table ${table}`);
        lookups++;
      }
    }
    assert.ok(lookups > 1000);
    // The index must actually narrow the big tables, or it is only overhead.
    const biggest = [...view.tables.values()].sort((a, b) => b.length - a.length)[0];
    assert.ok(biggest);
    const probe = withFields({ fields: new Map() }, { in_port: BigInt(dump.ports[0]?.ofport ?? 1), reg5: BigInt(dump.ports[0]?.ofport ?? 1), eth_type: 0x0800n });
    assert.ok(candidatePositions(biggest.index, probe).length < biggest.length / 10, `${biggest.length} flows not narrowed`);
  });
});
