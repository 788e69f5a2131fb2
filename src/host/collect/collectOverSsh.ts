import { connectSsh, type ConnectSshOptions } from '../ssh/connectSsh';
import { resolveSshHost, type ResolveSshHostOptions } from '../ssh/resolveSshHost';
import type { SettingsHost } from '../ssh/SettingsHost';
import { collectHost, type CollectOptions } from './collectHost';
import type { CollectResult } from './CollectResult';
import { sshScriptRunner } from './sshScriptRunner';

export interface CollectOverSshOptions extends ConnectSshOptions, Omit<CollectOptions, 'execs' | 'signal'> {
  /** How the destination is resolved (ssh config file, -p/-i/-J/-o equivalents). */
  readonly resolve?: ResolveSshHostOptions;
}

/**
 * The whole job for one host, as the tree's "refresh" and "save snapshot" need it: resolve the
 * destination (~/.ssh/config, or an `osnet.hosts` settings entry), connect (host key check, auth prompts), run the one-exec
 * collection, close. Throws SshError when no connection could be made (the caller shows an error
 * node with a retry); once connected it returns a result, partial or not (`complete`, `error`).
 * `signal` cancels the connection and the collection alike.
 */
export async function collectOverSsh(destination: string | SettingsHost, opts: CollectOverSshOptions = {}): Promise<CollectResult> {
  const target = resolveSshHost(destination, opts.resolve ?? {});
  const connection = await connectSsh(target, opts);
  try {
    const before = connection.execCount;
    return await collectHost(sshScriptRunner(connection), { remoteUser: target.user, ...opts, execs: () => connection.execCount - before });
  } finally {
    connection.close();
  }
}
