import type { DiagnosticSink } from '../text/Diagnostic';
import type { Span } from '../text/Span';
import type { Cidr } from '../net/Cidr';
import type { Negatable } from '../net/Negatable';
import type { IptablesRule, IptablesTarget, Mutable } from './IptablesModel';
import { IptablesOptionRecord } from './IptablesOptionRecord';
import {
  IMPLICIT_PROTOCOL_MODULES,
  IPTABLES_MATCHES,
  IPTABLES_MATCH_ALIASES,
  IPTABLES_TARGETS,
  OPTION_ALIASES,
  STANDARD_TARGETS,
} from './iptablesExtensions';
import { checkIptablesOptionValue } from './checkIptablesOptionValue';
import { canonicalProtocol } from './iptablesNames';
import { parseCidrFast } from './parseCidrFast';
import type { IptablesTokens } from './tokenizeIptablesLine';

/**
 * Reads the arguments of one rule as iptables-save / `iptables -S` print them, after `-A CHAIN`:
 * `-s 10.1.26.252/32 -m mac --mac-source FA:16:3E:C4:20:C7 -m comment --comment "..." -j RETURN`,
 * filling the rule in place. Negation is accepted both before an option (`! -s X`,
 * `! --ctstate DNAT`) and in the old style after it (`-s ! X`). An extension option goes to the
 * most recently loaded module that knows it, as iptables' option merging does; `-p tcp --dport 22`
 * without `-m tcp` loads `tcp` implicitly. Bad input never throws: a bad address or a missing
 * value is an error diagnostic and that option is skipped; an option no module claims is kept
 * (marked `unknown`) with a warning.
 */

/** Modules and targets the extension tables do not know, counted per file and reported once each. */
export interface UnknownExtensionTally {
  readonly first: { line: number; column: number; endColumn: number; raw: string };
  count: number;
}

/**
 * Immutable values shared across one file: one-value arrays (`['RELATED,ESTABLISHED']`, a tap
 * name, a comment) and `Negatable` wrappers (`-p udp`, `-d 255.255.255.255/32`) that repeat on
 * thousands of rules. The model is read-only, so sharing is invisible to callers.
 */
export class RuleValueCache {
  /** Target names (user chains mostly): one string instance per name in the model. */
  readonly targets = new Map<string, string>();
  readonly values = new Map<string, readonly string[]>();
  readonly names = new Map<string, Negatable<string>>();
  readonly cidrs = new Map<string, Negatable<Cidr> | null>();
  /** Unknown modules, targets and bad values counted so far (a reader compares two counts to learn whether a rule added any). */
  tallied = 0;
}

export interface RuleLineContext {
  readonly shared: RuleValueCache;
  readonly sink: DiagnosticSink;
  readonly lineNumber: number;
  readonly lineText: string;
  /** A span on this line (the rule's); option spans are derived from it. */
  readonly lineSpan: Span;
  readonly unknownModules: Map<string, UnknownExtensionTally>;
  readonly unknownTargets: Map<string, UnknownExtensionTally>;
  /** Values that cannot be matched (`--mac-source XX:XX:XX:XX:XX:XX` in an anonymised dump), by message. */
  readonly badValues: Map<string, UnknownExtensionTally>;
  /**
   * Check the text only: report, tally and fill the rule-level values, the match modules and the
   * target's name, but build no option records (every check and diagnostic is the same either
   * way; the records are only ever appended). iptables-save reads a rule this way when it will
   * keep it as a lazily read LazyRule, and reads it again in full otherwise.
   */
  readonly checkOnly?: boolean;
  /**
   * When given, the tokens whose text could change without changing anything else about the
   * reading get their role, by token index: `-s`/`-d` (an address read well), `-i`/`-o`, `-j`
   * (a target that is a chain, not an extension or verdict), or the name of a one-value option
   * whose value passed its check (`--physdev-in`, `--mac-source`; never `--comment`, whose value
   * is the rule's `comment`). RuleShapes reads rules that differ from a read one only there.
   */
  readonly roles?: string[];
}

type RuleOptionKind = 'source' | 'destination' | 'protocol' | 'in' | 'out' | 'fragment' | 'match' | 'jump' | 'goto' | 'counters' | 'ipv4' | 'ipv6';

const RULE_OPTIONS: ReadonlyMap<string, RuleOptionKind> = new Map<string, RuleOptionKind>([
  ['-s', 'source'], ['--source', 'source'], ['--src', 'source'],
  ['-d', 'destination'], ['--destination', 'destination'], ['--dst', 'destination'],
  ['-p', 'protocol'], ['--protocol', 'protocol'],
  ['-i', 'in'], ['--in-interface', 'in'],
  ['-o', 'out'], ['--out-interface', 'out'],
  ['-f', 'fragment'], ['--fragment', 'fragment'],
  ['-m', 'match'], ['--match', 'match'],
  ['-j', 'jump'], ['--jump', 'jump'],
  ['-g', 'goto'], ['--goto', 'goto'],
  ['-c', 'counters'], ['--set-counters', 'counters'],
  ['-4', 'ipv4'], ['--ipv4', 'ipv4'],
  ['-6', 'ipv6'], ['--ipv6', 'ipv6'],
]);

/** RULE_OPTIONS by the letter of the short forms (`-m` -> match), so the commonest options are found without hashing the token. */
const SHORT_OPTIONS: readonly (RuleOptionKind | undefined)[] = (() => {
  const t: (RuleOptionKind | undefined)[] = [];
  for (const [name, kind] of RULE_OPTIONS) if (name.length === 2) t[name.charCodeAt(1)] = kind;
  return t;
})();

const ROLE_OF: Partial<Record<RuleOptionKind, string>> = { source: '-s', destination: '-d', in: '-i', out: '-o' };

function ruleOptionKind(token: string): RuleOptionKind | undefined {
  if (token.length === 2) return token.charCodeAt(0) === 45 ? SHORT_OPTIONS[token.charCodeAt(1)] : undefined;
  return RULE_OPTIONS.get(token);
}

/** Shared string instances for names that repeat on every rule, so the model does not hold 250,000 copies. */
const INTERNED: ReadonlyMap<string, string> = (() => {
  const m = new Map<string, string>();
  const add = (s: string): void => void m.set(s, s);
  for (const [mod, opts] of Object.entries(IPTABLES_MATCHES)) {
    add(mod);
    for (const o of Object.keys(opts)) add(o);
  }
  for (const [t, opts] of Object.entries(IPTABLES_TARGETS)) {
    add(t);
    for (const o of Object.keys(opts)) add(o);
  }
  for (const t of STANDARD_TARGETS) add(t);
  for (const v of ['RELATED,ESTABLISHED', 'INVALID', 'NEW', 'ESTABLISHED', 'DNAT', 'SNAT', 'src', 'dst']) add(v);
  return m;
})();

function intern(s: string): string {
  return INTERNED.get(s) ?? s;
}

export function sharedTarget(shared: RuleValueCache, t: string): string {
  const known = INTERNED.get(t);
  if (known !== undefined) return known;
  let a = shared.targets.get(t);
  if (a === undefined) shared.targets.set(t, (a = t));
  return a;
}

/** The same frozen-by-type `[value]` array for every option with this single value in one file. */
function singleValue(shared: RuleValueCache, v: string): readonly string[] {
  let a = shared.values.get(v);
  if (a === undefined) {
    a = [intern(v)];
    shared.values.set(v, a);
  }
  return a;
}

export function sharedName(shared: RuleValueCache, negated: boolean, v: string): Negatable<string> {
  const key = negated ? `!${v}` : v;
  let a = shared.names.get(key);
  if (a === undefined) {
    a = { negated, value: v };
    shared.names.set(key, a);
  }
  return a;
}

/** `null` for text that is not an address (reported by the caller). */
export function sharedCidr(shared: RuleValueCache, negated: boolean, v: string): Negatable<Cidr> | null {
  const key = negated ? `!${v}` : v;
  let a = shared.cidrs.get(key);
  if (a === undefined) {
    const cidr = parseCidrFast(v);
    a = cidr ? { negated, value: cidr } : null;
    shared.cidrs.set(key, a);
  }
  return a;
}

interface MatchBuilder {
  module: string;
  options: IptablesOptionRecord[];
  implicit?: boolean;
}
interface TargetBuilder {
  kind: IptablesTarget['kind'];
  name: string;
  options: IptablesOptionRecord[];
}

const NO_OPTIONS: IptablesOptionRecord[] = [];
const NO_MATCHES: MatchBuilder[] = [];
const NO_VALUES: readonly string[] = [];

/**
 * Scratch lists reused from rule to rule (the reader is not re-entrant): options are collected in
 * them and copied at their exact size when the rule is done, so reading a rule no longer grows
 * (and drops) a 17-slot array per match, target and rule.
 */
const SCRATCH: IptablesOptionRecord[][] = [];
let scratchUsed = 0;
const SCRATCH_MATCHES: MatchBuilder[] = [];

function scratchOptions(): IptablesOptionRecord[] {
  let a = SCRATCH[scratchUsed];
  if (a === undefined) SCRATCH[scratchUsed] = a = [];
  scratchUsed++;
  a.length = 0;
  return a;
}

/** The old-style `-s ! X` negation found by valueIndex (a one-element array per rule was garbage). */
let flipped = false;

/** A token that starts a new option: `-x`, `--xyz`, `-4`, `-6` (but not `-1` or a lone `-`), or a bare `!`. */
function startsOption(toks: IptablesTokens, k: number): boolean {
  if (toks.quoted[k]) return false;
  const s = toks.text[k]!;
  if (s.length < 2) return s === '!';
  if (s.charCodeAt(0) !== 45) return false;
  const c = s.charCodeAt(1);
  return !(c >= 48 && c <= 57) || (s.length === 2 && (c === 52 || c === 54));
}

function isBang(toks: IptablesTokens, k: number): boolean {
  return k < toks.count && !toks.quoted[k] && toks.text[k] === '!';
}

function tally(map: Map<string, UnknownExtensionTally>, name: string, ctx: RuleLineContext, toks: IptablesTokens, k: number): void {
  ctx.shared.tallied++;
  const t = map.get(name);
  if (t) t.count++;
  else map.set(name, { first: { line: ctx.lineNumber, column: toks.start[k]! + 1, endColumn: toks.end[k]! + 1, raw: ctx.lineText }, count: 1 });
}

function tokenError(ctx: RuleLineContext, toks: IptablesTokens, k: number, message: string): void {
  ctx.sink.error(ctx.lineNumber, message, ctx.lineText, toks.start[k]! + 1, toks.end[k]! + 1);
}

/**
 * Position of the single value of a rule-level option at `k` (after an old-style `!`), or -1 when
 * it is missing (reported). `flipped` is toggled for the old style.
 */
function valueIndex(toks: IptablesTokens, k: number, ctx: RuleLineContext): number {
  let j = k + 1;
  if (isBang(toks, j)) {
    flipped = !flipped;
    j++;
  }
  if (j >= toks.count || startsOption(toks, j)) {
    tokenError(ctx, toks, k, `option ${toks.text[k]!} needs a value; option ignored`);
    return -1;
  }
  return j;
}

/** Fills `rule` from `toks[from..]`; returns 4 or 6 for a `-4`/`-6` (one family only) rule, else 0. */
export function readRuleArguments(toks: IptablesTokens, from: number, ctx: RuleLineContext, rule: Mutable<IptablesRule>): 0 | 4 | 6 {
  const { sink, lineNumber: ln, lineText: raw, lineSpan } = ctx;
  const build = ctx.checkOnly !== true;
  const matches = SCRATCH_MATCHES;
  matches.length = 0;
  scratchUsed = 0;
  let target: TargetBuilder | undefined;
  let negated = false;
  let negStart = -1;
  let onlyFamily: 0 | 4 | 6 = 0;
  let i = from;
  const n = toks.count;

  while (i < n) {
    const text = toks.text[i]!;
    if (isBang(toks, i)) {
      if (negated) sink.warning(ln, 'two `!` in a row cancel out; check this rule', raw, toks.start[i]! + 1, toks.end[i]! + 1);
      negated = !negated;
      negStart = toks.start[i]!;
      i++;
      continue;
    }
    if (!startsOption(toks, i)) {
      tokenError(ctx, toks, i, `unexpected argument \`${text}\`; argument ignored, rest of the rule kept`);
      i++;
      negated = false;
      continue;
    }
    const kind = ruleOptionKind(text);
    const optStart = negated ? negStart : toks.start[i]!;
    if (kind !== undefined) {
      switch (kind) {
        case 'source':
        case 'destination':
        case 'protocol':
        case 'in':
        case 'out': {
          flipped = negated;
          const j = valueIndex(toks, i, ctx);
          if (j < 0) {
            i++;
            break;
          }
          i = j + 1;
          const v = toks.text[j]!;
          const neg = flipped;
          if (ctx.roles && kind !== 'protocol') ctx.roles[j] = ROLE_OF[kind]!;
          if (kind === 'source' || kind === 'destination') {
            const cidr = sharedCidr(ctx.shared, neg, v);
            if (!cidr) tokenError(ctx, toks, j, `bad address \`${v}\` for ${text}; address match ignored, rule kept`);
            else if (kind === 'source') rule.source = cidr;
            else rule.destination = cidr;
          } else if (kind === 'protocol') {
            const p = canonicalProtocol(v);
            if (p !== undefined) rule.protocol = sharedName(ctx.shared, neg, p);
            else if (neg) rule.protocol = sharedName(ctx.shared, true, 'all');
          } else if (kind === 'in') rule.inInterface = sharedName(ctx.shared, neg, v);
          else rule.outInterface = sharedName(ctx.shared, neg, v);
          break;
        }
        case 'fragment':
          rule.fragment = { negated, value: true };
          i++;
          break;
        case 'match': {
          if (negated) sink.warning(ln, '`!` before -m has no meaning (iptables rejects it); ignored', raw, negStart + 1, toks.end[i]! + 1);
          if (i + 1 >= n || startsOption(toks, i + 1)) {
            tokenError(ctx, toks, i, `${text} needs a module name; ignored`);
            i++;
            break;
          }
          const given = intern(toks.text[i + 1]!);
          const module = intern(IPTABLES_MATCH_ALIASES[given] ?? given);
          if (IPTABLES_MATCHES[module] === undefined) tally(ctx.unknownModules, module, ctx, toks, i + 1);
          matches.push({ module, options: scratchOptions() });
          i += 2;
          break;
        }
        case 'jump':
        case 'goto': {
          if (i + 1 >= n || startsOption(toks, i + 1)) {
            tokenError(ctx, toks, i, `${text} needs a target; ignored`);
            i++;
            break;
          }
          const name = sharedTarget(ctx.shared, toks.text[i + 1]!);
          if (ctx.roles && IPTABLES_TARGETS[name] === undefined && !STANDARD_TARGETS.has(name)) ctx.roles[i + 1] = '-j';
          if (target) sink.warning(ln, `second target ${name} replaces ${target.name} (iptables keeps the last)`, raw, toks.start[i]! + 1, toks.end[i + 1]! + 1);
          target = { kind: kind === 'goto' ? 'goto' : 'jump', name, options: scratchOptions() };
          i += 2;
          break;
        }
        case 'counters': {
          const p = toks.text[i + 1];
          const b = toks.text[i + 2];
          if (i + 2 >= n || !p || !b || !/^\d+$/.test(p) || !/^\d+$/.test(b)) {
            tokenError(ctx, toks, i, `${text} needs two counters (packets bytes); counters ignored`);
            i++;
            break;
          }
          rule.counters = { packets: BigInt(p), bytes: BigInt(b) };
          i += 3;
          break;
        }
        case 'ipv4':
        case 'ipv6':
          onlyFamily = kind === 'ipv4' ? 4 : 6;
          i++;
          break;
      }
      negated = false;
      continue;
    }

    // An extension option: `--dport 22`, `--physdev-is-bridged`, `--tcp-flags SYN,ACK SYN`.
    let name = text;
    let inlineValue: string | undefined;
    const eq = name.charCodeAt(1) === 45 ? name.indexOf('=') : -1;
    if (eq > 0) {
      inlineValue = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    // Interned first: a property lookup with a string fresh from the line is a string-table search.
    name = intern(name);
    name = OPTION_ALIASES[name] ?? name;

    let owner: MatchBuilder | TargetBuilder | undefined;
    let arity: number | undefined;
    let unknown = false;
    const targetTable = target ? IPTABLES_TARGETS[target.name] : undefined;
    if (target && targetTable && targetTable[name] !== undefined) {
      owner = target;
      arity = targetTable[name];
    }
    if (!owner) {
      for (let k = matches.length - 1; k >= 0; k--) {
        const a = IPTABLES_MATCHES[matches[k]!.module]?.[name];
        if (a !== undefined) {
          owner = matches[k];
          arity = a;
          break;
        }
      }
    }
    if (!owner && rule.protocol && !rule.protocol.negated) {
      const module = IMPLICIT_PROTOCOL_MODULES[rule.protocol.value];
      const a = module === undefined ? undefined : IPTABLES_MATCHES[module]?.[name];
      if (module !== undefined && a !== undefined) {
        const m: MatchBuilder = { module, options: scratchOptions(), implicit: true };
        matches.push(m);
        owner = m;
        arity = a;
      }
    }
    if (!owner && target && !targetTable && !STANDARD_TARGETS.has(target.name)) {
      // A target extension this parser does not know (or a user chain given options): keep them on it.
      owner = target;
      unknown = true;
      tally(ctx.unknownTargets, target.name, ctx, toks, i);
    }
    if (!owner) {
      const last = matches[matches.length - 1];
      if (last && IPTABLES_MATCHES[last.module] === undefined) owner = last;
    }
    if (!owner) {
      unknown = true;
      const last = matches[matches.length - 1];
      const where = last ? `-m ${last.module}` : target ? `target ${target.name}` : 'this rule';
      sink.warning(ln, `unknown option ${name} (no loaded module or target accepts it); kept on ${where}, not trusted`, raw, toks.start[i]! + 1, toks.end[i]! + 1);
      if (last) owner = last;
      else if (target) owner = target;
      else {
        owner = { module: '', options: scratchOptions() };
        matches.push(owner);
      }
    }

    // Values: exactly `arity` when known; otherwise every following word up to the next option.
    let values: readonly string[];
    let j = i + 1;
    let optNegated = negated;
    if (inlineValue === undefined && arity !== 0 && isBang(toks, j) && j + 1 < n && !startsOption(toks, j + 1)) {
      optNegated = !optNegated;
      j++;
    }
    let end = toks.end[i]!;
    if (inlineValue !== undefined) {
      values = [inlineValue];
    } else if (arity === 1) {
      if (j >= n || startsOption(toks, j)) {
        tokenError(ctx, toks, i, `option ${name} needs a value; option ignored`);
        i = j;
        negated = false;
        continue;
      }
      values = singleValue(ctx.shared, toks.text[j]!);
      const problem = unknown ? undefined : checkIptablesOptionValue(name, values[0]!);
      if (problem !== undefined) tally(ctx.badValues, `\`${values[0]!}\` for ${name} is ${problem}`, ctx, toks, j);
      else if (ctx.roles && !unknown && name !== '--comment') ctx.roles[j] = name;
      end = toks.end[j]!;
      j++;
    } else if (arity !== undefined) {
      const vs: string[] = [];
      while (vs.length < arity && j < n && !startsOption(toks, j)) {
        vs.push(intern(toks.text[j]!));
        end = toks.end[j]!;
        j++;
      }
      values = vs.length === 0 ? NO_VALUES : vs.slice();
      if (vs.length < arity) {
        tokenError(ctx, toks, i, `option ${name} needs ${arity} values, found ${vs.length}; option ignored`);
        i = j;
        negated = false;
        continue;
      }
    } else {
      const vs: string[] = [];
      while (j < n && !startsOption(toks, j)) {
        vs.push(toks.text[j]!);
        end = toks.end[j]!;
        j++;
      }
      values = vs.length === 0 ? NO_VALUES : vs.slice();
    }
    if (build) owner.options.push(new IptablesOptionRecord(name, optNegated, values, lineSpan, optStart, end, unknown));
    if (rule.comment === undefined && name === '--comment' && 'module' in owner && owner.module === 'comment') rule.comment = values[0];
    i = j;
    negated = false;
  }
  if (negated) sink.warning(ln, 'trailing `!` with nothing to negate; ignored', raw, negStart + 1, negStart + 2);
  // Exact-size copies: a pushed-to array keeps room for 17 elements, which tripled the model's memory.
  for (const m of matches) m.options = m.options.length === 0 ? NO_OPTIONS : m.options.slice();
  rule.matches = matches.length === 0 ? NO_MATCHES : matches.slice();
  if (target) {
    target.options = target.options.length === 0 ? NO_OPTIONS : target.options.slice();
    rule.target = target;
  }
  return onlyFamily;
}
