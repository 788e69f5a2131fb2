/**
 * Records the OVS fixtures of test/core/sim/ovsTraceFixtures.test.ts from a real ovs-vswitchd
 * (the test sandbox): each case is a small bridge layout and flow set distilled from a
 * disagreement the differential test (ovsDifferential.test.ts) found, one probe packet, and the
 * real `ofproto/trace` output. Run as root where OVS is installed:
 *
 *   npx tsx test/support/recordOvsTraceFixtures.ts [NAME...]
 *
 * Each case becomes test/core/sim/fixtures/ovs-trace/<name>/ holding the snapshot files an
 * operator would collect (ovs-vsctl show, ovs-ofctl show, -O OpenFlow13 dump-flows per bridge),
 * probe.json (the packet, its start, the conntrack assumption, datapath port names) and
 * ofproto-trace.txt.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startOvsSandbox } from './ovsSandbox';

export interface OvsTraceFixtureCase {
  readonly name: string;
  readonly why: string;
  readonly bridges: readonly { readonly name: string; readonly ports: readonly { readonly name: string; readonly ofport: number; readonly tag?: number; readonly peer?: string }[]; readonly flows: readonly string[] }[];
  readonly start: { readonly bridge: string; readonly inPort: number };
  readonly packet: string;
  readonly ct: 'new' | 'established' | 'related' | 'invalid';
}

const CT_FLAGS = { new: 'trk,new', established: 'trk,est', related: 'trk,rel', invalid: 'trk,inv' } as const;

export const OVS_TRACE_FIXTURE_CASES: readonly OvsTraceFixtureCase[] = [
  {
    name: 'normal-unknown-in-port',
    why: 'NORMAL drops a packet whose in_port is not a port of the bridge ("received packet on unknown port"); the simulator flooded it',
    bridges: [{ name: 'br-int', ports: [{ name: 'tap-a', ofport: 3, tag: 1 }, { name: 'tap-b', ofport: 4, tag: 1 }, { name: 'int-br-data', ofport: 1 }], flows: [
      'table=0,priority=0,actions=resubmit(,60)',
      'table=60,priority=3,actions=NORMAL',
    ] }],
    start: { bridge: 'br-int', inPort: 50 },
    packet: 'udp,dl_src=fa:16:3e:00:00:06,dl_dst=fa:16:3e:00:00:07,nw_src=10.0.1.12,nw_dst=10.0.1.11,nw_ttl=64,udp_src=33001,udp_dst=123',
    ct: 'new',
  },
  {
    name: 'normal-reserved-multicast',
    why: 'NORMAL drops frames to IEEE reserved multicast addresses (LLDP to 01:80:c2:00:00:0e) unless forward-bpdu is set; the simulator flooded them',
    bridges: [{ name: 'br-int', ports: [{ name: 'int-br-data', ofport: 1 }, { name: 'tap-a', ofport: 3, tag: 1 }, { name: 'tap-b', ofport: 4, tag: 1 }], flows: [
      'table=0,priority=3,in_port=1,vlan_tci=0x0000/0x1fff,actions=mod_vlan_vid:1,resubmit(,60)',
      'table=60,priority=3,actions=NORMAL',
    ] }],
    start: { bridge: 'br-int', inPort: 1 },
    packet: 'dl_type=0x88cc,dl_src=fa:16:3e:0a:c6:09,dl_dst=01:80:c2:00:00:0e',
    ct: 'new',
  },
  {
    name: 'ct-commit-ends-pipeline',
    why: 'a flow whose only action is ct(commit) without table= ends the pipeline: it is the deciding flow; the simulator named none',
    bridges: [{ name: 'br-int', ports: [{ name: 'tap-a', ofport: 3, tag: 1 }, { name: 'tap-b', ofport: 4, tag: 1 }], flows: [
      'table=0,priority=100,ip,in_port=3,actions=load:0x3->NXM_NX_REG5[],load:0x1->NXM_NX_REG6[],ct(table=72,zone=NXM_NX_REG6[0..15])',
      'table=72,priority=74,ct_state=+new-est,ip,reg5=0x3,actions=resubmit(,73)',
      'table=72,priority=40,ct_state=+est,ip,reg5=0x3,actions=ct(commit,zone=NXM_NX_REG6[0..15],exec(load:0x1->NXM_NX_CT_MARK[]))',
      'table=73,priority=90,ct_state=+new-est,ip,reg5=0x3,actions=ct(commit,zone=NXM_NX_REG6[0..15]),output:4',
    ] }],
    start: { bridge: 'br-int', inPort: 3 },
    packet: 'udp,dl_src=fa:16:3e:00:00:03,dl_dst=fa:16:3e:00:00:04,nw_src=10.0.1.10,nw_dst=10.0.1.11,nw_ttl=64,udp_src=13891,udp_dst=123',
    ct: 'established',
  },
  {
    name: 'output-to-in-port',
    why: 'a VM sending to its own MAC: the firewall\'s output:<its port> is skipped (never back out of the input port), so that flow decides the drop; the simulator named none',
    bridges: [{ name: 'br-int', ports: [{ name: 'tap-a', ofport: 7, tag: 2 }, { name: 'tap-b', ofport: 8, tag: 2 }], flows: [
      'table=0,priority=9,in_port=7,actions=resubmit(,60)',
      'table=60,priority=100,in_port=7,actions=load:0x7->NXM_NX_REG5[],load:0x2->NXM_NX_REG6[],resubmit(,73)',
      'table=73,priority=100,reg6=0x2,dl_dst=fa:16:3e:00:00:05,actions=load:0x7->NXM_NX_REG5[],resubmit(,82)',
      'table=82,priority=77,tcp,reg5=0x7,tp_dst=22,actions=output:7',
      'table=82,priority=0,actions=drop',
    ] }],
    start: { bridge: 'br-int', inPort: 7 },
    packet: 'tcp,dl_src=fa:16:3e:00:00:05,dl_dst=fa:16:3e:00:00:05,nw_src=10.0.1.250,nw_dst=10.0.1.1,nw_ttl=64,tcp_src=60484,tcp_dst=22,tcp_flags=syn',
    ct: 'new',
  },
  {
    name: 'recirc-in-patch-peer',
    why: 'a ct(table=) run in br-int after the packet came from br-tun over the patch port: ofproto/trace heads the recirculation with bridge("br-tun"), yet it resumes in br-int',
    bridges: [
      { name: 'br-tun', ports: [{ name: 'patch-int', ofport: 1, peer: 'patch-tun' }, { name: 'tun-phys', ofport: 2 }], flows: [
        'table=0,priority=1,in_port=2,actions=mod_vlan_vid:2,output:1',
        'table=0,priority=0,actions=drop',
      ] },
      { name: 'br-int', ports: [{ name: 'patch-tun', ofport: 2, peer: 'patch-int' }, { name: 'tap-a', ofport: 10, tag: 2 }], flows: [
        'table=0,priority=0,actions=resubmit(,60)',
        'table=60,priority=90,dl_vlan=2,dl_dst=fa:16:3e:00:00:08,actions=load:0xa->NXM_NX_REG5[],load:0x2->NXM_NX_REG6[],strip_vlan,resubmit(,81)',
        'table=81,priority=90,ct_state=-trk,ip,reg5=0xa,actions=ct(table=82,zone=NXM_NX_REG6[0..15])',
        'table=82,priority=77,ct_state=+new-est,udp,reg5=0xa,tp_dst=53,actions=ct(commit,zone=NXM_NX_REG6[0..15]),output:10',
        'table=82,priority=40,ct_state=-est,reg5=0xa,actions=resubmit(,93)',
        'table=93,priority=0,actions=drop',
      ] },
    ],
    start: { bridge: 'br-tun', inPort: 2 },
    packet: 'udp,dl_src=fa:16:3e:aa:02:02,dl_dst=fa:16:3e:00:00:08,nw_src=10.0.1.101,nw_dst=10.0.1.13,nw_ttl=64,udp_src=13950,udp_dst=53',
    ct: 'new',
  },
  {
    name: 'neutron-nd-spoof-table-24',
    why: 'an unsolicited neighbour advertisement for an IPv6 VIP (nd_target not one of the port\'s addresses) goes table 0 -> 24 and dies on table 24\'s priority-0 drop, as Neutron\'s ARP/ND spoofing protection intends',
    bridges: [{ name: 'br-int', ports: [{ name: 'tap-a', ofport: 5, tag: 1 }, { name: 'tap-b', ofport: 6, tag: 1 }], flows: [
      'table=0,priority=10,icmp6,in_port=5,icmp_type=136,actions=resubmit(,24)',
      'table=0,priority=10,arp,in_port=5,actions=resubmit(,24)',
      'table=0,priority=0,actions=resubmit(,60)',
      'table=24,priority=2,icmp6,in_port=5,icmp_type=136,nd_target=fe80::f816:3eff:fe7d:2a11,actions=resubmit(,60)',
      'table=24,priority=2,icmp6,in_port=5,icmp_type=136,nd_target=2001:db8::16,actions=resubmit(,60)',
      'table=24,priority=0,actions=drop',
      'table=60,priority=3,actions=NORMAL',
    ] }],
    start: { bridge: 'br-int', inPort: 5 },
    packet: 'icmp6,icmpv6_type=136,icmpv6_code=0,nw_ttl=255,ipv6_src=2001:db8::100,ipv6_dst=ff02::1,nd_target=2001:db8::100,nd_tll=fa:16:3e:7d:2a:11,dl_src=fa:16:3e:7d:2a:11,dl_dst=33:33:00:00:00:01',
    ct: 'new',
  },
  {
    name: 'neutron-nd-allowed-target',
    why: 'the same advertisement for an address the port owns (nd_target matches its priority-2 flow) passes table 24 and is flooded by NORMAL',
    bridges: [{ name: 'br-int', ports: [{ name: 'tap-a', ofport: 5, tag: 1 }, { name: 'tap-b', ofport: 6, tag: 1 }], flows: [
      'table=0,priority=10,icmp6,in_port=5,icmp_type=136,actions=resubmit(,24)',
      'table=0,priority=0,actions=resubmit(,60)',
      'table=24,priority=2,icmp6,in_port=5,icmp_type=136,nd_target=2001:db8::16,actions=resubmit(,60)',
      'table=24,priority=0,actions=drop',
      'table=60,priority=3,actions=NORMAL',
    ] }],
    start: { bridge: 'br-int', inPort: 5 },
    packet: 'icmp6,icmpv6_type=136,icmpv6_code=0,nw_ttl=255,ipv6_src=2001:db8::16,ipv6_dst=ff02::1,nd_target=2001:db8::16,nd_tll=fa:16:3e:7d:2a:11,dl_src=fa:16:3e:7d:2a:11,dl_dst=33:33:00:00:00:01',
    ct: 'new',
  },
];

export const OVS_TRACE_FIXTURES_DIR = path.resolve(__dirname, '../core/sim/fixtures/ovs-trace');

function record(): void {
  const s = startOvsSandbox();
  if (!s.ok) throw new Error(s.reason);
  const sb = s.sandbox;
  try {
    // `npx tsx test/support/recordOvsTraceFixtures.ts NAME...` records only the named cases.
    const only = process.argv.slice(2);
    for (const c of OVS_TRACE_FIXTURE_CASES.filter((x) => only.length === 0 || only.includes(x.name))) {
      for (const b of c.bridges) {
        const args = ['add-br', b.name, '--', 'set', 'bridge', b.name, 'datapath_type=netdev', 'fail_mode=secure'];
        for (const p of b.ports) {
          args.push('--', 'add-port', b.name, p.name, ...(p.tag !== undefined ? [`tag=${p.tag}`] : []), '--', 'set', 'interface', p.name, `ofport_request=${p.ofport}`,
            ...(p.peer ? ['type=patch', `options:peer=${p.peer}`] : []));
        }
        sb.vsctl(args);
      }
      for (const b of c.bridges) sb.ofctl(['-O', 'OpenFlow13', 'add-flows', b.name, '-'], `${b.flows.join('\n')}\n`);
      const dir = path.join(OVS_TRACE_FIXTURES_DIR, c.name);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'ovs-vsctl_show'), sb.vsctl(['show']));
      for (const b of c.bridges) {
        fs.writeFileSync(path.join(dir, `ovs-ofctl_show_${b.name}`), sb.ofctl(['show', b.name]));
        fs.writeFileSync(path.join(dir, `ovs-ofctl_-O_OpenFlow13_dump-flows_${b.name}`), sb.ofctl(['-O', 'OpenFlow13', 'dump-flows', b.name]));
      }
      const odpPorts: Record<string, string> = {};
      for (const line of sb.appctl(['dpif/show']).split('\n')) {
        const m = /^\s{4}(\S+) (\d+)\/(\d+):/.exec(line);
        if (m) odpPorts[m[3]!] = m[1]!;
      }
      const trace = sb.appctl(['ofproto/trace', c.start.bridge, `in_port=${c.start.inPort},${c.packet}`, '--ct-next', CT_FLAGS[c.ct], '--ct-next', CT_FLAGS[c.ct]]);
      fs.writeFileSync(path.join(dir, 'ofproto-trace.txt'), trace);
      fs.writeFileSync(path.join(dir, 'probe.json'), `${JSON.stringify({ why: c.why, start: c.start, packet: c.packet, ct: c.ct, odpPorts }, null, 2)}\n`);
      for (const b of c.bridges) sb.vsctl(['del-br', b.name]);
      console.log(`recorded ${dir}`);
    }
  } finally {
    sb.stop();
  }
}

if (require.main === module) record();
