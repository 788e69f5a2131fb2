import { createHash } from 'node:crypto';

/** `SHA256:` + unpadded base64 of the key blob's SHA-256, exactly as `ssh-keygen -l` prints it. */
export function hostKeyFingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type named at the start of an SSH public key blob (`ssh-ed25519`), or '' when unreadable. */
export function hostKeyType(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return '';
  const len = keyBlob.readUInt32BE(0);
  if (len > 64 || 4 + len > keyBlob.length) return '';
  return keyBlob.subarray(4, 4 + len).toString('latin1');
}
