import type { Span } from '../text/Span';
import type { IptablesMatch } from './IptablesModel';
import { IptablesOptionRecord } from './IptablesOptionRecord';
import { ICMPV6_TYPE_NAMES, ICMP_TYPE_NAMES, servicePort } from './iptablesNames';

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
 */
export interface ListOptionsResult {
  matches: IptablesMatch[];
  targetOptions: IptablesOptionRecord[];
  goto: boolean;
  /** The target as iptables-save names it, when the `-L` target column says otherwise (`CT` for `-j NOTRACK`). */
  targetName?: string;
  comment?: string;
  /** Fragments that could not be translated: the text and its line-relative offset. */
  untranslated: { text: string; start: number; end: number }[];
  /** Service or ICMP names that are not in this tool's tables (kept as text). */
  unknownNames: string[];
}

interface Tok {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** Splits on blanks; `"..."` (LOG/NFLOG prefixes) and `/* ... *\/` (comments) stay one token each. */
function scan(line: string, from: number, to: number): Tok[] {
  const out: Tok[] = [];
  let i = from;
  while (i < to) {
    while (i < to && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
    if (i >= to) break;
    const start = i;
    if (line.startsWith('/* ', i) || line.startsWith('/**/', i)) {
      const close = line.indexOf(' */', i + 2);
      const end = close === -1 ? to : close + 3;
      out.push({ text: line.slice(start, end), start, end });
      i = end;
      continue;
    }
    if (line.charCodeAt(i) === 34) {
      const close = line.indexOf('"', i + 1);
      const end = close === -1 || close >= to ? to : close + 1;
      out.push({ text: line.slice(start, end), start, end });
      i = end;
      continue;
    }
    while (i < to && line.charCodeAt(i) !== 32 && line.charCodeAt(i) !== 9) i++;
    out.push({ text: line.slice(start, i), start, end: i });
  }
  return out;
}

class Scanner {
  i = 0;
  neg = false;
  negStart = -1;
  readonly result: ListOptionsResult = { matches: [], targetOptions: [], goto: false, untranslated: [], unknownNames: [] };
  private readonly built: { module: string; options: IptablesOptionRecord[]; start: number; end: number }[] = [];

  constructor(
    readonly toks: Tok[],
    readonly line: string,
    readonly lineSpan: Span,
    readonly target: string,
  ) {}

  peek(k = 0): string | undefined {
    return this.toks[this.i + k]?.text;
  }

  /** Starts a match, or continues the previous one when it is the same module (conntrack, iprange). */
  match(module: string, start: number, merge = false): { module: string; options: IptablesOptionRecord[]; start: number; end: number } {
    const last = this.built[this.built.length - 1];
    if (merge && last && last.module === module) return last;
    const m = { module, options: [] as IptablesOptionRecord[], start, end: start };
    this.built.push(m);
    return m;
  }

  option(name: string, values: string[], start: number, end: number, negated = false): IptablesOptionRecord {
    return new IptablesOptionRecord(name, negated, values, this.lineSpan, start, end, false);
  }

  /** Undo point: a reader that fails half-way leaves nothing behind. */
  mark(): [number, number, number] {
    return [this.built.length, this.result.targetOptions.length, this.result.unknownNames.length];
  }

  reset(at: [number, number, number]): void {
    this.built.length = at[0];
    this.result.targetOptions.length = at[1];
    this.result.unknownNames.length = at[2];
  }

  finish(): ListOptionsResult {
    for (const b of this.built) {
      this.result.matches.push({ module: b.module, options: b.options, text: this.line.slice(b.start, b.end) });
    }
    return this.result;
  }

  end(): number {
    return this.toks[this.i - 1]?.end ?? 0;
  }
}

type Reader = (s: Scanner, first: Tok) => boolean;

/** Port text as iptables-save prints it: names to numbers (`ssh` -> `22`), ranges kept (`1024:65535`). */
function ports(s: Scanner, text: string): string {
  return text
    .split(',')
    .map((part) =>
      part
        .split(':')
        .map((p) => {
          const n = servicePort(p);
          if (n === undefined) {
            s.result.unknownNames.push(p);
            return p;
          }
          return n;
        })
        .join(':'),
    )
    .join(',');
}

const TCP_FLAGS: readonly [number, string][] = [[0x01, 'FIN'], [0x02, 'SYN'], [0x04, 'RST'], [0x08, 'PSH'], [0x10, 'ACK'], [0x20, 'URG'], [0x40, 'ECE'], [0x80, 'CWR']];

function tcpFlags(text: string): string {
  if (!text.startsWith('0x')) return text;
  const v = Number.parseInt(text, 16);
  if (Number.isNaN(v)) return text;
  if (v === 0) return 'NONE';
  return TCP_FLAGS.filter(([bit]) => (v & bit) !== 0).map(([, name]) => name).join(',');
}

/** `tcp spt:68 dpt:!67 flags:0x17/0x02 option=2` (also udp, sctp, dccp, udplite with ports only). */
const readPorts: Reader = (s, first) => {
  const m = s.match(first.text, first.start);
  for (;;) {
    const t = s.toks[s.i];
    if (!t) break;
    const pm = /^(spt|dpt)s?:(!?)(.+)$/.exec(t.text);
    if (pm) {
      m.options.push(s.option(pm[1] === 'spt' ? '--sport' : '--dport', [ports(s, pm[3]!)], t.start, t.end, pm[2] === '!'));
      s.i++;
      continue;
    }
    const fm = first.text === 'tcp' ? /^flags:(!?)([^/]+)\/(.+)$/.exec(t.text) : null;
    if (fm) {
      m.options.push(s.option('--tcp-flags', [tcpFlags(fm[2]!), tcpFlags(fm[3]!)], t.start, t.end, fm[1] === '!'));
      s.i++;
      continue;
    }
    const om = first.text === 'tcp' ? /^option=(!?)(\d+)$/.exec(t.text) : null;
    if (om) {
      m.options.push(s.option('--tcp-option', [om[2]!], t.start, t.end, om[1] === '!'));
      s.i++;
      continue;
    }
    break;
  }
  m.end = s.end();
  return true;
};

/** `multiport dports 80,443,8000:8100`, `multiport sports  !53,123`. */
const readMultiport: Reader = (s, first) => {
  const kind = s.peek();
  const names: Record<string, string> = { sports: '--sports', dports: '--dports', ports: '--ports' };
  if (kind === undefined || names[kind] === undefined) return false;
  s.i++;
  let neg = false;
  if (s.peek() === '!') {
    neg = true;
    s.i++;
  }
  const list = s.toks[s.i];
  if (!list) return false;
  let text = list.text;
  if (text.startsWith('!')) {
    neg = true;
    text = text.slice(1);
  }
  s.i++;
  const m = s.match('multiport', first.start);
  m.options.push(s.option(names[kind]!, [ports(s, text)], s.toks[s.i - 3]!.start, list.end, neg));
  m.end = list.end;
  return true;
};

/** `PHYSDEV match [!] --physdev-in tapX [!] --physdev-is-bridged`: already in save syntax. */
const readPhysdev: Reader = (s, first) => {
  if (s.peek() !== 'match') return false;
  s.i++;
  const m = s.match('physdev', first.start);
  const withValue = new Set(['--physdev-in', '--physdev-out']);
  const flags = new Set(['--physdev-is-in', '--physdev-is-out', '--physdev-is-bridged']);
  for (;;) {
    let neg = false;
    let k = 0;
    if (s.peek() === '!') {
      neg = true;
      k = 1;
    }
    const name = s.peek(k);
    if (name === undefined || (!withValue.has(name) && !flags.has(name))) break;
    const start = s.toks[s.i]!.start;
    if (withValue.has(name)) {
      const v = s.toks[s.i + k + 1];
      if (!v) break;
      m.options.push(s.option(name, [v.text], start, v.end, neg));
      s.i += k + 2;
    } else {
      m.options.push(s.option(name, [], start, s.toks[s.i + k]!.end, neg));
      s.i += k + 1;
    }
  }
  m.end = s.end();
  return m.options.length > 0;
};

/** `/* Allow DHCP client traffic. *\/` -> `-m comment --comment "..."`. */
const readComment: Reader = (s, first) => {
  const inner = first.text.endsWith(' */') ? first.text.slice(3, -3) : first.text.slice(2);
  const m = s.match('comment', first.start);
  m.options.push(s.option('--comment', [inner], first.start, first.end));
  m.end = first.end;
  s.result.comment ??= inner;
  return true;
};

/** `state RELATED,ESTABLISHED` (the state match; its inversion is folded into the printed list). */
const readState: Reader = (s, first) => {
  const v = s.toks[s.i];
  if (!v) return false;
  s.i++;
  const m = s.match('state', s.neg ? s.negStart : first.start);
  m.options.push(s.option('--state', [v.text], s.neg ? s.negStart : first.start, v.end, s.neg));
  m.end = v.end;
  return true;
};

/** `ctstate DNAT`, `! ctstate INVALID`, `ctproto 6`, `ctorigdst 10.0.0.1`... one conntrack match per run. */
const readConntrack: Reader = (s, first) => {
  const v = s.toks[s.i];
  if (!v) return false;
  s.i++;
  const start = s.neg ? s.negStart : first.start;
  const m = s.match('conntrack', start, true);
  m.options.push(s.option(`--${first.text}`, [v.text], start, v.end, s.neg));
  m.end = v.end;
  return true;
};

/** `MAC fa:16:3e:c4:20:c7` / `MAC ! fa:...`. */
const readMac: Reader = (s, first) => {
  let neg = false;
  if (s.peek() === '!') {
    neg = true;
    s.i++;
  }
  const v = s.toks[s.i];
  if (!v) return false;
  s.i++;
  const m = s.match('mac', first.start);
  m.options.push(s.option('--mac-source', [v.text], first.start, v.end, neg));
  m.end = v.end;
  return true;
};

/** `match-set NAME src,dst` (optionally `! match-set`, then `return-nomatch`, `! update-counters`, `packets-gt N`...). */
const readSet: Reader = (s, first) => {
  const name = s.toks[s.i];
  const flags = s.toks[s.i + 1];
  if (!name || !flags || !/^(src|dst)(,(src|dst))*$/.test(flags.text)) return false;
  s.i += 2;
  const start = s.neg ? s.negStart : first.start;
  const m = s.match('set', start);
  m.options.push(s.option('--match-set', [name.text, flags.text], start, flags.end, s.neg));
  for (;;) {
    let neg = false;
    let k = 0;
    if (s.peek() === '!') {
      neg = true;
      k = 1;
    }
    const w = s.toks[s.i + k];
    if (!w) break;
    if (w.text === 'return-nomatch' || w.text === 'update-counters' || w.text === 'update-subcounters') {
      m.options.push(s.option(`--${w.text}`, [], s.toks[s.i]!.start, w.end, neg));
      s.i += k + 1;
      continue;
    }
    const c = /^(packets|bytes)-(eq|lt|gt)$/.exec(w.text);
    const v = s.toks[s.i + k + 1];
    if (c && v) {
      m.options.push(s.option(`--${w.text}`, [v.text], s.toks[s.i]!.start, v.end, neg));
      s.i += k + 2;
      continue;
    }
    break;
  }
  m.end = s.end();
  return true;
};

/** `icmp echo-request`, `icmptype 8`, `icmptype 3 code 4`, `icmp !type 0`, `ipv6-icmptype 134`, `ipv6-icmp router-advertisement`. */
function icmpReader(v6: boolean): Reader {
  return (s, first) => {
    const table = v6 ? ICMPV6_TYPE_NAMES : ICMP_TYPE_NAMES;
    const module = v6 ? 'icmp6' : 'icmp';
    const optName = v6 ? '--icmpv6-type' : '--icmp-type';
    let neg = false;
    let type: string | undefined;
    if (first.text.endsWith('icmptype')) {
      type = s.peek();
      if (type === undefined) return false;
      s.i++;
    } else {
      let w = s.peek();
      if (w === undefined) return false;
      if (w === '!type' || w.startsWith('!')) {
        neg = true;
        w = w.slice(1);
      }
      if (w === 'type') {
        s.i++;
        type = s.peek();
        if (type === undefined) return false;
        s.i++;
      } else {
        const mapped = table[w];
        if (mapped === undefined) {
          s.result.unknownNames.push(w);
          type = w;
        } else type = mapped;
        s.i++;
      }
    }
    let value = type;
    if (!v6 && value === '255') value = 'any';
    if (s.peek() === 'code' && s.peek(1) !== undefined) {
      value = `${type}/${s.peek(1)!}`;
      s.i += 2;
    } else if (s.peek() === 'codes' && s.peek(1) !== undefined) {
      // A code range has no save syntax: keep the type, the range text stays in `text`.
      s.i += 2;
    }
    const m = s.match(module, first.start);
    m.options.push(s.option(optName, [value], first.start, s.end(), neg));
    m.end = s.end();
    return true;
  };
}

/** `ADDRTYPE match src-type LOCAL dst-type !LOCAL limit-in`. */
const readAddrtype: Reader = (s, first) => {
  if (s.peek() !== 'match') return false;
  s.i++;
  const m = s.match('addrtype', first.start);
  for (;;) {
    const w = s.toks[s.i];
    if (!w) break;
    if ((w.text === 'src-type' || w.text === 'dst-type') && s.toks[s.i + 1]) {
      let v = s.toks[s.i + 1]!.text;
      const neg = v.startsWith('!');
      if (neg) v = v.slice(1);
      m.options.push(s.option(`--${w.text}`, [v], w.start, s.toks[s.i + 1]!.end, neg));
      s.i += 2;
      continue;
    }
    if (w.text === 'limit-in' || w.text === 'limit-out') {
      m.options.push(s.option(w.text === 'limit-in' ? '--limit-iface-in' : '--limit-iface-out', [], w.start, w.end));
      s.i++;
      continue;
    }
    break;
  }
  m.end = s.end();
  return m.options.length > 0;
};

/** `mark match [!] 0x4000/0x4000`, `connmark match  !0x0/0xffff0000`, old `MARK match`. */
function markMatchReader(module: string): Reader {
  return (s, first) => {
    if (s.peek() !== 'match') return false;
    s.i++;
    let neg = false;
    if (s.peek() === '!') {
      neg = true;
      s.i++;
    }
    const v = s.toks[s.i];
    if (!v) return false;
    s.i++;
    let value = v.text;
    if (value.startsWith('!')) {
      neg = true;
      value = value.slice(1);
    }
    const m = s.match(module, first.start);
    m.options.push(s.option('--mark', [value], first.start, v.end, neg));
    m.end = v.end;
    return true;
  };
}

/** Options of the rule's target: they are printed after the matches. */
function targetOption(s: Scanner, name: string, values: string[], start: number, end: number, neg = false): void {
  s.result.targetOptions.push(s.option(name, values, start, end, neg));
}

/**
 * `MARK and|or|xor|set|xset V` -> the one form iptables-save prints, `--set-xmark mark/mask`
 * (libxt_MARK.c mark_tg_print picks the word from mark and mask; this undoes it). Also CONNMARK.
 */
function xmark(op: string, text: string): string | undefined {
  const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;
  if (op === 'xset') return text;
  const v = Number(text);
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) return undefined;
  switch (op) {
    case 'and': return `0x0/${hex(~v)}`;
    case 'or': return `${hex(v)}/${hex(v)}`;
    case 'xor': return `${hex(v)}/0x0`;
    case 'set': return `${hex(v)}/0xffffffff`;
    default: return undefined;
  }
}

/** `MARK or 0x8000` / `MARK xset 0x1/0xffff` (target), or the old `MARK match` (match). */
const readMarkTarget: Reader = (s, first) => {
  if (s.peek() === 'match') return markMatchReader('mark')(s, first);
  const op = s.peek();
  const v = s.toks[s.i + 1];
  const value = op === undefined || !v ? undefined : xmark(op, v.text);
  if (value === undefined || !v) return false;
  s.i += 2;
  targetOption(s, '--set-xmark', [value], first.start, v.end);
  return true;
};

/** `CONNMARK save mask 0xffff0000`, `CONNMARK restore ctmask X nfmask ~Y`, `CONNMARK set 0x1`, or `CONNMARK match` (old match name). */
const readConnmarkTarget: Reader = (s, first) => {
  if (s.peek() === 'match') return markMatchReader('connmark')(s, first);
  const op = s.peek();
  if (op === undefined) return false;
  const v0 = s.toks[s.i + 1];
  const xv = v0 ? xmark(op, v0.text) : undefined;
  if (xv !== undefined && v0) {
    s.i += 2;
    targetOption(s, '--set-xmark', [xv], first.start, v0.end);
    return true;
  }
  if (op !== 'save' && op !== 'restore') return false;
  s.i++;
  let nfmask = '0xffffffff';
  let ctmask = '0xffffffff';
  for (;;) {
    const w = s.peek();
    const v = s.toks[s.i + 1];
    if (!v || (w !== 'mask' && w !== 'nfmask' && w !== 'ctmask')) break;
    const value = v.text.replace(/^~/, '');
    if (w === 'mask') nfmask = ctmask = value;
    else if (w === 'nfmask') nfmask = value;
    else ctmask = value;
    s.i += 2;
  }
  // iptables-save prints both masks, always, in this order.
  targetOption(s, op === 'save' ? '--save-mark' : '--restore-mark', [], first.start, s.end());
  targetOption(s, '--nfmask', [nfmask], first.start, s.end());
  targetOption(s, '--ctmask', [ctmask], first.start, s.end());
  return true;
};

/** `limit: avg 3/min burst 7` (limit) or `limit: up to 10/sec burst 5 mode srcip` (hashlimit). */
const readLimit: Reader = (s, first) => {
  if (s.peek() === 'avg' && s.peek(1) !== undefined) {
    const m = s.match('limit', first.start);
    m.options.push(s.option('--limit', [s.peek(1)!], first.start, s.toks[s.i + 1]!.end));
    s.i += 2;
    if (s.peek() === 'burst' && s.peek(1) !== undefined) {
      m.options.push(s.option('--limit-burst', [s.peek(1)!], s.toks[s.i]!.start, s.toks[s.i + 1]!.end));
      s.i += 2;
    }
    m.end = s.end();
    return true;
  }
  let name: string;
  if (s.peek() === 'up' && s.peek(1) === 'to') {
    name = '--hashlimit-upto';
    s.i += 2;
  } else if (s.peek() === 'above') {
    name = '--hashlimit-above';
    s.i++;
  } else return false;
  const rate = s.toks[s.i];
  if (!rate) return false;
  s.i++;
  const m = s.match('hashlimit', first.start);
  m.options.push(s.option(name, [rate.text], first.start, rate.end));
  const keys: Record<string, string> = {
    burst: '--hashlimit-burst', mode: '--hashlimit-mode', 'htable-size': '--hashlimit-htable-size',
    'htable-max': '--hashlimit-htable-max', 'htable-gcinterval': '--hashlimit-htable-gcinterval',
    'htable-expire': '--hashlimit-htable-expire', srcmask: '--hashlimit-srcmask', dstmask: '--hashlimit-dstmask',
  };
  for (;;) {
    const k = s.peek();
    const v = s.toks[s.i + 1];
    if (k === undefined || keys[k] === undefined || !v) break;
    m.options.push(s.option(keys[k]!, [v.text], s.toks[s.i]!.start, v.end));
    s.i += 2;
  }
  m.end = s.end();
  return true;
};

/** `statistic mode random probability 0.5`, `statistic mode nth every 3 packet 1`. */
const readStatistic: Reader = (s, first) => {
  if (s.peek() !== 'mode' || s.peek(1) === undefined) return false;
  const m = s.match('statistic', first.start);
  const mode = s.peek(1)!;
  s.i += 2;
  let neg = false;
  if (s.peek() === '!') {
    neg = true;
    s.i++;
  }
  m.options.push(s.option('--mode', [mode], first.start, s.end()));
  for (;;) {
    const k = s.peek();
    const v = s.toks[s.i + 1];
    if ((k !== 'probability' && k !== 'every' && k !== 'packet') || !v) break;
    m.options.push(s.option(`--${k}`, [v.text], s.toks[s.i]!.start, v.end, neg && k !== 'packet'));
    s.i += 2;
  }
  m.end = s.end();
  return true;
};

/** `recent: UPDATE seconds: 60 hit_count: 4 name: SSH side: source mask: 255.255.255.255`. */
const readRecent: Reader = (s, first) => {
  const start = s.neg ? s.negStart : first.start;
  const m = s.match('recent', start);
  const actions: Record<string, string> = { SET: '--set', CHECK: '--rcheck', UPDATE: '--update', REMOVE: '--remove' };
  const withValue: Record<string, string> = { 'seconds:': '--seconds', 'hit_count:': '--hitcount', 'name:': '--name', 'mask:': '--mask' };
  let side: IptablesOptionRecord | undefined;
  for (;;) {
    const t = s.toks[s.i];
    if (!t) break;
    if (actions[t.text] !== undefined) {
      m.options.push(s.option(actions[t.text]!, [], t.start, t.end, s.neg));
      s.i++;
    } else if (t.text === 'reap' || t.text === 'TTL-Match') {
      m.options.push(s.option(t.text === 'reap' ? '--reap' : '--rttl', [], t.start, t.end));
      s.i++;
    } else if (withValue[t.text] !== undefined && s.toks[s.i + 1]) {
      m.options.push(s.option(withValue[t.text]!, [s.toks[s.i + 1]!.text], t.start, s.toks[s.i + 1]!.end));
      s.i += 2;
    } else if (t.text === 'side:' && s.toks[s.i + 1]) {
      side = s.option(s.toks[s.i + 1]!.text === 'dest' ? '--rdest' : '--rsource', [], t.start, s.toks[s.i + 1]!.end);
      s.i += 2;
    } else break;
  }
  // `-L` prints the side before the mask; iptables-save after it.
  if (side) m.options.push(side);
  m.end = s.end();
  return m.options.length > 0;
};

/** `source IP range 10.0.0.1-10.0.0.9`, `destination IP range ! 10.0.0.1-10.0.0.9`. */
const readIprange: Reader = (s, first) => {
  if (s.peek() !== 'IP' || s.peek(1) !== 'range') return false;
  s.i += 2;
  let neg = false;
  if (s.peek() === '!') {
    neg = true;
    s.i++;
  }
  const v = s.toks[s.i];
  if (!v) return false;
  s.i++;
  const m = s.match('iprange', first.start, true);
  m.options.push(s.option(first.text === 'source' ? '--src-range' : '--dst-range', [v.text], first.start, v.end, neg));
  m.end = v.end;
  return true;
};

const LOG_LEVELS: Readonly<Record<string, string>> = { emerg: '0', alert: '1', crit: '2', err: '3', error: '3', warning: '4', warn: '4', notice: '5', info: '6', debug: '7' };
const LOG_FLAGS: readonly [number, string, string][] = [
  [0x01, 'tcp-sequence', '--log-tcp-sequence'], [0x02, 'tcp-options', '--log-tcp-options'],
  [0x04, 'ip-options', '--log-ip-options'], [0x08, 'uid', '--log-uid'], [0x20, 'macdecode', '--log-macdecode'],
];

/** `LOG flags 9 level 4 prefix "IN drop "` (numeric) or `LOG level warning tcp-sequence prefix "x"`. */
const readLog: Reader = (s, first) => {
  let level: string | undefined;
  const flags: string[] = [];
  let prefix: string | undefined;
  for (;;) {
    const w = s.peek();
    const v = s.peek(1);
    if (w === 'flags' && v !== undefined && /^\d+$/.test(v)) {
      const bits = Number(v);
      for (const [bit, , opt] of LOG_FLAGS) if ((bits & bit) !== 0) flags.push(opt);
      s.i += 2;
    } else if (w === 'level' && v !== undefined) {
      level = LOG_LEVELS[v] ?? v;
      s.i += 2;
    } else if (w === 'UNKNOWN' && s.peek(1) === 'level' && s.peek(2) !== undefined) {
      level = s.peek(2);
      s.i += 3;
    } else if (w === 'prefix' && v !== undefined && v.startsWith('"')) {
      prefix = v.length >= 2 && v.endsWith('"') ? v.slice(1, -1) : v.slice(1);
      s.i += 2;
    } else {
      const named = LOG_FLAGS.find(([, word]) => word === w);
      if (!named) break;
      flags.push(named[2]);
      s.i++;
    }
  }
  const end = s.end();
  // iptables-save leaves out the default level 4; so does the translation.
  if (level !== undefined && level !== '4') targetOption(s, '--log-level', [level], first.start, end);
  if (prefix !== undefined) targetOption(s, '--log-prefix', [prefix], first.start, end);
  for (const f of flags) targetOption(s, f, [], first.start, end);
  return true;
};

/** `nflog-prefix "x" nflog-group 1 nflog-range 0 nflog-size 123 nflog-threshold 42`. */
const readNflog: Reader = (s) => {
  const before = s.result.targetOptions.length;
  s.i--;
  for (;;) {
    const w = s.toks[s.i];
    const v = s.toks[s.i + 1];
    if (!w || !v || !/^nflog-(prefix|group|range|size|threshold)$/.test(w.text)) break;
    const value = v.text.startsWith('"') ? v.text.slice(1, v.text.endsWith('"') && v.text.length > 1 ? -1 : undefined) : v.text;
    targetOption(s, `--${w.text}`, [value], w.start, v.end);
    s.i += 2;
  }
  return s.result.targetOptions.length > before;
};

/** `to:10.1.7.3:53` (DNAT/SNAT/NETMAP), then `random`, `random-fully`, `persistent`. */
const readNatTo: Reader = (s, first) => {
  const name = s.target === 'DNAT' ? '--to-destination' : s.target === 'SNAT' ? '--to-source' : s.target === 'NETMAP' ? '--to' : undefined;
  if (name === undefined) return false;
  targetOption(s, name, [first.text.slice(3)], first.start, first.end);
  return true;
};

function flagReader(option: string): Reader {
  return (s, first) => {
    targetOption(s, option, [], first.start, first.end);
    return true;
  };
}

/** `redir ports 9697` (REDIRECT), `masq ports: 1024-65535` (MASQUERADE). */
const readToPorts: Reader = (s, first) => {
  const w = s.peek();
  const v = s.toks[s.i + 1];
  if ((w !== 'ports' && w !== 'ports:') || !v) return false;
  s.i += 2;
  targetOption(s, '--to-ports', [v.text], first.start, v.end);
  return true;
};

/** `CT notrack`, `CT helper netbios-ns`, `CT zone 4097`, `CT zone-orig mark`, `CT ctevents new,related`. */
const readCt: Reader = (s, first) => {
  let any = false;
  for (;;) {
    const w = s.peek();
    if (w === 'notrack') {
      targetOption(s, '--notrack', [], first.start, s.toks[s.i]!.end);
      s.i++;
      any = true;
      continue;
    }
    const v = s.toks[s.i + 1];
    if (w !== undefined && v && ['helper', 'timeout', 'ctevents', 'expevents', 'zone', 'zone-orig', 'zone-reply'].includes(w)) {
      targetOption(s, `--${w}`, [v.text], s.toks[s.i]!.start, v.end);
      s.i += 2;
      any = true;
      continue;
    }
    break;
  }
  return any;
};

/** `NOTRACK` printed by the CT target in notrack mode (`-j NOTRACK` / `-j CT --notrack`). */
const readNotrack: Reader = (s) => {
  // libxt_CT.c prints the CT target made by `-j NOTRACK` as ` NOTRACK`; iptables-save prints `-j NOTRACK`.
  if (s.target === 'CT') s.result.targetName = 'NOTRACK';
  return s.target === 'CT' || s.target === 'NOTRACK';
};

/** `TCPMSS clamp to PMTU`, `TCPMSS set 1400`. */
const readTcpmss: Reader = (s, first) => {
  if (s.peek() === 'clamp' && s.peek(1) === 'to' && s.peek(2) === 'PMTU') {
    s.i += 3;
    targetOption(s, '--clamp-mss-to-pmtu', [], first.start, s.end());
    return true;
  }
  if (s.peek() === 'set' && s.peek(1) !== undefined) {
    targetOption(s, '--set-mss', [s.peek(1)!], first.start, s.toks[s.i + 1]!.end);
    s.i += 2;
    return true;
  }
  return false;
};

const readChecksum: Reader = (s, first) => {
  if (s.peek() !== 'fill') return false;
  s.i++;
  targetOption(s, '--checksum-fill', [], first.start, s.end());
  return true;
};

/** `PKTTYPE = broadcast` / `PKTTYPE != unicast`. */
const readPkttype: Reader = (s, first) => {
  const op = s.peek();
  const v = s.toks[s.i + 1];
  if ((op !== '=' && op !== '!=') || !v) return false;
  s.i += 2;
  const m = s.match('pkttype', first.start);
  m.options.push(s.option('--pkt-type', [v.text], first.start, v.end, op === '!='));
  m.end = v.end;
  return true;
};

/** `TTL match TTL == 1` (also `!=`, `<`, `>`). */
const readTtl: Reader = (s, first) => {
  if (s.peek() !== 'match' || s.peek(1) !== 'TTL') return false;
  const op = s.peek(2);
  const v = s.toks[s.i + 3];
  const ops: Record<string, [string, boolean]> = { '==': ['--ttl-eq', false], '!=': ['--ttl-eq', true], '<': ['--ttl-lt', false], '>': ['--ttl-gt', false] };
  if (op === undefined || ops[op] === undefined || !v) return false;
  s.i += 4;
  const m = s.match('ttl', first.start);
  m.options.push(s.option(ops[op]![0], [v.text], first.start, v.end, ops[op]![1]));
  m.end = v.end;
  return true;
};

/** `length 0:100` / `length !0:100`. */
const readLength: Reader = (s, first) => {
  const v = s.toks[s.i];
  if (!v || !/^!?\d+(:\d+)?$/.test(v.text)) return false;
  s.i++;
  const m = s.match('length', first.start);
  m.options.push(s.option('--length', [v.text.replace(/^!/, '')], first.start, v.end, v.text.startsWith('!')));
  m.end = v.end;
  return true;
};

/** `owner UID match 0`, `owner GID match 100`. */
const readOwner: Reader = (s, first) => {
  const who = s.peek();
  if ((who !== 'UID' && who !== 'GID') || s.peek(1) !== 'match' || s.peek(2) === undefined) return false;
  s.i += 3;
  const m = s.match('owner', first.start);
  m.options.push(s.option(who === 'UID' ? '--uid-owner' : '--gid-owner', [s.toks[s.i - 1]!.text], first.start, s.end(), s.neg));
  m.end = s.end();
  return true;
};

/** `#conn src/32 > 4` (connlimit above) / `#conn dst/24 <= 4` (upto). */
const readConnlimit: Reader = (s, first) => {
  const who = s.peek();
  const op = s.peek(1);
  const v = s.toks[s.i + 2];
  const wm = who === undefined ? null : /^(src|dst)\/(\d+)$/.exec(who);
  if (!wm || (op !== '>' && op !== '<=') || !v) return false;
  s.i += 3;
  const m = s.match('connlimit', first.start);
  m.options.push(s.option(op === '>' ? '--connlimit-above' : '--connlimit-upto', [v.text], first.start, v.end));
  m.options.push(s.option('--connlimit-mask', [wm[2]!], first.start, v.end));
  m.options.push(s.option(wm[1] === 'src' ? '--connlimit-saddr' : '--connlimit-daddr', [], first.start, v.end));
  m.end = v.end;
  return true;
};

/** `add-set NAME src` / `del-set NAME src,dst` (SET target), then `exist`, `timeout N`. */
const readSetTarget: Reader = (s, first) => {
  const name = s.toks[s.i];
  const flags = s.toks[s.i + 1];
  if (!name || !flags) return false;
  s.i += 2;
  targetOption(s, `--${first.text}`, [name.text, flags.text], first.start, flags.end);
  for (;;) {
    if (s.peek() === 'exist') {
      targetOption(s, '--exist', [], s.toks[s.i]!.start, s.toks[s.i]!.end);
      s.i++;
    } else if (s.peek() === 'timeout' && s.toks[s.i + 1]) {
      targetOption(s, '--timeout', [s.peek(1)!], s.toks[s.i]!.start, s.toks[s.i + 1]!.end);
      s.i += 2;
    } else break;
  }
  return true;
};

/** `NFQUEUE num 3`, `NFQUEUE balance 0:3 bypass`. */
const readNfqueue: Reader = (s, first) => {
  let any = false;
  for (;;) {
    const w = s.peek();
    if ((w === 'num' || w === 'balance') && s.toks[s.i + 1]) {
      targetOption(s, w === 'num' ? '--queue-num' : '--queue-balance', [s.peek(1)!], first.start, s.toks[s.i + 1]!.end);
      s.i += 2;
    } else if (w === 'bypass' || w === 'cpu-fanout') {
      targetOption(s, w === 'bypass' ? '--queue-bypass' : '--queue-cpu-fanout', [], first.start, s.toks[s.i]!.end);
      s.i++;
    } else break;
    any = true;
  }
  return any;
};

/** `helper match "ftp"`. */
const readHelper: Reader = (s, first) => {
  if (s.peek() !== 'match' || s.peek(1) === undefined) return false;
  const v = s.toks[s.i + 1]!;
  s.i += 2;
  const m = s.match('helper', s.neg ? s.negStart : first.start);
  m.options.push(s.option('--helper', [v.text.replace(/^"|"$/g, '')], first.start, v.end, s.neg));
  m.end = v.end;
  return true;
};

const CONNTRACK_WORDS = ['ctstate', 'ctproto', 'ctorigsrc', 'ctorigdst', 'ctreplsrc', 'ctrepldst', 'ctstatus', 'ctexpire', 'ctdir', 'ctorigsrcport', 'ctorigdstport', 'ctreplsrcport', 'ctrepldstport'];

/** Keyword -> reader. A fragment starting with anything else is kept untranslated. */
const READERS: ReadonlyMap<string, Reader> = new Map<string, Reader>([
  ['tcp', readPorts], ['udp', readPorts], ['sctp', readPorts], ['dccp', readPorts], ['udplite', readPorts],
  ['multiport', readMultiport],
  ['PHYSDEV', readPhysdev],
  ['state', readState],
  ...CONNTRACK_WORDS.map((w): [string, Reader] => [w, readConntrack]),
  ['MAC', readMac],
  ['match-set', readSet],
  ['icmp', icmpReader(false)], ['icmptype', icmpReader(false)],
  ['ipv6-icmp', icmpReader(true)], ['ipv6-icmptype', icmpReader(true)],
  ['ADDRTYPE', readAddrtype],
  ['mark', markMatchReader('mark')],
  ['MARK', readMarkTarget],
  ['connmark', markMatchReader('connmark')],
  ['CONNMARK', readConnmarkTarget],
  ['limit:', readLimit],
  ['statistic', readStatistic],
  ['recent:', readRecent],
  ['source', readIprange], ['destination', readIprange],
  ['LOG', readLog],
  ['nflog-prefix', readNflog], ['nflog-group', readNflog], ['nflog-range', readNflog], ['nflog-size', readNflog], ['nflog-threshold', readNflog],
  ['reject-with', (s, first) => {
    const v = s.toks[s.i];
    if (!v) return false;
    s.i++;
    targetOption(s, '--reject-with', [v.text], first.start, v.end);
    return true;
  }],
  ['random', flagReader('--random')], ['random-fully', flagReader('--random-fully')], ['persistent', flagReader('--persistent')],
  ['redir', readToPorts], ['masq', readToPorts],
  ['CT', readCt], ['NOTRACK', readNotrack],
  ['TCPMSS', readTcpmss], ['CHECKSUM', readChecksum],
  ['PKTTYPE', readPkttype], ['TTL', readTtl], ['length', readLength], ['owner', readOwner], ['#conn', readConnlimit],
  ['add-set', readSetTarget], ['del-set', readSetTarget],
  ['NFQUEUE', readNfqueue],
  ['helper', readHelper],
]);

function readerFor(text: string): Reader | undefined {
  if (text.startsWith('/*')) return readComment;
  if (text.startsWith('to:')) return readNatTo;
  return READERS.get(text);
}

/**
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
