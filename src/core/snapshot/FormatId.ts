/**
 * Every dump format the tool recognises. A file's format is detected from its content (and its
 * name where content is ambiguous) by `detectFormat`; each id maps to one parser.
 * "Recognised only" formats are identified and counted but not modelled: they produce an `info`
 * diagnostic saying so, never an error.
 */
export const FORMAT_IDS = [
  // netfilter
  'iptables-save',      // iptables-save / ip6tables-save, with or without -c, legacy or nft
  'iptables-S',         // iptables -S / -v -S
  'iptables-L',         // iptables -L [-n] [-v] [-x] [--line-numbers]
  'ebtables-L',         // ebtables -L [--Lc] [--Ln] [--Lx], legacy or nft
  'ebtables-save',      // ebtables-save (legacy or nft, with or without counters)
  'ipset-save',
  'ipset-list',
  'conntrack-L',        // conntrack -L [-o extended]
  'conntrack-S',        // conntrack -S (recognised only)
  'nwfilter-xml',       // virsh nwfilter-dumpxml, /etc/libvirt/nwfilter/*.xml
  // Open vSwitch
  'ovs-dump-flows',     // ovs-ofctl [-O OpenFlow1x] [--names] [--no-stats] dump-flows BRIDGE; ovs-appctl bridge/dump-flows
  'ovs-ofctl-show',     // ovs-ofctl show BRIDGE / dump-ports-desc BRIDGE
  'ovs-vsctl-show',
  'ovs-vsctl-list',     // ovs-vsctl list TABLE, text or --format=json (Interface rows name the ports)
  'ovs-fdb-show',       // ovs-appctl fdb/show BRIDGE
  'ovs-trace',          // ovs-appctl ofproto/trace output
  'ovs-dpctl-show',     // ovs-dpctl show / ovs-appctl dpctl/show (recognised only)
  'ovs-dpctl-flows',    // ovs-dpctl dump-flows / ovs-appctl dpctl/dump-flows (recognised only)
  'ovs-appctl-other',   // ofproto/list-tunnels, ovs/route/show, dpctl/dump-conntrack (recognised only)
  'ovn-lflows',         // ovn-sbctl lflow-list (recognised only)
  // iproute2 and friends
  'ip-json',            // ip -j link / addr / route / rule / neigh / netns, bridge -j link
  'ip-addr',            // ip addr, ip -d addr, ip -o addr (links with their addresses)
  'ip-link',            // ip link, ip -d link, ip -s -d link, ip -o link
  'ip-route',           // ip route [show table all], ip -6 route
  'ip-rule',            // ip rule [list], ip -4/-6 rule
  'ip-netns',           // ip netns [list]
  'ip-neigh',
  'bridge-link',        // bridge [-d] link [show]
  'bridge-fdb',
  'bridge-vlan',
  'brctl-show',
  'route-n',            // route -n / netstat -rn
  'sysctl',             // sysctl -a, or `name = value` lines
  'host-json',          // host.json of a snapshot folder
] as const;

export type FormatId = (typeof FORMAT_IDS)[number];
