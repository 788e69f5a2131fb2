import assert from 'node:assert/strict';
import { parseNwfilterXml } from '../../../src/core/nwfilter/parseNwfilterXml';
import type { Diagnostic } from '../../../src/core/text/Diagnostic';
import { assertNwfilterSpans, hotsosFilters, readFixture } from './nwfilterFixtures';

const brief = (ds: readonly Diagnostic[]): [string, number, number, string][] => ds.map((d) => [d.severity, d.line, d.column, d.message]);

describe('parseNwfilterXml', () => {
  const files = hotsosFilters();

  it('reads each of the 18 stock filters of a nova-compute host with no diagnostics', () => {
    assert.equal(files.size, 18);
    for (const [name, text] of files) {
      const r = parseNwfilterXml(text, { file: name });
      assert.deepEqual(r.diagnostics, [], name);
      assert.equal(r.value.length, 1, name);
      assert.equal(`${r.value[0]?.name}.xml`, name);
      assertNwfilterSpans(text, r.value);
    }
  });

  it('reads no-ip-spoofing: chain, priority, uuid, rules with their variables and lines', () => {
    const text = files.get('no-ip-spoofing.xml') ?? '';
    const f = parseNwfilterXml(text, { file: 'no-ip-spoofing.xml' }).value[0];
    assert.deepEqual([f?.name, f?.chain, f?.priority, f?.uuid], ['no-ip-spoofing', 'ipv4-ip', -710, '99400676-91a5-4c49-8d0a-8e8d27d17777']);
    assert.deepEqual(f?.rules.map((r) => [r.action, r.direction, r.priority, r.protocol, r.attributes, r.span.line, r.span.endLine]), [
      ['return', 'out', 100, 'ip', { srcipaddr: '0.0.0.0', protocol: 'udp' }, 10, 12],
      ['return', 'out', 500, 'ip', { srcipaddr: '$IP' }, 13, 15],
      ['drop', 'out', 1000, undefined, {}, 16, 16],
    ]);
    assert.equal(f?.rules[2]?.raw, "<rule action='drop' direction='out' priority='1000'/>");
    assert.deepEqual(f?.rules[2]?.ruleAttributes, { action: 'drop', direction: 'out', priority: '1000' });
    assert.deepEqual([f?.span.line, f?.span.column, f?.span.endLine], [8, 1, 17]);
  });

  it('keeps rules and filterrefs interleaved in document order (clean-traffic)', () => {
    const f = parseNwfilterXml(files.get('clean-traffic.xml') ?? '', { file: 'clean-traffic.xml' }).value[0];
    assert.deepEqual(f?.entries.map((e) => (e.kind === 'rule' ? `rule ${e.action} ${e.direction} ${e.priority} ${e.attributes['protocolid']}` : `ref ${e.filter}`)), [
      'ref no-mac-spoofing', 'ref no-ip-spoofing', 'rule accept out -650 ipv4', 'ref allow-incoming-ipv4', 'ref no-arp-spoofing',
      'rule accept inout -500 arp', 'ref no-other-l2-traffic', 'ref qemu-announce-self',
    ]);
    assert.equal(f?.filterrefs.length, 6);
    assert.equal(f?.rules.length, 2);
    assert.deepEqual(f?.filterrefs.map((r) => r.span.line), [10, 11, 15, 16, 20, 21]);
    assert.equal(f?.chain, 'root');
    assert.equal(f?.priority, undefined);
  });

  it('reads filterref parameters, repeated names and the rarp rule of qemu-announce-self-rarp', () => {
    const inst = parseNwfilterXml(readFixture('nova-instance-instance-0000000f-fa163e5801ac.xml'), { file: 'inst' }).value[0];
    assert.deepEqual(inst?.filterrefs[0]?.parameters, [
      { name: 'DHCPSERVER', value: '10.16.0.102' }, { name: 'IP', value: '10.16.0.111' }, { name: 'MAC', value: 'fa:16:3e:58:01:ac' },
    ]);
    const rarp = parseNwfilterXml(files.get('qemu-announce-self-rarp.xml') ?? '', { file: 'r' }).value[0]?.rules[0];
    assert.deepEqual(rarp?.attributes, {
      srcmacaddr: '$MAC', dstmacaddr: 'ff:ff:ff:ff:ff:ff', opcode: 'Request_Reverse', arpsrcmacaddr: '$MAC', arpdstmacaddr: '$MAC', arpsrcipaddr: '0.0.0.0', arpdstipaddr: '0.0.0.0',
    });
    const xml = "<filter name='x' chain='ipv4'>\n  <rule action='accept' direction='in' statematch='false'>\n    <tcp match='no' srcipaddr='$IP[@1]' dstportstart='$PORTS[2]' comment='a &amp; b'/>\n  </rule>\n</filter>\n";
    const tcp = parseNwfilterXml(xml, { file: 'x' }).value[0]?.rules[0];
    assert.deepEqual([tcp?.negated, tcp?.statematch, tcp?.attributes['srcipaddr'], tcp?.attributes['dstportstart'], tcp?.attributes['comment']], [true, false, '$IP[@1]', '$PORTS[2]', 'a & b']);
  });

  it('reads concatenated virsh nwfilter-dumpxml output, with CRLF line ends too', () => {
    const parts = [...files.values()].map((t) => t.replace(/^<!--[\s\S]*?-->\s*/, ''));
    const text = `${parts.join('')}${readFixture('nova-base.xml')}${readFixture('nova-instance-instance-0000000f-fa163e5801ac.xml')}`;
    for (const t of [text, text.replace(/\n/g, '\r\n')]) {
      const r = parseNwfilterXml(t, { file: 'all' });
      assert.deepEqual(r.diagnostics, []);
      assert.equal(r.value.length, 20);
      assert.equal(r.value[19]?.filterrefs[0]?.filter, 'nova-base');
      assert.ok(assertNwfilterSpans(t, r.value) > 60);
    }
  });

  it('reports malformed XML with its line and keeps the other filters', () => {
    const bad = [
      "<filter name='a' chain='mac'>",
      "  <rule action='drop' direction='out'>",
      "    <mac srcmacaddr='$MAC'/>",
      '</filter>',
      "<filter name='b' chain='root'>",
      "  <rule action='explode' direction='sideways' priority='x'><foo/><mac/></rule>",
      '  <filterref/>',
      '  <bogus/>',
      '</filter>',
      'stray text',
      "<filter name='c'>",
      "  <rule action='accept' direction='in'/>",
      '',
    ].join('\n');
    const r = parseNwfilterXml(bad, { file: 'bad.xml' });
    assert.deepEqual(brief(r.diagnostics), [
      ['warning', 10, 1, 'text outside <filter> elements ignored (1 place; is this a domain or filter-binding XML?)'],
      ['error', 4, 1, "malformed nwfilter XML: Expected closing tag 'rule' (opened in line 2, col 3) instead of closing tag 'filter'; filter 'a' skipped"],
      ['warning', 6, 3, 'rule action `explode` is not drop, accept, return, continue or reject; rule kept, not evaluated'],
      ['warning', 6, 3, 'rule direction `sideways` is not in, out or inout; rule kept, not evaluated'],
      ['warning', 6, 3, "rule priority `x` is not a number in -1000..1000; libvirt's default 500 applies"],
      ['warning', 6, 66, 'rule has 2 protocol elements; libvirt uses one, the first (<foo>) is kept'],
      ['warning', 6, 60, 'unknown nwfilter protocol <foo>; rule kept, not evaluated'],
      ['error', 7, 3, '<filterref> without a filter attribute; skipped'],
      ['warning', 8, 3, 'unknown element <bogus> in filter b; ignored'],
      ['error', 11, 1, "malformed nwfilter XML: no closing </filter> (truncated?): Unclosed tag 'filter'; filter 'c' skipped"],
    ]);
    assert.deepEqual(r.value.map((f) => f.name), ['b']);
    const rule = r.value[0]?.rules[0];
    assert.deepEqual([rule?.action, rule?.direction, rule?.priority, rule?.protocol, rule?.ruleAttributes['action']], ['unknown', 'unknown', undefined, 'foo', 'explode']);
    assertNwfilterSpans(bad, r.value);
  });

  it('says when there is no filter at all, and refuses binary input', () => {
    assert.deepEqual(brief(parseNwfilterXml('<domain type="kvm"></domain>', { file: 'd' }).diagnostics), [
      ['warning', 1, 1, 'text outside <filter> elements ignored (2 places; is this a domain or filter-binding XML?)'],
      ['error', 1, 1, 'no <filter> element found: not libvirt nwfilter XML'],
    ]);
    assert.deepEqual(brief(parseNwfilterXml('\u0000\u0001', { file: 'b' }).diagnostics), [['error', 1, 1, 'input looks binary, not nwfilter XML; nothing read']]);
    assert.deepEqual(parseNwfilterXml('', { file: 'e' }), { value: [], diagnostics: [] });
  });
});
