import type { Cidr } from '../net/Cidr';
import type { IpFamily } from '../net/IpAddress';
import type { Span } from '../text/Span';

export const RULE_ACTIONS = ['lookup', 'goto', 'unreachable', 'blackhole', 'prohibit', 'nat'] as const;
export type RuleAction = (typeof RULE_ACTIONS)[number];

/**
 * A policy routing rule (`ip rule`, `ip -6 rule`, `ip -j rule`):
 * `57481:	from 10.0.0.1 lookup 16`, `1003:	not from all fwmark 0x2 lookup 200`.
 */
export interface PolicyRule {
  readonly priority: number;
  readonly family: IpFamily;
  readonly not: boolean;
  readonly from?: Cidr | 'all';
  readonly to?: Cidr;
  readonly tos?: string;
  readonly iif?: string;
  /** `iif d0 [detached]`: the device does not exist (yet), so the rule never matches. */
  readonly iifDetached?: boolean;
  readonly oif?: string;
  readonly oifDetached?: boolean;
  /** `fwmark 0x1/0x1`; the mask is 0xffffffff when not printed. */
  readonly fwmark?: { readonly value: number; readonly mask: number };
  readonly uidrange?: { readonly start: number; readonly end: number };
  readonly ipproto?: string;
  readonly sport?: string;
  readonly dport?: string;
  readonly l3mdev?: boolean;
  /** The table name or number for `lookup`. */
  readonly table?: string;
  readonly action: RuleAction;
  /** The target priority of `goto`. */
  readonly gotoTarget?: number;
  readonly suppressPrefixLength?: number;
  readonly suppressIfgroup?: string;
  readonly protocol?: string;
  readonly raw: string;
  readonly span: Span;
}
