import { strict as assert } from 'node:assert';
import { parseIpNetns } from '../../../src/core/iproute/parseIpNetns';
import { assertSpans, fixture } from './helpers';

describe('parseIpNetns', () => {
  it('reads names with and without ids (hotsos 2021 node: 74 namespaces)', () => {
    const text = fixture('iproute/hotsos/ip_netns_74-namespaces_2021.txt');
    const r = parseIpNetns(text, { file: 'ip_netns' });
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.value.length, 74);
    assertSpans(text, r.value);
    assert.deepEqual(r.value[0], { name: 'qdhcp-0d5bab0a-75f6-402d-bc1d-9eeaa76ea35d', id: 2, raw: 'qdhcp-0d5bab0a-75f6-402d-bc1d-9eeaa76ea35d (id: 2)', span: r.value[0]!.span });
    const bare = r.value.find((n) => n.name === 'qrouter-3cd89174-fe96-4b6a-a84a-eaa8faebf01f')!;
    assert.equal(bare.id, undefined);
    const seed = parseIpNetns(fixture('seeds/004-ip_netns_list_network.txt'), { file: '004' }).value;
    assert.deepEqual(seed.map((n) => [n.name.split('-')[0], n.id]), [['qrouter', 2], ['snat', 1], ['qdhcp', 0]]);
  });

  it('reports lines that are not a namespace', () => {
    const r = parseIpNetns('ns1 (id: x)\nns two words\nns3\n', { file: 't' });
    assert.deepEqual(r.value.map((n) => [n.name, n.id]), [['ns1', undefined], ['ns3', undefined]]);
    assert.deepEqual(r.diagnostics.map((d) => [d.severity, d.line, d.column, d.message]), [
      ['error', 1, 10, "bad namespace id 'x)'; id ignored"],
      ['error', 2, 4, "expected 'NAME' or 'NAME (id: N)'; line skipped"],
    ]);
  });
});
