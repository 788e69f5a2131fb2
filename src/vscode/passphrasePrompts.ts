import type { AuthPrompts } from '../host/ssh/makeAuthHandler';

/** Where remembered passphrases live: VS Code's SecretStorage in the extension, a Map in tests. */
export interface PassphraseVault {
  get(keyFile: string): Promise<string | undefined>;
  store(keyFile: string, passphrase: string): Promise<void>;
  delete(keyFile: string): Promise<void>;
}

/** What the user typed, and whether to remember it (only offered when `remember` is on). */
export interface PassphraseAnswer {
  readonly passphrase: string;
  readonly remember: boolean;
}

export interface PassphraseRequest {
  readonly keyFile: string;
  readonly attempt: number;
  /** Offer "remember" (the user opted in with osnet.rememberPassphrases). */
  readonly offerRemember: boolean;
  /** The remembered passphrase did not decrypt the key (it was changed) and was forgotten. */
  readonly savedWasWrong: boolean;
}

/**
 * The passphrase half of AuthPrompts for one connection. With `remember()` off nothing is read
 * from or written to the vault and "remember" is not offered. With it on: a remembered
 * passphrase is tried first without asking; one that no longer decrypts the key is deleted and
 * the user is asked; a typed one is stored only if the user chose "remember" AND it decrypted the
 * key. No vscode import: tested against a real sshd in plain Node.
 */
export function passphrasePrompts(vault: PassphraseVault, remember: () => boolean, ask: (r: PassphraseRequest) => Promise<PassphraseAnswer | undefined>): Required<Pick<AuthPrompts, 'askPassphrase' | 'passphraseAccepted'>> & { readonly done: () => Promise<void> } {
  const fromVault = new Set<string>();
  const toRemember = new Map<string, string>();
  const pending: Promise<unknown>[] = [];
  return {
    askPassphrase: async ({ keyFile, attempt }) => {
      const on = remember();
      let savedWasWrong = false;
      if (on && attempt === 1) {
        const saved = await vault.get(keyFile);
        if (saved !== undefined) {
          fromVault.add(keyFile);
          return saved;
        }
      }
      if (fromVault.delete(keyFile)) {
        savedWasWrong = true;
        await vault.delete(keyFile);
      }
      const answer = await ask({ keyFile, attempt, offerRemember: on, savedWasWrong });
      if (!answer) return undefined;
      if (on && answer.remember) toRemember.set(keyFile, answer.passphrase);
      else toRemember.delete(keyFile);
      return answer.passphrase;
    },
    passphraseAccepted: ({ keyFile, passphrase }) => {
      if (toRemember.get(keyFile) === passphrase && remember()) pending.push(vault.store(keyFile, passphrase));
      toRemember.delete(keyFile);
    },
    /** Resolves when every store has finished (tests; the extension does not need to wait). */
    done: async () => {
      await Promise.allSettled(pending);
    },
  };
}
