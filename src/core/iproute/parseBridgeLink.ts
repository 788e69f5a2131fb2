import { DiagnosticSink, type ParseOptions, type ParseResult } from '../text/Diagnostic';
import { iterateLines, looksBinary } from '../text/lines';
import type { Span } from '../text/Span';
import type { BridgePort } from './BridgePort';
import type { Mutable } from './Mutable';
import { OnceReporter } from './reportOnce';
import { reportAt, segmentOfLine, spanOfSegments, type Segment } from './Segment';
import { firstNonBlank, isBlankLine, parseDecimal, tokenize, type Token } from './tokenize';

type PortFields = Mutable<Omit<BridgePort, 'raw' | 'span'>> & { raw?: string; span?: Span };

/**
 * `bridge [-d] [-s] link [show]`:
 * `2: ens3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br-ens3 state forwarding priority 32 cost 100`
 * and, with `-d`, an indented `hairpin off guard off ... learning on flood on ...` line. Older
 * iproute2 wrote `3: eth0 state UP : <...> mtu 1500 master br0 state forwarding ...`; some versions
 * repeat the port name as the last word (`... isolated off ens3`), which is ignored. A bad header
 * is an error and its block is skipped.
 */
export function parseBridgeLink(text: string, opts: ParseOptions): ParseResult<BridgePort[]> {
  const sink = new DiagnosticSink(opts.file);
  const once = new OnceReporter(sink);
  const out: BridgePort[] = [];
  if (looksBinary(text)) {
    sink.error(1, 'input looks binary; not parsed as bridge link output');
    return { value: out, diagnostics: sink.diagnostics };
  }
  let cur: { f: PortFields; first: Segment; last: Segment } | undefined;
  let skipping = false;
  const close = (): void => {
    if (!cur) return;
    const span = spanOfSegments(opts.file, cur.first, cur.last);
    cur.f.raw = text.slice(span.offset, span.endOffset);
    cur.f.span = span;
    out.push(cur.f as BridgePort);
    cur = undefined;
  };
  for (const l of iterateLines(text)) {
    if (isBlankLine(l.text)) continue;
    const seg = segmentOfLine(l);
    const toks = tokenize(l.text);
    const head = toks[0]!;
    if (firstNonBlank(l.text) > 0) {
      if (!cur) {
        if (!skipping) reportAt(sink, 'error', seg, 'detail line without a port header before it; skipped', head);
        continue;
      }
      cur.last = seg;
      readAttributes(cur.f, toks, 0, seg);
      continue;
    }
    close();
    const f = readHeader(seg, toks);
    skipping = f === undefined;
    if (f) cur = { f, first: seg, last: seg };
  }
  close();
  return { value: out, diagnostics: sink.diagnostics };

  function readHeader(seg: Segment, toks: readonly Token[]): PortFields | undefined {
    const idxTok = toks[0]!;
    const index = idxTok.text.endsWith(':') ? parseDecimal(idxTok.text.slice(0, -1)) : undefined;
    const nameTok = toks[1];
    if (index === undefined || !nameTok) {
      reportAt(sink, 'error', seg, `expected a bridge port header like '2: eth0: <...> mtu 1500 master br0 ...', found '${idxTok.text}'; skipped`, idxTok);
      return undefined;
    }
    let i = 2;
    let nameText = nameTok.text;
    if (nameText.endsWith(':')) nameText = nameText.slice(0, -1);
    else {
      // Old form: `3: eth0 state UP : <...>`: skip to the lone ':'.
      const colon = toks.findIndex((t, k) => k > 1 && t.text === ':');
      if (colon === -1) {
        reportAt(sink, 'error', seg, `expected 'NAME:' after the index, found '${nameTok.text}'; skipped`, nameTok);
        return undefined;
      }
      i = colon + 1;
    }
    const at = nameText.indexOf('@');
    const f: PortFields = { index, name: at > 0 ? nameText.slice(0, at) : nameText, flags: [], options: {} };
    if (at > 0) f.peerName = nameText.slice(at + 1);
    const flagsTok = toks[i];
    if (flagsTok?.text.startsWith('<')) {
      const inner = flagsTok.text.replace(/^</, '').replace(/>$/, '');
      f.flags = inner ? inner.split(',') : [];
      i++;
    }
    readAttributes(f, toks, i, seg);
    return f;
  }

  function readAttributes(f: PortFields, toks: readonly Token[], from: number, seg: Segment): void {
    for (let i = from; i < toks.length; i++) {
      const k = toks[i]!;
      const v = toks[i + 1];
      if (!v) {
        // Some iproute2 versions end the line with the port name again.
        if (k.text !== f.name && k.text !== `${f.name}@${f.peerName ?? ''}`) {
          once.report(`bridge:${k.text}`, 'warning', seg, `bridge link attribute '${k.text}' has no value; ignored`, k);
        }
        break;
      }
      i++;
      switch (k.text) {
        case 'mtu': case 'priority': case 'cost': {
          const n = parseDecimal(v.text);
          if (n === undefined) reportAt(sink, 'warning', seg, `bad ${k.text} '${v.text}'; ignored`, v);
          else if (k.text === 'mtu') f.mtu = n;
          else if (k.text === 'priority') f.priority = n;
          else f.cost = n;
          break;
        }
        case 'master': f.master = v.text; break;
        case 'state': f.state = v.text; break;
        default:
          if (v.text === 'on' || v.text === 'off' || /^\d+$/.test(v.text) || /^0x[0-9a-f]+$/i.test(v.text)) {
            f.options[k.text] = v.text;
            if (k.text === 'hairpin') f.hairpin = v.text === 'on';
            else if (k.text === 'learning') f.learning = v.text === 'on';
            else if (k.text === 'flood') f.flood = v.text === 'on';
          } else {
            once.report(`bridge:${k.text}`, 'warning', seg, `unknown bridge link attribute '${k.text} ${v.text}'; kept in raw, ignored`, k);
          }
      }
    }
  }
}
