import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The shared capture corpus (`shared/corpus/public`), found by walking up from this file to a
 * directory that has it (the project lives next to `shared/`). `undefined` when absent, so
 * corpus tests can say why they skip.
 */
export function findPublicCorpus(): string | undefined {
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'shared', 'corpus', 'public');
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** All regular files under `root`, as paths relative to it, sorted. */
export function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const name of readdirSync(path.join(root, rel))) {
      const r = rel ? `${rel}/${name}` : name;
      if (statSync(path.join(root, r)).isDirectory()) walk(r);
      else out.push(r);
    }
  };
  walk('');
  return out.sort();
}
