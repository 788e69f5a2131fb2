import { spanInLine, type Span } from '../text/Span';
import type { OvsFieldName } from './OvsFieldTable';
import type { MaskedValue, OvsMatchField, OvsPortName } from './OvsMatch';

/** Where a line is in its file: enough to build any span on it (an OvsLineContext is one). */
export interface OvsLineAnchor {
  readonly file: string;
  readonly line: number;
  /** Offset of the line's first character in the whole input. */
  readonly offset: number;
}

/**
 * An `OvsMatchField` whose span is computed when asked for, from its line and two columns. A
 * 20,000-flow dump has ~160,000 match fields; a Span object each was a third of the parsed
 * model's memory. `toJSON` keeps `parse --json` output the same as for a plain object (same keys,
 * same order). `field` and `value` stay writable for the match reader's canonicalisation.
 */
export class OvsMatchFieldRecord implements OvsMatchField {
  field: OvsFieldName;
  value: MaskedValue | OvsPortName;
  readonly text: string;
  readonly nameAsWritten: string;
  readonly raw: string;
  shorthand?: string;
  readonly #line: OvsLineAnchor;
  readonly #start: number;
  readonly #end: number;

  /** `start`/`end` are 0-based offsets of the item within its line. */
  constructor(field: OvsFieldName, value: MaskedValue | OvsPortName, text: string, nameAsWritten: string, raw: string, line: OvsLineAnchor, start: number, end: number) {
    this.field = field;
    this.value = value;
    this.text = text;
    this.nameAsWritten = nameAsWritten;
    this.raw = raw;
    this.shorthand = undefined;
    this.#line = line;
    this.#start = start;
    this.#end = end;
  }

  get span(): Span {
    const l = this.#line;
    return spanInLine(l.file, l.line, l.offset, this.#start, this.#end);
  }

  toJSON(): OvsMatchField {
    const o: { -readonly [K in keyof OvsMatchField]: OvsMatchField[K] } = {
      field: this.field, value: this.value, text: this.text, nameAsWritten: this.nameAsWritten, raw: this.raw, span: this.span,
    };
    if (this.shorthand !== undefined) o.shorthand = this.shorthand;
    return o;
  }
}
