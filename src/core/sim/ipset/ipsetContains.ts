import { cidrContains } from '../../net/Cidr';
import type { IpAddress } from '../../net/IpAddress';
import type { IpSet } from '../../ipset/IpsetModel';

/**
 * `-m set --match-set NAME src[,dst]` for the set types Neutron and most hosts use: `hash:ip`,
 * `hash:net` (with `nomatch` exceptions, most specific entry wins). Multi-dimension types
 * (`hash:ip,port`...) and list:set return undefined: the rule is then indeterminate, not guessed.
 */
export function ipsetContains(set: IpSet, dims: readonly ('src' | 'dst')[], packet: { src: IpAddress; dst: IpAddress }): boolean | undefined {
  if (!/^(hash:ip|hash:net|iphash|nethash|bitmap:ip)$/.test(set.type)) return undefined;
  const ip = dims[0] === 'dst' ? packet.dst : packet.src;
  let best: { len: number; nomatch: boolean } | undefined;
  for (const m of set.members) {
    if (!m.cidr || !cidrContains(m.cidr, ip)) continue;
    if (!best || m.cidr.prefixLength > best.len) best = { len: m.cidr.prefixLength, nomatch: m.nomatch === true };
  }
  return best !== undefined && !best.nomatch;
}
