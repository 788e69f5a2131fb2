import * as path from 'node:path';
import { buildSimHost } from '../core/sim/walk/buildSimHost';
import type { SimHost } from '../core/sim/walk/SimHost';
import type { HostSnapshot } from '../core/snapshot/HostSnapshot';
import type { CollectResult } from '../host/collect/CollectResult';
import { loadSnapshot } from '../host/loadSnapshot';
import type { SettingsHost } from '../host/ssh/SettingsHost';

/** A snapshot opened in the sidebar: the model, the simulator's view of it, and where its files are. */
export interface OpenSnapshot {
  readonly id: string;
  readonly label: string;
  /** A folder on disk, or `osnet-live:/<id>` for a live collection whose files live in `texts`. */
  readonly root: string;
  readonly snapshot: HostSnapshot;
  readonly sim: SimHost;
  /**
   * Live hosts: `destination` is the host's name in the tree (an ssh alias, a settings entry's
   * name, or a typed user@host), `input` what to collect again on refresh, and the raw outputs.
   */
  readonly live?: { readonly destination: string; readonly input: string | SettingsHost; readonly texts: ReadonlyMap<string, string>; readonly result: CollectResult };
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

  /** The id (and root) a live host has once collected: `osnet-live:/<encoded name>`. */
  static liveId(destination: string): string {
    return `${LIVE_SCHEME}:/${encodeURIComponent(destination)}`;
  }

  /** A host collected over SSH: its files are served from memory under `osnet-live:/<destination>/`. */
  addLive(destination: string, snapshot: HostSnapshot, texts: ReadonlyMap<string, string>, result: CollectResult, input: string | SettingsHost = destination): OpenSnapshot {
    const id = SnapshotStore.liveId(destination);
    // `compute-1.example.net (live)`; the tree node keeps the id it had before it was connected
    // (named after `destination`), so it stays expanded, and its description names `destination`.
    const entry: OpenSnapshot = { id, label: `${snapshot.hostname ?? destination} (live)`, root: id, snapshot, sim: buildSimHost(snapshot), live: { destination, input, texts, result } };
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

  /**
   * The open snapshot a document belongs to: a file under a snapshot folder (`fsPath`), or a live
   * host's `osnet-live:` document (its decoded `path`). Undefined for any other file.
   */
  ownerOf(scheme: string, documentPath: string, sep: string = path.sep): OpenSnapshot | undefined {
    for (const s of this.byRoot.values()) {
      if (scheme === LIVE_SCHEME ? s.live && documentPath.startsWith(`/${s.live.destination}/`) : !s.live && scheme === 'file' && (documentPath === s.root || documentPath.startsWith(s.root.endsWith(sep) ? s.root : s.root + sep))) return s;
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
