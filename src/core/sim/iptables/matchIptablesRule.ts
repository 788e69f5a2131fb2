import { cidrContains, type Cidr } from '../../net/Cidr';
import { formatIp, parseIp, type IpAddress } from '../../net/IpAddress';
import { isMulticastMac, parseMac, BROADCAST_MAC } from '../../net/MacAddress';
import type { IptablesMatch, IptablesOption, IptablesRule } from '../../iptables/IptablesModel';
import { readField, type Packet } from '../Packet';
import type { MatchOutcome } from '../walkChains';
import { ALWAYS_MATCHING_MODULES, ICMP_TYPES, ICMPV6_TYPES, IP_PROTOCOL_NUMBERS } from './iptablesTables';
import type { IptablesEvalContext } from './IptablesEvalContext';

/** A condition's result: true/false, or a reason it cannot be decided from the snapshot. */
type Cond = boolean | { unknown: string };

/**
 * Does `rule` match `packet` at this hook? Conditions are checked in the order iptables prints
 * them; the first that fails is named (for "passed over because..."), and any condition the
 * simulator cannot decide makes the whole rule `unknown`: it never silently matches or misses.
 */
export function matchIptablesRule(rule: IptablesRule, packet: Packet, ctx: IptablesEvalContext): MatchOutcome {
  const because: string[] = [];
  const check = (text: string, c: Cond): MatchOutcome | undefined => {
    if (typeof c === 'object') return { matched: 'unknown', reason: `${text}: ${c.unknown}` };
    if (!c) return { matched: false, failed: text };
    because.push(text);
    return undefined;
  };
  const neg = (n: { negated: boolean }, text: string): string => (n.negated ? `! ${text}` : text);

  if (rule.protocol) {
    const r = check(neg(rule.protocol, `-p ${rule.protocol.value}`), applyNeg(rule.protocol, protocolMatches(rule.protocol.value, packet)));
    if (r) return r;
  }
  if (rule.source) {
    const r = check(neg(rule.source, `-s ${rule.source.value.text}`), applyNeg(rule.source, addrIn(rule.source.value, srcIp(packet, ctx))));
    if (r) return r;
  }
  if (rule.destination) {
    const r = check(neg(rule.destination, `-d ${rule.destination.value.text}`), applyNeg(rule.destination, addrIn(rule.destination.value, dstIp(packet, ctx))));
    if (r) return r;
  }
  if (rule.sourceName || rule.destinationName) {
    return { matched: 'unknown', reason: 'this `iptables -L` dump shows host names instead of addresses (use -n)' };
  }
  if (rule.inInterface) {
    const r = check(neg(rule.inInterface, `-i ${rule.inInterface.value}`), applyNeg(rule.inInterface, ifaceMatches(rule.inInterface.value, ctx.inInterface)));
    if (r) return r;
  }
  if (rule.outInterface) {
    const r = check(neg(rule.outInterface, `-o ${rule.outInterface.value}`), applyNeg(rule.outInterface, ifaceMatches(rule.outInterface.value, ctx.outInterface)));
    if (r) return r;
  }
  if (rule.fragment) {
    // Simulated packets are whole: `-f` matches only second and later fragments.
    const r = check(neg(rule.fragment, '-f'), applyNeg(rule.fragment, false));
    if (r) return r;
  }
  for (const m of rule.matches) {
    if (ALWAYS_MATCHING_MODULES.has(m.module)) continue;
    for (const o of m.options) {
      const text = `${o.negated ? '! ' : ''}${o.name}${o.values.length ? ` ${o.values.join(' ')}` : ''}`;
      const r = check(m.module ? `-m ${m.module} ${text}` : text, applyNeg(o, optionMatches(m, o, packet, ctx)));
      if (r) return r;
    }
    if (m.module === '' && m.options.length === 0 && m.text) return { matched: 'unknown', reason: `untranslated -L text "${m.text}"` };
  }
  return { matched: true, because };
}

function applyNeg(n: { negated: boolean }, c: Cond): Cond {
  return typeof c === 'object' ? c : n.negated ? !c : c;
}

function srcIp(p: Packet, ctx: IptablesEvalContext): IpAddress {
  return ctx.family === 4 ? { family: 4, value: readField(p, 'ip_src') } : { family: 6, value: readField(p, 'ipv6_src') };
}
function dstIp(p: Packet, ctx: IptablesEvalContext): IpAddress {
  return ctx.family === 4 ? { family: 4, value: readField(p, 'ip_dst') } : { family: 6, value: readField(p, 'ipv6_dst') };
}

function addrIn(c: Cidr, ip: IpAddress): Cond {
  return cidrContains(c, ip);
}

export function protocolNumber(name: string): number | undefined {
  if (/^\d+$/.test(name)) return Number(name);
  return IP_PROTOCOL_NUMBERS[name.toLowerCase()];
}

function protocolMatches(name: string, p: Packet): Cond {
  const lower = name.toLowerCase();
  if (lower === 'all' || lower === '0') return true;
  const n = protocolNumber(lower);
  if (n === undefined) return { unknown: `protocol "${name}" is not known` };
  return readField(p, 'nw_proto') === BigInt(n);
}

/** `-i qr-+` matches any name starting with `qr-`; no interface at this hook never matches a name. */
export function ifaceMatches(pattern: string, name: string | undefined): Cond {
  if (name === undefined) return false;
  if (pattern.endsWith('+')) return name.startsWith(pattern.slice(0, -1));
  return name === pattern;
}

/** `22`, `1:65535`, `:1024`, `1024:`. */
function portInRange(spec: string, port: number): boolean {
  const c = spec.indexOf(':');
  if (c === -1) return Number(spec) === port;
  const lo = c === 0 ? 0 : Number(spec.slice(0, c));
  const hi = c === spec.length - 1 ? 65535 : Number(spec.slice(c + 1));
  return port >= lo && port <= hi;
}

const TCP_FLAG_BITS: Readonly<Record<string, number>> = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16, URG: 32, ECE: 64, CWR: 128, ALL: 255, NONE: 0 };
function tcpFlagMask(list: string): number {
  return list.split(',').reduce((m, f) => m | (TCP_FLAG_BITS[f.toUpperCase()] ?? 0), 0);
}

const CT_NAMES = ['NEW', 'ESTABLISHED', 'RELATED', 'INVALID', 'UNTRACKED', 'SNAT', 'DNAT'] as const;

function stateMatches(list: string, ctx: IptablesEvalContext): Cond {
  const want = list.split(',').map((s) => s.toUpperCase());
  const have = { new: 'NEW', established: 'ESTABLISHED', reply: 'ESTABLISHED', related: 'RELATED', invalid: 'INVALID' }[ctx.ct];
  for (const w of want) if (!(CT_NAMES as readonly string[]).includes(w)) return { unknown: `conntrack state ${w} is not known` };
  return want.includes(have);
}

function optionMatches(m: IptablesMatch, o: IptablesOption, p: Packet, ctx: IptablesEvalContext): Cond {
  const v = o.values[0] ?? '';
  const sport = Number(readField(p, 'tp_src'));
  const dport = Number(readField(p, 'tp_dst'));
  switch (o.name) {
    case '--sport': case '--source-port': return portInRange(v, sport);
    case '--dport': case '--destination-port': return portInRange(v, dport);
    case '--sports': case '--source-ports': return v.split(',').some((s) => portInRange(s, sport));
    case '--dports': case '--destination-ports': return v.split(',').some((s) => portInRange(s, dport));
    case '--ports': return v.split(',').some((s) => portInRange(s, sport) || portInRange(s, dport));
    case '--tcp-flags': {
      const mask = tcpFlagMask(v);
      const comp = tcpFlagMask(o.values[1] ?? '');
      return (Number(readField(p, 'tcp_flags')) & mask) === comp;
    }
    case '--syn': return (Number(readField(p, 'tcp_flags')) & 0x17) === 0x02;
    case '--icmp-type': case '--icmpv6-type': {
      const table = o.name === '--icmp-type' ? ICMP_TYPES : ICMPV6_TYPES;
      const named = table[v];
      const [type, code] = named ?? (v.split('/').map(Number) as [number, number | undefined]);
      if (type === undefined || Number.isNaN(type)) return { unknown: `ICMP type "${v}" is not known` };
      if (Number(readField(p, 'icmp_type')) !== type) return false;
      return code === undefined || Number.isNaN(code) || Number(readField(p, 'icmp_code')) === code;
    }
    case '--physdev-in': return ctx.bridged && ifaceMatches(v, ctx.physdevIn) === true;
    case '--physdev-out': return ctx.bridged && ifaceMatches(v, ctx.physdevOut) === true;
    case '--physdev-is-bridged': return ctx.bridged && ctx.physdevOut !== undefined;
    case '--physdev-is-in': return ctx.bridged && ctx.physdevIn !== undefined;
    case '--physdev-is-out': return ctx.bridged && ctx.physdevOut !== undefined;
    case '--mac-source': {
      const mac = parseMac(v);
      return mac === undefined ? { unknown: `bad MAC ${v}` } : readField(p, 'eth_src') === mac;
    }
    case '--state': case '--ctstate': return stateMatches(v, ctx);
    case '--mark': {
      const [val, mask] = v.split('/');
      const mv = BigInt(val ?? '0');
      const mk = mask === undefined ? 0xffffffffn : BigInt(mask);
      return (readField(p, 'pkt_mark') & mk) === mv;
    }
    case '--match-set': {
      if (!ctx.ipsetContains) return { unknown: `ipset ${v} is not in the snapshot (collect \`ipset save\`)` };
      const dims = (o.values[1] ?? 'src').split(',') as ('src' | 'dst')[];
      const r = ctx.ipsetContains(v, dims, {
        src: srcIp(p, ctx), dst: dstIp(p, ctx), sport, dport, proto: Number(readField(p, 'nw_proto')),
      });
      return r === undefined ? { unknown: `ipset ${v} is not in the snapshot` } : r;
    }
    case '--src-type': case '--dst-type': {
      const ip = o.name === '--src-type' ? srcIp(p, ctx) : dstIp(p, ctx);
      return addrTypeMatches(v, ip, ctx);
    }
    case '--limit-iface-in': case '--limit-iface-out': return true;
    case '--src-range': case '--dst-range': {
      const [lo, hi] = v.split('-').map((s) => parseIp(s));
      const ip = o.name === '--src-range' ? srcIp(p, ctx) : dstIp(p, ctx);
      if (!lo || !hi) return { unknown: `bad range ${v}` };
      return ip.value >= lo.value && ip.value <= hi.value;
    }
    case '--pkt-type': {
      const dst = readField(p, 'eth_dst');
      const kind = dst === BROADCAST_MAC ? 'broadcast' : isMulticastMac(dst) ? 'multicast' : 'unicast';
      return kind === v.toLowerCase();
    }
    case '--comment': return true;
    case '--ttl-eq': return Number(readField(p, 'nw_ttl')) === Number(v);
    case '--ttl-gt': return Number(readField(p, 'nw_ttl')) > Number(v);
    case '--ttl-lt': return Number(readField(p, 'nw_ttl')) < Number(v);
    default:
      return { unknown: `match -m ${m.module} ${o.name} is not simulated` };
  }
}

function addrTypeMatches(list: string, ip: IpAddress, ctx: IptablesEvalContext): Cond {
  const types = list.split(',').map((t) => t.toUpperCase());
  const isBroadcast = ip.family === 4 && ip.value === 0xffffffffn;
  const isMulticast = ip.family === 4 ? ip.value >> 28n === 0xen : ip.value >> 120n === 0xffn;
  const local = ctx.isLocal?.(ip);
  for (const t of types) {
    switch (t) {
      case 'LOCAL':
        if (local === undefined) return { unknown: `whether ${formatIp(ip)} is local is not known (no addresses collected)` };
        if (local) return true;
        break;
      case 'BROADCAST': if (isBroadcast) return true; break;
      case 'MULTICAST': if (isMulticast) return true; break;
      case 'UNICAST': if (!isBroadcast && !isMulticast) return true; break;
      default: return { unknown: `address type ${t} is not simulated` };
    }
  }
  return false;
}
