import { parseIp } from '../net/IpAddress';
import { parseMac } from '../net/MacAddress';
import { DiagnosticSink, type ParseOptions, type ParseResult } from '../text/Diagnostic';
import { iterateLines, looksBinary } from '../text/lines';
import type { Span } from '../text/Span';
import type { Address } from './Address';
import type { Link, LinkBridge, LinkBridgeSlave, LinkVxlan } from './Link';
import { AddressCache } from './fastAddress';
import { IGNORED_DETAIL_WORDS, isLinkKindWord } from './linkKinds';
import type { Mutable } from './Mutable';
import { applyLifetimes, parseAddressTokens, type AddressFields } from './parseAddressTokens';
import { OnceReporter } from './reportOnce';
import { reportAt, segmentOfLine, spanOfSegments, splitOneline, type Segment } from './Segment';
import { endOfNonBlank, firstNonBlank, hasToken, isBlankLine, parseDecimal, tokenize, tokenTexts, type Token } from './tokenize';

/** Header attributes after `<FLAGS>`; each takes one value. */
const HEADER_KEYS: ReadonlySet<string> = new Set(['mtu', 'qdisc', 'master', 'state', 'mode', 'group', 'qlen', 'link-netnsid', 'netns']);

/** Lines that documents put where they cut output (`(...)`): skipped with an info. */
const ELISION_MARKERS: ReadonlySet<string> = new Set(['(...)', '...', '…', '[...]', '(…)']);

/** A link being read; `addresses`, `raw` and `span` are filled in when its block ends. */
type LinkFields = Mutable<Omit<Link, 'raw' | 'span' | 'addresses' | 'stats'>> & Partial<Mutable<Pick<Link, 'raw' | 'span' | 'addresses' | 'stats'>>>;

interface AddressDraft {
  fields: Mutable<AddressFields>;
  first: Segment;
  startCol: number;
  last: Segment;
}

interface LinkDraft {
  fields: LinkFields;
  addresses: Address[];
  stats?: { rx: Record<string, number>; tx: Record<string, number> };
  first: Segment;
  last: Segment;
  addr?: AddressDraft;
  statsHeader?: { dir: 'rx' | 'tx'; names: string[] };
  /** Built from `ip -o addr` lines, which carry only index and name. */
  oneline: boolean;
}

/**
 * The block parser behind `parseIpAddr` and `parseIpLink`: a header line per device
 * (`17: veth1883dceb@if16: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br-ens3 state UP ...`)
 * followed by indented detail lines (`link/ether ...`, the `-d` kind lines `veth`, `bridge_slave ...`,
 * `inet ...` + `valid_lft ...`, `-s` counters), or the `ip -o` forms where `\` stands for a newline.
 * Bad headers are errors (the block is skipped up to the next header); unknown attributes are
 * warned once per keyword and kept in `raw`.
 */
export function parseLinkBlocks(text: string, opts: ParseOptions, command: string): ParseResult<Link[]> {
  const sink = new DiagnosticSink(opts.file);
  const once = new OnceReporter(sink);
  const addrs = new AddressCache();
  const links: Link[] = [];
  if (looksBinary(text)) {
    sink.error(1, `input looks binary; not parsed as ${command} output`);
    return { value: links, diagnostics: sink.diagnostics };
  }
  let cur: LinkDraft | undefined;
  /** Set after a bad header: its detail lines are skipped quietly. */
  let skipping = false;

  const flushAddress = (d: LinkDraft): void => {
    const a = d.addr;
    if (!a) return;
    d.addr = undefined;
    // Filled in place: object spread costs more than reading the line.
    const span = spanOfSegments(opts.file, a.first, a.last, a.startCol);
    const addr = a.fields as Mutable<AddressFields> & { raw?: string; span?: Span };
    addr.raw = text.slice(span.offset, span.endOffset);
    addr.span = span;
    d.addresses.push(addr as Address);
  };
  const close = (): void => {
    if (!cur) return;
    flushAddress(cur);
    const span = spanOfSegments(opts.file, cur.first, cur.last);
    const link = cur.fields;
    link.addresses = cur.addresses;
    if (cur.stats) link.stats = cur.stats;
    link.raw = text.slice(span.offset, span.endOffset);
    link.span = span;
    links.push(link as Link);
    cur = undefined;
  };
  const startAddress = (d: LinkDraft, toks: readonly Token[], at: number, seg: Segment): void => {
    flushAddress(d);
    const fields = parseAddressTokens(toks, at, seg, sink, once, addrs);
    if (fields) d.addr = { fields, first: seg, startCol: toks[at]!.start, last: seg };
  };

  for (const l of iterateLines(text)) {
    if (isBlankLine(l.text)) continue;
    const segs = l.text.includes('\\') ? splitOneline(l) : [segmentOfLine(l)];
    for (let si = 0; si < segs.length; si++) {
      const seg = segs[si]!;
      const toks = tokenize(seg.text);
      const head = toks[0];
      if (!head) continue;
      if (toks.length === 1 && ELISION_MARKERS.has(head.text)) {
        reportAt(sink, 'info', seg, `'${head.text}' marks output cut by the author of this document; skipped`, head);
        continue;
      }
      if (si === 0 && /^\d+:$/.test(head.text) && toks.length >= 2) {
        const second = toks[1]!;
        const third = toks[2];
        // `ip -o addr`: `9: br-ens3    inet 10.0.0.128/24 brd 10.0.0.255 scope global br-ens3\       valid_lft ...`
        if (!second.text.endsWith(':') && third && (third.text === 'inet' || third.text === 'inet6')) {
          const index = parseDecimal(head.text.slice(0, -1));
          const { name, peer } = splitName(second.text);
          if (cur?.oneline && cur.fields.index === index && cur.fields.name === name) {
            cur.last = seg;
          } else {
            close();
            const fields: LinkFields = { name, flags: [] };
            if (index !== undefined) fields.index = index;
            if (peer !== undefined) fields.peerName = peer;
            cur = { fields, addresses: [], first: seg, last: seg, oneline: true };
          }
          skipping = false;
          startAddress(cur, toks, 2, seg);
          continue;
        }
        close();
        cur = parseHeader(seg, toks, sink, once);
        skipping = cur === undefined;
        continue;
      }
      if (si === 0 && firstNonBlank(seg.text) === 0) {
        close();
        skipping = false;
        reportAt(sink, 'error', seg, `expected an ${command} header like '2: eth0: <BROADCAST,UP> mtu 1500 ...'; line skipped`, head);
        continue;
      }
      if (!cur) {
        if (!skipping) reportAt(sink, 'error', seg, `detail line outside any link block (no 'N: name:' header before it); skipped`, head);
        continue;
      }
      cur.last = seg;
      readDetail(cur, seg, toks);
    }
  }
  close();
  return { value: links, diagnostics: sink.diagnostics };

  function readDetail(d: LinkDraft, seg: Segment, toks: readonly Token[]): void {
    const w = toks[0]!.text;
    if (w === 'inet' || w === 'inet6') {
      startAddress(d, toks, 0, seg);
      return;
    }
    if (w === 'valid_lft' || w === 'preferred_lft') {
      if (d.addr) {
        applyLifetimes(d.addr.fields, toks);
        d.addr.last = seg;
      } else {
        reportAt(sink, 'warning', seg, `lifetime line without an address line before it; ignored`, toks[0]);
      }
      return;
    }
    flushAddress(d);
    if (w.startsWith('link/')) {
      readLinkLayer(d.fields, seg, toks);
    } else if (w === 'altname') {
      (d.fields.altNames ??= []).push(...tokenTexts(toks, 1));
    } else if (w === 'alias') {
      if (toks[1]) d.fields.alias = seg.text.slice(toks[1].start, endOfNonBlank(seg.text));
    } else if (w === 'RX:' || w === 'TX:' || ((w === 'RX' || w === 'TX') && toks[1]?.text === 'errors:')) {
      d.statsHeader = { dir: w.startsWith('RX') ? 'rx' : 'tx', names: tokenTexts(toks, w.endsWith(':') ? 1 : 2) };
    } else if (allDigits(toks)) {
      const h = d.statsHeader;
      if (!h) {
        once.report('stats-values', 'warning', seg, 'counter values without an RX:/TX: header line before them; ignored', toks[0]);
        return;
      }
      d.statsHeader = undefined;
      d.stats ??= { rx: {}, tx: {} };
      const into = d.stats[h.dir];
      for (let i = 0; i < h.names.length && i < toks.length; i++) into[h.names[i]!] = Number(toks[i]!.text);
    } else if (isLinkKindWord(w)) {
      readKind(d.fields, toks);
    } else if (!IGNORED_DETAIL_WORDS.has(w)) {
      once.report(`detail:${w}`, 'warning', seg, `unrecognised detail line starting '${w}'; kept in the link's raw text, not modelled`, toks[0]);
    }
  }

  function readLinkLayer(f: LinkFields, seg: Segment, toks: readonly Token[]): void {
    f.linkType = toks[0]!.text.slice('link/'.length);
    let i = 1;
    const addrTok = toks[1];
    if (addrTok && !['brd', 'link-netnsid', 'link-netns', 'peer', 'promiscuity'].includes(addrTok.text)) {
      const mac = parseMac(addrTok.text);
      if (mac !== undefined) f.mac = mac;
      i = 2;
    }
    for (; i < toks.length; i++) {
      const k = toks[i]!.text;
      const v = toks[i + 1];
      if (!v) break;
      if (k === 'brd') {
        const mac = parseMac(v.text);
        if (mac !== undefined) f.brd = mac;
        i++;
      } else if (k === 'link-netnsid') {
        const id = parseDecimal(v.text);
        if (id !== undefined) f.linkNetnsId = id;
        else reportAt(sink, 'warning', seg, `bad link-netnsid '${v.text}'; ignored`, v);
        i++;
      } else if (k === 'link-netns') {
        f.linkNetns = v.text;
        i++;
      }
    }
  }
}

/** A counters line of `ip -s link` (`846861610  559647   0 ...`). */
function allDigits(toks: readonly Token[]): boolean {
  for (const t of toks) if (!/^\d+$/.test(t.text)) return false;
  return true;
}

/** `veth1883dceb@if16:` -> name and the peer / lower device after `@`. */
function splitName(token: string): { name: string; peer?: string } {
  const t = token.endsWith(':') ? token.slice(0, -1) : token;
  const at = t.indexOf('@');
  if (at <= 0) return { name: t };
  return { name: t.slice(0, at), peer: t.slice(at + 1) };
}

function parseHeader(seg: Segment, toks: readonly Token[], sink: DiagnosticSink, once: OnceReporter): LinkDraft | undefined {
  const index = parseDecimal(toks[0]!.text.slice(0, -1));
  const nameTok = toks[1]!;
  if (index === undefined) {
    reportAt(sink, 'error', seg, `bad interface index '${toks[0]!.text}'; link skipped`, toks[0]);
    return undefined;
  }
  if (!nameTok.text.endsWith(':') || nameTok.text.length < 2) {
    reportAt(sink, 'error', seg, `expected 'NAME:' after the index, found '${nameTok.text}'; link skipped`, nameTok);
    return undefined;
  }
  const { name, peer } = splitName(nameTok.text);
  const f: LinkFields = { index, name, flags: [] };
  if (peer !== undefined) f.peerName = peer;
  let i = 2;
  const flagsTok = toks[2];
  if (flagsTok?.text.startsWith('<')) {
    const inner = flagsTok.text.endsWith('>') ? flagsTok.text.slice(1, -1) : flagsTok.text.slice(1);
    if (!flagsTok.text.endsWith('>')) reportAt(sink, 'warning', seg, `unterminated flag list '${flagsTok.text}'; read up to the end of the word`, flagsTok);
    f.flags = inner ? inner.split(',') : [];
    i = 3;
  } else {
    once.report('no-flags', 'info', seg, 'link header has no <FLAGS> list (lost when the dump went through HTML?); flags left empty', nameTok);
  }
  for (; i < toks.length; i++) {
    const k = toks[i]!;
    const v = toks[i + 1];
    if (!v) {
      once.report(`header:${k.text}`, 'warning', seg, `header attribute '${k.text}' has no value; ignored`, k);
      break;
    }
    i++;
    if (!HEADER_KEYS.has(k.text)) {
      once.report(`header:${k.text}`, 'warning', seg, `unknown link header attribute '${k.text}'; kept in raw, value ignored`, k);
      continue;
    }
    switch (k.text) {
      case 'mtu': {
        const n = parseDecimal(v.text);
        if (n !== undefined) f.mtu = n;
        else reportAt(sink, 'warning', seg, `bad mtu '${v.text}'; ignored`, v);
        break;
      }
      case 'master': f.master = v.text; break;
      case 'state': f.state = v.text; break;
      case 'link-netnsid': {
        const n = parseDecimal(v.text);
        if (n !== undefined) f.linkNetnsId = n;
        break;
      }
      default: break; // qdisc, mode, group, qlen, netns: not needed by the model
    }
  }
  return { fields: f, addresses: [], first: seg, last: seg, oneline: false };
}

function valueAfter(toks: readonly Token[], key: string): string | undefined {
  for (let i = 1; i + 1 < toks.length; i++) if (toks[i]!.text === key) return toks[i + 1]!.text;
  return undefined;
}

function onOff(v: string | undefined): boolean | undefined {
  return v === 'on' ? true : v === 'off' ? false : undefined;
}

/** `vxlan id 42 remote 10.0.0.2 local 10.1.0.1 dev e0 srcport 0 0 dstport 4789 ...`, `bridge ... stp_state 0 ...`. */
function readKind(f: LinkFields, toks: readonly Token[]): void {
  const w = toks[0]!.text;
  if (w.endsWith('_slave')) {
    f.slaveKind = w;
    if (w === 'bridge_slave') {
      const s: Mutable<LinkBridgeSlave> = {};
      const state = valueAfter(toks, 'state');
      if (state !== undefined) s.state = state;
      const hairpin = onOff(valueAfter(toks, 'hairpin'));
      if (hairpin !== undefined) s.hairpin = hairpin;
      const learning = onOff(valueAfter(toks, 'learning'));
      if (learning !== undefined) s.learning = learning;
      const flood = onOff(valueAfter(toks, 'flood'));
      if (flood !== undefined) s.flood = flood;
      f.bridgeSlave = s;
    }
    return;
  }
  f.kind = w;
  if (w === 'vxlan') {
    const v: Mutable<LinkVxlan> = { external: hasToken(toks, 'external') };
    const id = parseDecimal(valueAfter(toks, 'id') ?? '');
    if (id !== undefined) v.id = id;
    const remote = parseIp(valueAfter(toks, 'remote') ?? '');
    if (remote) v.remote = remote;
    const group = parseIp(valueAfter(toks, 'group') ?? '');
    if (group) v.group = group;
    const local = parseIp(valueAfter(toks, 'local') ?? '');
    if (local) v.local = local;
    const dev = valueAfter(toks, 'dev');
    if (dev !== undefined) v.dev = dev;
    const port = parseDecimal(valueAfter(toks, 'dstport') ?? '');
    if (port !== undefined) v.dstport = port;
    f.vxlan = v;
  } else if (w === 'bridge') {
    const b: Mutable<LinkBridge> = {};
    const stp = parseDecimal(valueAfter(toks, 'stp_state') ?? '');
    if (stp !== undefined) b.stpState = stp;
    const vf = valueAfter(toks, 'vlan_filtering');
    if (vf !== undefined) b.vlanFiltering = vf === '1';
    f.bridge = b;
  } else if (w === 'vlan') {
    const id = parseDecimal(valueAfter(toks, 'id') ?? '');
    if (id !== undefined) f.vlanId = id;
  }
}
