import type { DiagnosticSink } from '../text/Diagnostic';
import type { Address } from './Address';
import type { AddressCache } from './fastAddress';
import type { Mutable } from './Mutable';
import type { OnceReporter } from './reportOnce';
import { reportAt, type Segment } from './Segment';
import type { Token } from './tokenize';

/** Address flags `ip addr` prints as bare words (ip/ipaddress.c `ifa_flag_names`, plus `secondary`). */
export const ADDRESS_FLAGS: ReadonlySet<string> = new Set([
  'secondary', 'primary', 'temporary', 'deprecated', 'tentative', 'dadfailed', 'dynamic', 'noprefixroute', 'mngtmpaddr',
  'home', 'nodad', 'optimistic', 'stable-privacy', 'autojoin', 'permanent', 'noad',
]);

/** Address attributes followed by one value. */
const ADDRESS_KEYS: ReadonlySet<string> = new Set(['brd', 'peer', 'scope', 'metric', 'proto', 'any']);

export type AddressFields = Omit<Address, 'raw' | 'span'>;

/**
 * Reads `inet 10.0.0.128/24 brd 10.0.0.255 scope global secondary br-ens3:1` from `tokens[at]`
 * (the `inet`/`inet6` word). The trailing bare word of an IPv4 line is its label. A bad address
 * is an error and gives `undefined`; an unknown word is warned once and ignored.
 */
export function parseAddressTokens(
  tokens: readonly Token[], at: number, seg: Segment, sink: DiagnosticSink, once: OnceReporter, addrs: AddressCache,
): AddressFields | undefined {
  const famTok = tokens[at];
  const addrTok = tokens[at + 1];
  if (!famTok) return undefined;
  const family = famTok.text === 'inet6' ? 6 : 4;
  if (!addrTok) {
    reportAt(sink, 'error', seg, `\`${famTok.text}\` without an address; address skipped`, famTok);
    return undefined;
  }
  const cidr = addrs.cidr(addrTok.text);
  if (!cidr || cidr.family !== family) {
    reportAt(sink, 'error', seg, `bad ${famTok.text} address '${addrTok.text}'; address skipped`, addrTok);
    return undefined;
  }
  const a: Mutable<AddressFields> = { family, cidr, secondary: false, flags: [] };
  for (let i = at + 2; i < tokens.length; i++) {
    const t = tokens[i]!;
    const w = t.text;
    if (ADDRESS_KEYS.has(w) && i + 1 < tokens.length) {
      const v = tokens[++i]!;
      if (w === 'brd') {
        const ip = addrs.ip(v.text);
        if (ip) a.brd = ip;
        else reportAt(sink, 'warning', seg, `bad broadcast address '${v.text}'; ignored`, v);
      } else if (w === 'peer') {
        const p = addrs.cidr(v.text);
        if (p) a.peer = p;
        else reportAt(sink, 'warning', seg, `bad peer address '${v.text}'; ignored`, v);
      } else if (w === 'scope') {
        a.scope = v.text;
      }
      continue;
    }
    if (w === 'secondary') { a.secondary = true; continue; }
    if (ADDRESS_FLAGS.has(w)) { a.flags.push(w); continue; }
    // Old iproute2 prints unknown IPv6 flag bits in hex: `scope link tentative flags 08`.
    if (w === 'flags' && i + 1 < tokens.length) { a.flags.push(`flags ${tokens[++i]!.text}`); continue; }
    if (i === tokens.length - 1 && family === 4) { a.label = w; continue; }
    once.report(`addr:${w}`, 'warning', seg, `unknown address attribute '${w}'; kept in raw, ignored`, t);
  }
  return a;
}

/** `valid_lft forever preferred_lft forever` (the line after an address). */
export function applyLifetimes(a: Mutable<AddressFields>, tokens: readonly Token[]): void {
  for (let i = 0; i + 1 < tokens.length; i += 2) {
    const k = tokens[i]!.text;
    const v = tokens[i + 1]!.text;
    if (k === 'valid_lft') a.validLft = v;
    else if (k === 'preferred_lft') a.preferredLft = v;
  }
}
