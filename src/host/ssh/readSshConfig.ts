import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineType, parse as parseSshConfigText, type Line, type SSHConfig } from 'ssh-config';
import { matchWildcard } from './matchHostPattern';

export interface LoadedSshConfig {
  readonly config: SSHConfig;
  /** Files read, in order (the main file and every Include). */
  readonly files: readonly string[];
  /** What was ignored and why (unreadable Include, include depth, ...); never fatal. */
  readonly warnings: readonly string[];
}

const MAX_INCLUDE_DEPTH = 16;

/**
 * Reads ssh_config files into one parsed config with every `Include` expanded in place, which the
 * `ssh-config` package does not do. Relative Include paths are relative to `includeBase` (~/.ssh
 * for the user's file, /etc/ssh for the system one); `*` and `?` globs are expanded and sorted as
 * glob(3) does. An Include inside a Host/Match block adds its directives to that block. A missing
 * file is an empty config.
 */
export function readSshConfig(files: readonly { readonly file: string; readonly includeBase: string }[], homeDir: string): LoadedSshConfig {
  const warnings: string[] = [];
  const read: string[] = [];
  const root = parseSshConfigText('');
  for (const { file, includeBase } of files) {
    const text = readIfExists(file, warnings);
    if (text === undefined) continue;
    read.push(file);
    root.push(...expand(parseSshConfigText(text), includeBase, homeDir, 0, warnings, read));
  }
  return { config: root, files: read, warnings };
}

function readIfExists(file: string, warnings: string[]): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') warnings.push(`${file}: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

function directiveValues(line: Line): string[] {
  if (line.type !== LineType.DIRECTIVE) return [];
  const v = line.value;
  if (typeof v === 'string') return v.split(/\s+/).filter((x) => x.length > 0);
  return v.map((x) => x.val);
}

function expand(lines: Iterable<Line>, base: string, home: string, depth: number, warnings: string[], read: string[]): Line[] {
  const out: Line[] = [];
  for (const line of lines) {
    if (line.type === LineType.DIRECTIVE && /^include$/i.test(line.param)) {
      if (depth >= MAX_INCLUDE_DEPTH) {
        warnings.push(`Include nested deeper than ${MAX_INCLUDE_DEPTH}; ignored`);
        continue;
      }
      for (const pattern of directiveValues(line)) {
        for (const file of globFiles(resolveIncludePath(pattern, base, home))) {
          const text = readIfExists(file, warnings);
          if (text === undefined) continue;
          read.push(file);
          out.push(...expand(parseSshConfigText(text), base, home, depth + 1, warnings, read));
        }
      }
      continue;
    }
    if (line.type === LineType.DIRECTIVE && 'config' in line) {
      // Include inside a Host/Match block: its plain directives belong to the block; Host/Match
      // blocks it holds follow the block (OpenSSH would scope them too; rare, so only warned).
      const inner = expand(line.config, base, home, depth, warnings, read);
      const own = inner.filter((l) => !(l.type === LineType.DIRECTIVE && 'config' in l));
      const nested = inner.filter((l) => l.type === LineType.DIRECTIVE && 'config' in l);
      line.config.splice(0, line.config.length, ...own);
      out.push(line);
      if (nested.length > 0) {
        warnings.push(`an Include inside "${line.param} ${directiveValues(line).join(' ')}" holds Host/Match blocks; they are applied unconditionally`);
        out.push(...nested);
      }
      continue;
    }
    out.push(line);
  }
  return out;
}

function resolveIncludePath(pattern: string, base: string, home: string): string {
  let p = pattern;
  if (p === '~' || p.startsWith('~/')) p = path.join(home, p.slice(1));
  return path.isAbsolute(p) ? p : path.join(base, p);
}

/** Expands `*`/`?` in any path component; sorted like glob(3); no wildcard -> the path itself. */
function globFiles(pattern: string): string[] {
  const parts = pattern.split('/');
  let current = [parts[0] === '' ? '/' : parts[0] ?? ''];
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i] ?? '';
    if (part === '') continue;
    const next: string[] = [];
    for (const dir of current) {
      if (!/[*?]/.test(part)) {
        next.push(path.join(dir, part));
        continue;
      }
      let names: string[] = [];
      try {
        names = fs.readdirSync(dir);
      } catch {
        continue;
      }
      for (const n of names.sort()) if (!n.startsWith('.') && matchWildcard(part, n, false)) next.push(path.join(dir, n));
    }
    current = next;
  }
  return current.filter((f) => {
    try {
      return fs.statSync(f).isFile();
    } catch {
      return !/[*?]/.test(pattern);
    }
  });
}
