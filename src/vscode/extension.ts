import type * as vscode from 'vscode';

/**
 * Activation only wires services to VS Code: every piece of logic lives in src/core (pure) or
 * src/host (Node I/O). Activation is lazy (views, commands, languages), so nothing here may
 * block: no SSH, no file scanning.
 */
export function activate(_context: vscode.ExtensionContext): void {
  // Commands, the tree and language features register here as their issues land.
}

export function deactivate(): void {
  // Disposables are owned by the context's subscriptions.
}
