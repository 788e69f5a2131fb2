/**
 * Known stderr messages of the commands we run on hosts, turned into what an operator should do.
 * Data, not a switch: add a row to recognise one more message. The first matching row wins, so
 * the specific rows (sudo) come before the generic ones (permission). Patterns are linear and run
 * on at most the first 16 KiB of stderr.
 *
 *   "sudo: a password is required"              -> sudoPassword
 *   'Cannot open network namespace "qr-1": No such file or directory' -> netnsOpen
 */
export type KnownStderrId =
  | 'sudoPassword'
  | 'sudoNotAllowed'
  | 'netnsOpen'
  | 'commandNotFound'
  | 'ovsNotRunning'
  | 'ovsNoBridge'
  | 'ebtablesTable'
  | 'libvirtConnect'
  | 'permissionDenied';

export interface KnownStderr {
  readonly id: KnownStderrId;
  readonly pattern: RegExp;
  /** What it means and what to do, for the operator. */
  readonly advice: string;
}

export const KNOWN_STDERR: readonly KnownStderr[] = [
  {
    id: 'sudoPassword',
    pattern: /sudo: (?:a password is required|a terminal is required to read the password|no tty present and no askpass program specified)/,
    advice: 'sudo asks for a password: allow the read-only collection commands without one (sudoers: `USER ALL=(root) NOPASSWD: /usr/sbin/ip, /usr/sbin/iptables-save, /usr/sbin/ip6tables-save, /usr/sbin/ipset, /usr/sbin/ebtables, /usr/sbin/ebtables-save, /usr/sbin/bridge, /usr/sbin/sysctl, /usr/bin/ovs-vsctl, /usr/bin/ovs-ofctl, /usr/bin/ovs-appctl, /usr/bin/virsh`) or connect as root',
  },
  {
    id: 'sudoNotAllowed',
    pattern: /is not in the sudoers file|is not allowed to execute|may not run sudo on/,
    advice: 'sudo refuses this command for this user: add it to the NOPASSWD rule for the read-only collection commands, or connect as root',
  },
  {
    id: 'netnsOpen',
    pattern: /Cannot open network namespace "([^"\n]*)"/,
    advice: 'the network namespace vanished during the collection or cannot be entered; collect again',
  },
  {
    id: 'commandNotFound',
    pattern: /command not found|: not found(?:\n|$)|exec of "[^"\n]*" failed: No such file or directory|No such file or directory\s*$/,
    advice: 'the tool is not installed on the host (or not in PATH); this section is missing',
  },
  {
    id: 'ovsNotRunning',
    pattern: /database connection failed|db\.sock: (?:connection attempt failed|No such file or directory|Connection refused)|cannot connect to "[^"\n]*ovs-vswitchd[^"\n]*"/,
    advice: 'Open vSwitch is not running on the host (or runs with another OVS_RUNDIR)',
  },
  {
    id: 'ovsNoBridge',
    pattern: /is not a bridge or a socket|no bridge named/,
    advice: 'the OVS bridge vanished during the collection; collect again',
  },
  {
    id: 'ebtablesTable',
    pattern: /[Tt]able (?:'[^'\n]*' )?does not exist|can't initialize ebtables table|Unable to update the kernel/,
    advice: 'this ebtables table is not available in the kernel (module not loaded); it has no rules',
  },
  {
    id: 'libvirtConnect',
    pattern: /failed to connect to the hypervisor/,
    advice: 'libvirtd is not reachable; libvirt nwfilters are missing',
  },
  {
    id: 'permissionDenied',
    pattern: /Permission denied|Operation not permitted|you must be root|must be run as root|[Aa]ccess denied/,
    advice: 'the command needs root: connect as root or allow it through sudo NOPASSWD',
  },
];

export interface KnownStderrMatch {
  readonly id: KnownStderrId;
  readonly advice: string;
  /** The line of stderr that matched. */
  readonly line: string;
}

const SCAN_BYTES = 16 * 1024;

/** The first known message in `stderr`, or undefined. Never throws. */
export function explainStderr(stderr: string): KnownStderrMatch | undefined {
  const text = stderr.length > SCAN_BYTES ? stderr.slice(0, SCAN_BYTES) : stderr;
  for (const k of KNOWN_STDERR) {
    const m = k.pattern.exec(text);
    if (!m) continue;
    const start = text.lastIndexOf('\n', m.index) + 1;
    const end = text.indexOf('\n', m.index);
    return { id: k.id, advice: k.advice, line: text.slice(start, end === -1 ? undefined : end).trim() };
  }
  return undefined;
}
