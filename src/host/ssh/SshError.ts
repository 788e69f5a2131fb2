/**
 * Why an SSH connection or exec failed, as a closed set the tree and the CLI can act on:
 *   config          the destination or ~/.ssh/config cannot be used (bad ProxyJump, loop, ...)
 *   connect         TCP connect failed (refused, unreachable, DNS)
 *   timeout         connect / handshake / command took longer than allowed (`phase` says which)
 *   auth            every authentication method failed
 *   hostKeyUnknown  the host key is not in known_hosts and the user (or policy) did not accept it
 *   hostKeyChanged  known_hosts has another key of this type for this host: refused, like OpenSSH
 *   hostKeyRevoked  the key is marked @revoked in known_hosts
 *   aborted         cancelled through the AbortSignal
 *   disconnected    the connection went away (sshd killed, network lost, keepalive unanswered)
 *   protocol        the peer said something we do not understand
 */
export type SshErrorKind = 'config' | 'connect' | 'timeout' | 'auth' | 'hostKeyUnknown' | 'hostKeyChanged' | 'hostKeyRevoked' | 'aborted' | 'disconnected' | 'protocol';

export interface SshErrorDetail {
  /** For timeouts: which phase ran out of time. */
  readonly phase?: 'connect' | 'command';
  /** For host key errors: `SHA256:...` as OpenSSH prints it. */
  readonly fingerprint?: string;
  readonly keyType?: string;
  /** For hostKeyChanged / hostKeyRevoked: the known_hosts line that disagrees. */
  readonly file?: string;
  readonly line?: number;
  readonly cause?: unknown;
}

export class SshError extends Error {
  override readonly name = 'SshError';
  constructor(
    readonly kind: SshErrorKind,
    /** `user@host:port` (and the jump it went through), for messages. */
    readonly host: string,
    message: string,
    readonly detail: SshErrorDetail = {},
  ) {
    super(message);
  }

  static is(err: unknown, kind?: SshErrorKind): err is SshError {
    return err instanceof SshError && (kind === undefined || err.kind === kind);
  }
}
