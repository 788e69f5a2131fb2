import type { Span } from '../text/Span';

/**
 * A libvirt network filter (`virsh nwfilter-dumpxml NAME`, `/etc/libvirt/nwfilter/NAME.xml`):
 *
 *     <filter name='no-ip-spoofing' chain='ipv4-ip' priority='-710'>
 *       <rule action='return' direction='out' priority='500'><ip srcipaddr='$IP'/></rule>
 *
 * `entries` keeps rules and filter references interleaved in document order (the order libvirt
 * instantiates them); `rules` and `filterrefs` are the same objects split by kind.
 * `raw`/`span` cover the whole `<filter>…</filter>` element.
 */
export interface NwFilter {
  readonly name: string;
  /** As written (`root`, `mac`, `ipv4-ip`, `arp-mac`, ...); absent means libvirt's default, `root`. */
  readonly chain?: string;
  readonly priority?: number;
  readonly uuid?: string;
  readonly entries: readonly NwFilterEntry[];
  readonly rules: readonly NwFilterRule[];
  readonly filterrefs: readonly NwFilterRef[];
  readonly raw: string;
  readonly span: Span;
}

export type NwFilterEntry = NwFilterRule | NwFilterRef;

export const NWFILTER_ACTIONS = ['drop', 'accept', 'return', 'continue', 'reject'] as const;
export type NwFilterAction = (typeof NWFILTER_ACTIONS)[number];

/** `out` is traffic from the VM (libvirt's `I-` chains), `in` traffic to it (`O-` chains). */
export const NWFILTER_DIRECTIONS = ['in', 'out', 'inout'] as const;
export type NwFilterDirection = (typeof NWFILTER_DIRECTIONS)[number];

/**
 * `<rule action='return' direction='out' priority='500'><mac srcmacaddr='$MAC'/></rule>`.
 * `protocol` is the child element's name (`mac`, `arp`, `rarp`, `ip`, `ipv6`, `tcp`, `all`,
 * `tcp-ipv6`...), absent for a rule with no child (it matches every frame its chain sees).
 * `attributes` are that element's attributes as written, variables kept as text (`$MAC`,
 * `$IP[@1]`); `negated` is its `match='no'`. An unknown action or direction is kept as
 * `unknown` with the text in `ruleAttributes`.
 */
export interface NwFilterRule {
  readonly kind: 'rule';
  readonly action: NwFilterAction | 'unknown';
  readonly direction: NwFilterDirection | 'unknown';
  /** -1000..1000; absent means libvirt's default, 500. */
  readonly priority?: number;
  readonly statematch?: boolean;
  readonly protocol?: string;
  readonly negated: boolean;
  readonly attributes: Readonly<Record<string, string>>;
  /** The `<rule>` element's own attributes as written. */
  readonly ruleAttributes: Readonly<Record<string, string>>;
  readonly raw: string;
  readonly span: Span;
}

/** `<filterref filter='clean-traffic'><parameter name='IP' value='10.0.0.1'/></filterref>`. */
export interface NwFilterRef {
  readonly kind: 'filterref';
  readonly filter: string;
  /** In order; a name may repeat to give a list (`IP` twice = two addresses). */
  readonly parameters: readonly NwFilterParameter[];
  readonly raw: string;
  readonly span: Span;
}

export interface NwFilterParameter {
  readonly name: string;
  readonly value: string;
}
