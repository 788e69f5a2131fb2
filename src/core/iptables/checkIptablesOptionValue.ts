import { parseMac } from '../net/MacAddress';
import { servicePort } from './iptablesNames';

/**
 * Values that are easy to get wrong in a hand-edited or pasted dump and that decide a verdict:
 * MACs (seed 003 has `--mac-source neutron-openvswi-o38833ad6-c`, a copy-paste slip), ports and
 * port lists, conntrack states. Returns what is wrong, or undefined. The caller keeps the option
 * and reports an error, so the simulator can say the rule is undecidable instead of guessing.
 */
const STATES = new Set(['INVALID', 'NEW', 'ESTABLISHED', 'RELATED', 'UNTRACKED', 'SNAT', 'DNAT']);

function isPort(p: string): boolean {
  const n = servicePort(p);
  return n !== undefined && Number(n) <= 65535;
}

/** `22`, `1024:65535`, `:1023`, `1024:` (iptables fills the open end), or a service name. */
function isPortRange(v: string): boolean {
  const parts = v.split(':');
  if (parts.length > 2) return false;
  return parts.every((p, k) => (p === '' && parts.length === 2 && (k === 0 || k === 1)) || isPort(p)) && v !== ':';
}

/**
 * `fa:16:3e:c4:20:c7`, the form iptables-save prints: six two-digit hex groups, which parseMac
 * always accepts. Checked by hand because thousands of spoof-chain rules carry one and parseMac
 * splits and matches a regex per group.
 */
function isPlainMac(v: string): boolean {
  if (v.length !== 17) return false;
  for (let k = 0; k < 17; k++) {
    const c = v.charCodeAt(k);
    if (k % 3 === 2) {
      if (c !== 58) return false; // ':'
    } else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return false;
  }
  return true;
}

const CHECKS: ReadonlyMap<string, (v: string) => string | undefined> = new Map<string, (v: string) => string | undefined>([
  ['--mac-source', (v) => (isPlainMac(v) || parseMac(v) !== undefined ? undefined : 'not a MAC address')],
  ['--sport', (v) => (isPortRange(v) ? undefined : 'not a port or port range')],
  ['--dport', (v) => (isPortRange(v) ? undefined : 'not a port or port range')],
  ['--sports', (v) => (v.split(',').every(isPortRange) ? undefined : 'not a list of ports')],
  ['--dports', (v) => (v.split(',').every(isPortRange) ? undefined : 'not a list of ports')],
  ['--ports', (v) => (v.split(',').every(isPortRange) ? undefined : 'not a list of ports')],
  ['--state', (v) => (v.split(',').every((s) => STATES.has(s)) ? undefined : 'not a list of conntrack states')],
  ['--ctstate', (v) => (v.split(',').every((s) => STATES.has(s)) ? undefined : 'not a list of conntrack states')],
]);

export function checkIptablesOptionValue(option: string, value: string): string | undefined {
  const check = CHECKS.get(option);
  return check ? check(value) : undefined;
}
