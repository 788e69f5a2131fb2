import type { Cidr } from '../net/Cidr';
import type { Negatable } from '../net/Negatable';
import { spanInLine, type Span } from '../text/Span';
import type { IptablesCounters, IptablesRule, IptablesTarget, Mutable } from './IptablesModel';
import { IptablesOptionRecord } from './IptablesOptionRecord';
import type { IptablesTokens } from './tokenizeIptablesLine';

/**
 * Rules read before, by the exact text of their arguments (everything after `-A CHAIN `). A
 * Neutron hybrid-firewall dump repeats the same argument text on thousands of chains
 * (`-m state --state INVALID -m comment --comment "..." -j DROP` on every port's two chains): two
 * rules of three there are such repeats. Reading the same text again gives the same rule at
 * shifted columns, so a repeat is a TemplateRule made from the first one without tokenizing or
 * checking the text again. Only rules read without any diagnostic or tally are kept (a problem
 * is reported on every line it appears on), and none with `-c` or `-4`/`-6` (their meaning
 * depends on more than the text). One instance per parsed file: the values it shares belong to
 * that file's model.
 */
export class RuleTemplates {
  readonly #byArgs = new Map<string, RuleTemplate>();

  /** `file`: the parsed file's name, the `file` of every span. */
  constructor(readonly file: string) {}

  get(args: string): RuleTemplate | undefined {
    return this.#byArgs.get(args);
  }

  /**
   * Keeps `rule`, just read cleanly from `toks` (its arguments starting at column `argsAt`), as the
   * template for `args`, if its text alone decides it.
   */
  keep(args: string, argsAt: number, rule: Mutable<IptablesRule>, toks: IptablesTokens): void {
    for (let k = 2; k < toks.count; k++) {
      const t = toks.text[k]!;
      // Only -c, -4, -6 and their long forms (6 and 14 characters) matter: most tokens are ruled out by their length.
      if (!toks.quoted[k] && (t.length === 2 || t.length === 6 || t.length === 14) && CONTEXT_OPTIONS.has(t)) return;
    }
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
    this.#byArgs.set(args, { file: this.file, argsAt, rule, matches, target });
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
  readonly file: string;
  /** Column of the first argument on the template's own line. */
  readonly argsAt: number;
  /** The first rule read from this text: its values are shared by the repeats. */
  readonly rule: Mutable<IptablesRule>;
  readonly matches: readonly TemplateMatch[];
  readonly target: TemplateTarget | undefined;
}

function records(options: readonly unknown[]): readonly IptablesOptionRecord[] | undefined {
  for (const o of options) if (!(o instanceof IptablesOptionRecord)) return undefined;
  return options as readonly IptablesOptionRecord[];
}

function shifted(options: readonly IptablesOptionRecord[], line: Span, delta: number): readonly IptablesOptionRecord[] {
  // An empty list is the reader's shared empty array: keep sharing it.
  if (options.length === 0) return options;
  const out = new Array<IptablesOptionRecord>(options.length);
  for (let k = 0; k < options.length; k++) out[k] = options[k]!.shifted(line, delta);
  return out;
}

/** What a TemplateRule builds on first use. */
interface Built {
  span?: Span;
  matches?: IptablesRule['matches'];
  /** null: built, no target. */
  target?: IptablesTarget | null;
}

/**
 * A repeat of a template's text on another line: the template's rule's values (shared), on its
 * own line. Its span, matches and target are built when first asked for (copies of the template's
 * options at this line's columns): a 42,000-rule dump holds 28,000 repeats, most never looked at
 * one by one, and building their option lists up front was most of the parse's garbage
 * collection. Reads exactly as the reader's plain rule object: the same values, and `toJSON` gives
 * the same keys in the same order.
 */
export class TemplateRule implements IptablesRule {
  table: string;
  chain: string;
  index: number;
  readonly raw: string;
  readonly counters: IptablesCounters | undefined;
  // Set only when the text has `-f` (no own property otherwise, as the reader's rule).
  declare readonly fragment?: Negatable<boolean>;

  readonly #template: RuleTemplate;
  readonly #line: number;
  /** Offset of the line's first character in the whole input. */
  readonly #lineOffset: number;
  /** Where the rule (its raw text) and its arguments start in the line. */
  readonly #start: number;
  readonly #argsAt: number;
  #built: Built | undefined;

  constructor(t: RuleTemplate, table: string, chain: string, raw: string, counters: IptablesCounters | undefined,
    line: number, lineOffset: number, start: number, argsAt: number) {
    this.table = table;
    this.chain = chain;
    this.index = 0;
    this.raw = raw;
    this.counters = counters;
    this.#template = t;
    this.#line = line;
    this.#lineOffset = lineOffset;
    this.#start = start;
    this.#argsAt = argsAt;
    this.#built = undefined;
    const f = t.rule.fragment;
    if (f) (this as { fragment?: Negatable<boolean> }).fragment = { negated: f.negated, value: true };
  }

  // The template's values, shared (the model is read-only).
  get protocol(): Negatable<string> | undefined { return this.#template.rule.protocol; }
  get source(): Negatable<Cidr> | undefined { return this.#template.rule.source; }
  get destination(): Negatable<Cidr> | undefined { return this.#template.rule.destination; }
  get inInterface(): Negatable<string> | undefined { return this.#template.rule.inInterface; }
  get outInterface(): Negatable<string> | undefined { return this.#template.rule.outInterface; }
  get comment(): string | undefined { return this.#template.rule.comment; }

  /** The target's name without building the target (every rule's is checked once per parse). */
  get targetName(): string | undefined {
    return this.#template.target?.name;
  }

  /** Whether a match loads `module`, without building the matches. */
  hasModule(module: string): boolean {
    return this.#template.matches.some((m) => m.module === module);
  }

  get span(): Span {
    const b = (this.#built ??= {});
    return (b.span ??= spanInLine(this.#template.file, this.#line, this.#lineOffset, this.#start, this.#start + this.raw.length));
  }

  get matches(): IptablesRule['matches'] {
    const b = (this.#built ??= {});
    if (b.matches === undefined) {
      const t = this.#template;
      if (t.matches.length === 0) b.matches = t.rule.matches;
      else {
        const line = this.span;
        const delta = this.#argsAt - t.argsAt;
        const ms = new Array<IptablesRule['matches'][number]>(t.matches.length);
        for (let k = 0; k < t.matches.length; k++) {
          const m = t.matches[k]!;
          const options = shifted(m.options, line, delta);
          ms[k] = m.implicit ? { module: m.module, options, implicit: true } : { module: m.module, options };
        }
        b.matches = ms;
      }
    }
    return b.matches;
  }

  get target(): IptablesTarget | undefined {
    const b = (this.#built ??= {});
    if (b.target === undefined) {
      const t = this.#template.target;
      b.target = t ? { kind: t.kind, name: t.name, options: t.options.length === 0 ? t.options : shifted(t.options, this.span, this.#argsAt - this.#template.argsAt) } : null;
    }
    return b.target ?? undefined;
  }

  toJSON(): IptablesRule {
    const o: Mutable<IptablesRule> = {
      table: this.table, chain: this.chain, index: this.index, raw: this.raw, span: this.span, counters: this.counters,
      protocol: this.protocol, source: this.source, destination: this.destination, inInterface: this.inInterface, outInterface: this.outInterface,
      matches: this.matches, target: this.target, comment: this.comment,
    };
    if (this.fragment) o.fragment = this.fragment;
    return o;
  }
}
