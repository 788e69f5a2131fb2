import { spanInLine, type Span } from '../text/Span';
import type { IptablesOption } from './IptablesModel';

/**
 * An `IptablesOption` whose span is computed when asked for, from the rule line's span and two
 * column offsets. A 42,000-rule dump has ~250,000 options; building a Span object for each up
 * front doubled the model's memory and its garbage-collection time. `toJSON` keeps `parse --json`
 * output the same as for a plain object.
 */
export class IptablesOptionRecord implements IptablesOption {
  readonly name: string;
  readonly negated: boolean;
  readonly values: readonly string[];
  readonly unknown?: boolean;
  readonly #line: Span;
  readonly #start: number;
  readonly #end: number;

  /** `line` is a span starting on the option's line; `start`/`end` are offsets within that line. */
  constructor(name: string, negated: boolean, values: readonly string[], line: Span, start: number, end: number, unknown: boolean) {
    this.name = name;
    this.negated = negated;
    this.values = values;
    this.unknown = unknown ? true : undefined;
    this.#line = line;
    this.#start = start;
    this.#end = end;
  }

  /** The same option on another line whose text is the same from `delta` columns further on (a rule template's repeat). */
  shifted(line: Span, delta: number): IptablesOptionRecord {
    return new IptablesOptionRecord(this.name, this.negated, this.values, line, this.#start + delta, this.#end + delta, this.unknown === true);
  }

  get span(): Span {
    const l = this.#line;
    return spanInLine(l.file, l.line, l.offset - (l.column - 1), this.#start, this.#end);
  }

  toJSON(): IptablesOption {
    const o: { -readonly [K in keyof IptablesOption]: IptablesOption[K] } = { name: this.name, negated: this.negated, values: this.values, span: this.span };
    if (this.unknown) o.unknown = true;
    return o;
  }
}
