import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDump } from '../../src/core/snapshot/parseDump';

/**
 * The identity of the rule, policy or flow printed at `file:line` of a snapshot, independent of
 * the dump form it came from: `ebtables nat I-vnet0-ipv4-ip #3` reads the same from `ebtables-save`
 * and `ebtables -L --Lc`; an OVS flow is its table, priority and match.
 */
export function ruleIdentity(root: string, file: string, line: number): string {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const r = parseDump(text, file);
  const p = r.parsed;
  if (!p) return `unparsed ${file}:${line}`;
  switch (p.format) {
    case 'iptables-save':
    case 'iptables-S':
    case 'iptables-L':
    case 'ebtables-L':
    case 'ebtables-save': {
      const layer = p.format.startsWith('ip') ? 'iptables' : 'ebtables';
      for (const t of p.value.tables) for (const c of t.chains) {
        if (c.span.line === line) return `${layer} ${t.name} ${c.name} policy`;
        for (const rule of c.rules) if (rule.span.line === line) return `${layer} ${t.name} ${c.name} #${rule.index}`;
      }
      return `no rule at ${file}:${line}`;
    }
    case 'ovs-dump-flows': {
      const f = p.value.flows.find((x) => x.span.line === line);
      return f ? `ovs table=${f.table} priority=${f.priority} ${f.match.raw.replace(/priority=\d+,?/, '')}` : `no flow at ${file}:${line}`;
    }
    default:
      return `${p.format} ${file}:${line}`;
  }
}
