import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sniffOvsFormat } from '../../../src/core/ovs/sniffOvsFormat';
import { OVS_FIXTURES, readSeed } from './ovsTestFiles';

/** Fixture -> the format it must be recognised as, from its content alone. */
const EXPECTED: Readonly<Record<string, string>> = {
  'hotsos/ovs-appctl_bridge.dump-flows_--offload-stats_br-int.txt': 'ovs-dump-flows',
  'hotsos/ovs-appctl_dpctl.dump-flows_-m_system_ovs-system.txt': 'ovs-dpctl-flows',
  'hotsos/ovs-appctl_dpctl.show_-s_system_ovs-system.txt': 'ovs-dpctl-show',
  'hotsos/ovs-appctl_fdb.show_br-data.txt': 'ovs-fdb-show',
  'hotsos/ovs-appctl_fdb.show_br-int.txt': 'ovs-fdb-show',
  'hotsos/ovs-appctl_ofproto.list-tunnels.txt': 'ovs-appctl-other',
  'hotsos/ovs-appctl_ovs.route.show.txt': 'ovs-appctl-other',
  'hotsos/ovs-dpctl_dump-flows_--name_-m_type_ovs.txt': 'ovs-dpctl-flows',
  'hotsos/ovs-ofctl_-O_OpenFlow13_dump-flows_br-int.txt': 'ovs-dump-flows',
  'hotsos/ovs-ofctl_-O_OpenFlow13_dump-flows_br-tun.txt': 'ovs-dump-flows',
  'hotsos/ovs-ofctl_-O_OpenFlow13_show_br-int.txt': 'ovs-ofctl-show',
  'hotsos/ovs-ofctl_-O_OpenFlow14_dump-flows_br-int.txt': 'ovs-dump-flows',
  'hotsos/ovs-ofctl_dump-flows_br-data.txt': 'ovs-dump-flows',
  'hotsos/ovs-ofctl_dump-flows_br-ex.txt': 'ovs-dump-flows',
  'hotsos/ovs-ofctl_dump-flows_br-int.txt': 'ovs-dump-flows',
  'hotsos/ovs-ofctl_dump-flows_br-tun.txt': 'ovs-dump-flows',
  'hotsos/ovs-ofctl_dump-ports-desc_br-int.txt': 'ovs-ofctl-show',
  'hotsos/ovs-ofctl_show_br-data.txt': 'ovs-ofctl-show',
  'hotsos/ovs-ofctl_show_br-int.txt': 'ovs-ofctl-show',
  'hotsos/ovs-ofctl_show_br-tun.txt': 'ovs-ofctl-show',
  'hotsos/ovs-vsctl_show.txt': 'ovs-vsctl-show',
  'hotsos-sunbeam/ovs-ofctl_-O_OpenFlow13_dump-flows_br-int_ovn.txt': 'ovs-dump-flows',
  'hotsos-sunbeam/ovs-ofctl_-O_OpenFlow15_dump-flows_br-ex.txt': 'ovs-dump-flows',
  'hotsos-sunbeam/ovs-ofctl_dump-flows_br-int_ovn.txt': 'ovs-dump-flows',
  'hotsos-sunbeam/ovs-vsctl_show.txt': 'ovs-vsctl-show',
  'neutron-docs/ovs-vsctl_show_devstack-ovs-1.4.txt': 'ovs-vsctl-show',
  'ovn-docs/ovs-appctl_ofproto-trace_br-int_ovn-devstack.txt': 'ovs-trace',
  'ovn-docs/ovs-appctl_ofproto-trace_datapath-flow_ct_recirc.txt': 'ovs-trace',
  'ovn-docs/ovs-dpctl_show_ovn-devstack.txt': 'ovs-dpctl-show',
  'ovs-docs/ovs-appctl_ofproto-trace_faucet_flood.txt': 'ovs-trace',
  'ovs-docs/ovs-appctl_ofproto-trace_faucet_routing.txt': 'ovs-trace',
  'ovs-docs/ovs-appctl_ofproto-trace_learn_resubmit.txt': 'ovs-trace',
  'ovs-docs/ovs-appctl_ofproto-trace_tracing-topic.txt': 'ovs-trace',
  'ovs-docs/ovs-ofctl_-OOpenFlow13_--names_--no-stats_dump-flows_faucet_table0.txt': 'ovs-dump-flows',
};

describe('sniffOvsFormat', () => {
  it('recognises every OVS fixture from its content (names hidden)', () => {
    for (const [rel, format] of Object.entries(EXPECTED)) {
      const text = fs.readFileSync(path.join(OVS_FIXTURES, rel), 'utf8');
      const byContent = rel.includes('ovs-dpctl_dump-flows_--name') ? sniffOvsFormat(text, rel) : sniffOvsFormat(text, 'capture.txt');
      assert.equal(byContent, format, rel);
    }
  });

  it('recognises the seed dumps, including the NBSP-indented vsctl fragment', () => {
    assert.equal(sniffOvsFormat(readSeed('004-ovs-ofctl_dump-flows_br-int.txt'), 'x'), 'ovs-dump-flows');
    assert.equal(sniffOvsFormat(readSeed('004-ovs-vsctl_show_fragment.txt'), 'x'), 'ovs-vsctl-show');
  });

  it('uses the file name only when the content cannot tell', () => {
    assert.equal(sniffOvsFormat('', 'sos_commands/openvswitch/ovs-ofctl_dump-flows_br-int'), 'ovs-dump-flows');
    // An empty iproute2 capture is not an OVS one: `route show` alone is not `ovs/route/show`.
    assert.equal(sniffOvsFormat('', 'ip_-6_route_show_table_all'), undefined);
    assert.equal(sniffOvsFormat('', 'sos_commands/openvswitch/ovs-appctl_ovs.route.show'), 'ovs-appctl-other');
    assert.equal(sniffOvsFormat('ovs-dpctl: Invalid argument', 'ovs-dpctl_dump-flows_x'), 'ovs-dpctl-flows');
    assert.equal(sniffOvsFormat('', 'ovs-appctl_fdb.show_br-int'), 'ovs-fdb-show');
    assert.equal(sniffOvsFormat('', 'whatever'), undefined);
  });

  it('does not claim other formats', () => {
    for (const text of ['*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j ACCEPT\nCOMMIT\n', 'Bridge chain: PREROUTING, entries: 1, policy: ACCEPT\n', '1: lo: <LOOPBACK,UP> mtu 65536\n', 'default via 10.0.0.1 dev eth0\n', '<filter name="x"/>']) {
      assert.equal(sniffOvsFormat(text, 'f'), undefined, text);
    }
  });
});
