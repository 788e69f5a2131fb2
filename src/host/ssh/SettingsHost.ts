import { parseDestination } from './resolveSshHost';

/**
 * A host from the extension's `osnet.hosts` setting: what `ssh -l USER -p PORT -i KEY -J JUMP HOST`
 * would say, under a display name. ~/.ssh/config still applies to `host` (as it does for `ssh`),
 * with these values winning. Never holds a secret: passwords and passphrases are asked for.
 *
 *   { "name": "compute-1", "host": "192.0.2.11", "user": "heat-admin", "port": 22,
 *     "identityFile": "~/.ssh/id_compute", "proxyJump": "jump@bastion:2222" }
 */
export interface SettingsHost {
  readonly name: string;
  readonly host: string;
  readonly user?: string;
  readonly port?: number;
  readonly identityFile?: string;
  readonly proxyJump?: string;
}

// A DNS name, an IPv4 address, or an IPv6 address (two or more colons, optional %zone).
const HOST = /^(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,252})|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(?:%[\w.-]+)?)$/;
const USER = /^[A-Za-z0-9_.][A-Za-z0-9_.-]{0,63}\$?$/;
const JUMP = /^[A-Za-z0-9_.@:[\]%,-]{1,1000}$/;
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL = /[\x00-\x1f\x7f]/;

/**
 * Reads the `osnet.hosts` setting as the user wrote it. Never throws: a bad entry is left out and
 * explained (`osnet.hosts[2]: "port" must be a number from 1 to 65535`), the others are used. A
 * missing name defaults to the host; a second entry with the same name is left out.
 */
export function parseSettingsHosts(value: unknown): { hosts: SettingsHost[]; problems: string[] } {
  const hosts: SettingsHost[] = [];
  const problems: string[] = [];
  if (value === undefined || value === null) return { hosts, problems };
  if (!Array.isArray(value)) return { hosts, problems: ['osnet.hosts must be an array of {name, host, user?, port?, identityFile?, proxyJump?}'] };
  const names = new Set<string>();
  value.forEach((raw: unknown, i) => {
    const where = `osnet.hosts[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      problems.push(`${where}: must be an object {name, host, ...}`);
      return;
    }
    const o = raw as Record<string, unknown>;
    const why = checkEntry(o);
    if (why) {
      problems.push(`${where}: ${why}`);
      return;
    }
    const host = o['host'] as string;
    const name = typeof o['name'] === 'string' && o['name'].trim() ? o['name'].trim() : host;
    if (names.has(name)) {
      problems.push(`${where}: a second host named "${name}"; left out`);
      return;
    }
    names.add(name);
    const h: { -readonly [K in keyof SettingsHost]: SettingsHost[K] } = { name, host };
    if (typeof o['user'] === 'string' && o['user']) h.user = o['user'];
    if (typeof o['port'] === 'number') h.port = o['port'];
    if (typeof o['identityFile'] === 'string' && o['identityFile']) h.identityFile = o['identityFile'];
    if (typeof o['proxyJump'] === 'string' && o['proxyJump']) h.proxyJump = o['proxyJump'];
    hosts.push(h);
  });
  return { hosts, problems };
}

function checkEntry(o: Record<string, unknown>): string | undefined {
  const known = new Set(['name', 'host', 'user', 'port', 'identityFile', 'proxyJump']);
  const unknown = Object.keys(o).filter((k) => !known.has(k));
  if (unknown.length > 0) return `unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')} (passwords and passphrases are never stored in settings)`;
  const name = o['name'];
  if (name !== undefined && (typeof name !== 'string' || name.length > 200 || CONTROL.test(name))) return '"name" must be a short text';
  const host = o['host'];
  if (typeof host !== 'string' || !host) return '"host" is missing';
  if (!HOST.test(host)) return `"host" ${JSON.stringify(host)} is not a host name or IP address`;
  const user = o['user'];
  if (user !== undefined && (typeof user !== 'string' || (user !== '' && !USER.test(user)))) return `"user" ${JSON.stringify(user)} is not a user name`;
  const port = o['port'];
  if (port !== undefined && (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535)) return '"port" must be a number from 1 to 65535';
  const id = o['identityFile'];
  if (id !== undefined && (typeof id !== 'string' || id.length > 4096 || CONTROL.test(id))) return '"identityFile" must be a path';
  const jump = o['proxyJump'];
  if (jump !== undefined && (typeof jump !== 'string' || (jump !== '' && !JUMP.test(jump)))) return '"proxyJump" must be [user@]host[:port][,...]';
  return undefined;
}

/**
 * Why `user@host[:port]` (as typed into "Add SSH Host…") cannot be used, or undefined when it can.
 * The user is optional (~/.ssh/config or the local user then), as for `ssh`.
 */
export function validateDestinationText(text: string): string | undefined {
  const t = text.trim();
  if (!t) return 'Enter user@host or user@host:port';
  if (/\s/.test(t)) return 'No spaces: user@host[:port]';
  let d;
  try {
    d = parseDestination(t);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  if (!HOST.test(d.host)) return `"${d.host}" is not a host name or IP address`;
  if (d.user !== undefined && !USER.test(d.user)) return `"${d.user}" is not a user name`;
  return undefined;
}

/** The settings entry for a typed `user@host[:port]` (validated first with validateDestinationText). */
export function settingsHostFromText(text: string): SettingsHost {
  const t = text.trim();
  const d = parseDestination(t);
  return { name: t, host: d.host, ...(d.user ? { user: d.user } : {}), ...(d.port !== undefined ? { port: d.port } : {}) };
}
