/**
 * The token under the cursor, for hovers and navigation. Dumps are blank-separated words for
 * iptables/ebtables (`--physdev-in`, `neutron-openvswi-sg-chain`, `[12:840]`, `dpt:22`) and
 * `,`/`=`/`(`/`:`/`->`-separated items for OVS (`resubmit(,71)`, `NXM_NX_REG6[0..15]`, `+trk-new`).
 */
export interface WordAt {
  readonly text: string;
  /** 0-based character where the word starts on its line. */
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
}

/** Character classes that break words: blanks for netfilter dumps, plus OVS punctuation. */
export type WordStyle = 'blank' | 'ovs';

const OVS_BREAKS = new Set([' ', '\t', ',', '=', '(', ')', '[', ']', ':', '"', '>']);

function isBreak(line: string, i: number, style: WordStyle): boolean {
  const ch = line[i];
  if (ch === undefined || ch === ' ' || ch === '\t') return true;
  if (style === 'blank') return false;
  // The `-` of `->` (load:0x1->reg5) separates too.
  return OVS_BREAKS.has(ch) || (ch === '-' && line[i + 1] === '>');
}

/** The word touching `character` (a cursor right after a word still touches it); undefined on blanks. */
export function wordAt(line: string, character: number, style: WordStyle): WordAt | undefined {
  let i = Math.min(Math.max(character, 0), line.length);
  if (isBreak(line, i, style) && i > 0 && !isBreak(line, i - 1, style)) i--;
  if (isBreak(line, i, style)) return undefined;
  let start = i;
  while (start > 0 && !isBreak(line, start - 1, style)) start--;
  let end = i;
  while (end < line.length && !isBreak(line, end, style)) end++;
  return { text: line.slice(start, end), start, end };
}

/** The blank-separated tokens of a line with their positions (for looking at what precedes a word). */
export function lineTokens(line: string): WordAt[] {
  const out: WordAt[] = [];
  const re = /\S+/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

/**
 * A word of an iptables/ebtables line without the punctuation glued to names: the `:` of an
 * iptables-save chain declaration (`:neutron-filter-top`) and the `,` after an ebtables chain
 * header name (`Bridge chain: vip-check, entries: 3`).
 */
export function netfilterWordAt(line: string, character: number): WordAt | undefined {
  const w = wordAt(line, character, 'blank');
  if (!w) return undefined;
  let { start, end } = w;
  if (line[start] === ':' && end - start > 1) start++;
  if (line[end - 1] === ',' && end - start > 1) end--;
  return { text: line.slice(start, end), start, end };
}
