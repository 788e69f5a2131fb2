import { buildHostSnapshot } from '../../core/snapshot/buildHostSnapshot';
import type { HostSnapshot } from '../../core/snapshot/HostSnapshot';
import { collectionFiles } from './collectionFiles';
import type { CollectResult } from './CollectResult';

/**
 * The HostSnapshot of a live collection, built by buildHostSnapshot from exactly the files (and
 * host.json) writeSnapshotFolder saves, decoded as loadSnapshot decodes them: a live view and
 * the same collection opened from disk are equal by construction (only `source` differs).
 * `texts` maps each file to its text, for read-only documents.
 */
export function snapshotFromCollection(result: CollectResult): { snapshot: HostSnapshot; texts: ReadonlyMap<string, string> } {
  const inputs = collectionFiles(result).map((f) => ({ path: f.path, text: f.data.toString('utf8') }));
  const snapshot = buildHostSnapshot(inputs, { kind: 'live', path: result.host });
  return { snapshot, texts: new Map(inputs.map((i) => [i.path, i.text])) };
}
