import { strict as assert } from 'node:assert';
import { chainIndex, findChain, findTable } from '../../../src/core/iptables/findChain';
import { parseIptablesSave } from '../../../src/core/iptables/parseIptablesSave';
import { fixture } from './netfilterTestHelpers';

describe('findChain', () => {
  it('finds chains by table and name through a cached index', () => {
    const rs = parseIptablesSave(fixture('iptables/hotsos/iptables-save_netns_snat.txt'), { file: 'x' }).value;
    assert.equal(findChain(rs, 'nat', 'neutron-l3-agent-snat')!.rules.length, 3);
    assert.equal(findChain(rs, 'filter', 'neutron-l3-agent-snat'), undefined);
    assert.equal(findChain(rs, 'nope', 'INPUT'), undefined);
    assert.equal(chainIndex(rs), chainIndex(rs));
    assert.equal(findTable(rs, 'mangle')!.raw, '*mangle');
  });
});
