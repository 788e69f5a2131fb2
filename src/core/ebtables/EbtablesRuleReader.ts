import type { DiagnosticSink } from '../text/Diagnostic';
import type { Line } from '../text/lines';
import { spanInLine, type Span } from '../text/Span';
import { EBTABLES_DECODERS, EBTABLES_DECODER_EXPECTS } from './decodeEbtablesValue';
import { EBTABLES_MATCH_OPTIONS, EBTABLES_TARGET_EXTENSIONS, type EbtablesOptionSpec } from './ebtablesOptionTable';
import { EBTABLES_VERDICTS, type EbtablesCounters, type EbtablesOption, type EbtablesTarget, type EbtablesVerdict } from './EbtablesRule';
import type { EbtablesToken } from './tokenizeEbtablesLine';

/**
 * Reads one rule's matches, target and counters from tokens, in every spelling ebtables prints:
 * `-p IPv4 --ip-src ! 10.16.0.131 -j DROP` (bang after the option: legacy and nft <= 1.8.9),
 * `! -p IPv4 -j DROP` (nft >= 1.8.10), `-j mark --mark-set 0x1 --mark-target CONTINUE`,
 * `, pcnt = 0 -- bcnt = 0` (`-L --Lc`; callers first split legacy's glued `-j foo, pcnt`),
 * `-c 0 0` (save with EBTABLES_SAVE_COUNTER, and `--Lx --Lc`), `1. ` / `1 ` rule numbers (`--Ln`).
 *
 * In `split` mode (a dump whose newlines were lost, several rules on one line) the rule ends
 * after its target, the target's options and counters; otherwise it takes the rest of the tokens.
 * Bad input: unknown options are kept (`known: false`) with a warning; stray tokens are skipped
 * with an error; a missing `-j` reads as CONTINUE (ebtables' default) with a warning.
 * One reader serves a whole file (no per-rule closures: 42,000 rules must parse in well under a second).
 */
export interface ParsedRuleTokens {
  readonly options: EbtablesOption[];
  readonly target: EbtablesTarget;
  readonly counters?: EbtablesCounters;
  readonly ruleNumber?: number;
  /** Index of the first token after this rule. */
  readonly next: number;
  /** Column range of the rule text in the line. */
  readonly start: number;
  readonly end: number;
  /** Evidence of the backend that printed it (`nft`: `! -p` before the option, or `1 ` rule numbers). */
  readonly backendHint?: 'legacy' | 'nft';
}

const VERDICTS: ReadonlySet<string> = new Set(EBTABLES_VERDICTS);
const UINT = /^\d{1,20}$/;
const RULE_NUMBER = /^\d{1,9}\.?$/;
const PCNT_WORDS = ['pcnt', '=', undefined, '--', 'bcnt', '=', undefined] as const;

/** Counters are mostly `0`: skip BigInt's string parsing for the common small values. */
function toBigInt(digits: string): bigint {
  return digits.length < 16 ? BigInt(Number(digits)) : BigInt(digits);
}

function isVerdict(text: string): text is EbtablesVerdict {
  return VERDICTS.has(text);
}

function looksLikeOption(text: string): boolean {
  if (text.length < 2 || text.charCodeAt(0) !== 45 /* - */) return false;
  const c = text.charCodeAt(1);
  return c < 48 || c > 57;
}

export class EbtablesRuleReader {
  // Per-rule state, reset by read().
  private tokens: readonly EbtablesToken[] = [];
  private line: Line = { text: '', number: 1, offset: 0 };
  private ruleEnd = 0;
  private counters: EbtablesCounters | undefined;
  private backendHint: 'legacy' | 'nft' | undefined;

  constructor(private readonly file: string, private readonly sink: DiagnosticSink) {}

  read(tokens: readonly EbtablesToken[], startIndex: number, line: Line, split: boolean, allowRuleNumber: boolean): ParsedRuleTokens {
    this.tokens = tokens;
    this.line = line;
    this.counters = undefined;
    this.backendHint = undefined;
    const n = tokens.length;
    let i = startIndex;
    const first = tokens[i];
    const ruleStart = first ? first.start : line.text.length;
    this.ruleEnd = ruleStart;
    let ruleNumber: number | undefined;

    if (allowRuleNumber && first && RULE_NUMBER.test(first.text)) {
      ruleNumber = parseInt(first.text, 10);
      if (!first.text.endsWith('.')) this.backendHint = 'nft';
      this.ruleEnd = first.end;
      i++;
    }

    const options: EbtablesOption[] = [];
    let pendingBang: EbtablesToken | undefined;
    let target: EbtablesTarget | undefined;

    while (i < n) {
      const t = tokens[i];
      if (!t) break;
      const text = t.text;
      if (text === '!') {
        if (pendingBang) this.warn(t, '`!` written twice; read as one negation');
        pendingBang = t;
        i++;
        continue;
      }
      if (text === '-j' || text === '--jump') {
        if (pendingBang) {
          this.warn(pendingBang, '`!` before -j has no meaning; ignored');
          pendingBang = undefined;
        }
        const r = this.readTarget(i, split);
        target = r.target;
        i = r.next;
        if (split) break;
        continue;
      }
      if (target && !split) {
        this.err(t, `unexpected \`${text}\` after the target; ignored`);
        i++;
        continue;
      }
      if (text === '-c' && !split) {
        const after = this.readDashC(i);
        if (after !== i) {
          i = after;
          continue;
        }
      }
      if (looksLikeOption(text)) {
        const spec = EBTABLES_MATCH_OPTIONS.get(text);
        const bang = pendingBang;
        if (bang && spec?.arity === 1) this.backendHint = 'nft';
        pendingBang = undefined;
        i = this.readOption(i, spec, bang, options);
        continue;
      }
      if (split && allowRuleNumber && RULE_NUMBER.test(text)) break;
      this.err(t, `unexpected \`${text}\`: expected an ebtables option; ignored`);
      this.ruleEnd = Math.max(this.ruleEnd, t.end);
      i++;
    }
    if (pendingBang) this.warn(pendingBang, '`!` at the end of the rule negates nothing; ignored');

    if (!target) {
      const at = tokens[i - 1] ?? first;
      if (at) this.warn(at, 'rule has no -j target; read as CONTINUE, as ebtables does');
      else this.sink.warning(line.number, 'empty rule; read as CONTINUE', line.text);
      target = { kind: 'verdict', name: 'CONTINUE', verdict: 'CONTINUE', options: [], span: this.span(this.ruleEnd, this.ruleEnd) };
    }
    const last = tokens[i - 1];
    if (last && i > startIndex) this.ruleEnd = Math.max(this.ruleEnd, last.end);

    const out: { -readonly [K in keyof ParsedRuleTokens]: ParsedRuleTokens[K] } = { options, target, next: i, start: ruleStart, end: this.ruleEnd };
    if (this.counters) out.counters = this.counters;
    if (ruleNumber !== undefined) out.ruleNumber = ruleNumber;
    if (this.backendHint) out.backendHint = this.backendHint;
    return out;
  }

  private span(a: number, b: number): Span {
    return spanInLine(this.file, this.line.number, this.line.offset, a, b);
  }

  private err(t: EbtablesToken, message: string): void {
    this.sink.error(this.line.number, message, this.line.text, t.start + 1, t.end + 1);
  }

  private warn(t: EbtablesToken, message: string): void {
    this.sink.warning(this.line.number, message, this.line.text, t.start + 1, t.end + 1);
  }

  /** Reads `pcnt = N -- bcnt = M` starting at `tokens[k]` (just after the comma). */
  private readPcnt(k: number): number {
    const tokens = this.tokens;
    let j = k;
    let packets = '';
    let bytes = '';
    for (const w of PCNT_WORDS) {
      const t = tokens[j];
      if (!t || (w !== undefined && t.text !== w) || (w === undefined && !UINT.test(t.text))) {
        const at = t ?? tokens[j - 1];
        if (at) this.err(at, 'malformed counters: expected `, pcnt = N -- bcnt = M`; counters ignored');
        return j;
      }
      if (w === undefined) {
        if (packets === '') packets = t.text;
        else bytes = t.text;
      }
      this.ruleEnd = t.end;
      j++;
    }
    this.counters = { packets: toBigInt(packets), bytes: toBigInt(bytes) };
    return j;
  }

  /** `-c N M`; returns the next index, or `k` when the tokens are not counters. */
  private readDashC(k: number): number {
    const a = this.tokens[k + 1];
    const b = this.tokens[k + 2];
    if (!a || !b || !UINT.test(a.text) || !UINT.test(b.text)) return k;
    this.counters = { packets: toBigInt(a.text), bytes: toBigInt(b.text) };
    this.ruleEnd = b.end;
    return k + 3;
  }

  /** Reads one option at `tokens[k]` (its name) into `into`; `bang` is the `!` before it if any. */
  private readOption(k: number, spec: EbtablesOptionSpec | undefined, bang: EbtablesToken | undefined, into: EbtablesOption[]): number {
    const tokens = this.tokens;
    const nameTok = tokens[k];
    if (!nameTok) return k + 1;
    let negated = bang !== undefined;
    let j = k + 1;
    const values: string[] = [];
    let lastEnd = nameTok.end;
    if (spec) {
      if (spec.arity === 1) {
        const maybeBang = tokens[j];
        if (maybeBang && maybeBang.text === '!') {
          if (negated) this.warn(maybeBang, `\`!\` written twice for ${nameTok.text}; read as one negation`);
          negated = true;
          lastEnd = maybeBang.end;
          j++;
        }
        const v = tokens[j];
        if (!v || looksLikeOption(v.text)) {
          this.err(nameTok, `ebtables option ${nameTok.text} needs a value; option ignored`);
          return j;
        }
        values.push(v.value);
        lastEnd = v.end;
        j++;
      }
    } else {
      this.warn(nameTok, `unknown ebtables option ${nameTok.text}; rule kept, option kept as text and not evaluated`);
      while (j < tokens.length) {
        const v = tokens[j];
        if (!v || looksLikeOption(v.text) || v.text === '!' || v.text === ',') break;
        values.push(v.value);
        lastEnd = v.end;
        j++;
      }
    }
    const option: { -readonly [K in keyof EbtablesOption]: EbtablesOption[K] } = {
      name: spec?.name ?? nameTok.text,
      written: nameTok.text,
      negated,
      values,
      known: spec !== undefined,
      span: this.span(bang ? bang.start : nameTok.start, lastEnd),
    };
    const value = values[0];
    if (spec?.decoder && value !== undefined) {
      const decoded = EBTABLES_DECODERS[spec.decoder](value);
      if (decoded) option.decoded = decoded;
      else this.warn(tokens[j - 1] ?? nameTok, `cannot read \`${value}\` of ${nameTok.text} as ${EBTABLES_DECODER_EXPECTS[spec.decoder]}; option kept as text and not evaluated`);
    }
    into.push(option);
    this.ruleEnd = lastEnd;
    return j;
  }

  /** Reads `-j NAME [target options] [counters]` with `tokens[k]` the `-j`. */
  private readTarget(k: number, split: boolean): { target: EbtablesTarget; next: number } {
    const tokens = this.tokens;
    const n = tokens.length;
    const jTok = tokens[k];
    const nameTok = tokens[k + 1];
    if (!jTok) return { target: { kind: 'verdict', name: 'CONTINUE', verdict: 'CONTINUE', options: [], span: this.span(0, 0) }, next: k + 1 };
    if (!nameTok || looksLikeOption(nameTok.text) || nameTok.text === ',') {
      this.err(jTok, '`-j` without a target; read as CONTINUE');
      this.ruleEnd = jTok.end;
      return { target: { kind: 'verdict', name: 'CONTINUE', verdict: 'CONTINUE', options: [], span: this.span(jTok.start, jTok.end) }, next: k + 1 };
    }
    const name = nameTok.text;
    const ext = EBTABLES_TARGET_EXTENSIONS.get(name);
    const verdictTarget = isVerdict(name);
    const targetOptions: EbtablesOption[] = [];
    let targetEnd = nameTok.end;
    this.ruleEnd = nameTok.end;
    let verdict: EbtablesVerdict | undefined;
    let unknownExtension = false;
    let j = k + 2;

    while (j < n) {
      const t = tokens[j];
      if (!t) break;
      const text = t.text;
      if (text === ',') {
        j = this.readPcnt(j + 1);
        break;
      }
      if (text === '-c' || text === '--set-counters') {
        const after = this.readDashC(j);
        if (after !== j) {
          j = after;
          continue;
        }
      }
      if (split && (text === '!' || text === '-j' || RULE_NUMBER.test(text) || EBTABLES_MATCH_OPTIONS.has(text))) break;
      if (!looksLikeOption(text)) {
        if (split) break;
        this.err(t, `unexpected \`${text}\` after target ${name}; ignored`);
        j++;
        continue;
      }
      const optSpec = ext?.options.get(text);
      if (!ext && verdictTarget) {
        if (split) break;
        this.err(t, `unexpected \`${text}\` after target ${name}: standard targets take no options; ignored`);
        j++;
        continue;
      }
      if (!ext) unknownExtension = true;
      j = this.readOption(j, optSpec, undefined, targetOptions);
      const last = targetOptions[targetOptions.length - 1];
      if (last) targetEnd = last.span.endColumn - 1;
      if (last && ext && last.name === ext.verdictOption) {
        const v = last.values[0];
        if (v !== undefined && isVerdict(v)) verdict = v;
        else if (v !== undefined) this.warn(tokens[j - 1] ?? t, `${ext.verdictOption} ${v} is not ACCEPT, DROP, RETURN or CONTINUE; read as ${ext.defaultVerdict}`);
      }
    }

    const span = this.span(jTok.start, targetEnd);
    let target: EbtablesTarget;
    if (verdictTarget) {
      target = { kind: 'verdict', name, verdict: name, options: targetOptions, span };
    } else if (ext) {
      target = { kind: 'extension', name, verdict: verdict ?? ext.defaultVerdict, options: targetOptions, span, known: true };
    } else if (unknownExtension || targetOptions.length > 0) {
      this.warn(nameTok, `unknown ebtables target extension ${name}; rule kept, not evaluated`);
      target = { kind: 'extension', name, verdict: 'CONTINUE', options: targetOptions, span, known: false };
    } else {
      target = { kind: 'jump', name, chain: name, options: targetOptions, span };
    }
    return { target, next: j };
  }
}

/** One-off convenience for a single rule (tests, hover): a reader per call. */
export function parseEbtablesRuleTokens(
  tokens: readonly EbtablesToken[],
  startIndex: number,
  ctx: { readonly file: string; readonly line: Line; readonly sink: DiagnosticSink; readonly split: boolean; readonly allowRuleNumber: boolean },
): ParsedRuleTokens {
  return new EbtablesRuleReader(ctx.file, ctx.sink).read(tokens, startIndex, ctx.line, ctx.split, ctx.allowRuleNumber);
}
