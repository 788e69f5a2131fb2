import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { hostKeyType } from './hostKeyFingerprint';
import { matchHostPatternList } from './matchHostPattern';

/**
 * One line of a known_hosts file (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"):
 *   `[127.0.0.1]:2222,host1 ssh-ed25519 AAAAC3Nz... comment`
 *   `|1|salt-base64|hmac-sha1-base64 ecdsa-sha2-nistp256 AAAA...`   (HashKnownHosts)
 *   `@revoked * ssh-rsa AAAA...`
 */
export interface KnownHostEntry {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly marker?: 'cert-authority' | 'revoked';
  readonly hosts: { readonly kind: 'patterns'; readonly list: string } | { readonly kind: 'hashed'; readonly salt: Buffer; readonly hash: Buffer };
  readonly keyType: string;
  readonly key: Buffer;
}

export interface KnownHostsFile {
  readonly entries: readonly KnownHostEntry[];
  /** Lines that could not be read (kept out of the check, reported, never fatal). */
  readonly skipped: readonly { readonly line: number; readonly reason: string }[];
}

/** Reads known_hosts text; bad lines are skipped with a reason, never thrown. */
export function parseKnownHosts(text: string, file: string): KnownHostsFile {
  const entries: KnownHostEntry[] = [];
  const skipped: { line: number; reason: string }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] ?? '').trim();
    if (!raw || raw.startsWith('#')) continue;
    const fields = raw.split(/[ \t]+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0]?.startsWith('@')) {
      const m = fields.shift();
      if (m === '@cert-authority') marker = 'cert-authority';
      else if (m === '@revoked') marker = 'revoked';
      else {
        skipped.push({ line: i + 1, reason: `unknown marker ${m}` });
        continue;
      }
    }
    const [hostField, keyType, keyB64] = fields;
    if (!hostField || !keyType || !keyB64) {
      skipped.push({ line: i + 1, reason: 'expected "hosts keytype key"' });
      continue;
    }
    const key = Buffer.from(keyB64, 'base64');
    if (key.length === 0 || hostKeyType(key) !== keyType) {
      skipped.push({ line: i + 1, reason: 'the key is not valid base64 of a key of the named type' });
      continue;
    }
    let hosts: KnownHostEntry['hosts'];
    if (hostField.startsWith('|1|')) {
      const [, , salt, hash] = hostField.split('|');
      if (!salt || !hash) {
        skipped.push({ line: i + 1, reason: 'malformed hashed host (|1|salt|hash)' });
        continue;
      }
      hosts = { kind: 'hashed', salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
    } else {
      hosts = { kind: 'patterns', list: hostField };
    }
    const e: { -readonly [K in keyof KnownHostEntry]: KnownHostEntry[K] } = { file, line: i + 1, hosts, keyType, key };
    if (marker) e.marker = marker;
    entries.push(e);
  }
  return { entries, skipped };
}

/** The name known_hosts stores for a host: `host` on port 22, `[host]:port` otherwise. */
export function knownHostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function entryMatches(e: KnownHostEntry, name: string): boolean {
  if (e.hosts.kind === 'patterns') return matchHostPatternList(e.hosts.list, name);
  const h = createHmac('sha1', e.hosts.salt).update(name).digest();
  return h.length === e.hosts.hash.length && timingSafeEqual(h, e.hosts.hash);
}

export type HostKeyCheck =
  | { readonly status: 'known'; readonly entry: KnownHostEntry }
  | { readonly status: 'changed'; readonly entry: KnownHostEntry }
  | { readonly status: 'revoked'; readonly entry: KnownHostEntry }
  | { readonly status: 'unknown'; readonly otherTypes: readonly string[] };

/**
 * Decides about a presented host key like OpenSSH: a matching line with the same key -> known;
 * a matching line with the same key type but another key -> changed (refuse); the key marked
 * @revoked anywhere -> revoked; otherwise unknown (ask). `names` are the lookup names
 * (`knownHostName(host, port)`, and the HostKeyAlias when set).
 */
export function checkHostKey(files: readonly KnownHostsFile[], names: readonly string[], keyBlob: Buffer): HostKeyCheck {
  const type = hostKeyType(keyBlob);
  const all = files.flatMap((f) => f.entries);
  const revoked = all.find((e) => e.marker === 'revoked' && e.key.equals(keyBlob));
  if (revoked) return { status: 'revoked', entry: revoked };
  const matching = all.filter((e) => e.marker === undefined && names.some((n) => entryMatches(e, n)));
  const same = matching.find((e) => e.key.equals(keyBlob));
  if (same) return { status: 'known', entry: same };
  // The blob names `ssh-rsa` whichever RSA signature algorithm was negotiated, so types compare directly.
  const changed = matching.find((e) => e.keyType === type);
  if (changed) return { status: 'changed', entry: changed };
  return { status: 'unknown', otherTypes: [...new Set(matching.map((e) => e.keyType))] };
}

/** Key types known_hosts already holds for these names (to prefer them in the key exchange, as OpenSSH does). */
export function knownKeyTypes(files: readonly KnownHostsFile[], names: readonly string[]): string[] {
  const out: string[] = [];
  for (const f of files) for (const e of f.entries) if (e.marker === undefined && names.some((n) => entryMatches(e, n)) && !out.includes(e.keyType)) out.push(e.keyType);
  return out;
}

/** Reads known_hosts files; a missing file is an empty one. */
export async function readKnownHostsFiles(files: readonly string[]): Promise<KnownHostsFile[]> {
  const out: KnownHostsFile[] = [];
  for (const file of files) {
    try {
      out.push(parseKnownHosts(await fs.readFile(file, 'utf8'), file));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return out;
}

/**
 * Appends `name keytype base64` (hashed as `|1|salt|hash` when `hash` is set, like
 * HashKnownHosts yes) to a known_hosts file, creating it (0600) and its folder (0700).
 */
export async function appendKnownHost(file: string, name: string, keyBlob: Buffer, hash = false): Promise<void> {
  let hostField = name;
  if (hash) {
    const salt = randomBytes(20);
    hostField = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
  }
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  let prefix = '';
  try {
    const cur = await fs.readFile(file, 'utf8');
    if (cur.length > 0 && !cur.endsWith('\n')) prefix = '\n';
  } catch {
    // new file
  }
  await fs.appendFile(file, `${prefix}${hostField} ${hostKeyType(keyBlob)} ${keyBlob.toString('base64')}\n`, { mode: 0o600 });
}
