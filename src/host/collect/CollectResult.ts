import type { FormatId } from '../../core/snapshot/FormatId';
import type { KnownStderrId, KnownStderrMatch } from '../ssh/knownStderr';

/**
 * One command's result, as the host script reported it. `file`, `argv`, `netns` and `bridge` are
 * computed on this side from the allow-listed template and the validated names; the host only
 * says which template id ran and for which name.
 */
export interface CollectedSection {
  readonly id: string;
  /** Relative path in the snapshot folder (`netns/qrouter-1/iptables-save_-c`). */
  readonly file: string;
  /** What ran, `sudo -n` and `ip netns exec NAME` included. */
  readonly argv: readonly string[];
  readonly netns?: string;
  readonly bridge?: string;
  readonly nwfilter?: string;
  readonly parse?: FormatId;
  /** False for discovery lists and metadata (recorded in host.json, not saved as a dump). */
  readonly saved: boolean;
  readonly exitCode: number;
  readonly stdout: Buffer;
  readonly stderr: string;
  /** Set when the host cut the output at the size limit: the sizes the command really printed. */
  readonly truncated?: { readonly stdoutBytes: number; readonly stderrBytes: number };
  /** What a failed command's stderr means (sudo needs a password, tool missing, ...). */
  readonly known?: KnownStderrMatch;
}

export interface CollectProblem {
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
  /** The section's file, when the problem is about one section. */
  readonly file?: string;
  /** For failed sections: what it means and what to configure, also part of `message`. */
  readonly advice?: string;
  /** For failed sections: the known stderr message they share. */
  readonly known?: KnownStderrId;
}

/**
 * What one collection produced. `complete` is false when the run stopped early (timeout,
 * disconnect, cancellation, output limit, protocol error): `error` says why and `sections` holds
 * everything received until then, so a partial snapshot can still be shown and saved.
 */
export interface CollectResult {
  /** `root@compute-1:2222` or `local`. */
  readonly host: string;
  readonly sections: readonly CollectedSection[];
  readonly complete: boolean;
  readonly error?: Error;
  readonly problems: readonly CollectProblem[];
  readonly hostname?: string;
  /** The host's clock (`date -u`), else ours. */
  readonly collectedAt: string;
  /** The remote user id the script ran as. */
  readonly uid?: string;
  /** True when commands were prefixed with `sudo -n` (not root). */
  readonly sudo: boolean;
  readonly durationMs: number;
  /** Bytes received from the host. */
  readonly bytes: number;
  /** SSH exec round trips used (1 for a collection). */
  readonly execs: number;
}
