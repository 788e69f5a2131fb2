import type { Span } from '../text/Span';
import type { NwFilter, NwFilterRef, NwFilterRule } from './NwFilter';
import { defaultChainPriority, NWFILTER_DEFAULT_RULE_PRIORITY } from './nwfilterChainPriority';

/**
 * One rule as libvirt instantiates it for an interface: the rule, where it came from (the chain
 * of filterrefs followed from the root filter, e.g. nova-instance-… -> nova-base ->
 * no-ip-spoofing) and its attributes with variables replaced (`$IP` -> `10.16.0.111`).
 */
export interface ExpandedNwFilterRule {
  readonly rule: NwFilterRule;
  /** The filter that holds the rule. */
  readonly filter: NwFilter;
  /** Filter names from the root down to `filter`. */
  readonly path: readonly string[];
  /** The filterrefs followed, outermost first (each has a span to jump to). */
  readonly via: readonly NwFilterRef[];
  /** The holder's chain (`root` when not written). */
  readonly chain: string;
  /** The holder's `priority`, or its chain's default (mac -800, ipv4 -700, arp -500...). */
  readonly chainPriority: number;
  /** The rule's `priority`, or 500. */
  readonly priority: number;
  readonly attributes: Readonly<Record<string, string>>;
  /** The value each variable took in this instance, e.g. `{IP: '10.16.0.111'}`. */
  readonly variables: Readonly<Record<string, string>>;
  /** Variables with no value: their attributes keep the `$NAME` text. */
  readonly unresolved: readonly string[];
}

export type NwFilterExpansionProblemKind = 'missingFilter' | 'loop' | 'unresolvedVariable' | 'cardinality' | 'duplicateName' | 'tooManyInstances';

export interface NwFilterExpansionProblem {
  readonly kind: NwFilterExpansionProblemKind;
  readonly message: string;
  readonly span?: Span;
}

export interface NwFilterExpansion {
  readonly rules: readonly ExpandedNwFilterRule[];
  readonly problems: readonly NwFilterExpansionProblem[];
}

/** Variable values: a name may hold a list (several `<parameter name='IP'>`). */
export type NwFilterParams = Readonly<Record<string, string | readonly string[]>>;

type Vars = ReadonlyMap<string, readonly string[]>;

const VAR_REF = /^\$([A-Za-z0-9_]+)(?:\[\s*(@?)(\d{1,4})\s*\])?$/;
const MAX_INSTANCES_PER_RULE = 4096;

/**
 * Follows filterrefs from `rootName` depth-first, in document order, and returns every rule
 * with its origin and its variables substituted. Variables follow libvirt
 * (`nwfilter_gentech_driver.c`): values passed down from the outer filter override a filterref's
 * own `<parameter>`s; `$IP` is `$IP[@0]`; variables sharing an iterator (`[@1]`) advance
 * together, different iterators give every combination; `$IP[2]` picks one element.
 * Pure: missing filters, loops and unknown variables are reported in `problems`, never thrown.
 */
export function expandNwfilter(filters: readonly NwFilter[], rootName: string, params: NwFilterParams): NwFilterExpansion {
  const problems: NwFilterExpansionProblem[] = [];
  const rules: ExpandedNwFilterRule[] = [];
  const byName = new Map<string, NwFilter>();
  for (const f of filters) {
    if (byName.has(f.name)) {
      problems.push({ kind: 'duplicateName', message: `filter ${f.name} is defined more than once; the first definition is used`, span: f.span });
    } else {
      byName.set(f.name, f);
    }
  }
  const root = byName.get(rootName);
  if (!root) {
    problems.push({ kind: 'missingFilter', message: `filter ${rootName} is not among the ${byName.size} filters read` });
    return { rules, problems };
  }
  const vars0 = new Map<string, readonly string[]>();
  for (const [k, v] of Object.entries(params)) vars0.set(k, typeof v === 'string' ? [v] : v);

  const unresolvedSaid = new Set<string>();
  const walk = (filter: NwFilter, vars: Vars, path: readonly string[], via: readonly NwFilterRef[]): void => {
    for (const entry of filter.entries) {
      if (entry.kind === 'rule') {
        instantiate(entry, filter, vars, path, via);
        continue;
      }
      const child = byName.get(entry.filter);
      if (!child) {
        problems.push({ kind: 'missingFilter', message: `filter ${filter.name} references ${entry.filter}, which is not among the filters read; its rules are missing from this expansion`, span: entry.span });
        continue;
      }
      if (path.includes(child.name)) {
        problems.push({ kind: 'loop', message: `filter ${filter.name} references ${child.name}, which is already on the path ${path.join(' -> ')}; not followed (libvirt refuses such loops)`, span: entry.span });
        continue;
      }
      const childVars = new Map<string, readonly string[]>();
      for (const p of entry.parameters) childVars.set(p.name, [...(childVars.get(p.name) ?? []), p.value]);
      for (const [k, v] of vars) childVars.set(k, v);
      walk(child, childVars, [...path, child.name], [...via, entry]);
    }
  };

  const instantiate = (rule: NwFilterRule, filter: NwFilter, vars: Vars, path: readonly string[], via: readonly NwFilterRef[]): void => {
    const chain = filter.chain ?? 'root';
    const base = {
      rule,
      filter,
      path,
      via,
      chain,
      chainPriority: filter.priority ?? defaultChainPriority(chain),
      priority: rule.priority ?? NWFILTER_DEFAULT_RULE_PRIORITY,
    };
    // Group variable accesses by iterator id; element accesses ($X[2]) are fixed.
    const iterators = new Map<number, string[]>();
    const unresolved = new Set<string>();
    for (const value of Object.values(rule.attributes)) {
      const m = VAR_REF.exec(value);
      if (!m || m[1] === undefined) continue;
      const name = m[1];
      const values = vars.get(name);
      if (!values || values.length === 0) {
        unresolved.add(name);
        continue;
      }
      if (m[3] !== undefined && m[2] === '') {
        if (Number(m[3]) >= values.length) unresolved.add(name);
        continue;
      }
      const id = m[3] === undefined ? 0 : Number(m[3]);
      const names = iterators.get(id) ?? [];
      if (!names.includes(name)) names.push(name);
      iterators.set(id, names);
    }
    for (const name of unresolved) {
      if (unresolvedSaid.has(`${path.join('/')}#${name}`)) continue;
      unresolvedSaid.add(`${path.join('/')}#${name}`);
      problems.push({
        kind: 'unresolvedVariable',
        message: `variable ${name} has no value in ${path.join(' -> ')}${name === 'IP' ? ' (libvirt learns IP at run time when it is not given)' : ''}; rules keep \`$${name}\``,
        span: rule.span,
      });
    }
    const groups = [...iterators.entries()].sort((a, b) => a[0] - b[0]).map(([, names]) => {
      const lengths = names.map((n) => vars.get(n)?.length ?? 0);
      const size = Math.min(...lengths);
      if (new Set(lengths).size > 1) {
        problems.push({
          kind: 'cardinality',
          message: `variables ${names.join(', ')} share an iterator but hold ${lengths.join(' and ')} values (libvirt refuses this); only ${size} combination(s) used`,
          span: rule.span,
        });
      }
      return { names, size };
    });
    const total = groups.reduce((acc, g) => acc * g.size, 1);
    if (total > MAX_INSTANCES_PER_RULE) {
      problems.push({ kind: 'tooManyInstances', message: `rule expands to ${total} instances; only the first ${MAX_INSTANCES_PER_RULE} are listed`, span: rule.span });
    }
    const counters = groups.map(() => 0);
    for (let n = 0; n < Math.min(total, MAX_INSTANCES_PER_RULE); n++) {
      const chosen = new Map<string, string>();
      groups.forEach((g, gi) => {
        for (const name of g.names) chosen.set(name, vars.get(name)?.[counters[gi] ?? 0] ?? '');
      });
      const attributes: Record<string, string> = {};
      const used: Record<string, string> = {};
      for (const [k, value] of Object.entries(rule.attributes)) {
        const m = VAR_REF.exec(value);
        let out = value;
        if (m && m[1] !== undefined && !unresolved.has(m[1])) {
          const isElement = m[3] !== undefined && m[2] === '';
          const v = isElement ? vars.get(m[1])?.[Number(m[3])] : chosen.get(m[1]);
          if (v !== undefined) {
            out = v;
            used[isElement ? `${m[1]}[${m[3] ?? ''}]` : m[1]] = v;
          }
        }
        Object.defineProperty(attributes, k, { value: out, enumerable: true });
      }
      rules.push({ ...base, attributes, variables: used, unresolved: [...unresolved] });
      // Advance the first iterator fastest, like libvirt's virNWFilterVarCombIterNext.
      for (let gi = 0; gi < groups.length; gi++) {
        const g = groups[gi];
        if (!g) break;
        counters[gi] = (counters[gi] ?? 0) + 1;
        if ((counters[gi] ?? 0) < g.size) break;
        counters[gi] = 0;
      }
    }
  };

  walk(root, vars0, [root.name], []);
  return { rules, problems };
}
