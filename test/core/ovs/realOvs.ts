/**
 * The bridge layout and flow set the real-OVS test installs in the sandbox (test/support/ovsSandbox.ts),
 * written to exercise as many match fields and actions as OVS accepts together. Every flow has a
 * unique (table, priority), which is how dumps are matched back to these specs.
 *
 * br-int (netdev, secure): tap1 = ofport 1 (internal, tag 4), tap2 = 2, patch-tun = 10 (patch to br-tun)
 * br-tun (netdev, secure): patch-int = 1, p-phys = 2
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { OvsSandbox } from '../../support/ovsSandbox';

export const BR_INT_FLOWS: readonly string[] = [
  'table=0,priority=65535,dl_vlan=4095,actions=drop',
  'table=0,priority=200,in_port=2,udp,actions=resubmit(,5)',
  'table=0,priority=100,in_port=1,actions=load:0x4->NXM_NX_REG5[],load:0x2->NXM_NX_REG6[],resubmit(,71)',
  'table=0,priority=90,in_port=2,dl_src=fa:16:3e:00:00:02,actions=mod_vlan_vid:5,resubmit(,60)',
  'table=0,priority=80,in_port=10,vlan_tci=0x1000/0x1000,actions=strip_vlan,output:2',
  'table=0,priority=0,actions=NORMAL',
  'table=5,priority=10,in_port=2,actions=resubmit(,6),output:10,resubmit(,7)',
  'table=6,priority=1,actions=load:0x1->NXM_NX_REG0[]',
  'table=7,priority=1,actions=group:1',
  'table=60,priority=50,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00,actions=FLOOD',
  'table=60,priority=40,arp,arp_spa=10.0.0.5,arp_tpa=10.0.0.0/24,arp_op=1,actions=goto_table:61',
  'table=61,priority=10,arp,arp_sha=fa:16:3e:00:00:01,actions=set_field:2->arp_op,move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],IN_PORT',
  'table=71,priority=95,arp,reg5=0x4,in_port=1,dl_src=fa:16:3e:00:00:01,arp_spa=10.0.0.5,actions=resubmit(,94)',
  'table=71,priority=90,tcp,reg5=0x4,in_port=1,dl_src=fa:16:3e:00:00:01,nw_src=10.0.0.5,tcp_dst=22,actions=ct(table=72,zone=NXM_NX_REG6[0..15])',
  'table=71,priority=70,udp,reg5=0x4,in_port=1,nw_src=0.0.0.0,tp_src=68,tp_dst=67,actions=resubmit(,73)',
  'table=71,priority=61,tcp,nw_dst=192.168.0.0/255.255.0.0,tcp_flags=+syn-ack,actions=controller(reason=no_match,max_len=128)',
  'table=71,priority=60,tcp6,ipv6_src=2001:db8::/32,ipv6_dst=fe80::1,tp_dst=0x1000/0xf000,actions=output:LOCAL',
  'table=71,priority=55,icmp6,icmp_type=135,nd_target=fe80::f816:3eff:fea7:45cb,nd_sll=fa:16:3e:a7:45:cb,actions=resubmit(,94)',
  'table=71,priority=54,icmp,icmp_type=8,icmp_code=0,nw_tos=16,nw_ecn=1,nw_ttl=64,actions=dec_ttl,output:2',
  'table=71,priority=53,ip,nw_frag=yes,actions=drop',
  'table=71,priority=52,sctp,sctp_src=5000,sctp_dst=6000,actions=enqueue:2:1',
  'table=71,priority=51,ipv6,ipv6_label=0x12345,actions=set_queue:3,pop_queue,output:2',
  'table=71,priority=50,tun_id=0x3e9,tun_src=10.0.0.1,tun_dst=10.0.0.2,actions=set_tunnel:0x5,output:10',
  'table=71,priority=49,metadata=0x1/0xff,pkt_mark=0x10,conj_id=7,ip,actions=output:2,write_metadata:0x2/0xff',
  'table=71,priority=48,ct_state=+trk+est-rel,ct_zone=5,ct_mark=0x1/0x1,ip,actions=ct_clear,resubmit(2,73)',
  'table=71,priority=47,ct_label=0x1/0xff,ip,actions=ct(commit,zone=5,exec(set_field:0x1->ct_mark,load:0x1->NXM_NX_CT_LABEL[0]))',
  'table=71,priority=46,ip,nw_src=10.1.0.0/16,actions=ct(commit,nat(src=10.0.0.1-10.0.0.9:1000-2000,random)),output:2',
  'table=71,priority=45,tcp,nw_dst=10.9.9.9,actions=ct(commit,table=73,zone=7,nat(dst=10.0.0.50:80)),mod_nw_src:1.2.3.4,mod_nw_dst:4.3.2.1,mod_tp_src:99,mod_tp_dst:100,mod_dl_src:00:11:22:33:44:55,mod_dl_dst:66:77:88:99:aa:bb,mod_vlan_pcp:3',
  'table=71,priority=44,reg0=0x1/0x1,xreg1=0x5,xxreg2=0x0/0xff,actions=conjunction(9,1/2)',
  'table=71,priority=43,reg1=0x2,actions=conjunction(9,2/2)',
  'table=71,priority=42,dl_type=0x88cc,actions=note:aa.bb.cc,clear_actions,write_actions(output:2)',
  'table=71,priority=41,actions=learn(table=20,hard_timeout=300,priority=1,cookie=0x43,NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0->NXM_OF_VLAN_TCI[],load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],output:OXM_OF_IN_PORT[]),output:2',
  'table=71,priority=40,dl_vlan=7,dl_vlan_pcp=3,actions=multipath(eth_src,50,modulo_n,1,0,NXM_NX_REG0[0..15]),bundle(eth_src,0,active_backup,ofport,members:1,2)',
  'table=71,priority=39,mpls,mpls_label=100,mpls_tc=1,mpls_bos=1,actions=pop_mpls:0x0800,output:2',
  'table=71,priority=38,tcp,tcp_src=22,tcp_dst=80,actions=check_pkt_larger(1500)->NXM_NX_REG0[0],output(port=2,max_len=100)',
  'table=71,priority=37,udp,udp_src=53,udp_dst=53,actions=set_field:10.0.0.1->ip_dst,set_field:fa:16:3e:00:00:09->eth_dst,output:2',
  'table=71,priority=36,rarp,actions=ALL',
  'table=71,priority=35,actset_output=2,packet_type=(0,0x800),actions=CONTROLLER:65535',
  'table=71,priority=34,ct_state=+trk-inv+new,ct_nw_src=10.0.0.1,ct_nw_proto=6,ct_tp_dst=80,ip,actions=group:1',
  'table=71,priority=33,tun_flags=+oam,actions=meter:1',
  'table=71,priority=32,ipv6,ipv6_dst=2001:db8::/ffff:ffff::,actions=set_tunnel64:0x123456789,output:2',
  'table=71,priority=31,tun_metadata0=0x1234,actions=output:NXM_NX_REG0[0..15]',
  'table=71,priority=30,ip,nw_proto=112,actions=sample(probability=100,collector_set_id=1)',
  'table=71,priority=29,ip,nw_src=10.2.0.0/16,actions=clone(mod_dl_dst:00:00:00:00:00:01,output:2),push:NXM_NX_REG0[],pop:NXM_NX_REG1[]',
  'table=71,priority=0,actions=drop',
  'table=72,cookie=0x1234,idle_timeout=60,hard_timeout=120,importance=5,send_flow_rem,check_overlap,priority=10,ip,actions=resubmit(,73)',
  'table=72,priority=5,reset_counts,actions=',
  'table=73,priority=1,actions=resubmit(,94)',
  'table=94,priority=1,actions=NORMAL',
];

export const BR_TUN_FLOWS: readonly string[] = [
  'table=0,priority=1,in_port=1,actions=resubmit(,2)',
  'table=0,priority=0,actions=drop',
  'table=2,priority=1,actions=set_field:0x5->tun_id,output:LOCAL',
];

/** Port name -> ofport, as created by setUpRealOvs. */
export const BR_INT_PORTS: Readonly<Record<string, number>> = { tap1: 1, tap2: 2, 'patch-tun': 10 };

/**
 * Creates both bridges, the group/meter/TLV mapping some flows refer to, and installs the flows
 * with `ovs-ofctl -O OpenFlow15 add-flows BRIDGE FILE` (OpenFlow 1.5 accepts every flow above).
 */
export function setUpRealOvs(s: OvsSandbox): void {
  s.vsctl([
    'add-br', 'br-int', '--', 'set', 'bridge', 'br-int', 'datapath_type=netdev', 'fail_mode=secure',
    'protocols=OpenFlow10,OpenFlow13,OpenFlow14,OpenFlow15',
    '--', 'add-port', 'br-int', 'tap1', 'tag=4', '--', 'set', 'interface', 'tap1', 'type=internal', 'ofport_request=1',
    '--', 'add-port', 'br-int', 'tap2', '--', 'set', 'interface', 'tap2', 'ofport_request=2',
    '--', 'add-port', 'br-int', 'patch-tun', '--', 'set', 'interface', 'patch-tun', 'type=patch', 'options:peer=patch-int', 'ofport_request=10',
  ]);
  s.vsctl([
    'add-br', 'br-tun', '--', 'set', 'bridge', 'br-tun', 'datapath_type=netdev', 'fail_mode=secure',
    '--', 'add-port', 'br-tun', 'patch-int', '--', 'set', 'interface', 'patch-int', 'type=patch', 'options:peer=patch-tun', 'ofport_request=1',
    '--', 'add-port', 'br-tun', 'p-phys', '--', 'set', 'interface', 'p-phys', 'ofport_request=2',
  ]);
  s.ofctl(['-O', 'OpenFlow15', 'add-group', 'br-int', 'group_id=1,type=select,bucket=output:1,bucket=output:2']);
  s.ofctl(['-O', 'OpenFlow15', 'add-meter', 'br-int', 'meter=1,kbps,band=type=drop,rate=1000']);
  s.ofctl(['add-tlv-map', 'br-int', '{class=0xffff,type=0,len=4}->tun_metadata0']);
  for (const [bridge, flows] of [['br-int', BR_INT_FLOWS], ['br-tun', BR_TUN_FLOWS]] as const) {
    const file = path.join(s.runDir, `${bridge}.flows`);
    fs.writeFileSync(file, `${flows.join('\n')}\n`);
    s.ofctl(['-O', 'OpenFlow15', 'add-flows', bridge, file]);
  }
}

/** `table/priority`, the key flows are matched by. */
export function flowKey(table: number, priority: number): string {
  return `${table}/${priority}`;
}

/**
 * Action kinds each br-int flow reads back as, per rendering: OpenFlow 1.3+ prints set_field,
 * push_vlan and instructions (goto_table, meter, write/clear_actions); OpenFlow 1.0 prints the
 * Nicira forms (load, mod_vlan_vid, resubmit) and cannot show instructions at all (a meter-only
 * flow prints `drop`, write/clear_actions vanish). Checked by hand against ovs-ofctl 3.1 output.
 */
export const EXPECTED_ACTIONS: Readonly<Record<string, { readonly of13: string; readonly of10?: string }>> = {
  '0/65535': { of13: 'drop' },
  '0/200': { of13: 'resubmit' },
  '0/100': { of13: 'set_field,set_field,resubmit', of10: 'load,load,resubmit' },
  '0/90': { of13: 'push_vlan,set_field,resubmit', of10: 'mod_vlan_vid,resubmit' },
  '0/80': { of13: 'pop_vlan,output' },
  '0/0': { of13: 'normal' },
  '5/10': { of13: 'resubmit,output,resubmit' },
  '6/1': { of13: 'set_field', of10: 'load' },
  '7/1': { of13: 'group' },
  '60/50': { of13: 'flood' },
  '60/40': { of13: 'goto_table', of10: 'resubmit' },
  '61/10': { of13: 'set_field,move,output', of10: 'load,move,output' },
  '71/95': { of13: 'resubmit' },
  '71/90': { of13: 'ct' },
  '71/70': { of13: 'resubmit' },
  '71/61': { of13: 'controller' },
  '71/60': { of13: 'output' },
  '71/55': { of13: 'resubmit' },
  '71/54': { of13: 'dec_ttl,output' },
  '71/53': { of13: 'drop' },
  '71/52': { of13: 'set_queue,output,pop_queue' },
  '71/51': { of13: 'set_queue,pop_queue,output' },
  '71/50': { of13: 'set_field,output', of10: 'load,output' },
  '71/49': { of13: 'output,write_metadata' },
  '71/48': { of13: 'ct_clear,resubmit' },
  '71/47': { of13: 'ct' },
  '71/46': { of13: 'ct,output' },
  '71/45': { of13: 'ct,set_field,set_field,set_field,set_field,set_field,set_field,push_vlan,set_field', of10: 'ct,mod_nw_src,mod_nw_dst,mod_tp_src,mod_tp_dst,mod_dl_src,mod_dl_dst,mod_vlan_pcp' },
  '71/44': { of13: 'conjunction' },
  '71/43': { of13: 'conjunction' },
  '71/42': { of13: 'note,clear_actions,write_actions', of10: 'note' },
  '71/41': { of13: 'learn,output' },
  '71/40': { of13: 'multipath,bundle' },
  '71/39': { of13: 'unknown,output' },
  '71/38': { of13: 'check_pkt_larger,output' },
  '71/37': { of13: 'set_field,set_field,output', of10: 'mod_nw_dst,mod_dl_dst,output' },
  '71/36': { of13: 'all' },
  '71/35': { of13: 'controller' },
  '71/34': { of13: 'group' },
  '71/33': { of13: 'meter', of10: 'drop' },
  '71/32': { of13: 'set_field,output', of10: 'load,output' },
  '71/31': { of13: 'output' },
  '71/30': { of13: 'unknown' },
  '71/29': { of13: 'clone,stack_push,stack_pop' },
  '71/0': { of13: 'drop' },
  '72/10': { of13: 'resubmit' },
  '72/5': { of13: 'drop' },
  '73/1': { of13: 'resubmit' },
  '94/1': { of13: 'normal' },
};

/**
 * Flows whose match OVS prints differently from how it was written: xreg/xxreg are shown as the
 * 32-bit registers they overlay (xreg1 = reg2:reg3, xxreg2 = reg8..reg11).
 */
export const EXPECTED_PRINTED_MATCH: Readonly<Record<string, readonly string[]>> = {
  '71/44': ['reg0=0x1/0x1', 'reg2=0x0/0xffffffff', 'reg3=0x5/0xffffffff', 'reg11=0x0/0xff'],
};
