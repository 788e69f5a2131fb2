/**
 * Benchmark inputs: a Neutron-style br-int flow table (OVS firewall) and a Neutron hybrid-firewall
 * iptables-save, from the generators the tests use, plus the plan of the traced packet.
 *
 *   node dist/bench/generateInputs.js OUTDIR [--flows 20000] [--ports 2000]
 *
 * Writes OUTDIR/gen-flows.txt (the generator's dump-flows text, with header and counters),
 * OUTDIR/add-flows.txt (the same flows without header and counters, for `ovs-ofctl add-flows`),
 * OUTDIR/iptables.rules (iptables-save -c of the hybrid firewall) and OUTDIR/plan.json.
 *
 * The two generators invent their ports independently. The traced pair of ports must be the same
 * VM ports on both layers (hybrid: tap -> qbr -> qvb/qvo -> br-int), so the spoof-chain RETURN rule
 * of the first hybrid ports is rewritten to carry the IP and MAC the OVS flows expect of the OVS
 * ports with the same index; nothing else changes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { generateNeutronHybrid, neutronHybridPorts } from '../../test/core/iptables/generateNeutronHybrid';
import { generateNeutronFlows } from '../../test/core/ovs/generateNeutronFlows';
import type { BenchPlan, TracedPort } from './BenchPlan';

const TRACED = 2;

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { flows: { type: 'string', default: '20000' }, ports: { type: 'string', default: '2000' } },
  });
  const outDir = positionals[0];
  if (!outDir) throw new Error('usage: generateInputs OUTDIR [--flows N] [--ports N]');
  mkdirSync(outDir, { recursive: true });
  const wantFlows = Number(values.flows);
  const hybridCount = Number(values.ports);

  const dump = generateNeutronFlows({ flows: wantFlows, seed: 1 });
  writeFileSync(path.join(outDir, 'gen-flows.txt'), dump.text);
  // `ovs-ofctl add-flows` ignores duration/n_packets/... itself, but stripping them keeps the file
  // independent of that leniency.
  const addLines = dump.text.split('\n').filter((l) => l.startsWith(' cookie='))
    .map((l) => l.replace(/ duration=[^,]*, /, ' ').replace(/ n_packets=\d+, n_bytes=\d+, idle_age=\d+,/, '').trim());
  writeFileSync(path.join(outDir, 'add-flows.txt'), `${addLines.join('\n')}\n`);

  const hybrid = neutronHybridPorts(hybridCount, 1);
  let rules = generateNeutronHybrid(hybridCount, { seed: 1 });
  const traced: TracedPort[] = [];
  for (let i = 0; i < TRACED; i++) {
    const h = hybrid[i];
    const o = dump.ports[i];
    if (!h || !o) throw new Error('not enough ports for the traced pair');
    const before = `-s ${h.ip}/32 -m mac --mac-source ${h.mac} `;
    const after = `-s ${o.ip}/32 -m mac --mac-source ${o.mac.toUpperCase()} `;
    if (rules.split(before).length !== 2) throw new Error(`spoof rule of ${h.tap} not found exactly once`);
    rules = rules.replace(before, after);
    const idPart = h.id.slice(0, 11);
    traced.push({
      ofport: o.ofport, mac: o.mac, ip: o.ip, vlan: o.vlan,
      tap: h.tap, qbr: `qbr${idPart}`, qvb: `qvb${idPart}`, qvo: `qvo${idPart}`,
    });
  }
  writeFileSync(path.join(outDir, 'iptables.rules'), rules);
  const [a, b] = traced;
  if (!a || !b || a.vlan !== b.vlan) throw new Error('the traced ports must share a network');
  const packet = `tcp,dl_src=${a.mac},dl_dst=${b.mac},nw_src=${a.ip},nw_dst=${b.ip},nw_ttl=64,tcp_src=40000,tcp_dst=22,tcp_flags=syn`;
  const plan: BenchPlan = {
    flowCount: dump.flowCount,
    ovsPorts: dump.ports.length,
    hybridPorts: hybridCount,
    ruleLines: rules.split('\n').filter((l) => /^(\[\d+:\d+\] )?-A /.test(l)).length,
    traced,
    packet,
  };
  writeFileSync(path.join(outDir, 'plan.json'), `${JSON.stringify(plan, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(plan)}\n`);
}

main();
