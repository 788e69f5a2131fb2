import { spawnSync } from 'node:child_process';
import { rulesetCommands } from './novaAntiSpoofRuleset';

/**
 * Runs ebtables inside a network namespace: loads NOVA_RULESET, then captures every listing form.
 * Never touches the root namespace: every command is `ip netns exec NS ...`.
 */
export interface Capture {
  /** Dump file name (as in test/fixtures/ebtables/nft-1.8.9/) -> text. */
  readonly dumps: Record<string, string>;
  readonly version: string;
}

function run(argv: string[], env?: NodeJS.ProcessEnv): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(argv[0] ?? '', argv.slice(1), { encoding: 'utf8', env: env ?? process.env, timeout: 20000 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error ? String(r.error) : '') };
}

/** Why real ebtables cannot be used here, or undefined when it can. */
export function whyNoEbtables(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'not root (ip netns add needs CAP_SYS_ADMIN)';
  const v = run(['ebtables', '-V']);
  if (v.status !== 0) return `ebtables not usable: ${v.stderr.trim() || 'not installed'}`;
  const ip = run(['ip', '-V']);
  if (ip.status !== 0) return `iproute2 not usable: ${ip.stderr.trim() || 'not installed'}`;
  return undefined;
}

export function createNamespace(ns: string): string | undefined {
  const r = run(['ip', 'netns', 'add', ns]);
  return r.status === 0 ? undefined : r.stderr.trim() || `ip netns add exited ${String(r.status)}`;
}

export function deleteNamespace(ns: string): void {
  run(['ip', 'netns', 'del', ns]);
}

export function loadAndCapture(ns: string): Capture {
  const exec = (args: string[], env?: NodeJS.ProcessEnv): string => {
    const r = run(['ip', 'netns', 'exec', ns, ...args], env);
    if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${String(r.status)}): ${r.stderr.trim()}`);
    return r.stdout;
  };
  for (const cmd of rulesetCommands()) exec(['ebtables', ...cmd]);
  const listing = (...flags: string[]): string => ['filter', 'nat'].map((t) => exec(['ebtables', '-t', t, '-L', ...flags])).join('');
  const dumps: Record<string, string> = {
    'ebtables_-L.txt': listing(),
    'ebtables_-L_--Lc.txt': listing('--Lc'),
    'ebtables_-L_--Ln.txt': listing('--Ln'),
    'ebtables_-L_--Ln_--Lc.txt': listing('--Ln', '--Lc'),
    'ebtables_-L_--Lx.txt': listing('--Lx'),
    'ebtables_-L_--Lmac2.txt': listing('--Lmac2'),
    'ebtables-save.txt': exec(['ebtables-save']),
    'ebtables-save_-c.txt': exec(['ebtables-save', '-c']),
    'ebtables-save_EBTABLES_SAVE_COUNTER.txt': exec(['ebtables-save'], { ...process.env, EBTABLES_SAVE_COUNTER: 'yes' }),
  };
  return { dumps, version: exec(['ebtables', '-V']).trim() };
}
