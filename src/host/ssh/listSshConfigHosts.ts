import * as os from 'node:os';
import * as path from 'node:path';
import { readSshConfig } from './readSshConfig';

/**
 * The hosts an operator named in ~/.ssh/config (`Host compute-1 compute-2`), for the sidebar's
 * host picker. Patterns (`*`, `?`, `!`) are not hosts and are left out; Include is followed.
 */
export function listSshConfigHosts(homeDir: string = os.homedir()): string[] {
  const { config } = readSshConfig([{ file: path.join(homeDir, '.ssh', 'config'), includeBase: path.join(homeDir, '.ssh') }], homeDir);
  const names = new Set<string>();
  for (const entry of config as unknown as readonly { param?: string; value?: unknown }[]) {
    if (entry.param?.toLowerCase() !== 'host') continue;
    // ssh-config gives one string, or for several names a list of `{val}` objects.
    const values = Array.isArray(entry.value) ? (entry.value as unknown[]) : [entry.value];
    for (const v of values) {
      const text = typeof v === 'string' ? v : typeof v === 'object' && v !== null && typeof (v as { val?: unknown }).val === 'string' ? (v as { val: string }).val : '';
      for (const h of text.split(/\s+/)) if (h && !/[*?!]/.test(h)) names.add(h);
    }
  }
  return [...names].sort();
}
