import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { IptablesCounters, IptablesRule, Mutable } from '../../../src/core/iptables/IptablesModel';
import { parseIptablesSave } from '../../../src/core/iptables/parseIptablesSave';
import { countersPrefixEnd, readCountersPrefix } from '../../../src/core/iptables/readCountersPrefix';
import { readRuleArguments, RuleValueCache } from '../../../src/core/iptables/readRuleArguments';
import { LazyRule, TemplateRule } from '../../../src/core/iptables/LazyRule';
import { IptablesTokens, tokenizeIptablesLine } from '../../../src/core/iptables/tokenizeIptablesLine';
import { DiagnosticSink } from '../../../src/core/text/Diagnostic';
import { FIXTURES } from './netfilterTestHelpers';

/**
 * iptables-save repeats the same rule arguments on many chains; the reader reads a clean text once
 * and makes the repeats from it (TemplateRule). That must be invisible: a repeat reads exactly as
 * the same line read on its own (values, spans at its own line and columns, JSON form), and a
 * problem is still reported on every line it appears on.
 */
describe('parseIptablesSave: repeated rule texts', () => {
  const args = '-s 10.0.0.5/32 -p udp -m udp --sport 68 --dport 67 -m comment --comment "Allow DHCP client traffic." -j RETURN';
  const bad = '-m frobnicate --frob 1 -j RETURN';
  const lines = [
    '*filter',
    ':INPUT ACCEPT [0:0]',
    ':neutron-openvswi-o1 - [0:0]',
    ':neutron-openvswi-o22 - [0:0]',
    ':neutron-openvswi-o333 - [0:0]',
    `[1:2] -A neutron-openvswi-o1 ${args}`,
    `[12345:678901] -A neutron-openvswi-o22 ${args}`,
    `-A neutron-openvswi-o333  ${args}`,
    `[0:0] -A neutron-openvswi-o1 ${bad}`,
    `[0:0] -A neutron-openvswi-o22 ${bad}`,
    `[0:0] -A neutron-openvswi-o333 -f ${args}`,
    `[0:0] -A neutron-openvswi-o1 -f ${args}`,
    'COMMIT',
    '',
  ];
  const text = lines.join('\n');
  const r = parseIptablesSave(text, { file: 'f' });
  const rules = r.value.tables[0]!.chains.flatMap((c) => c.rules);

  /** A rule's reading as JSON, spans made relative to its own line, so the same text compares equal on any line. */
  function shape(rule: IptablesRule): string {
    const lineStart = rule.span.offset - (rule.span.column - 1);
    const { matches, target, protocol, source, destination, inInterface, outInterface, comment, fragment, table } = rule;
    return JSON.stringify({ matches, target, protocol, source, destination, inInterface, outInterface, comment, fragment, table }, (k, v: unknown) => {
      if (typeof v === 'bigint') return `${v}n`;
      if (k === 'span' && v && typeof v === 'object') {
        const s = v as { offset: number; endOffset: number; column: number; endColumn: number };
        return [s.offset - lineStart, s.endOffset - lineStart, s.column, s.endColumn];
      }
      return v;
    });
  }

  it('makes repeats of a clean text from the first one, each at its own line and columns', () => {
    const plain = rules.filter((x) => !(x instanceof LazyRule));
    const repeats = rules.filter((x) => x instanceof TemplateRule);
    // The first `args` and `-f` lines are read (and kept lazily), both `bad` lines read in full;
    // two `args` repeats and one `-f` repeat are made.
    assert.equal(repeats.length, 3);
    assert.equal(rules.filter((x) => x instanceof LazyRule).length, 5);
    assert.equal(plain.length, 2);
    for (const rule of rules) {
      assert.equal(text.slice(rule.span.offset, rule.span.endOffset), rule.raw);
      for (const o of [...rule.matches.flatMap((m) => m.options), ...(rule.target?.options ?? [])]) {
        assert.ok(text.slice(o.span!.offset, o.span!.endOffset).includes(o.name), `${o.name} at its own columns`);
      }
    }
    const [first, second, third] = rules.filter((x) => x.raw.endsWith(args) && !x.raw.includes(' -f '));
    assert.ok(first && second && third);
    assert.equal(second.span.line, 7);
    assert.equal(third.span.line, 8);
    // Same text, same reading; only where it sits differs (columns shift with the counters and blanks).
    const withinArgs = (x: IptablesRule): string => shape(x).replace(/\[(\d+),(\d+),(\d+),(\d+)\]/g, (_, a: string, b: string) => {
      const at = x.raw.length - args.length + (x.span.column - 1);
      return `[${Number(a) - at},${Number(b) - at}]`;
    });
    assert.equal(withinArgs(second), withinArgs(first));
    assert.equal(withinArgs(third), withinArgs(first));
    assert.deepEqual([second.counters, third.counters], [{ packets: 12345n, bytes: 678901n }, undefined]);
    assert.equal(second.comment, 'Allow DHCP client traffic.');
    assert.deepEqual(second.source?.value.text, '10.0.0.5/32');
    const f = rules.filter((x) => x.raw.includes(' -f '));
    assert.deepEqual(f.map((x) => x.fragment), [{ negated: false, value: true }, { negated: false, value: true }]);
  });

  it('reports a problem on every line it appears on (a text with a problem is never shared)', () => {
    assert.deepEqual(r.diagnostics.map((d) => d.line), [9]);
    assert.match(r.diagnostics[0]!.message, /frobnicate.*2 rules/);
    assert.ok(rules.filter((x) => x.raw.endsWith(bad)).every((x) => !(x instanceof LazyRule)));
  });
});

/**
 * Rules of one form with other values (RuleShapes): made from the first one read, unless a value
 * is one the reader would complain about or that changes the reading (a verdict as target).
 */
const SHAPED = [
  '*filter', ':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ':o1 - [0:0]', ':o2 - [0:0]',
  '[0:0] -A FORWARD -m physdev --physdev-in tap1 --physdev-is-bridged -m comment --comment "Jump to the VM specific chain." -j o1',
  '[5:6] -A FORWARD -m physdev --physdev-in tap2 --physdev-is-bridged -m comment --comment "Jump to the VM specific chain." -j o2',
  '[0:0] -A FORWARD -m physdev --physdev-in tap3 --physdev-is-bridged -m comment --comment "Jump to the VM specific chain." -j DROP',
  '[0:0] -A FORWARD -m physdev --physdev-in tap4 --physdev-is-bridged -m comment --comment "Jump to the VM specific chain." -j nowhere',
  '[0:0] -A o1 -s 10.0.0.1/32 -m mac --mac-source FA:16:3E:00:00:01 -j RETURN',
  '[0:0] -A o1 -s 10.0.0.2/32 -m mac --mac-source FA:16:3E:00:00:02 -j RETURN',
  '[0:0] -A o1 -s 10.0.0.3/32 -m mac --mac-source XX:16:3E:00:00:03 -j RETURN',
  '[0:0] -A o1 -s 10.0.0.300/32 -m mac --mac-source FA:16:3E:00:00:04 -j RETURN',
  '[0:0] -A o1 -s fe80::1/128 -m mac --mac-source FA:16:3E:00:00:05 -j RETURN',
  '[0:0] -A o2 ! -i qr-1 -p tcp -m tcp --dport 22 -j ACCEPT',
  '[0:0] -A o2 ! -i qr-2 -p tcp -m tcp --dport 23 -j ACCEPT',
  '[0:0] -A o2 ! -i qr-3 -p tcp -m tcp --dport ssh2 -j ACCEPT',
  '[0:0] -A o2 -s 10.0.0.1/32 -s 10.0.0.2/32 -j ACCEPT',
  '[0:0] -A o2 -s 10.0.0.3/32 -s 10.0.0.4/32 -j ACCEPT',
  'COMMIT', '',
].join('\n');

describe('parseIptablesSave: rules of one form with other values', () => {
  const r = parseIptablesSave(SHAPED, { file: 'f' });
  const rules = r.value.tables[0]!.chains.flatMap((c) => c.rules);
  const at = (line: number): IptablesRule => rules.find((x) => x.span.line === line)!;

  it('makes them from the first one read, with their own values', () => {
    for (const line of [7, 11, 14, 16]) assert.ok(at(line) instanceof LazyRule && !(at(line) instanceof TemplateRule), `line ${line}`);
    assert.equal(at(7).target?.name, 'o2');
    assert.deepEqual(at(7).counters, { packets: 5n, bytes: 6n });
    assert.deepEqual(at(7).matches[0]!.options[0]!.values, ['tap2']);
    assert.equal(at(11).source?.value.text, '10.0.0.2/32');
    assert.equal(at(14).source?.value.family, 6);
    assert.deepEqual(at(16).inInterface, { negated: true, value: 'qr-2' });
    assert.deepEqual(at(16).matches.map((m) => [m.module, m.options.map((o) => o.values)]), [['tcp', [['23']]]]);
  });

  it('reads in full, and reports, a value the reader would complain about or that changes the reading', () => {
    const said = r.diagnostics.map((d) => `${d.line} ${d.severity} ${d.message}`);
    assert.ok(said.some((d) => d.startsWith('12 warning `XX:16:3E:00:00:03` for --mac-source is not a MAC address (1 rule')), said.join('\n'));
    assert.ok(said.some((d) => d.startsWith('13 error bad address `10.0.0.300/32`')), said.join('\n'));
    assert.ok(said.some((d) => d.startsWith('17 warning `ssh2` for --dport is not a port')), said.join('\n'));
    assert.ok(said.some((d) => d.startsWith('9 warning target nowhere is neither a chain')), said.join('\n'));
    assert.equal(at(8).target?.name, 'DROP');
    assert.equal(at(13).source, undefined);
    assert.equal(at(19).source?.value.text, '10.0.0.4/32');
    for (const line of [12, 13, 17]) assert.ok(!(at(line) instanceof LazyRule), `line ${line} read in full, kept plain`);
  });
});

/** A rule's values, getters included, keys sorted, as the golden comparison of parser output sees them. */
function serialise(v: unknown): string {
  const out = (x: unknown): unknown => {
    if (typeof x === 'bigint') return `${x}n`;
    if (x === null || typeof x !== 'object') return x;
    if (Array.isArray(x)) return x.map(out);
    const keys = new Set(Object.keys(x));
    for (let p = Object.getPrototypeOf(x) as object | null; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
      for (const [k, d] of Object.entries(Object.getOwnPropertyDescriptors(p))) if (d.get) keys.add(k);
    }
    const r: Record<string, unknown> = {};
    for (const k of [...keys].sort()) {
      const val = (x as Record<string, unknown>)[k];
      if (val !== undefined && k !== 'targetName') r[k] = out(val);
    }
    return r;
  };
  return JSON.stringify(out(v));
}

/**
 * The reader's plain reading of `rule`'s own line (what every rule was before LazyRule): its
 * `-A CHAIN` arguments read in full into a plain object. Undefined for lines other than `-A`.
 */
function plainReading(text: string, rule: IptablesRule): Mutable<IptablesRule> | undefined {
  const lineStart = rule.span.offset - (rule.span.column - 1);
  const nl = text.indexOf('\n', lineStart);
  const line = text.slice(lineStart, nl === -1 ? text.length : nl).replace(/\r$/, '');
  const at = rule.span.column - 1;
  let counters: IptablesCounters | undefined;
  let from = at;
  if (line.charCodeAt(at) === 91) {
    from = countersPrefixEnd(line, at, line.length);
    counters = readCountersPrefix(line, at);
  }
  const toks = tokenizeIptablesLine(line, from, new IptablesTokens());
  if (toks.text[0] !== '-A' && toks.text[0] !== '--append') return undefined;
  const plain: Mutable<IptablesRule> = {
    table: rule.table, chain: rule.chain, index: rule.index, raw: rule.raw, span: rule.span, counters,
    protocol: undefined, source: undefined, destination: undefined, inInterface: undefined, outInterface: undefined,
    matches: [], target: undefined, comment: undefined,
  };
  readRuleArguments(toks, 2, {
    shared: new RuleValueCache(), sink: new DiagnosticSink('f'), lineNumber: rule.span.line, lineText: line, lineSpan: rule.span,
    unknownModules: new Map(), unknownTargets: new Map(), badValues: new Map(),
  }, plain);
  return plain;
}

describe('parseIptablesSave: lazily read rules equal the plain reading', () => {
  const saves = [
    ...['hotsos/iptables-save_netns_fip.txt', 'hotsos/iptables-save_netns_qrouter.txt', 'hotsos/iptables-save_netns_snat.txt',
      'hotsos/ip6tables-save_netns_qrouter.txt', 'netns-generated/legacy/iptables-save_-c', 'netns-generated/legacy/ip6tables-save_-c']
      .map((f) => path.join(FIXTURES, 'iptables', f)),
    ...readdirSync(path.join(FIXTURES, '../../samples'), { withFileTypes: true }).filter((d) => d.isDirectory())
      .map((d) => path.join(FIXTURES, '../../samples', d.name, 'iptables-save_-c')),
  ];
  // Lines that are read in full after being checked: a problem (`--dport` before `-p`), `-c`, `-4`.
  const tricky = [
    '*filter', ':INPUT ACCEPT [0:0]', ':X - [0:0]',
    '[3:4] -A X --dport 22 -p tcp -j ACCEPT', '[3:4] -A X --dport 22 -p tcp -j ACCEPT',
    '[5:6] -A X -p tcp --dport 22 -c 7 8 -j ACCEPT', '-A X -4 -p udp --sport 68 -j DROP', '-A X -4 -p udp --sport 68 -j DROP',
    '[0:0] -A X -f -s 10.0.0.1/32 -m mac --mac-source FA:16:3E:00:00:01 -j RETURN', '[1:1] -A X -f -s 10.0.0.1/32 -m mac --mac-source FA:16:3E:00:00:01 -j RETURN',
    '[0:0] -A X -p udp -m udp --sport 68 --dport 67 -m comment --comment "DHCP \\"x\\"" -j LOG --log-prefix "a b"',
    '[0:0] -A X  -p udp -m udp --sport 68 --dport 67 -m comment --comment "DHCP \\"x\\"" -j LOG --log-prefix "a b"',
    'COMMIT', '',
  ].join('\n');

  const root = path.join(FIXTURES, '../..');
  for (const [name, text] of [...saves.map((f) => [path.relative(root, f), readFileSync(f, 'utf8')]), ['tricky lines', tricky], ['rules of one form', SHAPED]] as const) {
    it(name, () => {
      const read = (): IptablesRule[] => parseIptablesSave(text, { file: 'f' }).value.tables.flatMap((t) => t.chains.flatMap((c) => c.rules));
      const rules = read();
      let lazy = 0;
      // In file order (a text's first line asks first and gets the reader's own objects) and
      // backwards (a repeat asks first; the first line gets shifted copies).
      for (const rule of [...rules, ...read().reverse()]) {
        const plain = plainReading(text, rule);
        if (!plain) continue;
        if (rule instanceof LazyRule) lazy++;
        assert.equal(serialise(rule), serialise(plain), rule.raw);
        const json = (x: unknown): string => JSON.stringify(x, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
        assert.equal(json(rule), json(plain), `JSON of ${rule.raw}`);
      }
      assert.ok(rules.length === 0 || lazy > 0, 'some rules are lazy');
    });
  }
});
