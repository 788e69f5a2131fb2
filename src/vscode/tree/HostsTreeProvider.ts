import * as vscode from 'vscode';
import { CONTEXT } from '../commandIds';
import type { HostEntry, LiveHosts } from '../LiveHosts';
import { SnapshotStore, type OpenSnapshot } from '../SnapshotStore';
import { describeSnapshot, snapshotChildren } from './snapshotChildren';
import { leaf, makeItem, type TreeNode } from './TreeNode';

/**
 * The "OpenStack Net Debug" view: one node per opened snapshot (folder, sosreport, sample), then
 * one per live host (every ~/.ssh/config alias and osnet.hosts entry, connected or not, and typed
 * destinations). A host that is not connected collects when expanded; a failed one shows an
 * error node with Retry; a connected one shows its snapshot, failed sections first.
 */
export class HostsTreeProvider implements vscode.TreeDataProvider<TreeNode> {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly store: SnapshotStore,
    private readonly hosts: LiveHosts,
  ) {
    store.onDidChange(() => this.changed.fire(undefined));
    hosts.onDidChange(() => this.changed.fire(undefined));
  }

  /** Re-renders one node's children (after "Show 500 more…"), or the whole tree. */
  refresh(node?: TreeNode): void {
    this.changed.fire(node);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.item();
  }

  getChildren(node?: TreeNode): TreeNode[] | Promise<TreeNode[]> {
    if (node) return node.children?.() ?? [];
    const folders = this.store.list().filter((s) => !s.live).map((s) => this.snapshotNode(s));
    const { hosts, problems } = this.hosts.entries();
    const listed = new Set(hosts.map((h) => h.key));
    // Live snapshots whose entry went away (a setting removed) stay until closed.
    const orphans = this.store.list().filter((s) => s.live && !listed.has(s.live.destination)).map((s) => this.snapshotNode(s));
    return [
      ...folders,
      ...hosts.map((h) => this.hostNode(h)),
      ...orphans,
      ...problems.map((p) => leaf({
        label: p, icon: 'warning', iconColor: 'problemsWarningIcon.foreground', contextValue: CONTEXT.settingsProblem, tooltip: 'Fix it in the osnet.hosts setting',
        command: { command: 'workbench.action.openSettings', title: 'Open settings', arguments: ['osnet.hosts'] },
      })),
    ];
  }

  private snapshotNode(s: OpenSnapshot): TreeNode {
    return {
      item: () => {
        const item = new vscode.TreeItem(s.label, vscode.TreeItemCollapsibleState.Collapsed);
        item.description = s.live ? `${s.live.destination} · ${describeSnapshot(s)}` : describeSnapshot(s);
        item.tooltip = `${s.live ? `${s.live.result.host}, collected ${s.snapshot.collectedAt ?? ''} in ${s.live.result.durationMs} ms (${s.live.result.execs} exec${s.live.result.sudo ? ', sudo -n' : ''})` : s.root}\n${s.snapshot.source.kind}${!s.live && s.snapshot.collectedAt ? `, collected ${s.snapshot.collectedAt}` : ''}`;
        item.iconPath = new vscode.ThemeIcon(s.live ? 'vm-active' : 'server');
        item.contextValue = CONTEXT.host;
        item.id = s.live ? liveNodeId(s.live.destination) : `host:${s.id}`;
        return item;
      },
      children: () => snapshotChildren(s),
      hostId: s.id,
      ...(s.live ? { hostKey: s.live.destination } : {}),
    };
  }

  /** A live host by name: its snapshot when connected, else a node that connects on expand. */
  private hostNode(h: HostEntry): TreeNode {
    const connected = this.store.get(SnapshotStore.liveId(h.key));
    const state = this.hosts.state(h.key);
    if (connected && state.kind === 'idle') return this.snapshotNode(connected);
    const errorNode = (label: string, detail: string): TreeNode => leaf({
      label, icon: 'error', iconColor: 'problemsErrorIcon.foreground', contextValue: CONTEXT.error, tooltip: new vscode.MarkdownString().appendText(detail),
    }, { hostKey: h.key });
    return {
      item: () => {
        const o = state.kind === 'connecting' ? { description: `connecting… · ${h.description}`, icon: 'loading~spin', contextValue: CONTEXT.hostDisconnected }
          : state.kind === 'failed' ? { description: `failed · ${h.description}`, icon: 'error', contextValue: CONTEXT.hostFailed }
            : { description: `not connected · ${h.description}`, icon: 'vm-outline', contextValue: CONTEXT.hostDisconnected };
        const item = makeItem({ label: h.key, ...o, tooltip: `${h.key} (${h.source === 'settings' ? 'osnet.hosts setting' : h.source === 'ssh-config' ? '~/.ssh/config' : 'typed'})\nExpand or use Connect to collect it over SSH (read-only).` }, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = liveNodeId(h.key);
        return item;
      },
      children: async () => {
        if (state.kind === 'failed') {
          // A failed refresh keeps the last collection browsable under the error.
          return [errorNode(state.label, state.detail), ...(connected ? snapshotChildren(connected) : [])];
        }
        const s = await this.hosts.connect(h);
        if (s) return snapshotChildren(s);
        const now = this.hosts.state(h.key);
        return now.kind === 'failed' ? [errorNode(now.label, now.detail)] : [];
      },
      hostKey: h.key,
      ...(connected ? { hostId: connected.id } : {}),
    };
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function liveNodeId(key: string): string {
  return `live:${key}`;
}
