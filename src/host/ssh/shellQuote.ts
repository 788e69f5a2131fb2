/**
 * POSIX sh single quoting: the result is exactly one word whose value is `word`, whatever `word`
 * holds (`it's $(x)` -> `'it'\''s $(x)'`). Inside single quotes nothing is special, so no
 * expansion, globbing or command substitution can happen. NUL cannot be passed in an argument at
 * all, so a word holding one is a programming error and throws.
 */
export function shellQuote(word: string): string {
  if (word.includes('\0')) throw new Error('shellQuote: a NUL byte cannot be part of a shell word');
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** One command line from an argv: every word single-quoted, joined by spaces. */
export function shellJoin(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
