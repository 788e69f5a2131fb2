import { DiagnosticSink, type ParseOptions, type ParseResult } from '../text/Diagnostic';
import { iterateLines, looksBinary } from '../text/lines';
import type { Span } from '../text/Span';
import type { OvsAction } from './OvsAction';
import { ctxSpan, ctxWarning, type OvsLineContext } from './OvsLineContext';
import type { OvsMatch } from './OvsMatch';
import { parseOvsInteger } from './parseOvsFieldValue';
import { readOvsActions } from './parseOvsActions';
import { readOvsMatch } from './parseOvsMatch';

/**
 * Reads `ovs-appctl ofproto/trace` output, the reference the simulator is checked against.
 * OVS 2.7+ prints a tree (tail resubmits are not indented):
 *   `Flow: tcp,in_port=3,...` / `bridge("br0")` / ` 0. ip,in_port=3,nw_src=192.0.2.0/24, priority 32768`
 *   `    resubmit(,2)` / ` 2. tcp,tp_dst=22, priority 32768, cookie 0x5adc15c0` / `    output:1`
 *   `     -> detail` / `     >> warning` / `Final flow:` / `Megaflow:` / `Datapath actions: 1`
 * and, after conntrack, one more pass per recirculation (`recirc(0x1) - resume conntrack ...`).
 * OVS up to 2.6 printed `Bridge: br0`, `Rule: table=0 cookie=0 priority=0,...`,
 * `OpenFlow actions=...`, nested with one tab per resubmit; both are read into the same steps.
 * A line that is not understood is kept as a note and warned; nothing is dropped silently.
 */
export type OvsTraceLineKind = 'action' | 'detail' | 'warning' | 'error' | 'note';

export interface OvsTraceLine {
  readonly kind: OvsTraceLineKind;
  /** Text without indentation and without the `-> `/`>> ` marker. */
  readonly text: string;
  /** Printed indentation level (4 spaces, or one tab in the old format). */
  readonly depth: number;
  /** Set for `action` lines. */
  readonly action?: OvsAction;
  readonly raw: string;
  readonly span: Span;
}

export interface OvsTraceStep {
  /** 0 for the first translation, then one per recirculation (after `ct(table=..)`). */
  readonly pass: number;
  readonly bridge?: string;
  /** OpenFlow table; -1 when the old format's `No match` does not say which. */
  readonly table: number;
  /** Absent when no flow matched. */
  readonly priority?: number;
  readonly cookie?: bigint;
  /** The matched flow's match as printed (`ip,in_port=3,nw_src=192.0.2.0/24`; `''` for a catch-all). */
  readonly matchText: string;
  readonly match?: OvsMatch;
  readonly noMatch: boolean;
  /** `No match.` and similar explanations. */
  readonly resultText?: string;
  /** Action, detail and warning lines printed for this flow, in order. */
  readonly lines: readonly OvsTraceLine[];
  /** The parsed actions of `lines`, in order. */
  readonly actions: readonly OvsAction[];
  /** Printed indentation level of the step line. */
  readonly depth: number;
  /** Logical resubmit depth: 0 for the first table of a pass, +1 per resubmit/goto/patch port. */
  readonly nesting: number;
  /** Index (in `OvsTrace.steps`) of the step whose actions led here. */
  readonly parent?: number;
  /** The step line (`72. ip, priority 10, cookie 0x1234`, `Rule: table=0 ...`). */
  readonly raw: string;
  readonly span: Span;
}

export interface OvsTracePass {
  readonly index: number;
  /** The recirculation banner (`recirc(0x1) - resume conntrack with default ct_state=trk|new ...`). */
  readonly recirc?: string;
  readonly flowText?: string;
  readonly flow?: OvsMatch;
  readonly steps: readonly OvsTraceStep[];
  /** Lines outside any step (`thaw`, `Resuming from table 72`, old-format `Resubmitted ...`). */
  readonly notes: readonly OvsTraceLine[];
  /** `unchanged` or a flow. */
  readonly finalFlow?: string;
  readonly megaflow?: string;
  readonly datapathActions?: string;
  /** `Recursion too deep` from `Translation failed (...), packet is dropped.`. */
  readonly translationFailed?: string;
}

export interface OvsTrace {
  /** `tree`: OVS 2.7+; `legacy`: OVS up to 2.6 (`Rule:` / `OpenFlow actions=`). */
  readonly format: 'tree' | 'legacy';
  /** The bridge the trace started in. */
  readonly bridge?: string;
  /** The input flow (the first `Flow:` line). */
  readonly flowText: string;
  readonly flow?: OvsMatch;
  /** Every step of every pass, in printed (= execution) order. */
  readonly steps: readonly OvsTraceStep[];
  readonly passes: readonly OvsTracePass[];
  /** From the last pass that printed them: the trace's verdict. */
  readonly finalFlow?: string;
  readonly megaflow?: string;
  readonly datapathActions?: string;
  readonly translationFailed?: string;
}

type Mut<T> = { -readonly [K in keyof T]: T[K] };
type MStep = Mut<OvsTraceStep> & { lines: OvsTraceLine[]; actions: OvsAction[] };
type MPass = Mut<OvsTracePass> & { steps: MStep[]; notes: OvsTraceLine[] };

/** An open node of the printed tree: a step (table) or a bridge section. */
interface Frame {
  readonly kind: 'step' | 'bridge';
  readonly level: number;
  /** Printed level of this node's children list; learned from its first child. */
  childLevel?: number;
  readonly step?: MStep;
  readonly stepIndex?: number;
  readonly bridge?: string;
}

const TABLE_RE = /^(\d+)\. (.*)$/;
const BRIDGE_RE = /^bridge\("(.*)"\)$/;
const LEGACY_RULE_RE = /^Rule: table=(\d+) cookie=(0x[0-9a-fA-F]+|\d+)(?: (.*))?$/;
const NO_MATCH_TEXTS = ['No match', 'Packets are IP fragments'];
const NOTE_RE = /^(thaw|Resuming from table \d+|bucket \d+|Resubmitted (flow|regs|megaflow|\s*odp):.*|This flow is handled by the userspace slow path because it:|- .*)$/;

export function parseOvsTrace(text: string, opts: ParseOptions): ParseResult<OvsTrace> {
  const sink = new DiagnosticSink(opts.file);
  const steps: MStep[] = [];
  const passes: MPass[] = [];
  let pass: MPass = { index: 0, steps: [], notes: [] };
  passes.push(pass);
  let format: OvsTrace['format'] = 'tree';
  let topBridge: string | undefined;
  let currentBridge: string | undefined;
  let stack: Frame[] = [];
  let pendingRecirc = false;
  let legacyLast: MStep | undefined;
  if (looksBinary(text)) {
    sink.error(1, 'this file is binary, not ofproto/trace output; nothing read');
    return { value: { format, flowText: '', steps, passes }, diagnostics: sink.diagnostics };
  }

  const startPass = (recirc?: string): void => {
    pass = { index: passes.length, steps: [], notes: [] };
    if (recirc !== undefined) pass.recirc = recirc;
    passes.push(pass);
    stack = [];
    legacyLast = undefined;
    currentBridge = topBridge;
  };
  const bridgeOf = (): string | undefined => {
    for (let i = stack.length - 1; i >= 0; i--) {
      const f = stack[i];
      if (f?.kind === 'bridge') return f.bridge;
    }
    return currentBridge;
  };
  const parentOf = (): Frame | undefined => {
    for (let i = stack.length - 1; i >= 0; i--) if (stack[i]?.kind === 'step') return stack[i];
    return undefined;
  };
  const nestingOf = (): number => stack.filter((f) => f.kind === 'step').length;
  /**
   * Closes the frames a line printed at `level` is not inside of. OVS prints a node of list
   * level L at L (a last, non-terminal node) or L+1 (terminal lines, non-last nodes); a node's
   * children form list level L+2*more. So a terminal line at q is in list q-1, a table at r in
   * list r or r-1, and a frame's child list is learned from its first child.
   */
  const popTo = (level: number, isTerminal: boolean): void => {
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (!top) break;
      if (top.childLevel === undefined) {
        if (isTerminal && level - 1 >= top.level) { top.childLevel = Math.min(level - 1, top.level + 1); return; }
        if (!isTerminal && level >= top.level) { top.childLevel = level >= top.level + 2 ? top.level + 1 : top.level; return; }
      } else if ((isTerminal ? level - 1 : level) >= top.childLevel) {
        return;
      }
      stack.pop();
    }
  };
  const addLine = (ctx: OvsLineContext, kind: OvsTraceLineKind, s: number, bodyStart: number, e: number, depth: number, action?: OvsAction): void => {
    const line: Mut<OvsTraceLine> = { kind, text: ctx.text.slice(bodyStart, e), depth, raw: ctx.text.slice(s, e), span: ctxSpan(ctx, s, e) };
    if (action) line.action = action;
    const owner = format === 'legacy' ? legacyLast : parentOf()?.step;
    if (owner && kind !== 'note') {
      owner.lines.push(line);
      if (action) owner.actions.push(action);
    } else {
      pass.notes.push(line);
    }
  };

  for (const line of iterateLines(text)) {
    const t = line.text;
    let s = 0;
    let tabs = 0;
    while (s < t.length && (t.charCodeAt(s) === 32 || t.charCodeAt(s) === 9)) {
      if (t.charCodeAt(s) === 9) tabs++;
      s++;
    }
    const e = t.trimEnd().length;
    if (s >= e) continue;
    const ctx: OvsLineContext = { file: opts.file, line: line.number, text: t, offset: line.offset, sink };
    const body = t.slice(s, e);
    const level = tabs > 0 ? tabs : Math.floor(s / 4);

    if (/^=+$/.test(body)) { pendingRecirc = true; continue; }
    if (/^-+$/.test(body)) continue;
    if (pendingRecirc && s === 0 && !body.startsWith('Flow: ')) {
      startPass(body);
      pendingRecirc = false;
      continue;
    }
    if (s === 0 && body.startsWith('Flow: ')) {
      pendingRecirc = false;
      if (pass.flowText !== undefined) startPass();
      pass.flowText = body.slice(6);
      pass.flow = readOvsMatch(ctx, 6, e);
      continue;
    }
    if (s === 0 && body.startsWith('Bridge: ')) {
      format = 'legacy';
      currentBridge = body.slice(8);
      topBridge ??= currentBridge;
      continue;
    }
    const bm = BRIDGE_RE.exec(body);
    if (bm) {
      const name = bm[1] ?? '';
      topBridge ??= name;
      if (stack.length === 0 && s === 0) currentBridge = name;
      popTo(level, false);
      stack.push({ kind: 'bridge', level, bridge: name });
      continue;
    }
    if (s === 0 && readSummary(body, pass)) continue;

    const rm = LEGACY_RULE_RE.exec(body);
    if (rm || (format === 'legacy' && (body === 'No match' || body.startsWith('No match,')))) {
      format = 'legacy';
      const parent = [...pass.steps].reverse().find((p) => p.depth < level);
      const table = rm ? Number(rm[1]) : resubmitTarget(parent);
      const step = newStep(ctx, s, e, pass.index, currentBridge, table, level, parent ? parent.nesting + 1 : 0, parent ? steps.indexOf(parent) : undefined);
      if (rm) {
        const matchStart = rm[3] !== undefined ? e - rm[3].length : e;
        step.cookie = parseOvsInteger(rm[2] ?? '0') ?? 0n;
        step.match = readOvsMatch(ctx, matchStart, e);
        step.matchText = step.match.raw;
        step.priority = step.match.priority ?? 32768;
      } else {
        step.noMatch = true;
        step.resultText = body;
      }
      steps.push(step);
      pass.steps.push(step);
      legacyLast = step;
      continue;
    }
    if (format === 'legacy' && body.startsWith('OpenFlow actions=') && legacyLast) {
      const start = s + 'OpenFlow actions='.length;
      for (const a of readOvsActions(ctx, start, e)) legacyLast.actions.push(a);
      legacyLast.lines.push({ kind: 'action', text: t.slice(start, e), depth: level, raw: body, span: ctxSpan(ctx, s, e) });
      continue;
    }
    const tm = format === 'tree' ? TABLE_RE.exec(body) : null;
    if (tm) {
      popTo(level, false);
      const parent = parentOf();
      const step = newStep(ctx, s, e, pass.index, bridgeOf(), Number(tm[1]), level, nestingOf(), parent?.stepIndex);
      readTreeStepBody(ctx, step, s + (tm[1] ?? '').length + 2, e);
      steps.push(step);
      pass.steps.push(step);
      stack.push({ kind: 'step', level, step, stepIndex: steps.length - 1 });
      continue;
    }

    // Detail, warning and error lines of the tree format: ` -> `, ` >> `, ` >>>> ... <<<<`.
    if (body.startsWith('>>>> ') && body.endsWith(' <<<<')) {
      popTo(level, true);
      addLine(ctx, 'error', s, s + 5, e - 5, level);
      continue;
    }
    if (body.startsWith('>> ')) {
      popTo(level, true);
      addLine(ctx, 'warning', s, s + 3, e, level);
      continue;
    }
    if (body.startsWith('-> ')) {
      popTo(level, true);
      addLine(ctx, 'detail', s, s + 3, e, level);
      continue;
    }
    if (NOTE_RE.test(body)) {
      addLine(ctx, 'note', s, s, e, level);
      continue;
    }
    if (format === 'tree' && s > 0) {
      popTo(level, true);
      const inner = new DiagnosticSink(opts.file);
      const actions = readOvsActions({ ...ctx, sink: inner }, s, e);
      const only = actions.length === 1 ? actions[0] : undefined;
      if (only && only.kind !== 'unknown') {
        addLine(ctx, 'action', s, s, e, level, only);
        continue;
      }
      if (only && inner.diagnostics.every((d) => d.severity !== 'error')) {
        for (const d of inner.diagnostics) sink.diagnostics.push(d);
        addLine(ctx, 'action', s, s, e, level, only);
        continue;
      }
    }
    ctxWarning(ctx, s, e, 'line of ofproto/trace output not understood; kept as a note');
    addLine(ctx, 'note', s, s, e, level);
  }

  const first = passes[0];
  const last = [...passes].reverse().find((p) => p.datapathActions !== undefined) ?? passes[passes.length - 1];
  const value: Mut<OvsTrace> = { format, flowText: first?.flowText ?? '', steps, passes };
  if (first?.flow) value.flow = first.flow;
  if (topBridge !== undefined) value.bridge = topBridge;
  if (last?.finalFlow !== undefined) value.finalFlow = last.finalFlow;
  if (last?.megaflow !== undefined) value.megaflow = last.megaflow;
  if (last?.datapathActions !== undefined) value.datapathActions = last.datapathActions;
  if (last?.translationFailed !== undefined) value.translationFailed = last.translationFailed;
  if (!first?.flowText) sink.error(1, 'no "Flow:" line: this does not look like ofproto/trace output');
  return { value, diagnostics: sink.diagnostics };
}

function newStep(
  ctx: OvsLineContext, s: number, e: number, pass: number, bridge: string | undefined,
  table: number, depth: number, nesting: number, parent: number | undefined,
): MStep {
  const step: MStep = {
    pass, table, matchText: '', noMatch: false, lines: [], actions: [], depth, nesting,
    raw: ctx.text.slice(s, e), span: ctxSpan(ctx, s, e),
  };
  if (bridge !== undefined) step.bridge = bridge;
  if (parent !== undefined) step.parent = parent;
  return step;
}

/** `in_port=1,vlan_tci=0x0000/0x1fff, priority 9000, cookie 0x5adc15c0` or `No match.` */
function readTreeStepBody(ctx: OvsLineContext, step: MStep, start: number, e: number): void {
  const body = ctx.text.slice(start, e);
  if (NO_MATCH_TEXTS.some((p) => body.startsWith(p))) {
    step.noMatch = true;
    step.resultText = body;
    return;
  }
  let prioAt = body.startsWith('priority ') ? 0 : body.lastIndexOf(', priority ');
  if (prioAt === -1) {
    ctxWarning(ctx, start, e, 'trace step without "priority N"; matched flow kept as text');
    step.matchText = body;
    step.match = readOvsMatch(ctx, start, e);
    return;
  }
  const matchEnd = start + prioAt;
  if (prioAt > 0) prioAt += 2;
  const rest = body.slice(prioAt + 'priority '.length);
  const m = /^(\d+)(?:, cookie (0x[0-9a-fA-F]+))?$/.exec(rest);
  if (!m) {
    ctxWarning(ctx, start + prioAt, e, `"${rest}" is not "N[, cookie 0x..]"; priority unknown`);
  } else {
    step.priority = Number(m[1]);
    if (m[2] !== undefined) step.cookie = BigInt(m[2]);
  }
  step.matchText = ctx.text.slice(start, matchEnd);
  step.match = readOvsMatch(ctx, start, matchEnd);
}

/** Summary lines at column 0; returns false when the line is not one. */
function readSummary(body: string, pass: MPass): boolean {
  if (body.startsWith('Final flow: ')) { pass.finalFlow = body.slice(12); return true; }
  if (body.startsWith('Megaflow: ')) { pass.megaflow = body.slice(10); return true; }
  if (body.startsWith('Datapath actions: ')) { pass.datapathActions = body.slice(18); return true; }
  if (body === 'Datapath actions:') { pass.datapathActions = ''; return true; }
  const tf = /^Translation failed \((.*)\), packet is dropped\.$/.exec(body);
  if (tf) { pass.translationFailed = tf[1] ?? ''; return true; }
  return false;
}

/** In the old format `No match` does not name its table: take it from the parent's last resubmit. */
function resubmitTarget(parent: MStep | undefined): number {
  if (!parent) return -1;
  for (let i = parent.actions.length - 1; i >= 0; i--) {
    const a = parent.actions[i];
    if (a?.kind === 'resubmit' && a.table !== undefined) return a.table;
    if (a?.kind === 'goto_table') return a.table;
  }
  return -1;
}
