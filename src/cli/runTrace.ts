import { parseArgs } from 'node:util';
import { formatTrace } from '../core/sim/formatTrace';
import { buildSimHost } from '../core/sim/walk/buildSimHost';
import { simulateHost, type TraceStart } from '../core/sim/walk/simulateHost';
import type { CtAssumption } from '../core/sim/ovs/runOvsPipeline';
import { parsePacketSpec } from '../core/sim/parsePacketSpec';
import { traceToJson } from '../core/sim/traceToJson';
import { loadSnapshot } from '../host/loadSnapshot';
import type { CliIo } from './CliIo';

const CT_STATES: readonly CtAssumption[] = ['new', 'established', 'reply', 'related', 'invalid'];

/**
 * `osnet trace SNAPSHOT (--in DEVICE [--netns NS] | --bridge BR --in-port PORT) PACKET [--ct STATE] [--json]`.
 * Exit 0 when a trace was produced, 1 when the snapshot or start point cannot be used, 2 on usage errors.
 */
export async function runTrace(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      in: { type: 'string' }, netns: { type: 'string' }, bridge: { type: 'string' }, 'in-port': { type: 'string' },
      ct: { type: 'string', default: 'new' }, json: { type: 'boolean', default: false },
    },
  });
  const [snapshotPath, ...packetParts] = positionals;
  const usage = 'usage: osnet trace SNAPSHOT (--in DEVICE [--netns NS] | --bridge BR --in-port PORT) PACKET [--ct new|established|reply|related|invalid] [--json]\n';
  if (!snapshotPath || packetParts.length === 0) {
    io.err(usage);
    return 2;
  }
  const ct = (values.ct ?? 'new') as CtAssumption;
  if (!CT_STATES.includes(ct)) {
    io.err(`osnet trace: --ct must be one of ${CT_STATES.join(', ')}\n`);
    return 2;
  }
  let start: TraceStart;
  if (values.in !== undefined) start = { kind: 'device', device: values.in, ...(values.netns !== undefined ? { netns: values.netns } : {}) };
  else if (values.bridge !== undefined && values['in-port'] !== undefined) start = { kind: 'ovsPort', bridge: values.bridge, port: values['in-port'] };
  else {
    io.err(`osnet trace: give --in DEVICE or --bridge BR --in-port PORT\n${usage}`);
    return 2;
  }
  const spec = packetParts.join(',');
  const packet = parsePacketSpec(spec);
  const errors = packet.diagnostics.filter((d) => d.severity === 'error');
  for (const d of packet.diagnostics) io.err(`packet:${d.column}: ${d.severity}: ${d.message}\n`);
  if (errors.length > 0) return 2;
  let loaded;
  try {
    loaded = await loadSnapshot(snapshotPath);
  } catch (err) {
    io.err(`osnet trace: ${snapshotPath}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  const host = buildSimHost(loaded.snapshot);
  const result = simulateHost(host, start, packet.value, { ct });
  if (values.json) io.out(`${JSON.stringify(traceToJson(result), null, 2)}\n`);
  else io.out(formatTrace(result));
  return 0;
}
