import type { FormatId } from '../snapshot/FormatId';

/**
 * `ipset save` (`create NAME TYPE ...` / `add NAME ENTRY`, or ipset 4's `-N`/`-A`) or `ipset list`
 * (`Name: X` then `Type: ...`), from the first meaningful lines only. Anything else -> undefined.
 */
export function sniffIpsetFormat(text: string): Extract<FormatId, 'ipset-save' | 'ipset-list'> | undefined {
  const head = text.length > 16384 ? text.slice(0, 16384) : text;
  const lines = head.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#')).slice(0, 5);
  const first = lines[0];
  if (first === undefined) return undefined;
  if (/^create \S+ (hash|bitmap|list):\S+/.test(first) || /^-N \S+ \S+/.test(first)) return 'ipset-save';
  if (/^add \S+ \S+/.test(first) && lines.every((l) => /^(add|create) \S+/.test(l))) return 'ipset-save';
  if (/^Name: \S+$/.test(first) && lines[1] !== undefined && /^Type: \S+/.test(lines[1])) return 'ipset-list';
  return undefined;
}
