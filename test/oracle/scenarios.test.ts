// Runs every oracle scenario (test/oracle/scenarios/*.sh) with real kernel networking and a real
// Open vSwitch into a temporary folder and checks that what really happened to the probe packets
// is what the seed posts report: e.g. seed 000's VIP ping is not delivered and the DROP rule of
// libvirt's I-vnet0-ipv4-ip ebtables chain is what dropped it. Needs root, iproute2, iptables and
// ebtables (nft), Open vSwitch binaries, jq and python3; otherwise every case says why and skips.
// Set OSNET_SKIP_ORACLE=1 to skip on purpose. The scenarios only touch their own namespaces
// (prefix osnt<pid>-, so a concurrent run-all.sh is not disturbed).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

interface Where {
  readonly netns?: string;
  readonly device: string;
}

interface RuleRef {
  readonly layer: 'ebtables' | 'iptables' | 'ovs';
  readonly table: string | number;
  readonly chain?: string;
  readonly bridge?: string;
  readonly netns?: string;
  readonly rule: string;
  readonly file: string;
  readonly line: number;
}

interface ObservedProbe {
  readonly id: string;
  readonly description: string;
  readonly ingress: Where;
  readonly egress?: Where;
  readonly packet: string;
  readonly delivered: boolean;
  readonly sendError?: string;
  readonly received?: Readonly<Record<string, string | number | readonly unknown[]>>;
  readonly decidedBy?: RuleRef;
  readonly ovsTrace?: { readonly datapathActions: string | null; readonly agreesWithCounters?: boolean; readonly output?: string };
  readonly countersMoved: readonly (RuleRef & { readonly packets: number })[];
}

interface HostJson {
  readonly version: number;
  readonly hostname: string;
  readonly commands: readonly { readonly file: string; readonly argv: readonly string[]; readonly exitCode: number; readonly netns?: string }[];
}

/** What the seed says about one probe. */
interface Expect {
  readonly probe: string;
  readonly delivered: boolean;
  /** Layer, chain (or OVS table) and a piece of the rule that must have decided the drop. */
  readonly decidedBy?: { readonly layer: RuleRef['layer']; readonly chain?: string; readonly table?: number; readonly ruleIncludes: string };
  readonly received?: Readonly<Record<string, string | number>>;
  readonly sendError?: string;
  readonly movedIncludes?: string;
  /** A flood: this receiver's copy was dropped while another copy left (so the datapath actions are not a drop). */
  readonly copiesElsewhere?: boolean;
}

interface Snapshot {
  readonly folder: string;
  readonly netns: readonly string[];
  readonly expect: readonly Expect[];
}

const S003 = 'neutron-openvswi-s38833ad6-c';
const QROUTER = 'qrouter-9a3594b0-52d1-4f29-a799-2576682e275b';
const FIPNS = 'fip-57282976-a9b2-4c3f-9772-6710507c5c4e';
const SNATNS = 'snat-9a3594b0-52d1-4f29-a799-2576682e275b';
const OVNMETA = 'ovnmeta-5c1f2a9e-7d3b-4e8a-9f60-2b4c6d8e0a13';
const LB_SPOOF = 'neutron-linuxbri-s5a7c9e1b-3';
/** neutron_pg_drop's to-lport ACL for kv-vm2 (logical port key 3) on an OVN 23.03 br-int. */
const OVN_ACL_DROP_B = 'priority=2001,ip,reg0=0x200/0x200,reg15=0x3,metadata=0x1 actions=drop';

const SCENARIOS: readonly { readonly id: string; readonly snapshots: readonly Snapshot[] }[] = [
  {
    id: '000-nova-nwfilter',
    snapshots: [{
      folder: '000-nova-nwfilter', netns: [], expect: [
        { probe: 'vip-garp', delivered: false, decidedBy: { layer: 'ebtables', chain: 'I-vnet0-arp-ip', ruleIncludes: '-j DROP' } },
        { probe: 'vip-icmp', delivered: false, decidedBy: { layer: 'ebtables', chain: 'I-vnet0-ipv4-ip', ruleIncludes: '-j DROP' } },
        { probe: 'fixed-icmp', delivered: true, movedIncludes: '-A nova-compute-inst-15 -s 10.16.0.0/24 -j ACCEPT' },
        { probe: 'fixed-garp', delivered: true },
        { probe: 'spoofed-mac-icmp', delivered: false, decidedBy: { layer: 'ebtables', chain: 'I-vnet0-mac', ruleIncludes: '-j DROP' } },
        { probe: 'to-vip-icmp', delivered: true },
      ],
    }],
  },
  {
    id: '001-nova-flatdhcp',
    snapshots: [{
      folder: '001-nova-flatdhcp', netns: [], expect: [
        { probe: 'dhcp-discover', delivered: true },
        { probe: 'dhcp-offer', delivered: true, movedIncludes: '-A nova-compute-inst-9 -s 10.0.0.1/32 -p udp -m udp --sport 67 --dport 68 -j ACCEPT' },
        { probe: 'subnet-icmp', delivered: true, movedIncludes: '-A nova-compute-inst-9 -s 10.0.0.0/24 -j ACCEPT' },
        { probe: 'host-ping-from-subnet', delivered: true },
        {
          probe: 'host-ping-from-mgmt', delivered: false, sendError: 'Operation not permitted',
          decidedBy: { layer: 'iptables', chain: 'nova-compute-sg-fallback', ruleIncludes: '-A nova-compute-sg-fallback -j DROP' },
        },
        { probe: 'mgmt-to-vm', delivered: false, decidedBy: { layer: 'iptables', chain: 'nova-compute-sg-fallback', ruleIncludes: '-j DROP' } },
        { probe: 'metadata', delivered: true, movedIncludes: '-j DNAT --to-destination 192.168.56.200:8775' },
      ],
    }],
  },
  {
    id: '002-neutron-spoof',
    snapshots: [{
      folder: '002-neutron-spoof', netns: [], expect: [
        { probe: 'vip-garp', delivered: false, decidedBy: { layer: 'ovs', table: 24, ruleIncludes: 'priority=0 actions=drop' } },
        {
          probe: 'vip-icmp', delivered: false,
          decidedBy: { layer: 'iptables', chain: 'neutron-openvswi-s6d1e3a2b-7', ruleIncludes: '"Drop traffic without an IP/MAC allow rule." -j DROP' },
        },
        { probe: 'fixed-icmp', delivered: true },
        { probe: 'fixed-garp', delivered: true, movedIncludes: 'arp,in_port=5,arp_spa=192.168.1.16 actions=resubmit(,25)' },
        { probe: 'fixed-tcp-80', delivered: true },
        { probe: 'to-vip-icmp', delivered: true },
      ],
    }],
  },
  {
    id: '003-lvs-dr-hybrid',
    snapshots: [
      {
        folder: '003-lvs-dr-hybrid', netns: ['qrouter-7f3e1d2c-9b8a-4c6d-8e5f-0a1b2c3d4e5f'], expect: [
          { probe: 'client-syn-to-director', delivered: true },
          { probe: 'director-forwards-syn', delivered: false, decidedBy: { layer: 'iptables', chain: S003, ruleIncludes: 'Drop traffic without an IP/MAC allow rule.' } },
          { probe: 'director-vip-icmp', delivered: true },
          { probe: 'director-fixed-icmp', delivered: true },
          { probe: 'real-server-reply', delivered: true },
        ],
      },
      {
        folder: '003-lvs-dr-hybrid-local-accept', netns: ['qrouter-7f3e1d2c-9b8a-4c6d-8e5f-0a1b2c3d4e5f'], expect: [
          { probe: 'client-syn-to-director', delivered: true },
          { probe: 'director-forwards-syn', delivered: true, movedIncludes: '-A neutron-openvswi-local -j ACCEPT' },
          { probe: 'director-vip-icmp', delivered: true },
          { probe: 'director-fixed-icmp', delivered: true },
          { probe: 'real-server-reply', delivered: true },
        ],
      },
    ],
  },
  {
    id: '004-dvr',
    snapshots: [
      {
        folder: '004-dvr', netns: [FIPNS, QROUTER, SNATNS], expect: [
          { probe: 'ext-arp-for-fip', delivered: true, received: { arp_op: 2, arp_spa: '10.5.150.1', arp_sha: 'fa:16:3e:b5:2d:2c' } },
          {
            probe: 'ext-icmp-to-fip', delivered: true, received: { nw_src: '10.5.0.1', nw_dst: '192.168.21.5' },
            movedIncludes: '-A neutron-l3-agent-PREROUTING -d 10.5.150.1/32 -i rfp-9a3594b0-5 -j DNAT --to-destination 192.168.21.5',
          },
          {
            probe: 'vm1-to-ext-via-fip', delivered: true, received: { nw_src: '10.5.150.1', dl_src: 'fa:16:3e:b5:2d:2c' },
            movedIncludes: '-A neutron-l3-agent-float-snat -s 192.168.21.5/32 -j SNAT --to-source 10.5.150.1',
          },
          { probe: 'vm3-to-ext-via-snat', delivered: true, received: { nw_src: '10.5.150.0', dl_src: 'fa:16:3e:c4:fd:ad' } },
          { probe: 'east-west', delivered: true, received: { nw_src: '192.168.21.5', dl_src: 'fa:16:3e:6d:f9:9c' } },
        ],
      },
      {
        // The FIP is gone but `from 192.168.21.5 lookup 16` stayed: vm1 still leaves through the
        // fip namespace (fg's MAC), now un-NATed, instead of the centralized SNAT.
        folder: '004-dvr-stale-fip-rule', netns: [FIPNS, QROUTER, SNATNS], expect: [
          { probe: 'vm1-to-ext-stale-rule', delivered: true, received: { nw_src: '192.168.21.5', dl_src: 'fa:16:3e:b5:2d:2c' } },
          { probe: 'vm3-to-ext-via-snat', delivered: true, received: { nw_src: '10.5.150.0' } },
        ],
      },
    ],
  },
  {
    // OVS native firewall: port security in table 71 and security groups in table 82 send what
    // they refuse to table 93, whose drop flow is the counter that moves. Multicast VRRP to
    // 224.0.0.18 skips ingress rules (switched by NORMAL from table 94); unicast VRRP does not.
    id: '005-ovs-native-firewall',
    snapshots: [
      {
        folder: '005-ovs-native-firewall', netns: [], expect: [
          { probe: 'vip-garp', delivered: false, decidedBy: { layer: 'ovs', table: 93, ruleIncludes: 'priority=0 actions=drop' }, movedIncludes: 'priority=10,reg5=0x7,in_port=7 actions=ct_clear,resubmit(,93)' },
          { probe: 'vip-icmp', delivered: false, decidedBy: { layer: 'ovs', table: 93, ruleIncludes: 'priority=0 actions=drop' }, movedIncludes: 'priority=10,reg5=0x7,in_port=7 actions=ct_clear,resubmit(,93)' },
          { probe: 'vrrp-multicast', delivered: true, movedIncludes: 'priority=90,ct_state=+new-est,ip,reg5=0x7 actions=ct(commit,zone=NXM_NX_REG6[0..15]),resubmit(,91)' },
          { probe: 'vrrp-unicast', delivered: false, decidedBy: { layer: 'ovs', table: 93, ruleIncludes: 'priority=0 actions=drop' }, movedIncludes: 'priority=40,ct_state=-est,reg5=0x8 actions=resubmit(,93)' },
          { probe: 'fixed-icmp', delivered: true },
          { probe: 'fixed-garp', delivered: true, movedIncludes: 'arp,reg5=0x7,in_port=7,dl_src=fa:16:3e:5a:10:01,arp_spa=10.20.0.11 actions=resubmit(,94)' },
          { probe: 'fixed-tcp-80', delivered: true, movedIncludes: 'conj_id=23,ct_state=+new-est,ip,reg5=0x8' },
          { probe: 'reply-untracked', delivered: false, decidedBy: { layer: 'ovs', table: 93, ruleIncludes: 'priority=0 actions=drop' }, movedIncludes: 'priority=50,ct_state=+inv+trk actions=resubmit(,93)' },
          { probe: 'to-vip-icmp', delivered: true },
        ],
      },
      {
        folder: '005-ovs-native-firewall-after-fix', netns: [], expect: [
          { probe: 'vip-garp', delivered: true, movedIncludes: 'arp_spa=10.20.0.100 actions=resubmit(,94)' },
          { probe: 'vip-icmp', delivered: true, movedIncludes: 'nw_src=10.20.0.100 actions=ct(table=72,zone=NXM_NX_REG6[0..15])' },
          { probe: 'vrrp-multicast', delivered: true },
          { probe: 'vrrp-unicast', delivered: true, movedIncludes: 'conj_id=23,ct_state=+new-est,ip,reg5=0x8' },
          { probe: 'fixed-icmp', delivered: true },
          { probe: 'fixed-garp', delivered: true },
          { probe: 'fixed-tcp-80', delivered: true },
          { probe: 'reply-untracked', delivered: false, decidedBy: { layer: 'ovs', table: 93, ruleIncludes: 'priority=0 actions=drop' }, movedIncludes: 'priority=50,ct_state=+inv+trk actions=resubmit(,93)' },
          { probe: 'to-vip-icmp', delivered: true },
        ],
      },
    ],
  },
  {
    // iptables hybrid firewall, the VIP already an allowed pair: VRRP (multicast or unicast) dies
    // in the peer's ingress chain via sg-fallback until the group allows protocol 112.
    id: '007-hybrid-vrrp',
    snapshots: [
      {
        folder: '007-hybrid-vrrp', netns: [], expect: [
          {
            probe: 'vrrp-multicast', delivered: false, decidedBy: { layer: 'iptables', chain: 'neutron-openvswi-sg-fallback', ruleIncludes: '"Default drop rule for unmatched traffic." -j DROP' },
            movedIncludes: '-A neutron-openvswi-id52a8f3e-0 -m comment --comment "Send unmatched traffic to the fallback chain." -j neutron-openvswi-sg-fallback',
          },
          { probe: 'vrrp-unicast', delivered: false, decidedBy: { layer: 'iptables', chain: 'neutron-openvswi-sg-fallback', ruleIncludes: '-j DROP' } },
          { probe: 'vip-garp', delivered: true, movedIncludes: 'arp_spa=10.30.0.100 actions=resubmit(,25)' },
          { probe: 'fixed-icmp', delivered: true },
          { probe: 'fixed-tcp-80', delivered: true, movedIncludes: '-A neutron-openvswi-id52a8f3e-0 -p tcp -m tcp --dport 80 -m set --match-set' },
          { probe: 'fixed-tcp-8080', delivered: false, decidedBy: { layer: 'iptables', chain: 'neutron-openvswi-sg-fallback', ruleIncludes: '-j DROP' } },
        ],
      },
      {
        folder: '007-hybrid-vrrp-vrrp-rule', netns: [], expect: [
          { probe: 'vrrp-multicast', delivered: true, movedIncludes: '-A neutron-openvswi-id52a8f3e-0 -p vrrp -m set --match-set' },
          { probe: 'vrrp-unicast', delivered: true },
          { probe: 'vip-garp', delivered: true },
          { probe: 'fixed-icmp', delivered: true },
          { probe: 'fixed-tcp-80', delivered: true },
          { probe: 'fixed-tcp-8080', delivered: false, decidedBy: { layer: 'iptables', chain: 'neutron-openvswi-sg-fallback', ruleIncludes: '-j DROP' } },
        ],
      },
    ],
  },
  {
    // Seed 002's VIP on the linuxbridge agent: ebtables nat neutronARP-/neutronMAC-<tap> chains
    // (arp_protect.py) and the neutron-linuxbri spoof chain. Variants: the chains as pre-Xena
    // agents wrote them (no final DROP rule: the DROP policy drops, no rule counter moves), and
    // the VIP as an allowed address pair.
    id: '006-linuxbridge',
    snapshots: [
      {
        folder: '006-linuxbridge', netns: [], expect: [
          { probe: 'vip-garp', delivered: false, decidedBy: { layer: 'ebtables', chain: 'neutronARP-tap5a7c9e1b-3d', ruleIncludes: '-j DROP' } },
          { probe: 'vip-icmp', delivered: false, decidedBy: { layer: 'iptables', chain: LB_SPOOF, ruleIncludes: '"Drop traffic without an IP/MAC allow rule." -j DROP' } },
          { probe: 'spoofed-mac-icmp', delivered: false, decidedBy: { layer: 'ebtables', chain: 'neutronMAC-tap5a7c9e1b-3d', ruleIncludes: '-j DROP' } },
          { probe: 'fixed-icmp', delivered: true },
          { probe: 'fixed-garp', delivered: true, movedIncludes: '-p ARP --arp-ip-src 172.16.10.11 -j ACCEPT' },
          { probe: 'vrrp', delivered: true, movedIncludes: '-A neutron-linuxbri-ie4b2d6f8-1 -m set --match-set NIPv49b7e5d3c-1a2b-4c6d-8e0f-a1 src -j RETURN' },
          { probe: 'to-vip-icmp', delivered: true },
          { probe: 'fixed-icmp-remote', delivered: true },
        ],
      },
      {
        folder: '006-linuxbridge-policy-drop', netns: [], expect: [
          { probe: 'vip-garp', delivered: false, movedIncludes: '-p ARP -i tap5a7c9e1b-3d -j neutronARP-tap5a7c9e1b-3d' },
          { probe: 'vip-icmp', delivered: false, decidedBy: { layer: 'iptables', chain: LB_SPOOF, ruleIncludes: 'Drop traffic without an IP/MAC allow rule.' } },
          { probe: 'spoofed-mac-icmp', delivered: false, movedIncludes: '-i tap5a7c9e1b-3d -j neutronMAC-tap5a7c9e1b-3d' },
          { probe: 'fixed-icmp', delivered: true },
          { probe: 'fixed-garp', delivered: true, movedIncludes: '-p ARP --arp-ip-src 172.16.10.11 -j ACCEPT' },
          { probe: 'vrrp', delivered: true },
          { probe: 'to-vip-icmp', delivered: true },
          { probe: 'fixed-icmp-remote', delivered: true },
        ],
      },
      {
        folder: '006-linuxbridge-allowed-pair', netns: [], expect: [
          { probe: 'vip-garp', delivered: true, movedIncludes: '-p ARP --arp-ip-src 172.16.10.100 -j ACCEPT' },
          { probe: 'vip-icmp', delivered: true, movedIncludes: `-A ${LB_SPOOF} -s 172.16.10.100/32 -m mac --mac-source fa:16:3e:5a:7c:01` },
          { probe: 'spoofed-mac-icmp', delivered: false, decidedBy: { layer: 'ebtables', chain: 'neutronMAC-tap5a7c9e1b-3d', ruleIncludes: '-j DROP' } },
          { probe: 'fixed-icmp', delivered: true },
          { probe: 'fixed-garp', delivered: true },
          { probe: 'vrrp', delivered: true },
          { probe: 'to-vip-icmp', delivered: true },
          { probe: 'fixed-icmp-remote', delivered: true },
        ],
      },
    ],
  },
  {
    // ML2/OVN (private OVN NB/SB, ovn-northd, ovn-controller): port security is a logical
    // stage, checked on the way in (sender) and on the way out (receiver).
    id: '008-ovn',
    snapshots: [
      {
        folder: '008-ovn', netns: [OVNMETA], expect: [
          { probe: 'vip-garp', delivered: false, decidedBy: { layer: 'ovs', table: 9, ruleIncludes: 'priority=50,reg0=0x8000/0x8000,metadata=0x1 actions=drop' } },
          { probe: 'vip-icmp', delivered: false, decidedBy: { layer: 'ovs', table: 9, ruleIncludes: 'priority=50,reg0=0x8000/0x8000,metadata=0x1 actions=drop' } },
          { probe: 'vrrp-multicast', delivered: true },
          { probe: 'vrrp-unicast', delivered: true },
          { probe: 'fixed-icmp', delivered: true, movedIncludes: 'priority=90,ip,reg14=0x2,metadata=0x1,dl_src=fa:16:3e:3c:a1:01,nw_src=10.30.0.11 actions=load:0->NXM_NX_REG10[12]' },
          { probe: 'fixed-garp', delivered: true, movedIncludes: 'arp_spa=10.30.0.11,arp_sha=fa:16:3e:3c:a1:01 actions=load:0->NXM_NX_REG10[12]' },
          { probe: 'to-vip-icmp', delivered: false, decidedBy: { layer: 'ovs', table: 51, ruleIncludes: 'priority=50,reg0=0x8000/0x8000,metadata=0x1 actions=drop' } },
        ],
      },
      {
        folder: '008-ovn-allowed-pair', netns: [OVNMETA], expect: [
          { probe: 'vip-garp', delivered: true, movedIncludes: 'arp_spa=10.30.0.100,arp_sha=fa:16:3e:3c:a1:01 actions=load:0->NXM_NX_REG10[12]' },
          { probe: 'vip-icmp', delivered: true, movedIncludes: 'dl_src=fa:16:3e:3c:a1:01,nw_src=10.30.0.100 actions=load:0->NXM_NX_REG10[12]' },
          { probe: 'vrrp-multicast', delivered: true },
          { probe: 'vrrp-unicast', delivered: true },
          { probe: 'fixed-icmp', delivered: true },
          { probe: 'fixed-garp', delivered: true },
          { probe: 'to-vip-icmp', delivered: true, movedIncludes: 'dl_dst=fa:16:3e:3c:a1:01,nw_dst=10.30.0.100 actions=load:0->NXM_NX_REG10[12]' },
        ],
      },
    ],
  },
  {
    // ML2/OVN security groups (ACLs of Neutron's port groups), the VIP already an allowed pair:
    // no VRRP rule -> neutron_pg_drop's to-lport drop (ACL 1001, OpenFlow priority 2001) at the
    // receiver, multicast included (its copy to the metadata localport still leaves); a
    // remote-group rule does not cover the VIP (the address set holds fixed IPs). Variants: a
    // protocol-112 remote-group rule, then --remote-ip VIP/32 rules.
    id: '009-ovn-sg',
    snapshots: [
      {
        folder: '009-ovn-sg', netns: [OVNMETA], expect: [
          { probe: 'vrrp-multicast', delivered: false, decidedBy: { layer: 'ovs', ruleIncludes: OVN_ACL_DROP_B }, copiesElsewhere: true },
          { probe: 'vrrp-unicast', delivered: false, decidedBy: { layer: 'ovs', ruleIncludes: OVN_ACL_DROP_B } },
          { probe: 'vip-garp', delivered: true },
          { probe: 'fixed-icmp', delivered: true, movedIncludes: ',icmp,reg0=0x80/0x80,metadata=0x1 actions=' },
          { probe: 'vip-icmp', delivered: false, decidedBy: { layer: 'ovs', ruleIncludes: OVN_ACL_DROP_B } },
          { probe: 'fixed-tcp-80', delivered: true },
          { probe: 'vip-tcp-80', delivered: false, decidedBy: { layer: 'ovs', ruleIncludes: OVN_ACL_DROP_B } },
          { probe: 'vip-tcp-22', delivered: true, movedIncludes: 'priority=2002,tcp,reg0=0x80/0x80,reg15=0x3,metadata=0x1,tp_dst=22' },
          { probe: 'to-vip-tcp-80', delivered: true },
          { probe: 'to-vip-tcp-8080', delivered: false, decidedBy: { layer: 'ovs', ruleIncludes: 'priority=2001,ip,reg0=0x200/0x200,reg15=0x2,metadata=0x1 actions=drop' } },
        ],
      },
      {
        folder: '009-ovn-sg-vrrp-rule', netns: [OVNMETA], expect: [
          { probe: 'vrrp-multicast', delivered: true, movedIncludes: ',reg0=0x100/0x100,metadata=0x1,nw_proto=112 actions=' },
          { probe: 'vrrp-unicast', delivered: true },
          { probe: 'vip-garp', delivered: true },
          { probe: 'fixed-icmp', delivered: true },
          { probe: 'vip-icmp', delivered: false, decidedBy: { layer: 'ovs', ruleIncludes: OVN_ACL_DROP_B } },
          { probe: 'fixed-tcp-80', delivered: true },
          { probe: 'vip-tcp-80', delivered: false, decidedBy: { layer: 'ovs', ruleIncludes: OVN_ACL_DROP_B } },
          { probe: 'vip-tcp-22', delivered: true },
          { probe: 'to-vip-tcp-80', delivered: true },
          { probe: 'to-vip-tcp-8080', delivered: false, decidedBy: { layer: 'ovs', ruleIncludes: 'priority=2001,ip,reg0=0x200/0x200,reg15=0x2,metadata=0x1 actions=drop' } },
        ],
      },
      {
        folder: '009-ovn-sg-vip-rule', netns: [OVNMETA], expect: [
          { probe: 'vrrp-multicast', delivered: true },
          { probe: 'vrrp-unicast', delivered: true },
          { probe: 'vip-garp', delivered: true },
          { probe: 'fixed-icmp', delivered: true },
          { probe: 'vip-icmp', delivered: true, movedIncludes: 'priority=2002,icmp,reg0=0x80/0x80,reg15=0x3,metadata=0x1,nw_src=10.30.0.100' },
          { probe: 'fixed-tcp-80', delivered: true },
          { probe: 'vip-tcp-80', delivered: true, movedIncludes: 'priority=2002,tcp,reg0=0x80/0x80,reg15=0x3,metadata=0x1,nw_src=10.30.0.100,tp_dst=80' },
          { probe: 'vip-tcp-22', delivered: true },
          { probe: 'to-vip-tcp-80', delivered: true },
          { probe: 'to-vip-tcp-8080', delivered: false, decidedBy: { layer: 'ovs', ruleIncludes: 'priority=2001,ip,reg0=0x200/0x200,reg15=0x2,metadata=0x1 actions=drop' } },
        ],
      },
    ],
  },
];

const ORACLE_DIR = __dirname;
const PREFIX = `osnt${process.pid}`;

function hasTool(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { env: { ...process.env, PATH: `${process.env['PATH'] ?? ''}:/usr/sbin:/sbin` } }).status === 0;
}

/** Why the scenarios cannot run here, or undefined when they can. */
function whyNot(): string | undefined {
  if (process.env['OSNET_SKIP_ORACLE'] === '1') return 'OSNET_SKIP_ORACLE=1';
  if (process.platform !== 'linux') return `needs Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'needs root to create network namespaces';
  if (!fs.existsSync('/proc/sys/net/bridge')) return 'no br_netfilter (/proc/sys/net/bridge missing)';
  const missing = ['bash', 'ip', 'iptables-save', 'ebtables', 'bridge', 'ipset', 'conntrack', 'jq', 'python3',
    'ovsdb-tool', 'ovsdb-server', 'ovs-vswitchd', 'ovs-vsctl', 'ovs-ofctl', 'ovs-appctl'].filter((t) => !hasTool(t));
  return missing.length > 0 ? `missing tools: ${missing.join(', ')}` : undefined;
}

/** `drop`, `ct(commit,zone=4,mark=0/0x1,nat(src))`: datapath actions that output the packet to no port. */
function sendsNowhere(actions: string | null): boolean {
  if (actions === null) return false;
  let depth = 0;
  let top = '';
  for (const c of actions) {
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0) top += c;
  }
  return top.split(',').every((a) => a === 'drop' || a === 'ct');
}

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

function lineOf(folder: string, ref: RuleRef): string {
  return fs.readFileSync(path.join(folder, ref.file), 'utf8').split('\n')[ref.line - 1] ?? '';
}

function checkSnapshot(root: string, snap: Snapshot): void {
  const folder = path.join(root, snap.folder);
  const host = readJson<HostJson>(path.join(folder, 'host.json'));
  assert.equal(host.version, 1);
  for (const c of host.commands) {
    assert.ok(fs.existsSync(path.join(folder, c.file)), `${snap.folder}: host.json names ${c.file}, which is missing`);
    if (c.netns) assert.deepEqual(c.argv.slice(0, 4), ['ip', 'netns', 'exec', c.netns]);
  }
  const netns = fs.existsSync(path.join(folder, 'netns')) ? fs.readdirSync(path.join(folder, 'netns')).sort() : [];
  assert.deepEqual(netns, [...snap.netns].sort(), `${snap.folder}: only the hypervisor's own namespaces are dumped`);
  for (const f of ['iptables-save_-c', 'ip_-d_-j_link', 'ip_rule', 'ebtables_-t_nat_-L_--Lc', 'sysctl_-a']) {
    assert.ok(fs.existsSync(path.join(folder, f)), `${snap.folder}: ${f}`);
  }

  const observed = readJson<ObservedProbe[]>(path.join(folder, 'observed.json'));
  assert.deepEqual(observed.map((o) => o.id), snap.expect.map((e) => e.probe), `${snap.folder}: probes`);
  for (const o of observed) {
    // Every rule reference points at its exact line of the snapshot.
    for (const ref of [...o.countersMoved, ...(o.decidedBy ? [o.decidedBy] : [])]) {
      assert.equal(lineOf(folder, ref), ref.rule, `${snap.folder}/${o.id}: ${ref.file}:${ref.line}`);
    }
  }
  for (const e of snap.expect) {
    const o = observed.find((p) => p.id === e.probe)!;
    const what = `${snap.folder}/${e.probe} (${o.description})`;
    assert.equal(o.delivered, e.delivered, `${what}: delivered`);
    if (e.decidedBy) {
      const d = o.decidedBy;
      assert.ok(d, `${what}: a drop counter moved`);
      assert.equal(d.layer, e.decidedBy.layer, `${what}: layer`);
      if (e.decidedBy.chain) assert.equal(d.chain, e.decidedBy.chain, `${what}: chain`);
      if (e.decidedBy.table !== undefined) assert.equal(d.table, e.decidedBy.table, `${what}: OVS table`);
      assert.ok(d.rule.includes(e.decidedBy.ruleIncludes), `${what}: ${d.rule}`);
      if (d.layer === 'ovs') {
        // The last pass sends the packet nowhere (`drop`, or only a conntrack commit: OVN commits
        // in ls_out_stateful before its egress port security drops).
        if (e.copiesElsewhere) {
          // ofproto/trace walks a flood's copies in the multicast group's order, which
          // ovn-controller does not fix (real runs differ): the drop is in the trace, not always last.
          const m = /\bpriority=(\d+),(\S+) actions=/.exec(d.rule);
          assert.ok(m && o.ovsTrace?.output?.includes(`${m[2]}, priority ${m[1]}`), `${what}: ofproto/trace reaches the flow whose counter moved`);
        } else {
          assert.ok(sendsNowhere(o.ovsTrace?.datapathActions ?? null), `${what}: ofproto/trace agrees (${o.ovsTrace?.datapathActions ?? 'no datapath actions'})`);
          assert.equal(o.ovsTrace?.agreesWithCounters, true, `${what}: trace ends in the flow whose counter moved`);
        }
      }
    } else if (!e.delivered) {
      assert.equal(o.decidedBy, undefined);
    }
    if (e.delivered) assert.equal(o.decidedBy, undefined, `${what}: a delivered probe has no deciding drop`);
    for (const [k, v] of Object.entries(e.received ?? {})) assert.equal(o.received?.[k], v, `${what}: received ${k}`);
    if (e.sendError) assert.equal(o.sendError, e.sendError, `${what}: send error`);
    if (e.movedIncludes) {
      assert.ok(o.countersMoved.some((m) => m.rule.includes(e.movedIncludes!)), `${what}: counter of "${e.movedIncludes}" moved`);
    }
  }
}

describe('oracle scenarios: the seed posts rebuilt with real netfilter and OVS', function () {
  this.timeout(240_000);
  const reason = whyNot();
  let root = '';

  before(function () {
    if (reason) console.log(`    oracle scenarios skipped: ${reason}`);
    else root = fs.mkdtempSync(path.join(os.tmpdir(), 'osnet-oracle-test-'));
  });

  after(function () {
    if (root) fs.rmSync(root, { recursive: true, force: true });
    if (!reason) {
      const left = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout.split('\n').filter((l) => l.startsWith(`${PREFIX}-`));
      assert.deepEqual(left, [], 'every scenario removed its namespaces');
    }
  });

  for (const sc of SCENARIOS) {
    it(`${sc.id}: observed outcomes match the seed`, function () {
      if (reason) this.skip();
      const r = spawnSync('bash', [path.join(ORACLE_DIR, 'scenarios', `${sc.id}.sh`), 'all', path.join(root, sc.id)], {
        encoding: 'utf8', timeout: 200_000,
        env: { ...process.env, OSNET_NS_PREFIX: PREFIX, PATH: `${process.env['PATH'] ?? ''}:/usr/sbin:/sbin` },
      });
      if (r.status === 3) {
        console.log(`    ${sc.id} skipped: ${r.stderr.trim()}`);
        this.skip();
      }
      assert.equal(r.status, 0, `${sc.id} failed:\n${r.stderr.split('\n').slice(-30).join('\n')}`);
      for (const snap of sc.snapshots) checkSnapshot(root, snap);
    });
  }
});
