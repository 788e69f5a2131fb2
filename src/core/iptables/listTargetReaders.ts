import { targetOption, type Reader } from './ListOptionScanner';
import { markMatchReader } from './listMatchReaders';

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

/**
 * Readers of target prints in the `-L` options column (they follow the matches): `reject-with
 * icmp-port-unreachable`, `to:10.1.7.3:53` (DNAT/SNAT), `random-fully`, `redir ports 9697`,
 * `MARK or 0x8000` (back to iptables-save's `--set-xmark`), `CONNMARK save mask M`, `CT zone 4097`,
 * `LOG flags 0 level 4 prefix "x"`, `TCPMSS clamp to PMTU`... A reader returns false when the
 * words do not fit (nothing is consumed).
 */
export const LIST_TARGET_READERS: ReadonlyMap<string, Reader> = new Map<string, Reader>([
  ['MARK', readMarkTarget],
  ['CONNMARK', readConnmarkTarget],
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
  ['add-set', readSetTarget], ['del-set', readSetTarget],
  ['NFQUEUE', readNfqueue],
  ['to:', readNatTo],
]);
