import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatMac } from '../../../src/core/net/MacAddress';
import { decodeOpenStackPorts, fixedIpOf } from '../../../src/core/openstack/decodeOpenStackPorts';
import { decodeOvnVifs } from '../../../src/core/openstack/decodeOvnVifs';
import { formatIp } from '../../../src/core/net/IpAddress';
import { buildHostSnapshot } from '../../../src/core/snapshot/buildHostSnapshot';
import type { HostSnapshot } from '../../../src/core/snapshot/HostSnapshot';
import { loadSnapshot } from '../../../src/host/loadSnapshot';
import { findCorpus } from '../ovs/ovsTestFiles';

const samples = path.resolve(__dirname, '../../../samples');
const A = 'e3a1c5d7-2f4b-4a6c-8e9d-1b3f5a7c9e20';
const B = '7b9d1f3e-5a7c-4e2b-9d4f-6a8c0e2b4d61';

/** A snapshot of only some files of a recorded sample (what a partial sosreport would hold). */
function partial(sample: string, files: Readonly<Record<string, string>>): HostSnapshot {
  const dir = path.join(samples, sample);
  return buildHostSnapshot(Object.entries(files).map(([as, from]) => ({ path: as, text: fs.readFileSync(path.join(dir, from), 'utf8') })), { kind: 'folder', path: sample });
}

/**
 * ML2/OVN VIFs on the compute node recorded by test/oracle/scenarios/008-ovn.sh (real OVN 23.03):
 * the taps nova plugged into br-int, tied to Neutron ports by the Interface table's iface-id and to
 * OVN's logical ports by ovn-controller's table-0 flows, with port security read off the flows.
 */
describe('decodeOvnVifs / decodeOpenStackPorts on an ML2/OVN compute node', () => {
  it('finds both VMs, their logical ports, MACs and port security; the metadata agent\'s tap is not a VM', async () => {
    const { snapshot } = await loadSnapshot(path.join(samples, '008-ovn'));
    const ovn = decodeOvnVifs(snapshot);
    assert.deepEqual([...ovn.ovnBridges], ['br-int']);
    assert.deepEqual([...ovn.notVmDevices], ['tap5c1f2a9e-70', 'tap5c1f2a9e-71']);
    assert.deepEqual(ovn.vifs.map((v) => [v.device, v.neutronPortId, v.ofport, v.datapath, v.portKey]), [
      ['tape3a1c5d7-2f', A, 2, 1n, 2n],
      ['tap7b9d1f3e-5a', B, 3, 1n, 3n],
    ]);
    const ports = decodeOpenStackPorts(snapshot);
    assert.deepEqual(ports.map((p) => [p.id, p.vmDevice, p.firewall, p.ovs?.ofport]), [
      ['7b9d1f3e-5a', 'tap7b9d1f3e-5a', 'ovn', 3],
      ['e3a1c5d7-2f', 'tape3a1c5d7-2f', 'ovn', 2],
    ]);
    const a = ports[1]!;
    assert.deepEqual(a.macs.map(formatMac), ['fa:16:3e:3c:a1:01']);
    assert.equal(formatIp(fixedIpOf(a)!), '10.30.0.11');
    // IPv4 (table 73) and ARP (table 74) port security, the flows an operator greps for.
    assert.deepEqual(a.allowedSources.map((s) => [s.layer, s.cidr?.text, /table=(\d+)/.exec(s.raw)?.[1]]), [['ovn', '10.30.0.11', '73'], ['ovn', '10.30.0.11', '74']]);
    for (const s of a.allowedSources) assert.equal(fs.readFileSync(path.join(samples, '008-ovn', s.span.file), 'utf8').split('\n')[s.span.line - 1]?.trim(), s.raw);
    // The table-24/25/71 flows of an OVN br-int are OVN's, not Neutron anti-spoofing.
    assert.ok(ports.every((p) => p.allowedSources.every((s) => s.layer === 'ovn')));
  });

  it('reads the allowed address pair Neutron appended to port_security', async () => {
    const ports = decodeOpenStackPorts((await loadSnapshot(path.join(samples, '008-ovn-allowed-pair'))).snapshot);
    assert.deepEqual(ports.map((p) => [...new Set(p.allowedSources.map((s) => s.cidr?.text))].sort()), [['10.30.0.100', '10.30.0.12'], ['10.30.0.100', '10.30.0.11']]);
    assert.deepEqual(ports.map((p) => formatIp(fixedIpOf(p)!)), ['10.30.0.12', '10.30.0.11']);
  });

  it('needs neither the Interface table nor OpenFlow 1.5: the OF1.0 dump (load:) and tap names suffice; the localport flag marks the metadata port', () => {
    const s = partial('008-ovn', {
      'ovs-vsctl_show': 'ovs-vsctl_show', 'ovs-ofctl_show_br-int': 'ovs-ofctl_show_br-int', 'ovs-ofctl_dump-flows_br-int': 'ovs-ofctl_dump-flows_br-int',
    });
    assert.equal(s.ovsInterfaces, undefined);
    const ovn = decodeOvnVifs(s);
    assert.deepEqual(ovn.vifs.map((v) => [v.device, v.neutronPortId, v.portKey]), [['tape3a1c5d7-2f', undefined, 2n], ['tap7b9d1f3e-5a', undefined, 3n]]);
    assert.deepEqual([...ovn.notVmDevices], ['tap5c1f2a9e-70', 'tap5c1f2a9e-71']);
    assert.deepEqual(decodeOpenStackPorts(s).map((p) => [p.id, p.firewall, p.allowedSources.map((x) => x.cidr?.text).join(' ')]),
      [['7b9d1f3e-5a', 'ovn', '10.30.0.12 10.30.0.12'], ['e3a1c5d7-2f', 'ovn', '10.30.0.11 10.30.0.11']]);
  });

  it('names the logical port from the output table when the table-0 binding is missing (a dump cut short)', () => {
    const dir = path.join(samples, '008-ovn');
    const flows = fs.readFileSync(path.join(dir, 'ovs-ofctl_-O_OpenFlow15_dump-flows_br-int'), 'utf8').split('\n').filter((l) => !/[ ,]in_port=\d+ actions=.*resubmit\(,8\)/.test(l)).join('\n');
    const s = buildHostSnapshot([
      { path: 'ovs-ofctl_-O_OpenFlow15_dump-flows_br-int', text: flows },
      ...['ovs-ofctl_-O_OpenFlow15_show_br-int', 'ovs-vsctl_show', 'ovs-vsctl_--format=json_--columns=name,ofport,external_ids_list_Interface'].map((f) => ({ path: f, text: fs.readFileSync(path.join(dir, f), 'utf8') })),
    ], { kind: 'folder', path: '008-ovn-cut' });
    const ovn = decodeOvnVifs(s);
    assert.deepEqual(ovn.vifs.map((v) => [v.device, v.portKey, /table=(\d+)/.exec(v.binding.raw)?.[1]]).sort(), [['tap7b9d1f3e-5a', 3n, '65'], ['tape3a1c5d7-2f', 2n, '65']]);
    assert.ok(ovn.notVmDevices.has('tap5c1f2a9e-70'), 'its iface-id names another port (the network\'s localport)');
  });

  it('an OVN br-int with no VIF bound (hotsos sunbeam hypervisor, OVS 3.3) is recognised as OVN, with no ports', () => {
    const corpus = findCorpus();
    const file = corpus && path.join(corpus, 'hotsos-sunbeam', 'ovs-ofctl_dump-flows_br-int_ovn.txt');
    if (!file || !fs.existsSync(file)) return;
    const s = buildHostSnapshot([{ path: 'ovs-ofctl_dump-flows_br-int', text: fs.readFileSync(file, 'utf8') }], { kind: 'folder', path: 'sunbeam' });
    const ovn = decodeOvnVifs(s);
    assert.deepEqual([...ovn.ovnBridges], ['br-int']);
    assert.deepEqual(ovn.vifs, []);
  });

  it('reads a 24.03 br-int dumped with port names (no ovs-ofctl show): VIFs, an allowed address pair, metadata taps left out', () => {
    // github.com/9506hqwy/openstack_study_notes (OpenStack 2024.1, OVS 3.3.1), read in place: no licence to copy it.
    const corpus = findCorpus();
    const file = corpus && path.join(corpus, '9506-study-notes', 'ovs-ofctl_dump-flows_br-int_ovn_lb.txt');
    if (!file || !fs.existsSync(file)) return;
    const s = buildHostSnapshot([{ path: 'ovs-ofctl_dump-flows_br-int', text: fs.readFileSync(file, 'utf8') }], { kind: 'folder', path: 'caracal' });
    const ovn = decodeOvnVifs(s);
    assert.deepEqual(ovn.vifs.map((v) => [v.device, v.ofport, v.datapath, v.portKey, [...new Set(v.sources.map((x) => x.cidr.text))].sort().join(' ')]), [
      ['tap6814da84-6a', undefined, 5n, 3n, '10.0.0.217'],
      ['tap31ae2141-50', undefined, 3n, 7n, '192.168.101.252 192.168.101.93'],
    ]);
    assert.deepEqual([...ovn.notVmDevices].sort(), ['tap18e14b06-a0', 'tap18e14b06-a1', 'tapbdf0edc2-b0', 'tapbdf0edc2-b1']);
  });
});
