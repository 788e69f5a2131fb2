/**
 * What a dump's file name says about it, for the facts its content does not carry: which network
 * namespace it was taken in and which OVS bridge it describes. Content decides the format; this
 * only supplies hints.
 *
 *   netns/qrouter-1/iptables-save_-c                                   -> netns qrouter-1
 *   sos_commands/networking/ip_netns_exec_qrouter-9_iptables-save      -> netns qrouter-9
 *   sos_commands/openvswitch/ovs-ofctl_-O_OpenFlow13_dump-flows_br-int -> bridge br-int
 *   iptables_-t_nat_-nvL                                               -> table nat
 */
export interface PathHints {
  /** The namespace the command ran in; '' for the host's root namespace. */
  readonly netns: string;
  /** The command as the file name spells it, without directory and `.txt`/`.out`. */
  readonly command: string;
  readonly bridge?: string;
  /** `-t TABLE` in the name (iptables -L / ebtables -L are per table). */
  readonly table?: string;
  /** 6 when the name says ip6tables / `ip -6`. */
  readonly family?: 4 | 6;
}

/** Commands that can follow `ip netns exec NAME` in a sosreport file name. */
const NETNS_COMMANDS = ['ip', 'iptables-save', 'ip6tables-save', 'iptables', 'ip6tables', 'ipset', 'conntrack',
  'sysctl', 'ss', 'netstat', 'route', 'ebtables', 'bridge', 'arp', 'cat'];

/** Subcommands whose next word is the OVS bridge. */
const OVS_BRIDGE_SUBCOMMANDS = new Set(['dump-flows', 'show', 'dump-ports-desc', 'dump-ports', 'dump-groups',
  'dump-tables', 'fdb.show', 'fdb/show', 'mdb.show', 'bridge.dump-flows', 'dump-group-features']);

export function classifyPath(relativePath: string): PathHints {
  const parts = relativePath.split(/[\\/]+/).filter((p) => p.length > 0);
  const base = (parts[parts.length - 1] ?? '').replace(/\.(txt|out|log)$/i, '');
  let netns = '';
  const nsIdx = parts.lastIndexOf('netns');
  if (nsIdx !== -1 && nsIdx < parts.length - 2) netns = parts[nsIdx + 1] ?? '';

  let command = base;
  const execPrefix = 'ip_netns_exec_';
  if (base.startsWith(execPrefix)) {
    const rest = base.slice(execPrefix.length);
    // Namespace names may contain '_' in theory; split at the first known command instead.
    let best = -1;
    for (const cmd of NETNS_COMMANDS) {
      const i = rest.indexOf(`_${cmd}_`) !== -1 ? rest.indexOf(`_${cmd}_`) : rest.endsWith(`_${cmd}`) ? rest.length - cmd.length - 1 : -1;
      if (i > 0 && (best === -1 || i < best)) best = i;
    }
    if (best > 0) {
      netns = rest.slice(0, best);
      command = rest.slice(best + 1);
    }
  } else {
    // Operators' own names: `iptables-save_netns_qrouter-1`.
    const m = /_netns_([^_]+)$/.exec(base);
    // ...but `ip_netns_list` is the `ip netns list` command itself, not a namespace named "list".
    if (m?.[1] && !netns && !/^ip_netns(_list)?$/.test(base)) {
      netns = m[1];
      command = base.slice(0, m.index);
    }
  }

  const words = command.split('_');
  const hints: { -readonly [K in keyof PathHints]: PathHints[K] } = { netns, command };
  for (let i = 0; i < words.length - 1; i++) {
    const w = words[i] ?? '';
    if (OVS_BRIDGE_SUBCOMMANDS.has(w)) {
      // Options may sit between the subcommand and the bridge: `bridge.dump-flows_--offload-stats_br-int`.
      const next = words.slice(i + 1).find((x) => !x.startsWith('-'));
      if (next) hints.bridge = next;
    }
    if (w === '-t' && words[i + 1]) hints.table = words[i + 1];
  }
  if (/^ip6tables|(^|_)-6(_|$)/.test(command)) hints.family = 6;
  return hints;
}
