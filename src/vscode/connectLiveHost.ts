import * as vscode from 'vscode';
import { collectOverSsh } from '../host/collect/collectOverSsh';
import { snapshotFromCollection } from '../host/collect/snapshotFromCollection';
import { listSshConfigHosts } from '../host/ssh/listSshConfigHosts';
import type { SnapshotStore } from './SnapshotStore';

/**
 * "Connect to SSH Host…": pick a host from ~/.ssh/config (or type user@host[:port]), check its key
 * like OpenSSH (the SHA256 fingerprint is shown on first contact; a changed key is refused by the
 * SSH layer), ask for passphrases/passwords only when needed and never store them, collect the
 * whole host in one read-only exec with progress and cancellation, and show it in the tree.
 */
export async function connectLiveHost(store: SnapshotStore, known?: string): Promise<void> {
  let destination = known;
  if (!destination) {
    const hosts = listSshConfigHosts();
    const typed = '$(edit) Enter user@host…';
    const pick = await vscode.window.showQuickPick([...hosts, typed], { placeHolder: 'Compute or network node (from ~/.ssh/config)' });
    if (!pick) return;
    destination = pick === typed ? await vscode.window.showInputBox({ prompt: 'user@host or host (a ~/.ssh/config alias works too)', validateInput: (v) => (/^[\w.@:[\]-]+$/.test(v.trim()) ? undefined : 'letters, digits, . - _ @ : only') }) : pick;
    if (!destination) return;
  }
  const dest = destination.trim();
  try {
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Collecting ${dest}…`, cancellable: true }, async (_progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return collectOverSsh(dest, {
        signal: abort.signal,
        onUnknownHostKey: async (info) => {
          const choice = await vscode.window.showWarningMessage(
            `The authenticity of host ${info.host} can't be established. ${info.keyType} key fingerprint is ${info.fingerprint}.`,
            { modal: true, detail: `Accepting adds it to ${info.knownHostsFile}.` }, 'Accept and save', 'Accept once');
          return choice === 'Accept and save' ? 'accept-and-save' : choice === 'Accept once' ? 'accept-once' : 'reject';
        },
        askPassphrase: (r) => Promise.resolve(vscode.window.showInputBox({ password: true, prompt: `Passphrase for ${r.keyFile}${r.attempt > 1 ? ' (try again)' : ''}`, ignoreFocusOut: true })),
        askPassword: (r) => Promise.resolve(vscode.window.showInputBox({ password: true, prompt: `${r.prompt || `Password for ${r.user}@${r.host}`}`, ignoreFocusOut: true })),
      });
    });
    const { snapshot, texts } = snapshotFromCollection(result);
    store.addLive(dest, snapshot, texts, result);
    if (!result.complete || result.problems.some((p) => p.severity === 'error')) {
      const first = result.error?.message ?? result.problems.find((p) => p.severity === 'error')?.message ?? 'some sections failed';
      void vscode.window.showWarningMessage(`${dest}: partial collection — ${first}. The tree shows what arrived; see its Files node.`);
    }
  } catch (err) {
    const retry = 'Retry';
    const choice = await vscode.window.showErrorMessage(`${dest}: ${err instanceof Error ? err.message : String(err)}`, retry);
    if (choice === retry) await connectLiveHost(store, dest);
  }
}
