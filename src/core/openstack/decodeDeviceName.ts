/**
 * What an OpenStack interface name says, as operators read it. Neutron cuts ids to fit Linux's
 * 14-character device names (neutron_lib LINUX_DEV_LEN): a 3-letter prefix keeps 11 characters
 * of the id, a 4-letter one 10:
 *   port 38833ad6-c6f2-...      ->  tap38833ad6-c6 (VM), qbr/qvb/qvo38833ad6-c6 (hybrid plug),
 *                                   qr-/qg-/ha-/sg-/fg-/ns-… (router, L3 HA, DVR, DHCP ports)
 *   router 9a3594b0-52d1-...    ->  rfp-9a3594b0-5 / fpr-9a3594b0-5 (DVR veth pair)
 *   network 3f8a2c71-5d4e-...   ->  brq3f8a2c71-5d (linuxbridge agent bridge)
 *   VXLAN segment 1001          ->  vxlan-1001 (linuxbridge agent)
 * `+` at the end of an iptables interface is a wildcard. Unknown names give undefined.
 */
export type DeviceIdKind = 'port' | 'router' | 'network';

export interface DevicePrefix {
  readonly prefix: string;
  readonly meaning: string;
  /** What the characters after the prefix are the start of, if anything. */
  readonly id?: DeviceIdKind;
  /** One of a VM port's own devices (its tap, or the per-port plumbing of the hybrid firewall). */
  readonly vmPort?: boolean;
}

export const DEVICE_PREFIXES: readonly DevicePrefix[] = [
  { prefix: 'tap', meaning: 'the VM\'s tap device (libvirt) for the Neutron port', id: 'port', vmPort: true },
  { prefix: 'qvb', meaning: 'hybrid plug veth, Linux bridge (qbr) side, of the port', id: 'port', vmPort: true },
  { prefix: 'qvo', meaning: 'hybrid plug veth, OVS br-int side, of the port', id: 'port', vmPort: true },
  { prefix: 'qbr', meaning: 'the per-port Linux bridge of the iptables hybrid firewall (tap + qvb on it)', id: 'port', vmPort: true },
  { prefix: 'qr-', meaning: 'router internal (subnet gateway) port in a qrouter namespace', id: 'port' },
  { prefix: 'qg-', meaning: 'router gateway (external network) port in a qrouter/snat namespace', id: 'port' },
  { prefix: 'sg-', meaning: 'DVR SNAT internal port in an snat namespace', id: 'port' },
  { prefix: 'fg-', meaning: 'DVR floating IP gateway port in a fip namespace', id: 'port' },
  { prefix: 'ha-', meaning: 'L3 HA (keepalived VRRP) port of a router', id: 'port' },
  { prefix: 'ns-', meaning: 'DHCP port in a qdhcp namespace (linuxbridge)', id: 'port' },
  { prefix: 'rfp-', meaning: 'DVR veth from the qrouter namespace to the fip namespace', id: 'router' },
  { prefix: 'fpr-', meaning: 'DVR veth from the fip namespace to the qrouter namespace', id: 'router' },
  { prefix: 'brq', meaning: 'linuxbridge agent bridge of a network (the VM taps and the network\'s uplink, vxlan-N or a VLAN/flat NIC, are its ports)', id: 'network' },
  { prefix: 'vxlan-', meaning: 'linuxbridge agent VXLAN device of a network segment (VNI), a port of the network\'s brq bridge' },
  { prefix: 'int-br-', meaning: 'br-int side of the veth/patch to a physical bridge' },
  { prefix: 'phy-br-', meaning: 'physical bridge side of the veth/patch to br-int' },
  { prefix: 'patch-', meaning: 'OVS patch port between br-int and br-tun' },
  { prefix: 'vnet', meaning: 'libvirt tap device of a VM (not named by Neutron)' },
];

export interface DecodedDevice {
  readonly prefix?: string;
  readonly meaning: string;
  /** The Neutron id prefix the name carries (`6d1e3a2b-7c`) and what it identifies. */
  readonly id?: { readonly kind: DeviceIdKind; readonly prefix: string };
  /** The port id prefix, when the id is a port's. */
  readonly portPrefix?: string;
  /** The VNI of a linuxbridge `vxlan-N` device. */
  readonly vni?: number;
  readonly vmPort: boolean;
  readonly wildcard: boolean;
}

const ID_PREFIX = /^[0-9a-f]{8}-[0-9a-f]{1,4}$/;

export function decodeDeviceName(name: string): DecodedDevice | undefined {
  const wildcard = name.endsWith('+');
  const base = wildcard ? name.slice(0, -1) : name;
  for (const d of DEVICE_PREFIXES) {
    if (!base.startsWith(d.prefix)) continue;
    const rest = base.slice(d.prefix.length);
    if (wildcard && rest === '') {
      return { prefix: d.prefix, meaning: `any ${d.meaning.replace(/ of the port$| for the Neutron port$/, '')} (\`+\` matches every interface starting with \`${d.prefix}\`)`, vmPort: false, wildcard };
    }
    const out: { -readonly [K in keyof DecodedDevice]: DecodedDevice[K] } = { prefix: d.prefix, meaning: d.meaning, vmPort: false, wildcard };
    if (d.id && ID_PREFIX.test(rest)) {
      out.id = { kind: d.id, prefix: rest };
      if (d.id === 'port') out.portPrefix = rest;
      out.vmPort = d.vmPort === true && !wildcard;
    }
    if (d.prefix === 'vxlan-' && /^\d{1,8}$/.test(rest)) out.vni = Number(rest);
    return out;
  }
  return wildcard ? { meaning: `any interface whose name starts with \`${base}\``, vmPort: false, wildcard } : undefined;
}

/**
 * A VM port's own device (`tap38833ad6-c6`, `qvo38833ad6-c6`...) with the full 11 characters
 * of the port id a device name keeps; anything else (router ports, bridges, shorter ids) is not.
 */
export function decodeVmPortDevice(name: string): { readonly prefix: string; readonly portId: string } | undefined {
  const d = decodeDeviceName(name);
  return d?.vmPort && d.prefix && d.portPrefix && /^[0-9a-f]{8}-[0-9a-f]{2}$/.test(d.portPrefix) ? { prefix: d.prefix, portId: d.portPrefix } : undefined;
}
