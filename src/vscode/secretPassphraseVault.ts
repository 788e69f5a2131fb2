import type * as vscode from 'vscode';
import type { PassphraseVault } from './passphrasePrompts';

const PREFIX = 'osnet.passphrase:';
const INDEX = 'osnet.passphraseKeyFiles';

/**
 * Key passphrases in VS Code's SecretStorage (the OS keychain), one secret per key file. The list
 * of key files (paths, not secrets) is kept in globalState so "Forget Saved Passphrases" can
 * delete them all: SecretStorage cannot list its keys in the VS Code versions we support.
 */
export function secretPassphraseVault(context: vscode.ExtensionContext): PassphraseVault & { forgetAll(): Promise<number> } {
  const index = (): string[] => context.globalState.get<string[]>(INDEX) ?? [];
  return {
    get: async (keyFile) => context.secrets.get(PREFIX + keyFile),
    store: async (keyFile, passphrase) => {
      await context.secrets.store(PREFIX + keyFile, passphrase);
      if (!index().includes(keyFile)) await context.globalState.update(INDEX, [...index(), keyFile]);
    },
    delete: async (keyFile) => {
      await context.secrets.delete(PREFIX + keyFile);
      await context.globalState.update(INDEX, index().filter((k) => k !== keyFile));
    },
    forgetAll: async () => {
      const files = index();
      for (const f of files) await context.secrets.delete(PREFIX + f);
      await context.globalState.update(INDEX, []);
      return files.length;
    },
  };
}
