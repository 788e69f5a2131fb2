import { bitsOf, type IpAddress, type IpFamily } from '../net/IpAddress';
import type { OpenStackPort } from '../openstack/decodeOpenStackPorts';
import type { HostSnapshot } from '../snapshot/HostSnapshot';

/**
 * Fewest leading bits a port's fixed IP must share with the VIP for the port to be taken as on the
 * VIP's network: IPv4 tenant subnets are /16 or smaller in practice, IPv6 ones /64 (SLAAC), so a
 * VIP sharing fewer bits with every port is on no network of this host.
 */
export const MIN_SHARED_BITS: Readonly<Record<IpFamily, number>> = { 4: 16, 6: 64 };

/** A port of one host, with the fixed IP the caller reads from it. */
export interface NetworkMember {
  readonly port: OpenStackPort;
  readonly snapshot: HostSnapshot;
  readonly fixed: IpAddress | undefined;
}

/**
 * The ports on the VIP's network. A hypervisor records no tenant subnet (the guest's prefix length
 * is nowhere on it), but it records which ports share a network: their local VLAN on the OVS
 * bridge (`tag: 3` in ovs-vsctl show) or their Linux bridge (nova-network's br100, the linuxbridge
 * agent's brq<network>). Per host, the VIP is on the network of the port(s) whose fixed IP shares
 * the most leading bits with it: of disjoint subnets, only the VIP's own can hold an address
 * sharing its whole prefix with the VIP. So the members are the ports on those ports' networks
 * (and the closest ports themselves when their network is unknown). No fixed prefix length
 * (/24) is assumed.
 */
export function onVipNetwork<T>(items: readonly T[], member: (t: T) => NetworkMember, vip: IpAddress): Set<T> {
  const out = new Set<T>();
  const byHost = new Map<HostSnapshot, { t: T; m: NetworkMember }[]>();
  for (const t of items) {
    const m = member(t);
    let list = byHost.get(m.snapshot);
    if (!list) byHost.set(m.snapshot, (list = []));
    list.push({ t, m });
  }
  for (const [snapshot, hostItems] of byHost) {
    const shared = hostItems.map((x) => ({ ...x, bits: sharedBits(x.m.fixed, vip) }));
    let best = -Infinity;
    for (const x of shared) if (x.bits > best) best = x.bits;
    if (best < MIN_SHARED_BITS[vip.family]) continue;
    const closest = shared.filter((x) => x.bits === best);
    const keys = new Set(closest.map((x) => networkKeyOf(x.m.port, snapshot)).filter((k) => k !== undefined));
    for (const x of closest) out.add(x.t);
    for (const x of hostItems) {
      const k = networkKeyOf(x.m.port, snapshot);
      if (k !== undefined && keys.has(k)) out.add(x.t);
    }
  }
  return out;
}

/**
 * The network a port is on as its host records it: the local VLAN of its OVS port (the qvo of a
 * hybrid plug, the tap of the OVS firewall) on its bridge, else the Linux bridge its VM device
 * is a port of; undefined when neither is in the snapshot.
 */
export function networkKeyOf(port: OpenStackPort, snapshot: HostSnapshot): string | undefined {
  const idx = networkIndex(snapshot);
  if (port.ovs) {
    const tag = idx.ovsTag(port.ovs.bridge, port.ovs.port);
    return tag === undefined ? undefined : `ovs ${port.ovs.bridge} vlan ${tag}`;
  }
  for (const ns of idx.namespaces) {
    const master = ns.linkMaster.get(port.vmDevice) ?? ns.bridgePortMaster.get(port.vmDevice);
    if (master && master !== 'ovs-system') return bridgeKey(ns.name, master);
  }
  const br = snapshot.brctl.find((b) => b.interfaces.includes(port.vmDevice));
  return br ? bridgeKey('', br.name) : undefined;
}

/**
 * What networkKeyOf looks up, indexed once per snapshot (every port of a 2,000-port host asks):
 * each map keeps the first entry of a name, as a `find` over the list would.
 */
interface NetworkIndex {
  ovsTag(bridge: string, port: string): number | undefined;
  readonly namespaces: readonly {
    readonly name: string;
    /** Device -> the master of its first link. */
    readonly linkMaster: ReadonlyMap<string, string | undefined>;
    readonly bridgePortMaster: ReadonlyMap<string, string | undefined>;
  }[];
}

const NETWORK_INDEX = new WeakMap<HostSnapshot, NetworkIndex>();

function networkIndex(snapshot: HostSnapshot): NetworkIndex {
  let idx = NETWORK_INDEX.get(snapshot);
  if (idx) return idx;
  const tagsByBridge = new Map<string, ReadonlyMap<string, number | undefined>>();
  const ovsTag = (bridge: string, port: string): number | undefined => {
    let tags = tagsByBridge.get(bridge);
    if (!tags) {
      const vsctl = snapshot.ovsBridges.find((b) => b.name === bridge)?.vsctl ?? snapshot.ovs?.bridges.find((b) => b.name === bridge);
      const m = new Map<string, number | undefined>();
      for (const p of vsctl?.ports ?? []) if (!m.has(p.name)) m.set(p.name, p.tag);
      tagsByBridge.set(bridge, (tags = m));
    }
    return tags.get(port);
  };
  const namespaces = snapshot.namespaces.map((ns) => {
    const linkMaster = new Map<string, string | undefined>();
    for (const l of ns.links) if (!linkMaster.has(l.name)) linkMaster.set(l.name, l.master);
    const bridgePortMaster = new Map<string, string | undefined>();
    for (const p of ns.bridgePorts) if (!bridgePortMaster.has(p.name)) bridgePortMaster.set(p.name, p.master);
    return { name: ns.name, linkMaster, bridgePortMaster };
  });
  idx = { ovsTag, namespaces };
  NETWORK_INDEX.set(snapshot, idx);
  return idx;
}

const bridgeKey = (netns: string, bridge: string): string => `bridge ${bridge}${netns ? ` in ${netns}` : ''}`;

function sharedBits(ip: IpAddress | undefined, vip: IpAddress): number {
  if (!ip || ip.family !== vip.family) return -1;
  const bits = bitsOf(vip.family);
  // Leading bits in common: the width less the bit length of the difference (one step, not one per bit).
  const diff = (ip.value ^ vip.value) & ((1n << BigInt(bits)) - 1n);
  return diff === 0n ? bits : bits - diff.toString(2).length;
}
