import type { Cidr } from '../net/Cidr';
import type { Negatable } from '../net/Negatable';
import { spanInLine, type Span } from '../text/Span';
import type { IptablesCounters, IptablesOption, IptablesRule, IptablesTarget, Mutable } from './IptablesModel';
import type { IptablesOptionRecord } from './IptablesOptionRecord';
import { readCountersPrefix } from './readCountersPrefix';
import type { RuleTemplate } from './RuleTemplates';

function shifted(options: readonly IptablesOption[], line: Span, delta: number): readonly IptablesOption[] {
  // An empty list is the reader's shared empty array: keep sharing it.
  if (options.length === 0) return options;
  const out = new Array<IptablesOption>(options.length);
  // The reader makes only IptablesOptionRecords (RuleTemplates.keep checked this rule's).
  for (let k = 0; k < options.length; k++) out[k] = (options[k] as IptablesOptionRecord).shifted(line, delta);
  return out;
}

/** What a LazyRule builds on first use. */
interface Built {
  raw?: string;
  span?: Span;
  /** null: built, no counters. */
  counters?: IptablesCounters | null;
  matches?: IptablesRule['matches'];
  /** null: built, no target. */
  target?: IptablesTarget | null;
}

/**
 * A rule whose argument text was read cleanly (on this line or an earlier one), or found to be
 * of the form of such a text with values that pass the reader's checks: the template's
 * values (shared), on its own line. Its raw text, counters, span, matches and target are built
 * when first asked for (the matches and target as copies of the template's options at this
 * line's columns): a 42,000-rule dump has 250,000 options, most never looked at one by one, and
 * building them up front was most of the parse's garbage collection. Everything that can be
 * wrong with the line (the counters prefix, the text) was checked at parse time. Reads exactly
 * as the reader's plain rule object: the same values, and `toJSON` gives the same keys in the
 * same order.
 */
export class LazyRule implements IptablesRule {
  table: string;
  chain: string;
  index: number;
  // Set only when the text has `-f` (no own property otherwise, as the reader's rule).
  declare readonly fragment?: Negatable<boolean>;

  readonly #template: RuleTemplate;
  readonly #line: number;
  /** Offset of the line's first character in the whole input. */
  readonly #lineOffset: number;
  /** Where the rule (its raw text) starts and ends, and where its arguments start, in the line. */
  readonly #start: number;
  readonly #end: number;
  readonly #argsAt: number;
  #built: Built | undefined;

  constructor(t: RuleTemplate, table: string, chain: string, line: number, lineOffset: number, start: number, end: number, argsAt: number) {
    this.table = table;
    this.chain = chain;
    this.index = 0;
    this.#template = t;
    this.#line = line;
    this.#lineOffset = lineOffset;
    this.#start = start;
    this.#end = end;
    this.#argsAt = argsAt;
    this.#built = undefined;
    const f = t.fragment;
    if (f) (this as { fragment?: Negatable<boolean> }).fragment = { negated: f.negated, value: true };
  }

  // The template's values, shared (the model is read-only).
  get protocol(): Negatable<string> | undefined { return this.#template.protocol; }
  get source(): Negatable<Cidr> | undefined { return this.#template.source; }
  get destination(): Negatable<Cidr> | undefined { return this.#template.destination; }
  get inInterface(): Negatable<string> | undefined { return this.#template.inInterface; }
  get outInterface(): Negatable<string> | undefined { return this.#template.outInterface; }
  get comment(): string | undefined { return this.#template.comment; }

  /** The target's name without building the target (every rule's is checked once per parse). */
  targetNameOf(): string | undefined {
    return this.#template.targetName;
  }

  /** Whether a match loads `module`, without building the matches. */
  hasModule(module: string): boolean {
    return this.#template.modules.includes(module);
  }

  get raw(): string {
    const b = (this.#built ??= {});
    return (b.raw ??= this.#template.input.text.slice(this.#lineOffset + this.#start, this.#lineOffset + this.#end));
  }

  get counters(): IptablesCounters | undefined {
    const b = (this.#built ??= {});
    if (b.counters === undefined) {
      const text = this.#template.input.text;
      const at = this.#lineOffset + this.#start;
      // The line starts with its `[packets:bytes]` prefix when it has one (checked when it was read).
      b.counters = text.charCodeAt(at) === 91 ? readCountersPrefix(text, at) : null;
    }
    return b.counters ?? undefined;
  }

  get span(): Span {
    const b = (this.#built ??= {});
    return (b.span ??= spanInLine(this.#template.input.file, this.#line, this.#lineOffset, this.#start, this.#end));
  }

  get matches(): IptablesRule['matches'] {
    const b = (this.#built ??= {});
    if (b.matches === undefined) {
      const line = this.span;
      const r = this.#template.readingFor(line, this.#lineOffset, this.#argsAt);
      if (r.line === line || r.matches.length === 0) b.matches = r.matches;
      else {
        const ms = new Array<IptablesRule['matches'][number]>(r.matches.length);
        for (let k = 0; k < r.matches.length; k++) {
          const m = r.matches[k]!;
          const options = shifted(m.options, line, this.#argsAt - r.argsAt);
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
      const line = this.span;
      const r = this.#template.readingFor(line, this.#lineOffset, this.#argsAt);
      const t = r.target;
      b.target = t === undefined ? null : r.line === line ? t : { kind: t.kind, name: t.name, options: shifted(t.options, line, this.#argsAt - r.argsAt) };
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

/**
 * A LazyRule whose text repeats an earlier line's. It differs only by a `targetName` getter,
 * which repeats had before first readings were lazy too: kept so the model reads the same to
 * code that lists a rule's getters (the golden comparison of parser output does).
 */
export class TemplateRule extends LazyRule {
  get targetName(): string | undefined {
    return this.targetNameOf();
  }
}
