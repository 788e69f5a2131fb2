import type { IpAddress } from '../../net/IpAddress';
import type { CtAssumption } from '../ovs/runOvsPipeline';

/** What an iptables rule can see besides the packet headers, at one hook. */
export interface IptablesEvalContext {
  readonly family: 4 | 6;
  readonly inInterface?: string;
  readonly outInterface?: string;
  /** br_netfilter: the bridge ports the frame entered and leaves by. */
  readonly physdevIn?: string;
  readonly physdevOut?: string;
  readonly bridged: boolean;
  readonly ct: CtAssumption;
  /** ipset membership; undefined when no `ipset save` was collected (the rule is then indeterminate). */
  readonly ipsetContains?: (set: string, dims: readonly ('src' | 'dst')[], packet: { src: IpAddress; dst: IpAddress; sport: number; dport: number; proto: number }) => boolean | undefined;
  /**
   * The connection's NAT mapping for this hook's manip type (source: INPUT/POSTROUTING,
   * destination: PREROUTING/OUTPUT) was already set up by an earlier copy of the same packet
   * (a flooded frame forwarded to one port, then another): the kernel then skips the nat table.
   */
  readonly natBound?: boolean;
  /** Whether an address is local to the namespace (`addrtype --dst-type LOCAL`); undefined = unknown. */
  readonly isLocal?: (ip: IpAddress) => boolean | undefined;
}
