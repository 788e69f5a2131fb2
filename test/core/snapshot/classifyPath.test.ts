import { strict as assert } from 'node:assert';
import { classifyPath } from '../../../src/core/snapshot/classifyPath';

describe('classifyPath', () => {
  const rows: [string, Partial<ReturnType<typeof classifyPath>>][] = [
    ['iptables-save_-c', { netns: '', command: 'iptables-save_-c' }],
    ['netns/qrouter-1/iptables-save_-c', { netns: 'qrouter-1', command: 'iptables-save_-c' }],
    ['sos_commands/networking/ip_netns_exec_qrouter-984c22fd-64b3-4fa1-8ddd-87090f401ce5_iptables-save',
      { netns: 'qrouter-984c22fd-64b3-4fa1-8ddd-87090f401ce5', command: 'iptables-save' }],
    ['sos_commands/networking/ip_netns_exec_fip-3298_ip_route_show_table_all', { netns: 'fip-3298', command: 'ip_route_show_table_all' }],
    ['sos_commands/openvswitch/ovs-ofctl_-O_OpenFlow13_dump-flows_br-int', { netns: '', bridge: 'br-int' }],
    ['ovs-ofctl_dump-flows_br-int_ovs-fw.txt', { bridge: 'br-int' }],
    ['ovs-appctl_fdb.show_br-data.txt', { bridge: 'br-data' }],
    ['ovs-appctl_bridge.dump-flows_--offload-stats_br-int.txt', { bridge: 'br-int' }],
    ['sos_commands/firewall_tables/iptables_-t_nat_-nvL', { table: 'nat', netns: '' }],
    ['iptables-save_netns_qrouter.txt', { netns: 'qrouter', command: 'iptables-save' }],
    ['ip6tables-save_netns_qrouter.txt', { netns: 'qrouter', family: 6 }],
    ['ip_-6_route_show_table_all.txt', { family: 6 }],
    ['ip_netns_list', { netns: '', command: 'ip_netns_list' }],
  ];
  for (const [path, expected] of rows) {
    it(path, () => {
      const got = classifyPath(path);
      for (const [k, v] of Object.entries(expected)) assert.equal(got[k as keyof typeof got], v, `${k} of ${path}`);
    });
  }
});
