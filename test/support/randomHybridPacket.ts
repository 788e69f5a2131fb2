import type { SeededRandom } from './seededRandom';

/**
 * Random frames for a Neutron hybrid-firewall host (see iptablesDifferential.test.ts): two VMs
 * on a Linux bridge (tap ports) and a peer behind the bridge's qvb port (where br-int would be).
 * Flows use the syntax of test/oracle/lib/pkt.py (which builds the real frame) and of
 * parsePacketSpec (which builds the simulator's packet): `tp_src/tp_dst`, numeric tcp_flags.
 * The mix: VM egress with its own, an allowed-pair, a neighbour's or a forged source IP/MAC
 * (spoof chain), DHCP both ways, VRRP, ARP, ingress to allowed (22, ICMP, DHCP from the
 * gateway) and denied ports, TCP flag sets and ICMP types conntrack calls NEW or INVALID, frames
 * to the bridge itself, unknown unicast, broadcast, and IPv6 neighbour discovery.
 */
export interface HybridEndpoint {
  /** Host-side device the guest is cabled to (tap..., qvb...). */
  readonly dev: string;
  readonly mac: string;
  readonly ip: string;
  /** Allowed address pairs of the port (its spoof chain RETURNs them). */
  readonly allowedIps: readonly string[];
}

export interface HybridWorld {
  readonly vmA: HybridEndpoint;
  readonly vmB: HybridEndpoint;
  readonly peer: HybridEndpoint;
  readonly bridgeMac: string;
}

export interface RandomHybridPacket {
  readonly kind: string;
  /** Host-side device of the sender. */
  readonly from: string;
  readonly flow: string;
  /** A reply to the frame before it: conntrack is not flushed in between (ESTABLISHED / RELATED). */
  readonly keepConntrack?: boolean;
  /** The frame's payload marker; a reply shares its request's (ICMP echo ids derive from it). */
  readonly marker?: string;
  /** For ICMP errors: the flow of the frame the error quotes. */
  readonly embed?: string;
}

const BROADCAST = 'ff:ff:ff:ff:ff:ff';

function randomMac(r: SeededRandom): string {
  const b = (): string => r.int(0, 255).toString(16).padStart(2, '0');
  return `fa:16:3e:${b()}:${b()}:${b()}`;
}

function randomIp(r: SeededRandom): string {
  return `${r.pick([10, 172, 192])}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`;
}

function eui64(mac: string): string {
  const b = mac.split(':').map((x) => Number.parseInt(x, 16));
  const w = (hi: number, lo: number): string => ((hi << 8) | lo).toString(16);
  return `fe80::${w(b[0]! ^ 2, b[1]!)}:${w(b[2]!, 0xff)}:${w(0xfe, b[3]!)}:${w(b[4]!, b[5]!)}`;
}

/** One random frame, or a request and its reply (`keepConntrack` on the second). */
export function randomHybridPackets(r: SeededRandom, w: HybridWorld, id: number): RandomHybridPacket[] {
  if (!r.chance(0.15)) return [randomHybridPacket(r, w)];
  const vm = r.chance(0.6) ? w.vmA : w.vmB;
  const sport = r.int(1024, 65535);
  const marker = `osnet-pair-${id}`;
  const fwd = (from: HybridEndpoint, to: HybridEndpoint, l4: string): string => `${l4},dl_src=${from.mac},dl_dst=${to.mac},nw_src=${from.ip},nw_dst=${to.ip},nw_ttl=64`;
  switch (r.weighted({ sshIn: 3, deniedIn: 2, dnsOut: 3, pingOut: 2, related: 2 })) {
    case 'sshIn':
    case 'deniedIn': {
      const port = r.chance(0.5) ? 22 : r.pick([80, 3306]);
      return [{ kind: 'pairRequest', from: w.peer.dev, flow: fwd(w.peer, vm, `tcp,tp_src=${sport},tp_dst=${port},tcp_flags=0x002`), marker },
        { kind: 'pairReply', from: vm.dev, flow: fwd(vm, w.peer, `tcp,tp_src=${port},tp_dst=${sport},tcp_flags=0x012`), marker, keepConntrack: true }];
    }
    case 'dnsOut':
      return [{ kind: 'pairRequest', from: vm.dev, flow: fwd(vm, w.peer, `udp,tp_src=${sport},tp_dst=53`), marker },
        { kind: 'pairReply', from: w.peer.dev, flow: fwd(w.peer, vm, `udp,tp_src=53,tp_dst=${sport}`), marker, keepConntrack: true }];
    case 'pingOut':
      return [{ kind: 'pairRequest', from: vm.dev, flow: fwd(vm, w.peer, 'icmp,icmp_type=8,icmp_code=0'), marker },
        { kind: 'pairReply', from: w.peer.dev, flow: fwd(w.peer, vm, 'icmp,icmp_type=0,icmp_code=0'), marker, keepConntrack: true }];
    default: {
      const request = fwd(vm, w.peer, `udp,tp_src=${sport},tp_dst=${r.pick([53, 123, 5000])}`);
      return [{ kind: 'pairRequest', from: vm.dev, flow: request, marker },
        { kind: 'pairRelated', from: w.peer.dev, flow: fwd(w.peer, vm, `icmp,icmp_type=3,icmp_code=${r.pick([1, 3, 13])}`), marker, embed: request, keepConntrack: true }];
    }
  }
}

export function randomHybridPacket(r: SeededRandom, w: HybridWorld): RandomHybridPacket {
  const kind = r.weighted({ vmEgress: 30, vmDhcp: 6, vmVrrp: 6, vmArp: 8, ingress: 30, toBridge: 5, vmToVm: 8, ipv6: 4, strayTcp: 3, vlanTagged: 3, l2Control: 3 });
  const vm = r.chance(0.6) ? w.vmA : w.vmB;
  const other = vm === w.vmA ? w.vmB : w.vmA;
  const sport = r.int(1024, 65535);
  const srcIp = (): string => {
    const k = r.weighted({ own: 6, pair: vm.allowedIps.length > 0 ? 2 : 0, neighbour: 1, forged: 2 });
    return k === 'own' ? vm.ip : k === 'pair' ? r.pick(vm.allowedIps) : k === 'neighbour' ? other.ip : randomIp(r);
  };
  const srcMac = (): string => (r.chance(0.85) ? vm.mac : randomMac(r));
  const l4 = (proto: string, dport: number): string => {
    if (proto === 'tcp') return `tcp,tp_src=${sport},tp_dst=${dport},tcp_flags=${r.weighted({ '0x002': 6, '0x010': 2, '0x012': 1, '0x011': 1, '0x004': 1 })}`;
    if (proto === 'udp') return `udp,tp_src=${sport},tp_dst=${dport}`;
    return `icmp,icmp_type=${r.weighted({ 8: 6, 0: 2, 3: 1, 13: 1 })},icmp_code=0`;
  };
  const ipv4 = (proto: string, dport: number, dlSrc: string, dlDst: string, src: string, dst: string): string =>
    `${l4(proto, dport)},dl_src=${dlSrc},dl_dst=${dlDst},nw_src=${src},nw_dst=${dst},nw_ttl=64`;

  switch (kind) {
    case 'vmEgress': {
      const dst = r.weighted({ peer: 5, unknownMac: 2, broadcast: 1 });
      const dlDst = dst === 'peer' ? w.peer.mac : dst === 'unknownMac' ? randomMac(r) : BROADCAST;
      const nwDst = dst === 'broadcast' ? '255.255.255.255' : r.chance(0.7) ? w.peer.ip : randomIp(r);
      return { kind, from: vm.dev, flow: ipv4(r.pick(['tcp', 'udp', 'icmp']), r.pick([22, 80, 443, 53, r.int(1, 65535)]), srcMac(), dlDst, srcIp(), nwDst) };
    }
    case 'vmDhcp': {
      if (r.chance(0.6)) return { kind, from: vm.dev, flow: `udp,tp_src=68,tp_dst=67,dl_src=${srcMac()},dl_dst=${BROADCAST},nw_src=${r.chance(0.7) ? '0.0.0.0' : vm.ip},nw_dst=255.255.255.255,nw_ttl=64` };
      // A VM answering DHCP: "Prevent DHCP Spoofing by VM."
      return { kind, from: vm.dev, flow: `udp,tp_src=67,tp_dst=68,dl_src=${srcMac()},dl_dst=${r.chance(0.5) ? other.mac : BROADCAST},nw_src=${vm.ip},nw_dst=${r.chance(0.5) ? other.ip : '255.255.255.255'},nw_ttl=64` };
    }
    case 'vmVrrp':
      return { kind, from: vm.dev, flow: `ip,nw_proto=112,dl_src=${srcMac()},dl_dst=01:00:5e:00:00:12,nw_src=${srcIp()},nw_dst=224.0.0.18,nw_ttl=255` };
    case 'vmArp': {
      const reply = r.chance(0.4);
      const mac = srcMac();
      const tpa = r.pick([w.peer.ip, other.ip, randomIp(r)]);
      return { kind, from: vm.dev, flow: `arp,arp_op=${reply ? 2 : 1},dl_src=${mac},dl_dst=${reply ? w.peer.mac : BROADCAST},arp_sha=${r.chance(0.9) ? mac : randomMac(r)},arp_spa=${srcIp()},arp_tpa=${tpa},arp_tha=${reply ? w.peer.mac : '00:00:00:00:00:00'}` };
    }
    case 'ingress': {
      // From the peer (br-int side) to a VM: what the security group lets in.
      const to = r.chance(0.8) ? vm : { ...vm, mac: r.chance(0.5) ? randomMac(r) : BROADCAST };
      const proto = r.pick(['tcp', 'udp', 'icmp']);
      if (proto === 'udp' && r.chance(0.4)) {
        return { kind, from: w.peer.dev, flow: `udp,tp_src=67,tp_dst=68,dl_src=${w.peer.mac},dl_dst=${to.mac},nw_src=${r.chance(0.7) ? w.peer.ip : randomIp(r)},nw_dst=${vm.ip},nw_ttl=64` };
      }
      return { kind, from: w.peer.dev, flow: ipv4(proto, r.pick([22, 22, 80, 3306, r.int(1, 65535)]), r.chance(0.9) ? w.peer.mac : randomMac(r), to.mac, r.chance(0.8) ? w.peer.ip : randomIp(r), r.chance(0.9) ? vm.ip : randomIp(r)) };
    }
    case 'toBridge': {
      const from = r.pick([vm.dev, w.peer.dev]);
      const src = from === w.peer.dev ? w.peer : vm;
      return { kind, from, flow: ipv4(r.pick(['tcp', 'udp', 'icmp']), r.pick([22, 53, 9697]), src.mac, w.bridgeMac, src.ip, r.pick(['169.254.169.254', w.peer.ip, randomIp(r)])) };
    }
    case 'vmToVm':
      return { kind, from: vm.dev, flow: ipv4(r.pick(['tcp', 'udp', 'icmp']), r.pick([22, 80, r.int(1, 65535)]), srcMac(), other.mac, srcIp(), other.ip) };
    case 'ipv6': {
      const na = r.chance(0.5);
      const from = r.chance(0.7) ? vm : w.peer;
      const target = r.chance(0.8) ? eui64(from.mac) : 'fe80::bad:1';
      return { kind, from: from.dev, flow: `icmp6,dl_src=${from.mac},dl_dst=${na ? other.mac : '33:33:ff:00:00:01'},ipv6_src=${eui64(from.mac)},ipv6_dst=${na ? eui64(other.mac) : 'ff02::1:ff00:1'},icmpv6_type=${na ? 136 : 135},icmpv6_code=0,nd_target=${target},nw_ttl=255` };
    }
    case 'vlanTagged': {
      // An 802.1Q-tagged IPv4 frame: br_netfilter leaves it to ebtables unless bridge-nf-filter-vlan-tagged=1.
      const from = r.chance(0.6) ? vm : w.peer;
      const to = from === w.peer ? vm : w.peer;
      return { kind, from: from.dev, flow: `dl_vlan=${r.int(1, 4094)},${ipv4(r.pick(['tcp', 'udp', 'icmp']), r.pick([22, 80]), from.mac, r.chance(0.7) ? to.mac : BROADCAST, r.chance(0.7) ? from.ip : randomIp(r), to.ip)}` };
    }
    case 'l2Control': {
      // STP, LACP, LLDP to the IEEE reserved group addresses; a bridge does not forward those.
      const [dlType, dlDst] = r.pick([['0x0027', '01:80:c2:00:00:00'], ['0x8809', '01:80:c2:00:00:02'], ['0x88cc', '01:80:c2:00:00:0e'], ['0x88b5', BROADCAST], ['0x88b5', '01:80:c2:00:00:10']] as const);
      return { kind, from: r.chance(0.7) ? vm.dev : w.peer.dev, flow: `dl_type=${dlType},dl_src=${srcMac()},dl_dst=${dlDst}` };
    }
    default:
      // TCP segments conntrack has no entry for, both ways.
      return r.chance(0.5)
        ? { kind, from: vm.dev, flow: `tcp,tp_src=${sport},tp_dst=${r.pick([22, 80])},tcp_flags=${r.pick(['0x011', '0x004', '0x012', '0x018'])},dl_src=${vm.mac},dl_dst=${w.peer.mac},nw_src=${vm.ip},nw_dst=${w.peer.ip},nw_ttl=64` }
        : { kind, from: w.peer.dev, flow: `tcp,tp_src=${sport},tp_dst=22,tcp_flags=${r.pick(['0x011', '0x004', '0x012', '0x018'])},dl_src=${w.peer.mac},dl_dst=${vm.mac},nw_src=${w.peer.ip},nw_dst=${vm.ip},nw_ttl=64` };
  }
}
