import { strict as assert } from 'node:assert';
import { formatIp } from '../../../src/core/net/IpAddress';
import { parseIpJson } from '../../../src/core/iproute/parseIpJson';
import { parseIpLink } from '../../../src/core/iproute/parseIpLink';
import { parseIpNetns } from '../../../src/core/iproute/parseIpNetns';
import { parseIpRoute } from '../../../src/core/iproute/parseIpRoute';
import { parseIpRule } from '../../../src/core/iproute/parseIpRule';
import { assertFormsAgree } from './formParity';
import { createLiveNamespace, LIVE_DUMPS, whyNoLiveIproute, type LiveNamespace } from './liveNamespace';

describe('real iproute2 in a throw-away namespace', function () {
  let ns: LiveNamespace | undefined;
  let dumps: Record<string, string> = {};

  before(function () {
    const why = whyNoLiveIproute();
    if (why) {
      console.log(`      ${why}; live iproute2 test skipped`);
      this.skip();
    }
    try {
      ns = createLiveNamespace(`osnet-ip-${process.pid}`);
    } catch (e) {
      console.log(`      cannot build the test namespace (${e instanceof Error ? e.message.split('\n')[0] : String(e)}); live iproute2 test skipped`);
      this.skip();
    }
    for (const n of ns.notes) console.log(`      note: ${n}`);
    const live = ns;
    dumps = Object.fromEntries(Object.entries(LIVE_DUMPS).map(([file, argv]) => [file, live.run(argv)]));
  });

  after(() => ns?.remove());

  it('parses the text and JSON dumps to the same model values (links, addresses, routes, rules, ports, fdb)', () => {
    const counts = assertFormsAgree(dumps, true);
    console.log(`      live namespace ${ns!.name}: ${JSON.stringify(counts)}`);
  });

  it('finds the topology that was built: names, kinds, masters, addresses, routes, rules', () => {
    const links = parseIpLink(dumps['ip_-d_link']!, { file: 'ip_-d_link' }).value;
    const by = new Map(links.map((l) => [l.name, l]));
    assert.equal(by.get('qbr1234')?.kind, 'bridge');
    assert.deepEqual([by.get('qvb1234')?.kind, by.get('qvb1234')?.peerName, by.get('qvb1234')?.master, by.get('qvb1234')?.slaveKind], ['veth', 'qvo1234', 'qbr1234', 'bridge_slave']);
    assert.ok(['dummy', 'veth'].includes(by.get('d0')?.kind ?? ''));
    if (by.has('vx0')) assert.deepEqual([by.get('vx0')!.vxlan?.id, by.get('vx0')!.vxlan?.dev, by.get('vx0')!.master], [42, 'd0', 'qbr1234']);
    if (by.has('tap1234')) assert.equal(by.get('tap1234')!.kind, 'tun');
    const addr = parseIpJson(dumps['ip_-j_addr']!, { file: 'ip_-j_addr' }).value;
    assert.equal(addr.kind, 'links');
    const d0 = addr.kind === 'links' ? addr.links.find((l) => l.name === 'd0')! : undefined;
    assert.deepEqual(d0?.addresses.map((a) => [a.cidr.text, a.secondary]).slice(0, 3), [['10.1.0.1/24', false], ['10.1.0.2/24', true], ['2001:db8::1/64', false]]);
    const br0 = addr.kind === 'links' ? addr.links.find((l) => l.name === 'br0')! : undefined;
    assert.equal(br0?.addresses[0]!.label, 'br0:vip');
    const routes = parseIpRoute(dumps['ip_route_show_table_all']!, { file: 'ip_route_show_table_all' }).value;
    const dest = (r: (typeof routes)[number]): string => (r.destination === 'default' ? 'default' : r.destination.text);
    assert.deepEqual(routes.filter((r) => r.table === '100' || r.table === '3232240897').map((r) => [r.table, r.family, dest(r), formatIp(r.via!)]).sort(), [
      ['100', 4, 'default', '10.1.0.254'], ['100', 6, '2001:db8:5::/64', '2001:db8::fe'], ['3232240897', 4, 'default', '192.168.21.3'],
    ]);
    assert.equal(routes.find((r) => dest(r) === '10.70.0.0/16')?.nexthops?.length, 2);
    assert.deepEqual(routes.filter((r) => ['blackhole', 'unreachable', 'prohibit', 'throw'].includes(r.type)).map((r) => r.type).sort(), ['blackhole', 'blackhole', 'prohibit', 'throw', 'unreachable']);
    const rules = parseIpRule(dumps['ip_rule']!, { file: 'ip_rule' }).value;
    assert.deepEqual(rules.map((r) => r.priority), [0, 1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1010, 32766, 32767, 3232240897]);
    assert.deepEqual(rules.find((r) => r.priority === 1003)?.fwmark, { value: 2, mask: 0xffffffff });
  });

  it('lists the namespace in both `ip netns` forms (read-only, root namespace untouched)', () => {
    const ip = (argv: string[]): string => ns!.run(['ip', ...argv]);
    // `ip netns` lists the host's namespaces; running it from inside ours reads the same /run/netns.
    const text = parseIpNetns(ip(['netns', 'list']), { file: 'ip_netns' }).value;
    const json = parseIpJson(ip(['-j', 'netns', 'list']), { file: 'ip_-j_netns' }).value;
    const mine = text.find((n) => n.name === ns!.name);
    assert.ok(mine, 'text form lists the namespace');
    assert.ok(json.kind === 'netns' && json.namespaces.some((n) => n.name === ns!.name && n.id === mine.id));
  });
});
