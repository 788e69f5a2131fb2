import type { CollectTemplate } from './collectCommands';

/**
 * Where the collection's tools live on Debian/Ubuntu and RHEL-family hosts (sudoers needs full
 * paths; with merged /usr, /sbin/ip and /usr/sbin/ip are the same file, which sudo accepts).
 */
const TOOL_PATHS: Readonly<Record<string, string>> = {
  ip: '/usr/sbin/ip',
  'iptables-save': '/usr/sbin/iptables-save',
  'ip6tables-save': '/usr/sbin/ip6tables-save',
  ipset: '/usr/sbin/ipset',
  ebtables: '/usr/sbin/ebtables',
  'ebtables-save': '/usr/sbin/ebtables-save',
  bridge: '/usr/sbin/bridge',
  sysctl: '/usr/sbin/sysctl',
  'ovs-vsctl': '/usr/bin/ovs-vsctl',
  'ovs-ofctl': '/usr/bin/ovs-ofctl',
  'ovs-appctl': '/usr/bin/ovs-appctl',
  virsh: '/usr/bin/virsh',
};

/** The tools a non-root collection runs through `sudo -n`: every privileged template's, and `ip` for `ip netns exec`. */
export function sudoTools(commands: readonly CollectTemplate[]): string[] {
  const tools = new Set<string>(['ip']);
  for (const c of commands) {
    const tool = c.argv[0];
    // Unprivileged commands skip sudo in the root namespace; inside another one they are `ip netns exec ...`.
    if (tool && !c.unprivileged) tools.add(tool);
  }
  return [...tools].sort();
}

/**
 * The sudoers line that lets `user` run the read-only collection without a password, as put in
 * a drop-in (`visudo -f /etc/sudoers.d/osnet`):
 *
 *   heat-admin ALL=(root) NOPASSWD: /usr/bin/ovs-appctl, ..., /usr/sbin/ip, /usr/sbin/iptables-save
 *
 * Tools not in the path table are assumed under /usr/bin. Note for operators: `ip` through sudo
 * includes `ip netns exec`, i.e. any command as root, so grant this to a diagnostics account only.
 */
export function sudoersRule(user: string, commands: readonly CollectTemplate[]): string {
  const paths = sudoTools(commands).map((t) => TOOL_PATHS[t] ?? `/usr/bin/${t}`);
  return `${user} ALL=(root) NOPASSWD: ${paths.join(', ')}`;
}
