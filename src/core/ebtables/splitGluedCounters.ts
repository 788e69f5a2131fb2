import type { EbtablesToken } from './tokenizeEbtablesLine';

/**
 * Legacy ebtables prints `-c N M` right after a user-chain target with no space
 * (`ebtables -t nat -A PREROUTING -i tap0 -j libvirt-I-tap0-c 0 0` from `--Lx --Lc`, and the perl
 * ebtables-save with EBTABLES_SAVE_COUNTER=yes). When a line ends with `X-c N M`, this returns the
 * tokens with `X-c` split into `X` and `-c`; otherwise `undefined`.
 */
export function splitGluedCounters(tokens: readonly EbtablesToken[]): EbtablesToken[] | undefined {
  const n = tokens.length;
  const glued = tokens[n - 3];
  const a = tokens[n - 2];
  const b = tokens[n - 1];
  if (!glued || !a || !b) return undefined;
  if (!/^\d{1,20}$/.test(a.text) || !/^\d{1,20}$/.test(b.text)) return undefined;
  if (glued.text.length <= 2 || !glued.text.endsWith('-c') || glued.text.startsWith('"')) return undefined;
  const name = glued.text.slice(0, -2);
  const out = tokens.slice(0, n - 3);
  out.push({ text: name, value: name, start: glued.start, end: glued.end - 2 });
  out.push({ text: '-c', value: '-c', start: glued.end - 2, end: glued.end });
  out.push(a, b);
  return out;
}
