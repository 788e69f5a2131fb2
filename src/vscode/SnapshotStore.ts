import * as path from 'node:path';
import { buildSimHost } from '../core/sim/walk/buildSimHost';
import type { SimHost } from '../core/sim/walk/SimHost';
import type { HostSnapshot } from '../core/snapshot/HostSnapshot';
import type { CollectResult } from '../host/collect/CollectResult';
import { loadSnapshot } from '../host/loadSnapshot';

/** A snapshot opened in the sidebar: the model, the simulator's view of it, and where its files are. */
export interface OpenSnapshot {
  readonly id: string;
  readonly label: string;
  /** A folder on disk, or `osnet-live:/<id>` for a live collection whose files live in `texts`. */
  readonly root: string;
  readonly snapshot: HostSnapshot;
  readonly sim: SimHost;
  /** Live hosts: the SSH destination to collect again on refresh, and the raw outputs. */
  readonly live?: { readonly destination: string; readonly texts: ReadonlyMap<string, string>; readonly result: CollectResult };
}

export const LIVE_SCHEME = 'osnet-live';

/**
 * The snapshots the sidebar shows. Loading reads and parses once; everything else (tree, commands,
 * diagnosis) works on the loaded model, so nothing is parsed twice.
 */
export class SnapshotStore {
  private readonly byRoot = new Map<string, OpenSnapshot>();
  private readonly listeners = new Set<() => void>();

  list(): OpenSnapshot[] {
    return [...this.byRoot.values()];
  }

  get(id: string): OpenSnapshot | undefined {
    return this.byRoot.get(id);
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  async open(root: string): Promise<OpenSnapshot> {
    const abs = path.resolve(root);
    const { snapshot } = await loadSnapshot(abs);
    const entry: OpenSnapshot = { id: abs, label: snapshot.hostname ? `${snapshot.hostname} (${path.basename(abs)})` : path.basename(abs), root: abs, snapshot, sim: buildSimHost(snapshot) };
    this.byRoot.set(abs, entry);
    this.fire();
    return entry;
  }

  /** A host collected over SSH: its files are served from memory under `osnet-live:/<destination>/`. */
  addLive(destination: string, snapshot: HostSnapshot, texts: ReadonlyMap<string, string>, result: CollectResult): OpenSnapshot {
    const id = `${LIVE_SCHEME}:/${encodeURIComponent(destination)}`;
    const entry: OpenSnapshot = { id, label: `${snapshot.hostname ?? destination} (live)`, root: id, snapshot, sim: buildSimHost(snapshot), live: { destination, texts, result } };
    this.byRoot.set(id, entry);
    this.fire();
    return entry;
  }

  /** The text of a live host's file, by the decoded path of its `osnet-live:/<destination>/<file>` URI. */
  liveText(uriPath: string): string | undefined {
    for (const s of this.byRoot.values()) {
      const prefix = `/${s.live?.destination ?? ''}/`;
      if (s.live && uriPath.startsWith(prefix)) return s.live.texts.get(uriPath.slice(prefix.length));
    }
    return undefined;
  }

  async reload(id: string): Promise<OpenSnapshot | undefined> {
    const s = this.byRoot.get(id);
    if (!s || s.live) return s;
    return this.open(s.root);
  }

  close(id: string): void {
    if (this.byRoot.delete(id)) this.fire();
  }

  private fire(): void {
    for (const l of this.listeners) l();
  }
}
