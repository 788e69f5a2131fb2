/** What generateInputs.ts decided, read back by run.mjs and traceBench.ts (plan.json). */
export interface TracedPort {
  /** OpenFlow port number the generated br-int flows give this VM port. */
  readonly ofport: number;
  readonly mac: string;
  readonly ip: string;
  /** Local VLAN (reg6) of the port's network. */
  readonly vlan: number;
  /** Hybrid-firewall device names: VM tap, per-port Linux bridge, veth pair into br-int. */
  readonly tap: string;
  readonly qbr: string;
  readonly qvb: string;
  readonly qvo: string;
}

export interface BenchPlan {
  readonly flowCount: number;
  readonly ovsPorts: number;
  readonly hybridPorts: number;
  readonly ruleLines: number;
  /** The sender first, then the receiver (same network). */
  readonly traced: readonly TracedPort[];
  /** The packet in ofproto/trace flow syntax (without in_port). */
  readonly packet: string;
}
