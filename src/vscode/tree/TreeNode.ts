import * as vscode from 'vscode';
import type { Span } from '../../core/text/Span';
import { COMMANDS } from '../commandIds';

/** One node of the sidebar. Children are computed when the node is expanded, never before. */
export interface TreeNode {
  readonly item: () => vscode.TreeItem;
  readonly children?: () => TreeNode[];
  /** Set on host nodes: context-menu commands receive the node and act on this snapshot. */
  readonly hostId?: string;
}

export interface LeafOptions {
  readonly label: string;
  readonly description?: string;
  readonly tooltip?: string | vscode.MarkdownString;
  readonly icon?: string;
  readonly contextValue?: string;
  /** Clicking opens the dump at this span. */
  readonly root?: string;
  readonly span?: Span;
}

export function leaf(o: LeafOptions): TreeNode {
  return { item: () => makeItem(o, vscode.TreeItemCollapsibleState.None) };
}

export function branch(o: LeafOptions, children: () => TreeNode[], expanded = false): TreeNode {
  return { item: () => makeItem(o, expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed), children };
}

function makeItem(o: LeafOptions, state: vscode.TreeItemCollapsibleState): vscode.TreeItem {
  const item = new vscode.TreeItem(o.label, state);
  if (o.description !== undefined) item.description = o.description;
  if (o.tooltip !== undefined) item.tooltip = o.tooltip;
  if (o.icon) item.iconPath = new vscode.ThemeIcon(o.icon);
  if (o.contextValue) item.contextValue = o.contextValue;
  if (o.root !== undefined && o.span) {
    item.command = { command: COMMANDS.openLocation, title: 'Open in dump', arguments: [o.root, o.span] };
  }
  return item;
}

const CHUNK = 500;

/** Long lists (a chain with 10,000 rules, a table with 50,000 flows) are split so the view never freezes. */
export function chunked<T>(items: readonly T[], make: (t: T) => TreeNode, noun: string): TreeNode[] {
  if (items.length <= CHUNK) return items.map(make);
  const out: TreeNode[] = [];
  for (let i = 0; i < items.length; i += CHUNK) {
    const slice = items.slice(i, i + CHUNK);
    out.push(branch({ label: `${noun} ${i + 1}–${i + slice.length}`, icon: 'list-flat' }, () => slice.map(make)));
  }
  return out;
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
