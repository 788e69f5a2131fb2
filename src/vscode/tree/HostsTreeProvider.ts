import * as vscode from 'vscode';
import type { SnapshotStore } from '../SnapshotStore';
import { describeSnapshot, snapshotChildren } from './snapshotChildren';
import type { TreeNode } from './TreeNode';

/** The "OpenStack Net Debug" view: one node per opened snapshot (folder, sosreport, sample). */
export class HostsTreeProvider implements vscode.TreeDataProvider<TreeNode> {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly store: SnapshotStore) {
    store.onDidChange(() => this.changed.fire(undefined));
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.item();
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (node) return node.children?.() ?? [];
    return this.store.list().map((s): TreeNode => ({
      item: () => {
        const item = new vscode.TreeItem(s.label, vscode.TreeItemCollapsibleState.Collapsed);
        item.description = describeSnapshot(s);
        item.tooltip = `${s.root}\n${s.snapshot.source.kind}${s.snapshot.collectedAt ? `, collected ${s.snapshot.collectedAt}` : ''}`;
        item.iconPath = new vscode.ThemeIcon('server');
        item.contextValue = 'osnet.host';
        item.id = `host:${s.id}`;
        return item;
      },
      children: () => snapshotChildren(s),
      hostId: s.id,
    }));
  }

  dispose(): void {
    this.changed.dispose();
  }
}
