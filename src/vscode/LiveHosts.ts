import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { collectOverSsh } from '../host/collect/collectOverSsh';
import { snapshotFromCollection } from '../host/collect/snapshotFromCollection';
import { describeSshError } from '../host/ssh/describeSshError';
import { listConfiguredHosts, type ConfiguredHost } from '../host/ssh/listConfiguredHosts';
import { listSshConfigHosts } from '../host/ssh/listSshConfigHosts';
import { parseSettingsHosts, type SettingsHost } from '../host/ssh/SettingsHost';
import { SETTINGS } from './commandIds';
import { passphrasePrompts, type PassphraseAnswer, type PassphraseRequest, type PassphraseVault } from './passphrasePrompts';
import { SnapshotStore, type OpenSnapshot } from './SnapshotStore';

/** A host the tree lists by name, connected or not. */
export interface HostEntry {
  readonly key: string;
  readonly input: string | SettingsHost;
  readonly source: ConfiguredHost['source'] | 'typed';
  readonly description: string;
}

/** Where a host is while not (or no longer) shown as a connected snapshot. */
export type HostState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'connecting'; readonly done: Promise<OpenSnapshot | undefined> }
  | { readonly kind: 'failed'; readonly label: string; readonly detail: string };

/**
 * The live hosts of the sidebar: every ~/.ssh/config alias and `osnet.hosts` entry (listed
 * before anything is connected), plus destinations typed into "Connect to SSH Host…". Connecting
 * collects the whole host with a cancellable progress notification; success adds the snapshot to
 * the store, failure leaves the host in `failed` (an error node with Retry in the tree). One
 * collection per host at a time: a second request waits for the first.
 */
export class LiveHosts {
  private readonly states = new Map<string, HostState>();
  private readonly typed = new Map<string, HostEntry>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly store: SnapshotStore,
    private readonly vault: PassphraseVault,
  ) {}

  /** Configured hosts, then typed ones; `problems` explains entries of osnet.hosts that were left out. */
  entries(): { hosts: HostEntry[]; problems: string[] } {
    const settings = parseSettingsHosts(vscode.workspace.getConfiguration(SETTINGS.section).get<unknown>(SETTINGS.hosts));
    let aliases: string[] = [];
    try {
      aliases = listSshConfigHosts();
    } catch (err) {
      settings.problems.push(`~/.ssh/config: ${err instanceof Error ? err.message : String(err)}`);
    }
    const hosts: HostEntry[] = listConfiguredHosts(aliases, settings.hosts).map((h) => ({ key: h.name, input: h.input, source: h.source, description: h.description }));
    const names = new Set(hosts.map((h) => h.key));
    for (const t of this.typed.values()) if (!names.has(t.key)) hosts.push(t);
    return { hosts, problems: settings.problems };
  }

  find(key: string): HostEntry | undefined {
    return this.entries().hosts.find((h) => h.key === key);
  }

  state(key: string): HostState {
    return this.states.get(key) ?? { kind: 'idle' };
  }

  /** A destination typed by the user (`root@10.0.0.5:2222`): listed from now on, like a configured one. */
  addTyped(destination: string, input: string | SettingsHost = destination): HostEntry {
    const entry: HostEntry = { key: destination, input, source: 'typed', description: typeof input === 'string' ? 'typed' : 'no longer in settings' };
    this.typed.set(destination, entry);
    return entry;
  }

  /** Forgets a typed host (Close Snapshot on it); configured hosts stay listed as not connected. */
  forget(key: string): void {
    this.typed.delete(key);
    this.states.delete(key);
    this.changed.fire();
  }

  /**
   * Connects and collects (or waits for the collection already running). Resolves with the
   * snapshot, or undefined when it failed or was cancelled (the host is then `failed`, and a
   * notification offers Retry unless `quiet`).
   */
  connect(entry: HostEntry, opts: { quiet?: boolean } = {}): Promise<OpenSnapshot | undefined> {
    const cur = this.states.get(entry.key);
    if (cur?.kind === 'connecting') return cur.done;
    const done = this.run(entry, opts);
    this.states.set(entry.key, { kind: 'connecting', done });
    this.changed.fire();
    return done;
  }

  private async run(entry: HostEntry, opts: { quiet?: boolean }): Promise<OpenSnapshot | undefined> {
    const name = entry.key;
    const prompts = passphrasePrompts(this.vault, () => rememberPassphrases(), askPassphrase);
    try {
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Collecting ${name}…`, cancellable: true }, async (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        let sections = 0;
        return collectOverSsh(entry.input, {
          signal: abort.signal,
          onSection: () => {
            if (++sections % 25 === 0) progress.report({ message: `${sections} sections` });
          },
          onUnknownHostKey: async (info) => {
            const choice = await vscode.window.showWarningMessage(
              `The authenticity of host ${info.host} can't be established. ${info.keyType} key fingerprint is ${info.fingerprint}.`,
              { modal: true, detail: `Accepting adds it to ${info.knownHostsFile}.` }, 'Accept and save', 'Accept once');
            return choice === 'Accept and save' ? 'accept-and-save' : choice === 'Accept once' ? 'accept-once' : 'reject';
          },
          askPassphrase: prompts.askPassphrase,
          passphraseAccepted: prompts.passphraseAccepted,
          // Passwords are never remembered, whatever the setting.
          askPassword: (r) => Promise.resolve(vscode.window.showInputBox({ password: true, prompt: `${r.prompt || `Password for ${r.user}@${r.host}`}${r.attempt > 1 ? ' (try again)' : ''}`, ignoreFocusOut: true })),
        });
      });
      const { snapshot, texts } = snapshotFromCollection(result);
      this.states.delete(name);
      const s = this.store.addLive(name, snapshot, texts, result, entry.input);
      if (!opts.quiet && (!result.complete || result.problems.some((p) => p.severity === 'error'))) {
        const first = result.error?.message ?? result.problems.find((p) => p.severity === 'error')?.message ?? 'some sections failed';
        void vscode.window.showWarningMessage(`${name}: partial collection — ${first.length > 300 ? `${first.slice(0, 299)}…` : first} The tree shows what arrived and what failed.`);
      }
      return s;
    } catch (err) {
      const d = describeSshError(err);
      this.states.set(name, { kind: 'failed', label: d.label, detail: d.detail });
      if (!opts.quiet && d.kind !== 'aborted') {
        void vscode.window.showErrorMessage(`${name}: ${d.label}`, 'Retry').then((choice) => {
          // The notification outlives the failure (VS Code cannot close it for us): after a Retry
          // from the tree has connected or is connecting, its Retry has nothing left to do.
          if (choice === 'Retry' && this.state(entry.key).kind === 'failed') void this.connect(entry);
        });
      }
      return undefined;
    } finally {
      this.changed.fire();
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function rememberPassphrases(): boolean {
  return vscode.workspace.getConfiguration(SETTINGS.section).get<boolean>(SETTINGS.rememberPassphrases) === true;
}

/**
 * The passphrase box. When the user opted in (osnet.rememberPassphrases), its title-bar button
 * toggles "remember in VS Code's secret storage" (off by default); otherwise there is no such
 * button and the passphrase is used for this connection only.
 */
function askPassphrase(r: PassphraseRequest): Promise<PassphraseAnswer | undefined> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    const home = os.homedir();
    const shown = r.keyFile.startsWith(home + path.sep) ? `~${r.keyFile.slice(home.length)}` : r.keyFile;
    let remember = false;
    const update = (): void => {
      box.prompt = `${r.savedWasWrong ? 'The remembered passphrase no longer works and was forgotten. ' : r.attempt > 1 ? 'Wrong passphrase, try again. ' : ''}${
        r.offerRemember ? (remember ? 'It will be remembered in VS Code\'s secret storage.' : 'Used for this connection only.') : 'Used for this connection only; never saved.'}`;
      box.buttons = r.offerRemember ? [{
        iconPath: new vscode.ThemeIcon(remember ? 'pass-filled' : 'circle-large-outline'),
        tooltip: remember ? 'Remember in secret storage: on' : 'Remember in secret storage: off',
      }] : [];
    };
    box.title = `Passphrase for ${shown}`;
    box.password = true;
    box.ignoreFocusOut = true;
    update();
    let answered = false;
    box.onDidTriggerButton(() => {
      remember = !remember;
      update();
    });
    box.onDidAccept(() => {
      answered = true;
      resolve({ passphrase: box.value, remember });
      box.hide();
    });
    box.onDidHide(() => {
      if (!answered) resolve(undefined);
      box.dispose();
    });
    box.show();
  });
}
