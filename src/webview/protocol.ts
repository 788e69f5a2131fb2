import type { VipReport } from '../core/diagnose/VipReport';

/** Messages between the report panel's webview and the extension host: one typed protocol for both sides. */
export type HostToWebview =
  | { readonly type: 'report'; readonly report: VipReport; readonly title: string };

export type WebviewToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'openLocation'; readonly file: string; readonly line: number }
  | { readonly type: 'copy'; readonly text: string }
  | { readonly type: 'exportMarkdown' };
