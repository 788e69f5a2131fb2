import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { cidrNetwork } from '../../../src/core/net/Cidr';
import { parseIpsetList } from '../../../src/core/ipset/parseIpsetList';
import { parseIpsetSave } from '../../../src/core/ipset/parseIpsetSave';
import { sniffIpsetFormat } from '../../../src/core/ipset/sniffIpsetFormat';
import { assertDiagnosticsInside, assertSpans, fixture } from '../iptables/netfilterTestHelpers';
import { mutatedDump } from '../iptables/netfilterProperties';

const SAVE = 'iptables/netns-generated/ipset/ipset_save.nft';
const LIST = 'iptables/netns-generated/ipset/ipset_list.nft';

describe('parseIpsetSave / parseIpsetList (real ipset v7.17 output)', () => {
  it('reads `ipset save`: types, families, create options, members with nomatch, counters and comments', () => {
    const text = fixture(SAVE);
    const { value, diagnostics } = parseIpsetSave(text, { file: 'ipset_save' });
    assert.deepEqual(diagnostics, []);
    assert.equal(value.format, 'ipset-save');
    assert.deepEqual(value.sets.map((s) => [s.name, s.type, s.family, s.members.length]), [
      ['NIPv4fd3a0b4c-5e6f', 'hash:net', 4, 2],
      ['blocked', 'hash:ip,port', 4, 2],
      ['NIPv6fd3a0b4c-5e6f', 'hash:net', 6, 2],
      ['lanports', 'bitmap:port', undefined, 2],
      ['nets', 'hash:net', 4, 2],
      ['empty', 'hash:ip', 4, 0],
      ['ll', 'list:set', undefined, 2],
    ]);
    const neutron = value.sets[0]!;
    assert.equal(neutron.raw, 'create NIPv4fd3a0b4c-5e6f hash:net family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0x6f27d8a9');
    assert.deepEqual(neutron.options, { family: 'inet', hashsize: '1024', maxelem: '65536', bucketsize: '12', initval: '0x6f27d8a9' });
    assert.deepEqual(neutron.members.map((m) => m.cidr && cidrNetwork(m.cidr)), ['10.1.26.136/32', '10.1.26.0/24']);
    const blocked = value.sets[1]!;
    assert.equal(blocked.options['counters'], '');
    assert.deepEqual(blocked.members.map((m) => [m.text, m.cidr?.text, m.comment]), [
      ['192.168.1.1,tcp:80', '192.168.1.1', 'web \\box\\'],
      ['192.168.1.2,udp:53', '192.168.1.2', undefined],
    ]);
    assert.equal(blocked.members[1]!.options, 'timeout 0 packets 0 bytes 0');
    assert.deepEqual(value.sets[4]!.members.map((m) => [m.text, m.nomatch]), [['10.9.0.0/16', true], ['10.0.0.0/8', undefined]]);
    assert.deepEqual(value.sets[3]!.members.map((m) => [m.text, m.cidr]), [['22', undefined], ['80', undefined]]);
    assertSpans(text, value.sets);
    assertSpans(text, value.sets.flatMap((s) => [...s.members]));
  });

  it('reads `ipset list` the same, block spans included', () => {
    const text = fixture(LIST);
    const list = parseIpsetList(text, { file: 'ipset_list' });
    assert.deepEqual(list.diagnostics, []);
    const save = parseIpsetSave(fixture(SAVE), { file: 'ipset_save' }).value;
    const shape = (sets: typeof save.sets): unknown => sets.map((s) => [s.name, s.type, s.family, s.header, s.members.map((m) => [m.text, m.cidr?.text, m.nomatch, m.comment])]);
    assert.deepEqual(shape(list.value.sets), shape(save.sets));
    const first = list.value.sets[0]!;
    assert.deepEqual(first.fields, { Revision: '7', 'Size in memory': '552', References: '1', 'Number of entries': '2' });
    assert.ok(first.raw.startsWith('Name: NIPv4fd3a0b4c-5e6f\nType: hash:net\n') && first.raw.endsWith('Members:\n10.1.26.136\n10.1.26.0/24'));
    assert.equal(list.value.sets[5]!.raw.split('\n').pop(), 'Members:', 'an empty set ends at Members:');
    assertSpans(text, list.value.sets);
    assertSpans(text, list.value.sets.flatMap((s) => [...s.members]));
    const terse = parseIpsetList(fixture('iptables/netns-generated/ipset/ipset_list_-t.legacy'), { file: 'ipset_list_-t' });
    assert.deepEqual(terse.diagnostics, []);
    assert.deepEqual(terse.value.sets.map((s) => [s.name, s.members.length]), save.sets.map((s) => [s.name, 0]));
  });

  it('recognises both forms and nothing else', () => {
    assert.equal(sniffIpsetFormat(fixture(SAVE)), 'ipset-save');
    assert.equal(sniffIpsetFormat(fixture(LIST)), 'ipset-list');
    assert.equal(sniffIpsetFormat('-N old nethash --hashsize 1024\n-A old 10.0.0.0/8\nCOMMIT\n'), 'ipset-save');
    assert.equal(sniffIpsetFormat('*filter\n'), undefined);
    assert.equal(sniffIpsetFormat(''), undefined);
  });

  it('reports bad lines with positions and keeps the rest', () => {
    const text = ['create a hash:ip family inet', 'add a 10.0.0.1', 'add b 10.0.0.2', 'bogus line', 'flush a', 'add a', 'create a hash:net'].join('\n');
    const { value, diagnostics } = parseIpsetSave(text, { file: 'x' });
    assertDiagnosticsInside(text, diagnostics);
    assert.deepEqual(diagnostics.map((d) => [d.severity, d.line]), [['warning', 3], ['error', 4], ['warning', 5], ['error', 6], ['warning', 7]]);
    assert.equal(diagnostics[0]!.message, 'add to set b that was not created in this dump (partial paste?); kept in a set of unknown type');
    assert.deepEqual(value.sets.map((s) => [s.name, s.type, s.members.length]), [['a', 'hash:ip', 1], ['b', 'unknown', 1]]);
    const list = parseIpsetList('junk\nName: x\nType: hash:ip\nHeader: family inet\nNumber of entries: 3\nMembers:\n10.0.0.1\n\n', { file: 'y' });
    assert.deepEqual(list.diagnostics.map((d) => [d.severity, d.line]), [['error', 1], ['warning', 2]]);
    assert.equal(list.diagnostics[1]!.message, 'set x says 3 entries but lists 1 (truncated output?)');
  });

  it('never throws on mutated dumps; spans still round-trip (fast-check)', () => {
    for (const [file, parse] of [[SAVE, parseIpsetSave], [LIST, parseIpsetList]] as const) {
      fc.assert(
        fc.property(mutatedDump(fixture(file)), (text) => {
          const r = parse(text, { file });
          assertDiagnosticsInside(text, r.diagnostics);
          assertSpans(text, r.value.sets);
          assertSpans(text, r.value.sets.flatMap((s) => [...s.members]));
        }),
        { numRuns: 100 },
      );
    }
  });
});
