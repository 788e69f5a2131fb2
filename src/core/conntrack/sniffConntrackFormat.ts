import type { FormatId } from '../snapshot/FormatId';

/**
 * `conntrack -L` (`[ipv4 2] tcp 6 431979 ESTABLISHED src=...`, or just the summary line of an
 * empty table) or `conntrack -S` (`cpu=0 found=0 ...`), from the first meaningful lines only.
 */
export function sniffConntrackFormat(text: string): Extract<FormatId, 'conntrack-L' | 'conntrack-S'> | undefined {
  const head = text.length > 16384 ? text.slice(0, 16384) : text;
  const first = head.split('\n').map((l) => l.trim()).find((l) => l !== '');
  if (first === undefined) return undefined;
  if (/^cpu=\d+\s+\w+=\d+/.test(first)) return 'conntrack-S';
  if (/^conntrack v[\d.]+ \(conntrack-tools\): \d+ flow entries have been shown\.$/.test(first)) return 'conntrack-L';
  if (/^(ipv4|ipv6|unknown)\s+\d+\s+[a-z][a-z0-9-]*\s+\d+\s/.test(first) && first.includes('src=')) return 'conntrack-L';
  if (/^[a-z][a-z0-9-]*\s+\d+\s+\d+\s/.test(first) && first.includes('src=')) return 'conntrack-L';
  return undefined;
}
