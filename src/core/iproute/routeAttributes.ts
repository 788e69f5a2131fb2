/**
 * Words of an `ip route` line after the destination, as data: how many values each takes
 * (ip/iproute.c print_route). A word not here is warned once and skipped on its own.
 */
export const ROUTE_KEY_ARITY: Readonly<Record<string, number>> = {
  table: 1, proto: 1, scope: 1, src: 1, metric: 1, via: 1, dev: 1, weight: 1, pref: 1, mtu: 1, advmss: 1, rtt: 1,
  rttvar: 1, reordering: 1, window: 1, cwnd: 1, ssthresh: 1, realms: 1, realm: 1, rto_min: 1, initcwnd: 1, initrwnd: 1,
  quickack: 1, congctl: 1, features: 1, hoplimit: 1, expires: 1, error: 1, tos: 1, dsfield: 1, from: 1, nhid: 1,
  'ttl-propagate': 1, fastopen_no_cookie: 1, age: 1, users: 1, used: 1, ipid: 1, iif: 1, mark: 1, uid: 1,
};

/** Bare route / nexthop flags (RTNH_F_*, RTM_F_*). */
export const ROUTE_FLAGS: ReadonlySet<string> = new Set([
  'linkdown', 'onlink', 'dead', 'pervasive', 'offload', 'trap', 'offload_failed', 'notify', 'unresolved', 'rt_offload',
  'rt_trap', 'lock',
]);
