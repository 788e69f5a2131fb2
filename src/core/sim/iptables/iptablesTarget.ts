import { formatIp, parseIp } from '../../net/IpAddress';
import type { IptablesRule } from '../../iptables/IptablesModel';
import { readField, withField, type Packet } from '../Packet';
import type { TargetOutcome } from '../walkChains';
import type { IptablesEvalContext } from './IptablesEvalContext';
import { NON_TERMINATING_TARGETS } from './iptablesTables';

/**
 * What a rule's target does to the walk. NAT targets rewrite the packet and end the nat table's
 * traversal (the kernel binds the mapping then); MARK rewrites and goes on; LOG and friends go on.
 * Anything else unknown stops the walk as indeterminate, naming the target.
 */
export function iptablesTarget(rule: IptablesRule, packet: Packet, ctx: IptablesEvalContext, userChains: ReadonlySet<string>): TargetOutcome {
  const t = rule.target;
  if (!t) return { kind: 'continue' };
  const opt = (name: string): string | undefined => t.options.find((o) => o.name === name)?.values[0];
  switch (t.name) {
    case 'ACCEPT': return { kind: 'verdict', verdict: 'ACCEPT' };
    case 'DROP': return { kind: 'verdict', verdict: 'DROP' };
    case 'REJECT': return { kind: 'verdict', verdict: 'REJECT' };
    case 'RETURN': return { kind: 'return' };
    case 'MARK': {
      const cur = readField(packet, 'pkt_mark');
      const xmark = opt('--set-xmark') ?? opt('--set-mark');
      if (xmark !== undefined) {
        const [v, m] = xmark.split('/');
        const value = BigInt(v ?? '0');
        const mask = m === undefined ? 0xffffffffn : BigInt(m);
        const next = opt('--set-xmark') !== undefined ? (cur & ~mask) ^ value : (cur & ~mask) | value;
        return mark(packet, next);
      }
      const or = opt('--or-mark');
      if (or !== undefined) return mark(packet, cur | BigInt(or));
      const and = opt('--and-mark');
      if (and !== undefined) return mark(packet, cur & BigInt(and));
      const xor = opt('--xor-mark');
      if (xor !== undefined) return mark(packet, cur ^ BigInt(xor));
      return { kind: 'unknown', reason: `MARK options ${t.options.map((o) => o.name).join(' ')} are not simulated` };
    }
    case 'DNAT':
    case 'SNAT': {
      const spec = opt(t.name === 'DNAT' ? '--to-destination' : '--to-source');
      if (!spec) return { kind: 'unknown', reason: `${t.name} without a --to address` };
      return nat(packet, ctx, t.name === 'DNAT' ? 'dst' : 'src', spec);
    }
    case 'MASQUERADE':
      return { kind: 'continue', stop: true, rewrites: [`source becomes the address of ${ctx.outInterface ?? 'the output interface'}`] };
    case 'REDIRECT':
      return { kind: 'continue', stop: true, rewrites: [`destination becomes a local address${opt('--to-ports') ? ` port ${opt('--to-ports')}` : ''}`] };
    default:
      if (userChains.has(t.name)) return { kind: 'jump', chain: t.name, goto: t.kind === 'goto' };
      if (NON_TERMINATING_TARGETS.has(t.name)) return { kind: 'continue' };
      return { kind: 'unknown', reason: `target ${t.name} is not simulated` };
  }
}

function mark(packet: Packet, value: bigint): TargetOutcome {
  return { kind: 'continue', packet: withField(packet, 'pkt_mark', value & 0xffffffffn), rewrites: [`mark=0x${(value & 0xffffffffn).toString(16)}`] };
}

/** `10.0.0.5`, `10.0.0.5:8080`, `10.0.0.5-10.0.0.9:1000-2000`: the first address and port are used. */
function nat(packet: Packet, ctx: IptablesEvalContext, which: 'src' | 'dst', spec: string): TargetOutcome {
  const m = /^\[?([^\]-]+?)(?:-[^:\]]+)?\]?(?::(\d+)(?:-\d+)?)?$/.exec(spec);
  const ip = m?.[1] ? parseIp(m[1]) : undefined;
  if (!ip) return { kind: 'unknown', reason: `NAT address ${spec} is not understood` };
  const field = ctx.family === 4 ? (which === 'src' ? 'ip_src' : 'ip_dst') : which === 'src' ? 'ipv6_src' : 'ipv6_dst';
  let next = withField(packet, field, ip.value);
  const rewrites = [`${which === 'src' ? 'source' : 'destination'} -> ${formatIp(ip)}`];
  if (m?.[2]) {
    next = withField(next, which === 'src' ? 'tp_src' : 'tp_dst', BigInt(m[2]));
    rewrites[0] += `:${m[2]}`;
  }
  return { kind: 'continue', packet: next, rewrites, stop: true };
}
