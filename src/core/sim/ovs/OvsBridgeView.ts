import type { OvsFlow } from '../../ovs/parseOvsDumpFlows';
import { compileOvsFlow, type CompiledOvsFlow } from './compileOvsFlow';

/** An OVS port as the simulator needs it: ofport <-> name, and what lies behind it. */
export interface OvsPortView {
  readonly name: string;
  /** OpenFlow port number; 65534 for the bridge's LOCAL port. Undefined when no `ovs-ofctl show` told us. */
  readonly ofport?: number;
  /** `ovs-vsctl show` interface type: '' (system), internal, patch, vxlan, gre, geneve, ... */
  readonly type: string;
  /** Patch peer port name. */
  readonly peer?: string;
  /** Access VLAN (`tag: 4`); undefined means a trunk. */
  readonly tag?: number;
  readonly trunks?: readonly number[];
  readonly options?: Readonly<Record<string, string>>;
  readonly noFlood?: boolean;
}

export interface OvsFdbView {
  readonly ofport: number;
  readonly vlan: number;
  readonly mac: bigint;
}

/** One OVS bridge ready to simulate: flows compiled and grouped by table in lookup order. */
export interface OvsBridgeView {
  readonly name: string;
  readonly ports: readonly OvsPortView[];
  readonly tables: ReadonlyMap<number, readonly CompiledOvsFlow[]>;
  /** Undefined when no `fdb/show` was collected: NORMAL then floods unknown destinations. */
  readonly fdb?: readonly OvsFdbView[];
  /** Whether a flow dump exists at all (without one, the bridge cannot be simulated). */
  readonly hasFlows: boolean;
  readonly failMode?: string;
  /** Problems found while compiling (unresolved port names...). */
  readonly problems: readonly string[];
}

export interface OvsBridgeInput {
  readonly name: string;
  readonly flows?: readonly OvsFlow[];
  readonly ports: readonly OvsPortView[];
  readonly fdb?: readonly OvsFdbView[];
  readonly failMode?: string;
}

export function buildOvsBridgeView(input: OvsBridgeInput): OvsBridgeView {
  const byName = new Map<string, number>();
  for (const p of input.ports) if (p.ofport !== undefined) byName.set(p.name, p.ofport);
  const tables = new Map<number, CompiledOvsFlow[]>();
  const problems: string[] = [];
  (input.flows ?? []).forEach((flow, order) => {
    const compiled = compileOvsFlow(flow, byName, order);
    if (compiled.problem) problems.push(compiled.problem);
    let list = tables.get(flow.table);
    if (!list) tables.set(flow.table, (list = []));
    list.push(compiled);
  });
  // Highest priority first; dump order breaks ties, as a stable reading of the dump.
  for (const list of tables.values()) list.sort((a, b) => b.flow.priority - a.flow.priority || a.order - b.order);
  const view: { -readonly [K in keyof OvsBridgeView]: OvsBridgeView[K] } = {
    name: input.name,
    ports: input.ports,
    tables,
    hasFlows: input.flows !== undefined,
    problems,
  };
  if (input.fdb) view.fdb = input.fdb;
  if (input.failMode) view.failMode = input.failMode;
  return view;
}

interface PortIndex {
  readonly byOfport: ReadonlyMap<number, OvsPortView>;
  readonly byName: ReadonlyMap<string, OvsPortView>;
}

/** Port lookups by a bridge's port list, built once per list (a trace resolves ports at every output). */
const PORT_INDEX = new WeakMap<readonly OvsPortView[], PortIndex>();

function portIndex(ports: readonly OvsPortView[]): PortIndex {
  let idx = PORT_INDEX.get(ports);
  if (!idx) {
    const byOfport = new Map<number, OvsPortView>();
    const byName = new Map<string, OvsPortView>();
    // The first port wins on duplicates, as a scan of the list would find it.
    for (const p of ports) {
      if (p.ofport !== undefined && !byOfport.has(p.ofport)) byOfport.set(p.ofport, p);
      if (!byName.has(p.name)) byName.set(p.name, p);
    }
    idx = { byOfport, byName };
    PORT_INDEX.set(ports, idx);
  }
  return idx;
}

export function portByOfport(bridge: OvsBridgeView, ofport: number): OvsPortView | undefined {
  return portIndex(bridge.ports).byOfport.get(ofport);
}

export function portByName(bridge: OvsBridgeView, name: string): OvsPortView | undefined {
  return portIndex(bridge.ports).byName.get(name);
}
