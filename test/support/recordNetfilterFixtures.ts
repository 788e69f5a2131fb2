/**
 * Records the netfilter fixture of test/core/sim/netfilterFixtures.test.ts from the real kernel:
 * the hybrid-firewall lab of hybridNetfilterLab.ts with 2 ports (small enough to read), its
 * snapshot, and for each probe below — one frame per disagreement the differential test
 * (iptablesDifferential.test.ts) found — the counters that moved and the guests that got it.
 * Run as root:
 *
 *   npx tsx test/support/recordNetfilterFixtures.ts
 *
 * Writes test/core/sim/fixtures/netfilter/hybrid-2-ports/{snapshot files, probes.json}.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setUpHybridNetfilterLab } from './hybridNetfilterLab';
import type { HybridWorld } from './randomHybridPacket';

export interface NetfilterFixtureProbe {
  readonly name: string;
  readonly why: string;
  readonly from: string;
  readonly flow: string;
}

const CASES: readonly ((w: HybridWorld) => NetfilterFixtureProbe)[] = [
  (w) => ({
    name: 'vrrp-flooded-and-delivered-locally',
    why: 'a multicast frame the bridge floods and also passes up to itself crosses iptables PREROUTING once (br_netfilter), not again on local delivery',
    from: w.vmA.dev,
    flow: `ip,nw_proto=112,dl_src=${w.vmA.mac},dl_dst=01:00:5e:00:00:12,nw_src=${w.vmA.ip},nw_dst=224.0.0.18,nw_ttl=255`,
  }),
  (w) => ({
    name: 'dhcp-discover-nat-once',
    why: 'a broadcast forwarded to several ports and delivered locally runs the nat table once per conntrack and manip type, not once per copy',
    from: w.vmA.dev,
    flow: `udp,tp_src=68,tp_dst=67,dl_src=${w.vmA.mac},dl_dst=ff:ff:ff:ff:ff:ff,nw_src=0.0.0.0,nw_dst=255.255.255.255,nw_ttl=64`,
  }),
  (w) => ({
    name: 'vlan-tagged-skips-iptables',
    why: 'an 802.1Q-tagged IPv4 frame is bridged without iptables (bridge-nf-filter-vlan-tagged=0, the default)',
    from: w.vmA.dev,
    flow: `dl_vlan=1267,tcp,tp_src=65192,tp_dst=22,tcp_flags=0x002,dl_src=${w.vmA.mac},dl_dst=${w.peer.mac},nw_src=${w.vmA.ip},nw_dst=${w.peer.ip},nw_ttl=64`,
  }),
  (w) => ({
    name: 'vlan-tagged-broadcast',
    why: 'a tagged broadcast is flooded without iptables, and the bridge device (no VLAN device on it) does not take it',
    from: w.vmA.dev,
    flow: `dl_vlan=5,udp,tp_src=68,tp_dst=67,dl_src=${w.vmA.mac},dl_dst=ff:ff:ff:ff:ff:ff,nw_src=0.0.0.0,nw_dst=255.255.255.255,nw_ttl=64`,
  }),
  (w) => ({
    name: 'lldp-not-forwarded',
    why: 'a Linux bridge never forwards frames to 01:80:c2:00:00:0e (IEEE 802.1D reserved; group_fwd_mask 0)',
    from: w.vmA.dev,
    flow: `dl_type=0x88cc,dl_src=${w.vmA.mac},dl_dst=01:80:c2:00:00:0e`,
  }),
  (w) => ({
    name: 'lacp-not-forwarded',
    why: 'nor slow-protocol frames to 01:80:c2:00:00:02 (LACP)',
    from: w.peer.dev,
    flow: `dl_type=0x8809,dl_src=${w.peer.mac},dl_dst=01:80:c2:00:00:02`,
  }),
  (w) => ({
    name: 'stp-bpdu-flooded-with-stp-off',
    why: 'control: with STP off the bridge floods BPDUs (01:80:c2:00:00:00) to keep loop detection working',
    from: w.vmA.dev,
    flow: `dl_type=0x0027,dl_src=${w.vmA.mac},dl_dst=01:80:c2:00:00:00`,
  }),
  (w) => ({
    name: 'ssh-to-vm-accepted',
    why: 'control: ingress TCP 22 from the gateway side is allowed by the security group',
    from: w.peer.dev,
    flow: `tcp,tp_src=40001,tp_dst=22,tcp_flags=0x002,dl_src=${w.peer.mac},dl_dst=${w.vmA.mac},nw_src=${w.peer.ip},nw_dst=${w.vmA.ip},nw_ttl=64`,
  }),
  (w) => ({
    name: 'spoofed-source-dropped',
    why: 'control: a VM sending from an address not in its IP/MAC pairs is dropped by the spoof chain',
    from: w.vmA.dev,
    flow: `udp,tp_src=40002,tp_dst=53,dl_src=${w.vmA.mac},dl_dst=${w.peer.mac},nw_src=10.99.0.5,nw_dst=${w.peer.ip},nw_ttl=64`,
  }),
];

export const NETFILTER_FIXTURE_DIR = path.resolve(__dirname, '../core/sim/fixtures/netfilter/hybrid-2-ports');

function record(): void {
  const lab = setUpHybridNetfilterLab(`osnet-ipfx-${process.pid}`, 2, 7);
  try {
    const files = lab.dump();
    const probes = CASES.map((c) => c(lab.world));
    const job = { endpoints: lab.endpoints, probes: probes.map((p, id) => ({ id, from: p.from, flow: p.flow, marker: `osnet-fixture-${p.name}` })), save: ['iptables-save', '-c'], flush: ['conntrack', '-F'] };
    const python = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
    const res = spawnSync('ip', ['netns', 'exec', lab.hostNs, python, path.join(__dirname, 'netfilterProbeDriver.py')], { input: JSON.stringify(job), encoding: 'utf8' });
    if (res.status !== 0) throw new Error(res.stderr);
    const observed = res.stdout.trim().split('\n').map((l) => JSON.parse(l) as { deltas: Record<string, number>; received: string[] });
    fs.rmSync(NETFILTER_FIXTURE_DIR, { recursive: true, force: true });
    fs.mkdirSync(NETFILTER_FIXTURE_DIR, { recursive: true });
    // The snapshot as it was before the probes (its counters are what an operator would have seen).
    for (const [f, text] of files) fs.writeFileSync(path.join(NETFILTER_FIXTURE_DIR, f), text);
    const out = probes.map((p, i) => ({ ...p, observed: { deltas: observed[i]!.deltas, received: observed[i]!.received } }));
    fs.writeFileSync(path.join(NETFILTER_FIXTURE_DIR, 'probes.json'), `${JSON.stringify(out, null, 2)}\n`);
    console.log(`recorded ${probes.length} probes in ${NETFILTER_FIXTURE_DIR}`);
  } finally {
    lab.teardown();
  }
}

if (require.main === module) record();
