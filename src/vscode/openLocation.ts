import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Span } from '../core/text/Span';

export interface OpenLocationOptions {
  /** Where to open; the report passes the column beside itself so it is not covered. */
  readonly viewColumn?: vscode.ViewColumn;
  /** Select the whole of `span.line` (the report only knows a rule's file and line). */
  readonly wholeLine?: boolean;
}

/** Opens a snapshot file at a rule's span, selecting the rule: the "click to the exact line" of every node and report. */
export async function openLocation(root: string, span: Pick<Span, 'file' | 'line' | 'column' | 'endLine' | 'endColumn'>, opts: OpenLocationOptions = {}): Promise<void> {
  const uri = snapshotFileUri(root, span.file);
  const doc = await vscode.workspace.openTextDocument(uri);
  const range = opts.wholeLine && span.line >= 1 && span.line <= doc.lineCount
    ? doc.lineAt(span.line - 1).range
    : new vscode.Range(span.line - 1, Math.max(0, span.column - 1), span.endLine - 1, Math.max(0, span.endColumn - 1));
  await vscode.window.showTextDocument(doc, { selection: range, preview: true, ...(opts.viewColumn !== undefined ? { viewColumn: opts.viewColumn } : {}) });
}

/** The document of a snapshot's file: on disk under the folder, or a live host's `osnet-live:` document. */
export function snapshotFileUri(root: string, file: string): vscode.Uri {
  // Live hosts have no files on disk: their outputs are `osnet-live:` documents (same names, so the
  // same language is picked).
  return root.startsWith('osnet-live:') ? vscode.Uri.parse(`${root}/${file.split('/').map(encodeURIComponent).join('/')}`)
    : vscode.Uri.file(path.isAbsolute(file) ? file : path.join(root, file));
}
