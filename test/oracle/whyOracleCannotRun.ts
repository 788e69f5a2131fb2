import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';

const SBIN_PATH = `${process.env['PATH'] ?? ''}:/usr/sbin:/sbin`;

function hasTool(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { env: { ...process.env, PATH: SBIN_PATH } }).status === 0;
}

/**
 * Why the oracle scenarios (real namespaces, netfilter and OVS) cannot run here, or undefined
 * when they can: not Linux, not root, no br_netfilter, a missing tool, or OSNET_SKIP_ORACLE=1.
 */
export function whyOracleCannotRun(): string | undefined {
  if (process.env['OSNET_SKIP_ORACLE'] === '1') return 'OSNET_SKIP_ORACLE=1';
  if (process.platform !== 'linux') return `needs Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'needs root to create network namespaces';
  if (!fs.existsSync('/proc/sys/net/bridge')) return 'no br_netfilter (/proc/sys/net/bridge missing)';
  const missing = ['bash', 'ip', 'iptables-save', 'ebtables', 'bridge', 'ipset', 'conntrack', 'jq', 'python3',
    'ovsdb-tool', 'ovsdb-server', 'ovs-vswitchd', 'ovs-vsctl', 'ovs-ofctl', 'ovs-appctl'].filter((t) => !hasTool(t));
  return missing.length > 0 ? `missing tools: ${missing.join(', ')}` : undefined;
}
