import { DiagnosticSink } from '../text/Diagnostic';
import { spanInLine, type Span } from '../text/Span';
import type { OvsAction } from './OvsAction';
import type { OvsLineContext } from './OvsLineContext';
import type { OvsMatch } from './OvsMatch';
import type { OvsReadingCache } from './OvsReadingCache';
import { isOvsStatItem, OVS_FLOW_NUMBERS, type OvsFlowNumber } from './ovsStatKeyAt';
import { actionsOfList, type OvsActionList } from './parseOvsActions';
import type { OvsFlow, OvsFlowFlag } from './parseOvsDumpFlows';
import { ovsMatchOfReadings, readOvsMatch, type ReadItem } from './parseOvsMatch';
import { scanned, scanOvsItemAt, type OvsItem } from './scanOvsItems';

/** The dump a flow comes from: one object per parsed file, shared by its flows. */
export interface OvsFlowSource {
  readonly text: string;
  readonly file: string;
  /** The match item readings of the flows read in one go, one after another (see OvsFlowRecord's constructor). */
  readonly readings: readonly (ReadItem | undefined)[];
  /** The parse's shared readings, so a flow read again later reads its items as the parse did. */
  readonly cache?: OvsReadingCache;
}

/** The numbers a line printed: by OVS_FLOW_NUMBERS index, and in the order it printed them (their JSON order). */
export interface OvsFlowNumbers {
  readonly values: readonly (number | undefined)[];
  readonly order: readonly OvsFlowNumber[];
}

/** How a flow line divides (offsets within the line), found again from the text when first needed. */
interface Layout {
  /** The line without its terminator. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly matchStart: number;
  readonly matchEnd: number;
  /** Where `actions=` is. */
  readonly actionsAt: number;
}

/** What is built on first use, kept together so a flow nobody looks at carries one empty slot. */
interface Built {
  layout?: Layout;
  raw?: string;
  span?: Span;
  matchSpan?: Span;
  actionsSpan?: Span;
  actionsText?: string;
  match?: OvsMatch;
  actions?: readonly OvsAction[];
}

const ACTIONS = 'actions='.length;

/**
 * An `OvsFlow` as the dump-flows reader keeps it: read and checked in full when the dump is parsed
 * (every diagnostic is reported then), but its match, actions, raw text and spans are built when
 * first asked for. The match is built from the shared readings of its items the reader kept, or,
 * for a line the reader did not read in one go, read again from the line (the same reader, so the
 * same result; any problem was reported at parse time); a shared action list is copied with this
 * line's spans. A flow nobody looks at one by one (most of a large dump) carries a few numbers and
 * references: parsing a 20,000-flow dump is about three times faster and holds a tenth of the
 * memory until flows are asked for. A caller sees what a plain object would show: the same
 * property values, and `toJSON` gives the same keys in the same order.
 */
export class OvsFlowRecord implements OvsFlow {
  readonly cookie: bigint;
  readonly table: number;
  readonly priority: number;
  readonly flags: readonly OvsFlowFlag[];
  // Set by the reader only when the line printed it (no own property otherwise, as before).
  declare readonly tableName?: string;

  readonly #source: OvsFlowSource;
  readonly #line: number;
  /** Offset of the line's first character in the source text. */
  readonly #offset: number;
  /** A shared action list, or this flow's own actions when its list was not shareable. */
  readonly #actionList: OvsActionList | readonly OvsAction[];
  readonly #numbers: OvsFlowNumbers | undefined;
  /**
   * For a line the reader read in one go (parseOvsDumpFlows' readFlowFast): its match items'
   * shared readings are `source.readings[readingsAt, readingsEnd)`, in order (undefined for an
   * empty item between two commas), and the match runs `matchRange` (`start * 65536 + end`,
   * offsets in the line). The match is then built from them without reading the line again.
   * `readingsAt` is -1 for the other lines.
   */
  readonly #readingsAt: number;
  readonly #readingsEnd: number;
  readonly #matchRange: number;
  #built: Built | undefined;

  constructor(
    source: OvsFlowSource, line: number, offset: number, cookie: bigint, table: number, priority: number, flags: readonly OvsFlowFlag[],
    actions: OvsActionList | readonly OvsAction[], numbers: OvsFlowNumbers | undefined,
    readingsAt = -1, readingsEnd = -1, matchStart = 0, matchEnd = 0,
  ) {
    this.cookie = cookie;
    this.table = table;
    this.priority = priority;
    this.flags = flags;
    this.#source = source;
    this.#line = line;
    this.#offset = offset;
    this.#actionList = actions;
    this.#numbers = numbers;
    // Offsets that do not fit (lines over 32 KiB) leave the match to be read from the line.
    const fits = readingsAt >= 0 && matchStart < 32768 && matchEnd < 65536;
    this.#readingsAt = fits ? readingsAt : -1;
    this.#readingsEnd = readingsEnd;
    this.#matchRange = fits ? matchStart * 65536 + matchEnd : 0;
    this.#built = undefined;
  }

  get duration(): number | undefined { return this.#numbers?.values[0]; }
  get nPackets(): number | undefined { return this.#numbers?.values[1]; }
  get nBytes(): number | undefined { return this.#numbers?.values[2]; }
  get nOffloadPackets(): number | undefined { return this.#numbers?.values[3]; }
  get nOffloadBytes(): number | undefined { return this.#numbers?.values[4]; }
  get idleAge(): number | undefined { return this.#numbers?.values[5]; }
  get hardAge(): number | undefined { return this.#numbers?.values[6]; }
  get idleTimeout(): number | undefined { return this.#numbers?.values[7]; }
  get hardTimeout(): number | undefined { return this.#numbers?.values[8]; }
  get importance(): number | undefined { return this.#numbers?.values[9]; }

  get raw(): string {
    const b = this.#b();
    if (b.raw === undefined) {
      const l = this.#layout();
      b.raw = l.text.slice(l.start, l.end);
    }
    return b.raw;
  }

  get span(): Span {
    const b = this.#b();
    if (!b.span) {
      const l = this.#layout();
      b.span = spanInLine(this.#source.file, this.#line, this.#offset, l.start, l.end);
    }
    return b.span;
  }

  /** The match part (`priority=95,arp,...`), zero-length for a catch-all at default priority. */
  get matchSpan(): Span {
    const b = this.#b();
    if (!b.matchSpan) {
      const l = this.#layout();
      b.matchSpan = spanInLine(this.#source.file, this.#line, this.#offset, l.matchStart, l.matchEnd);
    }
    return b.matchSpan;
  }

  get actionsSpan(): Span {
    const b = this.#b();
    if (!b.actionsSpan) {
      const l = this.#layout();
      b.actionsSpan = spanInLine(this.#source.file, this.#line, this.#offset, l.actionsAt + ACTIONS, l.end);
    }
    return b.actionsSpan;
  }

  get actionsText(): string {
    const b = this.#b();
    if (b.actionsText === undefined) {
      const l = this.#layout();
      b.actionsText = l.text.slice(l.actionsAt + ACTIONS, l.end);
    }
    return b.actionsText;
  }

  get match(): OvsMatch {
    const b = this.#b();
    if (!b.match) {
      const l = this.#layout();
      const src = this.#source;
      // The match's own span covers the flow's match range when nothing is trimmed: one object serves both, as it always has.
      if (this.#readingsAt >= 0) {
        const line = { file: src.file, line: this.#line, offset: this.#offset, text: l.text };
        b.match = ovsMatchOfReadings(line, l.matchStart, l.matchEnd, src.readings, this.#readingsAt, this.#readingsEnd, this.matchSpan);
      }
      else {
        // Problems of these items were reported when the dump was parsed: reading them again reports to no one.
        const ctx: OvsLineContext = { file: src.file, line: this.#line, text: l.text, offset: this.#offset, sink: SILENT, cache: src.cache };
        b.match = readOvsMatch(ctx, l.matchStart, l.matchEnd, matchItems(l), this.matchSpan);
      }
    }
    return b.match;
  }

  get actions(): readonly OvsAction[] {
    const b = this.#b();
    if (!b.actions) {
      const list = this.#actionList;
      b.actions = isActionArray(list) ? list : actionsOfList(list, this.#source.file, this.#line, this.#offset, this.#layout().actionsAt + ACTIONS);
    }
    return b.actions;
  }

  #b(): Built {
    return (this.#built ??= {});
  }

  /** The line divided as parseOvsDumpFlows divided it (same trimming, same `actions=`, same items). */
  #layout(): Layout {
    const b = this.#b();
    if (b.layout) return b.layout;
    const src = this.#source.text;
    let lineEnd = src.indexOf('\n', this.#offset);
    if (lineEnd === -1) lineEnd = src.length;
    if (lineEnd > this.#offset && src.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    const text = src.slice(this.#offset, lineEnd);
    let start = 0;
    while (start < text.length && (text.charCodeAt(start) === 32 || text.charCodeAt(start) === 9)) start++;
    let end = text.length;
    while (end > start && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9)) end--;
    let actionsAt = text.indexOf('actions=', start);
    while (actionsAt !== -1) {
      const prev = actionsAt === start ? 32 : text.charCodeAt(actionsAt - 1);
      if (prev === 32 || prev === 44 || prev === 9) break;
      actionsAt = text.indexOf('actions=', actionsAt + 1);
    }
    if (this.#readingsAt >= 0) {
      const r = this.#matchRange;
      return (b.layout = { text, start, end, actionsAt, matchStart: Math.floor(r / 65536), matchEnd: r % 65536 });
    }
    // The match runs from the first match item to the last (stats may sit anywhere among them).
    let matchStart = -1;
    let matchEnd = actionsAt;
    const s = scanned;
    for (let i = start; i < actionsAt;) {
      i = scanOvsItemAt(text, i, actionsAt);
      if (i === -1) break;
      if (isOvsStatItem(text, s.start, s.keyEnd, s.delim)) continue;
      if (matchStart === -1) matchStart = s.start;
      matchEnd = s.end;
    }
    return (b.layout = { text, start, end, actionsAt, matchStart: matchStart === -1 ? actionsAt : matchStart, matchEnd });
  }

  toJSON(): OvsFlow {
    const o: Record<string, unknown> = {
      raw: this.raw, span: this.span, cookie: this.cookie, table: this.table, priority: this.priority, flags: this.flags,
      match: this.match, actions: this.actions, matchSpan: this.matchSpan, actionsSpan: this.actionsSpan, actionsText: this.actionsText,
    };
    const n = this.#numbers;
    if (n) for (const k of n.order) o[k] = n.values[OVS_FLOW_NUMBERS.indexOf(k)];
    if (this.tableName !== undefined) o['tableName'] = this.tableName;
    return o as unknown as OvsFlow;
  }
}

/** Where re-read items report: their problems were reported when the dump was parsed. */
class SilentSink extends DiagnosticSink {
  override add(): void {
    // Nothing: see above.
  }
}

const SILENT = new SilentSink('');

/** The match items of a laid-out line, as readOvsMatch takes them. */
function matchItems(l: Layout): OvsItem[] {
  const items: OvsItem[] = [];
  const s = scanned;
  for (let i = l.matchStart; i < l.matchEnd;) {
    i = scanOvsItemAt(l.text, i, l.matchEnd);
    if (i === -1) break;
    if (isOvsStatItem(l.text, s.start, s.keyEnd, s.delim)) continue;
    items.push({ start: s.start, end: s.end, keyEnd: s.keyEnd, delim: s.delim, valueStart: s.valueStart, valueEnd: s.valueEnd, unclosed: s.unclosed });
  }
  return items;
}

function isActionArray(list: OvsActionList | readonly OvsAction[]): list is readonly OvsAction[] {
  return Array.isArray(list);
}
