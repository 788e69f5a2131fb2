import type { Span } from '../text/Span';
import type { IptablesMatch } from './IptablesModel';
import { IptablesOptionRecord } from './IptablesOptionRecord';
import { servicePort } from './iptablesNames';

/**
 * The word scanner behind `translateListOptions`: the options column of one `iptables -L` row as
 * words (a `"..."` LOG prefix and a `/* ... *\/` comment stay one word each), a cursor, and what
 * the readers have produced so far. A reader that fails half-way is undone with `mark`/`reset`.
 */
export interface ListOptionsResult {
  matches: IptablesMatch[];
  targetOptions: IptablesOptionRecord[];
  goto: boolean;
  /** The target as iptables-save names it, when the `-L` target column says otherwise (`CT` for `-j NOTRACK`). */
  targetName?: string;
  comment?: string;
  /** Fragments that could not be translated: the text and its line-relative offset. */
  untranslated: { text: string; start: number; end: number }[];
  /** Service or ICMP names that are not in this tool's tables (kept as text). */
  unknownNames: string[];
}

export interface Tok {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** Splits on blanks; `"..."` (LOG/NFLOG prefixes) and `/* ... *\/` (comments) stay one token each. */
export function scan(line: string, from: number, to: number): Tok[] {
  const out: Tok[] = [];
  let i = from;
  while (i < to) {
    while (i < to && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
    if (i >= to) break;
    const start = i;
    if (line.startsWith('/* ', i) || line.startsWith('/**/', i)) {
      const close = line.indexOf(' */', i + 2);
      const end = close === -1 ? to : close + 3;
      out.push({ text: line.slice(start, end), start, end });
      i = end;
      continue;
    }
    if (line.charCodeAt(i) === 34) {
      const close = line.indexOf('"', i + 1);
      const end = close === -1 || close >= to ? to : close + 1;
      out.push({ text: line.slice(start, end), start, end });
      i = end;
      continue;
    }
    while (i < to && line.charCodeAt(i) !== 32 && line.charCodeAt(i) !== 9) i++;
    out.push({ text: line.slice(start, i), start, end: i });
  }
  return out;
}

export class Scanner {
  i = 0;
  neg = false;
  negStart = -1;
  readonly result: ListOptionsResult = { matches: [], targetOptions: [], goto: false, untranslated: [], unknownNames: [] };
  private readonly built: { module: string; options: IptablesOptionRecord[]; start: number; end: number }[] = [];

  constructor(
    readonly toks: Tok[],
    readonly line: string,
    readonly lineSpan: Span,
    readonly target: string,
  ) {}

  peek(k = 0): string | undefined {
    return this.toks[this.i + k]?.text;
  }

  /** Starts a match, or continues the previous one when it is the same module (conntrack, iprange). */
  match(module: string, start: number, merge = false): { module: string; options: IptablesOptionRecord[]; start: number; end: number } {
    const last = this.built[this.built.length - 1];
    if (merge && last && last.module === module) return last;
    const m = { module, options: [] as IptablesOptionRecord[], start, end: start };
    this.built.push(m);
    return m;
  }

  option(name: string, values: string[], start: number, end: number, negated = false): IptablesOptionRecord {
    return new IptablesOptionRecord(name, negated, values, this.lineSpan, start, end, false);
  }

  /** Undo point: a reader that fails half-way leaves nothing behind. */
  mark(): [number, number, number] {
    return [this.built.length, this.result.targetOptions.length, this.result.unknownNames.length];
  }

  reset(at: [number, number, number]): void {
    this.built.length = at[0];
    this.result.targetOptions.length = at[1];
    this.result.unknownNames.length = at[2];
  }

  finish(): ListOptionsResult {
    for (const b of this.built) {
      this.result.matches.push({ module: b.module, options: b.options, text: this.line.slice(b.start, b.end) });
    }
    return this.result;
  }

  end(): number {
    return this.toks[this.i - 1]?.end ?? 0;
  }
}

export type Reader = (s: Scanner, first: Tok) => boolean;

/** Port text as iptables-save prints it: names to numbers (`ssh` -> `22`), ranges kept (`1024:65535`). */
export function ports(s: Scanner, text: string): string {
  return text
    .split(',')
    .map((part) =>
      part
        .split(':')
        .map((p) => {
          const n = servicePort(p);
          if (n === undefined) {
            s.result.unknownNames.push(p);
            return p;
          }
          return n;
        })
        .join(':'),
    )
    .join(',');
}

/** Options of the rule's target: they are printed after the matches. */
export function targetOption(s: Scanner, name: string, values: string[], start: number, end: number, neg = false): void {
  s.result.targetOptions.push(s.option(name, values, start, end, neg));
}

