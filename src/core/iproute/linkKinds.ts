/**
 * Device kinds `ip -d link` prints as the first word of a detail line (`veth`, `vxlan id 42 ...`,
 * `bridge_slave state forwarding ...`), from iproute2's ip/iplink_*.c. A word ending in `_slave`
 * is always a port kind. Data, not a switch: a new kind is one more entry.
 */
export const LINK_KINDS: ReadonlySet<string> = new Set([
  'amt', 'bareudp', 'batadv', 'bond', 'bridge', 'can', 'dsa', 'dummy', 'erspan', 'geneve', 'gre', 'gretap', 'gtp', 'hsr',
  'ifb', 'ip6erspan', 'ip6gre', 'ip6gretap', 'ip6tnl', 'ipip', 'ipoib', 'ipvlan', 'ipvtap', 'lowpan', 'macsec', 'macvlan',
  'macvtap', 'netdevsim', 'netkit', 'nlmon', 'openvswitch', 'rmnet', 'sit', 'team', 'tun', 'vcan', 'veth', 'virt_wifi',
  'vlan', 'vrf', 'vti', 'vti6', 'vxcan', 'vxlan', 'wireguard', 'xfrm',
]);

export function isLinkKindWord(word: string): boolean {
  return LINK_KINDS.has(word) || /^[a-z][a-z0-9]*_slave$/.test(word);
}

/**
 * Detail lines of `ip link` / `ip addr` that are understood but not modelled (SR-IOV VFs,
 * property lists): skipped without a message.
 */
export const IGNORED_DETAIL_WORDS: ReadonlySet<string> = new Set(['vf', 'prop', 'protodown_reason']);
