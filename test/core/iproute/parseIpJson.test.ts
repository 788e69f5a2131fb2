import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { formatIp } from '../../../src/core/net/IpAddress';
import { parseIpJson } from '../../../src/core/iproute/parseIpJson';
import { assertFormsAgree } from './formParity';
import { assertSpans, FIXTURES, fixture, plain } from './helpers';

const liveDumps = (): Record<string, string> =>
  Object.fromEntries(readdirSync(path.join(FIXTURES, 'iproute/live')).map((f) => [f.replace(/\.txt$/, ''), fixture(`iproute/live/${f}`)]));

describe('parseIpJson', () => {
  it('parses every JSON dump of the captured namespace to the same model as its text form', () => {
    const counts = assertFormsAgree(liveDumps(), false);
    assert.deepEqual(counts, { links: 9, addresses: 14, routes: 48, rules: 17, bridgePorts: 3, fdb: 32, neighbours: 4 });
  });

  it('gives each top-level element a span on the one line `ip -j` prints', () => {
    const text = fixture('iproute/live/ip_-j_rule.txt');
    const r = parseIpJson(text, { file: 'ip_-j_rule' });
    assert.equal(r.value.kind, 'rules');
    const rules = r.value.kind === 'rules' ? r.value.rules : [];
    assertSpans(text, rules);
    assert.deepEqual([rules[0]!.span.line, rules[0]!.span.column, rules[0]!.raw], [1, 2, '{"priority":0,"src":"all","table":"local"}']);
    assert.deepEqual([rules[1]!.span.column, rules[1]!.span.endLine], [45, 1]);
    const addr = parseIpJson(fixture('iproute/live/ip_-j_addr.txt'), { file: 'a' }).value;
    const d0 = addr.kind === 'links' ? addr.links.find((l) => l.name === 'd0')! : undefined;
    assert.ok(d0);
    assert.equal(d0.addresses[0]!.raw.slice(0, 42), '{"family":"inet","local":"10.1.0.1","prefi');
    assertSpans(fixture('iproute/live/ip_-j_addr.txt'), [d0]);
  });

  it('reads pretty-printed (`-p`) JSON to the same model, with multi-line spans', () => {
    const one = fixture('iproute/live/ip_-j_route_show_table_all.txt');
    const pretty = JSON.stringify(JSON.parse(one), null, 4);
    const a = parseIpJson(one, { file: 'one' });
    const b = parseIpJson(pretty, { file: 'pretty' });
    assert.deepEqual(b.diagnostics, []);
    assert.deepEqual(plain(b.value), plain(a.value));
    const routes = b.value.kind === 'routes' ? b.value.routes : [];
    assertSpans(pretty, routes);
    assert.deepEqual([routes[1]!.span.line, routes[1]!.span.column, routes[1]!.span.endLine], [9, 5, 15]);
  });

  it('reports invalid JSON at its line and column and keeps the elements before it', () => {
    const text = fixture('iproute/live/ip_-j_rule.txt');
    const cut = text.slice(0, text.indexOf('{"priority":1003'));
    const t = parseIpJson(`${cut}{"priority":1003,"no`, { file: 't' });
    assert.equal(t.value.kind === 'rules' && t.value.rules.length, 4);
    assert.deepEqual(t.diagnostics.map((d) => [d.severity, d.line, d.column]), [['error', 1, cut.length + 18]]);
    assert.match(t.diagnostics[0]!.message, /^invalid JSON: unterminated string; the 4 complete element\(s\) before it are kept$/);

    const bad = text.replace('"table":"main"}', '"table":main}');
    const b = parseIpJson(bad, { file: 'b' });
    const at = bad.indexOf(':main}') + 1;
    assert.deepEqual(b.diagnostics.map((d) => [d.severity, d.line, d.column, d.message]), [
      ['error', 1, at + 1, "invalid JSON in element 6: unexpected 'm' where a value was expected; element skipped"],
    ]);
    assert.equal(b.value.kind === 'rules' && b.value.rules.length, 13);

    const multi = parseIpJson('[\n  {"dst": "10.0.0.0/8", "flags": []},\n  {"dst": "10.1.0.0/16", "flags": [}\n]', { file: 'm' });
    assert.deepEqual(multi.diagnostics.map((d) => [d.line, d.column, d.message]), [[3, 36, "invalid JSON: unexpected '}' (brackets do not match); the 1 complete element(s) before it are kept"]]);
    assert.equal(multi.value.kind === 'routes' && multi.value.routes.length, 1);

    const notJson = parseIpJson('1: lo: <LOOPBACK> mtu 65536', { file: 'n' });
    assert.deepEqual(notJson.diagnostics.map((d) => [d.severity, d.line, d.column]), [['error', 1, 1]]);
    assert.equal(notJson.value.kind, 'empty');
  });

  it('tells the dumps apart by their keys, warns on foreign or unusable objects, and reads the rest', () => {
    const empty = parseIpJson('[]\n', { file: 'e' });
    assert.deepEqual([empty.value.kind, empty.diagnostics], ['empty', []]);
    const ns = parseIpJson('[{"name":"qrouter-1","id":7},{"name":"snat-1"}]', { file: 'n' });
    assert.deepEqual(ns.value.kind === 'netns' && ns.value.namespaces.map((n) => [n.name, n.id]), [['qrouter-1', 7], ['snat-1', undefined]]);
    const vlan = parseIpJson('[{"ifname":"br0","vlans":[{"vlan":1,"flags":["PVID","Egress Untagged"]},{"vlan":10,"vlanEnd":20}]}]', { file: 'v' });
    assert.deepEqual(vlan.value.kind === 'bridge-vlans' && plain(vlan.value.vlans), [{ port: 'br0', vlans: [{ vid: 1, pvid: true, untagged: true }, { vid: 10, vidEnd: 20, pvid: false, untagged: false }] }]);
    const m = '[{"priority":0,"src":"all","table":"local"},{"dst":"10.0.0.0/8","flags":[]},{"priority":"x"},{"wat":1},7]';
    const mixed = parseIpJson(m, { file: 'x' });
    assert.equal(mixed.value.kind === 'rules' && mixed.value.rules.length, 1);
    const col = (s: string): number => m.indexOf(s) + 1;
    assert.deepEqual(mixed.diagnostics.map((d) => [d.severity, d.column, d.message]), [
      ['warning', col('{"dst"'), 'element 2 looks like a route (ip -j route), but this dump holds a rule (ip -j rule); skipped'],
      ['error', col('{"priority":"x"'), "element 3: rule without a numeric 'priority'; skipped"],
      ['warning', col('{"wat"'), 'element 4 is not recognised as ip/bridge -j output (keys: wat); skipped'],
      ['warning', col('7]'), 'element 5 is not an object; skipped'],
    ]);
    const v6 = parseIpJson('[{"priority":0,"src":"all","table":"local"}]', { file: 'ip_-j_-6_rule' });
    assert.equal(v6.value.kind === 'rules' && v6.value.rules[0]!.family, 6);
    const peer = parseIpJson('[{"ifindex":17,"link_index":16,"ifname":"veth1883dceb","operstate":"UP","link_netnsid":0,"addr_info":[{"family":"inet","local":"10.9.9.1","address":"10.9.9.2","prefixlen":32,"scope":"global","label":"veth1883dceb"}]}]', { file: 'p' });
    const l = peer.value.kind === 'links' ? peer.value.links[0]! : undefined;
    assert.deepEqual([l?.peerName, l?.linkNetnsId, l?.addresses[0]!.cidr.text, l?.addresses[0]!.peer?.text], ['if16', 0, '10.9.9.1', '10.9.9.2/32']);
    const via = parseIpJson('[{"dst":"default","via":{"family":"inet6","host":"fe80::1"},"dev":"eth0","flags":["onlink"]}]', { file: 'r' });
    const r0 = via.value.kind === 'routes' ? via.value.routes[0]! : undefined;
    assert.deepEqual([r0?.family, formatIp(r0!.via!), r0?.flags], [6, 'fe80::1', ['onlink']]);
  });
});
