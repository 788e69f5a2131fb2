import type { OvsFlow } from '../../ovs/parseOvsDumpFlows';
import { OvsFlowTable } from './OvsFlowTable';
import { OvsIndexKeyReader } from './OvsIndexKeyReader';

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

/** One OVS bridge ready to simulate: flows grouped by table in lookup order (compiled as lookups reach them). */
export interface OvsBridgeView {
  readonly name: string;
  readonly ports: readonly OvsPortView[];
  readonly tables: ReadonlyMap<number, OvsFlowTable>;
  /** Undefined when no `fdb/show` was collected: NORMAL then floods unknown destinations. */
  readonly fdb?: readonly OvsFdbView[];
  /** Whether a flow dump exists at all (without one, the bridge cannot be simulated). */
  readonly hasFlows: boolean;
  readonly failMode?: string;
  /** Problems found compiling the flows (unresolved port names...), in dump order. Compiles every flow when read. */
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
  const byTable = new Map<number, { flow: OvsFlow; order: number }[]>();
  const flows = input.flows ?? [];
  flows.forEach((flow, order) => {
    let list = byTable.get(flow.table);
    if (!list) byTable.set(flow.table, (list = []));
    list.push({ flow, order });
  });
  const keyReader = new OvsIndexKeyReader();
  const tables = new Map<number, OvsFlowTable>();
  for (const [table, entries] of byTable) {
    const t = new OvsFlowTable(entries, byName, keyReader);
    // The lookup index is part of getting a bridge ready (read off the flows' text, nothing
    // compiled): a snapshot's first trace or diagnosis should not wait for it.
    void t.index;
    tables.set(table, t);
  }
  let problems: string[] | undefined;
  const view: { -readonly [K in keyof OvsBridgeView]: OvsBridgeView[K] } = {
    name: input.name,
    ports: input.ports,
    tables,
    hasFlows: input.flows !== undefined,
    // Nothing in a trace needs the whole list: it is only built for a caller that asks.
    get problems(): readonly string[] {
      if (problems === undefined) {
        const compiled = new Map<OvsFlow, string | undefined>();
        for (const t of tables.values()) for (const c of t.compiledAll()) compiled.set(c.flow, c.problem);
        problems = [];
        for (const flow of flows) {
          const problem = compiled.get(flow);
          if (problem) problems.push(problem);
        }
      }
      return problems;
    },
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
