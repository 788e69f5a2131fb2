/**
 * Default priority of a filter's chain, by its prefix (libvirt `nwfilter_conf.h`
 * `NWFILTER_*_FILTER_PRI`): `mac` -> -800, `ipv4-ip` -> -700 (prefix `ipv4`), `root` -> 0.
 * A filter's own `priority` attribute overrides it. Lower runs first.
 */
export const NWFILTER_CHAIN_PRIORITIES: Readonly<Record<string, number>> = {
  root: 0,
  stp: -810,
  mac: -800,
  vlan: -750,
  ipv4: -700,
  ipv6: -600,
  arp: -500,
  rarp: -400,
};

/** libvirt's default rule priority. */
export const NWFILTER_DEFAULT_RULE_PRIORITY = 500;

export function defaultChainPriority(chain: string): number {
  const dash = chain.indexOf('-');
  const prefix = dash === -1 ? chain : chain.slice(0, dash);
  return NWFILTER_CHAIN_PRIORITIES[prefix] ?? 0;
}
