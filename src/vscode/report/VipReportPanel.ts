import * as vscode from 'vscode';
import type { VipReport } from '../../core/diagnose/VipReport';
import { formatVipMarkdown } from '../../core/diagnose/formatVipMarkdown';
import type { HostToWebview, WebviewToHost } from '../../webview/protocol';
import { openLocation } from '../openLocation';

/**
 * The report panel: one webview reused for every diagnosis (createOrShow), a strict CSP with a
 * nonce, resources only from the extension's media folder, and the typed message protocol.
 */
export class VipReportPanel {
  private static current: VipReportPanel | undefined;
  private static readonly closeListeners = new Set<() => void>();

  /** Called when the report panel is closed (the editor decorations of its report are cleared then). */
  static onDidClose(listener: () => void): { dispose(): void } {
    VipReportPanel.closeListeners.add(listener);
    return { dispose: () => VipReportPanel.closeListeners.delete(listener) };
  }

  private report: VipReport | undefined;
  private title = '';
  private root = '';
  private ready = false;

  static show(extensionUri: vscode.Uri, report: VipReport, title: string, snapshotRoot: string): VipReportPanel {
    const panel = VipReportPanel.current ?? new VipReportPanel(extensionUri);
    VipReportPanel.current = panel;
    panel.report = report;
    panel.title = title;
    panel.root = snapshotRoot;
    panel.panel.title = title;
    panel.panel.reveal(vscode.ViewColumn.Beside);
    panel.post();
    return panel;
  }

  private readonly panel: vscode.WebviewPanel;

  private constructor(extensionUri: vscode.Uri) {
    const media = vscode.Uri.joinPath(extensionUri, 'media');
    this.panel = vscode.window.createWebviewPanel('osnet.vipReport', 'VIP report', vscode.ViewColumn.Beside, {
      enableScripts: true,
      localResourceRoots: [media],
      retainContextWhenHidden: true,
    });
    this.panel.webview.html = this.html(media);
    this.panel.webview.onDidReceiveMessage((m: WebviewToHost) => void this.onMessage(m));
    this.panel.onDidDispose(() => {
      if (VipReportPanel.current === this) VipReportPanel.current = undefined;
      for (const l of VipReportPanel.closeListeners) l();
    });
  }

  private post(): void {
    if (!this.ready || !this.report) return;
    const msg: HostToWebview = { type: 'report', report: this.report, title: this.title };
    void this.panel.webview.postMessage(msg);
  }

  private async onMessage(m: WebviewToHost): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.post();
        return;
      case 'openLocation':
        // beside the report, not over it: the operator reads the cause and the rule side by side
        await openLocation(this.root, { file: m.file, line: m.line, column: 1, endLine: m.line, endColumn: 1 }, {
          wholeLine: true, viewColumn: this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One,
        });
        return;
      case 'copy':
        await vscode.env.clipboard.writeText(m.text);
        void vscode.window.showInformationMessage('Fix copied to the clipboard.');
        return;
      case 'exportMarkdown':
        if (this.report) {
          const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: formatVipMarkdown(this.report) });
          await vscode.window.showTextDocument(doc, vscode.ViewColumn.Active);
        }
        return;
    }
  }

  private html(media: vscode.Uri): string {
    const webview = this.panel.webview;
    const nonce = Array.from({ length: 32 }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'.charAt(Math.floor(Math.random() * 62))).join('');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(media, 'report.js'));
    const elements = webview.asWebviewUri(vscode.Uri.joinPath(media, 'vscode-elements.js'));
    const css = webview.asWebviewUri(vscode.Uri.joinPath(media, 'report.css'));
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${webview.cspSource} 'unsafe-inline'; font-src ${webview.cspSource}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${css.toString()}">
<title>VIP report</title>
</head>
<body>
<div id="root">Loading…</div>
<script type="module" nonce="${nonce}" src="${elements.toString()}"></script>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
  }
}
