import type { OvsAction } from '../ovs/OvsAction';
import type { OvsDumpFlows, OvsFlow } from '../ovs/parseOvsDumpFlows';
import type { OvsTraceStep } from '../ovs/parseOvsTrace';
import { bridgeRoleOf, type BridgeRole } from '../openstack/neutronOvsTables';

/**
 * dump-flows and trace output seen by table, for the editor features: flows grouped by table in
 * order of first appearance, every action that sends a packet to another table (resubmit,
 * goto_table, ct(table=), learn(table=)), nested actions included, and the bridge's role.
 */
export interface OvsTableGroup {
  readonly table: number;
  readonly flows: readonly OvsFlow[];
}

export interface OvsFlowsView {
  readonly tables: readonly OvsTableGroup[];
  readonly byTable: ReadonlyMap<number, OvsTableGroup>;
  readonly role: BridgeRole | undefined;
}

const cache = new WeakMap<OvsDumpFlows, OvsFlowsView>();

export function ovsFlowsView(dump: OvsDumpFlows, bridge: string | undefined): OvsFlowsView {
  const hit = cache.get(dump);
  if (hit) return hit;
  const byTable = new Map<number, { table: number; flows: OvsFlow[] }>();
  for (const f of dump.flows) {
    const g = byTable.get(f.table);
    if (g) g.flows.push(f);
    else byTable.set(f.table, { table: f.table, flows: [f] });
  }
  // OVN's br-int: logical ports in reg14/reg15 and the datapath in metadata.
  const ovn = dump.flows.some((f) => /\breg1[45]=/.test(f.raw) && /\bmetadata=/.test(f.raw));
  const view: OvsFlowsView = { tables: [...byTable.values()], byTable, role: bridgeRoleOf(bridge, [...byTable.keys()], ovn) };
  cache.set(dump, view);
  return view;
}

/** The table an action sends the packet to, if it does. */
export function actionTargetTable(a: OvsAction): number | undefined {
  if (a.kind === 'resubmit' || a.kind === 'goto_table' || a.kind === 'ct' || a.kind === 'learn') return a.table;
  return undefined;
}

/** Every action, nested ones (ct exec, clone, write_actions) included, in order. */
export function* allActions(actions: readonly OvsAction[]): Generator<OvsAction> {
  for (const a of actions) {
    yield a;
    if (a.kind === 'ct') yield* allActions(a.exec);
    else if (a.kind === 'clone' || a.kind === 'write_actions') yield* allActions(a.actions);
  }
}

/** The trace steps by printed order, with the line each starts on (0-based). */
export function stepAtLine(steps: readonly OvsTraceStep[], line: number): number {
  let found = -1;
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    if (s.span.line - 1 <= line) found = i;
    else break;
  }
  return found;
}
