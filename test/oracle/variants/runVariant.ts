import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Variant } from './Variant';

const SCENARIOS_DIR = path.resolve(__dirname, '../scenarios');
const SBIN_PATH = `${process.env['PATH'] ?? ''}:/usr/sbin:/sbin`;

export type RunOutcome =
  | { readonly ok: true; readonly root: string; readonly ms: number }
  | { readonly ok: false; readonly skip: boolean; readonly message: string };

/**
 * Builds the variant with real namespaces, netfilter and OVS (`<scenario>.sh all`) into
 * ROOT/<scenario>[-<its own variants>], with the variant's OSV_* environment. Exit 3 of the
 * script means a prerequisite is missing: `skip` with its reason.
 */
export function runVariant(v: Variant, root: string, nsPrefix: string): RunOutcome {
  fs.mkdirSync(root, { recursive: true });
  const t0 = Date.now();
  const r = spawnSync('bash', [path.join(SCENARIOS_DIR, `${v.scenario}.sh`), 'all', path.join(root, v.scenario)], {
    encoding: 'utf8', timeout: 200_000,
    env: { ...process.env, ...v.env, OSNET_NS_PREFIX: nsPrefix, PATH: SBIN_PATH },
  });
  if (r.status === 3) return { ok: false, skip: true, message: r.stderr.trim() };
  if (r.status !== 0) {
    return { ok: false, skip: false, message: `${v.scenario} (variant seed ${v.seed ?? 'none'}) failed (${r.status ?? r.signal}):\n${r.stderr.split('\n').slice(-30).join('\n')}` };
  }
  return { ok: true, root, ms: Date.now() - t0 };
}

/** `OSV_A_PORT=… OSV_VIP=… bash test/oracle/scenarios/<id>.sh all OUT`: the variant as one shell command. */
export function variantCommand(v: Variant, out: string): string {
  const q = (s: string): string => `'${s.replace(/'/g, "'\\''")}'`;
  const env = Object.entries(v.env).map(([k, val]) => `${k}=${q(val)}`).join(' ');
  return `${env} bash test/oracle/scenarios/${v.scenario}.sh all ${q(out)}`;
}
