import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as onig from 'vscode-oniguruma';
import { INITIAL, parseRawGrammar, Registry, type IGrammar, type StateStack } from 'vscode-textmate';

/**
 * Runs our grammars through the engine VS Code itself uses (vscode-textmate + vscode-oniguruma,
 * the same Oniguruma wasm), so a snapshot here is what an editor shows.
 */
export const GRAMMAR_LANGUAGES = ['iptables', 'ebtables', 'ovs-flows', 'ovs-trace'] as const;
export type GrammarLanguage = (typeof GRAMMAR_LANGUAGES)[number];

export const projectRoot = path.resolve(__dirname, '../..');

export interface Token {
  readonly text: string;
  /** Scopes without the grammar's root scope (`source.iptables`), outermost first. */
  readonly scopes: readonly string[];
}

export interface TokenizedLine {
  readonly text: string;
  readonly tokens: readonly Token[];
  /** Wall time of this line's `tokenizeLine`. */
  readonly ms: number;
}

let onigReady: Promise<void> | undefined;

function loadOnig(): Promise<void> {
  // loadWASM may run once per process; every caller shares the same promise.
  onigReady ??= onig.loadWASM(readFileSync(path.join(projectRoot, 'node_modules/vscode-oniguruma/release/onig.wasm')).buffer);
  return onigReady;
}

/** A registry that also serves extra grammars (the bench's shellscript) from files. */
export function createRegistry(extra: Readonly<Record<string, string>> = {}): Registry {
  return new Registry({
    onigLib: loadOnig().then(() => ({
      createOnigScanner: (patterns: string[]) => onig.createOnigScanner(patterns),
      createOnigString: (s: string) => onig.createOnigString(s),
    })),
    loadGrammar: (scopeName: string) => {
      const lang = scopeName.replace(/^source\./, '');
      const file = extra[scopeName] ?? ((GRAMMAR_LANGUAGES as readonly string[]).includes(lang) ? path.join(projectRoot, 'syntaxes', `${lang}.tmLanguage.json`) : undefined);
      if (!file) return Promise.resolve(null);
      return Promise.resolve(parseRawGrammar(readFileSync(file, 'utf8'), file));
    },
  });
}

let grammars: Promise<Record<GrammarLanguage, IGrammar>> | undefined;

export function loadGrammars(): Promise<Record<GrammarLanguage, IGrammar>> {
  grammars ??= (async () => {
    const registry = createRegistry();
    const out: Partial<Record<GrammarLanguage, IGrammar>> = {};
    for (const lang of GRAMMAR_LANGUAGES) {
      const g = await registry.loadGrammar(`source.${lang}`);
      if (!g) throw new Error(`grammar source.${lang} did not load`);
      out[lang] = g;
    }
    return out as Record<GrammarLanguage, IGrammar>;
  })();
  return grammars;
}

/** Splits like VS Code does (`\r\n` or `\n`); the state of each line is carried to the next. */
export function tokenizeText(grammar: IGrammar, text: string): TokenizedLine[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  let state: StateStack = INITIAL;
  const out: TokenizedLine[] = [];
  for (const line of lines) {
    const t0 = performance.now();
    const r = grammar.tokenizeLine(line, state);
    const ms = performance.now() - t0;
    state = r.ruleStack;
    out.push({
      text: line,
      ms,
      tokens: r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes.slice(1) })),
    });
  }
  return out;
}

/**
 * The snapshot format: each line as `> text`, then one row per token that is not blank or a
 * bare separator comma:
 * `  "text" scope scope...` (`-` when the token has no scope of its own). `suffix` (`.iptables`)
 * is left out of every scope to keep snapshots small; the scope tests check it is there.
 */
export function formatTokens(lines: readonly TokenizedLine[], suffix = ''): string {
  const out: string[] = [];
  const strip = (s: string): string => (suffix !== '' && s.endsWith(suffix) ? s.slice(0, -suffix.length) : s);
  for (const l of lines) {
    out.push(`> ${l.text}`);
    for (const t of l.tokens) {
      if (/^[\s,]*$/.test(t.text)) continue;
      out.push(`  ${JSON.stringify(t.text)} ${t.scopes.length > 0 ? t.scopes.map(strip).join(' ') : '-'}`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** All tokens of a text whose scopes include one starting with `prefix`. */
export function tokensWithScope(lines: readonly TokenizedLine[], prefix: string): Token[] {
  return lines.flatMap((l) => l.tokens.filter((t) => t.scopes.some((s) => s.startsWith(prefix))));
}

/** The innermost scopes of the first token equal to `text` on a line containing `lineIncludes`. */
export function scopesOf(lines: readonly TokenizedLine[], lineIncludes: string, text: string): readonly string[] | undefined {
  for (const l of lines) {
    if (!l.text.includes(lineIncludes)) continue;
    const t = l.tokens.find((x) => x.text === text);
    if (t) return t.scopes;
  }
  return undefined;
}
