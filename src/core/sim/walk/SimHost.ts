import type { Cidr } from '../../net/Cidr';
import type { IpAddress } from '../../net/IpAddress';
import type { EbtablesRuleset } from '../../ebtables/EbtablesRuleset';
import type { IpSet } from '../../ipset/IpsetModel';
import type { IptablesRuleset } from '../../iptables/IptablesModel';
import type { PolicyRule } from '../../iproute/PolicyRule';
import type { Route } from '../../iproute/Route';
import type { Span } from '../../text/Span';
import type { OvsBridgeView } from '../ovs/OvsBridgeView';

/**
 * The host as the packet walk needs it: devices joined into a graph (veth peers across
 * namespaces, Linux bridge ports, OVS ports), and per namespace its routing and netfilter state.
 * Built from a HostSnapshot by `buildSimHost`; kept separate so the walk never re-parses dumps.
 */
export interface SimDevice {
  readonly name: string;
  readonly netns: string;
  /** `veth`, `bridge`, `tun`, `openvswitch`, `vxlan`, `dummy`... or undefined (a physical NIC or unknown). */
  readonly kind?: string;
  /** The Linux bridge this device is a port of. */
  readonly linuxBridge?: string;
  /** The OVS bridge this device is a port of (system or internal port). */
  readonly ovsBridge?: string;
  readonly peer?: { readonly name: string; readonly netns: string };
  readonly mac?: bigint;
  readonly addresses: readonly Cidr[];
  readonly up: boolean;
  readonly raw?: string;
  readonly span?: Span;
}

export interface SimLinuxBridge {
  readonly name: string;
  readonly netns: string;
  readonly ports: readonly string[];
  /** Learned and static entries (`bridge fdb show`); undefined when not collected (then flood). */
  readonly fdb?: readonly { readonly mac: bigint; readonly port: string }[];
  /** STP on (`stp_state` of `ip -d link`, or `brctl show`); undefined when neither says. */
  readonly stp?: boolean;
}

export interface SimNamespace {
  readonly name: string;
  readonly devices: ReadonlyMap<string, SimDevice>;
  readonly bridges: ReadonlyMap<string, SimLinuxBridge>;
  /** Undefined when no routes were collected for this namespace. */
  readonly routes?: readonly Route[];
  readonly rules?: readonly PolicyRule[];
  readonly iptables?: IptablesRuleset;
  readonly ip6tables?: IptablesRuleset;
  /** Undefined when no `ipset save` was collected: set matches are then indeterminate. */
  readonly ipsets?: ReadonlyMap<string, IpSet>;
  readonly sysctls: ReadonlyMap<string, string>;
  /** `ip neigh`: `dev ip` -> MAC, for resolved entries only (not INCOMPLETE/FAILED). */
  readonly neighbours?: ReadonlyMap<string, bigint>;
}

/** The key of `SimNamespace.neighbours`. */
export function neighbourKey(dev: string, ip: IpAddress): string {
  return `${dev} ${ip.family}:${ip.value.toString(16)}`;
}

export interface SimHost {
  readonly namespaces: ReadonlyMap<string, SimNamespace>;
  /** ebtables is per network namespace too, but collectors read it in the root one. */
  readonly ebtables?: EbtablesRuleset;
  /** `table/chain` -> why its policy differs from the dump (see withNeutronEbtablesPolicies): an assumption of every trace that ends on it. */
  readonly ebtablesPolicyNotes?: ReadonlyMap<string, string>;
  readonly ovs: ReadonlyMap<string, OvsBridgeView>;
  /** What is missing from the snapshot that the walk may need (said once per trace when used). */
  readonly gaps: readonly string[];
}

export function findDevice(host: SimHost, name: string, netns?: string): SimDevice | undefined {
  if (netns !== undefined) return host.namespaces.get(netns)?.devices.get(name);
  const root = host.namespaces.get('')?.devices.get(name);
  if (root) return root;
  for (const ns of host.namespaces.values()) {
    const d = ns.devices.get(name);
    if (d) return d;
  }
  return undefined;
}
