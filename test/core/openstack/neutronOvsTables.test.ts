import { strict as assert } from 'node:assert';
import { bridgeRoleOf, NEUTRON_DROPPED_TRAFFIC_TABLE, NEUTRON_OVS_TABLES, neutronTableMeanings } from '../../../src/core/openstack/neutronOvsTables';

describe('Neutron OVS table numbers', () => {
  it('covers the tables operators meet on br-int, br-tun and physical bridges', () => {
    const all = new Set(Object.values(NEUTRON_OVS_TABLES).flatMap((t) => Object.keys(t).map(Number)));
    for (const n of [0, 1, 2, 3, 10, 20, 21, 22, 23, 24, 25, 60, 61, 62, 71, 72, 73, 81, 82, 91, 92, 93, 94]) assert.ok(all.has(n), `table ${n}`);
    assert.equal(NEUTRON_OVS_TABLES.int[24]!.name, 'ARP_SPOOF_TABLE');
    assert.equal(NEUTRON_OVS_TABLES.tun[22]!.name, 'FLOOD_TO_TUN');
    assert.equal(NEUTRON_OVS_TABLES.phys[2]!.name, 'LOCAL_VLAN_TRANSLATION');
    // neutron-lib ovs_constants since 2023.1: 58 and 59 are the QoS meter tables.
    assert.equal(NEUTRON_OVS_TABLES.int[58]!.name, 'PACKET_RATE_LIMIT');
    assert.equal(NEUTRON_OVS_TABLES.int[59]!.name, 'BANDWIDTH_RATE_LIMIT');
    assert.equal(NEUTRON_OVS_TABLES.int[NEUTRON_DROPPED_TRAFFIC_TABLE]!.name, 'DROPPED_TRAFFIC_TABLE');
  });

  it('picks the meaning by bridge role, or lists every role when unknown', () => {
    assert.deepEqual(neutronTableMeanings(2, 'tun').map((m) => m.table.name), ['PATCH_LV_TO_TUN']);
    assert.deepEqual(neutronTableMeanings(2, undefined).map((m) => `${m.role}:${m.table.name}`), ['int:DVR_TO_SRC_MAC_PHYSICAL', 'tun:PATCH_LV_TO_TUN', 'phys:LOCAL_VLAN_TRANSLATION']);
    assert.deepEqual(neutronTableMeanings(24, 'ovn'), []);
  });

  it('tells bridge roles from names and from the tables in use', () => {
    assert.equal(bridgeRoleOf('br-int', []), 'int');
    assert.equal(bridgeRoleOf('br-tun', []), 'tun');
    assert.equal(bridgeRoleOf('br-ex', []), 'phys');
    assert.equal(bridgeRoleOf(undefined, [0, 24, 60, 71]), 'int');
    assert.equal(bridgeRoleOf(undefined, [0, 2, 4, 10, 20, 22]), 'tun');
    assert.equal(bridgeRoleOf(undefined, [0]), undefined);
    assert.equal(bridgeRoleOf('br-int', [0], true), 'ovn');
  });
});
