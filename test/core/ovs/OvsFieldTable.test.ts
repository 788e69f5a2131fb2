import { strict as assert } from 'node:assert';
import {
  fullMask,
  OVS_FIELDS,
  OVS_PROTOCOL_SHORTHANDS,
  ovsFieldByAnyName,
  ovsFieldByName,
  ovsFieldByNxmName,
} from '../../../src/core/ovs/OvsFieldTable';

describe('OvsFieldTable', () => {
  it('has unique names and aliases across all fields', () => {
    const seen = new Set<string>();
    for (const f of OVS_FIELDS) {
      for (const n of [f.name, ...f.aliases]) {
        assert.ok(!seen.has(n), `duplicate name ${n}`);
        seen.add(n);
      }
      assert.ok(f.bits > 0 && f.bits <= 992, f.name);
    }
  });

  it('maps the names dump-flows prints to ovs-fields(7) canonical names', () => {
    const pairs: [string, string][] = [
      ['dl_src', 'eth_src'], ['dl_dst', 'eth_dst'], ['dl_type', 'eth_type'], ['nw_src', 'ip_src'], ['nw_dst', 'ip_dst'],
      ['ip_proto', 'nw_proto'], ['tp_src', 'tcp_src'], ['tp_dst', 'tcp_dst'], ['nw_frag', 'ip_frag'], ['tunnel_id', 'tun_id'],
      ['ip_ecn', 'nw_ecn'], ['in_port', 'in_port'], ['dl_vlan', 'dl_vlan'], ['vlan_tci', 'vlan_tci'], ['ct_state', 'ct_state'],
    ];
    for (const [alias, canonical] of pairs) assert.equal(ovsFieldByName(alias)?.name, canonical, alias);
  });

  it('knows widths and value kinds', () => {
    const w = (n: string): [number, string, boolean] => {
      const f = ovsFieldByName(n)!;
      return [f.bits, f.kind, f.maskable];
    };
    assert.deepEqual(w('eth_src'), [48, 'mac', true]);
    assert.deepEqual(w('ip_src'), [32, 'ipv4', true]);
    assert.deepEqual(w('ipv6_label'), [20, 'hex', true]);
    assert.deepEqual(w('dl_vlan'), [12, 'decimal', false]);
    assert.deepEqual(w('vlan_tci'), [16, 'hex', true]);
    assert.deepEqual(w('tcp_flags'), [12, 'tcpFlags', true]);
    assert.deepEqual(w('ct_state'), [32, 'ctState', true]);
    assert.deepEqual(w('in_port'), [16, 'ofport', false]);
    assert.deepEqual(w('ct_label'), [128, 'hex', true]);
    assert.equal(fullMask(ovsFieldByName('tcp_dst')!), 0xffffn);
  });

  it('maps NXM/OXM names used by load/move/learn, registers included', () => {
    const n = (x: string): string | undefined => ovsFieldByNxmName(x)?.name;
    assert.equal(n('NXM_NX_REG0'), 'reg0');
    assert.equal(n('NXM_NX_REG15'), 'reg15');
    assert.equal(n('NXOXM_ET_REG16'), 'reg16');
    assert.equal(n('OXM_OF_PKT_REG1'), 'xreg1');
    assert.equal(n('NXM_NX_XXREG0'), 'xxreg0');
    assert.equal(n('NXM_OF_ETH_SRC'), 'eth_src');
    assert.equal(n('OXM_OF_METADATA'), 'metadata');
    assert.equal(n('NXM_NX_TUN_ID'), 'tun_id');
    assert.equal(n('OXM_OF_TUNNEL_ID'), 'tun_id');
    assert.equal(n('NXM_OF_VLAN_TCI'), 'vlan_tci');
    assert.equal(n('OXM_OF_IN_PORT'), 'in_port_oxm');
    assert.equal(n('NXM_NX_CT_MARK'), 'ct_mark');
    assert.equal(n('NXM_NX_TUN_METADATA0'), 'tun_metadata0');
    assert.equal(n('NXM_OF_ETH_SRC_W'), 'eth_src');
    assert.equal(ovsFieldByAnyName('reg6')?.nxm, 'NXM_NX_REG6');
    assert.equal(ovsFieldByAnyName('constructor'), undefined);
    assert.equal(ovsFieldByName('__proto__'), undefined);
  });

  it('expands protocol shorthands to their prerequisites', () => {
    assert.deepEqual(OVS_PROTOCOL_SHORTHANDS['tcp'], { ethType: 0x0800, nwProto: 6 });
    assert.deepEqual(OVS_PROTOCOL_SHORTHANDS['udp6'], { ethType: 0x86dd, nwProto: 17 });
    assert.deepEqual(OVS_PROTOCOL_SHORTHANDS['icmp6'], { ethType: 0x86dd, nwProto: 58 });
    assert.deepEqual(OVS_PROTOCOL_SHORTHANDS['arp'], { ethType: 0x0806 });
    assert.deepEqual(OVS_PROTOCOL_SHORTHANDS['rarp'], { ethType: 0x8035 });
    assert.deepEqual(OVS_PROTOCOL_SHORTHANDS['mpls'], { ethType: 0x8847 });
  });
});
