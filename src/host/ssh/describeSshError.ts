import { HostCommandError } from './HostCommandError';
import { SshError, type SshErrorKind } from './SshError';

/** A failed connection or collection as the sidebar's error node shows it. */
export interface ErrorDescription {
  /** One short line for the node's label: "Authentication failed: tried agent, publickey …". */
  readonly label: string;
  /** The whole message and what to do, for the tooltip. */
  readonly detail: string;
  readonly kind: SshErrorKind | 'command' | 'other';
}

const HEADS: Readonly<Record<SshErrorKind, string>> = {
  config: 'Cannot use this destination',
  connect: 'Cannot connect',
  timeout: 'Timed out',
  auth: 'Authentication failed',
  hostKeyUnknown: 'Host key not accepted',
  hostKeyChanged: 'HOST KEY CHANGED, refused',
  hostKeyRevoked: 'Host key revoked, refused',
  aborted: 'Cancelled',
  disconnected: 'Connection lost',
  protocol: 'SSH error',
};

const HINTS: Partial<Readonly<Record<SshErrorKind, string>>> = {
  connect: 'Check the host name, port and ProxyJump (~/.ssh/config or the osnet.hosts setting), and that sshd runs there.',
  timeout: 'The host did not answer in time: a firewall dropping SSH, a wrong ProxyJump, or a very slow host.',
  auth: 'Load a key into ssh-agent, set IdentityFile (or "identityFile" in osnet.hosts), or check the user name.',
  hostKeyUnknown: 'Compare the fingerprint with `ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub` on the host, then Retry and accept it.',
  hostKeyChanged: 'If the host was reinstalled, remove the old line from known_hosts (the message names it) and Retry. Otherwise do not connect.',
};

const MAX_LABEL = 140;

/** Never throws; anything that is not an Error is shown as text. */
export function describeSshError(err: unknown): ErrorDescription {
  if (SshError.is(err)) {
    // Messages start with the connection label ("root@host:22: ..."); the tree node already names the host.
    const rest = err.message.startsWith(`${err.host}: `) ? err.message.slice(err.host.length + 2) : err.message;
    const head = err.kind === 'timeout' && err.detail.phase === 'command' ? 'Collection timed out' : HEADS[err.kind];
    const hint = HINTS[err.kind];
    return { label: short(`${head}: ${rest}`), detail: `${err.message}${hint ? `\n\n${hint}` : ''}`, kind: err.kind };
  }
  if (HostCommandError.is(err)) return { label: short(err.message), detail: `${err.message}${err.stderr ? `\n\n${err.stderr}` : ''}`, kind: 'command' };
  const text = err instanceof Error ? err.message : String(err);
  return { label: short(text), detail: text, kind: 'other' };
}

function short(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > MAX_LABEL ? `${line.slice(0, MAX_LABEL - 1)}…` : line;
}
