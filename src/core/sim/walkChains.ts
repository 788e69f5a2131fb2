import type { Span } from '../text/Span';
import type { Packet } from './Packet';
import type { Layer, PassedOver, TraceStep } from './TraceResult';

/**
 * The chain walk shared by iptables and ebtables: rules in order, jumps (`-j CHAIN`) that return,
 * gotos (`-g CHAIN`) that do not, RETURN, and built-in chain policies. What a rule matches and
 * what its target does are the callers' (the two tools differ there); the walk, and so the shape
 * of the explanation, is one.
 */
export interface WalkRule {
  readonly raw: string;
  readonly span: Span;
  readonly index: number;
}

export interface WalkChain<R extends WalkRule> {
  readonly name: string;
  readonly builtin: boolean;
  readonly policy?: string;
  readonly rules: readonly R[];
  readonly raw: string;
  readonly span: Span;
}

export type MatchOutcome =
  | { readonly matched: true; readonly because: readonly string[] }
  | { readonly matched: false; readonly failed: string }
  | { readonly matched: 'unknown'; readonly reason: string };

export type TargetOutcome =
  | { readonly kind: 'verdict'; readonly verdict: 'ACCEPT' | 'DROP' | 'REJECT' }
  | { readonly kind: 'return' }
  /** LOG, MARK, NAT to be continued: the walk goes on with the (possibly rewritten) packet. */
  | { readonly kind: 'continue'; readonly packet?: Packet; readonly rewrites?: readonly string[]; readonly stop?: boolean }
  | { readonly kind: 'jump'; readonly chain: string; readonly goto: boolean }
  | { readonly kind: 'unknown'; readonly reason: string };

export interface WalkSpec<R extends WalkRule> {
  readonly layer: Layer;
  readonly netns?: string;
  readonly table: string;
  readonly chain: (name: string) => WalkChain<R> | undefined;
  readonly match: (rule: R, packet: Packet) => MatchOutcome;
  readonly target: (rule: R, packet: Packet) => TargetOutcome;
  /** Text of the target for the explanation (`-j neutron-openvswi-sg-chain`). */
  readonly targetText: (rule: R) => string;
  /**
   * ebtables: a user chain's policy applies when a frame falls off its end (ACCEPT, DROP, or
   * RETURN). iptables user chains always return.
   */
  readonly userChainPolicies?: boolean;
  /**
   * The rules of `chain` that may match in this walk (see WalkCandidates); undefined: every rule
   * may. Lets a 4,000-rule dispatch chain be walked without evaluating each rule.
   */
  readonly candidates?: (chain: WalkChain<R>) => WalkCandidates | undefined;
}

/** What an index of a chain knows before the walk evaluates any rule (see iptablesChainIndex). */
export interface WalkCandidates {
  /** Positions (0-based, ascending) of the rules that may match; `match` calls every other rule `matched: false`. */
  readonly positions: readonly number[];
  /** For a rule left out of `positions`: the `failed` text `match` would give, when known without evaluating it. */
  readonly missText?: (position: number) => string | undefined;
}

export interface WalkResult {
  /** ACCEPT/DROP/REJECT from a rule or policy; `indeterminate` when a rule could not be evaluated. */
  readonly verdict: 'ACCEPT' | 'DROP' | 'REJECT' | 'indeterminate';
  readonly packet: Packet;
  readonly steps: TraceStep[];
  /** The step that decided the verdict. */
  readonly decidedBy?: TraceStep;
  readonly reason?: string;
  /** Set when a `continue` target asked to stop the table (nat ACCEPT-like, e.g. DNAT). */
  readonly stopped?: boolean;
}

const MAX_DEPTH = 64;
/** Rules passed over that one step lists; later misses are not listed. */
const PASSED_OVER_LIMIT = 32;

/** Walks from built-in chain `start`; a missing start chain accepts (nothing is installed there). */
export function walkChains<R extends WalkRule>(spec: WalkSpec<R>, start: string, packet: Packet, depth = 0): WalkResult {
  const steps: TraceStep[] = [];
  const state = { packet, decidedBy: undefined as TraceStep | undefined, reason: undefined as string | undefined, stopped: false };

  type Outcome = 'ACCEPT' | 'DROP' | 'REJECT' | 'indeterminate' | 'fallthrough';

  // One object literal per step, in the key order `{ ...base, raw, span, index, action, because }`
  // had: an object spread is a slow runtime copy (microseconds per step) on the hot path.
  type MutableStep = { -readonly [K in keyof TraceStep]: TraceStep[K] };
  const ruleStep = (chain: WalkChain<R>, d: number, rule: R, because: readonly string[]): MutableStep =>
    spec.netns !== undefined ?
      { layer: spec.layer, netns: spec.netns, table: spec.table, chain: chain.name, depth: d, raw: rule.raw, span: rule.span, index: rule.index, action: spec.targetText(rule), because } :
      { layer: spec.layer, table: spec.table, chain: chain.name, depth: d, raw: rule.raw, span: rule.span, index: rule.index, action: spec.targetText(rule), because };
  const chainStep = (chain: WalkChain<R>, d: number, action: string): MutableStep =>
    spec.netns !== undefined ?
      { layer: spec.layer, netns: spec.netns, table: spec.table, chain: chain.name, depth: d, raw: chain.raw, span: chain.span, action, because: [] } :
      { layer: spec.layer, table: spec.table, chain: chain.name, depth: d, raw: chain.raw, span: chain.span, action, because: [] };

  const walk = (chain: WalkChain<R>, d: number, stack: string[]): Outcome => {
    if (stack.length > MAX_DEPTH || stack.includes(chain.name)) {
      state.reason = `chain loop: ${[...stack, chain.name].join(' -> ')}`;
      return 'indeterminate';
    }
    const passed: PassedOver[] = [];
    const rules = chain.rules;
    const index = spec.candidates?.(chain);
    const candidates = index?.positions;
    let next = 0;
    for (let i = 0; i < rules.length; i++) {
      if (index && candidates) {
        while (next < candidates.length && (candidates[next] ?? Infinity) < i) next++;
        if (passed.length >= PASSED_OVER_LIMIT) {
          // The explanation lists no more misses: rules the index rules out can be jumped over.
          if (next >= candidates.length) break;
          i = candidates[next] ?? rules.length;
        } else if (candidates[next] !== i) {
          // A listed miss: its text from the index when it knows it, else from evaluating the rule.
          const failed = index.missText?.(i);
          const missed = failed === undefined ? undefined : rules[i];
          if (missed && failed !== undefined) {
            passed.push({ raw: missed.raw, span: missed.span, failed });
            continue;
          }
        }
      }
      const rule = rules[i];
      if (!rule) break;
      const m = spec.match(rule, state.packet);
      if (m.matched === false) {
        if (passed.length < PASSED_OVER_LIMIT) passed.push({ raw: rule.raw, span: rule.span, failed: m.failed });
        continue;
      }
      if (m.matched === 'unknown') {
        const step = ruleStep(chain, d, rule, []);
        step.note = m.reason;
        steps.push(step);
        state.decidedBy = step;
        state.reason = m.reason;
        return 'indeterminate';
      }
      const t = spec.target(rule, state.packet);
      const step = ruleStep(chain, d, rule, m.because);
      if (passed.length > 0) step.passedOver = passed.splice(0);
      steps.push(step);
      switch (t.kind) {
        case 'verdict':
          state.decidedBy = step;
          return t.verdict;
        case 'return':
          if (!chain.builtin) return 'fallthrough';
          return policy(chain, d);
        case 'continue':
          if (t.packet) state.packet = t.packet;
          if (t.rewrites) step.rewrites = t.rewrites;
          if (t.stop) {
            state.stopped = true;
            state.decidedBy = step;
            return 'ACCEPT';
          }
          continue;
        case 'unknown':
          step.note = t.reason;
          state.decidedBy = step;
          state.reason = t.reason;
          return 'indeterminate';
        case 'jump': {
          const target = spec.chain(t.chain);
          if (!target) {
            state.decidedBy = step;
            state.reason = `${spec.targetText(rule)}: chain ${t.chain} is not in the dump`;
            return 'indeterminate';
          }
          const r = walk(target, d + 1, [...stack, chain.name]);
          if (r !== 'fallthrough') return r;
          if (t.goto) return chain.builtin ? policy(chain, d) : 'fallthrough';
          continue;
        }
      }
    }
    if (!chain.builtin && !(spec.userChainPolicies && chain.policy && !/^(RETURN|CONTINUE)$/i.test(chain.policy))) return 'fallthrough';
    return policy(chain, d, passed);
  };

  const policy = (chain: WalkChain<R>, d: number, passed: PassedOver[] = []): Outcome => {
    const p = (chain.policy ?? 'ACCEPT').toUpperCase();
    const step = chainStep(chain, d, `policy ${p}`);
    if (passed.length > 0) step.passedOver = passed;
    steps.push(step);
    state.decidedBy = step;
    if (p === 'DROP' || p === 'ACCEPT') return p;
    state.reason = `policy ${p} of ${chain.name} is not understood`;
    return 'indeterminate';
  };

  const startChain = spec.chain(start);
  if (!startChain) return { verdict: 'ACCEPT', packet, steps };
  let outcome = walk(startChain, depth, []);
  if (outcome === 'fallthrough') outcome = 'ACCEPT';
  const result: { -readonly [K in keyof WalkResult]: WalkResult[K] } = { verdict: outcome, packet: state.packet, steps };
  if (state.decidedBy) result.decidedBy = state.decidedBy;
  if (state.reason) result.reason = state.reason;
  if (state.stopped) result.stopped = true;
  return result;
}
