import type { Cidr } from '../net/Cidr';
import type { Span } from '../text/Span';

/**
 * IP sets as `ipset save` and `ipset list` show them. Neutron's iptables firewall keeps remote
 * security-group members in sets named `NIPv4<sg-id>` (`-m set --match-set NIPv4... src`), so a
 * rule's verdict can depend on a member listed here.
 */
export interface IpSetMember {
  /** The entry as written: `10.1.26.0/24`, `192.168.1.1,tcp:80`, `22` (bitmap:port), a set name (list:set). */
  readonly text: string;
  /** The address part, when the set type's first dimension is `ip` or `net` and it parses. */
  readonly cidr?: Cidr;
  /** `nomatch`: an exception inside a larger net of the same set. */
  readonly nomatch?: boolean;
  readonly comment?: string;
  /** Everything after the entry (`timeout 0 packets 0 bytes 0 comment "x"`), as written. */
  readonly options?: string;
  readonly raw: string;
  readonly span: Span;
}

export interface IpSet {
  readonly name: string;
  /** `hash:net`, `hash:ip,port`, `bitmap:port`, `list:set`... (old ipset 4 names such as `iphash` kept as written). */
  readonly type: string;
  /** From `family inet|inet6`; bitmap:ip is IPv4; otherwise from the members. */
  readonly family?: 4 | 6;
  /** Create options as written (`family inet hashsize 1024 maxelem 65536`). */
  readonly header: string;
  /** `hashsize` -> `1024`; flags without a value (`counters`, `comment`) -> `''`. */
  readonly options: Readonly<Record<string, string>>;
  /** `ipset list` header lines other than Name/Type/Header/Members (`Revision`, `References`, `Size in memory`...). */
  readonly fields?: Readonly<Record<string, string>>;
  readonly members: readonly IpSetMember[];
  /** `ipset save`: the `create` line. `ipset list`: the whole block from `Name:` to its last member. */
  readonly raw: string;
  readonly span: Span;
}

export interface IpsetDump {
  readonly format: 'ipset-save' | 'ipset-list';
  readonly sets: readonly IpSet[];
}
