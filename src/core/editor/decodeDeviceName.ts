/**
 * What an OpenStack interface name says (the 11 characters after the prefix are the start of the
 * Neutron port id): `tap6d1e3a2b-7c`, `qvb…`/`qvo…`/`qbr…` of the hybrid plug, router `qr-`/`qg-`,
 * DVR `sg-`/`fg-`/`rfp-`/`fpr-`, `ha-`, linuxbridge `brq…`, VXLAN `vxlan-N`. `+` at the end of an
 * iptables interface is a wildcard. Unknown names give undefined.
 */
export interface DecodedDevice {
  readonly meaning: string;
  /** The port id prefix carried by the name (`6d1e3a2b-7c`), when there is one. */
  readonly portPrefix?: string;
  readonly wildcard: boolean;
}

export const DEVICE_PREFIXES: readonly { readonly prefix: string; readonly meaning: string; readonly carriesPort: boolean }[] = [
  { prefix: 'tap', meaning: 'the VM\'s tap device (libvirt) for the Neutron port', carriesPort: true },
  { prefix: 'qvb', meaning: 'hybrid plug veth, Linux bridge (qbr) side, of the port', carriesPort: true },
  { prefix: 'qvo', meaning: 'hybrid plug veth, OVS br-int side, of the port', carriesPort: true },
  { prefix: 'qbr', meaning: 'the per-port Linux bridge of the iptables hybrid firewall (tap + qvb on it)', carriesPort: true },
  { prefix: 'qr-', meaning: 'router internal (subnet gateway) port in a qrouter namespace', carriesPort: true },
  { prefix: 'qg-', meaning: 'router gateway (external network) port in a qrouter/snat namespace', carriesPort: true },
  { prefix: 'sg-', meaning: 'DVR SNAT internal port in an snat namespace', carriesPort: true },
  { prefix: 'fg-', meaning: 'DVR floating IP gateway port in a fip namespace', carriesPort: true },
  { prefix: 'ha-', meaning: 'L3 HA (keepalived VRRP) port of a router', carriesPort: true },
  { prefix: 'ns-', meaning: 'DHCP port in a qdhcp namespace (linuxbridge)', carriesPort: true },
  { prefix: 'rfp-', meaning: 'DVR veth from the qrouter namespace to the fip namespace (id = router id prefix)', carriesPort: true },
  { prefix: 'fpr-', meaning: 'DVR veth from the fip namespace to the qrouter namespace (id = router id prefix)', carriesPort: true },
  { prefix: 'brq', meaning: 'linuxbridge agent bridge of a network (id = network id prefix)', carriesPort: true },
  { prefix: 'vxlan-', meaning: 'linuxbridge VXLAN device of segment N', carriesPort: false },
  { prefix: 'int-br-', meaning: 'br-int side of the veth/patch to a physical bridge', carriesPort: false },
  { prefix: 'phy-br-', meaning: 'physical bridge side of the veth/patch to br-int', carriesPort: false },
  { prefix: 'patch-', meaning: 'OVS patch port between br-int and br-tun', carriesPort: false },
  { prefix: 'vnet', meaning: 'libvirt tap device of a VM (not named by Neutron)', carriesPort: false },
];

export function decodeDeviceName(name: string): DecodedDevice | undefined {
  const wildcard = name.endsWith('+');
  const base = wildcard ? name.slice(0, -1) : name;
  for (const d of DEVICE_PREFIXES) {
    if (!base.startsWith(d.prefix)) continue;
    const rest = base.slice(d.prefix.length);
    if (wildcard && rest === '') return { meaning: `any ${d.meaning.replace(/ of the port$| for the Neutron port$/, '')} (\`+\` matches every interface starting with \`${d.prefix}\`)`, wildcard };
    const portPrefix = d.carriesPort && /^[0-9a-f]{8}-[0-9a-f]{1,4}$/.test(rest) ? rest : undefined;
    return portPrefix ? { meaning: d.meaning, portPrefix, wildcard } : { meaning: d.meaning, wildcard };
  }
  return wildcard ? { meaning: `any interface whose name starts with \`${base}\``, wildcard } : undefined;
}
