/**
 * OpenSSH's `match_pattern`: `*` any run of characters, `?` exactly one, everything else literal,
 * case-insensitive for host names (`ignoreCase`), case-sensitive for file names. Linear-time greedy matching with one backtrack point, so hostile
 * patterns cannot make it slow.
 */
export function matchWildcard(pattern: string, text: string, ignoreCase = true): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const t = ignoreCase ? text.toLowerCase() : text;
  let pi = 0;
  let ti = 0;
  let star = -1;
  let mark = 0;
  while (ti < t.length) {
    if (pi < p.length && (p[pi] === '?' || p[pi] === t[ti])) {
      pi++;
      ti++;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi++;
      mark = ti;
    } else if (star !== -1) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}

/**
 * A comma-separated pattern list (`host1,*.example.com,!bad.example.com`) as known_hosts and
 * ssh_config use it: true when some positive pattern matches and no negated one does.
 */
export function matchHostPatternList(list: string, name: string): boolean {
  let matched = false;
  for (const raw of list.split(',')) {
    const pat = raw.trim();
    if (!pat) continue;
    if (pat.startsWith('!')) {
      if (matchWildcard(pat.slice(1), name)) return false;
    } else if (matchWildcard(pat, name)) {
      matched = true;
    }
  }
  return matched;
}
