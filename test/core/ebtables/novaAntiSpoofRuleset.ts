/**
 * A ruleset resembling what libvirt's nwfilter driver generated for nova-network instances
 * (seed 000: `libvirt-I-tap…` -> `I-tap…-mac`, `-ipv4-ip`, `-arp-mac`, `-arp-ip`, each ending in
 * `-j DROP`), plus the other constructs the simulator needs (negation in both places, masks,
 * ranges, wildcards, policies, a mark target, a quoted log prefix, counters).
 * Used by realEbtables.test.ts (loaded into a fresh network namespace) and by
 * realEbtablesFixtures.test.ts (the dumps captured from it, in test/fixtures/ebtables/nft-1.8.9/).
 */
export interface ExpectedRule {
  /** The rule as typed after `ebtables -t TABLE -A CHAIN`. */
  readonly text: string;
  readonly counters?: readonly [bigint, bigint];
}

export interface ExpectedChain {
  readonly table: 'filter' | 'nat';
  readonly name: string;
  readonly builtin: boolean;
  /** Policy set with -P (ACCEPT when not set). */
  readonly policy: string;
  readonly rules: readonly ExpectedRule[];
}

const tapChains = (tap: string, mac: string, ip: string): ExpectedChain[] => [
  {
    table: 'nat', name: `libvirt-I-${tap}`, builtin: false, policy: 'ACCEPT', rules: [
      { text: `-j I-${tap}-mac` },
      { text: `-p IPv4 -j I-${tap}-ipv4-ip` },
      { text: `-p ARP -j I-${tap}-arp-mac` },
      { text: `-p ARP -j I-${tap}-arp-ip` },
    ],
  },
  { table: 'nat', name: `I-${tap}-mac`, builtin: false, policy: 'ACCEPT', rules: [{ text: `-s ${mac} -j RETURN` }, { text: '-j DROP' }] },
  {
    table: 'nat', name: `I-${tap}-ipv4-ip`, builtin: false, policy: 'ACCEPT', rules: [
      { text: '-p IPv4 --ip-src 0.0.0.0 --ip-proto udp -j RETURN' },
      { text: `-p IPv4 --ip-src ${ip} -j RETURN` },
      { text: '-j DROP' },
    ],
  },
  { table: 'nat', name: `I-${tap}-arp-mac`, builtin: false, policy: 'ACCEPT', rules: [{ text: `-p ARP --arp-mac-src ${mac} -j RETURN` }, { text: '-j DROP' }] },
  { table: 'nat', name: `I-${tap}-arp-ip`, builtin: false, policy: 'ACCEPT', rules: [{ text: `-p ARP --arp-ip-src ${ip} -j RETURN` }, { text: '-j DROP' }] },
];

export const NOVA_RULESET: readonly ExpectedChain[] = [
  // nat: the seed's chains, with the seed's tap names, MACs and IPs.
  {
    table: 'nat', name: 'PREROUTING', builtin: true, policy: 'ACCEPT', rules: [
      { text: '-i tap0678bf1d-41 -j libvirt-I-tap0678bf1d-41', counters: [3n, 252n] },
      { text: '-i tap496fa038-9e -j libvirt-I-tap496fa038-9e' },
    ],
  },
  { table: 'nat', name: 'OUTPUT', builtin: true, policy: 'ACCEPT', rules: [] },
  {
    table: 'nat', name: 'POSTROUTING', builtin: true, policy: 'ACCEPT', rules: [
      { text: '-o tap496fa038-9e -j libvirt-O-tap496fa038-9e' },
    ],
  },
  ...tapChains('tap0678bf1d-41', 'fa:16:3e:a6:5f:70', '10.16.0.131'),
  ...tapChains('tap496fa038-9e', 'fa:16:3e:58:1:ac', '10.16.0.111'),
  {
    // Traffic to the VM, as libvirt's docs show for clean-traffic (O-vnet0-arp), and a DROP policy.
    table: 'nat', name: 'libvirt-O-tap496fa038-9e', builtin: false, policy: 'DROP', rules: [
      { text: '-p ARP --arp-op Reply --arp-mac-dst ! fa:16:3e:58:1:ac -j DROP' },
      { text: '-p ARP --arp-ip-dst ! 10.16.0.0/255.255.255.0 -j DROP' },
      { text: '-p ARP --arp-opcode 1 -j ACCEPT' },
      { text: '-p ARP ! --arp-gratuitous -j ACCEPT' },
      { text: '-s fa:16:3e:00:00:00/ff:ff:ff:00:00:00 -d Broadcast -j mark --mark-set 0x1 --mark-target CONTINUE' },
      { text: '-p 0x8035 -d Broadcast -j ACCEPT' },
      { text: '-p IPv4 -j RETURN' },
    ],
  },
  // filter: the constructs a VIP diagnosis meets on a Linux-bridge host.
  { table: 'filter', name: 'INPUT', builtin: true, policy: 'ACCEPT', rules: [] },
  {
    table: 'filter', name: 'FORWARD', builtin: true, policy: 'DROP', rules: [
      { text: '-i ! tap1 -o tap2 -j ACCEPT', counters: [7n, 700n] },
      { text: '-i tap+ -j vip-check' },
      { text: '-p IPv4 --ip-proto tcp --ip-sport ! 22 --ip-dport 80:90 -j DROP' },
      { text: '-p IPv4 --ip-proto 112 --ip-dst 224.0.0.18 -j ACCEPT', counters: [12345678901n, 98765432109876n] },
      { text: '-p ! IPv4 -j CONTINUE' },
      { text: '-p IPv6 --ip6-src fe80::/64 -j ACCEPT' },
      { text: '-s ! 01:00:00:00:00:00/01:00:00:00:00:00 -j ACCEPT' },
      { text: '--log-level info --log-prefix "spoof drop" -j DROP' },
    ],
  },
  { table: 'filter', name: 'OUTPUT', builtin: true, policy: 'ACCEPT', rules: [] },
  {
    table: 'filter', name: 'vip-check', builtin: false, policy: 'ACCEPT', rules: [
      { text: '-p IPv4 --ip-src ! 10.16.0.0/24 -j DROP' },
      { text: '-p ARP --arp-ip-src 10.16.0.250 --arp-op Request -j ACCEPT' },
      { text: '-j RETURN' },
    ],
  },
];

/** Splits a rule text into argv, honouring double quotes (only the log prefix uses them). */
export function ruleArgv(text: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[1] ?? m[2] ?? '');
  return out;
}

/** The ebtables commands (without the leading `ebtables`) that build NOVA_RULESET. */
export function rulesetCommands(): string[][] {
  const cmds: string[][] = [];
  for (const c of NOVA_RULESET) if (!c.builtin) cmds.push(['-t', c.table, '-N', c.name]);
  for (const c of NOVA_RULESET) if (c.policy !== 'ACCEPT') cmds.push(['-t', c.table, '-P', c.name, c.policy]);
  for (const c of NOVA_RULESET) {
    for (const r of c.rules) {
      const counters = r.counters ? ['-c', String(r.counters[0]), String(r.counters[1])] : [];
      cmds.push(['-t', c.table, '-A', c.name, ...ruleArgv(r.text), ...counters]);
    }
  }
  return cmds;
}
