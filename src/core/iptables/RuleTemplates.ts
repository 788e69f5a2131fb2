import type { Cidr } from '../net/Cidr';
import type { Negatable } from '../net/Negatable';
import { DiagnosticSink } from '../text/Diagnostic';
import { spanInLine, type Span } from '../text/Span';
import type { IptablesRule, IptablesTarget, Mutable } from './IptablesModel';
import { IptablesOptionRecord } from './IptablesOptionRecord';
import { readRuleArguments, sharedCidr, sharedName, sharedTarget, type RuleLineContext, type RuleValueCache } from './readRuleArguments';
import { ArgumentWords, holeValues, scanWords, shapeOf, type RuleShape } from './RuleShapes';
import { IptablesTokens, tokenizeIptablesRange } from './tokenizeIptablesLine';

/**
 * What the rules of one parsed file share: its name (every span's `file`), its text, its value
 * cache, and what reading a rule's arguments again needs (reused from rule to rule: a model
 * whose rules are all looked at reads 14,000 texts again).
 */
export class TemplateInput {
  readonly #toks = new IptablesTokens();
  readonly #ctx: Mutable<RuleLineContext>;

  constructor(readonly file: string, readonly text: string, readonly shared: RuleValueCache) {
    // Nothing is reported: every text read again was read cleanly once (its sink is emptied after each reading).
    this.#ctx = {
      shared, sink: new DiagnosticSink(file), lineNumber: 0, lineText: '', lineSpan: spanInLine(file, 0, 0, 0, 0),
      unknownModules: new Map(), unknownTargets: new Map(), badValues: new Map(),
    };
  }

  /** The matches and target of the arguments `text[lineOffset + argsAt, + length)` on the line whose span is `line`. */
  readArguments(line: Span, lineOffset: number, argsAt: number, length: number): Pick<IptablesRule, 'matches' | 'target'> {
    const toks = tokenizeIptablesRange(this.text, lineOffset, argsAt, argsAt + length, this.#toks);
    const ctx = this.#ctx;
    ctx.lineNumber = line.line;
    ctx.lineSpan = line;
    const rule: Mutable<IptablesRule> = { table: '', chain: '', index: 0, raw: '', span: line, matches: NO_MATCHES };
    readRuleArguments(toks, 0, ctx, rule);
    ctx.sink.diagnostics.length = 0;
    return rule;
  }
}

/**
 * Rules read cleanly, by the exact text of their arguments (everything after `-A CHAIN `). A
 * Neutron hybrid-firewall dump repeats the same argument text on thousands of chains
 * (`-m state --state INVALID -m comment --comment "..." -j DROP` on every port's two chains): two
 * rules of three there are such repeats. Reading the same text again gives the same rule at
 * shifted columns, so a repeat is a TemplateRule of the first one's template without tokenizing or
 * checking the text again. Only rules read without any diagnostic or tally are kept (a problem
 * is reported on every line it appears on), and none with `-c` or `-4`/`-6` (their meaning
 * depends on more than the text). A text no line had before may still be of the same form as one
 * read, with other names and addresses in it (RuleShapes): it becomes a template of its own,
 * made from that one without reading it. One instance per parsed file: the values it shares
 * belong to that file's model.
 */
export class RuleTemplates {
  readonly #byArgs = new Map<string, RuleTemplate>();
  /** Templates with a shape (RuleShapes), by the hash of their form. */
  readonly #byShape = new Map<number, RuleTemplate[]>();
  /** The words of `#scanned`, the last text likeShape took apart. */
  readonly #words = new ArgumentWords();
  #scanned: string | undefined;

  constructor(readonly input: TemplateInput) {}

  /** The template of the previous `-A` line, if it had one, and where to link a template kept next. */
  #last: RuleTemplate | undefined;
  #pending: RuleTemplate | undefined;

  get(args: string): RuleTemplate | undefined {
    // Generated rulesets repeat whole runs of rules (every port's chains list the same texts in the
    // same order), so the text that followed the previous line's text last time is tried first: a
    // string comparison instead of hashing 150 characters. The map decides when the guess is wrong.
    this.#scanned = undefined;
    const last = this.#last;
    const guess = last?.next;
    if (guess !== undefined && guess.args === args) return (this.#last = guess);
    const t = this.#byArgs.get(args);
    if (t !== undefined && last !== undefined) last.next = t;
    this.#last = t;
    this.#pending = t === undefined ? last : undefined;
    return t;
  }

  /**
   * A template for `args` (a text no earlier line had, starting at offset `from` of the input)
   * made from a template of the same shape, when its text differs from that one's only in
   * values that pass their checks (see RuleShapes); undefined otherwise (read it in full).
   */
  likeShape(args: string, from: number): RuleTemplate | undefined {
    const { text, shared } = this.input;
    const words = this.#words;
    this.#scanned = scanWords(text, from, from + args.length, words) ? args : undefined;
    let g: RuleTemplate | undefined;
    let values: string[] | undefined;
    for (const c of (this.#scanned === undefined ? undefined : this.#byShape.get(words.key)) ?? NO_TEMPLATES) {
      values = holeValues(text, from + args.length, words, c.shape!);
      if (values) {
        g = c;
        break;
      }
    }
    if (!g?.shape || !values) return undefined;
    let { source, destination, inInterface, outInterface, targetName } = g;
    for (let h = 0; h < values.length; h++) {
      const v = values[h]!;
      switch (g.shape.roles[h]) {
        case '-s':
        case '-d': {
          const was = g.shape.roles[h] === '-s' ? source : destination;
          const cidr = was ? sharedCidr(shared, was.negated, v) : null;
          if (!cidr) return undefined;
          if (g.shape.roles[h] === '-s') source = cidr;
          else destination = cidr;
          break;
        }
        case '-i':
          if (!inInterface) return undefined;
          inInterface = sharedName(shared, inInterface.negated, v);
          break;
        case '-o':
          if (!outInterface) return undefined;
          outInterface = sharedName(shared, outInterface.negated, v);
          break;
        case '-j':
          targetName = sharedTarget(shared, v);
          break;
        default:
          // An option's value: in the option records only, made when the rule is read again.
          break;
      }
    }
    const t = new RuleTemplate(this.input, args, {
      protocol: g.protocol, source, destination, inInterface, outInterface, comment: g.comment, fragment: g.fragment, targetName, modules: g.modules,
    }, g.shape);
    this.#add(args, t);
    return t;
  }

  /**
   * Makes `rule`, just read cleanly from `toks`, the template for `args` if its text alone
   * decides it (and a template for its shape, from the `roles` the reader gave `toks`, whose
   * positions are relative to the line at `lineOffset`); returns the template, or undefined.
   */
  keep(args: string, rule: IptablesRule, toks: IptablesTokens, lineOffset: number, roles: readonly (string | undefined)[]): RuleTemplate | undefined {
    for (let k = 2; k < toks.count; k++) {
      const t = toks.text[k]!;
      // Only -c, -4, -6 and their long forms (6 and 14 characters) matter: most tokens are ruled out by their length.
      if (!toks.quoted[k] && (t.length === 2 || t.length === 6 || t.length === 14) && CONTEXT_OPTIONS.has(t)) return undefined;
    }
    for (const m of rule.matches) if (!records(m.options)) return undefined;
    if (rule.target && !records(rule.target.options)) return undefined;
    let shape: RuleShape | undefined;
    if (toks.count > 2) {
      const argsFrom = lineOffset + toks.start[2]!;
      // The shape needs this text's words: likeShape took them apart on this line unless its chain was unknown.
      const scanned = this.#scanned === args || scanWords(this.input.text, argsFrom, argsFrom + args.length, this.#words);
      if (scanned) shape = shapeOf(this.input.text, argsFrom + args.length, this.#words, toks, lineOffset, roles);
    }
    const values: TemplateValues = {
      protocol: rule.protocol, source: rule.source, destination: rule.destination, inInterface: rule.inInterface,
      outInterface: rule.outInterface, comment: rule.comment, fragment: rule.fragment, targetName: rule.target?.name,
      modules: rule.matches.length === 0 ? NO_MODULES : rule.matches.map((m) => m.module),
    };
    const t = new RuleTemplate(this.input, args, values, shape);
    if (shape) {
      const same = this.#byShape.get(this.#words.key);
      if (!same) this.#byShape.set(this.#words.key, [t]);
      // A few forms share a hash at most; more templates of one form would only be tried in vain.
      else if (same.length < 4) same.push(t);
    }
    this.#add(args, t);
    return t;
  }

  #add(args: string, t: RuleTemplate): void {
    this.#byArgs.set(args, t);
    if (this.#pending !== undefined) this.#pending.next = t;
    this.#pending = undefined;
    this.#last = t;
  }
}

/** Options whose effect depends on the context of the line (counters, the dump's family). */
const CONTEXT_OPTIONS: ReadonlySet<string> = new Set(['-c', '--set-counters', '-4', '--ipv4', '-6', '--ipv6']);

/**
 * A template's matches and target as the reader made them for the first rule that asked: on that
 * rule's line (`line` is its span), its arguments starting at column `argsAt`. That rule uses
 * them as they are; the others use copies of the options, shifted to their own line and columns.
 */
export interface TemplateReading {
  readonly line: Span;
  readonly argsAt: number;
  readonly matches: IptablesRule['matches'];
  readonly target: IptablesTarget | undefined;
}

function records(options: readonly unknown[]): boolean {
  for (const o of options) if (!(o instanceof IptablesOptionRecord)) return false;
  return true;
}

/** The rule-level values a template shares with its rules. */
interface TemplateValues {
  readonly protocol: Negatable<string> | undefined;
  readonly source: Negatable<Cidr> | undefined;
  readonly destination: Negatable<Cidr> | undefined;
  readonly inInterface: Negatable<string> | undefined;
  readonly outInterface: Negatable<string> | undefined;
  readonly comment: string | undefined;
  readonly fragment: Negatable<boolean> | undefined;
  readonly targetName: string | undefined;
  readonly modules: readonly string[];
}

/**
 * One clean argument text. It keeps the rule-level values of its reading (shared objects from
 * the file's value cache: keeping them costs a reference each; for a text made from another of
 * its shape, that one's with the holes' values) and reads its text for the matches and the target
 * when a rule first asks for them: their option records were most of a parse's memory and
 * garbage collection, and most rules of a big dump are never looked at one by one. That reading is
 * the reader on the same text, so it gives the values the reader gives; the text was found clean
 * at parse time, so there is nothing to report (its diagnostics are dropped).
 */
export class RuleTemplate {
  readonly input: TemplateInput;
  /** The argument text (RuleTemplates' key). */
  readonly args: string;
  /** The template of the line that followed this one's last time (RuleTemplates' guess). */
  next: RuleTemplate | undefined;
  readonly protocol: Negatable<string> | undefined;
  readonly source: Negatable<Cidr> | undefined;
  readonly destination: Negatable<Cidr> | undefined;
  readonly inInterface: Negatable<string> | undefined;
  readonly outInterface: Negatable<string> | undefined;
  readonly comment: string | undefined;
  readonly fragment: Negatable<boolean> | undefined;
  readonly targetName: string | undefined;
  /** The match modules, in order (iptablesFileHints asks whether one is `icmp6`). */
  readonly modules: readonly string[];
  /** The form of this text, when texts of the same form can be made from this one (RuleShapes). */
  readonly shape: RuleShape | undefined;
  #reading: TemplateReading | undefined;

  constructor(input: TemplateInput, args: string, values: TemplateValues, shape: RuleShape | undefined) {
    this.input = input;
    this.args = args;
    this.next = undefined;
    this.protocol = values.protocol;
    this.source = values.source;
    this.destination = values.destination;
    this.inInterface = values.inInterface;
    this.outInterface = values.outInterface;
    this.comment = values.comment;
    this.fragment = values.fragment;
    this.targetName = values.targetName;
    this.modules = values.modules;
    this.shape = shape;
    this.#reading = undefined;
  }

  /**
   * The reading, made (once) for the rule asking: `line` is its span, its arguments (this text)
   * start at column `argsAt` of the line that starts at `lineOffset`.
   */
  readingFor(line: Span, lineOffset: number, argsAt: number): TemplateReading {
    return (this.#reading ??= this.#read(line, lineOffset, argsAt));
  }

  #read(line: Span, lineOffset: number, argsAt: number): TemplateReading {
    const r = this.input.readArguments(line, lineOffset, argsAt, this.args.length);
    return { line, argsAt, matches: r.matches, target: r.target };
  }
}

const NO_MODULES: readonly string[] = [];
const NO_TEMPLATES: readonly RuleTemplate[] = [];
const NO_MATCHES: IptablesRule['matches'] = [];

