import type { SettingsHost } from './SettingsHost';

/** A host the sidebar lists before anything is connected. */
export interface ConfiguredHost {
  /** The tree's name for it: the ~/.ssh/config alias or the settings entry's name. */
  readonly name: string;
  readonly source: 'settings' | 'ssh-config';
  /** What collectOverSsh / resolveSshHost take. */
  readonly input: string | SettingsHost;
  /** `heat-admin@192.0.2.11:2222 · settings`, `~/.ssh/config`. */
  readonly description: string;
}

/**
 * The hosts to show: every `osnet.hosts` entry in its order, then every ~/.ssh/config alias
 * (listSshConfigHosts, sorted). A name in both is one host, the settings entry (it is the more
 * specific: the user added it to this extension).
 */
export function listConfiguredHosts(sshConfigAliases: readonly string[], settingsHosts: readonly SettingsHost[]): ConfiguredHost[] {
  const out: ConfiguredHost[] = [];
  const names = new Set<string>();
  for (const h of settingsHosts) {
    if (names.has(h.name)) continue;
    names.add(h.name);
    const where = `${h.user ? `${h.user}@` : ''}${h.host.includes(':') ? `[${h.host}]` : h.host}${h.port !== undefined ? `:${h.port}` : ''}`;
    out.push({ name: h.name, source: 'settings', input: h, description: `${where === h.name ? '' : `${where} · `}settings${h.proxyJump ? ` · via ${h.proxyJump}` : ''}` });
  }
  for (const a of sshConfigAliases) {
    if (names.has(a)) continue;
    names.add(a);
    out.push({ name: a, source: 'ssh-config', input: a, description: '~/.ssh/config' });
  }
  return out;
}
