import * as vscode from 'vscode';
import type { Span } from '../../core/text/Span';
import { COMMANDS } from '../commandIds';
import { pageItems, PAGE_SIZE } from './pageItems';

/** One node of the sidebar. Children are computed when the node is expanded, never before. */
export interface TreeNode {
  readonly item: () => vscode.TreeItem;
  readonly children?: () => TreeNode[] | Promise<TreeNode[]>;
  /** Set on host nodes of open snapshots: context-menu commands receive the node and act on this snapshot. */
  readonly hostId?: string;
  /** Set on live-host nodes (connected or not) and their error nodes: the host's name, for Connect / Retry. */
  readonly hostKey?: string;
  /** Set on OpenStack port nodes: "Trace Packet From This Port…" starts here. */
  readonly port?: { readonly id: string; readonly device: string };
  /** Set on "Show 500 more…" nodes. */
  readonly showMore?: { readonly parent: TreeNode; readonly grow: () => void };
}

export interface LeafOptions {
  readonly label: string;
  readonly description?: string;
  readonly tooltip?: string | vscode.MarkdownString;
  readonly icon?: string;
  /** A theme colour id for the icon (`problemsWarningIcon.foreground`). */
  readonly iconColor?: string;
  readonly contextValue?: string;
  /** Clicking opens the dump at this span. */
  readonly root?: string;
  readonly span?: Span;
  readonly command?: vscode.Command;
}

export function leaf(o: LeafOptions, extra: Partial<Pick<TreeNode, 'hostId' | 'hostKey' | 'port'>> = {}): TreeNode {
  return { item: () => makeItem(o, vscode.TreeItemCollapsibleState.None), ...extra };
}

export function branch(o: LeafOptions, children: () => TreeNode[], expanded = false, extra: Partial<Pick<TreeNode, 'hostId' | 'hostKey' | 'port'>> = {}): TreeNode {
  return { item: () => makeItem(o, expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed), children, ...extra };
}

export function makeItem(o: LeafOptions, state: vscode.TreeItemCollapsibleState): vscode.TreeItem {
  const item = new vscode.TreeItem(o.label, state);
  if (o.description !== undefined) item.description = o.description;
  if (o.tooltip !== undefined) item.tooltip = o.tooltip;
  if (o.icon) item.iconPath = new vscode.ThemeIcon(o.icon, o.iconColor ? new vscode.ThemeColor(o.iconColor) : undefined);
  if (o.contextValue) item.contextValue = o.contextValue;
  if (o.command) item.command = o.command;
  else if (o.root !== undefined && o.span) {
    item.command = { command: COMMANDS.openLocation, title: 'Open in dump', arguments: [o.root, o.span] };
  }
  return item;
}

/**
 * A branch over a long list (a chain with 10,000 rules, a table with 50,000 flows): expanding it
 * builds nodes for the first 500 items only, then a "Show 500 more…" node (command
 * `osnet.showMore`) that adds the next page. Nothing is built for items never shown, so the view
 * never freezes. `items` is called on expansion, so it may filter lazily.
 */
const PAGES_SHOWN = new WeakMap<object, number>();

export function pagedBranch<T>(o: LeafOptions, items: () => readonly T[], make: (t: T) => TreeNode, noun: string): TreeNode {
  const node: TreeNode = {
    item: () => makeItem(o, vscode.TreeItemCollapsibleState.Collapsed),
    children: () => {
      const all = items();
      // Keyed by the list's first rule/flow (the same object while the snapshot is loaded): the tree
      // rebuilds its nodes whenever a host is added, and the pages shown must survive that.
      const key = typeof all[0] === 'object' && all[0] !== null ? (all[0] as object) : undefined;
      const shown = (key && PAGES_SHOWN.get(key)) ?? PAGE_SIZE;
      const page = pageItems(all, shown);
      const out = page.items.map(make);
      if (page.next > 0) {
        const more: TreeNode = {
          item: () => {
            const item = makeItem({ label: `Show ${page.next} more…`, description: `${page.items.length} of ${page.total} ${noun} shown`, icon: 'ellipsis', contextValue: 'osnet.showMore' }, vscode.TreeItemCollapsibleState.None);
            item.command = { command: COMMANDS.showMore, title: 'Show more', arguments: [more] };
            return item;
          },
          showMore: { parent: node, grow: () => { if (key) PAGES_SHOWN.set(key, shown + PAGE_SIZE); } },
        };
        out.push(more);
      }
      return out;
    },
  };
  return node;
}

export function counters(c: { packets: bigint; bytes: bigint } | undefined): string | undefined {
  if (!c) return undefined;
  return `${human(c.packets)} pkts, ${human(c.bytes)}B`;
}

function human(n: bigint): string {
  const v = Number(n);
  if (v < 1000) return String(v);
  const units = ['K', 'M', 'G', 'T'];
  let x = v;
  let u = -1;
  while (x >= 1000 && u < units.length - 1) { x /= 1000; u++; }
  return `${x.toFixed(x < 10 ? 1 : 0)}${units[u] ?? ''}`;
}
