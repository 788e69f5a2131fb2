import * as os from 'node:os';
import * as path from 'node:path';
import type { Duplex } from 'node:stream';
import { Client, type ConnectConfig } from 'ssh2';
import { hostKeyFingerprint, hostKeyType } from './hostKeyFingerprint';
import { appendKnownHost, checkHostKey, knownHostName, knownKeyTypes, readKnownHostsFiles } from './knownHosts';
import { makeAuthHandler, type AuthLog, type AuthPrompts } from './makeAuthHandler';
import type { SshTarget } from './resolveSshHost';
import { SshConnection } from './SshConnection';
import { SshError } from './SshError';

/** What the user is shown for a host key that is not in known_hosts yet. */
export interface UnknownHostKey {
  /** The name it would be saved under (`[127.0.0.1]:2222`). */
  readonly host: string;
  readonly keyType: string;
  /** `SHA256:...`, as `ssh` and `ssh-keygen -l` print it. */
  readonly fingerprint: string;
  /** Key types already known for this host (OpenSSH warns about these). */
  readonly otherKnownTypes: readonly string[];
  /** Where `accept-and-save` writes it. */
  readonly knownHostsFile: string;
}

export type HostKeyDecision = 'reject' | 'accept-once' | 'accept-and-save';

export interface ConnectSshOptions extends AuthPrompts {
  /** Asked for an unknown host key when StrictHostKeyChecking is `ask` (the default). No callback -> reject. */
  onUnknownHostKey?(info: UnknownHostKey): Promise<HostKeyDecision>;
  /** Per hop, from TCP connect to authenticated; paused while a prompt is open. Default ConnectTimeout or 20 s. */
  readonly connectTimeoutMs?: number;
  /** Default ServerAliveInterval or 15 s; 0 disables. */
  readonly keepaliveIntervalMs?: number;
  /** Unanswered keepalives before the connection counts as dead. Default ServerAliveCountMax or 3. */
  readonly keepaliveCountMax?: number;
  readonly signal?: AbortSignal;
  /** ssh-agent socket; default IdentityAgent, else SSH_AUTH_SOCK; null disables the agent. */
  readonly agentSocket?: string | null;
  /** Overrides the target's StrictHostKeyChecking (the CLI's --accept-new). */
  readonly strictHostKeyChecking?: SshTarget['strictHostKeyChecking'];
  readonly debug?: (message: string) => void;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 20_000;
/** known_hosts key type -> the host key algorithms that present it (to prefer what we know, as OpenSSH does). */
const KEY_TYPE_ALGORITHMS: Readonly<Record<string, readonly string[]>> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

/** A timer that stops counting while the user answers a prompt. */
class PausableTimer {
  private handle: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private pauses = 0;
  constructor(
    private remaining: number,
    private readonly fire: () => void,
  ) {
    this.resume();
  }
  pause(): void {
    if (this.pauses++ > 0 || !this.handle) return;
    clearTimeout(this.handle);
    this.handle = undefined;
    this.remaining -= Date.now() - this.startedAt;
  }
  resume(): void {
    if (this.pauses > 0 && --this.pauses > 0) return;
    this.startedAt = Date.now();
    this.handle = setTimeout(this.fire, Math.max(0, this.remaining));
  }
  clear(): void {
    if (this.handle) clearTimeout(this.handle);
    this.handle = undefined;
    this.pauses = Number.POSITIVE_INFINITY;
  }
}

function label(t: SshTarget): string {
  return `${t.user}@${t.hostName}${t.port === 22 ? '' : `:${t.port}`}`;
}

/**
 * Connects like OpenSSH: through every ProxyJump hop (a `direct-tcpip` channel of the previous
 * hop carries the next SSH session), verifying each hop's host key against known_hosts (hashed
 * entries too), authenticating with agent / keys / password, with a connect timeout per hop,
 * keepalives and cancellation. Rejects with SshError; never leaves a half-open connection.
 */
export async function connectSsh(target: SshTarget, opts: ConnectSshOptions = {}): Promise<SshConnection> {
  const hops = [...target.proxyJump, target];
  const clients: Client[] = [];
  const chain = hops.map(label).join(' -> ');
  try {
    let sock: Duplex | undefined;
    for (let i = 0; i < hops.length; i++) {
      const hop = hops[i] as SshTarget;
      if (i > 0) sock = await forward(clients[i - 1] as Client, hop, chain, opts.signal);
      clients.push(await connectHop(hop, sock, hops.length > 1 ? chain : label(hop), opts));
    }
  } catch (err) {
    for (const c of clients.reverse()) c.end();
    throw err;
  }
  return new SshConnection(clients, target, chain);
}

function forward(via: Client, hop: SshTarget, chain: string, signal: AbortSignal | undefined): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new SshError('aborted', chain, `${chain}: cancelled`));
      return;
    }
    via.forwardOut('127.0.0.1', 0, hop.hostName, hop.port, (err, stream) => {
      if (err) reject(new SshError('connect', chain, `${chain}: the jump host could not open a connection to ${hop.hostName}:${hop.port}: ${err.message}`, { cause: err }));
      else resolve(stream);
    });
  });
}

async function connectHop(hop: SshTarget, sock: Duplex | undefined, chain: string, opts: ConnectSshOptions): Promise<Client> {
  const names = [hop.hostKeyAlias ?? knownHostName(hop.hostName, hop.port)];
  const knownFiles = await readKnownHostsFiles([...hop.userKnownHostsFiles, ...hop.globalKnownHostsFiles]);
  const preferred = knownKeyTypes(knownFiles, names).flatMap((t) => KEY_TYPE_ALGORITHMS[t] ?? []);
  const policy = opts.strictHostKeyChecking ?? hop.strictHostKeyChecking;
  const agentSocket = opts.agentSocket === null || hop.identityAgent === 'none' ? undefined
    : opts.agentSocket ?? (hop.identityAgent && hop.identityAgent !== 'SSH_AUTH_SOCK' ? hop.identityAgent : process.env['SSH_AUTH_SOCK']);
  const authLog: AuthLog = { tried: [], notes: [] };
  const client = new Client();

  return new Promise<Client>((resolve, reject) => {
    let settled = false;
    let hostKeyError: SshError | undefined;
    const finish = (err?: Error): void => {
      if (settled) return;
      settled = true;
      timer.clear();
      opts.signal?.removeEventListener('abort', onAbort);
      if (err) {
        client.removeAllListeners('ready');
        client.on('error', () => undefined);
        client.destroy();
        reject(err);
      } else {
        resolve(client);
      }
    };
    const timeoutMs = opts.connectTimeoutMs ?? hop.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const timer = new PausableTimer(timeoutMs, () =>
      finish(new SshError('timeout', chain, `${chain}: no SSH session within ${Math.round(timeoutMs / 100) / 10} s (the host does not answer or does not speak SSH)`, { phase: 'connect' })));
    const wrap = async <T>(p: () => Promise<T>): Promise<T> => {
      timer.pause();
      try {
        return await p();
      } finally {
        timer.resume();
      }
    };
    const onAbort = (): void => finish(new SshError('aborted', chain, `${chain}: cancelled`));
    if (opts.signal?.aborted) {
      onAbort();
      return;
    }
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    const decide = async (key: Buffer): Promise<boolean> => {
      const fingerprint = hostKeyFingerprint(key);
      const keyType = hostKeyType(key);
      const check = checkHostKey(knownFiles, names, key);
      switch (check.status) {
        case 'known':
          return true;
        case 'revoked':
          hostKeyError = new SshError('hostKeyRevoked', chain, `${chain}: the host key ${keyType} ${fingerprint} is marked @revoked in ${check.entry.file}:${check.entry.line}; refusing to connect`, { fingerprint, keyType, file: check.entry.file, line: check.entry.line });
          return false;
        case 'changed':
          hostKeyError = new SshError('hostKeyChanged', chain,
            `${chain}: REMOTE HOST IDENTIFICATION HAS CHANGED: the ${keyType} host key is now ${fingerprint}, but ${check.entry.file}:${check.entry.line} holds another one. ` +
            'Someone could be eavesdropping (man-in-the-middle), or the host was reinstalled. Refusing to connect; if the change is expected, remove that line ' +
            `(ssh-keygen -R ${names[0] ?? hop.hostName} -f ${check.entry.file}).`,
            { fingerprint, keyType, file: check.entry.file, line: check.entry.line });
          return false;
        case 'unknown': {
          const file = hop.userKnownHostsFiles[0] ?? path.join(os.homedir(), '.ssh', 'known_hosts');
          const info: UnknownHostKey = { host: names[0] ?? hop.hostName, keyType, fingerprint, otherKnownTypes: check.otherTypes, knownHostsFile: file };
          let decision: HostKeyDecision;
          if (policy === 'accept-new' || policy === 'no') decision = 'accept-and-save';
          else if (policy === 'yes' || !opts.onUnknownHostKey) decision = 'reject';
          else {
            const ask = opts.onUnknownHostKey.bind(opts);
            decision = await wrap(() => ask(info));
          }
          if (decision === 'reject') {
            hostKeyError = new SshError('hostKeyUnknown', chain,
              `${chain}: the host key is not known (${keyType} ${fingerprint})${policy === 'yes' ? ' and StrictHostKeyChecking is yes' : ' and was not accepted'}; ` +
              'compare the fingerprint with `ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub` on the host before accepting it', { fingerprint, keyType });
            return false;
          }
          if (decision === 'accept-and-save') await appendKnownHost(file, info.host, key, hop.hashKnownHosts);
          return true;
        }
      }
    };

    const config: ConnectConfig = {
      username: hop.user,
      readyTimeout: 0,
      keepaliveInterval: opts.keepaliveIntervalMs ?? hop.serverAliveIntervalMs ?? 15_000,
      keepaliveCountMax: opts.keepaliveCountMax ?? hop.serverAliveCountMax ?? 3,
      hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
        decide(key).then(verify, (err: unknown) => {
          hostKeyError = new SshError('hostKeyUnknown', chain, `${chain}: host key check failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
          verify(false);
        });
      },
      authHandler: makeAuthHandler(hop, agentSocket, opts, wrap, authLog),
      ...(preferred.length > 0 ? { algorithms: { serverHostKey: { prepend: preferred } } as unknown as ConnectConfig['algorithms'] } : {}),
      ...(opts.debug ? { debug: opts.debug } : {}),
      ...(sock ? { sock } : { host: hop.hostName, port: hop.port }),
    };

    client.once('ready', () => finish());
    client.on('error', (err: Error & { level?: string }) => {
      if (hostKeyError) return finish(hostKeyError);
      if (err.level === 'client-authentication') {
        const notes = authLog.notes.length > 0 ? `; ${authLog.notes.join('; ')}` : '';
        return finish(new SshError('auth', chain, `${chain}: authentication failed (tried: ${authLog.tried.join(', ') || 'nothing usable'})${notes}`, { cause: err }));
      }
      if (err.level === 'client-socket') return finish(new SshError('connect', chain, `${chain}: ${err.message}`, { cause: err }));
      if (err.level === 'client-timeout') return finish(new SshError('timeout', chain, `${chain}: ${err.message}`, { phase: 'connect', cause: err }));
      return finish(new SshError('protocol', chain, `${chain}: ${err.message}`, { cause: err }));
    });
    client.on('close', () => finish(hostKeyError ?? new SshError('disconnected', chain, `${chain}: the connection closed during the handshake`)));
    try {
      client.connect(config);
    } catch (err) {
      finish(new SshError('config', chain, `${chain}: ${err instanceof Error ? err.message : String(err)}`, { cause: err }));
    }
  });
}
