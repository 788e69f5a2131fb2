import type { Span } from '../text/Span';

/**
 * What happened to one packet: a verdict from a closed set plus the steps that led there. Both come
 * from the same walk, so the explanation can never disagree with the verdict.
 */
export type Verdict = 'accepted' | 'dropped' | 'rejected' | 'noRoute' | 'noFlowMatch' | 'loop' | 'indeterminate';

export type Layer = 'ebtables' | 'iptables' | 'bridge' | 'ovs' | 'routing' | 'device';

export interface TraceStep {
  readonly layer: Layer;
  /** '' for the host's root namespace. */
  readonly netns?: string;
  /** iptables/ebtables table, or the OVS table number as text. */
  readonly table?: string;
  readonly chain?: string;
  readonly bridge?: string;
  /** The rule or flow that decided this step, when one did (a chain policy has the chain line). */
  readonly raw?: string;
  readonly span?: Span;
  /** 1-based position of the rule in its chain (iptables/ebtables), as `--line-numbers` counts. */
  readonly index?: number;
  /** What the step did: `-j neutron-openvswi-sg-chain`, `DROP`, `resubmit(,24)`, `policy ACCEPT`. */
  readonly action: string;
  /** The fields that decided (`--physdev-in tap38833ad6-c6`, `arp_spa=10.1.26.144`). */
  readonly because: readonly string[];
  /** Nesting: chain jumps and resubmits indent, as ofproto/trace does. */
  readonly depth: number;
  /** Packet rewrites made at this step (`ip_dst: 10.0.0.5 -> 192.168.0.5`). */
  readonly rewrites?: readonly string[];
  readonly note?: string;
  /**
   * Rules of the same chain that were passed over before this step, each with the condition that
   * failed: "why did the RETURN for 10.1.26.144 not match?" is answered here.
   */
  readonly passedOver?: readonly PassedOver[];
}

export interface PassedOver {
  readonly raw: string;
  readonly span: Span;
  /** The condition that did not hold (`-s 10.1.26.144/32`). */
  readonly failed: string;
}

/** Where a packet that was not dropped ends up. */
export interface TraceEgress {
  readonly kind: 'delivered' | 'leftHost' | 'vm' | 'tunnel' | 'controller' | 'local';
  readonly device?: string;
  readonly netns?: string;
  readonly bridge?: string;
  readonly detail?: string;
}

export interface TraceResult {
  readonly verdict: Verdict;
  /** The step that decided the verdict (the DROP rule, the drop flow, the missing route). */
  readonly decidedBy?: TraceStep;
  readonly steps: readonly TraceStep[];
  readonly egress: readonly TraceEgress[];
  /**
   * Every branch that ended in a drop (flooded packets have several), deciding step first. `branch`:
   * a copy an OVS flow dropped while the pipeline output others (OVN's per-port egress pipeline after
   * a flood), listed after the drops that ended a whole path.
   */
  readonly drops: readonly { readonly verdict: Verdict; readonly step?: TraceStep; readonly branch?: boolean }[];
  /** Every device the packet arrived at, in order (the answer to "did it reach qr-…?"). */
  readonly reached: readonly { readonly device: string; readonly netns: string }[];
  /** What the walk had to assume (conntrack state, no FDB so flooded...). */
  readonly assumptions: readonly string[];
  /** Why the verdict is `indeterminate`, or other things the user must know. */
  readonly notes: readonly string[];
}
