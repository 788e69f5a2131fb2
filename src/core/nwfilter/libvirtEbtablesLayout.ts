import type { ExpandedNwFilterRule } from './expandNwfilter';
import { NWFILTER_PROTOCOL_LAYER } from './nwfilterProtocols';

/**
 * Where libvirt's ebtables driver puts expanded rules for one interface and direction, so an
 * ebtables rule can be traced back to its nwfilter rule (and the filterref path above it):
 *
 *     nat PREROUTING  -i tap0 -j libvirt-I-tap0          (direction out/inout: from the VM)
 *     libvirt-I-tap0: -j I-tap0-mac, -p IPv4 -j I-tap0-ipv4-ip, ...  (by chain priority)
 *     I-tap0-mac:     -s fa:16:3e:58:1:ac -j RETURN, -j DROP          (by rule priority)
 *
 * `O-` chains (POSTROUTING -o tap0) take direction in/inout. Only layer-2 rules (no protocol,
 * mac, vlan, stp, arp, rarp, ip, ipv6) go to ebtables; tcp/udp/icmp/all go to iptables and are
 * left out. Ties keep document order (libvirt sorts with glibc's stable merge sort).
 */
export interface LibvirtEbtablesLayout {
  /** `libvirt-I-tap0` / `libvirt-O-tap0`. */
  readonly rootChain: string;
  /** The root chain's contents in order: its own rules and jumps to sub-chains. */
  readonly root: readonly LibvirtRootItem[];
  /** Sub-chain name (`I-tap0-mac`) -> its rules in order. */
  readonly chains: ReadonlyMap<string, readonly ExpandedNwFilterRule[]>;
}

export type LibvirtRootItem =
  | { readonly kind: 'rule'; readonly rule: ExpandedNwFilterRule }
  | { readonly kind: 'jump'; readonly chain: string; readonly suffix: string; readonly priority: number };

export function libvirtEbtablesChainName(ifname: string, direction: 'in' | 'out', chain: string): string {
  const letter = direction === 'out' ? 'I' : 'O';
  return chain === 'root' ? `libvirt-${letter}-${ifname}` : `${letter}-${ifname}-${chain}`;
}

export function libvirtEbtablesLayout(rules: readonly ExpandedNwFilterRule[], ifname: string, direction: 'in' | 'out'): LibvirtEbtablesLayout {
  const selected = rules.filter((r) => {
    const d = r.rule.direction;
    if (d !== 'inout' && d !== direction) return false;
    return r.rule.protocol === undefined || NWFILTER_PROTOCOL_LAYER[r.rule.protocol] === 'ebtables';
  });
  const byPriority = (a: { p: number; i: number }, b: { p: number; i: number }): number => a.p - b.p || a.i - b.i;

  const chains = new Map<string, ExpandedNwFilterRule[]>();
  const jumpPriority = new Map<string, number>();
  const rootItems: { p: number; i: number; item: LibvirtRootItem }[] = [];
  selected.forEach((r, i) => {
    if (r.chain === 'root') {
      rootItems.push({ p: r.priority, i, item: { kind: 'rule', rule: r } });
      return;
    }
    const name = libvirtEbtablesChainName(ifname, direction, r.chain);
    const list = chains.get(name) ?? [];
    list.push(r);
    chains.set(name, list);
    if (!jumpPriority.has(name)) {
      jumpPriority.set(name, r.chainPriority);
      rootItems.push({ p: r.chainPriority, i, item: { kind: 'jump', chain: name, suffix: r.chain, priority: r.chainPriority } });
    }
  });
  const sortedChains = new Map<string, readonly ExpandedNwFilterRule[]>();
  for (const [name, list] of chains) {
    const order = list.map((r, i) => ({ p: r.priority, i, r })).sort(byPriority).map((x) => x.r);
    sortedChains.set(name, order);
  }
  return {
    rootChain: libvirtEbtablesChainName(ifname, direction, 'root'),
    root: rootItems.sort(byPriority).map((x) => x.item),
    chains: sortedChains,
  };
}
