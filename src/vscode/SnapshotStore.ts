import * as path from 'node:path';
import { buildSimHost } from '../core/sim/walk/buildSimHost';
import type { SimHost } from '../core/sim/walk/SimHost';
import type { HostSnapshot } from '../core/snapshot/HostSnapshot';
import { loadSnapshot } from '../host/loadSnapshot';

/** A snapshot opened in the sidebar: the model, the simulator's view of it, and where its files are. */
export interface OpenSnapshot {
  readonly id: string;
  readonly label: string;
  readonly root: string;
  readonly snapshot: HostSnapshot;
  readonly sim: SimHost;
}

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

  async reload(id: string): Promise<OpenSnapshot | undefined> {
    const s = this.byRoot.get(id);
    return s ? this.open(s.root) : undefined;
  }

  close(id: string): void {
    if (this.byRoot.delete(id)) this.fire();
  }

  private fire(): void {
    for (const l of this.listeners) l();
  }
}
