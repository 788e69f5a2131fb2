import { parseArgs } from 'node:util';
import * as path from 'node:path';
import { explainVip, type VipHost } from '../core/diagnose/explainVip';
import { formatVipReport } from '../core/diagnose/formatVipReport';
import { parseIp } from '../core/net/IpAddress';
import { buildSimHost } from '../core/sim/walk/buildSimHost';
import { loadSnapshot } from '../host/loadSnapshot';
import type { CliIo } from './CliIo';

/**
 * `osnet explain-vip SNAPSHOT... --vip IP [--port PORT]... [--fip IP] [--client IP] [--dport N] [--json]`.
 * Exit 0 when the diagnosis ran (whatever it found), 1 when the VIP or a port cannot be found, 2 on usage errors.
 */
export async function runExplainVip(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      vip: { type: 'string' }, port: { type: 'string', multiple: true }, fip: { type: 'string' }, client: { type: 'string' },
      dport: { type: 'string' }, json: { type: 'boolean', default: false },
    },
  });
  const usage = 'usage: osnet explain-vip SNAPSHOT... --vip IP [--port PORT_ID_OR_DEVICE]... [--fip IP] [--client IP] [--dport N] [--json]\n';
  if (positionals.length === 0 || !values.vip) {
    io.err(usage);
    return 2;
  }
  const vip = parseIp(values.vip);
  if (!vip) {
    io.err(`osnet explain-vip: --vip "${values.vip}" is not an IP address\n`);
    return 2;
  }
  const ipOpt = (v: string | undefined): ReturnType<typeof parseIp> | 'bad' => (v === undefined ? undefined : parseIp(v) ?? 'bad');
  const fip = ipOpt(values.fip);
  const client = ipOpt(values.client);
  if (fip === 'bad' || client === 'bad') {
    io.err(`osnet explain-vip: ${fip === 'bad' ? `--fip "${values.fip}"` : `--client "${values.client}"`} is not an IP address\n`);
    return 2;
  }
  const dport = values.dport === undefined ? undefined : Number(values.dport);
  if (dport !== undefined && !(Number.isInteger(dport) && dport > 0 && dport < 65536)) {
    io.err(`osnet explain-vip: --dport must be a port number\n`);
    return 2;
  }
  const hosts: VipHost[] = [];
  for (const p of positionals) {
    try {
      const { snapshot } = await loadSnapshot(p);
      hosts.push({ label: snapshot.hostname ?? path.basename(path.resolve(p)), snapshot, sim: buildSimHost(snapshot) });
    } catch (err) {
      io.err(`osnet explain-vip: ${p}: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    }
  }
  const result = explainVip({
    hosts, vip,
    ...(values.port ? { ports: values.port } : {}),
    ...(fip ? { fip } : {}),
    ...(client ? { client } : {}),
    ...(dport !== undefined ? { servicePort: dport } : {}),
  });
  if (!result.ok) {
    io.err(`osnet explain-vip: ${result.message}\n`);
    io.err(`looked at: ${result.lookedAt.join('; ')}\n`);
    if (result.nearMatches.length) io.err(`near matches: ${result.nearMatches.join(', ')}\n`);
    return 1;
  }
  if (values.json) io.out(`${JSON.stringify(result.report, null, 2)}\n`);
  else io.out(formatVipReport(result.report));
  return 0;
}
