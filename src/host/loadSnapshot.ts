import { buildHostSnapshot } from '../core/snapshot/buildHostSnapshot';
import type { HostSnapshot } from '../core/snapshot/HostSnapshot';
import { readDumpTree } from './readDumpTree';

/** Loads a snapshot folder, an extracted sosreport or a single dump file into one HostSnapshot. */
export async function loadSnapshot(root: string): Promise<{ snapshot: HostSnapshot; texts: ReadonlyMap<string, string>; skipped: readonly { relativePath: string; reason: string }[] }> {
  const tree = await readDumpTree(root);
  const inputs = tree.files.map((f) => ({ path: f.relativePath, text: f.text }));
  const snapshot = buildHostSnapshot(inputs, { kind: tree.kind, path: root });
  return { snapshot, texts: new Map(inputs.map((i) => [i.path, i.text])), skipped: tree.skipped };
}
