import { cidrContains, type Cidr } from '../net/Cidr';
import type { IpAddress } from '../net/IpAddress';
import { isPortName } from '../ovs/OvsMatch';
import type { HostSnapshot } from '../snapshot/HostSnapshot';
import type { Span } from '../text/Span';
import { decodeChainName } from './decodeChainName';
import { decodeDeviceName, decodeVmPortDevice } from './decodeDeviceName';
import { decodeOvnVifs, type OvnVif } from './decodeOvnVifs';

/** One place a port's allowed source address or MAC was found (a spoof chain rule, a table-24 flow...). */
export interface AllowedSource {
  readonly cidr?: Cidr;
  readonly mac?: bigint;
  readonly layer: 'iptables' | 'ovs-arp' | 'ovs-mac' | 'ovs-firewall' | 'ebtables' | 'ovn';
  readonly raw: string;
  readonly span: Span;
}

export type FirewallKind = 'iptables-hybrid' | 'ovs-native' | 'linuxbridge' | 'nova-nwfilter' | 'ovn' | 'none' | 'unknown';

/**
 * A VM port as the hypervisor shows it, decoded from names the way operators read them: the
 * Neutron port id prefix ties the tap/qbr/qvb/qvo devices, the iptables chains, the OVS ofport and
 * its table-24/25 flows, or the linuxbridge agent's brq bridge and ebtables neutronARP-/neutronMAC-
 * chains together; nova-network ports are keyed by their libvirt device.
 */
export interface OpenStackPort {
  /** Neutron port id prefix (`38833ad6-c6`), or the libvirt device for nova-network (`vnet0`). */
  readonly id: string;
  readonly kind: 'neutron' | 'nova-network';
  /** Where the VM's frames enter the host (`tap38833ad6-c6`). */
  readonly vmDevice: string;
  readonly devices: readonly string[];
  readonly ovs?: { readonly bridge: string; readonly port: string; readonly ofport?: number };
  /** The Linux bridge the VM device is a port of: `qbr…` (hybrid plug) or the network's `brq…` (linuxbridge agent). */
  readonly linuxBridge?: string;
  /** The network id prefix a linuxbridge `brq…` bridge carries. */
  readonly networkIdPrefix?: string;
  readonly macs: readonly bigint[];
  /**
   * Sources this port may send from, per layer in the order the layer lists them. Neutron's spoof
   * chain lists allowed address pairs first, then the fixed IPs (iptables_firewall._spoofing_rule).
   */
  readonly allowedSources: readonly AllowedSource[];
  readonly chains: { readonly ingress?: string; readonly egress?: string; readonly spoof?: string; readonly other: readonly string[] };
  readonly firewall: FirewallKind;
  /** ML2/OVN: the logical port ovn-controller bound to the VM device (port security is its `sources`). */
  readonly ovn?: OvnVif;
  /**
   * Set when no layer names the VM's MAC (no spoof chain, no table-25 flow: an OVS port without
   * a firewall) and `macs` holds the one libvirt implies: the host side of a VM's tap carries the
   * guest MAC with its first byte set to 0xfe, and Neutron's default base_mac starts with fa.
   */
  readonly macFromTap?: true;
}

interface Acc {
  id: string;
  kind: 'neutron' | 'nova-network';
  devices: Set<string>;
  vmDevice?: string;
  linuxBridge?: string;
  ovs?: { bridge: string; port: string; ofport?: number };
  macs: Set<bigint>;
  sources: AllowedSource[];
  chains: { ingress?: string; egress?: string; spoof?: string; other: string[] };
  ovn?: OvnVif;
}

/**
 * Finds every VM port on the host and what each may send. Pure: works on any snapshot source.
 * A snapshot is read-only, so its ports are decoded once (a diagnosis, the sidebar and the port
 * lookups all ask; decoding a 2,000-port host reads thousands of chains and flows).
 */
export function decodeOpenStackPorts(snapshot: HostSnapshot): readonly OpenStackPort[] {
  let ports = DECODED.get(snapshot);
  if (!ports) {
    ports = decode(snapshot);
    DECODED.set(snapshot, ports);
  }
  return ports;
}

const DECODED = new WeakMap<HostSnapshot, readonly OpenStackPort[]>();

function decode(snapshot: HostSnapshot): readonly OpenStackPort[] {
  const byId = new Map<string, Acc>();
  // The first Neutron port by the 10-character id prefix chains carry: a scan of every port per chain was quadratic (2,000 ports, 6,000 chains).
  const neutronBy10 = new Map<string, Acc>();
  const acc = (id: string, kind: Acc['kind']): Acc => {
    let a = byId.get(id);
    if (!a) {
      byId.set(id, (a = { id, kind, devices: new Set(), macs: new Set(), sources: [], chains: { other: [] } }));
      if (kind === 'neutron' && id.length >= 10 && !neutronBy10.has(id.slice(0, 10))) neutronBy10.set(id.slice(0, 10), a);
    }
    return a;
  };
  // Devices in any namespace (VM taps live in the root namespace), and the Linux bridge each is on.
  const deviceNames = new Set<string>();
  const masterOf = new Map<string, string>();
  const linkMac = new Map<string, bigint>();
  for (const ns of snapshot.namespaces) {
    for (const l of ns.links) {
      deviceNames.add(l.name);
      if (l.mac !== undefined && !linkMac.has(l.name)) linkMac.set(l.name, l.mac);
      if (l.master && l.master !== 'ovs-system') masterOf.set(l.name, l.master);
    }
    for (const p of ns.bridgePorts) if (p.master && !masterOf.has(p.name)) masterOf.set(p.name, p.master);
  }
  for (const b of snapshot.brctl) for (const p of b.interfaces) if (!masterOf.has(p)) masterOf.set(p, b.name);
  for (const b of snapshot.ovs?.bridges ?? []) for (const p of b.ports) deviceNames.add(p.name);
  for (const name of deviceNames) {
    const d = decodeVmPortDevice(name);
    if (!d) continue;
    const a = acc(d.portId, 'neutron');
    a.devices.add(name);
    if (d.prefix === 'tap') {
      a.vmDevice = name;
      const master = masterOf.get(name);
      if (master) a.linuxBridge = master;
    }
  }
  const byPrefix10 = (p10: string): Acc | undefined => (p10.length === 10 ? neutronBy10.get(p10) : [...byId.values()].find((a) => a.kind === 'neutron' && a.id.startsWith(p10)));

  // iptables chains of the root namespace: neutron-{openvswi,linuxbri}-{i,o,s}<port>, and their spoof RETURN rules.
  const root = snapshot.namespaces.find((n) => n.name === '');
  const filter = root?.iptables?.tables.find((t) => t.name === 'filter');
  for (const chain of filter?.chains ?? []) {
    const c = decodeChainName(chain.name);
    if (c?.kind !== 'neutron-port' || !c.direction || c.port === undefined) continue;
    const a = byPrefix10(c.port) ?? acc(c.port, 'neutron');
    a.chains[c.direction] = chain.name;
    if (c.direction !== 'spoof') continue;
    for (const r of chain.rules) {
      if (r.target?.name !== 'RETURN') continue;
      const macOpt = r.matches.find((m) => m.module === 'mac')?.options.find((o) => o.name === '--mac-source');
      const mac = macOpt ? parseMacLoose(macOpt.values[0] ?? '') : undefined;
      if (mac !== undefined) a.macs.add(mac);
      const src: { -readonly [K in keyof AllowedSource]: AllowedSource[K] } = { layer: 'iptables', raw: r.raw, span: r.span };
      if (r.source && !r.source.negated) src.cidr = r.source.value;
      if (mac !== undefined) src.mac = mac;
      a.sources.push(src);
    }
  }

  // OVS: which ofport each tap/qvo is, and the ARP (24) / MAC (25) spoofing and firewall (71) flows.
  // An OVN br-int numbers its tables otherwise: its VIFs come from decodeOvnVifs below.
  const ovn = decodeOvnVifs(snapshot);
  for (const b of snapshot.ovsBridges) {
    const ofportOf = new Map<string, number>();
    for (const p of b.show?.ports ?? []) ofportOf.set(p.name, p.ofport);
    const nameOf = new Map([...ofportOf].map(([n, o]) => [o, n]));
    for (const p of b.vsctl?.ports ?? []) {
      const d = decodeVmPortDevice(p.name);
      if (!d || (d.prefix !== 'tap' && d.prefix !== 'qvo')) continue;
      const a = acc(d.portId, 'neutron');
      const ofport = ofportOf.get(p.name);
      a.ovs = ofport === undefined ? { bridge: b.name, port: p.name } : { bridge: b.name, port: p.name, ofport };
    }
    if (ovn.ovnBridges.has(b.name)) continue;
    for (const f of b.flows?.flows ?? []) {
      if (f.table !== 24 && f.table !== 25 && f.table !== 71) continue;
      let ofport: number | undefined;
      for (const m of f.match.fields) {
        if (m.field === 'in_port') ofport = isPortName(m.value) ? ofportOf.get(m.value.portName) : Number(m.value.value);
        if (m.field === 'reg5' && !isPortName(m.value)) ofport = Number(m.value.value);
      }
      const portName = ofport === undefined ? undefined : nameOf.get(ofport);
      const d = portName ? decodeVmPortDevice(portName) : undefined;
      if (!d) continue;
      const a = acc(d.portId, 'neutron');
      const get = (field: string): bigint | undefined => {
        const m = f.match.fields.find((x) => x.field === field);
        return m && !isPortName(m.value) ? m.value.value : undefined;
      };
      // The OVS firewall's table 71 also lets a port send DHCP discovers from 0.0.0.0 and
      // neighbour discovery from its EUI-64 link-local address (`udp,...,nw_src=0.0.0.0,tp_src=68`,
      // `icmp6,...,icmp_type=135`): protocol-bound exceptions, not addresses the port may use.
      // Its port security is the plain `arp,...,arp_spa=` and `ip,...,nw_src=` / `ipv6,...` flows.
      // (Before the actions: they are built when first read, and these flows need none.)
      if (f.table === 71 && f.match.fields.some((m) => m.field === 'nw_proto')) continue;
      if (f.actions.every((x) => x.kind === 'drop')) continue;
      const mac = get('eth_src') ?? get('arp_sha');
      if (mac !== undefined) a.macs.add(mac);
      const spaField = f.match.fields.find((x) => x.field === 'arp_spa' || x.field === 'ip_src' || x.field === 'ipv6_src');
      const src: { -readonly [K in keyof AllowedSource]: AllowedSource[K] } = { layer: f.table === 24 ? 'ovs-arp' : f.table === 25 ? 'ovs-mac' : 'ovs-firewall', raw: f.raw, span: f.span };
      if (spaField && !isPortName(spaField.value)) {
        const family = spaField.field === 'ipv6_src' ? 6 : 4;
        const bits = family === 4 ? 32 : 128;
        let prefix = 0;
        for (let i = bits - 1; i >= 0 && ((spaField.value.mask >> BigInt(i)) & 1n) === 1n; i--) prefix++;
        src.cidr = { family, address: spaField.value.value, prefixLength: prefix, mask: spaField.value.mask, text: spaField.text };
      }
      // ...and every port its EUI-64 link-local address (`ipv6,...,ipv6_src=fe80::f816:3eff:fe5a:1001`):
      // implicit, neither a fixed IP nor an allowed pair.
      if (f.table === 71 && mac !== undefined && src.cidr?.family === 6 && src.cidr.address === eui64LinkLocal(mac)) continue;
      if (mac !== undefined) src.mac = mac;
      if (src.cidr || src.mac !== undefined) a.sources.push(src);
    }
  }

  for (const v of ovn.vifs) {
    const a = acc(v.portId, 'neutron');
    a.devices.add(v.device);
    a.vmDevice = v.device;
    a.ovs = { bridge: v.bridge, port: v.device, ofport: v.ofport };
    a.ovn = v;
    for (const m of v.macs) a.macs.add(m);
    for (const s of v.sources) a.sources.push({ cidr: s.cidr, ...(s.mac !== undefined ? { mac: s.mac } : {}), layer: 'ovn', raw: s.raw, span: s.span });
  }

  // ebtables: nova-network / libvirt I-<dev>-ipv4-ip and -mac chains; the linuxbridge agent's
  // neutronARP-<tap> (ACCEPT per allowed ARP sender IP) and neutronMAC-<tap> (RETURN --among-src MACs).
  for (const t of snapshot.ebtables?.tables ?? []) {
    for (const chain of t.chains) {
      const c = decodeChainName(chain.name);
      const arpProtect = c?.kind === 'neutron-arp-protect';
      if (c?.device === undefined || !(arpProtect || (c.kind === 'libvirt' && c.direction === 'egress'))) continue;
      const d = decodeVmPortDevice(c.device);
      const a = d ? acc(d.portId, 'neutron') : acc(c.device, arpProtect ? 'neutron' : 'nova-network');
      a.devices.add(c.device);
      a.vmDevice ??= c.device;
      a.chains.other.push(chain.name);
      for (const r of chain.rules) {
        if (r.target.kind !== 'verdict') continue;
        if (arpProtect) {
          if (c.check === 'arp' && r.target.verdict === 'ACCEPT') {
            const ip = r.options.find((o) => o.name === '--arp-ip-src' && !o.negated);
            if (ip?.decoded?.kind === 'ip') a.sources.push({ cidr: ip.decoded.cidr, layer: 'ebtables', raw: r.raw, span: r.span });
          } else if (c.check === 'mac' && r.target.verdict === 'RETURN') {
            const among = r.options.find((o) => o.name === '--among-src' && !o.negated);
            if (among?.decoded?.kind === 'macList') for (const mac of among.decoded.addresses) a.macs.add(mac);
          }
          continue;
        }
        if (r.target.verdict !== 'RETURN') continue;
        const ip = r.options.find((o) => (o.name === '--ip-src' || o.name === '--arp-ip-src') && !o.negated);
        const mac = r.options.find((o) => (o.name === '-s' || o.name === '--arp-mac-src') && !o.negated);
        const src: { -readonly [K in keyof AllowedSource]: AllowedSource[K] } = { layer: 'ebtables', raw: r.raw, span: r.span };
        if (ip?.decoded?.kind === 'ip' && !(ip.decoded.cidr.family === 4 && ip.decoded.cidr.address === 0n)) src.cidr = ip.decoded.cidr;
        if (mac?.decoded?.kind === 'mac') { src.mac = mac.decoded.address; a.macs.add(mac.decoded.address); }
        if (src.cidr || src.mac !== undefined) a.sources.push(src);
      }
    }
  }

  return [...byId.values()].filter((a) => (a.vmDevice || a.chains.spoof || a.ovs) && !(a.vmDevice && ovn.notVmDevices.has(a.vmDevice) && !a.ovn)).map((a) => {
    const linuxbridge = a.chains.spoof?.startsWith('neutron-linuxbri-') || a.chains.other.some((c) => decodeChainName(c)?.kind === 'neutron-arp-protect') ||
      decodeDeviceName(a.linuxBridge ?? '')?.id?.kind === 'network';
    const firewall: FirewallKind = a.ovn ? 'ovn' : a.kind === 'nova-network' || a.chains.other.some((c) => decodeChainName(c)?.kind === 'libvirt') ? 'nova-nwfilter'
      : linuxbridge ? 'linuxbridge'
        : a.chains.spoof ? 'iptables-hybrid'
          : a.sources.some((s) => s.layer === 'ovs-firewall') ? 'ovs-native'
            : a.sources.length > 0 ? 'none' : 'unknown';
    const port: { -readonly [K in keyof OpenStackPort]: OpenStackPort[K] } = {
      id: a.id,
      kind: a.kind,
      vmDevice: a.vmDevice ?? (a.kind === 'neutron' ? `tap${a.id}` : a.id),
      devices: [...a.devices].sort(),
      macs: [...a.macs],
      allowedSources: a.sources,
      chains: a.chains,
      firewall,
    };
    if (a.ovs) port.ovs = a.ovs;
    if (a.ovn) port.ovn = a.ovn;
    const tapMac = port.macs.length === 0 && a.kind === 'neutron' ? linkMac.get(port.vmDevice) : undefined;
    if (tapMac !== undefined && tapMac >> 40n === 0xfen) {
      port.macs = [(0xfan << 40n) | (tapMac & 0xffffffffffn)];
      port.macFromTap = true;
    }
    if (a.linuxBridge) {
      port.linuxBridge = a.linuxBridge;
      const net = decodeDeviceName(a.linuxBridge)?.id;
      if (net?.kind === 'network') port.networkIdPrefix = net.prefix;
    }
    return port;
  }).sort((x, y) => x.id.localeCompare(y.id));
}

/**
 * A fixed IP of the port: the last /32 (or /128) of its iptables spoof chain, since Neutron puts
 * the allowed address pairs before the fixed IPs there; without a spoof chain, the first host
 * address any layer allows (table-24 flows and ebtables ARP chains keep no such order).
 */
export function fixedIpOf(port: OpenStackPort): IpAddress | undefined {
  const host = (x: AllowedSource): boolean => x.cidr !== undefined && x.cidr.prefixLength === (x.cidr.family === 4 ? 32 : 128);
  const spoof = port.allowedSources.filter((x) => x.layer === 'iptables' && host(x));
  const s = spoof.length > 0 ? spoof[spoof.length - 1] : port.allowedSources.find(host);
  return s?.cidr ? { family: s.cidr.family, value: s.cidr.address } : undefined;
}

/** The allowed sources of `port` that cover `ip`, per layer. */
export function sourcesCovering(port: OpenStackPort, ip: IpAddress): AllowedSource[] {
  return port.allowedSources.filter((s) => s.cidr && cidrContains(s.cidr, ip));
}

/** fe80::/64 with the modified EUI-64 of `mac` (fa:16:3e:5a:10:01 -> fe80::f816:3eff:fe5a:1001). */
export function eui64LinkLocal(mac: bigint): bigint {
  const oui = (mac >> 24n) ^ 0x020000n;
  const nic = mac & 0xffffffn;
  return (0xfe80n << 112n) | (oui << 40n) | (0xfffen << 24n) | nic;
}

/** Six `:`-separated groups of one or two hex digits (`fa:16:3e:0:a:1`); one test per spoof rule of the host. */
const LOOSE_MAC = /^([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})$/;

function parseMacLoose(text: string): bigint | undefined {
  const m = LOOSE_MAC.exec(text);
  if (!m) return undefined;
  const byte = (i: number): number => parseInt(m[i] ?? '', 16);
  // Two 24-bit halves in plain numbers: one BigInt step instead of six.
  return (BigInt((byte(1) << 16) | (byte(2) << 8) | byte(3)) << 24n) | BigInt((byte(4) << 16) | (byte(5) << 8) | byte(6));
}
