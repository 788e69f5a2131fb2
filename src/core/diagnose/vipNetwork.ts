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
  const byHost = new Map<HostSnapshot, T[]>();
  for (const t of items) {
    const s = member(t).snapshot;
    byHost.set(s, [...(byHost.get(s) ?? []), t]);
  }
  for (const [snapshot, hostItems] of byHost) {
    const shared = hostItems.map((t) => ({ t, bits: sharedBits(member(t).fixed, vip) }));
    const best = Math.max(...shared.map((x) => x.bits));
    if (best < MIN_SHARED_BITS[vip.family]) continue;
    const closest = shared.filter((x) => x.bits === best).map((x) => x.t);
    const keys = new Set(closest.map((t) => networkKeyOf(member(t).port, snapshot)).filter((k) => k !== undefined));
    for (const t of closest) out.add(t);
    for (const t of hostItems) {
      const k = networkKeyOf(member(t).port, snapshot);
      if (k !== undefined && keys.has(k)) out.add(t);
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
  if (port.ovs) {
    const vsctl = snapshot.ovsBridges.find((b) => b.name === port.ovs?.bridge)?.vsctl ?? snapshot.ovs?.bridges.find((b) => b.name === port.ovs?.bridge);
    const tag = vsctl?.ports.find((p) => p.name === port.ovs?.port)?.tag;
    return tag === undefined ? undefined : `ovs ${port.ovs.bridge} vlan ${tag}`;
  }
  for (const ns of snapshot.namespaces) {
    const master = ns.links.find((l) => l.name === port.vmDevice)?.master ?? ns.bridgePorts.find((p) => p.name === port.vmDevice)?.master;
    if (master && master !== 'ovs-system') return bridgeKey(ns.name, master);
  }
  const br = snapshot.brctl.find((b) => b.interfaces.includes(port.vmDevice));
  return br ? bridgeKey('', br.name) : undefined;
}

const bridgeKey = (netns: string, bridge: string): string => `bridge ${bridge}${netns ? ` in ${netns}` : ''}`;

function sharedBits(ip: IpAddress | undefined, vip: IpAddress): number {
  if (!ip || ip.family !== vip.family) return -1;
  const bits = bitsOf(vip.family);
  let n = 0;
  while (n < bits && ((ip.value ^ vip.value) >> BigInt(bits - 1 - n)) % 2n === 0n) n++;
  return n;
}
