import type { FormatId } from '../../core/snapshot/FormatId';

/**
 * Where a collection command runs:
 *   netns     once in the root namespace and once in every namespace `ip netns list` shows
 *             (`ip netns exec NAME argv...`), saved under `netns/NAME/` for the others
 *   host      once
 *   bridge    once per OVS bridge `ovs-vsctl list-br` shows; `{bridge}` in argv and file is its name
 *   nwfilter  once per libvirt nwfilter `virsh nwfilter-list` shows; `{nwfilter}` is its name
 */
export type CollectScope = 'netns' | 'host' | 'bridge' | 'nwfilter';

/** One allow-listed, read-only command of the collection: data, never a shell string. */
export interface CollectTemplate {
  /** Stable id, sent back by the host script to say which command a section holds. */
  readonly id: string;
  readonly scope: CollectScope;
  readonly argv: readonly string[];
  /** File name in the snapshot folder (docs/snapshot-folder.md): the argv joined by `_`. */
  readonly file: string;
  /** Run this template instead when this one fails (older tools without `-j`, OpenFlow versions). */
  readonly fallback?: string;
  /** Only ever run as another template's fallback. */
  readonly fallbackOnly?: true;
  /** The dump format the output should have. */
  readonly parse?: FormatId;
  /** What a discovery command's output lists (one name per line). */
  readonly discovers?: 'netns' | 'bridge' | 'nwfilter';
  /** Recorded in host.json but not saved as a dump file (discovery lists, hostname, date). */
  readonly saved?: false;
  /** host.json field this command's first output line fills. */
  readonly meta?: 'hostname' | 'collectedAt';
  /** Skip (with a note) when this tool is not installed, instead of an error section. */
  readonly requires?: string;
  /**
   * Reads what any user may read (links, routes, sysctls, the namespace list): run without
   * `sudo -n` in the root namespace, so a host where sudo asks for a password still shows them.
   * Inside another namespace `ip netns exec` needs root, so sudo is used there all the same.
   */
  readonly unprivileged?: true;
}

/**
 * sysctls that change a packet's path: forwarding, reverse-path filter, ARP behaviour of LVS-DR
 * real servers, proxy ARP, and br_netfilter's bridge-nf-call-*. One regular expression for
 * `sysctl -r`, so only these keys (not the thousands of `sysctl -a`) are read.
 */
const SYSCTL_PATTERN = '^net\\.(ipv4\\.(ip_forward$|conf\\.[^.]+\\.(rp_filter|arp_ignore|arp_announce|proxy_arp)$)|bridge\\.)';

/**
 * The allow-list, in collection order. Everything here only reads state. OVS tools get `--`
 * before the bridge so a bridge named `-x` is an operand, not an option.
 */
export const COLLECT_COMMANDS: readonly CollectTemplate[] = [
  { id: 'hostname', scope: 'host', argv: ['hostname'], file: 'hostname', saved: false, meta: 'hostname', unprivileged: true },
  { id: 'date', scope: 'host', argv: ['date', '-u', '+%Y-%m-%dT%H:%M:%SZ'], file: 'date', saved: false, meta: 'collectedAt', unprivileged: true },
  { id: 'ip-netns-list', scope: 'host', argv: ['ip', 'netns', 'list'], file: 'ip_netns_list', parse: 'ip-netns', discovers: 'netns', unprivileged: true },

  { id: 'ip-link-json', scope: 'netns', argv: ['ip', '-d', '-j', 'link'], file: 'ip_-d_-j_link', parse: 'ip-json', fallback: 'ip-link', unprivileged: true },
  { id: 'ip-link', scope: 'netns', argv: ['ip', '-d', 'link'], file: 'ip_-d_link', parse: 'ip-link', fallbackOnly: true, unprivileged: true },
  { id: 'ip-addr-json', scope: 'netns', argv: ['ip', '-j', 'addr'], file: 'ip_-j_addr', parse: 'ip-json', fallback: 'ip-addr', unprivileged: true },
  { id: 'ip-addr', scope: 'netns', argv: ['ip', 'addr'], file: 'ip_addr', parse: 'ip-addr', fallbackOnly: true, unprivileged: true },
  { id: 'ip-route', scope: 'netns', argv: ['ip', 'route', 'show', 'table', 'all'], file: 'ip_route_show_table_all', parse: 'ip-route', unprivileged: true },
  { id: 'ip6-route', scope: 'netns', argv: ['ip', '-6', 'route', 'show', 'table', 'all'], file: 'ip_-6_route_show_table_all', parse: 'ip-route', unprivileged: true },
  { id: 'ip-rule', scope: 'netns', argv: ['ip', 'rule'], file: 'ip_rule', parse: 'ip-rule', unprivileged: true },
  // Next-hop MACs for the simulator (the gateway's or the destination's neighbour entry).
  { id: 'ip-neigh-json', scope: 'netns', argv: ['ip', '-j', 'neigh'], file: 'ip_-j_neigh', parse: 'ip-json', fallback: 'ip-neigh', unprivileged: true },
  { id: 'ip-neigh', scope: 'netns', argv: ['ip', 'neigh'], file: 'ip_neigh', parse: 'ip-neigh', fallbackOnly: true, unprivileged: true },
  { id: 'ip6-rule', scope: 'netns', argv: ['ip', '-6', 'rule'], file: 'ip_-6_rule', parse: 'ip-rule', unprivileged: true },
  { id: 'iptables-save', scope: 'netns', argv: ['iptables-save', '-c'], file: 'iptables-save_-c', parse: 'iptables-save' },
  { id: 'ip6tables-save', scope: 'netns', argv: ['ip6tables-save', '-c'], file: 'ip6tables-save_-c', parse: 'iptables-save' },
  { id: 'ipset-save', scope: 'netns', argv: ['ipset', 'save'], file: 'ipset_save', parse: 'ipset-save' },
  { id: 'sysctl-net', scope: 'netns', argv: ['sysctl', '-e', '-r', SYSCTL_PATTERN, 'net.ipv4.ip_forward', 'net.ipv4.conf', 'net.bridge'], file: 'sysctl_net', parse: 'sysctl', fallback: 'sysctl-all', unprivileged: true },
  { id: 'sysctl-all', scope: 'netns', argv: ['sysctl', '-a'], file: 'sysctl_-a', parse: 'sysctl', fallbackOnly: true, unprivileged: true },

  { id: 'ebtables-filter', scope: 'host', argv: ['ebtables', '-t', 'filter', '-L', '--Lc'], file: 'ebtables_-t_filter_-L_--Lc', parse: 'ebtables-L' },
  { id: 'ebtables-nat', scope: 'host', argv: ['ebtables', '-t', 'nat', '-L', '--Lc'], file: 'ebtables_-t_nat_-L_--Lc', parse: 'ebtables-L' },
  { id: 'ebtables-broute', scope: 'host', argv: ['ebtables', '-t', 'broute', '-L', '--Lc'], file: 'ebtables_-t_broute_-L_--Lc', parse: 'ebtables-L' },
  { id: 'ebtables-save', scope: 'host', argv: ['ebtables-save'], file: 'ebtables-save', parse: 'ebtables-save' },
  { id: 'bridge-link-json', scope: 'host', argv: ['bridge', '-j', 'link'], file: 'bridge_-j_link', parse: 'ip-json', fallback: 'bridge-link', unprivileged: true },
  { id: 'bridge-link', scope: 'host', argv: ['bridge', 'link'], file: 'bridge_link', parse: 'bridge-link', fallbackOnly: true, unprivileged: true },
  { id: 'bridge-fdb', scope: 'host', argv: ['bridge', 'fdb', 'show'], file: 'bridge_fdb_show', parse: 'bridge-fdb', unprivileged: true },
  { id: 'ovs-vsctl-show', scope: 'host', argv: ['ovs-vsctl', 'show'], file: 'ovs-vsctl_show', parse: 'ovs-vsctl-show' },
  // The Interface table names each tap's Neutron port (external_ids:iface-id): how an ML2/OVN
  // node, whose br-int flows carry OVN port keys instead of Neutron names, maps taps to ports.
  { id: 'ovs-vsctl-list-interface', scope: 'host', argv: ['ovs-vsctl', '--format=json', '--columns=name,ofport,external_ids', 'list', 'Interface'], file: 'ovs-vsctl_--format=json_--columns=name,ofport,external_ids_list_Interface', parse: 'ovs-vsctl-list' },
  { id: 'ovs-list-br', scope: 'host', argv: ['ovs-vsctl', 'list-br'], file: 'ovs-vsctl_list-br', saved: false, discovers: 'bridge' },
  { id: 'virsh-nwfilter-list', scope: 'host', argv: ['virsh', 'nwfilter-list'], file: 'virsh_nwfilter-list', saved: false, discovers: 'nwfilter', requires: 'virsh' },

  { id: 'ovs-ofctl-show', scope: 'bridge', argv: ['ovs-ofctl', '--', 'show', '{bridge}'], file: 'ovs-ofctl_show_{bridge}', parse: 'ovs-ofctl-show', fallback: 'ovs-ofctl-show13' },
  { id: 'ovs-ofctl-show13', scope: 'bridge', argv: ['ovs-ofctl', '-O', 'OpenFlow13', '--', 'show', '{bridge}'], file: 'ovs-ofctl_-O_OpenFlow13_show_{bridge}', parse: 'ovs-ofctl-show', fallbackOnly: true },
  { id: 'ovs-dump-flows13', scope: 'bridge', argv: ['ovs-ofctl', '-O', 'OpenFlow13', '--', 'dump-flows', '{bridge}'], file: 'ovs-ofctl_-O_OpenFlow13_dump-flows_{bridge}', parse: 'ovs-dump-flows', fallback: 'ovs-dump-flows' },
  { id: 'ovs-dump-flows', scope: 'bridge', argv: ['ovs-ofctl', '--', 'dump-flows', '{bridge}'], file: 'ovs-ofctl_dump-flows_{bridge}', parse: 'ovs-dump-flows', fallbackOnly: true },
  { id: 'ovs-fdb-show', scope: 'bridge', argv: ['ovs-appctl', '--', 'fdb/show', '{bridge}'], file: 'ovs-appctl_fdb.show_{bridge}', parse: 'ovs-fdb-show' },

  { id: 'virsh-nwfilter-dumpxml', scope: 'nwfilter', argv: ['virsh', 'nwfilter-dumpxml', '{nwfilter}'], file: 'virsh_nwfilter-dumpxml_{nwfilter}', parse: 'nwfilter-xml', requires: 'virsh' },
];
