import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeIpv4, decodeMac } from '../../../src/core/ebtables/decodeEbtablesValue';
import type { EbtablesRule } from '../../../src/core/ebtables/EbtablesRule';
import { parseEbtablesList } from '../../../src/core/ebtables/parseEbtablesList';
import { expandNwfilter, type ExpandedNwFilterRule } from '../../../src/core/nwfilter/expandNwfilter';
import { libvirtEbtablesLayout } from '../../../src/core/nwfilter/libvirtEbtablesLayout';
import type { NwFilter } from '../../../src/core/nwfilter/NwFilter';
import { parseNwfilterXml } from '../../../src/core/nwfilter/parseNwfilterXml';
import { canonicalValue } from '../ebtables/rulesetSemantics';
import { hotsosFilters, readFixture } from './nwfilterFixtures';

function loadAll(): NwFilter[] {
  const texts = [...hotsosFilters().values(), readFixture('nova-base.xml'), readFixture('nova-instance-instance-0000000f-fa163e5801ac.xml')];
  return texts.flatMap((t, i) => {
    const r = parseNwfilterXml(t, { file: `f${i}` });
    assert.deepEqual(r.diagnostics, []);
    return r.value;
  });
}

function parse(xml: string): NwFilter[] {
  const r = parseNwfilterXml(xml, { file: 'inline.xml' });
  assert.deepEqual(r.diagnostics, []);
  return r.value;
}

/** nwfilter attribute -> the ebtables option libvirt writes for it (the ones the nova filters use). */
const ATTR_TO_OPTION: Readonly<Record<string, [string, (v: string) => ReturnType<typeof decodeMac>]>> = {
  srcmacaddr: ['-s', decodeMac],
  srcipaddr: ['--ip-src', decodeIpv4],
  arpsrcmacaddr: ['--arp-mac-src', decodeMac],
  arpsrcipaddr: ['--arp-ip-src', decodeIpv4],
};

/** What an expanded nwfilter rule looks like once libvirt made it an ebtables rule, canonically. */
function asEbtables(r: ExpandedNwFilterRule): string {
  const opts: string[] = [];
  for (const [attr, value] of Object.entries(r.attributes)) {
    const map = ATTR_TO_OPTION[attr];
    if (map) opts.push(`${map[0]} ${canonicalValue(map[1](value), [value])}`);
    else if (attr === 'protocol') opts.push(`--ip-proto ${value}`);
  }
  return `${opts.sort().join(' ')} -j ${r.rule.action.toUpperCase()}`;
}

function ebtablesCanonical(rule: EbtablesRule): string {
  const opts = rule.options
    .filter((o) => o.name !== '-p')
    .map((o) => (o.name === '--ip-proto' ? `--ip-proto ${o.values[0] ?? ''}` : `${o.name} ${canonicalValue(o.decoded, o.values)}`));
  return `${opts.sort().join(' ')} -j ${rule.target.name}`;
}

describe('expandNwfilter', () => {
  const filters = loadAll();

  it('follows nova-instance -> nova-base -> the stock anti-spoofing filters, substituting $MAC and $IP', () => {
    const x = expandNwfilter(filters, 'nova-instance-instance-0000000f-fa163e5801ac', {});
    assert.deepEqual(x.problems, []);
    assert.deepEqual(x.rules.map((r) => [r.path.slice(1).join(' > '), r.chain, r.chainPriority, r.priority, r.rule.action, JSON.stringify(r.attributes)]), [
      ['nova-base > no-mac-spoofing', 'mac', -800, 500, 'return', '{"srcmacaddr":"fa:16:3e:58:01:ac"}'],
      ['nova-base > no-mac-spoofing', 'mac', -800, 500, 'drop', '{}'],
      ['nova-base > no-ip-spoofing', 'ipv4-ip', -710, 100, 'return', '{"srcipaddr":"0.0.0.0","protocol":"udp"}'],
      ['nova-base > no-ip-spoofing', 'ipv4-ip', -710, 500, 'return', '{"srcipaddr":"10.16.0.111"}'],
      ['nova-base > no-ip-spoofing', 'ipv4-ip', -710, 1000, 'drop', '{}'],
      ['nova-base > no-arp-spoofing > no-arp-mac-spoofing', 'arp-mac', -520, 350, 'return', '{"arpsrcmacaddr":"fa:16:3e:58:01:ac"}'],
      ['nova-base > no-arp-spoofing > no-arp-mac-spoofing', 'arp-mac', -520, 1000, 'drop', '{}'],
      ['nova-base > no-arp-spoofing > no-arp-ip-spoofing', 'arp-ip', -510, 400, 'return', '{"arpsrcipaddr":"10.16.0.111"}'],
      ['nova-base > no-arp-spoofing > no-arp-ip-spoofing', 'arp-ip', -510, 1000, 'drop', '{}'],
    ]);
    const ip = x.rules[3];
    assert.deepEqual(ip?.variables, { IP: '10.16.0.111' });
    assert.deepEqual(ip?.via.map((v) => [v.filter, v.span.line]), [['nova-base', 3], ['no-ip-spoofing', 4]]);
    assert.equal(ip?.rule.attributes['srcipaddr'], '$IP');
  });

  it("lays the expansion out as exactly the ebtables chains seed 000 listed for tap496fa038-9e", () => {
    const x = expandNwfilter(filters, 'nova-instance-instance-0000000f-fa163e5801ac', {});
    const layout = libvirtEbtablesLayout(x.rules, 'tap496fa038-9e', 'out');
    const seedText = readFileSync(path.resolve(__dirname, '../../fixtures/seeds/000-ebtables-t-nat-L.txt'), 'utf8');
    const seed = parseEbtablesList(seedText, { file: 'seed' }).value.tables[0];
    const root = seed?.chains.find((c) => c.name === layout.rootChain);
    assert.deepEqual(layout.root.map((i) => (i.kind === 'jump' ? i.chain : 'rule')), root?.rules.map((r) => r.target.name));
    assert.equal(layout.chains.size, 4);
    for (const [name, rules] of layout.chains) {
      const listed = seed?.chains.find((c) => c.name === name);
      assert.ok(listed, name);
      assert.deepEqual(rules.map(asEbtables), listed.rules.map(ebtablesCanonical), name);
    }
    assert.deepEqual(libvirtEbtablesLayout(x.rules, 'tap496fa038-9e', 'in').chains.size, 0);
  });

  it('expands clean-traffic with lists: one rule per IP, the rest once', () => {
    const x = expandNwfilter(filters, 'clean-traffic', { MAC: 'fa:16:3e:58:01:ac', IP: ['10.16.0.111', '10.16.0.200'] });
    assert.deepEqual(x.problems, []);
    const ipRules = x.rules.filter((r) => r.filter.name === 'no-ip-spoofing' && r.rule.attributes['srcipaddr'] === '$IP');
    assert.deepEqual(ipRules.map((r) => r.attributes['srcipaddr']), ['10.16.0.111', '10.16.0.200']);
    assert.deepEqual(x.rules.map((r) => r.filter.name).filter((n, i, a) => a.indexOf(n) === i), [
      'no-mac-spoofing', 'no-ip-spoofing', 'clean-traffic', 'allow-incoming-ipv4', 'no-arp-mac-spoofing', 'no-arp-ip-spoofing',
      'no-other-l2-traffic', 'qemu-announce-self', 'qemu-announce-self-rarp', 'no-other-rarp-traffic',
    ]);
    assert.equal(x.rules.length, 2 + 4 + 1 + 1 + 2 + 3 + 1 + 1 + 1 + 2 + 1);
  });

  it('lets values passed down win over a filterref parameter, as libvirt does', () => {
    const xml = `<filter name='top' chain='root'><filterref filter='mid'><parameter name='IP' value='10.0.0.9'/><parameter name='PORT' value='80'/></filterref></filter>
<filter name='mid' chain='ipv4'><rule action='accept' direction='in'><ip srcipaddr='$IP' dstportstart='$PORT'/></rule></filter>`;
    const x = expandNwfilter(parse(xml), 'top', { IP: '10.0.0.1' });
    assert.deepEqual(x.rules.map((r) => r.attributes), [{ srcipaddr: '10.0.0.1', dstportstart: '80' }]);
  });

  it('iterates lists like libvirt: shared iterators in lock step, different ones crossed, [n] picks one', () => {
    const xml = `<filter name='t' chain='ipv4'>
  <rule action='accept' direction='in'><tcp srcipaddr='$A[@1]' dstportstart='$B[@1]'/></rule>
  <rule action='accept' direction='in'><tcp srcipaddr='$A' dstportstart='$B[@2]'/></rule>
  <rule action='accept' direction='in'><tcp srcipaddr='$A[1]'/></rule>
</filter>`;
    const x = expandNwfilter(parse(xml), 't', { A: ['1.1.1.1', '2.2.2.2'], B: ['10', '20'] });
    assert.deepEqual(x.problems, []);
    assert.deepEqual(x.rules.map((r) => `${r.attributes['srcipaddr'] ?? ''}:${r.attributes['dstportstart'] ?? ''}`), [
      '1.1.1.1:10', '2.2.2.2:20',
      '1.1.1.1:10', '2.2.2.2:10', '1.1.1.1:20', '2.2.2.2:20',
      '2.2.2.2:',
    ]);
    assert.deepEqual(x.rules[6]?.variables, { 'A[1]': '2.2.2.2' });
  });

  it('reports missing filters, loops, unresolved variables and list mismatches without throwing', () => {
    const xml = `<filter name='a' chain='root'><filterref filter='b'/><filterref filter='ghost'/></filter>
<filter name='b' chain='root'><filterref filter='a'/><rule action='drop' direction='out'><mac srcmacaddr='$MAC'/></rule><rule action='drop' direction='out'><tcp srcipaddr='$X[@1]' dstportstart='$Y[@1]'/></rule></filter>
<filter name='b' chain='root'/>`;
    const x = expandNwfilter(parse(xml), 'a', { X: ['1.1.1.1', '2.2.2.2'], Y: ['1'] });
    assert.deepEqual(x.problems.map((p) => [p.kind, p.message, p.span?.line]), [
      ['duplicateName', 'filter b is defined more than once; the first definition is used', 3],
      ['loop', 'filter b references a, which is already on the path a -> b; not followed (libvirt refuses such loops)', 2],
      ['unresolvedVariable', 'variable MAC has no value in a -> b; rules keep `$MAC`', 2],
      ['cardinality', 'variables X, Y share an iterator but hold 2 and 1 values (libvirt refuses this); only 1 combination(s) used', 2],
      ['missingFilter', 'filter a references ghost, which is not among the filters read; its rules are missing from this expansion', 1],
    ]);
    assert.deepEqual(x.rules.map((r) => [r.attributes, r.unresolved]), [
      [{ srcmacaddr: '$MAC' }, ['MAC']],
      [{ srcipaddr: '1.1.1.1', dstportstart: '1' }, []],
    ]);
    assert.deepEqual(expandNwfilter([], 'nope', {}).problems.map((p) => p.message), ['filter nope is not among the 0 filters read']);
  });
});
