import type { Cidr } from '../net/Cidr';

/**
 * The typed meaning of an ebtables option's value, decoded next to its text so the simulator
 * never re-parses dump text. `-s fa:16:3e:0:0:1/ff:ff:ff:0:0:0` -> `{kind: 'mac', address, mask}`;
 * `-p IPv4` -> `{kind: 'ethertype', ethertype: 0x0800}`; `--arp-op Request` -> `{kind: 'arpOpcode', opcode: 1}`.
 * Negation is not part of the value: it lives on the option (`EbtablesOption.negated`).
 */
export type EbtablesValue =
  /** MAC with mask; keywords as ebtables prints them (`Unicast` = 00:..:00/01:00:..:00). */
  | { readonly kind: 'mac'; readonly address: bigint; readonly mask: bigint; readonly keyword?: MacKeyword }
  /** `-p IPv4` / `-p 0x0800` / `--arp-ptype IPv4`: an Ethernet type number. */
  | { readonly kind: 'ethertype'; readonly ethertype: number; readonly name?: string }
  /** `-p Length`: 802.3 frames, whose type/length field is below 0x0600. */
  | { readonly kind: 'length' }
  /** `--ip-src 10.0.0.0/24`, `--ip6-dst feed::/64`, non-contiguous masks kept in `cidr.mask`. */
  | { readonly kind: 'ip'; readonly cidr: Cidr }
  /** `--ip-dport 80:90` (inclusive); a single port has `from === to`. */
  | { readonly kind: 'portRange'; readonly from: number; readonly to: number }
  /** `--arp-op Request` -> 1; numbers are kept as numbers. */
  | { readonly kind: 'arpOpcode'; readonly opcode: number; readonly name?: string }
  /** `--ip-proto udp` -> 17. */
  | { readonly kind: 'ipProtocol'; readonly protocol: number; readonly name?: string }
  /** `-i tap+`: `wildcard` means "any interface whose name starts with `name`". */
  | { readonly kind: 'interface'; readonly name: string; readonly wildcard: boolean }
  /** `--mark 0x1/0xff`: a number under a mask (0xffffffff when not written); `--mark /0x4` sets `anyBitSet`. */
  | { readonly kind: 'masked'; readonly value: bigint; readonly mask: bigint; readonly anyBitSet?: boolean }
  /** `--vlan-id 10`, `--arp-htype 1`, `--limit-burst 5`. */
  | { readonly kind: 'number'; readonly value: number }
  /** `--among-src a,b`: each MAC (an `=IP` suffix is kept only in the text). */
  | { readonly kind: 'macList'; readonly addresses: readonly bigint[] };

export type MacKeyword = 'Unicast' | 'Multicast' | 'Broadcast' | 'BGA';

export type EbtablesValueKind = EbtablesValue['kind'];
