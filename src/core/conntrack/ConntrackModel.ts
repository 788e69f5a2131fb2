import type { IpAddress } from '../net/IpAddress';
import type { Span } from '../text/Span';

/**
 * Connection-tracking entries as `conntrack -L [-o extended]` prints them, for display next to
 * the rules (a VIP flow stuck `[UNREPLIED]`, the zone Neutron's CT rules put a port in), and the
 * per-CPU statistics of `conntrack -S`.
 */
export interface ConntrackTuple {
  /** Address text as printed; `src`/`dst` hold the parsed value when it parses. */
  readonly srcText: string;
  readonly dstText: string;
  readonly src?: IpAddress;
  readonly dst?: IpAddress;
  readonly sport?: number;
  readonly dport?: number;
  /** ICMP: `type=8 code=0 id=1234`. */
  readonly icmpType?: number;
  readonly icmpCode?: number;
  readonly icmpId?: number;
  /** With accounting on (`packets=10 bytes=840` after the tuple). */
  readonly packets?: bigint;
  readonly bytes?: bigint;
}

export interface ConntrackEntry {
  /** `ipv4` / `ipv6` with `-o extended`; absent in the short form. */
  readonly l3?: string;
  /** `tcp`, `udp`, `icmp`, `unknown` (then `protocolNumber` says which: 112 is VRRP). */
  readonly protocol: string;
  readonly protocolNumber: number;
  /** Seconds left. */
  readonly timeout?: number;
  /** TCP/SCTP/DCCP state: `ESTABLISHED`, `TIME_WAIT`, `SYN_RECV`... */
  readonly state?: string;
  readonly original: ConntrackTuple;
  readonly reply?: ConntrackTuple;
  /** `UNREPLIED`, `ASSURED`, `OFFLOAD`... (without brackets). */
  readonly flags: readonly string[];
  readonly mark?: number;
  readonly zone?: number;
  readonly use?: number;
  /** Other `key=value` fields (`secctx`, `id`, `labels`, `helper`...). */
  readonly extra?: Readonly<Record<string, string>>;
  readonly raw: string;
  readonly span: Span;
}

export interface ConntrackTable {
  readonly entries: readonly ConntrackEntry[];
  /** From `conntrack v1.4.5 (conntrack-tools): 1438 flow entries have been shown.` */
  readonly shownCount?: number;
  readonly toolVersion?: string;
}

export interface ConntrackCpuStats {
  readonly cpu: number;
  /** `found`, `invalid`, `insert`, `insert_failed`, `drop`, `early_drop`, `error`, `search_restart`... */
  readonly counters: Readonly<Record<string, bigint>>;
  readonly raw: string;
  readonly span: Span;
}

export interface ConntrackStats {
  readonly cpus: readonly ConntrackCpuStats[];
}
