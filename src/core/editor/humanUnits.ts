/**
 * Counters and durations as operators read them in a hover: `12,345,678 packets (12.3 M)`,
 * `98,765,432 bytes (94.2 MiB)`, `17 h 40 min`. Exact values are always shown too.
 */
const GROUPS = /\B(?=(\d{3})+(?!\d))/g;

/** `12345678` -> `12,345,678`. */
export function groupDigits(n: bigint | number): string {
  return n.toString().replace(GROUPS, ',');
}

const DECIMAL = [['', 1], ['K', 1e3], ['M', 1e6], ['G', 1e9], ['T', 1e12], ['P', 1e15]] as const;
const BINARY = [['B', 1], ['KiB', 1024], ['MiB', 1024 ** 2], ['GiB', 1024 ** 3], ['TiB', 1024 ** 4], ['PiB', 1024 ** 5]] as const;

function scaled(n: number, units: readonly (readonly [string, number])[]): string {
  let unit = units[0]!;
  for (const u of units) if (n >= u[1]) unit = u;
  const v = n / unit[1];
  return `${v >= 100 || unit[1] === 1 ? v.toFixed(0) : v.toFixed(1)}${unit[0] === '' ? '' : ` ${unit[0]}`}`;
}

/** `12345678n` -> `12,345,678 packets (12.3 M)`; small counts stay plain. */
export function formatPackets(n: bigint | number): string {
  const v = Number(n);
  return v < 1000 ? `${groupDigits(n)} packet${v === 1 ? '' : 's'}` : `${groupDigits(n)} packets (${scaled(v, DECIMAL)})`;
}

/** `98765432109876n` -> `98,765,432,109,876 bytes (89.8 TiB)`. */
export function formatBytes(n: bigint | number): string {
  const v = Number(n);
  return v < 1024 ? `${groupDigits(n)} byte${v === 1 ? '' : 's'}` : `${groupDigits(n)} bytes (${scaled(v, BINARY)})`;
}

/** `63606.322` seconds -> `17 h 40 min`; `53.934` -> `54 s`; `190000` -> `2 d 4 h`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return `${seconds} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${Math.round(seconds - m * 60)} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m - h * 60} min`;
  const d = Math.floor(h / 24);
  return `${d} d ${h - d * 24} h`;
}

/**
 * A counter as `iptables -L` without `-x` prints it: powers of 1000 with a suffix (`12K`, `3M`).
 * Returns the approximate value, or undefined when the text is not such a counter.
 */
export function parseListCounter(text: string): number | undefined {
  const m = /^(\d+)([KMGTP]?)$/.exec(text);
  if (!m) return undefined;
  const mult: Readonly<Record<string, number>> = { '': 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15 };
  return Number(m[1]) * (mult[m[2] ?? ''] ?? 1);
}
