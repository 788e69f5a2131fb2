import { execFileSync, spawnSync } from 'node:child_process';

/**
 * A throw-away network namespace with an OpenStack-like topology, built with the real iproute2:
 * a Linux bridge `qbr1234` (ports: veth `qvb1234` whose peer is `qvo1234`, tap `tap1234`, vxlan
 * `vx0`), a second bridge `br0` with a `br0:vip` address, a dummy `d0` (a veth end when the dummy
 * module is missing) with IPv4 and IPv6 addresses, routes in main/100/200/3232240897 including
 * blackhole/unreachable/prohibit/throw and multipath, and policy rules with from/to/fwmark/iif/
 * oif/not/goto/suppress_prefixlength. Nothing outside the namespace is touched.
 */
export interface LiveNamespace {
  readonly name: string;
  /** Why a step fell back (e.g. no dummy module), for the test log. */
  readonly notes: string[];
  run(argv: readonly string[]): string;
  remove(): void;
}

export function whyNoLiveIproute(): string | undefined {
  for (const tool of ['ip', 'bridge']) {
    const probe = spawnSync(tool, ['-V'], { encoding: 'utf8' });
    if (probe.error) return `iproute2 '${tool}' is not available (${probe.error.message})`;
  }
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'not root: cannot create a network namespace';
  return undefined;
}

export function createLiveNamespace(name: string): LiveNamespace {
  const notes: string[] = [];
  const exec = (argv: readonly string[]): string => execFileSync(argv[0]!, argv.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const inNs = (argv: readonly string[]): string => exec(['ip', 'netns', 'exec', name, ...argv]);
  const tryInNs = (argv: readonly string[]): boolean => spawnSync('ip', ['netns', 'exec', name, ...argv], { stdio: 'ignore' }).status === 0;
  exec(['ip', 'netns', 'add', name]);
  const ns: LiveNamespace = {
    name,
    notes,
    run: (argv) => inNs(argv),
    remove: () => { spawnSync('ip', ['netns', 'del', name], { stdio: 'ignore' }); },
  };
  try {
    // No DAD, no router solicitations: addresses and routes do not change between two dumps.
    for (const k of ['net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0', 'net.ipv6.conf.default.router_solicitations=0']) {
      tryInNs(['sysctl', '-q', '-w', k]);
    }
    inNs(['ip', 'link', 'add', 'qbr1234', 'type', 'bridge']);
    inNs(['ip', 'link', 'add', 'br0', 'type', 'bridge']);
    inNs(['ip', 'link', 'add', 'qvb1234', 'type', 'veth', 'peer', 'name', 'qvo1234']);
    inNs(['ip', 'link', 'set', 'qvb1234', 'master', 'qbr1234']);
    if (!tryInNs(['ip', 'link', 'add', 'd0', 'type', 'dummy'])) {
      notes.push('dummy interfaces are not supported by this kernel; d0 is a veth end (peer d0p)');
      inNs(['ip', 'link', 'add', 'd0', 'type', 'veth', 'peer', 'name', 'd0p']);
      inNs(['ip', 'link', 'set', 'd0p', 'up']);
    }
    if (tryInNs(['ip', 'tuntap', 'add', 'mode', 'tap', 'tap1234'])) inNs(['ip', 'link', 'set', 'tap1234', 'master', 'qbr1234']);
    else notes.push('tun/tap is not available; no tap1234');
    if (tryInNs(['ip', 'link', 'add', 'vx0', 'type', 'vxlan', 'id', '42', 'dstport', '4789', 'local', '10.1.0.1', 'remote', '10.0.0.2', 'dev', 'd0'])) {
      inNs(['ip', 'link', 'set', 'vx0', 'master', 'qbr1234']);
    } else notes.push('vxlan is not available; no vx0');
    for (const dev of ['lo', 'qbr1234', 'br0', 'qvb1234', 'qvo1234', 'd0', 'vx0']) tryInNs(['ip', 'link', 'set', dev, 'up']);
    inNs(['ip', 'addr', 'add', '10.1.0.1/24', 'dev', 'd0']);
    inNs(['ip', 'addr', 'add', '10.1.0.2/24', 'dev', 'd0']);
    inNs(['ip', 'addr', 'add', '2001:db8::1/64', 'dev', 'd0', 'nodad']);
    inNs(['ip', 'addr', 'add', '192.168.5.1/24', 'brd', '+', 'dev', 'br0', 'label', 'br0:vip']);
    inNs(['ip', 'addr', 'add', '192.168.21.1/24', 'dev', 'qvo1234']);
    const routes: string[][] = [
      ['10.9.0.0/16', 'via', '10.1.0.254'],
      ['default', 'via', '10.1.0.254', 'dev', 'd0', 'table', '100'],
      ['blackhole', '10.66.0.0/16'],
      ['unreachable', '10.67.0.0/16', 'table', '200'],
      ['prohibit', '10.68.0.0/16', 'table', '200'],
      ['throw', '10.69.0.0/16', 'table', '200'],
      ['10.70.0.0/16', 'nexthop', 'via', '10.1.0.253', 'dev', 'd0', 'weight', '1', 'nexthop', 'via', '10.1.0.252', 'dev', 'd0', 'weight', '2'],
      ['default', 'via', '192.168.21.3', 'dev', 'qvo1234', 'table', '3232240897'],
    ];
    for (const r of routes) inNs(['ip', 'route', 'add', ...r]);
    const routes6: string[][] = [
      ['2001:db8:5::/64', 'via', '2001:db8::fe', 'dev', 'd0', 'metric', '50', 'table', '100'],
      ['2001:db8:6::/64', 'nexthop', 'via', '2001:db8::fd', 'dev', 'd0', 'weight', '1', 'nexthop', 'via', '2001:db8::fc', 'dev', 'd0', 'weight', '1'],
      ['blackhole', '2001:db8:dead::/48'],
    ];
    for (const r of routes6) inNs(['ip', '-6', 'route', 'add', ...r]);
    const rules: string[][] = [
      ['from', '10.1.0.0/24', 'lookup', '100', 'priority', '1000'],
      ['to', '10.70.0.0/16', 'lookup', '200', 'priority', '1001'],
      ['fwmark', '0x1/0x1', 'lookup', '100', 'priority', '1002'],
      ['not', 'from', 'all', 'fwmark', '0x2', 'lookup', '200', 'priority', '1003'],
      ['iif', 'd0', 'lookup', 'main', 'priority', '1004'],
      ['lookup', 'main', 'suppress_prefixlength', '0', 'priority', '1005'],
      ['oif', 'br0', 'blackhole', 'priority', '1006'],
      ['from', '10.2.0.0/16', 'goto', '1010', 'priority', '1007'],
      ['iif', 'ghost0', 'lookup', '100', 'priority', '1008'],
      ['priority', '1010', 'unreachable'],
      ['from', '192.168.21.1/24', 'lookup', '3232240897', 'priority', '3232240897'],
    ];
    for (const r of rules) inNs(['ip', 'rule', 'add', ...r]);
    inNs(['ip', '-6', 'rule', 'add', 'from', '2001:db8::/64', 'lookup', '100', 'priority', '500']);
    inNs(['ip', 'neigh', 'add', '10.1.0.9', 'lladdr', '00:11:22:33:44:55', 'dev', 'd0', 'nud', 'permanent']);
    inNs(['ip', 'neigh', 'add', '2001:db8::9', 'lladdr', '00:11:22:33:44:56', 'dev', 'd0', 'nud', 'permanent']);
    if (!tryInNs(['bridge', 'fdb', 'add', '00:aa:bb:cc:dd:ee', 'dev', 'vx0', 'dst', '10.0.0.3', 'self', 'permanent'])) notes.push('could not add a vxlan fdb entry');
    tryInNs(['bridge', 'fdb', 'add', '02:00:00:00:12:34', 'dev', 'qvb1234', 'master', 'static']);
  } catch (e) {
    ns.remove();
    throw e;
  }
  return ns;
}

/** The dumps compared by the live test, as `ip`/`bridge` argv and the fixture file name they are saved under. */
export const LIVE_DUMPS: Readonly<Record<string, readonly string[]>> = {
  'ip_-d_link': ['ip', '-d', 'link'],
  'ip_-s_-d_link': ['ip', '-s', '-d', 'link'],
  'ip_-o_link': ['ip', '-o', 'link'],
  ip_addr: ['ip', 'addr'],
  'ip_-d_addr': ['ip', '-d', 'addr'],
  'ip_-o_addr': ['ip', '-o', 'addr'],
  ip_route_show_table_all: ['ip', 'route', 'show', 'table', 'all'],
  'ip_-6_route_show_table_all': ['ip', '-6', 'route', 'show', 'table', 'all'],
  ip_rule: ['ip', 'rule'],
  'ip_-6_rule': ['ip', '-6', 'rule'],
  ip_neigh: ['ip', 'neigh'],
  bridge_link: ['bridge', 'link'],
  'bridge_-d_link': ['bridge', '-d', 'link'],
  bridge_fdb: ['bridge', 'fdb'],
  'ip_-j_-d_link': ['ip', '-j', '-d', 'link'],
  'ip_-j_addr': ['ip', '-j', 'addr'],
  'ip_-j_route_show_table_all': ['ip', '-j', 'route', 'show', 'table', 'all'],
  'ip_-j_-6_route_show_table_all': ['ip', '-j', '-6', 'route', 'show', 'table', 'all'],
  'ip_-j_rule': ['ip', '-j', 'rule'],
  'ip_-j_-6_rule': ['ip', '-j', '-6', 'rule'],
  'ip_-j_neigh': ['ip', '-j', 'neigh'],
  'bridge_-j_link': ['bridge', '-j', 'link'],
  'bridge_-j_fdb': ['bridge', '-j', 'fdb'],
};
