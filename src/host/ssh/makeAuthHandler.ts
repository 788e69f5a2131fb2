import * as fs from 'node:fs';
import { utils, type AnyAuthMethod, type AuthHandlerMiddleware, type ParsedKey } from 'ssh2';
import type { SshTarget } from './resolveSshHost';

/**
 * Questions the caller answers (VS Code input boxes, a terminal prompt, a test). Answers are used
 * for this connection only and never stored here; `undefined` means "skip this one".
 */
export interface AuthPrompts {
  /** An identity file is encrypted: its passphrase (asked again after a wrong one, up to 3 times). */
  askPassphrase?(request: { readonly keyFile: string; readonly attempt: number }): Promise<string | undefined>;
  /**
   * A passphrase asked for through `askPassphrase` decrypted its key: the caller may now keep it
   * (VS Code's SecretStorage, when the user opted in). Not called for a wrong one.
   */
  passphraseAccepted?(result: { readonly keyFile: string; readonly passphrase: string }): void;
  /** Last resort, after agent and keys: the account password (password or keyboard-interactive). */
  askPassword?(request: { readonly user: string; readonly host: string; readonly attempt: number; readonly prompt: string }): Promise<string | undefined>;
}

export interface AuthLog {
  /** What was tried, in order (`agent`, `publickey /root/.ssh/id_ed25519`, `password`), for the error message. */
  readonly tried: string[];
  /** Identity files that could not be used and why. */
  readonly notes: string[];
}

const MAX_PROMPTS = 3;

/**
 * The OpenSSH order: ssh-agent keys (unless IdentitiesOnly), then each identity file (an
 * encrypted one through `askPassphrase`), then password / keyboard-interactive through
 * `askPassword`. `wrap` pauses the connect timeout while a prompt is open.
 */
export function makeAuthHandler(
  target: SshTarget,
  agentSocket: string | undefined,
  prompts: AuthPrompts,
  wrap: <T>(p: () => Promise<T>) => Promise<T>,
  log: AuthLog,
): AuthHandlerMiddleware {
  const username = target.user;
  const host = `${target.hostName}:${target.port}`;
  let agentDone = !agentSocket || target.identitiesOnly;
  let keyIndex = 0;
  let passwordAttempts = 0;

  const nextKey = async (): Promise<AnyAuthMethod | undefined> => {
    while (keyIndex < target.identityFiles.length) {
      const id = target.identityFiles[keyIndex++];
      if (!id) continue;
      let data: Buffer;
      try {
        data = fs.readFileSync(id.file);
      } catch (err) {
        if (id.explicit) log.notes.push(`${id.file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
        continue;
      }
      let key = utils.parseKey(data);
      let used: string | undefined;
      for (let attempt = 1; key instanceof Error && /passphrase/i.test(key.message) && attempt <= MAX_PROMPTS && prompts.askPassphrase; attempt++) {
        const ask = prompts.askPassphrase.bind(prompts);
        const pass = await wrap(() => ask({ keyFile: id.file, attempt }));
        if (pass === undefined) break;
        used = pass;
        key = utils.parseKey(data, pass);
        // A wrong passphrase makes parseKey fail with a decrypt/bad-key message: ask again.
        if (key instanceof Error && !/passphrase/i.test(key.message)) key = new Error(`wrong passphrase: ${key.message} (passphrase)`);
      }
      if (key instanceof Error) {
        log.notes.push(`${id.file}: ${key.message.replace(/ \(passphrase\)$/, '')}`);
        continue;
      }
      const parsed: ParsedKey | undefined = Array.isArray(key) ? (key[0] as ParsedKey | undefined) : key;
      if (!parsed) continue;
      if (used !== undefined) prompts.passphraseAccepted?.({ keyFile: id.file, passphrase: used });
      log.tried.push(`publickey ${id.file}`);
      return { type: 'publickey', username, key: parsed };
    }
    return undefined;
  };

  const nextPassword = async (left: readonly string[] | null): Promise<AnyAuthMethod | undefined> => {
    const ask = prompts.askPassword?.bind(prompts);
    if (!ask || passwordAttempts >= MAX_PROMPTS) return undefined;
    const allowsPassword = left === null || left.includes('password');
    const allowsKbd = left !== null && left.includes('keyboard-interactive');
    if (!allowsPassword && !allowsKbd) return undefined;
    const attempt = ++passwordAttempts;
    if (allowsPassword) {
      const password = await wrap(() => ask({ user: username, host, attempt, prompt: `${username}@${host}'s password:` }));
      if (password === undefined) return undefined;
      log.tried.push('password');
      return { type: 'password', username, password };
    }
    log.tried.push('keyboard-interactive');
    return {
      type: 'keyboard-interactive',
      username,
      prompt: (_name, _instructions, _lang, questions, finish) => {
        void (async () => {
          const answers: string[] = [];
          for (const q of questions) answers.push((await wrap(() => ask({ user: username, host, attempt, prompt: q.prompt }))) ?? '');
          finish(answers);
        })();
      },
    };
  };

  return (methodsLeft, _partialSuccess, next) => {
    const left = methodsLeft ?? null;
    void (async () => {
      if (!agentDone) {
        agentDone = true;
        if (left === null || left.includes('publickey')) {
          log.tried.push('agent');
          next({ type: 'agent', username, agent: agentSocket ?? '' });
          return;
        }
      }
      if (left === null || left.includes('publickey')) {
        const k = await nextKey();
        if (k) {
          next(k);
          return;
        }
      }
      const p = await nextPassword(left);
      // `false` tells ssh2 there is nothing more to try; its error names all methods as failed.
      next(p ?? (false as unknown as AnyAuthMethod));
    })().catch(() => next(false as unknown as AnyAuthMethod));
  };
}
