import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { OvsFlow } from '../../../src/core/ovs/parseOvsDumpFlows';
import { formatTrace } from '../../../src/core/sim/formatTrace';
import type { CtAssumption } from '../../../src/core/sim/ovs/runOvsPipeline';
import { runOvsPipeline } from '../../../src/core/sim/ovs/runOvsPipeline';
import { parsePacketSpec } from '../../../src/core/sim/parsePacketSpec';
import { buildSimHost } from '../../../src/core/sim/walk/buildSimHost';
import type { SimHost } from '../../../src/core/sim/walk/SimHost';
import { simulateHost } from '../../../src/core/sim/walk/simulateHost';
import { buildHostSnapshot } from '../../../src/core/snapshot/buildHostSnapshot';
import { startOvsSandbox, type OvsSandbox } from '../../support/ovsSandbox';
import { compareOutcomes, flowIdentity, simOutcome, simStepIdentity, traceOutcome, type OvsOutcome } from '../../support/ovsTraceOutcome';
import { CT_NEXT_FLAGS } from '../../support/randomNeutronPacket';
import { runSeed, seededRandom, type SeededRandom } from '../../support/seededRandom';
import { unixctlBatch } from '../../support/ovsUnixctl';

/**
 * The simulator against real Open vSwitch on a real OVN br-int: the flows ovn-controller 23.03
 * installed in the recorded ML2/OVN compute nodes (samples/008-ovn and its -allowed-pair variant:
 * port security; samples/009-ovn-sg and its variants: security groups as ACLs with conjunctions)
 * are loaded into a private ovs-vswitchd with the same port numbers, and for seeded random
 * packets from the VMs' and the metadata agent's taps (ARP, IPv4 ICMP/TCP/UDP/VRRP/DHCP, IPv6
 * ND/MLD/DHCPv6, other ethertypes, VLAN tags; every conntrack state) `ovs-appctl ofproto/trace`
 * and runOvsPipeline must visit the same flows pass by pass (ct() recirculations, the register
 * stack of OVN's push:/pop:, conjunctions with 32-bit ids, 128-bit xxreg writes) and output to
 * the same ports. Where OVN pauses a packet to ovn-controller (`controller(...,pause)`: DHCP,
 * ARP/ND responses for the router) both must stop there, the simulator saying `indeterminate`.
 *
 * OSNET_OVN_DIFF_SEED=<n> replays a run; OSNET_OVN_DIFF_COUNT=<n> changes the packet count.
 */
const COUNT = Number(process.env['OSNET_OVN_DIFF_COUNT'] ?? 600);
const SAMPLES = path.resolve(__dirname, '../../../samples');
const FLOWS = 'ovs-ofctl_-O_OpenFlow15_dump-flows_br-int';
const SHOW = 'ovs-ofctl_-O_OpenFlow15_show_br-int';
const STATS = /\b(duration|n_packets|n_bytes|idle_age|hard_age)=[^,\s]*,?\s*/g;

interface OvnPacket {
  readonly kind: string;
  readonly inPort: number;
  readonly fields: string;
  readonly ct: CtAssumption;
}

interface World {
  readonly ports: readonly { readonly ofport: number; readonly mac: string; readonly ip: string }[];
  readonly ips: readonly string[];
  readonly macs: readonly string[];
}

const VIP = '10.30.0.100';
const EXTRA_MACS = ['ff:ff:ff:ff:ff:ff', '01:00:5e:00:00:12', '33:33:00:00:00:16', 'fa:16:3e:3c:a1:fe', '02:00:00:00:00:99'];
const EXTRA_IPS = [VIP, '10.30.0.1', '10.30.0.200', '224.0.0.18', '255.255.255.255', '169.254.169.254', '203.0.113.10', '0.0.0.0'];

/** One packet a VM (or the metadata agent) could send, drawn so every OVN stage gets exercised. */
function randomOvnPacket(r: SeededRandom, w: World): OvnPacket {
  const ct = r.weighted<CtAssumption>({ new: 6, established: 2, reply: 1, related: 1, invalid: 1 });
  const me = r.pick(w.ports);
  const inPort = r.chance(0.97) ? me.ofport : r.pick([65534, 77]);
  const src = r.chance(0.85) ? me.mac : r.pick([...w.macs, '01:00:00:00:00:01']);
  const dstMac = (): string => r.pick([...w.macs, ...EXTRA_MACS]);
  const ip = (): string => r.pick([...w.ips, ...EXTRA_IPS]);
  const srcIp = (): string => (r.chance(0.6) ? me.ip : ip());
  const kind = r.weighted({ arp: 4, icmp: 3, tcp: 3, udp: 2, vrrp: 2, dhcp: 1, ipv6: 2, other: 1, vlan: 1 });
  const eth = `dl_src=${src},dl_dst=${dstMac()}`;
  switch (kind) {
    case 'arp': {
      const op = r.pick([1, 2]);
      const sha = r.chance(0.9) ? src : r.pick(w.macs);
      return { kind, inPort, ct, fields: `arp,${eth},arp_op=${op},arp_spa=${srcIp()},arp_tpa=${ip()},arp_sha=${sha},arp_tha=${op === 1 ? '00:00:00:00:00:00' : r.pick(w.macs)}` };
    }
    case 'icmp': return { kind, inPort, ct, fields: `icmp,${eth},nw_src=${srcIp()},nw_dst=${ip()},nw_ttl=${r.pick([1, 64])},icmp_type=${r.pick([8, 0, 3])},icmp_code=${r.pick([0, 4])}` };
    case 'tcp': return { kind, inPort, ct, fields: `tcp,${eth},nw_src=${srcIp()},nw_dst=${ip()},nw_ttl=64,tp_src=${r.int(1024, 65535)},tp_dst=${r.pick([22, 80, 443, 6633])},tcp_flags=${r.pick(['syn', 'ack', 'syn|ack', 'rst'])}` };
    case 'udp': return { kind, inPort, ct, fields: `udp,${eth},nw_src=${srcIp()},nw_dst=${ip()},nw_ttl=64,udp_src=${r.int(1024, 65535)},udp_dst=${r.pick([53, 123, 4789, 3784])}` };
    case 'vrrp': return { kind, inPort, ct, fields: `ip,nw_proto=112,${eth},nw_src=${srcIp()},nw_dst=${r.pick(['224.0.0.18', ip()])},nw_ttl=255` };
    case 'dhcp': {
      const [s, d] = r.pick([['0.0.0.0', '255.255.255.255'], [me.ip, '10.30.0.1'], [me.ip, '255.255.255.255']] as const);
      return { kind, inPort, ct, fields: `udp,${eth},nw_src=${s},nw_dst=${d},nw_ttl=64,udp_src=68,udp_dst=67` };
    }
    case 'ipv6': {
      const lla = r.pick(['fe80::f816:3eff:fe3c:a101', 'fe80::f816:3eff:fe3c:a102', '::', 'fe80::1']);
      return r.pick([
        { kind: 'nd-ns', inPort, ct, fields: `icmp6,${eth},ipv6_src=${lla},ipv6_dst=ff02::1:ff3c:a102,nw_ttl=255,icmpv6_type=135,icmpv6_code=0,nd_target=fe80::f816:3eff:fe3c:a102` },
        { kind: 'nd-na', inPort, ct, fields: `icmp6,${eth},ipv6_src=${lla},ipv6_dst=ff02::1,nw_ttl=255,icmpv6_type=136,icmpv6_code=0,nd_target=${lla === '::' ? 'fe80::1' : lla}` },
        { kind: 'rs', inPort, ct, fields: `icmp6,${eth},ipv6_src=${lla},ipv6_dst=ff02::2,nw_ttl=255,icmpv6_type=133,icmpv6_code=0` },
        { kind: 'mld', inPort, ct, fields: `icmp6,${eth},ipv6_src=${lla},ipv6_dst=ff02::16,nw_ttl=1,icmpv6_type=143,icmpv6_code=0` },
        { kind: 'dhcpv6', inPort, ct, fields: `udp6,${eth},ipv6_src=${lla},ipv6_dst=ff02::1:2,nw_ttl=1,udp_src=546,udp_dst=547` },
        { kind: 'ping6', inPort, ct, fields: `icmp6,${eth},ipv6_src=${lla},ipv6_dst=fe80::f816:3eff:fe3c:a101,nw_ttl=64,icmpv6_type=128,icmpv6_code=0` },
      ]);
    }
    case 'vlan': return { kind, inPort, ct, fields: `dl_vlan=${r.int(1, 4094)},icmp,${eth},nw_src=${srcIp()},nw_dst=${ip()},icmp_type=8,icmp_code=0` };
    default: return { kind, inPort, ct, fields: `${eth},dl_type=${r.pick(['0x88cc', '0x8809', '0x88b5', '0x9000'])}` };
  }
}

/** Each recorded host's VM and metadata ports (OVS port name, MAC, fixed IP), as its table-0 flows and port security name them. */
const VIFS: Readonly<Record<string, readonly { readonly name: string; readonly mac: string; readonly ip: string }[]>> = {
  '008': [
    { name: 'tap5c1f2a9e-70', mac: 'fa:16:3e:3c:a1:03', ip: '10.30.0.2' },
    { name: 'tape3a1c5d7-2f', mac: 'fa:16:3e:3c:a1:01', ip: '10.30.0.11' },
    { name: 'tap7b9d1f3e-5a', mac: 'fa:16:3e:3c:a1:02', ip: '10.30.0.12' },
  ],
  // 009-ovn-sg: security groups (ACLs of Neutron's port groups, remote-group address sets), the VIP an allowed pair.
  '009': [
    { name: 'tap5c1f2a9e-70', mac: 'fa:16:3e:3c:a1:03', ip: '10.30.0.2' },
    { name: 'tap5d2b8e4f-1a', mac: 'fa:16:3e:7e:b2:01', ip: '10.30.0.11' },
    { name: 'tapa8c0e2f4-6b', mac: 'fa:16:3e:7e:b2:02', ip: '10.30.0.12' },
  ],
};

for (const sample of ['008-ovn', '008-ovn-allowed-pair', '009-ovn-sg', '009-ovn-sg-vrrp-rule', '009-ovn-sg-vip-rule']) {
  describe(`OVN differential: simulator vs ofproto/trace on ovn-controller's br-int (${sample})`, function () {
    this.timeout(180_000);
    let sandbox: OvsSandbox | undefined;
    let host: SimHost;
    let ctlSocket = '';
    const odpPorts = new Map<number, string>();
    const flowsByRaw = new Map<string, OvsFlow>();
    const flowIds = new Set<string>();
    let world: World;

    before(function () {
      const root = path.join(SAMPLES, sample);
      if (!fs.existsSync(path.join(root, FLOWS))) {
        console.log(`      OVN differential skipped: ${sample} is not recorded`);
        this.skip();
      }
      if (typeof process.getuid === 'function' && process.getuid() !== 0) {
        console.log('      OVN differential skipped: not root (ovs-vswitchd needs root for its sandbox)');
        this.skip();
      }
      const s = startOvsSandbox();
      if (!s.ok) {
        console.log(`      OVN differential skipped: ${s.reason}`);
        this.skip();
      }
      sandbox = s.sandbox;
      if (sandbox.run('ovs-vsctl', [`--db=${sandbox.db}`, 'br-exists', 'br-int']).status === 0) sandbox.vsctl(['del-br', 'br-int']);
      // The recorded bridge's ports, with the same OpenFlow numbers, so the flows' in_port/output hold.
      const ports = [...fs.readFileSync(path.join(root, SHOW), 'utf8').matchAll(/^ (\d+)\(([^)]+)\): addr:([0-9a-f:]+)/gm)].map((m) => ({ ofport: Number(m[1]), name: m[2]! }));
      const args = ['add-br', 'br-int', '--', 'set', 'bridge', 'br-int', 'datapath_type=netdev', 'fail_mode=secure',
        'protocols=OpenFlow10,OpenFlow11,OpenFlow12,OpenFlow13,OpenFlow14,OpenFlow15'];
      for (const p of ports) args.push('--', 'add-port', 'br-int', p.name, '--', 'set', 'interface', p.name, `ofport_request=${p.ofport}`);
      sandbox.vsctl(args);
      const flows = fs.readFileSync(path.join(root, FLOWS), 'utf8').split('\n')
        .filter((l) => /actions=/.test(l)).map((l) => l.replace(STATS, '').trim()).join('\n');
      const file = path.join(sandbox.runDir, `${sample}.flows`);
      fs.writeFileSync(file, `${flows}\n`);
      sandbox.ofctl(['-O', 'OpenFlow15', 'add-flows', 'br-int', file]);
      for (const line of sandbox.appctl(['dpif/show']).split('\n')) {
        const m = /^\s{4}(\S+) (\d+)\/(\d+):/.exec(line);
        if (m) odpPorts.set(Number(m[3]), m[1]!);
      }
      ctlSocket = path.join(sandbox.runDir, 'ovs-vswitchd.ctl');
      const files = new Map<string, string>([
        ['ovs-vsctl_show', sandbox.vsctl(['show'])],
        [SHOW, sandbox.ofctl(['-O', 'OpenFlow15', 'show', 'br-int'])],
        [FLOWS, sandbox.ofctl(['-O', 'OpenFlow15', 'dump-flows', 'br-int'])],
      ]);
      const snapshot = buildHostSnapshot([...files].map(([p, text]) => ({ path: p, text })), { kind: 'folder', path: `ovn-differential-${sample}` });
      host = buildSimHost(snapshot);
      for (const b of snapshot.ovsBridges) {
        for (const f of b.flows?.flows ?? []) {
          flowsByRaw.set(`${b.name}\u0000${f.raw}`, f);
          flowIds.add(flowIdentity(b.name, f.table, f.priority, f.match));
        }
      }
      const recorded = flows.split('\n').length;
      assert.equal(snapshot.ovsBridges.find((b) => b.name === 'br-int')?.flows?.flows.length, recorded, 'every recorded flow was installed');
      const vifs = VIFS[sample.slice(0, 3)]!;
      world = {
        ports: vifs.map((v) => ({ ofport: ports.find((p) => p.name === v.name)!.ofport, mac: v.mac, ip: v.ip })),
        ips: vifs.map((v) => v.ip),
        macs: vifs.map((v) => v.mac),
      };
    });
    after(() => sandbox?.stop());

    it(`${COUNT} seeded random packets: same flows visited, same outputs, same deciding flow`, async () => {
      const seed = runSeed('OSNET_OVN_DIFF_SEED');
      console.log(`      seed ${seed} (replay with OSNET_OVN_DIFF_SEED=${seed})`);
      const r = seededRandom(seed);
      const packets = Array.from({ length: COUNT }, () => randomOvnPacket(r, world));
      const answers = await unixctlBatch(ctlSocket, packets.map((p) => ({
        method: 'ofproto/trace',
        params: ['br-int', `in_port=${p.inPort},${p.fields}`, ...Array.from({ length: 4 }, () => ['--ct-next', CT_NEXT_FLAGS[p.ct]]).flat()],
      })));
      const bridge = host.ovs.get('br-int')!;
      // OVN installs overlapping flows at one priority with the same actions (table 12:
      // `dl_dst=01:00:00:00:00:00/01:00:00:00:00:00` and `icmp6,icmp_type=135`, both
      // `resubmit(,13)`); which one OVS picks is undefined (ovs-ofctl(8)), so flows are compared
      // by table, priority and actions when several of them could have matched.
      const actionsOf = new Map<string, string>();
      for (const f of flowsByRaw.values()) actionsOf.set(flowIdentity('br-int', f.table, f.priority, f.match), f.actionsText);
      const effectOf = (id: string | undefined): string | undefined => {
        if (id === undefined) return undefined;
        const m = /^([^:]+):(\d+):(\d+):/.exec(id);
        const a = actionsOf.get(id);
        return m && a !== undefined ? `${m[1]}:${m[2]}:${m[3]}:${a}` : id;
      };
      const sameEffect = (o: OvsOutcome): OvsOutcome => ({ ...o, passes: o.passes.map((p) => p.map((x) => effectOf(x) ?? x)) });
      const disagreements: string[] = [];
      const mix = new Map<string, { n: number; dropped: number; paused: number }>();
      for (const [i, p] of packets.entries()) {
        const answer = answers[i]!;
        const spec = parsePacketSpec(p.fields);
        const errors = spec.diagnostics.filter((d) => d.severity === 'error');
        if ('error' in answer || errors.length > 0) {
          disagreements.push(`${p.fields}: ${'error' in answer ? `ofproto/trace failed: ${answer.error}` : errors.map((e) => e.message).join('; ')}`);
          continue;
        }
        const real = traceOutcome(answer.result, odpPorts, flowIds);
        const run = runOvsPipeline(bridge, p.inPort, spec.value, { bridges: host.ovs, ct: p.ct });
        let sim: OvsOutcome = simOutcome(run, flowsByRaw);
        // A paused packet (controller(...,pause)) is the controller's to resume: OVS stops
        // translating there, the simulator says it cannot decide. Both hand it to the controller.
        const paused = run.indeterminate !== undefined && /pauses the packet/.test(run.indeterminate);
        // ofproto/trace prints the paused controller action and stops the pass; its datapath
        // actions do not show the hand-over (the continuation lives in ovs-vswitchd).
        if (paused) sim = { ...sim, outputs: sim.outputs.filter((o) => o !== 'CONTROLLER'), problems: sim.problems.filter((x) => !/pauses the packet/.test(x)) };
        const diffs = compareOutcomes(sameEffect(real), sameEffect(sim));
        const tracePaused = /^\s*controller\(.*\bpause\)\s*$/m.test(answer.result);
        if (paused !== tracePaused) diffs.push(`simulator ${paused ? 'paused' : 'did not pause'} the packet to the controller, ofproto/trace ${tracePaused ? 'did' : 'did not'}`);
        const known = bridge.ports.some((x) => x.ofport === p.inPort);
        if (known && !paused && real.outputs.length === 0) {
          const h = simulateHost(host, { kind: 'ovsPort', bridge: 'br-int', port: String(p.inPort) }, spec.value, { ct: p.ct });
          if (h.verdict !== 'dropped' && h.verdict !== 'noFlowMatch') diffs.push(`simulateHost verdict ${h.verdict}, but OVS drops the packet\n${formatTrace(h)}`);
          const decided = h.decidedBy ? simStepIdentity(h.decidedBy, flowsByRaw) : undefined;
          if (effectOf(decided) !== effectOf(real.lastFlow)) diffs.push(`simulateHost decidedBy ${decided ?? '(none)'}, ofproto/trace's last flow ${real.lastFlow ?? '(none)'}`);
        }
        const st = mix.get(p.kind) ?? { n: 0, dropped: 0, paused: 0 };
        st.n++;
        if (real.outputs.length === 0) st.dropped++;
        if (paused) st.paused++;
        mix.set(p.kind, st);
        if (diffs.length > 0) {
          disagreements.push([`in_port=${p.inPort},${p.fields} (ct ${p.ct})`, ...diffs, '--- ofproto/trace', answer.result,
            '--- simulator', run.steps.map((s) => `${'  '.repeat(s.depth)}${s.table ?? ''} ${s.raw ?? ''} -> ${s.action}`).join('\n')].join('\n'));
        }
      }
      console.log(`      mix: ${[...mix].map(([k, s]) => `${k} ${s.n} (${s.dropped} dropped${s.paused ? `, ${s.paused} paused` : ''})`).join(', ')}`);
      for (const d of disagreements.slice(0, 2)) console.log(d.split('\n').map((l) => `        | ${l}`).join('\n'));
      assert.equal(disagreements.length, 0, `${disagreements.length} of ${COUNT} packets disagree (seed ${seed})`);
    });
  });
}
