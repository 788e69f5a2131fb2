import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import type { EditorLanguageId } from '../../../src/core/editor/EditorLanguageId';
import { hover } from '../../../src/core/editor/hover';
import { observedTraces } from '../../syntaxes/grammarInputs';
import { posOf, projectRoot, read, textOf } from './editorTestFiles';

/** The hover markdown at the `occurrence`-th `needle`, `offset` characters in (default: its middle). */
function hoverAt(file: string, lang: EditorLanguageId, needle: string, occurrence = 0, offset?: number, text = read(file)): { md: string; word: string } {
  const h = hover(text, lang, posOf(text, needle, occurrence, offset ?? Math.floor(needle.length / 2)), file);
  assert.ok(h, `no hover on "${needle}" in ${file}`);
  return { md: h.markdown, word: textOf(text, h.range) };
}

const SAVE = 'samples/002-neutron-spoof/iptables-save_-c';
const LIST = 'test/fixtures/iptables/netns-generated/legacy/iptables_-t_filter_-nvL_--line-numbers';
const EBT = 'test/fixtures/ebtables/nft-1.8.9/ebtables_-L_--Ln_--Lc.txt';
const FLOWS = 'test/fixtures/ovs/hotsos/ovs-ofctl_dump-flows_br-int.txt';

describe('hover: iptables', () => {
  it('explains match modules and their options in context', () => {
    assert.match(hoverAt(SAVE, 'iptables', '-m physdev', 0, 4).md, /^\*\*physdev — bridge ports of a bridged packet\*\*/);
    const opt = hoverAt(SAVE, 'iptables', '--physdev-in');
    assert.equal(opt.word, '--physdev-in');
    assert.match(opt.md, /^\*\*`--physdev-in`\*\* \(`-m physdev`\)\n\nThe bridge port the packet entered by/);
    assert.match(hoverAt(SAVE, 'iptables', '--zone').md, /\(target CT\)\n\nConntrack zone/);
    assert.match(hoverAt('test/fixtures/iptables/netns-generated/legacy/iptables-save', 'iptables', '--ctstate INVALID', 0, 3).md, /Connection states, comma separated/);
  });

  it('explains targets: verdicts and extensions', () => {
    assert.match(hoverAt(SAVE, 'iptables', '-j DROP', 0, 4).md, /^\*\*DROP — verdict: discard silently\*\*/);
    assert.match(hoverAt(SAVE, 'iptables', '-j RETURN', 0, 5).md, /^\*\*RETURN — back to the calling chain\*\*/);
    assert.match(hoverAt(SAVE, 'iptables', '-j CT', 0, 4).md, /^\*\*CT — conntrack settings\*\*/);
    assert.match(hoverAt(SAVE, 'iptables', ':FORWARD ACCEPT', 0, 11).md, /^\*\*ACCEPT — verdict/);
  });

  it('decodes Neutron chains and counts rules, jumps and the packets that entered', () => {
    const { md } = hoverAt(SAVE, 'iptables', '-j neutron-openvswi-s6d1e3a2b-7', 0, 10);
    assert.match(md, /^\*\*Chain `neutron-openvswi-s6d1e3a2b-7`\*\* \(table filter\)\n\nAnti-spoofing chain of the port/);
    assert.match(md, /Port: `6d1e3a2b-7` \(device `tap6d1e3a2b-7…`\)/);
    assert.match(md, /2 rules · 1 rule jumps here · declared on line 32/);
    assert.match(md, /Entered by 3 packets, 177 bytes/);
    assert.match(hoverAt(SAVE, 'iptables', ':neutron-openvswi-sg-fallback', 0, 5).md, /default-drop chain/);
  });

  it('explains Neutron rule comments in save and -L forms', () => {
    assert.match(hoverAt(SAVE, 'iptables', 'Drop traffic without an IP/MAC').md, /^\*\*Neutron rule comment\*\*\n\n> Drop traffic without an IP\/MAC allow rule\.\n\nAnti-spoofing: .*allowed address pair/);
    assert.match(hoverAt(SAVE, 'iptables', 'Set zone for 6d1e3a2b').md, /Conntrack zone of port 6d1e3a2b-7c41-4a5e-9f0b-3c2d1e0f9a87/);
    assert.match(hoverAt(LIST, 'iptables', '/* Allow DHCP client traffic. */').md, /may send DHCP requests/);
  });

  it('shows counters in human units', () => {
    assert.equal(hoverAt(SAVE, 'iptables', '[7:413]').md, '**Counters** `[packets:bytes]`\n\n7 packets, 413 bytes matched this rule since the counters were last zeroed.');
    const k8s = 'test/fixtures/iptables/hotsos-k8s/iptables_-vnxL.txt';
    assert.match(hoverAt(k8s, 'iptables', '37969640').md, /^\*\*Rule counters\*\*\n\n97,531 packets \(97\.5 K\), 37,969,640 bytes \(36\.2 MiB\)$/);
    assert.match(hoverAt(k8s, 'iptables', '11107891').md, /^\*\*Policy counters of INPUT\*\*\n\nPackets that reached the end of the chain: 35,398 packets \(35\.4 K\), 11,107,891 bytes \(10\.6 MiB\)$/);
    assert.match(hoverAt(LIST, 'iptables', '1        0     0 ACCEPT', 0, 0).md, /^\*\*Rule 1\*\* of chain INPUT/);
  });

  it('decodes interfaces, protocols, tables and connection states', () => {
    assert.match(hoverAt(SAVE, 'iptables', 'qvb6d1e3a2b-7c').md, /Hybrid plug veth, Linux bridge \(qbr\) side[\s\S]*port id starts with `6d1e3a2b-7c`/);
    const legacy = 'test/fixtures/iptables/netns-generated/legacy/iptables-save';
    assert.match(hoverAt(legacy, 'iptables', '-p vrrp', 0, 4).md, /^\*\*IP protocol 112\*\* \(`vrrp`\)\n\nVRRP is what keepalived speaks/);
    assert.match(hoverAt(SAVE, 'iptables', '*filter').md, /^\*\*filter table\*\*/);
    assert.match(hoverAt(SAVE, 'iptables', 'RELATED,ESTABLISHED').md, /- `RELATED`: .*\n- `ESTABLISHED`: /);
    assert.match(hoverAt(LIST, 'iptables', 'PHYSDEV match').md, /^\*\*physdev/);
    assert.match(hoverAt(LIST, 'iptables', 'dpt:!22').md, /^\*\*`dpt:`\*\* destination port: `!22`/);
  });
});

describe('hover: ebtables', () => {
  it('options, targets, libvirt chains and --Lc counters', () => {
    assert.match(hoverAt(EBT, 'ebtables', '--ip-src').md, /IPv4 source address\[\/mask\]/);
    assert.match(hoverAt(EBT, 'ebtables', '-j CONTINUE', 0, 5).md, /^\*\*CONTINUE — next rule\*\*/);
    const chain = hoverAt(EBT, 'ebtables', '-j libvirt-I-tap0678bf1d-41', 0, 8).md;
    assert.match(chain, /libvirt nwfilter root chain for frames coming FROM the VM/);
    assert.match(chain, /Port: `tap0678bf1d-41`/);
    assert.match(hoverAt(EBT, 'ebtables', 'Bridge chain: I-tap0678bf1d-41-arp-ip', 0, 20).md, /ARP sender IP must be the VM's IP/);
    assert.match(hoverAt(EBT, 'ebtables', '12345678901').md, /12,345,678,901 packets \(12\.3 G\)/);
    assert.match(hoverAt(EBT, 'ebtables', '98765432109876').md, /98,765,432,109,876 bytes \(89\.8 TiB\)/);
    assert.match(hoverAt(EBT, 'ebtables', 'Bridge table: nat', 0, 15).md, /^\*\*nat table\*\*/);
  });
});

describe('hover: OVS flows and traces', () => {
  it('table numbers carry their Neutron meaning and the table\'s size', () => {
    const t = hoverAt(FLOWS, 'ovs-flows', 'resubmit(,73)', 0, 11);
    assert.equal(t.word, '73');
    assert.match(t.md, /^\*\*OpenFlow table 73\*\* of `br-int`\n\nNeutron `ACCEPT_OR_INGRESS_TABLE`/);
    assert.match(t.md, /10 flows \(first on line 58\), 469 packets matched in all\./);
    assert.match(hoverAt(FLOWS, 'ovs-flows', 'table=24', 0, 7).md, /`ARP_SPOOF_TABLE`: ARP spoofing protection/);
    const tun = 'test/fixtures/ovs/hotsos/ovs-ofctl_dump-flows_br-tun.txt';
    assert.match(hoverAt(tun, 'ovs-flows', 'table=22', 0, 7).md, /`FLOOD_TO_TUN`/);
    const missing = hover('priority=1 actions=resubmit(,99)\n', 'ovs-flows', { line: 0, character: 30 }, 'br-int.flows');
    assert.match(missing!.markdown, /No flow in this dump is in this table/);
  });

  it('statistics in human units, fields, registers, flags, actions', () => {
    assert.match(hoverAt(FLOWS, 'ovs-flows', 'duration=63605.461s', 0, 12).md, /^\*\*`duration`\*\*: 17 h 40 min/);
    assert.match(hoverAt(FLOWS, 'ovs-flows', 'n_bytes=1513768', 0, 10).md, /1,513,768 bytes \(1\.4 MiB\)/);
    const reg5 = hoverAt(FLOWS, 'ovs-flows', 'reg5=0x9', 0, 6).md;
    assert.match(reg5, /REG_PORT/);
    assert.match(reg5, /`0x9` = ofport 9/);
    assert.match(hoverAt(FLOWS, 'ovs-flows', 'ct_state=+est-rel-rpl', 0, 14).md, /- `est`: established[\s\S]*- not `rel`/);
    assert.match(hoverAt(FLOWS, 'ovs-flows', 'NXM_NX_REG6[]', 0, 3).md, /^\*\*`NXM_NX_REG6`\*\* = `reg6`\n\nNeutron OVS firewall: the network, used as conntrack zone/);
    assert.match(hoverAt(FLOWS, 'ovs-flows', 'ct(commit', 0, 1).md, /^\*\*`ct`\*\* \(action\)/);
    assert.match(hoverAt(FLOWS, 'ovs-flows', ',arp,', 0, 2).md, /^\*\*`arp`\*\*: `eth_type=0x0806`$/);
    assert.match(hoverAt(FLOWS, 'ovs-flows', 'vlan_tci=0x0fff/0x1fff', 0, 14).md, /`0x0fff\/0x1fff`: tag-present bit 0x1000 = 0, VID bits = 4095\./);
  });

  it('trace: steps by table, sections, the verdict', () => {
    const trace = 'test/fixtures/ovs/ovs-docs/ovs-appctl_ofproto-trace_faucet_flood.txt';
    assert.match(hoverAt(trace, 'ovs-trace', ' 3. dl_vlan', 0, 1).md, /^\*\*OpenFlow table 3\*\* of `br0`\n\nIf this is a Neutron OVS agent bridge/);
    assert.match(hoverAt(trace, 'ovs-trace', 'Megaflow', 0, 2).md, /^\*\*Megaflow\*\*/);
    const text = `${observedTraces(path.join(projectRoot, 'samples/002-neutron-spoof/observed.json'))[0]!}\n`;
    const drop = hover(text, 'ovs-trace', posOf(text, 'Datapath actions: drop', 0, 19), 'trace');
    assert.match(drop!.markdown, /^\*\*Verdict: dropped\*\*/);
    const step = hover(text, 'ovs-trace', posOf(text, '24. priority 0', 0, 0), 'trace');
    assert.match(step!.markdown, /^\*\*OpenFlow table 24\*\* of `br-int`\n\nNeutron `ARP_SPOOF_TABLE`/);
  });

  it('nothing to say on blanks and unknown words', () => {
    assert.equal(hover('   \n', 'iptables', { line: 0, character: 1 }), undefined);
    assert.equal(hover('foo bar\n', 'ovs-flows', { line: 0, character: 1 }), undefined);
  });
});
