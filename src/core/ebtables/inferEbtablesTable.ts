import { EBTABLES_BUILTIN_CHAINS } from './EbtablesChain';

/**
 * The table of a listing that lost its `Bridge table:` header (libvirt's docs show bare
 * `Bridge chain: PREROUTING, ...` blocks), from the built-in chains it lists before any header.
 * `OUTPUT` alone is ambiguous (filter and nat both have it) and gives `undefined`.
 */
export function inferEbtablesTable(text: string): string | undefined {
  const headerAt = text.indexOf('Bridge table:');
  const head = headerAt === -1 ? text : text.slice(0, headerAt);
  const found = new Set<string>();
  const re = /Bridge chain: ?([^,\s]+),/g;
  for (let m = re.exec(head); m; m = re.exec(head)) {
    for (const [table, chains] of Object.entries(EBTABLES_BUILTIN_CHAINS)) {
      if (m[1] !== undefined && m[1] !== 'OUTPUT' && chains.includes(m[1])) found.add(table);
    }
  }
  return found.size === 1 ? [...found][0] : undefined;
}
