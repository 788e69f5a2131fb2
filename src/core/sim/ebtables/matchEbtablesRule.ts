import { cidrContains } from '../../net/Cidr';
import { BROADCAST_MAC, isMulticastMac } from '../../net/MacAddress';
import type { EbtablesOption, EbtablesRule } from '../../ebtables/EbtablesRule';
import { ETH_TYPE, isArp, isIpv4, readField, type Packet } from '../Packet';
import type { MatchOutcome } from '../walkChains';

/** What an ebtables rule sees besides the frame: the bridge ports and the bridge. */
export interface EbtablesEvalContext {
  readonly inInterface?: string;
  readonly outInterface?: string;
  readonly logicalIn?: string;
  readonly logicalOut?: string;
}

type Cond = boolean | { unknown: string };

/** Options that only watch (log) or rate-limit: they never change whether a frame matches. */
const WATCHERS = new Set(['--log', '--log-level', '--log-prefix', '--log-ip', '--log-arp', '--log-ip6', '--nflog',
  '--nflog-group', '--nflog-prefix', '--nflog-range', '--nflog-threshold', '--ulog', '--ulog-prefix', '--ulog-nlgroup',
  '--ulog-cprange', '--ulog-qthreshold', '--limit', '--limit-burst', '-c', '--set-counters']);

/**
 * Does `rule` match the frame? Options are checked in the order printed; the first that fails is
 * named, and an option the simulator cannot decide makes the rule `unknown` (never a silent pass).
 */
export function matchEbtablesRule(rule: EbtablesRule, packet: Packet, ctx: EbtablesEvalContext): MatchOutcome {
  const because: string[] = [];
  for (const o of rule.options) {
    if (WATCHERS.has(o.name)) continue;
    const text = `${o.negated ? '! ' : ''}${o.written} ${o.values.join(' ')}`.trim();
    if (!o.known) return { matched: 'unknown', reason: `${text}: ebtables option not understood` };
    const c = optionMatches(o, packet, ctx);
    if (typeof c === 'object') return { matched: 'unknown', reason: `${text}: ${c.unknown}` };
    const ok = o.negated ? !c : c;
    if (!ok) return { matched: false, failed: text };
    because.push(text);
  }
  return { matched: true, because };
}

function ifaceMatches(o: EbtablesOption, name: string | undefined): Cond {
  const d = o.decoded;
  if (!d || d.kind !== 'interface') return { unknown: 'interface not decoded' };
  if (name === undefined) return false;
  return d.wildcard ? name.startsWith(d.name) : name === d.name;
}


function optionMatches(o: EbtablesOption, p: Packet, ctx: EbtablesEvalContext): Cond {
  const d = o.decoded;
  switch (o.name) {
    case '-p': {
      if (!d) return { unknown: 'protocol not decoded' };
      if (d.kind === 'length') return readField(p, 'eth_type') < 0x600n;
      if (d.kind === 'ethertype') return readField(p, 'eth_type') === BigInt(d.ethertype);
      return { unknown: 'protocol not decoded' };
    }
    case '-s': case '-d': {
      if (!d || d.kind !== 'mac') return { unknown: 'MAC not decoded' };
      const mac = readField(p, o.name === '-s' ? 'eth_src' : 'eth_dst');
      return (mac & d.mask) === (d.address & d.mask);
    }
    case '-i': return ifaceMatches(o, ctx.inInterface);
    case '-o': return ifaceMatches(o, ctx.outInterface);
    case '--logical-in': return ifaceMatches(o, ctx.logicalIn);
    case '--logical-out': return ifaceMatches(o, ctx.logicalOut);
    case '--ip-src': case '--ip-dst': {
      // The kernel's ip match only looks at IPv4 frames (the rule must say -p IPv4).
      if (!isIpv4(p)) return false;
      if (!d || d.kind !== 'ip') return { unknown: 'address not decoded' };
      return cidrContains(d.cidr, { family: 4, value: readField(p, o.name === '--ip-src' ? 'ip_src' : 'ip_dst') });
    }
    case '--ip6-src': case '--ip6-dst': {
      if (readField(p, 'eth_type') !== ETH_TYPE.ipv6) return false;
      if (!d || d.kind !== 'ip') return { unknown: 'address not decoded' };
      return cidrContains(d.cidr, { family: 6, value: readField(p, o.name === '--ip6-src' ? 'ipv6_src' : 'ipv6_dst') });
    }
    case '--ip-proto': case '--ip6-proto': {
      if (!d || d.kind !== 'ipProtocol') return { unknown: 'protocol not decoded' };
      return readField(p, 'nw_proto') === BigInt(d.protocol);
    }
    case '--ip-sport': case '--ip-dport': case '--ip6-sport': case '--ip6-dport': {
      if (!d || d.kind !== 'portRange') return { unknown: 'port not decoded' };
      const port = Number(readField(p, o.name.endsWith('sport') ? 'tp_src' : 'tp_dst'));
      return port >= d.from && port <= d.to;
    }
    case '--arp-op': {
      if (!isArp(p)) return false;
      if (!d || d.kind !== 'arpOpcode') return { unknown: 'opcode not decoded' };
      return readField(p, 'arp_op') === BigInt(d.opcode);
    }
    case '--arp-ip-src': case '--arp-ip-dst': {
      if (!isArp(p)) return false;
      if (!d || d.kind !== 'ip') return { unknown: 'address not decoded' };
      return cidrContains(d.cidr, { family: 4, value: readField(p, o.name === '--arp-ip-src' ? 'arp_spa' : 'arp_tpa') });
    }
    case '--arp-mac-src': case '--arp-mac-dst': {
      if (!isArp(p)) return false;
      if (!d || d.kind !== 'mac') return { unknown: 'MAC not decoded' };
      const mac = readField(p, o.name === '--arp-mac-src' ? 'arp_sha' : 'arp_tha');
      return (mac & d.mask) === (d.address & d.mask);
    }
    case '--arp-gratuitous':
      return isArp(p) && readField(p, 'arp_spa') === readField(p, 'arp_tpa');
    case '--arp-ptype':
      return isArp(p) && (!d || d.kind !== 'ethertype' || d.ethertype === 0x0800);
    case '--arp-htype':
      return isArp(p) && (!d || d.kind !== 'number' || d.value === 1);
    case '--vlan-id': {
      const tci = readField(p, 'vlan_tci');
      if (!(tci & 0x1000n)) return false;
      return d?.kind === 'number' ? Number(tci & 0xfffn) === d.value : { unknown: 'VLAN id not decoded' };
    }
    case '--mark': case '--mark_m': {
      if (!d || d.kind !== 'masked') return { unknown: 'mark not decoded' };
      const m = readField(p, 'pkt_mark');
      return d.anyBitSet ? (m & d.mask) !== 0n : (m & d.mask) === d.value;
    }
    case '--pkttype-type': {
      const dst = readField(p, 'eth_dst');
      const kind = dst === BROADCAST_MAC ? 'broadcast' : isMulticastMac(dst) ? 'multicast' : 'host';
      const want = (o.values[0] ?? '').toLowerCase();
      if (want === 'otherhost') return { unknown: 'whether the frame is for this host is not known' };
      return kind === want;
    }
    case '--among-src': case '--among-dst': {
      if (!d || d.kind !== 'macList') return { unknown: 'MAC list not decoded' };
      const mac = readField(p, o.name === '--among-src' ? 'eth_src' : 'eth_dst');
      return d.addresses.includes(mac);
    }
    default:
      return { unknown: 'option not simulated' };
  }
}
