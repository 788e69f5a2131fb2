import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { decodeOpenStackPorts } from '../../../src/core/openstack/decodeOpenStackPorts';
import { formatMac } from '../../../src/core/net/MacAddress';
import { loadSnapshot } from '../../../src/host/loadSnapshot';

/**
 * Sample 004's VMs are plugged into br-int without a firewall: no spoof chain or table-25 flow
 * names their MACs. The host side of each tap carries the guest MAC with the first byte 0xfe
 * (libvirt), so the port's MAC is inferred from it, and marked as inferred. The real guest MACs
 * are the ones the recorded probes were sent from (samples/004-dvr/observed.json).
 */
describe('decodeOpenStackPorts: the MAC of a port no layer names', () => {
  it('comes from the tap\'s fe:… MAC, marked as inferred', async () => {
    const { snapshot } = await loadSnapshot(path.resolve(__dirname, '../../../samples/004-dvr'));
    const ports = decodeOpenStackPorts(snapshot);
    const vm1 = ports.find((p) => p.vmDevice === 'tapc0a8150d-1f');
    assert.ok(vm1);
    assert.equal(vm1.macFromTap, true);
    assert.deepEqual(vm1.macs.map(formatMac), ['fa:16:3e:71:5c:05']);
  });

  it('is not inferred where a layer names the MAC (hybrid firewall spoof chain)', async () => {
    const { snapshot } = await loadSnapshot(path.resolve(__dirname, '../../../samples/002-neutron-spoof'));
    for (const p of decodeOpenStackPorts(snapshot)) assert.equal(p.macFromTap, undefined, p.id);
  });
});
