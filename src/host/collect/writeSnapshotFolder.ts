import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { collectionFiles } from './collectionFiles';
import type { CollectResult } from './CollectResult';

/**
 * Saves a collection as a snapshot folder (docs/snapshot-folder.md): raw outputs plus host.json.
 * `dir` must not exist or be empty, so two snapshots are never mixed. A partial collection is
 * saved too (host.json says `complete: false` and why). Every path is checked to stay inside
 * `dir` (names were validated already; this is the last guard). Returns the files written.
 */
export async function writeSnapshotFolder(dir: string, result: CollectResult): Promise<string[]> {
  const root = path.resolve(dir);
  await fs.mkdir(root, { recursive: true });
  const existing = await fs.readdir(root);
  if (existing.length > 0) throw new Error(`${dir} is not empty; choose a new folder for the snapshot`);
  const written: string[] = [];
  for (const f of collectionFiles(result)) {
    const target = path.resolve(root, ...f.path.split('/'));
    if (!target.startsWith(root + path.sep)) throw new Error(`refusing to write ${JSON.stringify(f.path)} outside ${dir}`);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, f.data, { flag: 'wx' });
    written.push(f.path);
  }
  return written;
}
