import type { IptablesCounters, IptablesRule, Mutable } from './IptablesModel';
import type { ChainBuilder, IptablesRulesetBuilder, TableBuilder } from './IptablesRulesetBuilder';
import { BUILTIN_CHAINS } from './iptablesNames';
import { readRuleArguments, type RuleLineContext } from './readRuleArguments';
import type { IptablesTokens } from './tokenizeIptablesLine';

/**
 * Applies one command line of iptables-save or `iptables -S` output to the ruleset being built:
 * `-A CHAIN ...` (append), `-I CHAIN [N] ...` (insert, restore files), `-N CHAIN` (user chain),
 * `-P CHAIN POLICY [-c P B]` (built-in chain policy, `-S` form). Commands that delete or rename
 * (`-D -R -X -F -Z -E`) cannot be replayed from a dump: they are reported and skipped.
 * `toks` holds the line's arguments from the command on.
 */
export interface CommandContext extends RuleLineContext {
  readonly builder: IptablesRulesetBuilder;
  readonly table: TableBuilder;
  /** The whole command line (counters prefix included), trimmed: the rule's raw (its span is `lineSpan`). */
  readonly raw: string;
  /** From an iptables-save `[packets:bytes]` prefix. */
  readonly counters?: IptablesCounters;
  readonly family?: 4 | 6;
  /** Chains used before being declared, reported once per file by the caller. */
  readonly undeclared: Map<ChainBuilder, { line: number; column: number }>;
}

const EMPTY: readonly never[] = [];

const SKIPPED_COMMANDS: ReadonlySet<string> = new Set([
  '-D', '--delete', '-R', '--replace', '-X', '--delete-chain', '-F', '--flush', '-Z', '--zero', '-E', '--rename-chain',
]);

/** Returns the rule an `-A`/`-I` line added (undefined for other commands and skipped lines). */
export function readIptablesCommand(toks: IptablesTokens, ctx: CommandContext): Mutable<IptablesRule> | undefined {
  const { sink, lineNumber: ln, lineText } = ctx;
  const c = toks.text[0]!;
  const at = (k: number): [number, number] => [toks.start[k]! + 1, toks.end[k]! + 1];
  if (SKIPPED_COMMANDS.has(c)) {
    sink.warning(ln, `command ${c} changes an existing ruleset and cannot be replayed from a dump; line skipped`, lineText, ...at(0));
    return undefined;
  }
  const chainName = toks.count > 1 ? toks.text[1]! : '';
  if (chainName === '' || chainName.startsWith('-')) {
    sink.error(ln, `${c} needs a chain name; line ignored`, lineText, ...at(0));
    return undefined;
  }
  switch (c) {
    case '-A':
    case '--append':
    case '-I':
    case '--insert': {
      let from = 2;
      let position: number | undefined;
      if ((c === '-I' || c === '--insert') && toks.count > 2 && /^\d+$/.test(toks.text[2]!)) {
        position = Number(toks.text[2]);
        from = 3;
      }
      // The common fields present from the start: one hidden class and no property backing store per rule.
      const rule: Mutable<IptablesRule> = {
        table: ctx.table.name, chain: chainName, index: 0, raw: ctx.raw, span: ctx.lineSpan, counters: ctx.counters,
        protocol: undefined, source: undefined, destination: undefined, inInterface: undefined, outInterface: undefined,
        matches: EMPTY, target: undefined, comment: undefined,
      };
      const only = readRuleArguments(toks, from, ctx, rule);
      const chain = addRule(ctx, rule, only, toks.start[1]!);
      if (!chain) return undefined;
      if (position === undefined) chain.rules.push(rule);
      else if (position < 1 || position > chain.rules.length + 1) {
        sink.warning(ln, `-I position ${position} is outside chain ${chainName} (${chain.rules.length} rules); rule appended`, lineText, ...at(2));
        chain.rules.push(rule);
      } else chain.rules.splice(position - 1, 0, rule);
      return rule;
    }
    case '-N':
    case '--new-chain': {
      const existing = ctx.table.chains.get(chainName);
      if (existing && ctx.undeclared.delete(existing)) {
        // Used by an earlier line (a partial dump): this is its declaration after all.
        existing.span = ctx.lineSpan;
        existing.raw = ctx.raw;
        return undefined;
      }
      if (existing) {
        sink.warning(ln, `chain ${chainName} declared twice; first declaration kept`, lineText, ...at(1));
        return undefined;
      }
      ctx.builder.ensureChain(ctx.table, chainName, ctx.lineSpan, ctx.raw);
      if (toks.count > 2) sink.warning(ln, `unexpected text after -N ${chainName}; ignored`, lineText, toks.start[2]! + 1);
      return undefined;
    }
    case '-P':
    case '--policy': {
      if (toks.count < 3) {
        sink.error(ln, `-P ${chainName} needs a policy (ACCEPT or DROP); line ignored`, lineText, toks.start[0]! + 1, toks.end[1]! + 1);
        return undefined;
      }
      const { chain } = ctx.builder.ensureChain(ctx.table, chainName, ctx.lineSpan, ctx.raw);
      ctx.undeclared.delete(chain);
      chain.builtin = true;
      chain.policy = toks.text[2]!;
      chain.span = ctx.lineSpan;
      chain.raw = ctx.raw;
      let k = 3;
      if (k < toks.count && (toks.text[k] === '-c' || toks.text[k] === '--set-counters')) {
        const p = toks.text[k + 1];
        const b = toks.text[k + 2];
        if (k + 2 < toks.count && p && b && /^\d+$/.test(p) && /^\d+$/.test(b)) {
          chain.counters = { packets: BigInt(p), bytes: BigInt(b) };
          k += 3;
        } else {
          sink.error(ln, '-c needs two counters (packets bytes); counters ignored', lineText, ...at(k));
          k = toks.count;
        }
      }
      if (k < toks.count) sink.warning(ln, 'unexpected text after the policy; ignored', lineText, toks.start[k]! + 1);
      return undefined;
    }
    default:
      sink.error(ln, `unknown command ${c}; line ignored`, lineText, ...at(0));
      return undefined;
  }
}

/**
 * What every `-A`/`-I` does once its arguments are read: the family check, then the chain (created
 * as a user chain when unknown) and the rule's final chain name. Returns the chain, where the
 * caller places the rule, or undefined when the rule is skipped (marked for the other family).
 * `chainStart` is the chain name's offset in the line.
 */
export function addRule(ctx: CommandContext, rule: Mutable<IptablesRule>, only: 0 | 4 | 6, chainStart: number): ChainBuilder | undefined {
  if (only !== 0 && ctx.family !== undefined && only !== ctx.family) {
    ctx.sink.info(ctx.lineNumber, `rule is marked -${only} (IPv${only} only) in an IPv${ctx.family} dump; iptables-restore skips it, so does this reader`, ctx.lineText);
    return undefined;
  }
  const { chain, created } = ctx.builder.ensureChain(ctx.table, rule.chain, ctx.lineSpan, ctx.raw);
  if (created) {
    if (BUILTIN_CHAINS[ctx.table.name]?.includes(rule.chain)) chain.builtin = true;
    ctx.undeclared.set(chain, { line: ctx.lineNumber, column: chainStart + 1 });
  }
  rule.chain = chain.name;
  return chain;
}
