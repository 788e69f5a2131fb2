import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import type { IptablesRule, IptablesRuleset } from '../../../src/core/iptables/IptablesModel';
import { parseIptablesSave } from '../../../src/core/iptables/parseIptablesSave';
import { iptablesChainCandidates, dispatchKey } from '../../../src/core/sim/iptables/iptablesChainIndex';
import type { IptablesEvalContext } from '../../../src/core/sim/iptables/IptablesEvalContext';
import { iptablesTarget } from '../../../src/core/sim/iptables/iptablesTarget';
import { matchIptablesRule } from '../../../src/core/sim/iptables/matchIptablesRule';
import { runIptablesHook } from '../../../src/core/sim/iptables/runIptablesHook';
import { withFields, type Packet } from '../../../src/core/sim/Packet';
import { walkChains, type WalkSpec } from '../../../src/core/sim/walkChains';
import { generateNeutronHybrid, neutronHybridPorts } from '../iptables/generateNeutronHybrid';

/**
 * The chain index must not change a walk: verdict, steps, the rules passed over and the texts of
 * their failed conditions are the same as when every rule is evaluated in order.
 */
function specOf(rs: IptablesRuleset, ctx: IptablesEvalContext, indexed: boolean): WalkSpec<IptablesRule> {
  const table = rs.tables.find((t) => t.name === 'filter');
  if (!table) throw new Error('no filter table');
  const chains = new Map(table.chains.map((c) => [c.name, c]));
  const names = new Set(chains.keys());
  return {
    layer: 'iptables',
    netns: '',
    table: 'filter',
    chain: (name) => chains.get(name),
    match: (rule, p) => matchIptablesRule(rule, p, ctx),
    target: (rule, p) => iptablesTarget(rule, p, ctx, names),
    targetText: (rule) => (rule.target ? `${rule.target.kind === 'goto' ? '-g' : '-j'} ${rule.target.name}` : '(no target)'),
    ...(indexed ? { candidates: (chain) => iptablesChainCandidates(chain, ctx) } : {}),
  };
}

function rulesetOf(text: string): IptablesRuleset {
  const r = parseIptablesSave(text, { file: 'rules' });
  assert.equal(r.diagnostics.filter((d) => d.severity === 'error').length, 0, r.diagnostics.map((d) => `${d.line}: ${d.message}`).join('\n'));
  return r.value;
}

const IFACES = ['tap1', 'tap2', 'tap3', 'qvb1', 'qbr1', 'eth0'];

const condition = fc.oneof(
  fc.constantFrom('-p tcp', '-p udp', '-p icmp', '! -p tcp', '-p ipencap', '-p 200'),
  fc.integer({ min: 1, max: 4 }).map((n) => `-s 10.0.0.${n}/32`),
  fc.integer({ min: 1, max: 4 }).map((n) => `! -d 10.0.0.${n}/32`),
  fc.constantFrom(...IFACES).map((i) => `-i ${i}`),
  fc.constantFrom(...IFACES).map((i) => `-o ${i}`),
  fc.constantFrom('-i tap+', '! -i tap1', '-o qvb+', '! -o eth0'),
  fc.constantFrom(...IFACES).map((i) => `-m physdev --physdev-in ${i} --physdev-is-bridged`),
  fc.constantFrom(...IFACES).map((i) => `-m physdev --physdev-out ${i} --physdev-is-bridged`),
  fc.constantFrom('-m physdev ! --physdev-in tap1', '-m physdev --physdev-out tap+', '-m physdev --physdev-is-in'),
  fc.constant('-m comment --comment "a comment"'),
  fc.constantFrom('-m mac --mac-source FA:16:3E:00:00:01', '-m set --match-set NETS src', '-m conntrack --ctstate RELATED,ESTABLISHED', '-m state --state BOGUS'),
  fc.constantFrom('-m tcp --dport 22', '-m udp --sport 68 --dport 67', '-m mark --mark 0x1/0x1'),
);

const target = fc.constantFrom('-j ACCEPT', '-j DROP', '-j RETURN', '-j u1', '-g u2', '-j LOG', '-j MARK --set-xmark 0x1/0xffffffff', '-j FOO');

const rule = fc.tuple(fc.array(condition, { maxLength: 3 }), target).map(([cs, t]) => `${cs.join(' ')} ${t}`.trim());

const ctxArb = fc.record({
  bridged: fc.boolean(),
  physdevIn: fc.option(fc.constantFrom(...IFACES), { nil: undefined }),
  physdevOut: fc.option(fc.constantFrom(...IFACES), { nil: undefined }),
  inInterface: fc.option(fc.constantFrom(...IFACES), { nil: undefined }),
  outInterface: fc.option(fc.constantFrom(...IFACES), { nil: undefined }),
  ct: fc.constantFrom('new' as const, 'established' as const),
}).map((r): IptablesEvalContext => {
  const c: { -readonly [K in keyof IptablesEvalContext]: IptablesEvalContext[K] } = { family: 4, bridged: r.bridged, ct: r.ct };
  if (r.physdevIn !== undefined) c.physdevIn = r.physdevIn;
  if (r.physdevOut !== undefined) c.physdevOut = r.physdevOut;
  if (r.inInterface !== undefined) c.inInterface = r.inInterface;
  if (r.outInterface !== undefined) c.outInterface = r.outInterface;
  return c;
});

const packetArb = fc.record({
  src: fc.integer({ min: 0, max: 5 }), dst: fc.integer({ min: 0, max: 5 }), proto: fc.constantFrom(1, 6, 17),
  sport: fc.constantFrom(68, 40000), dport: fc.constantFrom(22, 67, 80), mark: fc.constantFrom(0, 1),
}).map((r): Packet => withFields({ fields: new Map() }, {
  eth_type: 0x0800n, ip_src: 0x0a000000n + BigInt(r.src), ip_dst: 0x0a000000n + BigInt(r.dst), nw_proto: BigInt(r.proto),
  tp_src: BigInt(r.sport), tp_dst: BigInt(r.dport), pkt_mark: BigInt(r.mark), eth_src: 0xfa163e000001n,
}));

describe('iptables chain index: walks equal rule-by-rule walks', () => {
  it('random long chains, contexts and packets (verdict, steps, passed-over rules and their texts)', () => {
    fc.assert(fc.property(fc.array(rule, { minLength: 16, maxLength: 90, size: 'max' }), fc.array(rule, { maxLength: 5 }), ctxArb, packetArb, (forward, u1, ctx, packet) => {
      const text = ['*filter', ':FORWARD ACCEPT [0:0]', ':u1 - [0:0]', ':u2 - [0:0]',
        ...forward.map((r) => `-A FORWARD ${r}`), ...u1.map((r) => `-A u1 ${r.replace(/-[jg] u[12]/, '-j RETURN')}`), '-A u2 -j DROP', 'COMMIT', ''].join('\n');
      const rs = rulesetOf(text);
      const plain = walkChains(specOf(rs, ctx, false), 'FORWARD', packet);
      const indexed = walkChains(specOf(rs, ctx, true), 'FORWARD', packet);
      assert.deepEqual(indexed, plain);
      assert.deepEqual(runIptablesHook(rs, 'FORWARD', packet, ctx, '', 0).steps, plain.steps);
    }), { numRuns: 400 });
  });

  it('a rule is keyed only when nothing before the key can be undecided', () => {
    const rs = rulesetOf(['*filter', ':X - [0:0]',
      '-A X -m physdev --physdev-in tap1 --physdev-is-bridged -j ACCEPT',
      '-A X -p tcp -m physdev --physdev-out tap1 -j ACCEPT',
      '-A X -m set --match-set S src -m physdev --physdev-in tap1 -j ACCEPT',
      '-A X -p ipencap -i eth0 -j ACCEPT',
      '-A X -m comment --comment "c" -o eth0 -j ACCEPT',
      '-A X -i tap+ -j ACCEPT', 'COMMIT', ''].join('\n'));
    const keys = rs.tables[0]?.chains[0]?.rules.map((r) => dispatchKey(r));
    assert.deepEqual(keys, [
      { kind: 'physdevIn', name: 'tap1', leading: true, text: '-m physdev --physdev-in tap1' },
      { kind: 'physdevOut', name: 'tap1', leading: false, text: '-m physdev --physdev-out tap1' },
      undefined,
      undefined,
      { kind: 'out', name: 'eth0', leading: true, text: '-o eth0' },
      undefined,
    ]);
  });

  it('a 2,000-port hybrid firewall: the same walks, and only a few rules evaluated', () => {
    const ports = neutronHybridPorts(300, 3);
    const rs = rulesetOf(generateNeutronHybrid(300, { seed: 3 }));
    const forward = rs.tables.find((t) => t.name === 'filter')?.chains.find((c) => c.name === 'neutron-openvswi-FORWARD');
    assert.ok(forward && forward.rules.length >= 600);
    for (const [k, p] of ports.slice(0, 40).entries()) {
      const q = ports[(k * 7 + 3) % ports.length];
      const idPart = p.id.slice(0, 11);
      const ctx: IptablesEvalContext = { family: 4, bridged: true, ct: k % 2 ? 'new' : 'established', physdevIn: k % 3 ? p.tap : `qvb${idPart}`, physdevOut: k % 3 ? `qvb${idPart}` : p.tap, inInterface: `qbr${idPart}`, outInterface: `qbr${idPart}` };
      const packet = withFields({ fields: new Map() }, {
        eth_type: 0x0800n, nw_proto: 6n, tp_src: 40000n, tp_dst: 22n, eth_src: BigInt(`0x${p.mac.replace(/:/g, '')}`),
        ip_src: p.ip.split('.').reduce((v, o) => (v << 8n) | BigInt(o), 0n), ip_dst: (q?.ip ?? '10.0.0.1').split('.').reduce((v, o) => (v << 8n) | BigInt(o), 0n),
      });
      const plain = walkChains(specOf(rs, ctx, false), 'FORWARD', packet);
      let evaluated = 0;
      const counting = specOf(rs, ctx, true);
      const indexed = walkChains({ ...counting, match: (r, pk) => { evaluated++; return counting.match(r, pk); } }, 'FORWARD', packet);
      assert.deepEqual(indexed, plain);
      assert.ok(evaluated < 60, `${evaluated} rules evaluated for port ${k}`);
    }
  });
});
