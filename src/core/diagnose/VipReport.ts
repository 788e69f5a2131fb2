import type { TraceResult, TraceStep } from '../sim/TraceResult';

/** The packets that matter for a VIP, each traced from a port that may hold it. */
export type VipPacketKind = 'garp' | 'arpReply' | 'vrrp' | 'vipEgress' | 'vipReply' | 'toVip' | 'lvsForward' | 'toFip';

export interface PortSummary {
  readonly id: string;
  readonly host: string;
  readonly vmDevice: string;
  readonly mac?: string;
  readonly fixedIp?: string;
  /** Allowed sources other than the fixed IP, as the firewall lists them (allowed address pairs). */
  readonly allowedPairs: readonly string[];
  readonly firewall: string;
  /** Whether the port's own firewall lets it send from the VIP. */
  readonly vipAllowed: boolean;
}

export interface DecidingRule {
  readonly layer: string;
  readonly netns?: string;
  readonly table?: string;
  readonly chain?: string;
  readonly bridge?: string;
  readonly raw?: string;
  readonly file?: string;
  readonly line?: number;
  /** Absolute path when the snapshot is on disk, so editors can open it. */
  readonly path?: string;
}

export interface Finding {
  readonly kind: VipPacketKind;
  /** "GARP for 10.1.26.252 from port 38833ad6-c6". */
  readonly title: string;
  readonly port: string;
  readonly host: string;
  readonly packet: string;
  readonly ingress: string;
  /** `ok` when the packet got where it should; `blocked` when a rule or flow dropped it. */
  readonly outcome: 'ok' | 'blocked' | 'unknown';
  readonly verdict: TraceResult['verdict'];
  /** Plain-words summary: "dropped by br-int table 24 (ARP spoofing protection)". */
  readonly summary: string;
  readonly decidedBy?: DecidingRule;
  readonly cause?: { readonly id: string; readonly title: string; readonly explanation: string };
  readonly fix?: readonly string[];
  readonly caveats?: readonly string[];
  /** Only relevant if the VM plays this role (e.g. an LVS-DR director). */
  readonly conditional?: string;
  readonly assumptions: readonly string[];
  readonly steps: readonly TraceStep[];
}

export interface VipReport {
  readonly vip: string;
  readonly hosts: readonly string[];
  readonly ports: readonly PortSummary[];
  readonly findings: readonly Finding[];
  /** Host-wide problems found on the way (e.g. an ACCEPT-all hack in neutron-openvswi-local). */
  readonly warnings: readonly string[];
  /** What the snapshot did not contain and so could not be checked. */
  readonly unknowns: readonly string[];
  /** One line per blocked packet kind, worst first: the answer in a sentence. */
  readonly headline: string;
}
