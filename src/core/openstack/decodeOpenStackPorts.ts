import { cidrContains, type Cidr } from '../net/Cidr';
import type { IpAddress } from '../net/IpAddress';
import { isPortName } from '../ovs/OvsMatch';
import type { HostSnapshot } from '../snapshot/HostSnapshot';
import type { Span } from '../text/Span';
import { decodeDeviceName, decodeLibvirtChain, decodeNeutronChain } from './neutronNames';

/** One place a port's allowed source address or MAC was found (a spoof chain rule, a table-24 flow...). */
export interface AllowedSource {
  readonly cidr?: Cidr;
  readonly mac?: bigint;
  readonly layer: 'iptables' | 'ovs-arp' | 'ovs-mac' | 'ovs-firewall' | 'ebtables';
  readonly raw: string;
  readonly span: Span;
}

export type FirewallKind = 'iptables-hybrid' | 'ovs-native' | 'linuxbridge' | 'nova-nwfilter' | 'none' | 'unknown';

/**
 * A VM port as the hypervisor shows it, decoded from names the way operators read them: the
 * Neutron port id prefix ties the tap/qbr/qvb/qvo devices, the iptables chains, the OVS ofport and
 * its table-24/25 flows together; nova-network ports are keyed by their libvirt device.
 */
export interface OpenStackPort {
  /** Neutron port id prefix (`38833ad6-c6`), or the libvirt device for nova-network (`vnet0`). */
  readonly id: string;
  readonly kind: 'neutron' | 'nova-network';
  /** Where the VM's frames enter the host (`tap38833ad6-c6`). */
  readonly vmDevice: string;
  readonly devices: readonly string[];
  readonly ovs?: { readonly bridge: string; readonly port: string; readonly ofport?: number };
  readonly macs: readonly bigint[];
  /** Sources this port may send from, in the order the firewall lists them (fixed IPs first, then allowed pairs). */
  readonly allowedSources: readonly AllowedSource[];
  readonly chains: { readonly ingress?: string; readonly egress?: string; readonly spoof?: string; readonly other: readonly string[] };
  readonly firewall: FirewallKind;
}

interface Acc {
  id: string;
  kind: 'neutron' | 'nova-network';
  devices: Set<string>;
  vmDevice?: string;
  ovs?: { bridge: string; port: string; ofport?: number };
  macs: Set<bigint>;
  sources: AllowedSource[];
  chains: { ingress?: string; egress?: string; spoof?: string; other: string[] };
}

/** Finds every VM port on the host and what each may send. Pure: works on any snapshot source. */
export function decodeOpenStackPorts(snapshot: HostSnapshot): OpenStackPort[] {
  const byId = new Map<string, Acc>();
  const acc = (id: string, kind: Acc['kind']): Acc => {
    let a = byId.get(id);
    if (!a) byId.set(id, (a = { id, kind, devices: new Set(), macs: new Set(), sources: [], chains: { other: [] } }));
    return a;
  };
  // Devices in any namespace (VM taps live in the root namespace).
  const deviceNames = new Set<string>();
  for (const ns of snapshot.namespaces) for (const l of ns.links) deviceNames.add(l.name);
  for (const b of snapshot.ovs?.bridges ?? []) for (const p of b.ports) deviceNames.add(p.name);
  for (const name of deviceNames) {
    const d = decodeDeviceName(name);
    if (!d) continue;
    const a = acc(d.portId, 'neutron');
    a.devices.add(name);
    if (d.prefix === 'tap') a.vmDevice = name;
  }
  const byPrefix10 = (p10: string): Acc | undefined => [...byId.values()].find((a) => a.kind === 'neutron' && a.id.startsWith(p10));

  // iptables chains of the root namespace: neutron-openvswi-{i,o,s}<port>, and their spoof RETURN rules.
  const root = snapshot.namespaces.find((n) => n.name === '');
  const filter = root?.iptables?.tables.find((t) => t.name === 'filter');
  for (const chain of filter?.chains ?? []) {
    const c = decodeNeutronChain(chain.name);
    if (!c) continue;
    const a = byPrefix10(c.portIdPrefix) ?? acc(`${c.portIdPrefix}`, 'neutron');
    a.chains[c.direction === 'ingress' ? 'ingress' : c.direction === 'egress' ? 'egress' : 'spoof'] = chain.name;
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
  for (const b of snapshot.ovsBridges) {
    const ofportOf = new Map<string, number>();
    for (const p of b.show?.ports ?? []) ofportOf.set(p.name, p.ofport);
    const nameOf = new Map([...ofportOf].map(([n, o]) => [o, n]));
    for (const p of b.vsctl?.ports ?? []) {
      const d = decodeDeviceName(p.name);
      if (!d || (d.prefix !== 'tap' && d.prefix !== 'qvo')) continue;
      const a = acc(d.portId, 'neutron');
      const ofport = ofportOf.get(p.name);
      a.ovs = ofport === undefined ? { bridge: b.name, port: p.name } : { bridge: b.name, port: p.name, ofport };
    }
    for (const f of b.flows?.flows ?? []) {
      if (f.table !== 24 && f.table !== 25 && f.table !== 71) continue;
      let ofport: number | undefined;
      for (const m of f.match.fields) {
        if (m.field === 'in_port') ofport = isPortName(m.value) ? ofportOf.get(m.value.portName) : Number(m.value.value);
        if (m.field === 'reg5' && !isPortName(m.value)) ofport = Number(m.value.value);
      }
      const portName = ofport === undefined ? undefined : nameOf.get(ofport);
      const d = portName ? decodeDeviceName(portName) : undefined;
      if (!d) continue;
      const a = acc(d.portId, 'neutron');
      const get = (field: string): bigint | undefined => {
        const m = f.match.fields.find((x) => x.field === field);
        return m && !isPortName(m.value) ? m.value.value : undefined;
      };
      const drops = f.actions.every((x) => x.kind === 'drop');
      if (drops) continue;
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
      if (mac !== undefined) src.mac = mac;
      if (src.cidr || src.mac !== undefined) a.sources.push(src);
    }
  }

  // nova-network / libvirt: ebtables I-<dev>-ipv4-ip and -mac chains.
  for (const t of snapshot.ebtables?.tables ?? []) {
    for (const chain of t.chains) {
      const c = decodeLibvirtChain(chain.name);
      if (!c || c.direction !== 'in') continue;
      const d = decodeDeviceName(c.device);
      const a = d ? acc(d.portId, 'neutron') : acc(c.device, 'nova-network');
      a.devices.add(c.device);
      a.vmDevice ??= c.device;
      a.chains.other.push(chain.name);
      for (const r of chain.rules) {
        if (r.target.kind !== 'verdict' || r.target.verdict !== 'RETURN') continue;
        const ip = r.options.find((o) => (o.name === '--ip-src' || o.name === '--arp-ip-src') && !o.negated);
        const mac = r.options.find((o) => (o.name === '-s' || o.name === '--arp-mac-src') && !o.negated);
        const src: { -readonly [K in keyof AllowedSource]: AllowedSource[K] } = { layer: 'ebtables', raw: r.raw, span: r.span };
        if (ip?.decoded?.kind === 'ip' && !(ip.decoded.cidr.family === 4 && ip.decoded.cidr.address === 0n)) src.cidr = ip.decoded.cidr;
        if (mac?.decoded?.kind === 'mac') { src.mac = mac.decoded.address; a.macs.add(mac.decoded.address); }
        if (src.cidr || src.mac !== undefined) a.sources.push(src);
      }
    }
  }

  return [...byId.values()].filter((a) => a.vmDevice || a.chains.spoof || a.ovs).map((a) => {
    const firewall: FirewallKind = a.kind === 'nova-network' || a.chains.other.some((c) => c.startsWith('libvirt-') || /^I-/.test(c)) ? 'nova-nwfilter'
      : a.chains.spoof?.startsWith('neutron-linuxbri') ? 'linuxbridge'
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
    return port;
  }).sort((x, y) => x.id.localeCompare(y.id));
}

/** The port's first allowed /32 (or /128) source: Neutron lists fixed IPs before allowed pairs. */
export function fixedIpOf(port: OpenStackPort): IpAddress | undefined {
  const s = port.allowedSources.find((x) => x.cidr && x.cidr.prefixLength === (x.cidr.family === 4 ? 32 : 128));
  return s?.cidr ? { family: s.cidr.family, value: s.cidr.address } : undefined;
}

/** The allowed sources of `port` that cover `ip`, per layer. */
export function sourcesCovering(port: OpenStackPort, ip: IpAddress): AllowedSource[] {
  return port.allowedSources.filter((s) => s.cidr && cidrContains(s.cidr, ip));
}

function parseMacLoose(text: string): bigint | undefined {
  const parts = text.split(':');
  if (parts.length !== 6 || !parts.every((p) => /^[0-9a-fA-F]{1,2}$/.test(p))) return undefined;
  return parts.reduce((v, p) => (v << 8n) | BigInt(parseInt(p, 16)), 0n);
}
