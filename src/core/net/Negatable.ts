/**
 * A match value that may be inverted with `!` (iptables `! -s 10.0.0.0/8`, ebtables `--ip-src ! X`).
 * Kept explicit so the simulator and the explanation both say "not in 10.0.0.0/8".
 */
export interface Negatable<T> {
  readonly negated: boolean;
  readonly value: T;
}
