import type { Span } from '../text/Span';
import { Scanner, scan, type ListOptionsResult, type Reader } from './ListOptionScanner';
import { LIST_MATCH_READERS } from './listMatchReaders';
import { LIST_TARGET_READERS } from './listTargetReaders';

export type { ListOptionsResult };

/** The reader for a word of the options column; `/* ...` and `to:...` are matched by prefix. */
function readerFor(text: string): Reader | undefined {
  if (text.startsWith('/*')) return LIST_MATCH_READERS.get('/*');
  if (text.startsWith('to:')) return LIST_TARGET_READERS.get('to:');
  return LIST_MATCH_READERS.get(text) ?? LIST_TARGET_READERS.get(text);
}

/**
 * Turns the free-form last column of `iptables -L` back into the matches and target options
 * iptables-save would print, following each extension's print function (libxt_*.c):
 * `tcp dpt:22` -> `-m tcp --dport 22`, `multiport dports 80,443`, `PHYSDEV match --physdev-in tapX
 * --physdev-is-bridged`, `/* comment *\/`, `state RELATED,ESTABLISHED`, `! ctstate DNAT`,
 * `MAC fa:16:3e:..`, `! match-set NAME src`, `icmptype 8`, `ADDRTYPE match dst-type LOCAL`,
 * `mark match 0x1/0x1`, and target prints such as `reject-with icmp-port-unreachable`,
 * `to:10.1.7.3:53`, `MARK or 0x8000`, `CT zone 4097`, `LOG flags 0 level 4 prefix "x"`.
 * Text it cannot translate becomes a match with module `''` and that text, plus a warning: kept,
 * never silently dropped. Service and ICMP names (no `-n`) become numbers when known.
 * `line.slice(from, to)` is the options column of one `-L` row; `target` is the row's target
 * column (it decides what `to:` means). `lineSpan` is a span on this line, for option spans.
 */
export function translateListOptions(line: string, from: number, to: number, target: string, lineSpan: Span): ListOptionsResult {
  const toks = scan(line, from, to);
  const s = new Scanner(toks, line, lineSpan, target);
  while (s.i < toks.length) {
    const t = toks[s.i]!;
    if (t.text === '!') {
      s.neg = true;
      s.negStart = t.start;
      s.i++;
      continue;
    }
    if (t.text === '[goto]') {
      s.result.goto = true;
      s.i++;
      continue;
    }
    const reader = readerFor(t.text);
    const save = s.i;
    const undo = s.mark();
    s.i++;
    if (reader && reader(s, t)) {
      s.neg = false;
      continue;
    }
    s.reset(undo);
    // Untranslatable: keep everything up to the next keyword this reader knows.
    s.i = save + 1;
    while (s.i < toks.length && toks[s.i]!.text !== '!' && !readerFor(toks[s.i]!.text)) s.i++;
    const start = s.neg ? s.negStart : t.start;
    const end = toks[s.i - 1]!.end;
    s.result.untranslated.push({ text: line.slice(start, end), start, end });
    s.match('', start).end = end;
    s.neg = false;
  }
  return s.finish();
}
