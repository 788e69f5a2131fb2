import { parseCidr } from '../net/Cidr';
import type { Span } from '../text/Span';
import type { IpSetMember } from './IpsetModel';

/**
 * One member as both `ipset save` (`add NAME ENTRY ...`) and `ipset list` (`ENTRY ...`) print it:
 * `10.9.0.0/16 nomatch`, `192.168.1.1,tcp:80 timeout 0 packets 0 bytes 0 comment "web"`.
 * `rest` is the text from the entry on. The comment runs from `comment "` to the last quote of the
 * line: ipset does not escape quotes consistently (`comment "web \box\"` is real output).
 */
export function readIpsetMember(rest: string, type: string, raw: string, span: Span): IpSetMember {
  const sp = rest.search(/\s/);
  const text = sp === -1 ? rest : rest.slice(0, sp);
  const options = sp === -1 ? '' : rest.slice(sp).trim();
  const member: { -readonly [K in keyof IpSetMember]: IpSetMember[K] } = { text, raw, span };
  const dims = (type.split(':')[1] ?? '').split(',');
  if (dims[0] === 'ip' || dims[0] === 'net' || /^(ip|net)(hash|map|tree)/.test(type)) {
    const first = text.split(',')[0]!;
    const cidr = first.includes('-') ? undefined : parseCidr(first);
    if (cidr) member.cidr = cidr;
  }
  if (options !== '') {
    member.options = options;
    if (/(^|\s)nomatch(\s|$)/.test(options)) member.nomatch = true;
    const c = options.indexOf('comment "');
    if (c !== -1) {
      const close = options.lastIndexOf('"');
      member.comment = options.slice(c + 9, close > c + 8 ? close : undefined);
    }
  }
  return member;
}

/** `family inet hashsize 1024 maxelem 65536 counters` -> options, with flags as `''`. */
export function readIpsetCreateOptions(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const words = text.split(/\s+/).filter((w) => w !== '');
  const flags = new Set(['counters', 'comment', 'skbinfo', 'forceadd', 'nomatch', 'bucketsize-auto']);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!.replace(/^--/, '');
    if (flags.has(w) || i + 1 >= words.length) out[w] = '';
    else out[w] = words[++i]!;
  }
  return out;
}

export function familyOfSet(type: string, options: Readonly<Record<string, string>>, members: readonly IpSetMember[]): 4 | 6 | undefined {
  if (options['family'] === 'inet') return 4;
  if (options['family'] === 'inet6') return 6;
  if (type.startsWith('bitmap:ip')) return 4;
  return members.find((m) => m.cidr)?.cidr?.family;
}
