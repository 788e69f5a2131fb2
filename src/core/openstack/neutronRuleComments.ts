/**
 * The comments Neutron puts on its iptables rules (neutron/agent/linux/iptables_comments.py) and
 * what each means for a packet that matches, for hovers on `--comment "..."` and `/* ... *\/`.
 */
export const NEUTRON_RULE_COMMENTS: Readonly<Record<string, string>> = {
  'Perform source NAT on outgoing traffic.': 'Router SNAT: traffic leaving to the external network gets the router gateway (or floating) address.',
  'Default drop rule for unmatched traffic.': 'End of the line: no security group rule accepted this packet, so it is DROPPED. Add a security group rule (protocol, port, remote) if it should pass; VRRP (protocol 112) for keepalived needs its own rule.',
  'Direct traffic from the VM interface to the security group chain.': 'physdev jump: bridged traffic of this VM port enters the security group chain (sg-chain), which dispatches to the port\'s ingress/egress chains.',
  'Jump to the VM specific chain.': 'Dispatch from sg-chain to the per-port chain (`i…` ingress / `o…` egress).',
  'Direct incoming traffic from VM to the security group chain.': 'Traffic from the VM to this host (INPUT, e.g. DHCP/metadata) goes through the port\'s egress chain.',
  'Allow traffic from defined IP/MAC pairs.': 'Anti-spoofing: the source IP/MAC is the port\'s own or an allowed address pair, so RETURN (continue with the egress rules).',
  'Drop traffic without an IP/MAC allow rule.': 'Anti-spoofing: the source IP/MAC pair is not the port\'s and not an allowed address pair, so DROP. A VIP (keepalived, LVS) sent from this port must be added as an allowed address pair.',
  'Allow DHCP client traffic.': 'The VM may send DHCP requests (UDP 68 -> 67) before it has an address.',
  'Prevent DHCP Spoofing by VM.': 'The VM may not answer DHCP (UDP 67 -> 68): DROP.',
  'Send unmatched traffic to the fallback chain.': 'Nothing in this port\'s chain accepted the packet: go to sg-fallback, which drops it.',
  'Drop packets that appear related to an existing connection (e.g. TCP ACK/FIN) but do not have an entry in conntrack.': 'conntrack state INVALID: DROP. Seen with asymmetric paths (a VIP that answers from another host, LVS-DR) or after conntrack entries were flushed.',
  'Direct packets associated with a known session to the RETURN chain.': 'RELATED/ESTABLISHED: return early, the connection was accepted when it started.',
  'Accept all packets when port security is disabled.': 'port_security_enabled=False on this port: everything is accepted.',
  'Accept all packets when port is trusted.': 'A trusted (network-owned, e.g. DHCP or router) port: its traffic is accepted without security groups.',
  'Drop IPv6 Router Advts from VM Instance.': 'A VM may not send IPv6 router advertisements: DROP.',
  'Allow IPv6 ICMP traffic.': 'ICMPv6 (neighbour discovery, ...) is allowed.',
};

/**
 * Comments with a variable part, from the raw table's conntrack rules (`_get_jump_rules`): the
 * OVS hybrid firewall names the whole port id (one zone per port), the linuxbridge agent the tap
 * name without `tap` (one zone per network, so every port of the network repeats the same zone).
 */
export const NEUTRON_COMMENT_PATTERNS: readonly { readonly re: RegExp; readonly meaning: (m: RegExpExecArray) => string }[] = [
  { re: /^Set zone for ([0-9a-f-]{36})$/, meaning: (m) => `Conntrack zone of port ${m[1]!}: its connections are tracked apart from other networks' (overlapping addresses).` },
  { re: /^Set zone for ([0-9a-f]{8}-[0-9a-f]{2})$/, meaning: (m) => `Conntrack zone of the network of port ${m[1]!} (tap${m[1]!}): the linuxbridge agent gives each network one zone, matched on its brq bridge and on every tap of it, so overlapping addresses of different networks never share conntrack entries.` },
  { re: /^Make ([0-9a-f-]+) stateless$/, meaning: (m) => `Port ${m[1]!} has only stateless security group rules: its traffic is not tracked (\`-j CT --notrack\`), so no RELATED/ESTABLISHED shortcut applies.` },
];

export function explainNeutronComment(comment: string): string | undefined {
  const fixed = NEUTRON_RULE_COMMENTS[comment];
  if (fixed) return fixed;
  for (const p of NEUTRON_COMMENT_PATTERNS) {
    const m = p.re.exec(comment);
    if (m) return p.meaning(m);
  }
  return undefined;
}
