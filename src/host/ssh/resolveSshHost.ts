import * as os from 'node:os';
import * as path from 'node:path';
import { readSshConfig } from './readSshConfig';
import type { SettingsHost } from './SettingsHost';
import { SshError } from './SshError';

/** Everything needed to reach one host, after ~/.ssh/config and the command line were applied. */
export interface SshTarget {
  /** What the user named (`compute-1`, `root@10.0.0.5`), for messages and known_hosts lookups. */
  readonly alias: string;
  readonly hostName: string;
  readonly port: number;
  readonly user: string;
  /** Absolute paths, in the order OpenSSH tries them; `explicit` false for the default id_* files. */
  readonly identityFiles: readonly { readonly file: string; readonly explicit: boolean }[];
  readonly identitiesOnly: boolean;
  /** Agent socket from IdentityAgent; undefined -> SSH_AUTH_SOCK; 'none' disables the agent. */
  readonly identityAgent?: string;
  readonly userKnownHostsFiles: readonly string[];
  readonly globalKnownHostsFiles: readonly string[];
  readonly strictHostKeyChecking: 'yes' | 'no' | 'accept-new' | 'ask';
  readonly hashKnownHosts: boolean;
  readonly hostKeyAlias?: string;
  readonly connectTimeoutMs?: number;
  readonly serverAliveIntervalMs?: number;
  readonly serverAliveCountMax?: number;
  /** Hosts to go through, outermost first (ProxyJump, jump hosts' own ProxyJump expanded). */
  readonly proxyJump: readonly SshTarget[];
  /** Settings read but not supported (ProxyCommand, Match exec, ...), for the user to see. */
  readonly warnings: readonly string[];
}

export interface ResolveSshHostOptions {
  /** `-F`: the user config file. Default ~/.ssh/config (+ /etc/ssh/ssh_config); null reads none. */
  readonly configFile?: string | null;
  /** Default /etc/ssh/ssh_config, and none when `configFile` is given (as `ssh -F` does). */
  readonly systemConfigFile?: string | null;
  /** `-l` / `user@`. */
  readonly user?: string;
  /** `-p`. */
  readonly port?: number;
  /** `-i`, tried before the config's IdentityFile lines. */
  readonly identityFiles?: readonly string[];
  /** `-J`: `[user@]host[:port][,...]` or `none`. */
  readonly proxyJump?: string;
  /** `-o Key=Value`: win over the config files. */
  readonly options?: Readonly<Record<string, string>>;
  readonly homeDir?: string;
  readonly localUser?: string;
}

export interface Destination {
  readonly user?: string;
  readonly host: string;
  readonly port?: number;
}

/**
 * `[user@]host`, `[user@]host:port`, `user@[::1]:2222`, `ssh://user@host:port`. Throws SshError
 * (config) on an empty host or a bad port.
 */
export function parseDestination(spec: string): Destination {
  let s = spec.trim();
  if (s.startsWith('ssh://')) s = s.slice('ssh://'.length).replace(/\/$/, '');
  let user: string | undefined;
  const at = s.lastIndexOf('@');
  if (at !== -1) {
    user = s.slice(0, at);
    s = s.slice(at + 1);
  }
  let host = s;
  let portText: string | undefined;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (v6) {
    host = v6[1] ?? '';
    portText = v6[2];
  } else if ((s.match(/:/g) ?? []).length === 1) {
    [host, portText] = s.split(':') as [string, string];
  }
  if (!host || (user !== undefined && !user)) throw new SshError('config', spec, `"${spec}" is not a destination ([user@]host[:port])`);
  const out: { -readonly [K in keyof Destination]: Destination[K] } = { host };
  if (user) out.user = user;
  if (portText !== undefined) out.port = parsePort(portText, spec);
  return out;
}

function parsePort(text: string, where: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 65535) throw new SshError('config', where, `port "${text}" of ${where} is not a number from 1 to 65535`);
  return n;
}

const DEFAULT_IDENTITIES = ['id_rsa', 'id_ecdsa', 'id_ecdsa_sk', 'id_ed25519', 'id_ed25519_sk', 'id_dsa'];
const MAX_JUMPS = 8;

/**
 * Resolves a destination like `ssh` does: command-line values first, then ~/.ssh/config (Host
 * patterns, Match host/user/all, Include) and the system file, first value wins. ProxyJump chains
 * are resolved recursively (each jump host with its own config) up to 8 hops; a loop is an error.
 * `Match exec` is never run (a config must not run commands when the extension reads it).
 */
export function resolveSshHost(destination: string | SettingsHost, opts: ResolveSshHostOptions = {}): SshTarget {
  if (typeof destination !== 'string') return resolveSettingsHost(destination, opts);
  const home = opts.homeDir ?? os.homedir();
  const localUser = opts.localUser ?? safeUserName();
  const files: { file: string; includeBase: string }[] = [];
  if (opts.configFile !== null) files.push({ file: expandTilde(opts.configFile ?? '~/.ssh/config', home), includeBase: path.join(home, '.ssh') });
  const sys = opts.systemConfigFile !== undefined ? opts.systemConfigFile : opts.configFile === undefined ? '/etc/ssh/ssh_config' : null;
  if (sys) files.push({ file: sys, includeBase: '/etc/ssh' });
  const loaded = readSshConfig(files, home);
  const ctx: Ctx = { home, localUser, loaded, opts };
  return resolveOne(destination, ctx, true, []);
}

/**
 * A host from the `osnet.hosts` setting, resolved as `ssh -l USER -p PORT -i KEY -J JUMP HOST`
 * would be: its values act as command-line options (they win over ~/.ssh/config, which still
 * applies to HOST), explicit `opts` win over both, and the target is named after the entry.
 */
function resolveSettingsHost(h: SettingsHost, opts: ResolveSshHostOptions): SshTarget {
  const merged: { -readonly [K in keyof ResolveSshHostOptions]: ResolveSshHostOptions[K] } = { ...opts };
  const user = opts.user ?? h.user;
  if (user !== undefined) merged.user = user;
  const port = opts.port ?? h.port;
  if (port !== undefined) merged.port = port;
  const ids = [...(opts.identityFiles ?? []), ...(h.identityFile ? [h.identityFile] : [])];
  if (ids.length > 0) merged.identityFiles = ids;
  const jump = opts.proxyJump ?? h.proxyJump;
  if (jump !== undefined) merged.proxyJump = jump;
  // An IPv6 address with a port in a destination needs brackets; the port is passed apart anyway.
  const host = h.host.includes(':') ? `[${h.host}]` : h.host;
  return { ...resolveSshHost(host, merged), alias: h.name };
}

interface Ctx {
  readonly home: string;
  readonly localUser: string;
  readonly loaded: ReturnType<typeof readSshConfig>;
  readonly opts: ResolveSshHostOptions;
}

function resolveOne(spec: string, ctx: Ctx, isTarget: boolean, stack: readonly string[]): SshTarget {
  const dest = parseDestination(spec);
  const warnings: string[] = isTarget ? [...ctx.loaded.warnings] : [];
  if (stack.includes(dest.host)) throw new SshError('config', spec, `ProxyJump loop: ${[...stack, dest.host].join(' -> ')}`);
  if (stack.length > MAX_JUMPS) throw new SshError('config', spec, `ProxyJump chain longer than ${MAX_JUMPS} hops`);

  // Command-line options (-o) are seen first, so they win over the files ("first value wins").
  const overrides = isTarget ? ctx.opts.options ?? {} : {};
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(overrides)) lower[k.toLowerCase()] = v;
  const user = (isTarget ? ctx.opts.user : undefined) ?? dest.user;
  const computed = ctx.loaded.config.compute(user !== undefined ? { Host: dest.host, User: user } : { Host: dest.host }, { ignoreCase: true, matchExec: false });
  const get = (key: string): string | undefined => {
    if (lower[key] !== undefined) return lower[key];
    const v = computed[key];
    if (v === undefined) return undefined;
    return Array.isArray(v) ? v.join(' ') : v;
  };
  const getList = (key: string): string[] => {
    if (lower[key] !== undefined) return [lower[key]];
    const v = computed[key];
    if (v === undefined) return [];
    return Array.isArray(v) ? v : [v];
  };

  const hostName = expandTokens(get('hostname') ?? dest.host, { h: dest.host, n: dest.host }, ctx);
  const portText = get('port');
  const port = (isTarget ? ctx.opts.port : undefined) ?? dest.port ?? (portText !== undefined ? parsePort(portText, `Port for ${dest.host}`) : 22);
  const remoteUser = user ?? get('user') ?? ctx.localUser;
  const tokens = { h: hostName, n: dest.host, p: String(port), r: remoteUser };

  const cliIds = isTarget ? (ctx.opts.identityFiles ?? []) : [];
  const cfgIds = getList('identityfile');
  let identityFiles = [...cliIds, ...cfgIds].map((f) => ({ file: expandPath(f, tokens, ctx), explicit: true }));
  if (identityFiles.length === 0) identityFiles = DEFAULT_IDENTITIES.map((n) => ({ file: path.join(ctx.home, '.ssh', n), explicit: false }));

  const strict = (get('stricthostkeychecking') ?? 'ask').toLowerCase();
  const strictHostKeyChecking = strict === 'yes' || strict === 'no' || strict === 'accept-new' ? strict : strict === 'off' ? 'no' : 'ask';
  // Given but `none` means no file at all; not given means the OpenSSH defaults.
  const knownFiles = (key: string, defaults: readonly string[]): string[] => {
    const given = getList(key).flatMap((v) => v.split(/\s+/)).filter((x) => x.length > 0);
    return (given.length > 0 ? given.filter((x) => x !== 'none') : [...defaults]).map((f) => expandPath(f, tokens, ctx));
  };

  const out: { -readonly [K in keyof SshTarget]: SshTarget[K] } = {
    alias: spec,
    hostName,
    port,
    user: remoteUser,
    identityFiles: dedupe(identityFiles),
    identitiesOnly: yes(get('identitiesonly')),
    userKnownHostsFiles: knownFiles('userknownhostsfile', ['~/.ssh/known_hosts', '~/.ssh/known_hosts2']),
    globalKnownHostsFiles: knownFiles('globalknownhostsfile', ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2']),
    strictHostKeyChecking,
    hashKnownHosts: yes(get('hashknownhosts')),
    proxyJump: [],
    warnings,
  };
  const agent = get('identityagent');
  if (agent !== undefined) out.identityAgent = agent === 'none' || agent === 'SSH_AUTH_SOCK' ? agent : expandPath(agent, tokens, ctx);
  const alias = get('hostkeyalias');
  if (alias) out.hostKeyAlias = alias;
  const ct = get('connecttimeout');
  if (ct !== undefined && /^\d+$/.test(ct)) out.connectTimeoutMs = Number(ct) * 1000;
  const sai = get('serveraliveinterval');
  if (sai !== undefined && /^\d+$/.test(sai)) out.serverAliveIntervalMs = Number(sai) * 1000;
  const sacm = get('serveralivecountmax');
  if (sacm !== undefined && /^\d+$/.test(sacm)) out.serverAliveCountMax = Number(sacm);
  if (get('proxycommand') !== undefined && get('proxycommand') !== 'none') warnings.push(`ProxyCommand for ${dest.host} is not supported (use ProxyJump); connecting directly`);

  const jumpSpec = (isTarget ? ctx.opts.proxyJump : undefined) ?? get('proxyjump');
  if (jumpSpec && jumpSpec !== 'none') {
    const chain: SshTarget[] = [];
    for (const j of jumpSpec.split(',').map((x) => x.trim()).filter((x) => x.length > 0)) {
      const hop = resolveOne(j, ctx, false, [...stack, dest.host]);
      chain.push(...hop.proxyJump, { ...hop, proxyJump: [] });
      warnings.push(...hop.warnings);
    }
    out.proxyJump = chain;
  }
  return out;
}

function yes(v: string | undefined): boolean {
  return v !== undefined && /^(yes|true)$/i.test(v);
}

function dedupe(ids: { file: string; explicit: boolean }[]): { file: string; explicit: boolean }[] {
  const seen = new Set<string>();
  return ids.filter((i) => (seen.has(i.file) ? false : (seen.add(i.file), true)));
}

function safeUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env['USER'] ?? 'root';
  }
}

function expandTilde(p: string, home: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(home, p.slice(1)) : p;
}

/** ssh_config(5) TOKENS: %% %d %h %i %l %n %p %r %u. Unknown tokens are left as they are. */
function expandTokens(value: string, t: { h: string; n: string; p?: string; r?: string }, ctx: Ctx): string {
  return value.replace(/%([%dhilnpru])/g, (all, c: string) => {
    switch (c) {
      case '%': return '%';
      case 'd': return ctx.home;
      case 'h': return t.h;
      case 'i': return String(process.getuid?.() ?? 0);
      case 'l': return os.hostname();
      case 'n': return t.n;
      case 'p': return t.p ?? all;
      case 'r': return t.r ?? all;
      case 'u': return ctx.localUser;
      default: return all;
    }
  });
}

function expandPath(p: string, t: { h: string; n: string; p?: string; r?: string }, ctx: Ctx): string {
  const unquoted = p.replace(/^"(.*)"$/, '$1');
  const e = expandTokens(expandTilde(unquoted, ctx.home), t, ctx);
  return path.isAbsolute(e) ? e : path.join(ctx.home, '.ssh', e);
}
