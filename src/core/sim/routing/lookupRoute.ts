import { cidrContains } from '../../net/Cidr';
import type { IpAddress } from '../../net/IpAddress';
import type { PolicyRule } from '../../iproute/PolicyRule';
import type { Route } from '../../iproute/Route';
import type { TraceStep } from '../TraceResult';

export interface RouteQuery {
  readonly src: IpAddress;
  readonly dst: IpAddress;
  readonly iif?: string;
  readonly fwmark: number;
}

export type RouteDecision =
  | { readonly kind: 'route'; readonly route: Route; readonly rule?: PolicyRule; readonly steps: TraceStep[] }
  | { readonly kind: 'blocked'; readonly reason: 'unreachable' | 'blackhole' | 'prohibit'; readonly rule?: PolicyRule; readonly route?: Route; readonly steps: TraceStep[] }
  | { readonly kind: 'none'; readonly steps: TraceStep[] };

/** The kernel's three default rules, used when a namespace's `ip rule` output was not collected. */
const DEFAULT_TABLES = ['local', 'main', 'default'];

/**
 * `ip route get`: policy rules in priority order, then the longest prefix (lowest metric on a
 * tie) in each rule's table. `throw` routes and tables without a match fall through to the next
 * rule; `unreachable`/`blackhole`/`prohibit` routes or rules stop the lookup.
 */
export function lookupRoute(rules: readonly PolicyRule[] | undefined, routes: readonly Route[], q: RouteQuery, netns: string, depth: number): RouteDecision {
  const steps: TraceStep[] = [];
  const family = q.dst.family;
  const ordered = rules && rules.some((r) => r.family === family)
    ? [...rules].filter((r) => r.family === family).sort((a, b) => a.priority - b.priority)
    : undefined;
  const candidates: { table: string; rule?: PolicyRule }[] = ordered
    ? ordered.flatMap((r) => (ruleMatches(r, q) ? [r.table !== undefined || r.action !== 'lookup' ? { table: r.table ?? '', rule: r } : { table: 'main', rule: r }] : []))
    : DEFAULT_TABLES.map((table) => ({ table }));
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i];
    if (!c) continue;
    const rule = c.rule;
    if (rule && rule.action !== 'lookup') {
      if (rule.action === 'goto') {
        // `goto N`: skip to the first rule with priority >= N.
        const target = rule.gotoTarget ?? 0;
        while (i + 1 < candidates.length && (candidates[i + 1]?.rule?.priority ?? 0) < target) i++;
        continue;
      }
      if (rule.action === 'unreachable' || rule.action === 'blackhole' || rule.action === 'prohibit') {
        steps.push(routeStep(netns, depth, rule.raw, rule.span, `rule ${rule.action}`, [rule.raw]));
        return { kind: 'blocked', reason: rule.action, rule, steps };
      }
      continue;
    }
    const best = longestPrefix(routes, c.table, q.dst);
    if (!best) continue;
    if (rule && rule.suppressPrefixLength !== undefined && best.destination !== 'default' && best.destination.prefixLength <= rule.suppressPrefixLength) continue;
    if (rule && rule.suppressPrefixLength !== undefined && best.destination === 'default' && rule.suppressPrefixLength >= 0) continue;
    if (best.type === 'throw') continue;
    const because = rule ? [`rule ${rule.raw.trim()}`] : [];
    steps.push(routeStep(netns, depth, best.raw, best.span, `route table ${c.table}`, [...because, `longest prefix for the destination: ${best.destination === 'default' ? 'default' : best.destination.text}`]));
    if (best.type === 'unreachable' || best.type === 'blackhole' || best.type === 'prohibit') {
      return rule ? { kind: 'blocked', reason: best.type, rule, route: best, steps } : { kind: 'blocked', reason: best.type, route: best, steps };
    }
    return rule ? { kind: 'route', route: best, rule, steps } : { kind: 'route', route: best, steps };
  }
  return { kind: 'none', steps };
}

function ruleMatches(r: PolicyRule, q: RouteQuery): boolean {
  let m = true;
  if (r.from && r.from !== 'all' && !cidrContains(r.from, q.src)) m = false;
  if (m && r.to && !cidrContains(r.to, q.dst)) m = false;
  if (m && r.iif !== undefined && (r.iifDetached || r.iif !== (q.iif ?? 'lo'))) m = false;
  if (m && r.fwmark && (q.fwmark & r.fwmark.mask) !== (r.fwmark.value & r.fwmark.mask)) m = false;
  return r.not ? !m : m;
}

function longestPrefix(routes: readonly Route[], table: string, dst: IpAddress): Route | undefined {
  let best: Route | undefined;
  let bestLen = -1;
  for (const r of routes) {
    if (r.cache || r.family !== dst.family || tableOf(r) !== normaliseTable(table)) continue;
    if (r.type === 'broadcast' && r.destination !== 'default' && r.destination.prefixLength !== (dst.family === 4 ? 32 : 128)) continue;
    const len = r.destination === 'default' ? 0 : r.destination.prefixLength;
    if (r.destination !== 'default' && !cidrContains(r.destination, dst)) continue;
    if (len > bestLen || (len === bestLen && best && (r.metric ?? 0) < (best.metric ?? 0))) {
      best = r;
      bestLen = len;
    }
  }
  return best;
}

const TABLE_NUMBERS: Readonly<Record<string, string>> = { '255': 'local', '254': 'main', '253': 'default' };
function normaliseTable(t: string): string {
  return TABLE_NUMBERS[t] ?? t;
}
function tableOf(r: Route): string {
  return normaliseTable(r.table);
}

function routeStep(netns: string, depth: number, raw: string, span: TraceStep['span'], action: string, because: string[]): TraceStep {
  const s: { -readonly [K in keyof TraceStep]: TraceStep[K] } = { layer: 'routing', netns, action, because, depth, raw };
  if (span) s.span = span;
  return s;
}
