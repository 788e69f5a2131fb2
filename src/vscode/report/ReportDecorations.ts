import * as vscode from 'vscode';
import type { ReportDecoration } from '../../core/diagnose/reportDecorations';
import { snapshotFileUri } from '../openLocation';

/**
 * Draws a VIP report's deciding rules in every visible editor of their dump (a file of the
 * snapshot folder, or a live host's `osnet-live:` document): a tinted line with a left border in
 * the theme's colours, an inline note after the line, and the whole story on hover. Which line
 * gets which note is decided in src/core/diagnose/reportDecorations; this only maps files to
 * documents. Updated when editors open; cleared when the report panel closes.
 */
export class ReportDecorations implements vscode.Disposable {
  private readonly type = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('osnet.decidingRuleBackground'),
    borderColor: new vscode.ThemeColor('osnet.decidingRuleBorder'),
    borderStyle: 'solid',
    borderWidth: '0 0 0 3px',
    overviewRulerColor: new vscode.ThemeColor('osnet.decidingRuleBorder'),
    overviewRulerLane: vscode.OverviewRulerLane.Right,
    after: { color: new vscode.ThemeColor('osnet.decidingRuleNote'), margin: '0 0 0 2em', fontStyle: 'italic' },
  });
  /** Document URI (string) -> its decorations. */
  private byUri = new Map<string, ReportDecoration[]>();
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.subscription = vscode.window.onDidChangeVisibleTextEditors((editors) => this.apply(editors));
  }

  /** Shows a report's decorations; `roots` maps each finding's host label to its snapshot root. */
  show(decorations: readonly ReportDecoration[], roots: ReadonlyMap<string, string>): void {
    this.byUri = new Map();
    for (const d of decorations) {
      const root = roots.get(d.host);
      if (root === undefined) continue;
      const key = snapshotFileUri(root, d.file).toString();
      let list = this.byUri.get(key);
      if (!list) this.byUri.set(key, (list = []));
      list.push(d);
    }
    this.apply(vscode.window.visibleTextEditors);
  }

  clear(): void {
    this.byUri = new Map();
    for (const e of vscode.window.visibleTextEditors) e.setDecorations(this.type, []);
  }

  /** How many decorations a document has now (for commands and tests driving the UI). */
  countFor(uri: vscode.Uri): number {
    return this.byUri.get(uri.toString())?.length ?? 0;
  }

  private apply(editors: readonly vscode.TextEditor[]): void {
    for (const e of editors) {
      const list = this.byUri.get(e.document.uri.toString()) ?? [];
      const doc = e.document;
      e.setDecorations(this.type, list.filter((d) => d.line >= 1 && d.line <= doc.lineCount).map((d): vscode.DecorationOptions => {
        const hover = new vscode.MarkdownString(d.hover);
        return {
          range: doc.lineAt(d.line - 1).range,
          hoverMessage: hover,
          renderOptions: { after: { contentText: `${d.outcome === 'unknown' ? '? ' : '← '}${d.note}` } },
        };
      }));
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.type.dispose();
  }
}
