import type { CtAssumption } from '../../src/core/sim/ovs/runOvsPipeline';
import type { NeutronPort } from '../core/ovs/generateNeutronFlows';
import type { NeutronTunFlows } from './generateNeutronTunFlows';
import type { SeededRandom } from './seededRandom';

/**
 * Random packets for a Neutron compute node's OVS (see neutronOvsLab.ts), written in the flow
 * syntax both `ovs-appctl ofproto/trace` and parsePacketSpec read. The mix covers what the
 * anti-spoofing and firewall tables decide on: ARP requests/replies with the right and wrong
 * arp_spa / arp_sha / dl_src, IPv4 TCP/UDP/ICMP with right, VIP and spoofed sources, DHCP both
 * ways, VRRP (protocol 112), IPv6 neighbour discovery and DHCPv6, VLAN-tagged frames from the
 * patch and provider ports, tunnelled frames from VXLAN ports, unknown input ports, and every
 * conntrack state the recirculations can be told (`--ct-next`).
 */
export interface RandomOvsPacket {
  readonly kind: string;
  readonly bridge: 'br-int' | 'br-tun';
  readonly inPort: number;
  /** Flow fields without in_port. */
  readonly fields: string;
  readonly ct: CtAssumption;
}

export interface NeutronPacketWorld {
  readonly ports: readonly NeutronPort[];
  readonly tun: NeutronTunFlows;
  readonly dvrMac: string;
  readonly remoteDvrMacs: readonly string[];
  readonly physOfport: number;
  readonly patchTunOfport: number;
}

const BROADCAST = 'ff:ff:ff:ff:ff:ff';

function randomMac(r: SeededRandom): string {
  const b = (): string => r.int(0, 255).toString(16).padStart(2, '0');
  return `fa:16:3e:${b()}:${b()}:${b()}`;
}

function randomIp(r: SeededRandom): string {
  return `${r.pick([10, 172, 192])}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`;
}

export function randomNeutronPacket(r: SeededRandom, w: NeutronPacketWorld): RandomOvsPacket {
  const ct = r.weighted<CtAssumption>({ new: 5, established: 3, reply: 1, related: 1, invalid: 1 });
  const kind = r.weighted({ vmArp: 16, vmIpv4: 24, vmDhcp: 5, vmVrrp: 6, vmIpv6: 10, fromPatchTun: 12, fromPhys: 6, fromTunnel: 12, brTunFromInt: 5, unknownPort: 4, l2Special: 3 });
  const p = r.pick(w.ports);
  const sameNet = w.ports.filter((q) => q.vlan === p.vlan && q !== p);
  const peer = sameNet.length > 0 && r.chance(0.8) ? r.pick(sameNet) : r.pick(w.ports);
  const net = w.tun.networks.find((n) => n.vlan === p.vlan)!;
  const remote = r.pick(net.remoteVms);
  const srcIp = (): string => r.weighted({ own: 6, vip: p.allowedIps.length > 0 ? 2 : 0, spoof: 2, peer: 1 }) === 'own' ? p.ip :
    r.chance(0.5) && p.allowedIps.length > 0 ? r.pick(p.allowedIps) : r.chance(0.5) ? peer.ip : randomIp(r);
  const srcMac = (): string => (r.chance(0.8) ? p.mac : r.chance(0.5) ? peer.mac : randomMac(r));
  const ip4 = (proto: string, src: string, dst: string, dlSrc: string, dlDst: string): string => {
    let f = `${proto},dl_src=${dlSrc},dl_dst=${dlDst},nw_src=${src},nw_dst=${dst},nw_ttl=64`;
    if (proto === 'tcp') f += `,tcp_src=${r.int(1024, 65535)},tcp_dst=${r.pick([22, 80, 443, 8080, r.int(1, 65535)])},tcp_flags=${r.pick(['syn', 'ack', '0x012', 'fin', 'rst', '0x011'])}`;
    else if (proto === 'udp') f += `,udp_src=${r.int(1024, 65535)},udp_dst=${r.pick([53, 123, 4789, r.int(1, 65535)])}`;
    else if (proto === 'icmp') f += `,icmp_type=${r.pick([8, 0, 3, 11])},icmp_code=0`;
    return f;
  };
  const innerDst = (): { ip: string; mac: string } => {
    switch (r.weighted({ peer: 5, remote: 3, gateway: 1, dvr: 1, broadcast: 1, unknown: 2 })) {
      case 'peer': return { ip: peer.ip, mac: peer.mac };
      case 'remote': return { ip: remote.ip, mac: remote.mac };
      case 'gateway': return { ip: net.gatewayIp, mac: net.gatewayMac };
      case 'dvr': return { ip: peer.ip, mac: w.dvrMac };
      case 'broadcast': return { ip: '255.255.255.255', mac: BROADCAST };
      default: return { ip: randomIp(r), mac: randomMac(r) };
    }
  };
  const arp = (dlSrc: string, dlDst: string, op: number, spa: string, sha: string, tpa: string, tha: string): string =>
    `arp,dl_src=${dlSrc},dl_dst=${dlDst},arp_op=${op},arp_spa=${spa},arp_tpa=${tpa},arp_sha=${sha},arp_tha=${tha}`;
  const anyInner = (dlSrc: string, dlDst: string, src: string, dst: string): string => {
    switch (r.weighted({ arp: 3, tcp: 3, udp: 2, icmp: 2, vrrp: 1 })) {
      case 'arp': return arp(dlSrc, dlDst === BROADCAST || r.chance(0.5) ? BROADCAST : dlDst, r.int(1, 2), src, dlSrc, dst, '00:00:00:00:00:00');
      case 'vrrp': return `ip,nw_proto=112,dl_src=${dlSrc},dl_dst=01:00:5e:00:00:12,nw_src=${src},nw_dst=224.0.0.18,nw_ttl=255`;
      case 'tcp': return ip4('tcp', src, dst, dlSrc, dlDst);
      case 'udp': return ip4('udp', src, dst, dlSrc, dlDst);
      default: return ip4('icmp', src, dst, dlSrc, dlDst);
    }
  };
  // Now and then a VM sends a VLAN-tagged frame (or one with the reserved VLAN 4095).
  const vmTag = r.chance(0.05) ? `dl_vlan=${r.pick([p.vlan, 4095, r.int(2, 4094)])},` : '';
  const vm = (fields: string): RandomOvsPacket => ({ kind, bridge: 'br-int', inPort: p.ofport, fields: vmTag + fields, ct });

  switch (kind) {
    case 'vmArp': {
      const reply = r.chance(0.4);
      const dlSrc = srcMac();
      const sha = r.chance(0.85) ? dlSrc : randomMac(r);
      const target = r.weighted({ peer: 4, remote: 3, gateway: 2, other: 1 });
      const tpa = target === 'peer' ? peer.ip : target === 'remote' ? remote.ip : target === 'gateway' ? net.gatewayIp : randomIp(r);
      const tha = reply ? (target === 'peer' ? peer.mac : target === 'remote' ? remote.mac : randomMac(r)) : '00:00:00:00:00:00';
      const dlDst = reply ? tha : BROADCAST;
      // A gratuitous ARP announces the sender's own address (spa = tpa).
      const spa = srcIp();
      return vm(arp(dlSrc, dlDst, reply ? 2 : 1, spa, sha, r.chance(0.15) ? spa : tpa, tha));
    }
    case 'vmIpv4': {
      const d = innerDst();
      return vm(ip4(r.pick(['tcp', 'udp', 'icmp']), srcIp(), d.ip, srcMac(), d.mac));
    }
    case 'vmDhcp': {
      const dlSrc = srcMac();
      if (r.chance(0.6)) return vm(`udp,dl_src=${dlSrc},dl_dst=${BROADCAST},nw_src=${r.chance(0.7) ? '0.0.0.0' : p.ip},nw_dst=255.255.255.255,nw_ttl=64,udp_src=68,udp_dst=67`);
      // A VM answering as a DHCP server: the firewall drops it.
      return vm(`udp,dl_src=${dlSrc},dl_dst=${peer.mac},nw_src=${p.ip},nw_dst=${peer.ip},nw_ttl=64,udp_src=67,udp_dst=68`);
    }
    case 'vmVrrp':
      return vm(`ip,nw_proto=112,dl_src=${srcMac()},dl_dst=01:00:5e:00:00:12,nw_src=${srcIp()},nw_dst=224.0.0.18,nw_ttl=255`);
    case 'vmIpv6': {
      const dlSrc = srcMac();
      const src6 = r.chance(0.75) ? p.ipv6LinkLocal : r.chance(0.5) ? peer.ipv6LinkLocal : 'fe80::dead:beef';
      const t = r.weighted({ ns: 3, na: 3, rs: 1, ra: 1, dhcp6: 1, tcp6: 2 });
      if (t === 'dhcp6') return vm(`udp6,dl_src=${dlSrc},dl_dst=33:33:00:01:00:02,ipv6_src=${src6},ipv6_dst=ff02::1:2,nw_ttl=1,udp_src=546,udp_dst=547`);
      if (t === 'tcp6') return vm(`tcp6,dl_src=${dlSrc},dl_dst=${peer.mac},ipv6_src=${src6},ipv6_dst=${peer.ipv6LinkLocal},nw_ttl=64,tcp_src=${r.int(1024, 65535)},tcp_dst=22,tcp_flags=syn`);
      const type = { ns: 135, na: 136, rs: 133, ra: 134 }[t];
      const target = r.chance(0.7) ? (t === 'ns' ? peer.ipv6LinkLocal : p.ipv6LinkLocal) : 'fe80::bad:1';
      const nd = t === 'ns' || t === 'na' ? `,nd_target=${target}` : '';
      const dst = t === 'na' && r.chance(0.5) ? `dl_dst=${peer.mac},ipv6_dst=${peer.ipv6LinkLocal}` : 'dl_dst=33:33:00:00:00:01,ipv6_dst=ff02::1';
      return vm(`icmp6,dl_src=${dlSrc},${dst},ipv6_src=${src6},nw_ttl=255,icmpv6_type=${type},icmpv6_code=0${nd}`);
    }
    case 'fromPatchTun': {
      // From br-tun: tagged with a local VLAN (or a stray one), towards a local VM.
      const vlan = r.chance(0.8) ? p.vlan : r.chance(0.5) ? r.int(50, 4000) : undefined;
      const dlSrc = r.chance(0.7) ? remote.mac : r.pick(w.remoteDvrMacs);
      const dlDst = r.weighted({ vm: 6, bcast: 2, dvr: 1, unknown: 1 });
      const dst = dlDst === 'vm' ? p.mac : dlDst === 'bcast' ? BROADCAST : dlDst === 'dvr' ? w.dvrMac : randomMac(r);
      const tag = vlan === undefined ? '' : `dl_vlan=${vlan},`;
      return { kind, bridge: 'br-int', inPort: w.patchTunOfport, fields: tag + anyInner(dlSrc, dst, remote.ip, p.ip), ct };
    }
    case 'fromPhys': {
      const tag = r.chance(0.5) ? '' : `dl_vlan=${r.chance(0.5) ? p.vlan : r.int(100, 200)},`;
      const dlSrc = r.chance(0.5) ? randomMac(r) : r.pick(w.remoteDvrMacs);
      const dst = r.pick([p.mac, w.dvrMac, BROADCAST, randomMac(r)]);
      return { kind, bridge: 'br-int', inPort: w.physOfport, fields: tag + anyInner(dlSrc, dst, randomIp(r), p.ip), ct };
    }
    case 'fromTunnel': {
      const t = r.pick(w.tun.tunnels);
      const tunId = r.chance(0.85) ? net.tunId : r.int(1, 0xffff);
      const dlSrc = r.chance(0.8) ? remote.mac : r.pick(w.remoteDvrMacs);
      const dst = r.weighted({ vm: 6, bcast: 2, other: 1 });
      const dlDst = dst === 'vm' ? p.mac : dst === 'bcast' ? BROADCAST : randomMac(r);
      const tun = `tun_id=0x${tunId.toString(16)},tun_src=${t.remoteIp},tun_dst=192.168.100.10,`;
      return { kind, bridge: 'br-tun', inPort: t.ofport, fields: tun + anyInner(dlSrc, dlDst, remote.ip, p.ip), ct };
    }
    case 'brTunFromInt': {
      // What br-int floods or sends to patch-tun: tagged with the local VLAN.
      const vlan = r.chance(0.9) ? p.vlan : r.int(50, 60);
      const d = r.weighted({ arpRemote: 3, arpGw: 1, unicastRemote: 2, unknown: 1, bcast: 1 });
      const src = r.chance(0.7) ? p.mac : net.gatewayMac;
      let inner: string;
      if (d === 'arpRemote' || d === 'arpGw') inner = arp(src, BROADCAST, 1, p.ip, src, d === 'arpGw' ? net.gatewayIp : remote.ip, '00:00:00:00:00:00');
      else inner = anyInner(src, d === 'unicastRemote' ? remote.mac : d === 'bcast' ? BROADCAST : randomMac(r), p.ip, remote.ip);
      return { kind, bridge: 'br-tun', inPort: w.tun.patchIntOfport, fields: `dl_vlan=${vlan},${inner}`, ct };
    }
    case 'l2Special': {
      // STP / LLDP / LACP to the reserved multicast addresses, and a non-IP ethertype.
      const [dlType, dlDst] = r.pick([['0x88cc', '01:80:c2:00:00:0e'], ['0x8809', '01:80:c2:00:00:02'], ['0x0027', '01:80:c2:00:00:00'], ['0x88b5', BROADCAST]] as const);
      const at = r.pick([{ bridge: 'br-int', inPort: p.ofport }, { bridge: 'br-int', inPort: w.patchTunOfport }, { bridge: 'br-int', inPort: w.physOfport }, { bridge: 'br-tun', inPort: w.tun.patchIntOfport }] as const);
      const tag = at.inPort === w.patchTunOfport || at.bridge === 'br-tun' ? `dl_vlan=${p.vlan},` : '';
      return { kind, bridge: at.bridge, inPort: at.inPort, fields: `${tag}dl_type=${dlType},dl_src=${srcMac()},dl_dst=${dlDst}`, ct };
    }
    default: {
      const inPort = r.pick([50, 999, 65534]);
      const d = innerDst();
      return { kind, bridge: 'br-int', inPort, fields: anyInner(srcMac(), d.mac, srcIp(), d.ip), ct };
    }
  }
}

/** `--ct-next` flags for an assumed state (every recirculation of the trace gets the same). */
export const CT_NEXT_FLAGS: Readonly<Record<CtAssumption, string>> = {
  new: 'trk,new',
  established: 'trk,est',
  reply: 'trk,est,rpl',
  related: 'trk,rel',
  invalid: 'trk,inv',
};
