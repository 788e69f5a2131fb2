import type { EbtablesDecoderKind } from './decodeEbtablesValue';
import type { EbtablesVerdict } from './EbtablesRule';

/**
 * The match and watcher options ebtables prints, with every accepted spelling, from ebtables
 * 2.0.x `extensions/ebt_*.c` and iptables-nft `extensions/libebt_*.c`. `arity` is the number of
 * value tokens; `decoder` says how to read the value for the simulator (absent: kept as text,
 * e.g. `--log-prefix`, which does not change a verdict).
 */
export interface EbtablesOptionSpec {
  /** The canonical spelling, the one ebtables prints. */
  readonly name: string;
  readonly arity: 0 | 1;
  readonly decoder?: EbtablesDecoderKind;
  /** The ebtables module that provides it: `base`, `ip`, `ip6`, `arp`, `vlan`, `log`... */
  readonly module: string;
  /** Watchers (`--log`, `--nflog`, `--ulog`) never change where a frame goes. */
  readonly watcher?: true;
}

type Row = readonly [names: string, arity: 0 | 1, decoder: EbtablesDecoderKind | undefined, module: string, watcher?: true];

// First name is canonical; `|` separates accepted aliases.
const ROWS: readonly Row[] = [
  ['-p|--protocol|--proto', 1, 'ethertype', 'base'],
  ['-s|--source|--src', 1, 'mac', 'base'],
  ['-d|--destination|--dst', 1, 'mac', 'base'],
  ['-i|--in-interface|--in-if', 1, 'interface', 'base'],
  ['-o|--out-interface|--out-if', 1, 'interface', 'base'],
  ['--logical-in', 1, 'interface', 'base'],
  ['--logical-out', 1, 'interface', 'base'],
  ['--ip-src|--ip-source', 1, 'ipv4', 'ip'],
  ['--ip-dst|--ip-destination', 1, 'ipv4', 'ip'],
  ['--ip-tos', 1, 'number', 'ip'],
  ['--ip-proto|--ip-protocol', 1, 'ipProtocol', 'ip'],
  ['--ip-sport|--ip-source-port', 1, 'portRange', 'ip'],
  ['--ip-dport|--ip-destination-port', 1, 'portRange', 'ip'],
  ['--ip-icmp-type', 1, undefined, 'ip'],
  ['--ip-igmp-type', 1, undefined, 'ip'],
  ['--ip6-src|--ip6-source', 1, 'ipv6', 'ip6'],
  ['--ip6-dst|--ip6-destination', 1, 'ipv6', 'ip6'],
  ['--ip6-tclass', 1, 'number', 'ip6'],
  ['--ip6-proto|--ip6-protocol', 1, 'ipProtocol', 'ip6'],
  ['--ip6-sport|--ip6-source-port', 1, 'portRange', 'ip6'],
  ['--ip6-dport|--ip6-destination-port', 1, 'portRange', 'ip6'],
  ['--ip6-icmp-type', 1, undefined, 'ip6'],
  ['--arp-op|--arp-opcode', 1, 'arpOpcode', 'arp'],
  ['--arp-htype', 1, 'number', 'arp'],
  ['--arp-ptype', 1, 'ethertype', 'arp'],
  ['--arp-ip-src', 1, 'ipv4', 'arp'],
  ['--arp-ip-dst', 1, 'ipv4', 'arp'],
  ['--arp-mac-src', 1, 'mac', 'arp'],
  ['--arp-mac-dst', 1, 'mac', 'arp'],
  ['--arp-gratuitous', 0, undefined, 'arp'],
  ['--vlan-id', 1, 'number', 'vlan'],
  ['--vlan-prio', 1, 'number', 'vlan'],
  ['--vlan-encap', 1, 'ethertype', 'vlan'],
  ['--802_3-sap', 1, 'number', '802_3'],
  ['--802_3-type', 1, 'number', '802_3'],
  ['--mark|--mark-match', 1, 'masked', 'mark_m'],
  ['--pkttype-type', 1, undefined, 'pkttype'],
  ['--limit', 1, undefined, 'limit'],
  ['--limit-burst', 1, 'number', 'limit'],
  ['--among-dst', 1, 'macList', 'among'],
  ['--among-src', 1, 'macList', 'among'],
  ['--among-dst-file', 1, undefined, 'among'],
  ['--among-src-file', 1, undefined, 'among'],
  ['--stp-type', 1, undefined, 'stp'],
  ['--stp-flags', 1, undefined, 'stp'],
  ['--stp-root-prio', 1, undefined, 'stp'],
  ['--stp-root-addr', 1, 'mac', 'stp'],
  ['--stp-root-cost', 1, undefined, 'stp'],
  ['--stp-sender-prio', 1, undefined, 'stp'],
  ['--stp-sender-addr', 1, 'mac', 'stp'],
  ['--stp-port', 1, undefined, 'stp'],
  ['--stp-msg-age', 1, undefined, 'stp'],
  ['--stp-max-age', 1, undefined, 'stp'],
  ['--stp-hello-time', 1, undefined, 'stp'],
  ['--stp-forward-delay', 1, undefined, 'stp'],
  ['--log', 0, undefined, 'log', true],
  ['--log-level', 1, undefined, 'log', true],
  ['--log-prefix', 1, undefined, 'log', true],
  ['--log-ip', 0, undefined, 'log', true],
  ['--log-arp', 0, undefined, 'log', true],
  ['--log-ip6', 0, undefined, 'log', true],
  ['--nflog', 0, undefined, 'nflog', true],
  ['--nflog-group', 1, undefined, 'nflog', true],
  ['--nflog-prefix', 1, undefined, 'nflog', true],
  ['--nflog-range', 1, undefined, 'nflog', true],
  ['--nflog-threshold', 1, undefined, 'nflog', true],
  ['--ulog', 0, undefined, 'ulog', true],
  ['--ulog-prefix', 1, undefined, 'ulog', true],
  ['--ulog-nlgroup', 1, undefined, 'ulog', true],
  ['--ulog-cprange', 1, undefined, 'ulog', true],
  ['--ulog-qthreshold', 1, undefined, 'ulog', true],
];

function buildTable(rows: readonly Row[]): ReadonlyMap<string, EbtablesOptionSpec> {
  const table = new Map<string, EbtablesOptionSpec>();
  for (const [names, arity, decoder, module, watcher] of rows) {
    const spellings = names.split('|');
    const spec: EbtablesOptionSpec = {
      name: spellings[0] ?? names,
      arity,
      module,
      ...(decoder ? { decoder } : {}),
      ...(watcher ? { watcher } : {}),
    };
    for (const s of spellings) table.set(s, spec);
  }
  return table;
}

/** Match and watcher options by every spelling. */
export const EBTABLES_MATCH_OPTIONS: ReadonlyMap<string, EbtablesOptionSpec> = buildTable(ROWS);

/**
 * Target extensions: their options, the option naming the verdict applied afterwards, and the
 * verdict when that option is absent (ebtables' own defaults).
 */
export interface EbtablesTargetSpec {
  readonly name: string;
  readonly defaultVerdict: EbtablesVerdict;
  readonly verdictOption: string;
  readonly options: ReadonlyMap<string, EbtablesOptionSpec>;
}

function target(name: string, defaultVerdict: EbtablesVerdict, verdictOption: string, rows: readonly Row[]): EbtablesTargetSpec {
  return { name, defaultVerdict, verdictOption, options: buildTable([...rows, [verdictOption, 1, undefined, name]]) };
}

export const EBTABLES_TARGET_EXTENSIONS: ReadonlyMap<string, EbtablesTargetSpec> = new Map([
  ['mark', target('mark', 'ACCEPT', '--mark-target', [
    ['--mark-set|--set-mark', 1, 'number', 'mark'],
    ['--mark-or', 1, 'number', 'mark'],
    ['--mark-and', 1, 'number', 'mark'],
    ['--mark-xor', 1, 'number', 'mark'],
  ])],
  ['snat', target('snat', 'ACCEPT', '--snat-target', [
    ['--to-src|--to-source', 1, 'mac', 'snat'],
    ['--snat-arp', 0, undefined, 'snat'],
  ])],
  ['dnat', target('dnat', 'ACCEPT', '--dnat-target', [['--to-dst|--to-destination', 1, 'mac', 'dnat']])],
  ['redirect', target('redirect', 'ACCEPT', '--redirect-target', [])],
  ['arpreply', target('arpreply', 'DROP', '--arpreply-target', [['--arpreply-mac', 1, 'mac', 'arpreply']])],
]);
