import { spanInLine, type Span } from '../text/Span';
import type { OvsAction } from './OvsAction';
import type { OvsMatch } from './OvsMatch';
import type { OvsLineAnchor } from './OvsMatchFieldRecord';
import { actionsOfList, type OvsActionList } from './parseOvsActions';
import type { OvsFlow, OvsFlowFlag } from './parseOvsDumpFlows';
import { buildOvsMatch, type OwnMatchItem, type ReadItem } from './parseOvsMatch';

/** The counters and timers a flow line may print, in the order `OvsFlow` (and its JSON) lists them. */
export type OvsFlowNumber = 'duration' | 'nPackets' | 'nBytes' | 'nOffloadPackets' | 'nOffloadBytes' | 'idleAge' | 'hardAge' | 'idleTimeout' | 'hardTimeout' | 'importance';

/** Where a dump-flows line is and how it divides, as the reader found it (offsets within the line). */
export interface OvsFlowLine {
  /** The whole input the line is in. */
  readonly text: string;
  readonly file: string;
  readonly line: number;
  /** Offset of the line's first character in `text`. */
  readonly offset: number;
  /** The flow's trimmed extent. */
  readonly start: number;
  readonly end: number;
  readonly matchStart: number;
  readonly matchEnd: number;
  /** After `actions=`. */
  readonly actionsStart: number;
}

/**
 * An `OvsFlow` as the dump-flows reader keeps it: read and checked in full when the dump is parsed
 * (every diagnostic is reported then), but its match, actions and spans are built when first asked
 * for, from the line and the readings the reader shares between flows (a Neutron dump writes the
 * same few thousand items and action lists across 20,000 flows). Most flows of a large dump are
 * never looked at one by one; those that are cost what an eager reader would have spent, once.
 * What a caller sees is the same as a plain object: the same properties and values, and `toJSON`
 * gives the same keys in the same order.
 */
export class OvsFlowRecord implements OvsFlow {
  readonly raw: string;
  readonly cookie: bigint;
  readonly table: number;
  readonly priority: number;
  readonly flags: readonly OvsFlowFlag[];
  // Set by the reader only when the line printed them (no own property otherwise, as before).
  declare readonly duration?: number;
  declare readonly nPackets?: number;
  declare readonly nBytes?: number;
  declare readonly nOffloadPackets?: number;
  declare readonly nOffloadBytes?: number;
  declare readonly idleAge?: number;
  declare readonly hardAge?: number;
  declare readonly idleTimeout?: number;
  declare readonly hardTimeout?: number;
  declare readonly importance?: number;
  declare readonly tableName?: string;

  readonly #line: OvsFlowLine;
  /** (item, start, end) triples of the match items, as parseOvsMatch's buildOvsMatch takes them. */
  readonly #pieces: readonly (ReadItem | OwnMatchItem | number)[];
  /** A shared action list, or this flow's own actions when its list was not shareable. */
  readonly #actionList: OvsActionList | OvsAction[];
  /** Which numbers the line printed, in the order it printed them (the JSON order). */
  readonly #numbers: readonly OvsFlowNumber[];
  #span: Span | undefined;
  #matchSpan: Span | undefined;
  #actionsSpan: Span | undefined;
  #match: OvsMatch | undefined;
  #actions: readonly OvsAction[] | undefined;
  #actionsText: string | undefined;

  constructor(
    line: OvsFlowLine, raw: string, cookie: bigint, table: number, priority: number, flags: readonly OvsFlowFlag[],
    pieces: readonly (ReadItem | OwnMatchItem | number)[], actions: OvsActionList | OvsAction[], numbers: readonly OvsFlowNumber[],
  ) {
    this.raw = raw;
    this.cookie = cookie;
    this.table = table;
    this.priority = priority;
    this.flags = flags;
    this.#line = line;
    this.#pieces = pieces;
    this.#actionList = actions;
    this.#numbers = numbers;
    this.#span = undefined;
    this.#matchSpan = undefined;
    this.#actionsSpan = undefined;
    this.#match = undefined;
    this.#actions = undefined;
    this.#actionsText = undefined;
  }

  get span(): Span {
    const l = this.#line;
    return (this.#span ??= spanInLine(l.file, l.line, l.offset, l.start, l.end));
  }

  /** The match part (`priority=95,arp,...`), zero-length for a catch-all at default priority. */
  get matchSpan(): Span {
    const l = this.#line;
    return (this.#matchSpan ??= spanInLine(l.file, l.line, l.offset, l.matchStart, l.matchEnd));
  }

  get actionsSpan(): Span {
    const l = this.#line;
    return (this.#actionsSpan ??= spanInLine(l.file, l.line, l.offset, l.actionsStart, l.end));
  }

  get actionsText(): string {
    const l = this.#line;
    return (this.#actionsText ??= l.text.slice(l.offset + l.actionsStart, l.offset + l.end));
  }

  get match(): OvsMatch {
    if (!this.#match) {
      const l = this.#line;
      const anchor: OvsLineAnchor = { file: l.file, line: l.line, offset: l.offset };
      // The match's own span covers the flow's match range when nothing is trimmed: one object serves both, as it always has.
      this.#match = buildOvsMatch(anchor, l.text, this.#pieces, l.matchStart, l.matchEnd, this.matchSpan);
    }
    return this.#match;
  }

  get actions(): readonly OvsAction[] {
    if (!this.#actions) {
      const list = this.#actionList;
      const l = this.#line;
      this.#actions = Array.isArray(list) ? list : actionsOfList(list, l.file, l.line, l.offset, l.actionsStart);
    }
    return this.#actions;
  }

  toJSON(): OvsFlow {
    const o: Record<string, unknown> = {
      raw: this.raw, span: this.span, cookie: this.cookie, table: this.table, priority: this.priority, flags: this.flags,
      match: this.match, actions: this.actions, matchSpan: this.matchSpan, actionsSpan: this.actionsSpan, actionsText: this.actionsText,
    };
    for (const k of this.#numbers) o[k] = this[k];
    if (this.tableName !== undefined) o['tableName'] = this.tableName;
    return o as unknown as OvsFlow;
  }
}
