import { strict as assert } from 'node:assert';
import { isPortName, ovsMatchField, type OvsMatch } from '../../../src/core/ovs/OvsMatch';
import { parseOvsMatch } from '../../../src/core/ovs/parseOvsMatch';
import { assertSpan, describeDiagnostics } from './ovsTestFiles';

const opts = { file: 'packet' };

function fieldsOf(m: OvsMatch): string[] {
  return m.fields.map((f) => `${f.field}=${'portName' in f.value ? `name:${f.value.portName}` : `0x${f.value.value.toString(16)}/0x${f.value.mask.toString(16)}`}`);
}

describe('parseOvsMatch', () => {
  it('reads the ofproto/trace packet syntax with canonical names and masked values', () => {
    const text = 'tcp,in_port=1,dl_src=fa:16:3e:00:00:01,nw_src=10.0.0.5,nw_dst=10.1.0.0/16,tcp_dst=10051,tcp_flags=syn';
    const r = parseOvsMatch(text, opts);
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(fieldsOf(r.value), [
      'eth_type=0x800/0xffff',
      'nw_proto=0x6/0xff',
      'in_port=0x1/0xffff',
      'eth_src=0xfa163e000001/0xffffffffffff',
      'ip_src=0xa000005/0xffffffff',
      'ip_dst=0xa010000/0xffff0000',
      'tcp_dst=0x2743/0xffff',
      'tcp_flags=0x2/0xfff',
    ]);
    assert.equal(r.value.fields[0]?.shorthand, 'tcp');
    assert.equal(r.value.fields[3]?.nameAsWritten, 'dl_src');
    assert.equal(r.value.raw, text);
    for (const f of r.value.fields) assertSpan(text, f.raw, f.span, f.nameAsWritten);
    assertSpan(text, r.value.raw, r.value.span, 'match');
  });

  it('maps tp_src/tp_dst to the L4 field of the protocol, and icmp_type to ICMPv6 for icmp6', () => {
    const udp = parseOvsMatch('udp,tp_src=68,tp_dst=67', opts).value;
    assert.deepEqual(udp.fields.map((f) => f.field), ['eth_type', 'nw_proto', 'udp_src', 'udp_dst']);
    const sctp = parseOvsMatch('sctp6,tp_dst=5000', opts).value;
    assert.deepEqual(sctp.fields.map((f) => f.field), ['eth_type', 'nw_proto', 'sctp_dst']);
    const eth = ovsMatchField(sctp, 'eth_type');
    assert.ok(eth && !isPortName(eth.value));
    assert.equal(eth.value.value, 0x86ddn);
    const nd = parseOvsMatch('icmp6,icmp_type=136,nd_target=fe80::f816:3eff:fea7:45cb', opts).value;
    assert.deepEqual(nd.fields.map((f) => f.field), ['eth_type', 'nw_proto', 'icmpv6_type', 'nd_target']);
    const icmp = parseOvsMatch('icmp,icmp_type=8,icmp_code=0', opts).value;
    assert.deepEqual(icmp.fields.map((f) => f.field), ['eth_type', 'nw_proto', 'icmp_type', 'icmp_code']);
  });

  it('reads ct_state flags in the +/- form, the | form and numbers', () => {
    const m = parseOvsMatch('ct_state=+est-rel-rpl', opts).value;
    assert.deepEqual(fieldsOf(m), ['ct_state=0x2/0xe']);
    assert.deepEqual(fieldsOf(parseOvsMatch('ct_state=new|trk', opts).value), ['ct_state=0x21/0xff']);
    assert.deepEqual(fieldsOf(parseOvsMatch('ct_state=-new-est+rel-inv', opts).value), ['ct_state=0x4/0x17']);
    assert.deepEqual(fieldsOf(parseOvsMatch('ct_state=0x21/0x21', opts).value), ['ct_state=0x21/0x21']);
    assert.deepEqual(fieldsOf(parseOvsMatch('ct_state=0', opts).value), ['ct_state=0x0/0xff']);
  });

  it('reads tcp_flags as +syn-ack and as syn|ack, and tun_flags', () => {
    assert.deepEqual(fieldsOf(parseOvsMatch('tcp,tcp_flags=+syn-ack', opts).value).slice(2), ['tcp_flags=0x2/0x12']);
    assert.deepEqual(fieldsOf(parseOvsMatch('tcp,tcp_flags=syn|ack', opts).value).slice(2), ['tcp_flags=0x12/0xfff']);
    assert.deepEqual(fieldsOf(parseOvsMatch('tun_flags=+df-csum+key', opts).value), ['tun_flags=0xa/0xe']);
  });

  it('reads in_port by number, reserved name, bare name and quoted name', () => {
    assert.deepEqual(fieldsOf(parseOvsMatch('in_port=LOCAL', opts).value), ['in_port=0xfffe/0xffff']);
    assert.deepEqual(fieldsOf(parseOvsMatch('in_port=p1', opts).value), ['in_port=name:p1']);
    const q = parseOvsMatch('in_port="int-br-provider",dl_vlan=100', opts).value;
    assert.deepEqual(fieldsOf(q), ['in_port=name:int-br-provider', 'dl_vlan=0x64/0xfff']);
    assert.equal(q.fields[0]?.text, '"int-br-provider"');
  });

  it('reads VLAN, MAC masks, IPv6 prefixes and masks, frag, packet_type, registers and subfields', () => {
    const r = parseOvsMatch(
      'vlan_tci=0x1000/0x1000,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00,ipv6,ipv6_src=2001:db8::/32,ipv6_dst=2001:db8::/ffff:ffff::,nw_frag=later,packet_type=(0,0x800),reg5=0x9,metadata=0x1/0xff,NXM_NX_REG0[0..3]=0x5,reg1[16]=1',
      opts,
    );
    assert.equal(r.diagnostics.length, 0, describeDiagnostics(r.diagnostics));
    assert.deepEqual(fieldsOf(r.value), [
      'vlan_tci=0x1000/0x1000',
      'eth_dst=0x10000000000/0x10000000000',
      'eth_type=0x86dd/0xffff',
      `ipv6_src=0x${(0x20010db8n << 96n).toString(16)}/0x${(0xffffffffn << 96n).toString(16)}`,
      `ipv6_dst=0x${(0x20010db8n << 96n).toString(16)}/0x${(0xffffffffn << 96n).toString(16)}`,
      'ip_frag=0x3/0x3',
      'packet_type=0x800/0xffffffff',
      'reg5=0x9/0xffffffff',
      'metadata=0x1/0xff',
      'reg0=0x5/0xf',
      'reg1=0x10000/0x10000',
    ]);
  });

  it('keeps priority apart from the fields', () => {
    const m = parseOvsMatch('priority=95,arp,reg5=0x9,arp_spa=192.168.21.18', opts).value;
    assert.equal(m.priority, 95);
    assert.deepEqual(m.fields.map((f) => f.field), ['eth_type', 'reg5', 'arp_spa']);
  });

  it('keeps an unknown field as unread with a warning at its column', () => {
    const text = 'ip,nw_src=10.0.0.1,frobnicate=3';
    const r = parseOvsMatch(text, opts);
    assert.deepEqual(r.value.unread.map((u) => [u.reason, u.name, u.text]), [['unknown-field', 'frobnicate', '3']]);
    assert.equal(r.diagnostics.length, 1);
    const d = r.diagnostics[0]!;
    assert.equal(d.severity, 'warning');
    assert.equal(d.column, text.indexOf('frobnicate') + 1);
    assert.equal(d.endColumn, text.length + 1);
    assert.equal(d.message, 'unknown OVS match field "frobnicate"; kept as text, the flow cannot be evaluated exactly');
    assertSpan(text, r.value.unread[0]!.raw, r.value.unread[0]!.span, 'unread');
  });

  it('reports bad values as errors at the value, and does not accept ranges', () => {
    const text = 'tcp,nw_src=10.0.0.300,tp_dst=80-90,dl_vlan=5000';
    const r = parseOvsMatch(text, opts);
    assert.deepEqual(r.diagnostics.map((d) => [d.severity, d.column, d.message]), [
      ['error', text.indexOf('10.0.0.300') + 1, 'ip_src: "10.0.0.300" is not an IPv4 address; field kept as text'],
      ['error', text.indexOf('80-90') + 1, 'tcp_dst: "80-90" is not a number (decimal or 0x-hex); field kept as text'],
      ['error', text.indexOf('5000') + 1, 'dl_vlan: value 5000 does not fit in 12 bits; field kept as text'],
    ]);
    assert.deepEqual(r.value.unread.map((u) => u.reason), ['bad-value', 'bad-value', 'bad-value']);
    assert.deepEqual(r.value.fields.map((f) => f.field), ['eth_type', 'nw_proto']);
  });

  it('rejects masks on fields that cannot be masked and flags without a sign', () => {
    const r = parseOvsMatch('eth_type=0x800/0xff00,ct_state=+trk!new', opts);
    assert.deepEqual(r.diagnostics.map((d) => d.message), [
      'eth_type cannot be masked ("0x800/0xff00"); field kept as text',
      'ct_state: unknown flag "trk!new" (known: new, est, rel, rpl, inv, trk, snat, dnat); field kept as text',
    ]);
  });

  it('reads the Flow: line of a recirculated trace (ct_state, recirc_id, eth keyword)', () => {
    const text = 'recirc_id=0x1,ct_state=new|trk,ct_zone=2,eth,tcp,reg5=0x4,reg6=0x2,in_port=1,vlan_tci=0x0000,dl_src=fa:16:3e:00:00:01,nw_frag=no,tp_src=0,tp_dst=22,tcp_flags=syn';
    const r = parseOvsMatch(text, opts);
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.value.fields.map((f) => f.field), [
      'recirc_id', 'ct_state', 'ct_zone', 'packet_type', 'eth_type', 'nw_proto', 'reg5', 'reg6', 'in_port', 'vlan_tci', 'eth_src', 'ip_frag', 'tcp_src', 'tcp_dst', 'tcp_flags',
    ]);
  });

  it('accepts blanks between items, as operators type them, and reports extra lines', () => {
    const r = parseOvsMatch('tcp, nw_dst=10.0.0.1 ,tp_dst=22\nsecond line', opts);
    assert.deepEqual(r.value.fields.map((f) => f.field), ['eth_type', 'nw_proto', 'ip_dst', 'tcp_dst']);
    assert.deepEqual(r.diagnostics.map((d) => [d.severity, d.line, d.message]), [['error', 2, 'a match is a single line; this line is ignored']]);
  });

  it('gives an empty match for empty text', () => {
    const r = parseOvsMatch('', opts);
    assert.deepEqual(r.value.fields, []);
    assert.deepEqual(r.diagnostics, []);
  });
});
