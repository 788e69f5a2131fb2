import type { IptablesRule, Mutable } from './IptablesModel';
import { IptablesOptionRecord } from './IptablesOptionRecord';
import type { CommandContext } from './readIptablesCommand';
import type { IptablesTokens } from './tokenizeIptablesLine';

/**
 * Rules read before, by the exact text of their arguments (everything after `-A CHAIN `). A
 * Neutron hybrid-firewall dump repeats the same argument text on thousands of chains
 * (`-m state --state INVALID -m comment --comment "..." -j DROP` on every port's two chains): two
 * rules of three there are such repeats. Reading the same text again gives the same rule at
 * shifted columns, so a repeat is built from the first one without tokenizing or checking again.
 * Only rules that were read without any diagnostic or tally are kept (a problem is reported on
 * every line it appears on), and none with `-c` or `-4`/`-6` (their meaning depends on more than
 * the text). One instance per parsed file: the values it shares belong to that file's model.
 */
export class RuleTemplates {
  readonly #byArgs = new Map<string, RuleTemplate>();

  get(args: string): RuleTemplate | undefined {
    return this.#byArgs.get(args);
  }

  /**
   * Keeps `rule`, just read from `toks` (its arguments starting at column `argsAt`), as the
   * template for `args`, if its text alone decides it.
   */
  keep(args: string, argsAt: number, rule: Mutable<IptablesRule>, toks: IptablesTokens): void {
    for (let k = 2; k < toks.count; k++) if (!toks.quoted[k] && CONTEXT_OPTIONS.has(toks.text[k]!)) return;
    const matches: TemplateMatch[] = [];
    for (const m of rule.matches) {
      const options = records(m.options);
      if (!options) return;
      matches.push({ module: m.module, implicit: m.implicit === true, options });
    }
    let target: TemplateTarget | undefined;
    if (rule.target) {
      const options = records(rule.target.options);
      if (!options) return;
      target = { kind: rule.target.kind, name: rule.target.name, options };
    }
    this.#byArgs.set(args, { argsAt, rule, matches, target });
  }
}

/** Options whose effect depends on the context of the line (counters, the dump's family). */
const CONTEXT_OPTIONS: ReadonlySet<string> = new Set(['-c', '--set-counters', '-4', '--ipv4', '-6', '--ipv6']);

interface TemplateMatch {
  readonly module: string;
  readonly implicit: boolean;
  readonly options: readonly IptablesOptionRecord[];
}

interface TemplateTarget {
  readonly kind: 'jump' | 'goto';
  readonly name: string;
  readonly options: readonly IptablesOptionRecord[];
}

export interface RuleTemplate {
  /** Column of the first argument on the template's own line. */
  readonly argsAt: number;
  readonly rule: Mutable<IptablesRule>;
  readonly matches: readonly TemplateMatch[];
  readonly target: TemplateTarget | undefined;
}

function records(options: readonly unknown[]): readonly IptablesOptionRecord[] | undefined {
  for (const o of options) if (!(o instanceof IptablesOptionRecord)) return undefined;
  return options as readonly IptablesOptionRecord[];
}

function shifted(options: readonly IptablesOptionRecord[], ctx: CommandContext, delta: number): readonly IptablesOptionRecord[] {
  // An empty list is the reader's shared empty array: keep sharing it.
  if (options.length === 0) return options;
  const out = new Array<IptablesOptionRecord>(options.length);
  for (let k = 0; k < options.length; k++) out[k] = options[k]!.shifted(ctx.lineSpan, delta);
  return out;
}

/**
 * The rule `-A chain` + the template's arguments (starting at column `argsAt` of this line) reads
 * as: the same fields, values and objects shared, option spans on this line. Field order is the
 * reader's, so both give the same shape.
 */
export function ruleFromTemplate(t: RuleTemplate, ctx: CommandContext, chain: string, argsAt: number): Mutable<IptablesRule> {
  const r = t.rule;
  const delta = argsAt - t.argsAt;
  let matches: Mutable<IptablesRule>['matches'] = r.matches;
  if (t.matches.length > 0) {
    const ms = new Array<Mutable<IptablesRule>['matches'][number]>(t.matches.length);
    for (let k = 0; k < t.matches.length; k++) {
      const m = t.matches[k]!;
      const options = shifted(m.options, ctx, delta);
      ms[k] = m.implicit ? { module: m.module, options, implicit: true } : { module: m.module, options };
    }
    matches = ms;
  }
  const rule: Mutable<IptablesRule> = {
    table: ctx.table.name, chain, index: 0, raw: ctx.raw, span: ctx.lineSpan, counters: ctx.counters,
    protocol: r.protocol, source: r.source, destination: r.destination, inInterface: r.inInterface, outInterface: r.outInterface,
    matches, target: t.target ? { kind: t.target.kind, name: t.target.name, options: shifted(t.target.options, ctx, delta) } : undefined, comment: r.comment,
  };
  if (r.fragment) rule.fragment = { negated: r.fragment.negated, value: true };
  return rule;
}
