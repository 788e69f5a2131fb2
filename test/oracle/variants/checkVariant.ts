import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { explainVip, type ExplainVipResult, type VipHost } from '../../../src/core/diagnose/explainVip';
import type { Finding, VipReport } from '../../../src/core/diagnose/VipReport';
import { parseIp } from '../../../src/core/net/IpAddress';
import { formatTrace } from '../../../src/core/sim/formatTrace';
import { parsePacketSpec } from '../../../src/core/sim/parsePacketSpec';
import { buildSimHost } from '../../../src/core/sim/walk/buildSimHost';
import { simulateHost } from '../../../src/core/sim/walk/simulateHost';
import { loadSnapshot } from '../../../src/host/loadSnapshot';
import { ruleIdentity } from '../../support/ruleIdentity';
import type { Variant, VariantScenario } from './Variant';

/** One probe of observed.json (test/oracle/README.md), as far as the checks read it. */
interface Observed {
  readonly id: string;
  readonly ingress: { readonly device: string; readonly netns?: string };
  readonly egress?: { readonly device: string; readonly netns?: string };
  readonly packet: string;
  readonly delivered: boolean;
  readonly decidedBy?: { readonly file: string; readonly line: number; readonly rule: string };
  readonly countersMoved: readonly { readonly file: string; readonly line: number; readonly rule: string; readonly chain?: string }[];
}

/** Which recorded probe is the real-packet truth for a finding of the report. */
const PROBE_OF: Readonly<Record<VariantScenario, Readonly<Partial<Record<Finding['kind'], string>>>>> = {
  '000-nova-nwfilter': { garp: 'vip-garp', vipEgress: 'vip-icmp', toVip: 'to-vip-icmp' },
  '002-neutron-spoof': { garp: 'vip-garp', vipEgress: 'vip-icmp', toVip: 'to-vip-icmp' },
  '003-lvs-dr-hybrid': { lvsForward: 'director-forwards-syn', vipEgress: 'director-vip-icmp' },
  '004-dvr': { toFip: 'ext-icmp-to-fip' },
};

export async function loadVipHost(folder: string): Promise<VipHost> {
  const { snapshot } = await loadSnapshot(folder);
  return { label: snapshot.hostname ?? path.basename(folder), snapshot, sim: buildSimHost(snapshot) };
}

/** explain-vip as the variant asks it; `auto` leaves the ports out (the tool finds the holders). */
export function explainVariant(v: Variant, host: VipHost, auto = false): ExplainVipResult {
  const ip = (t: string): NonNullable<ReturnType<typeof parseIp>> => parseIp(t) ?? assert.fail(`bad IP ${t}`);
  return explainVip({
    hosts: [host], vip: ip(v.ask.vip),
    ...(!auto && v.ask.ports.length ? { ports: v.ask.ports } : {}),
    ...(v.ask.fip ? { fip: ip(v.ask.fip) } : {}),
    ...(v.ask.client ? { client: ip(v.ask.client) } : {}),
    ...(v.ask.dport !== undefined ? { servicePort: v.ask.dport } : {}),
  });
}

export function explainArgs(v: Variant, folder: string): string[] {
  return ['explain-vip', folder, '--vip', v.ask.vip, ...v.ask.ports.flatMap((p) => ['--port', p]),
    ...(v.ask.fip ? ['--fip', v.ask.fip] : []), ...(v.ask.client ? ['--client', v.ask.client] : []),
    ...(v.ask.dport !== undefined ? ['--dport', String(v.ask.dport)] : []), '--json'];
}

const readObserved = (folder: string): Observed[] => JSON.parse(fs.readFileSync(path.join(folder, 'observed.json'), 'utf8')) as Observed[];

/** Every recorded probe: the simulator must give the real packet's fate and deciding rule (as test/core/sim/samplesOracle.test.ts). */
export function checkSimulator(what: string, folder: string, host: VipHost): number {
  let n = 0;
  for (const probe of readObserved(folder).filter((p) => p.ingress.device !== 'local')) {
    const packet = parsePacketSpec(probe.packet);
    const start = { kind: 'device' as const, device: probe.ingress.device, ...(probe.ingress.netns ? { netns: probe.ingress.netns } : {}) };
    const r = simulateHost(host.sim, start, packet.value, { ct: 'new' });
    const explain = `${what} ${path.basename(folder)}/${probe.id}\n${formatTrace(r)}`;
    if (probe.delivered) {
      const e = probe.egress;
      if (e && e.device !== probe.ingress.device) {
        const reached = r.reached.some((x) => x.device === e.device && (e.netns === undefined || x.netns === e.netns)) || r.egress.some((x) => x.device === e.device);
        assert.ok(reached, `simulator: expected the packet to reach ${e.device}: ${explain}`);
      } else {
        assert.equal(r.verdict, 'accepted', explain);
      }
    } else {
      assert.ok(['dropped', 'rejected', 'noFlowMatch', 'noRoute'].includes(r.verdict), `simulator: expected a drop, got ${r.verdict}: ${explain}`);
      if (probe.decidedBy) {
        const span = r.decidedBy?.span;
        assert.ok(span, `simulator: no deciding rule: ${explain}`);
        assert.equal(ruleIdentity(folder, span.file, span.line), ruleIdentity(folder, probe.decidedBy.file, probe.decidedBy.line), `simulator: deciding rule: ${explain}`);
      }
    }
    n++;
  }
  return n;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Where a seed value shows in a report: ids by their 10-character prefix anywhere, others as whole words. */
function seedValuesIn(text: string, values: readonly string[]): string[] {
  return values.filter((s) => {
    if (/^[0-9a-f]{8}-[0-9a-f]{2}/.test(s)) return text.includes(s.slice(0, 10));
    return new RegExp(`(?<![0-9A-Za-z.:-])${escape(s)}(?![0-9A-Za-z])`).test(text);
  });
}

const kindsOf = (r: VipReport): string[] => r.findings.map((f) => `${f.kind}: ${f.outcome}${f.cause ? ` (${f.cause.id})` : ''}`).sort();

/**
 * The report on a variant against the seed's report and against what real packets did: the same
 * causes for the same packets, the deciding rule or flow the kernel/OVS counters name, fixes
 * and names carrying the variant's own port, VIP and MAC (never a seed value), and only the
 * VIP's holder among the ports.
 */
export function checkReport(v: Variant, folder: string, host: VipHost, seed: VipReport): VipReport {
  const what = `[${v.scenario} variant seed ${v.seed ?? '-'}]`;
  const res = explainVariant(v, host);
  assert.ok(res.ok, `${what} explain-vip failed: ${res.ok ? '' : `${res.problem}: ${res.message}`}`);
  const report = res.report;
  const show = `\n${what} ${v.summary}\nreport: ${report.headline}\n${kindsOf(report).join('\n')}`;

  // The asked port, with its own MAC and fixed IP (the ports' allowed pairs are listed before it).
  assert.deepEqual(report.ports.map((p) => p.id), [v.holder.ref], `${what} ports${show}`);
  const p = report.ports[0]!;
  assert.equal(p.vmDevice, v.holder.device, `${what} device${show}`);
  // (004's ports have no MAC anywhere on the host: no spoof chain, no table-25 flow)
  if (seed.ports[0]?.mac !== undefined) assert.equal(p.mac, v.holder.mac, `${what} MAC${show}`);
  assert.equal(p.fixedIp, v.holder.ip, `${what} fixed IP (pairs: ${v.holder.pairs.join(', ')})${show}`);

  // The same packets meet the same fate, for the same cause, as on the seed.
  assert.deepEqual(kindsOf(report), kindsOf(seed), `${what} findings differ from the seed's${show}`);

  // Each finding with a recorded probe: the real packet agrees, and a drop is the rule whose counter moved.
  const observed = readObserved(folder);
  for (const [kind, probeId] of Object.entries(PROBE_OF[v.scenario])) {
    const f = report.findings.find((x) => x.kind === kind);
    const o = observed.find((x) => x.id === probeId);
    assert.ok(f && o, `${what} ${kind} / ${probeId}${show}`);
    assert.equal(f.outcome === 'ok', o.delivered, `${what} ${kind}: report says ${f.outcome}, the real ${probeId} was ${o.delivered ? 'delivered' : 'dropped'}${show}`);
    if (o.decidedBy) {
      const d = f.decidedBy;
      assert.ok(d?.file && d.line, `${what} ${kind}: no deciding rule${show}`);
      assert.equal(ruleIdentity(folder, d.file, d.line), ruleIdentity(folder, o.decidedBy.file, o.decidedBy.line),
        `${what} ${kind}: report names ${d.file}:${d.line} (${d.raw ?? ''}), the kernel/OVS counters ${o.decidedBy.file}:${o.decidedBy.line} (${o.decidedBy.rule})${show}`);
      if (d.file === o.decidedBy.file) assert.equal(d.line, o.decidedBy.line, `${what} ${kind}: line`);
    }
  }

  // Fixes name the variant's port, VIP and MAC.
  const portRef = `grep ^${v.holder.ref})`;
  for (const f of report.findings.filter((x) => x.cause)) {
    const fix = f.fix ?? [];
    switch (f.cause!.id) {
      case 'neutron-iptables-spoof':
      case 'ovs-arp-spoof':
        assert.equal(fix[0], `openstack port set --allowed-address ip-address=${v.ask.vip},mac-address=${v.holder.mac} $(openstack port list -f value -c ID | ${portRef}`, `${what} ${f.kind} fix${show}`);
        break;
      case 'lvs-dr-director':
        assert.equal(fix[0], `openstack port set --allowed-address ip-address=0.0.0.0/0,mac-address=${v.holder.mac} $(openstack port list -f value -c ID | ${portRef}`, `${what} ${f.kind} fix${show}`);
        if (v.ask.client) assert.ok(f.cause!.explanation.includes(v.ask.client), `${what} ${f.kind} explanation names the client${show}`);
        break;
      case 'nova-nwfilter':
        assert.ok(f.decidedBy?.chain?.startsWith(`I-${v.holder.device}-`), `${what} ${f.kind} chain ${f.decidedBy?.chain}${show}`);
        assert.ok(f.cause!.explanation.includes(v.ask.vip) && f.cause!.explanation.includes(f.decidedBy?.chain ?? '?'), `${what} ${f.kind} explanation${show}`);
        break;
      default:
    }
  }

  // Nothing of the seed leaks into the report (a name pattern or address taken from the fixture).
  const leaked = seedValuesIn(JSON.stringify(report), v.seedValues);
  assert.deepEqual(leaked, [], `${what} seed values in the report${show}`);

  if (v.scenario === '004-dvr') {
    // The DNAT the report walks through is the rule whose counter the real ping moved.
    const toFip = report.findings.find((x) => x.kind === 'toFip')!;
    const dnat = toFip.steps.find((s) => s.layer === 'iptables' && /DNAT/.test(s.raw ?? '') && /PREROUTING/.test(s.raw ?? ''));
    const moved = observed.find((x) => x.id === 'ext-icmp-to-fip')!.countersMoved.find((m) => /-j DNAT/.test(m.rule) && /PREROUTING/.test(m.rule));
    assert.ok(dnat?.span && moved, `${what} DNAT step${show}`);
    assert.deepEqual([dnat.span.file, dnat.span.line], [moved.file, moved.line], `${what} DNAT rule${show}`);
    assert.ok(dnat.raw?.includes(`--to-destination ${v.ask.vip}`) && dnat.raw.includes(`-d ${v.ask.fip!}/32`), `${what} DNAT rule ${dnat.raw}${show}`);
  }
  return report;
}

/**
 * explain-vip without --port: the candidates are the ports that hold the VIP (an allowed pair
 * or their own address); only when none does, every port of the VIP's network (any of them may
 * be the one running keepalived). Noise on other networks, or holding other VIPs, never is.
 */
export function checkCandidates(v: Variant, host: VipHost): void {
  const what = `[${v.scenario} variant seed ${v.seed ?? '-'}] auto`;
  const holders = v.ports.filter((p) => p.pairs.includes(v.ask.vip) || p.ip === v.ask.vip);
  const expected = (holders.length ? holders : v.ports.filter((p) => p.onVipNetwork)).map((p) => p.ref).sort();
  const res = explainVariant(v, host, true);
  assert.ok(res.ok, `${what}: ${res.ok ? '' : `${res.problem}: ${res.message}`}\n${v.summary}`);
  assert.deepEqual(res.report.ports.map((p) => p.id).sort(), expected, `${what} candidates (${v.summary})`);
}

/** The CLI (`node bin/osnet.js explain-vip … --json`, the built bundle) gives the core's report. */
export function checkCli(v: Variant, folder: string, report: VipReport): string | undefined {
  const bin = path.resolve(__dirname, '../../../bin/osnet.js');
  if (!fs.existsSync(path.resolve(__dirname, '../../../dist/cli.js'))) return 'dist/cli.js missing (npm run build)';
  const r = spawnSync(process.execPath, [bin, ...explainArgs(v, folder)], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, `[${v.scenario} variant seed ${v.seed ?? '-'}] osnet explain-vip: ${r.stderr}`);
  const cli = JSON.parse(r.stdout) as VipReport;
  const essentials = (x: VipReport): unknown => ({
    ports: x.ports.map((p) => [p.id, p.mac, p.fixedIp]),
    findings: x.findings.map((f) => [f.kind, f.outcome, f.cause?.id, f.decidedBy?.file, f.decidedBy?.line, f.fix]),
    headline: x.headline,
  });
  assert.deepEqual(essentials(cli), essentials(report), `[${v.scenario} variant seed ${v.seed ?? '-'}] the CLI's report differs from the core's (is dist/ built from this source?)`);
  return undefined;
}

/** The scenario's own second snapshot (003: the neutron-openvswi-local hack; 004: the stale FIP rule). */
export function checkSecondSnapshot(v: Variant, folder: string, host: VipHost): void {
  const what = `[${v.scenario} variant seed ${v.seed ?? '-'}] ${path.basename(folder)}`;
  const res = explainVariant(v, host);
  assert.ok(res.ok, `${what}: ${res.ok ? '' : res.message}`);
  if (v.scenario === '003-lvs-dr-hybrid') {
    assert.equal(res.report.findings.find((f) => f.kind === 'lvsForward')?.outcome, 'ok', `${what}: the hack lets the forward pass`);
    assert.equal(readObserved(folder).find((o) => o.id === 'director-forwards-syn')?.delivered, true, `${what}: the real forward passed`);
    assert.ok(res.report.warnings.some((w) => /neutron-openvswi-local has an ACCEPT rule/.test(w)), `${what}: the hack is called out`);
  } else if (v.scenario === '004-dvr') {
    assert.ok(res.report.unknowns.some((u) => u.includes(`routes ${v.ask.fip!}`)), `${what}: the removed FIP is not routed: ${res.report.unknowns.join('; ')}`);
  }
}

/** Seed reports by scenario: explain-vip on the bundled sample with the seed's own question. */
export async function seedReport(v: Variant, samplesDir: string): Promise<VipReport> {
  const res = explainVariant(v, await loadVipHost(path.join(samplesDir, v.folders[0]!)));
  assert.ok(res.ok, `seed ${v.scenario}: ${res.ok ? '' : res.message}`);
  return res.report;
}

export interface VariantChecked {
  readonly probes: number;
  readonly headline: string;
  readonly cli?: string;
}

/** Every check on a recorded variant under ROOT (see the functions above). `cli`: also run bin/osnet.js. */
export async function checkVariant(v: Variant, root: string, seed: VipReport, cli: boolean): Promise<VariantChecked> {
  let probes = 0;
  let headline = '';
  let cliNote: string | undefined;
  for (const [i, name] of v.folders.entries()) {
    const folder = path.join(root, name);
    const host = await loadVipHost(folder);
    probes += checkSimulator(`[${v.scenario} variant seed ${v.seed ?? '-'}]`, folder, host);
    if (i > 0) {
      checkSecondSnapshot(v, folder, host);
      continue;
    }
    const report = checkReport(v, folder, host, seed);
    headline = report.headline;
    checkCandidates(v, host);
    if (cli) cliNote = checkCli(v, folder, report) ?? 'CLI agrees';
  }
  return { probes, headline, ...(cliNote ? { cli: cliNote } : {}) };
}
