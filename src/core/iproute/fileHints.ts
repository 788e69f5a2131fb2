import type { IpFamily } from '../net/IpAddress';

/**
 * What a dump's file name says that its content does not: `ip_-6_route_show_table_all` and
 * `ip_-6_rule` are IPv6 even where a line (`default dev lo`, `from all lookup main`) does not say;
 * `ip_route_list_table_16` holds table 16 although `ip route list table 16` never prints `table`.
 */
export function familyFromFileName(file: string): IpFamily | undefined {
  const base = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  if (/(^|[_\s.-])-6([_\s.]|$)|(^|[_\s])ip6?_-6|inet6|ipv6/i.test(base)) return 6;
  if (/(^|[_\s.-])-4([_\s.]|$)/.test(base)) return 4;
  return undefined;
}

export function tableFromFileName(file: string): string | undefined {
  const base = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  const m = /(?:^|[_\s-])table[_\s]+([A-Za-z0-9]+)/.exec(base);
  if (!m?.[1] || m[1] === 'all' || m[1] === 'main') return undefined;
  return m[1];
}
