import type { IptablesTable } from './IptablesModel';
import { LazyRule } from './LazyRule';

/**
 * What a file name says that the dump itself may not: the table of `iptables -t nat -S` /
 * `iptables -t nat -nvL` (sosreport names them `iptables_-t_nat_-nvL`) and the family of
 * `ip6tables*` files. Anything else -> undefined.
 */
export function tableFromFileName(file: string): string | undefined {
  const base = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  const m = /(?:^|[^A-Za-z0-9])(?:-t|--table)(?:[_ =]+|=)?(filter|nat|mangle|raw|security)(?![A-Za-z0-9])/.exec(base);
  return m ? m[1] : undefined;
}

export function familyFromFileName(file: string): 4 | 6 | undefined {
  const base = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  if (/ip6tables/.test(base)) return 6;
  if (/(^|[^6])iptables/.test(base)) return 4;
  return undefined;
}

/** Family from the rules: IPv6 addresses or ICMPv6 say 6, IPv4 addresses say 4; nothing -> undefined. */
export function familyFromRules(tables: readonly IptablesTable[]): 4 | 6 | undefined {
  let seen4 = false;
  for (const t of tables) {
    for (const c of t.chains) {
      for (const r of c.rules) {
        const f = r.source?.value.family ?? r.destination?.value.family;
        if (f === 6 || r.protocol?.value === 'ipv6-icmp') return 6;
        if (f === 4) seen4 = true;
        if (r instanceof LazyRule ? r.hasModule('icmp6') : r.matches.some((m) => m.module === 'icmp6')) return 6;
      }
    }
  }
  return seen4 ? 4 : undefined;
}
