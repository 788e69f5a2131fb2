// Builds the TextMate grammars VS Code loads (syntaxes/<lang>.tmLanguage.json) from their readable
// sources (syntaxes/src/<lang>.tmLanguage.yaml), the way hashicorp/syntax does: YAML so regexes need
// no JSON double escaping, one small named rule per construct with a `comment:`, generated JSON
// committed next to the sources.
//
//   node scripts/build-grammars.mjs           write the JSON files
//   node scripts/build-grammars.mjs --check   fail if a committed JSON file is stale (CI)
//
// Source conventions (checked here, a violation fails the build with the rule's path):
// - `imports: [netfilter-common]` merges syntaxes/src/<name>.fragment.yaml's `variables` and
//   `repository` (the grammar's own entries win), so iptables/ebtables and ovs-flows/ovs-trace
//   share value rules but each keeps its own scope suffix.
// - `{{name}}` in a regex is replaced by `variables.name` (variables may use earlier variables);
//   `{{lang}}` anywhere is the language id, so fragments write `constant.other.mac.{{lang}}`.
// - top-level `patterns` are `include`s only; every repository rule has a `comment`;
//   every scope ends with `.<lang>`; every regex compiles with Oniguruma (vscode-oniguruma, the
//   engine VS Code uses).
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
// js-yaml is already in node_modules (mocha and eslint depend on it); it only runs at build time.
const yaml = require('js-yaml');
const onig = require('vscode-oniguruma');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = path.join(root, 'syntaxes', 'src');
const outDir = path.join(root, 'syntaxes');

export const GRAMMAR_LANGUAGES = ['iptables', 'ebtables', 'ovs-flows', 'ovs-trace'];
const REGEX_KEYS = ['match', 'begin', 'end', 'while'];
const SCOPE_KEYS = ['name', 'contentName'];

function readYaml(file) {
  try {
    return yaml.load(readFileSync(file, 'utf8'), { filename: file });
  } catch (err) {
    // js-yaml's own error carries the whole file; the message with line and column is enough.
    throw new Error(`${path.relative(root, file)}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
}

function expandVariables(vars, lang) {
  const out = { lang };
  for (const [k, v] of Object.entries(vars ?? {})) out[k] = substitute(String(v), out, `variables.${k}`);
  return out;
}

function substitute(text, vars, where) {
  return text.replace(/\{\{(\w+)\}\}/g, (_, name) => {
    if (!(name in vars)) throw new Error(`${where}: unknown variable {{${name}}}`);
    return vars[name];
  });
}

/** Walks a rule tree, substituting variables and checking scopes; returns the rewritten copy. */
function rewrite(node, vars, lang, where, problems) {
  if (Array.isArray(node)) return node.map((n, i) => rewrite(n, vars, lang, `${where}[${i}]`, problems));
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    const at = `${where}.${k}`;
    if (typeof v === 'string') {
      const s = substitute(v, vars, at);
      if (SCOPE_KEYS.includes(k)) {
        for (const scope of s.split(/\s+/).filter(Boolean)) {
          if (!scope.endsWith(`.${lang}`)) problems.push(`${at}: scope "${scope}" does not end with .${lang}`);
        }
      }
      out[k] = s;
    } else {
      out[k] = rewrite(v, vars, lang, at, problems);
    }
  }
  return out;
}

function collectRegexes(node, where, acc) {
  if (Array.isArray(node)) node.forEach((n, i) => collectRegexes(n, `${where}[${i}]`, acc));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (REGEX_KEYS.includes(k) && typeof v === 'string') acc.push({ where: `${where}.${k}`, regex: v });
      else collectRegexes(v, `${where}.${k}`, acc);
    }
  }
}

function checkComments(repository, lang, problems) {
  for (const [name, rule] of Object.entries(repository)) {
    if (typeof rule?.comment !== 'string' || rule.comment.trim() === '') problems.push(`${lang}: repository.${name} has no comment`);
  }
}

function checkIncludes(grammar, lang, problems) {
  const names = new Set(Object.keys(grammar.repository));
  const walk = (node, where) => {
    if (Array.isArray(node)) node.forEach((n, i) => walk(n, `${where}[${i}]`));
    else if (node && typeof node === 'object') {
      if (typeof node.include === 'string' && node.include.startsWith('#') && !names.has(node.include.slice(1))) {
        problems.push(`${where}: include ${node.include} names no repository rule`);
      }
      for (const [k, v] of Object.entries(node)) walk(v, `${where}.${k}`);
    }
  };
  walk(grammar, lang);
  grammar.patterns.forEach((p, i) => {
    if (Object.keys(p).some((k) => k !== 'include')) problems.push(`${lang}: patterns[${i}] must be an include of a named repository rule`);
  });
}

export function buildGrammar(lang) {
  const source = readYaml(path.join(srcDir, `${lang}.tmLanguage.yaml`));
  let variables = {};
  let repository = {};
  for (const imp of source.imports ?? []) {
    const frag = readYaml(path.join(srcDir, `${imp}.fragment.yaml`));
    variables = { ...variables, ...(frag.variables ?? {}) };
    repository = { ...repository, ...(frag.repository ?? {}) };
  }
  variables = { ...variables, ...(source.variables ?? {}) };
  repository = { ...repository, ...(source.repository ?? {}) };
  const vars = expandVariables(variables, lang);
  const problems = [];
  checkComments(repository, lang, problems);
  // Only rules carry scopes; the grammar's own `name` is its display name.
  const grammar = {
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    information_for_contributors: [`Generated by scripts/build-grammars.mjs from syntaxes/src/${lang}.tmLanguage.yaml; edit the source, not this file.`],
    name: source.name,
    scopeName: source.scopeName,
    fileTypes: source.fileTypes ?? [],
    patterns: rewrite(source.patterns, vars, lang, `${lang}.patterns`, problems),
    repository: rewrite(repository, vars, lang, `${lang}.repository`, problems),
  };
  if (grammar.scopeName !== `source.${lang}`) problems.push(`${lang}: scopeName must be source.${lang}`);
  checkIncludes(grammar, lang, problems);
  return { grammar, problems };
}

let onigReady;
async function checkRegexes(grammar, lang, problems) {
  onigReady ??= onig.loadWASM(readFileSync(path.join(root, 'node_modules/vscode-oniguruma/release/onig.wasm')).buffer);
  await onigReady;
  const regexes = [];
  collectRegexes(grammar.repository, `${lang}.repository`, regexes);
  for (const { where, regex } of regexes) {
    if (regex.includes('{{')) problems.push(`${where}: unexpanded variable in ${regex}`);
    try {
      const scanner = onig.createOnigScanner([regex]);
      scanner.dispose();
    } catch (err) {
      problems.push(`${where}: does not compile (${err instanceof Error ? err.message : String(err)}): ${regex}`);
    }
  }
}

export async function buildAll({ check = false } = {}) {
  const allProblems = [];
  const stale = [];
  for (const lang of GRAMMAR_LANGUAGES) {
    const { grammar, problems } = buildGrammar(lang);
    await checkRegexes(grammar, lang, problems);
    allProblems.push(...problems);
    const json = `${JSON.stringify(grammar, null, 2)}\n`;
    const out = path.join(outDir, `${lang}.tmLanguage.json`);
    if (check) {
      if (!existsSync(out) || readFileSync(out, 'utf8') !== json) stale.push(path.relative(root, out));
    } else if (problems.length === 0) {
      writeFileSync(out, json);
    }
  }
  return { problems: allProblems, stale };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  const { problems, stale } = await buildAll({ check });
  for (const p of problems) console.error(`build-grammars: ${p}`);
  for (const s of stale) console.error(`build-grammars: ${s} is stale; run node scripts/build-grammars.mjs`);
  if (problems.length > 0 || stale.length > 0) process.exit(1);
  console.log(check ? 'build-grammars: all grammars up to date' : `build-grammars: wrote ${GRAMMAR_LANGUAGES.map((l) => `syntaxes/${l}.tmLanguage.json`).join(' ')}`);
}
