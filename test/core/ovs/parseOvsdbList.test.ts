import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ovsInterfacesOf } from '../../../src/core/ovs/ovsInterfacesOf';
import { parseOvsdbList, sniffOvsdbList } from '../../../src/core/ovs/parseOvsdbList';
import { detectFormat } from '../../../src/core/snapshot/detectFormat';
import { assertSpan } from './ovsTestFiles';

/** Real captures: the Interface and Open_vSwitch tables of the OVN compute node of test/oracle 008. */
const SAMPLE = path.resolve(__dirname, '../../../samples/008-ovn');
const JSON_FILE = 'ovs-vsctl_--format=json_--columns=name,ofport,external_ids_list_Interface';
const read = (f: string): string => fs.readFileSync(path.join(SAMPLE, f), 'utf8');

describe('parseOvsdbList (ovs-vsctl list TABLE, text and --format=json)', () => {
  it('reads the JSON form: one record per row, maps and numbers typed, each row spanning its own text', () => {
    const text = read(JSON_FILE);
    const r = parseOvsdbList(text, { file: JSON_FILE });
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.value.form, 'json');
    assert.deepEqual(r.value.headings, ['name', 'ofport', 'external_ids']);
    const byName = new Map(r.value.records.map((x) => [x.columns['name'], x]));
    const a = byName.get('tape3a1c5d7-2f')!;
    assert.equal(a.columns['ofport'], 2);
    assert.deepEqual((a.columns['external_ids'] as Record<string, string>)['iface-id'], 'e3a1c5d7-2f4b-4a6c-8e9d-1b3f5a7c9e20');
    assert.deepEqual(byName.get('br-int')!.columns['external_ids'], {});
    for (const x of r.value.records) {
      assertSpan(text, x.raw, x.span, JSON.stringify(x.columns['name']));
      assert.ok(x.raw.startsWith('[') && x.raw.endsWith(']'));
    }
  });

  it('reads the text form sosreports keep (ovs-vsctl -t 5 list interface), with quoted map values and sets', () => {
    const text = read('ovs-vsctl_list_Interface');
    const r = parseOvsdbList(text, { file: 'ovs-vsctl_list_Interface' });
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.value.form, 'text');
    assert.equal(r.value.records.length, 4);
    assert.ok(r.value.headings.includes('ingress_policing_burst'), 'a key longer than the padding (no space before the colon)');
    const tap = r.value.records.find((x) => x.columns['name'] === 'tape3a1c5d7-2f')!;
    assert.equal(tap.columns['ofport'], 2);
    assert.equal(tap.columns['mac_in_use'], 'fe:16:3e:3c:a1:01');
    assert.deepEqual(tap.columns['cfm_fault'], []);
    assert.deepEqual(tap.columns['external_ids'], {
      'attached-mac': 'fa:16:3e:3c:a1:01', 'iface-id': 'e3a1c5d7-2f4b-4a6c-8e9d-1b3f5a7c9e20', 'iface-status': 'active',
      'ovn-installed': 'true', 'ovn-installed-ts': (tap.columns['external_ids'] as Record<string, string>)['ovn-installed-ts'], 'vm-uuid': '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e',
    });
    for (const x of r.value.records) {
      assertSpan(text, x.raw, x.span, JSON.stringify(x.columns['name']));
      assert.ok(x.raw.startsWith('_uuid'));
    }
  });

  it('gives the Interface rows of both forms alike, and nothing for another table', () => {
    const json = ovsInterfacesOf(parseOvsdbList(read(JSON_FILE), { file: 'j' }).value)!;
    const textForm = ovsInterfacesOf(parseOvsdbList(read('ovs-vsctl_list_Interface'), { file: 't' }).value)!;
    const key = (rows: typeof json): string[] => rows.map((i) => `${i.name} ${i.ofport ?? '-'} ${i.externalIds['iface-id'] ?? ''}`).sort();
    assert.deepEqual(key(json), key(textForm));
    assert.deepEqual(key(json), [
      'br-int 65534 ',
      'tap5c1f2a9e-70 1 c4e6a8b0-2d4f-4e6a-8c0e-2a4c6e8a0c2e',
      'tap7b9d1f3e-5a 3 7b9d1f3e-5a7c-4e2b-9d4f-6a8c0e2b4d61',
      'tape3a1c5d7-2f 2 e3a1c5d7-2f4b-4a6c-8e9d-1b3f5a7c9e20',
    ]);
    assert.equal(textForm.find((i) => i.name === 'tape3a1c5d7-2f')?.type, '');
    const ovs = parseOvsdbList(read('ovs-vsctl_list_Open_vSwitch'), { file: 'o' });
    assert.deepEqual(ovs.diagnostics, []);
    assert.equal((ovs.value.records[0]?.columns['external_ids'] as Record<string, string>)['ovn-encap-type'], 'geneve');
    assert.equal(ovsInterfacesOf(ovs.value), undefined);
  });

  it('is detected from content (the JSON is not taken for ip -j), and other dumps are not taken for it', () => {
    assert.equal(detectFormat(read(JSON_FILE), 'x'), 'ovs-vsctl-list');
    assert.equal(detectFormat(read('ovs-vsctl_list_Interface'), 'x'), 'ovs-vsctl-list');
    assert.equal(detectFormat(read('ip_-d_-j_link'), 'x'), 'ip-json');
    assert.equal(detectFormat(read('ovs-vsctl_show'), 'x'), 'ovs-vsctl-show');
    assert.equal(sniffOvsdbList('net.ipv4.ip_forward = 1\nnet.ipv4.conf.all.rp_filter = 0\n'), false);
    assert.equal(sniffOvsdbList('name : x\n'), false, 'one line is not enough');
  });

  it('never throws: bad lines, unbalanced values and broken JSON give diagnostics with line numbers', () => {
    const text = '_uuid               : 1\nname                : "tap1"\nexternal_ids        : {iface-id="a", broken\nthis is not a column\nofport              : 7\n\n_uuid : 2\nname : tap2\n';
    const r = parseOvsdbList(text, { file: 'bad' });
    assert.deepEqual(r.diagnostics.map((d) => [d.severity, d.line]), [['warning', 3], ['error', 4]]);
    assert.deepEqual(r.value.records.map((x) => [x.columns['name'], x.columns['ofport']]), [['tap1', 7], ['tap2', undefined]]);
    for (const x of r.value.records) assertSpan(text, x.raw, x.span);
    const j = parseOvsdbList('{"data":[["tap1",1,["map",[["iface-id","p"]]]],"oops"],"headings":["name","ofport","external_ids"]}', { file: 'j' });
    assert.deepEqual(j.value.records.map((x) => x.columns['name']), ['tap1']);
    assert.equal(j.diagnostics.length, 1);
    assert.equal(parseOvsdbList('{"data":[', { file: 'k' }).diagnostics[0]?.severity, 'error');
    assert.equal(parseOvsdbList('\u0000\u0001', { file: 'b' }).value.records.length, 0);
  });
});
