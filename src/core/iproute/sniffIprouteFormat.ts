import type { FormatId } from '../snapshot/FormatId';

export type IprouteFormat = Extract<FormatId,
  'ip-json' | 'ip-addr' | 'ip-link' | 'ip-route' | 'ip-rule' | 'ip-netns' | 'ip-neigh' | 'bridge-link' | 'bridge-fdb' |
  'bridge-vlan' | 'brctl-show' | 'route-n' | 'sysctl'>;

const HEAD_CHARS = 64 * 1024;
const HEAD_LINES = 60;

/** Line shapes, as data; each is tested on the first lines only. */
const SHAPES = {
  rule: /^\d+:\s+(?:not\s+)?from\s/,
  linkHeader: /^\d+:\s+\S+:\s+(?:<[^>]*>\s+)?mtu\s/,
  onelineAddr: /^\d+:\s+\S+\s+inet6?\s/,
  oldBridgeLink: /^\d+:\s+\S+\s+state\s+\S+\s+:\s+</,
  inet: /^\s+inet6?\s/,
  fdb: /^[0-9a-f]{1,2}(?::[0-9a-f]{1,2}){5}\s+dev\s/i,
  neigh: /^[0-9a-f:.]+\s+dev\s+\S+(?:\s.*)?\s(?:lladdr\s|(?:REACHABLE|STALE|DELAY|PROBE|FAILED|INCOMPLETE|PERMANENT|NOARP|NONE)\s*$)/,
  route: /^(?:(?:unicast|local|broadcast|multicast|anycast|unreachable|blackhole|prohibit|throw|nat)\s+)?(?:default|[0-9a-f]*[:.][0-9a-f:.]*(?:\/\d+)?)(?:\s+(?:dev|via|proto|table|scope|metric|src|tos|nhid)\s|\s*$)/i,
  sysctl: /^(?:[a-z0-9_]+(?:[./][\w.@:+-]+)+\s*=|\/proc\/sys\/\S+:)/i,
  netns: /^[\w.@-]+(?:\s+\(id:\s*\d+\))?$/,
  netnsId: /\(id:\s*\d+\)$/,
  neutronNetns: /^(?:qrouter|qdhcp|snat|fip|ovnmeta|qlbaas|haproxy)-/,
} as const;

/**
 * Which iproute2-family dump this is, from its first lines (at most 64 KB are looked at, so a 50 MB
 * file costs the same as a small one). The file name only breaks ties the content cannot: an
 * `ip -o link` / `ip link` file without addresses parses the same as `ip addr`, so a name saying
 * `addr` makes it `ip-addr`. Undefined when the text is none of these formats.
 */
export function sniffIprouteFormat(text: string, fileName: string): IprouteFormat | undefined {
  const lines: string[] = [];
  const head = text.slice(0, HEAD_CHARS);
  for (const raw of head.split('\n')) {
    const l = raw.replace(/\r$/, '').replace(/[\u00a0\u3000\u2000-\u200b\u202f]/g, ' ');
    if (l.trim() === '' || /^\s*\(?(?:\.\.\.|…)\)?\s*$/.test(l)) continue;
    lines.push(l);
    if (lines.length >= HEAD_LINES) break;
  }
  const first = lines[0]?.trimStart();
  if (first === undefined) return undefined;
  if (/^\[\s*(?:\{|\]|$)/.test(first) || /^\{\s*"/.test(first)) return 'ip-json';
  if (/^bridge name\s+bridge id/.test(first)) return 'brctl-show';
  if (/^Kernel IP(?:v6)? routing table/.test(first) || /^Destination\s+(?:Gateway|Next Hop)\s/.test(first)) return 'route-n';
  if (/^port\s+vlan[- ]ids?\b/.test(first)) return 'bridge-vlan';

  const count = (re: RegExp): number => lines.reduce((n, l) => (re.test(l) ? n + 1 : n), 0);
  const majority = (n: number): boolean => n > 0 && n * 2 >= lines.length;
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1).toLowerCase();

  if (majority(count(SHAPES.rule))) return 'ip-rule';
  const headers = lines.filter((l) => SHAPES.linkHeader.test(l));
  if (lines.some((l) => SHAPES.oldBridgeLink.test(l))) return 'bridge-link';
  if (headers.length > 0 || lines.some((l) => SHAPES.onelineAddr.test(l))) {
    if (headers.length > 0 && headers.every((l) => !/\sqdisc\s/.test(l) && /\smaster\s/.test(l))) return 'bridge-link';
    if (lines.some((l) => SHAPES.onelineAddr.test(l) || SHAPES.inet.test(l) || /\\\s+inet6?\s/.test(l))) return 'ip-addr';
    if (/(?:^|[_\s-])(?:addr|address|a)(?:[_\s.]|$)|ip_-o_a/.test(base)) return 'ip-addr';
    return 'ip-link';
  }
  if (majority(count(SHAPES.fdb))) return 'bridge-fdb';
  if (majority(count(SHAPES.neigh))) return 'ip-neigh';
  if (majority(count(SHAPES.route) + count(/^\s+nexthop\s/))) return 'ip-route';
  if (majority(count(SHAPES.sysctl))) return 'sysctl';
  if (lines.every((l) => SHAPES.netns.test(l.trim()))) {
    if (lines.some((l) => SHAPES.netnsId.test(l)) || /netns/.test(base) || lines.some((l) => SHAPES.neutronNetns.test(l.trim()))) return 'ip-netns';
  }
  return undefined;
}
