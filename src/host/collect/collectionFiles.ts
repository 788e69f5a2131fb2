import { version } from '../../../package.json';
import type { CollectResult } from './CollectResult';

/** One file of a snapshot folder, relative to its root with '/' separators. */
export interface CollectionFile {
  readonly path: string;
  readonly data: Buffer;
}

/**
 * The files a collection becomes (docs/snapshot-folder.md): every saved section's raw stdout
 * under its file name (a failed command's too, so the folder shows what failed), plus
 * `host.json` with each command's argv, exit code, stderr, namespace and bridge. Sorted as
 * readDumpTree sorts, so the live snapshot and the one read back from disk are built from the
 * same inputs in the same order.
 */
export function collectionFiles(result: CollectResult): CollectionFile[] {
  const files: CollectionFile[] = result.sections.filter((s) => s.saved).map((s) => ({ path: s.file, data: s.stdout }));
  files.push({ path: 'host.json', data: Buffer.from(`${JSON.stringify(hostJson(result), null, 2)}\n`, 'utf8') });
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

function hostJson(r: CollectResult): Record<string, unknown> {
  return {
    version: 1,
    ...(r.hostname !== undefined ? { hostname: r.hostname } : {}),
    collectedAt: r.collectedAt,
    collector: `osnet ${version}`,
    host: r.host,
    complete: r.complete,
    ...(r.error ? { error: r.error.message } : {}),
    ...(r.uid !== undefined ? { uid: r.uid } : {}),
    sudo: r.sudo,
    commands: r.sections.map((s) => ({
      file: s.file,
      argv: s.argv,
      exitCode: s.exitCode,
      ...(s.stderr ? { stderr: s.stderr } : {}),
      // '' for the root namespace, written out: the file name alone could be misread
      // (`ip_netns_list` looks like an operator's `<cmd>_netns_<name>`).
      netns: s.netns ?? '',
      ...(s.bridge !== undefined ? { bridge: s.bridge } : {}),
      ...(s.nwfilter !== undefined ? { nwfilter: s.nwfilter } : {}),
      ...(s.saved ? {} : { saved: false }),
      ...(s.truncated ? { truncated: s.truncated } : {}),
    })),
    ...(r.problems.length > 0 ? { problems: r.problems } : {}),
  };
}
