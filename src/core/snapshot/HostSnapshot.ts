import type { ConntrackTable } from '../conntrack/ConntrackModel';
import type { EbtablesRuleset } from '../ebtables/EbtablesRuleset';
import type { IpSet } from '../ipset/IpsetModel';
import type { BrctlBridge } from '../iproute/BrctlBridge';
import type { BridgePort } from '../iproute/BridgePort';
import type { FdbEntry } from '../iproute/FdbEntry';
import type { Link } from '../iproute/Link';
import type { Neighbour } from '../iproute/Neighbour';
import type { NetnsEntry } from '../iproute/NetnsEntry';
import type { PolicyRule } from '../iproute/PolicyRule';
import type { Route } from '../iproute/Route';
import type { SysctlEntry } from '../iproute/SysctlEntry';
import type { IptablesRuleset } from '../iptables/IptablesModel';
import type { NwFilter } from '../nwfilter/NwFilter';
import type { OvsDumpFlows } from '../ovs/parseOvsDumpFlows';
import type { OvsFdbShow } from '../ovs/parseOvsFdbShow';
import type { OvsInterface } from '../ovs/ovsInterfacesOf';
import type { OvsOfctlShow } from '../ovs/parseOvsOfctlShow';
import type { OvsTrace } from '../ovs/parseOvsTrace';
import type { OvsVsctlBridge, OvsVsctlShow } from '../ovs/parseOvsVsctlShow';
import type { Diagnostic } from '../text/Diagnostic';
import type { FormatId } from './FormatId';
import type { HostJson } from './parseHostJson';

/**
 * Everything known about one host at one time, whichever way it was obtained (live SSH, a
 * snapshot folder, a sosreport, one pasted dump). Every rule, flow, route and link inside keeps
 * its raw text and span, whose `file` is a path relative to the snapshot root.
 */
export interface HostSnapshot {
  readonly source: { readonly kind: 'folder' | 'sosreport' | 'file' | 'live'; readonly path: string };
  readonly hostname?: string;
  readonly collectedAt?: string;
  /** The folder's `host.json` (docs/snapshot-folder.md): what the collector ran and how each command ended. */
  readonly collection?: HostJson;
  /** The root namespace first (name ''), then the others by name. */
  readonly namespaces: readonly NamespaceSnapshot[];
  readonly ebtables?: EbtablesRuleset;
  readonly ovs?: OvsVsctlShow;
  readonly ovsBridges: readonly OvsBridgeSnapshot[];
  /** OVS's Interface table (`ovs-vsctl list Interface`): names, ofports, external_ids (iface-id = the Neutron port). */
  readonly ovsInterfaces?: readonly OvsInterface[];
  readonly nwfilters: readonly NwFilter[];
  readonly brctl: readonly BrctlBridge[];
  readonly traces: readonly { readonly file: string; readonly trace: OvsTrace }[];
  /** Every file looked at: its format, namespace, and whether its content made it into the model. */
  readonly files: readonly SnapshotFile[];
  readonly diagnostics: readonly Diagnostic[];
}

export interface NamespaceSnapshot {
  /** '' for the host's root namespace. */
  readonly name: string;
  /** `ip netns` id (`(id: 3)`), which veth peers name as `link-netnsid`. */
  readonly id?: number;
  readonly links: readonly Link[];
  /** Undefined when no route dump was collected for this namespace (not the same as "no routes"). */
  readonly routes?: readonly Route[];
  readonly rules?: readonly PolicyRule[];
  readonly neighbours: readonly Neighbour[];
  readonly iptables?: IptablesRuleset;
  readonly ip6tables?: IptablesRuleset;
  readonly ipsets?: readonly IpSet[];
  readonly conntrack?: ConntrackTable;
  readonly sysctls: readonly SysctlEntry[];
  readonly bridgePorts: readonly BridgePort[];
  readonly bridgeFdb?: readonly FdbEntry[];
  /** `ip netns` listing (root namespace only). */
  readonly netnsList?: readonly NetnsEntry[];
}

export interface OvsBridgeSnapshot {
  readonly name: string;
  readonly vsctl?: OvsVsctlBridge;
  readonly show?: OvsOfctlShow;
  readonly flows?: OvsDumpFlows;
  readonly fdb?: OvsFdbShow;
}

export interface SnapshotFile {
  readonly path: string;
  readonly format?: FormatId;
  readonly netns: string;
  readonly bridge?: string;
  /** False when a more complete form of the same state was used instead, or the command failed. */
  readonly used: boolean;
  readonly note?: string;
  readonly errors: number;
  readonly warnings: number;
}
