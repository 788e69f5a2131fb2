import type { OvsFlow } from '../../ovs/parseOvsDumpFlows';
import { compileOvsFlow, type CompiledOvsFlow } from './compileOvsFlow';
import type { OvsIndexKeyReader } from './OvsIndexKeyReader';
import { buildOvsTableIndex, type OvsTableIndex } from './OvsTableIndex';

/**
 * One OpenFlow table of a bridge view: its flows in lookup order (highest priority first, dump
 * order on ties), compiled one by one when a lookup first looks at them. A trace looks at a few
 * hundred of a 20,000-flow br-int, and compiling a flow means building its parsed match (the
 * dump-flows reader builds matches lazily): compiling them all up front cost more than all the
 * traces of a diagnosis. A flow compiles to the same object whenever asked, so a lookup that
 * compiles on demand selects exactly what a scan of the eagerly compiled table would.
 *
 * The lookup index is built from index keys read off the flows' text (OvsIndexKeyReader), not
 * from compiled checks, when first asked for (buildOvsBridgeView asks at once). So are the
 * conjunction targets: compiled per conj_id when a conjunction first completes.
 */
export class OvsFlowTable {
  /** The table's flows in lookup order; positions in this table refer to this list. */
  readonly flows: readonly OvsFlow[];
  /** Dump position of each flow (the `order` of its compiled form). */
  readonly #orders: readonly number[];
  readonly #compiled: (CompiledOvsFlow | undefined)[];
  readonly #ofportByName: ReadonlyMap<string, number>;
  readonly #keyReader: OvsIndexKeyReader;
  #index: OvsTableIndex | undefined;
  /**
   * Flows whose match may hold `conj_id` (from their index keys): positions by the conj_id their
   * text writes, and those whose text does not say plainly (compiled for every id asked about).
   */
  #conjByText: Map<bigint, number[]> | undefined;
  #conjUnread: number[] | undefined;
  readonly #conjTargets = new Map<bigint, readonly CompiledOvsFlow[]>();

  /** `entries` in dump order; they are sorted into lookup order here. */
  constructor(entries: readonly { readonly flow: OvsFlow; readonly order: number }[], ofportByName: ReadonlyMap<string, number>, keyReader: OvsIndexKeyReader) {
    const sorted = [...entries].sort((a, b) => b.flow.priority - a.flow.priority || a.order - b.order);
    this.flows = sorted.map((e) => e.flow);
    this.#orders = sorted.map((e) => e.order);
    this.#compiled = new Array<CompiledOvsFlow | undefined>(sorted.length);
    this.#ofportByName = ofportByName;
    this.#keyReader = keyReader;
  }

  get length(): number {
    return this.flows.length;
  }

  /** The compiled flow at `pos` (lookup order), compiled on first use. */
  compiled(pos: number): CompiledOvsFlow {
    let c = this.#compiled[pos];
    if (c === undefined) {
      c = compileOvsFlow(this.flows[pos]!, this.#ofportByName, this.#orders[pos]!);
      this.#compiled[pos] = c;
    }
    return c;
  }

  /** Every flow compiled, in lookup order (what a plain scan of the table looks at). */
  compiledAll(): CompiledOvsFlow[] {
    return this.flows.map((_, pos) => this.compiled(pos));
  }

  get index(): OvsTableIndex {
    if (this.#index === undefined) {
      const byText = new Map<bigint, number[]>();
      const unread: number[] = [];
      const keys = this.flows.map((flow, pos) => {
        const k = this.#keyReader.keysOf(flow);
        if (k.conjId !== undefined) {
          let list = byText.get(k.conjId);
          if (!list) byText.set(k.conjId, (list = []));
          list.push(pos);
        } else if (k.mayBeConjTarget) unread.push(pos);
        return k.keys;
      });
      this.#index = buildOvsTableIndex(keys);
      this.#conjByText = byText;
      this.#conjUnread = unread;
    }
    return this.#index;
  }

  /** The `conj_id=id` flows of the table in lookup order: looked at once conjunction `id` is complete. */
  conjTargets(id: bigint): readonly CompiledOvsFlow[] {
    let targets = this.#conjTargets.get(id);
    if (targets === undefined) {
      if (this.#conjByText === undefined) void this.index;
      // Only flows whose text may name conj_id can have one; their compiled form says which.
      const positions = [...(this.#conjByText?.get(id) ?? []), ...(this.#conjUnread ?? [])].sort((a, b) => a - b);
      targets = positions.map((pos) => this.compiled(pos)).filter((f) => f.conjId === id);
      this.#conjTargets.set(id, targets);
    }
    return targets;
  }
}
