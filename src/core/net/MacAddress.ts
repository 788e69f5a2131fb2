/**
 * MAC addresses as 48-bit numbers. Accepts `fa:16:3e:c4:20:c7`, `FA-16-3E-C4-20-C7`, and the
 * unpadded form ebtables prints (`fa:16:3e:4:20:c7`). Bad text -> `undefined`.
 */
export function parseMac(text: string): bigint | undefined {
  const parts = text.split(/[:-]/);
  if (parts.length !== 6) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^[0-9a-fA-F]{1,2}$/.test(p)) return undefined;
    v = (v << 8n) | BigInt(parseInt(p, 16));
  }
  return v;
}

export function formatMac(value: bigint): string {
  const out: string[] = [];
  for (let i = 5; i >= 0; i--) out.push(((value >> BigInt(i * 8)) & 0xffn).toString(16).padStart(2, '0'));
  return out.join(':');
}

export const BROADCAST_MAC = 0xffffffffffffn;

/** The multicast bit (I/G): set for broadcast and multicast destinations. */
export function isMulticastMac(value: bigint): boolean {
  return ((value >> 40n) & 1n) === 1n;
}
