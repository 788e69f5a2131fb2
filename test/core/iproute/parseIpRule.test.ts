import { strict as assert } from 'node:assert';
import type { PolicyRule } from '../../../src/core/iproute/PolicyRule';
import { parseIpRule } from '../../../src/core/iproute/parseIpRule';
import { assertSpans, fixture } from './helpers';

const brief = (r: PolicyRule): unknown[] => [r.priority, r.not, r.from === 'all' || r.from === undefined ? r.from : r.from.text, r.action, r.table];

describe('parseIpRule', () => {
  it('reads the DVR qrouter / fip namespaces (tables 16, 3232240897, iif) and the default rules', () => {
    const text = fixture('iproute/hotsos/ip_rule_netns_qrouter.txt');
    const r = parseIpRule(text, { file: 'ip_rule_netns_qrouter' });
    assert.deepEqual(r.diagnostics, []);
    assertSpans(text, r.value);
    assert.deepEqual(r.value.map(brief), [
      [0, false, 'all', 'lookup', 'local'],
      [32766, false, 'all', 'lookup', 'main'],
      [32767, false, 'all', 'lookup', 'default'],
      [71743, false, '192.168.21.18', 'lookup', '16'],
      [3232240897, false, '192.168.21.1/24', 'lookup', '3232240897'],
    ]);
    assert.equal(r.value[3]!.from !== 'all' && r.value[3]!.from?.prefixLength, 32);
    const fip = parseIpRule(fixture('iproute/hotsos/ip_rule_netns_fip.txt'), { file: 'fip' }).value;
    assert.deepEqual([fip[3]!.priority, fip[3]!.iif, fip[3]!.table], [2852018311, 'fpr-984c22fd-6', '2852018311']);
  });

  it('reads every selector of the live capture: to, fwmark/mask, not, iif [detached], oif, goto, actions', () => {
    const text = fixture('iproute/live/ip_rule.txt');
    const r = parseIpRule(text, { file: 'ip_rule' });
    assert.deepEqual(r.diagnostics, []);
    assertSpans(text, r.value);
    const by = new Map(r.value.map((x) => [x.priority, x]));
    assert.equal(by.get(1001)!.to?.text, '10.70.0.0/16');
    assert.deepEqual(by.get(1002)!.fwmark, { value: 1, mask: 1 });
    assert.deepEqual([by.get(1003)!.not, by.get(1003)!.fwmark], [true, { value: 2, mask: 0xffffffff }]);
    assert.deepEqual([by.get(1004)!.iif, by.get(1004)!.iifDetached], ['d0', undefined]);
    assert.deepEqual([by.get(1005)!.suppressPrefixLength, by.get(1005)!.table], [0, 'main']);
    assert.deepEqual([by.get(1006)!.oif, by.get(1006)!.action], ['br0', 'blackhole']);
    assert.deepEqual([by.get(1007)!.action, by.get(1007)!.gotoTarget], ['goto', 1010]);
    assert.deepEqual([by.get(1008)!.iif, by.get(1008)!.iifDetached], ['ghost0', true]);
    assert.equal(by.get(1010)!.action, 'unreachable');
    assert.ok(r.value.every((x) => x.family === 4));
  });

  it('takes IPv6 from the file name for `ip -6 rule` lines without an address, and reads seed 004', () => {
    const r = parseIpRule(fixture('iproute/live/ip_-6_rule.txt'), { file: 'ip_-6_rule' });
    assert.deepEqual(r.value.map((x) => [x.priority, x.family]), [[0, 6], [500, 6], [32766, 6]]);
    const seed = parseIpRule(fixture('seeds/004-qrouter_ip_rule_list_dvr.txt'), { file: '004' });
    assert.deepEqual(seed.diagnostics, []);
    assert.deepEqual(seed.value.map(brief)[3], [57481, false, '192.168.21.5', 'lookup', '16']);
    const ha = parseIpRule(fixture('seeds/004-qrouter_ip_rule_list_ha_fip.txt'), { file: '004' }).value;
    assert.deepEqual(ha.map((x) => x.priority), [0, 32766, 32767, 36419, 3232240897]);
  });

  it('reports malformed rules with their position and skips them', () => {
    const text = [
      '100:\tfrom 10.0.0.0/8 lookup 5 realms 1/2',
      'abc:\tfrom all lookup main',
      '101:\tfrom 10.0.0.0/99 lookup 5',
      '102:\tfrom all fwmark 0xzz lookup 5',
      '103:\tfrom all sparkle lookup 7',
      '104:\tfrom all goto',
    ].join('\n');
    const r = parseIpRule(text, { file: 't' });
    assert.deepEqual(r.value.map((x) => [x.priority, x.table]), [[100, '5'], [103, '7'], [104, undefined]]);
    assert.deepEqual(r.diagnostics.map((d) => [d.severity, d.line, d.column, d.message]), [
      ['error', 2, 1, "expected a rule priority like '32766:', found 'abc:'; line skipped"],
      ['error', 3, 11, "bad from prefix '10.0.0.0/99'; rule skipped"],
      ['error', 4, 22, "bad fwmark '0xzz'; rule skipped"],
      ['warning', 5, 15, "unknown rule attribute 'sparkle'; kept in raw, ignored"],
      ['error', 6, 15, "rule attribute 'goto' has no value; ignored"],
    ]);
  });
});
