import { strict as assert } from 'node:assert';
import type { OvsAction } from '../../../src/core/ovs/OvsAction';
import { parseOvsActions } from '../../../src/core/ovs/parseOvsActions';
import { assertSpan, describeDiagnostics } from './ovsTestFiles';

const opts = { file: 'actions' };

/** Parses and asserts no diagnostics. */
function actions(text: string): OvsAction[] {
  const r = parseOvsActions(text, opts);
  assert.deepEqual(r.diagnostics, [], describeDiagnostics(r.diagnostics));
  for (const a of r.value) assertSpan(text, a.raw, a.span, a.name);
  return r.value;
}

function one<K extends OvsAction['kind']>(text: string, kind: K): OvsAction & { kind: K } {
  const [a, ...rest] = actions(text);
  assert.equal(rest.length, 0, `${text}: one action expected`);
  assert.ok(a);
  assert.equal(a.kind, kind, `${text}: kind`);
  return a as OvsAction & { kind: K };
}

describe('parseOvsActions', () => {
  it('splits on top-level commas only (nested ct/exec/nat, learn, bundle members)', () => {
    const text = 'load:0x4->NXM_NX_REG5[],ct(commit,zone=NXM_NX_REG6[0..15],exec(set_field:0x1->ct_mark,load:0x1->NXM_NX_CT_LABEL[0])),bundle(eth_src,0,active_backup,ofport,members:1,2),output:"patch-int"';
    assert.deepEqual(actions(text).map((a) => a.kind), ['load', 'ct', 'bundle', 'output']);
  });

  it('reads outputs: number, quoted name, bare name, field, reserved, truncated, bare port', () => {
    assert.deepEqual(one('output:9', 'output').port, { kind: 'number', number: 9 });
    assert.deepEqual(one('output:"patch-int"', 'output').port, { kind: 'name', name: 'patch-int' });
    assert.deepEqual(one('output:tap2', 'output').port, { kind: 'name', name: 'tap2' });
    const f = one('output:NXM_NX_REG0[0..15]', 'output').port;
    assert.equal(f.kind, 'field');
    assert.deepEqual(f.kind === 'field' ? [f.subfield.field, f.subfield.start, f.subfield.end] : [], ['reg0', 0, 15]);
    assert.deepEqual(one('LOCAL', 'output').port, { kind: 'reserved', name: 'LOCAL', number: 0xfffe });
    assert.deepEqual(one('IN_PORT', 'output').port, { kind: 'reserved', name: 'IN_PORT', number: 0xfff8 });
    const t = one('output(port=2,max_len=100)', 'output');
    assert.deepEqual([t.port, t.maxLen], [{ kind: 'number', number: 2 }, 100]);
    assert.deepEqual(one('3', 'output').port, { kind: 'number', number: 3 });
    assert.equal(one('output:NORMAL', 'normal').name, 'output');
    assert.deepEqual(actions('NORMAL,FLOOD,ALL,drop').map((a) => a.kind), ['normal', 'flood', 'all', 'drop']);
  });

  it('reads controller in its three forms', () => {
    assert.equal(one('CONTROLLER:96', 'controller').maxLen, 96);
    assert.equal(one('controller', 'controller').maxLen, undefined);
    const c = one('controller(reason=no_match,max_len=128,id=3,userdata=01.02,pause)', 'controller');
    assert.deepEqual([c.reason, c.maxLen, c.controllerId, c.userdata, c.pause], ['no_match', 128, 3, '01.02', true]);
    assert.equal(one('controller(reason=)', 'controller').reason, '');
  });

  it('reads resubmit and goto_table', () => {
    const r = one('resubmit(,71)', 'resubmit');
    assert.deepEqual([r.port, r.table, r.ct], [undefined, 71, false]);
    const p = one('resubmit(2,73)', 'resubmit');
    assert.deepEqual([p.port, p.table], [{ kind: 'number', number: 2 }, 73]);
    assert.deepEqual(one('resubmit:2', 'resubmit').port, { kind: 'number', number: 2 });
    assert.equal(one('resubmit(,71,ct)', 'resubmit').ct, true);
    assert.equal(one('goto_table:61', 'goto_table').table, 61);
  });

  it('reads VLAN actions', () => {
    const m = one('mod_vlan_vid:5', 'mod_vlan_vid');
    assert.deepEqual([m.vid, m.pushIfMissing], [5, true]);
    assert.equal(one('set_vlan_vid:5', 'mod_vlan_vid').pushIfMissing, false);
    assert.equal(one('mod_vlan_pcp:3', 'mod_vlan_pcp').pcp, 3);
    assert.equal(one('strip_vlan', 'pop_vlan').name, 'strip_vlan');
    assert.equal(one('push_vlan:0x8100', 'push_vlan').ethertype, 0x8100);
  });

  it('reads set_field, load and move with fields and bit ranges', () => {
    const s = one('set_field:4101->vlan_vid', 'set_field');
    assert.deepEqual([s.field, s.value], ['vlan_vid', { value: 4101n, mask: 0x1fffn }]);
    const l = one('set_field:0x1/0x1->ct_label', 'set_field');
    assert.deepEqual(l.value, { value: 1n, mask: 1n });
    assert.deepEqual(one('set_field:fa:16:3e:9f:c2:64->eth_src', 'set_field').value, { value: 0xfa163e9fc264n, mask: 0xffffffffffffn });
    assert.deepEqual(one('set_field:169.254.192.62->arp_spa', 'set_field').value, { value: 0xa9fec03en, mask: 0xffffffffn });
    const ld = one('load:0x2->NXM_NX_REG6[0..15]', 'load');
    assert.deepEqual([ld.value, ld.dst.field, ld.dst.start, ld.dst.end, ld.dst.nameAsWritten], [2n, 'reg6', 0, 15, 'NXM_NX_REG6']);
    const whole = one('load:0x4->NXM_NX_REG5[]', 'load').dst;
    assert.deepEqual([whole.field, whole.start, whole.end, whole.whole], ['reg5', 0, 31, true]);
    const bit = one('load:0x1->NXM_NX_REG10[16]', 'load').dst;
    assert.deepEqual([bit.start, bit.end], [16, 16]);
    const mv = one('move:NXM_NX_TUN_METADATA0[16..30]->NXM_NX_REG14[0..14]', 'move');
    assert.deepEqual([mv.src.field, mv.src.start, mv.src.end, mv.dst.field, mv.dst.end], ['tun_metadata0', 16, 30, 'reg14', 14]);
    assert.deepEqual(one('move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[]', 'move').dst.field, 'eth_dst');
    assert.deepEqual(one('load:0x5->OXM_OF_METADATA[]', 'load').dst.field, 'metadata');
  });

  it('reads the mod_* family, dec_ttl and tunnels', () => {
    assert.equal(one('mod_dl_src:fa:16:3e:76:19:dd', 'mod_dl_src').mac, 0xfa163e7619ddn);
    assert.deepEqual(one('mod_nw_dst:10.0.0.1', 'mod_nw_dst').ip, { family: 4, value: 0x0a000001n });
    assert.equal(one('mod_tp_src:99', 'mod_tp_src').port, 99);
    assert.equal(one('mod_nw_tos:16', 'mod_nw_tos').value, 16);
    assert.deepEqual(one('dec_ttl', 'dec_ttl').controllerIds, []);
    assert.deepEqual(one('dec_ttl(1,2)', 'dec_ttl').controllerIds, [1, 2]);
    const t = one('set_tunnel:0x5', 'set_tunnel');
    assert.deepEqual([t.tunnelId, t.is64], [5n, false]);
    assert.deepEqual(one('set_tunnel64:0x123456789', 'set_tunnel').tunnelId, 0x123456789n);
  });

  it('reads ct with zone, table, nat and exec', () => {
    const a = one('ct(table=72,zone=NXM_NX_REG6[0..15])', 'ct');
    assert.deepEqual([a.commit, a.table, a.zone, a.zoneField?.field, a.zoneField?.end, a.exec.length], [false, 72, undefined, 'reg6', 15, 0]);
    const b = one('ct(commit,zone=NXM_NX_REG6[0..15],exec(set_field:0x1->ct_mark))', 'ct');
    assert.deepEqual([b.commit, b.exec.map((x) => x.kind)], [true, ['set_field']]);
    const c = one('ct(commit,nat(src=10.0.0.1-10.0.0.9:1000-2000,random))', 'ct');
    assert.deepEqual(c.nat, {
      type: 'src', addrMin: { family: 4, value: 0x0a000001n }, addrMax: { family: 4, value: 0x0a000009n },
      portMin: 1000, portMax: 2000, flags: ['random'], text: 'nat(src=10.0.0.1-10.0.0.9:1000-2000,random)',
    });
    const d = one('ct(commit,table=73,zone=7,nat(dst=[fe80::1]:80))', 'ct');
    assert.deepEqual([d.zone, d.table, d.nat?.type, d.nat?.addrMin?.family, d.nat?.portMin], [7, 73, 'dst', 6, 80]);
    assert.deepEqual(one('ct(nat)', 'ct').nat, { flags: [], text: 'nat' });
    assert.equal(one('ct', 'ct').commit, false);
    assert.equal(one('ct_clear', 'ct_clear').kind, 'ct_clear');
  });

  it('reads learn with its parameters and specs (recorded, not applied)', () => {
    const l = one('learn(table=20,hard_timeout=300,priority=1,cookie=0x43978a274ab5e8e0,NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0->NXM_OF_VLAN_TCI[],load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],output:OXM_OF_IN_PORT[])', 'learn');
    assert.deepEqual([l.table, l.hardTimeout, l.priority, l.cookie], [20, 300, 1, 0x43978a274ab5e8e0n]);
    assert.deepEqual(l.specs.map((s) => s.kind), ['match', 'match', 'load', 'load', 'output']);
    const [m1, m2, l1, l2, o] = l.specs;
    assert.ok(m1?.kind === 'match' && m1.dst.field === 'vlan_tci' && m1.dst.end === 11 && m1.src === m1.dst);
    assert.ok(m2?.kind === 'match' && m2.dst.field === 'eth_dst' && m2.src?.field === 'eth_src');
    assert.ok(l1?.kind === 'load' && l1.value === 0n && l1.dst.field === 'vlan_tci');
    assert.ok(l2?.kind === 'load' && l2.src?.field === 'tun_id' && l2.dst.field === 'tun_id');
    assert.ok(o?.kind === 'output' && o.src.field === 'in_port_oxm');
  });

  it('reads conjunction, note, metadata, instructions, groups, meters, multipath, bundle, check_pkt_larger, stack', () => {
    const c = one('conjunction(16,1/2)', 'conjunction');
    assert.deepEqual([c.id, c.clause, c.nClauses], [16, 1, 2]);
    assert.equal(one('note:aa.bb.cc.00.00.00', 'note').hex, 'aa.bb.cc.00.00.00');
    const w = one('write_metadata:0x2/0xff', 'write_metadata');
    assert.deepEqual([w.value, w.mask], [2n, 0xffn]);
    assert.deepEqual(one('write_actions(output:2,resubmit(,3))', 'write_actions').actions.map((a) => a.kind), ['output', 'resubmit']);
    assert.equal(one('clear_actions', 'clear_actions').kind, 'clear_actions');
    assert.deepEqual(one('clone(mod_dl_dst:00:00:00:00:00:01,output:2)', 'clone').actions.map((a) => a.kind), ['mod_dl_dst', 'output']);
    assert.equal(one('group:1', 'group').groupId, 1);
    assert.equal(one('meter:1', 'meter').meterId, 1);
    const mp = one('multipath(eth_src,50,modulo_n,1,0,NXM_NX_REG0[0..15])', 'multipath');
    assert.deepEqual([mp.fields, mp.basis, mp.algorithm, mp.nLinks, mp.arg, mp.dst.field], ['eth_src', 50, 'modulo_n', 1, 0, 'reg0']);
    const b = one('bundle(eth_src,0,active_backup,ofport,members:1,2)', 'bundle');
    assert.deepEqual([b.load, b.algorithm, b.members], [false, 'active_backup', [{ kind: 'number', number: 1 }, { kind: 'number', number: 2 }]]);
    assert.equal(one('bundle_load(eth_src,0,hrw,ofport,NXM_NX_REG0[],slaves:1)', 'bundle').dst?.field, 'reg0');
    const k = one('check_pkt_larger(1500)->NXM_NX_REG0[0]', 'check_pkt_larger');
    assert.deepEqual([k.pktLen, k.dst.field, k.dst.start], [1500, 'reg0', 0]);
    assert.equal(one('push:NXM_NX_REG14[]', 'stack_push').field.field, 'reg14');
    assert.equal(one('pop:NXM_NX_REG14[]', 'stack_pop').field.field, 'reg14');
    assert.deepEqual(actions('enqueue:2:1,enqueue(3,4),set_queue:3,pop_queue,exit').map((a) => a.kind), ['enqueue', 'enqueue', 'set_queue', 'pop_queue', 'exit']);
  });

  it('treats empty actions as an implicit drop', () => {
    const [d] = actions('');
    assert.deepEqual(d && d.kind === 'drop' ? d.implicit : undefined, true);
    const [e] = actions('actions=');
    assert.equal(e?.kind, 'drop');
  });

  it('keeps unknown and unmodelled actions with a warning, malformed ones with an error', () => {
    const text = 'sample(probability=100,collector_set_id=1),frob:3,load:0x1->NXM_NX_NOPE[],resubmit(,71,x),goto_table:x,output:2';
    const r = parseOvsActions(text, opts);
    assert.deepEqual(r.value.map((a) => [a.kind, a.kind === 'unknown' ? a.recognised : undefined]), [
      ['unknown', true], ['unknown', false], ['unknown', true], ['unknown', true], ['unknown', true], ['output', undefined],
    ]);
    assert.deepEqual(r.diagnostics.map((d) => [d.severity, d.column, d.message]), [
      ['warning', 1, 'OVS action sample is not modelled; kept as text, the simulator treats it as indeterminate'],
      ['warning', text.indexOf('frob') + 1, 'unknown OVS action "frob:3"; kept as text, the simulator treats it as indeterminate'],
      ['error', text.indexOf('load') + 1, 'load: unknown field "NXM_NX_NOPE"; action kept as text'],
      ['error', text.indexOf('resubmit') + 1, 'resubmit: third argument must be "ct", not "x"; action kept as text'],
      ['error', text.indexOf('goto_table') + 1, 'goto_table table "x" is not a number; action kept as text'],
    ]);
  });

  it('reports an unclosed parenthesis and keeps reading nothing past it', () => {
    const r = parseOvsActions('output:1,ct(commit,zone=5', opts);
    assert.deepEqual(r.value.map((a) => a.kind), ['output', 'unknown']);
    assert.equal(r.diagnostics[0]?.message, 'action "ct(commit,zone=5" has an unclosed parenthesis or quote; kept as text');
  });

  it('does not treat object property names as actions', () => {
    const r = parseOvsActions('constructor,toString:1,__proto__', opts);
    assert.deepEqual(r.value.map((a) => a.kind), ['unknown', 'unknown', 'unknown']);
    assert.equal(r.diagnostics.length, 3);
  });
});
