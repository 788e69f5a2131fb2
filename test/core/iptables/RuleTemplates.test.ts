import { strict as assert } from 'node:assert';
import type { IptablesRule } from '../../../src/core/iptables/IptablesModel';
import { parseIptablesSave } from '../../../src/core/iptables/parseIptablesSave';
import { TemplateRule } from '../../../src/core/iptables/RuleTemplates';

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
    const plain = rules.filter((x) => !(x instanceof TemplateRule));
    const repeats = rules.filter((x) => x instanceof TemplateRule);
    // First `args`, both `bad` lines and the first `-f` line are read; two `args` repeats and one `-f` repeat are made.
    assert.equal(repeats.length, 3);
    assert.equal(plain.length, 4);
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
    assert.ok(rules.filter((x) => x.raw.endsWith(bad)).every((x) => !(x instanceof TemplateRule)));
  });
});
