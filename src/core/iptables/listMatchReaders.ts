import type { IptablesOptionRecord } from './IptablesOptionRecord';
import { ports, type Reader } from './ListOptionScanner';
import { ICMPV6_TYPE_NAMES, ICMP_TYPE_NAMES } from './iptablesNames';

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
  m.options.push(s.option(names[kind], [ports(s, text)], s.toks[s.i - 3]!.start, list.end, neg));
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
export function markMatchReader(module: string): Reader {
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
    m.options.push(s.option(keys[k], [v.text], s.toks[s.i]!.start, v.end));
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
  m.options.push(s.option(ops[op][0], [v.text], first.start, v.end, ops[op][1]));
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

/**
 * Readers of match prints in the `-L` options column, keyed by their first word, each undoing one
 * libxt_*.c print function: `tcp spt:68 dpt:67` -> `-m tcp --sport 68 --dport 67`, `PHYSDEV match
 * --physdev-in tapX`, `! match-set NAME src`, `icmptype 8`, `ADDRTYPE match dst-type LOCAL`...
 * A reader returns false when the words do not have the shape it expects (nothing is consumed).
 */
export const LIST_MATCH_READERS: ReadonlyMap<string, Reader> = new Map<string, Reader>([
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
  ['connmark', markMatchReader('connmark')],
  ['limit:', readLimit],
  ['statistic', readStatistic],
  ['recent:', readRecent],
  ['source', readIprange], ['destination', readIprange],
  ['PKTTYPE', readPkttype], ['TTL', readTtl], ['length', readLength], ['owner', readOwner], ['#conn', readConnlimit],
  ['helper', readHelper],
  ['/*', readComment],
]);
