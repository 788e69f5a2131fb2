import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parsePacketSpec } from '../../../src/core/sim/parsePacketSpec';
import { buildSimHost } from '../../../src/core/sim/walk/buildSimHost';
import { simulateHost } from '../../../src/core/sim/walk/simulateHost';
import { loadSnapshot } from '../../../src/host/loadSnapshot';

/**
 * A routed packet leaves with the next hop's MAC from the namespace's neighbour table (`ip -j
 * neigh`, collected per namespace), not an unknown one. Built with real iproute2 in a throw-away
 * namespace: a router with two veth links, a permanent neighbour entry for its gateway, and a
 * second gateway without one (there the veth peer's MAC is the guess, and the trace says so).
 * Nothing is sent: the dumps are read and the packet is simulated.
 */
const NS = `osnt${process.pid}nh`;

function ip(...args: string[]): void {
  const r = spawnSync('ip', ['-n', NS, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip -n ${NS} ${args.join(' ')}: ${r.stderr}`);
}

function whyNot(): string | undefined {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'not root (ip netns add needs CAP_SYS_ADMIN)';
  const r = spawnSync('ip', ['netns', 'add', NS], { encoding: 'utf8' });
  return r.status === 0 ? undefined : r.stderr.trim() || `ip netns add exited ${String(r.status)}`;
}

describe('next hop MAC from ip neigh (real iproute2 in a namespace)', function () {
  this.timeout(30000);
  let dir = '';
  let skip: string | undefined;

  before(() => {
    skip = whyNot();
    if (skip) return;
    // veth pairs inside the one namespace (this kernel has no dummy links); out0's peer is not the
    // gateway, so only the neighbour entry can give its MAC.
    ip('link', 'add', 'in0', 'type', 'veth', 'peer', 'name', 'in0p');
    ip('link', 'add', 'out0', 'type', 'veth', 'peer', 'name', 'out0p');
    ip('addr', 'add', '10.8.0.1/24', 'dev', 'in0');
    ip('addr', 'add', '10.9.0.1/24', 'dev', 'out0');
    ip('link', 'set', 'in0', 'up');
    ip('link', 'set', 'out0', 'up');
    ip('link', 'set', 'in0p', 'up');
    ip('link', 'set', 'out0p', 'up');
    ip('route', 'add', 'default', 'via', '10.9.0.254', 'dev', 'out0');
    ip('route', 'add', '10.10.0.0/24', 'via', '10.9.0.253', 'dev', 'out0');
    ip('neigh', 'add', '10.9.0.254', 'lladdr', '02:00:5e:10:09:fe', 'dev', 'out0', 'nud', 'permanent');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'osnet-nexthop-'));
    const dump = (file: string, ...argv: string[]): void => {
      const r = spawnSync('ip', ['netns', 'exec', NS, ...argv], { encoding: 'utf8' });
      assert.equal(r.status, 0, `${argv.join(' ')}: ${r.stderr}`);
      fs.writeFileSync(path.join(dir, file), r.stdout);
    };
    dump('ip_-d_-j_link', 'ip', '-d', '-j', 'link');
    dump('ip_-j_addr', 'ip', '-j', 'addr');
    dump('ip_route_show_table_all', 'ip', 'route', 'show', 'table', 'all');
    dump('ip_rule', 'ip', 'rule');
    dump('ip_-j_neigh', 'ip', '-j', 'neigh');
    fs.writeFileSync(path.join(dir, 'sysctl_net'), 'net.ipv4.ip_forward = 1\n');
  });

  after(() => {
    if (!skip) spawnSync('ip', ['netns', 'del', NS]);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('uses the gateway\'s neighbour entry, and says so when there is none', async function () {
    if (skip) {
      console.log(`      skipped: ${skip}`);
      this.skip();
    }
    const { snapshot } = await loadSnapshot(dir);
    const host = buildSimHost(snapshot);
    const inMac = snapshot.namespaces[0]!.links.find((l) => l.name === 'in0')!.mac!;
    const mac = [...Array(6)].map((_, i) => ((inMac >> BigInt(40 - 8 * i)) & 0xffn).toString(16).padStart(2, '0')).join(':');
    const trace = (dst: string) => simulateHost(host, { kind: 'device', device: 'in0' },
      parsePacketSpec(`icmp,icmp_type=8,dl_src=02:00:5e:10:08:05,dl_dst=${mac},nw_src=10.8.0.5,nw_dst=${dst}`).value, { ct: 'new' });
    const unknownMac = (a: string): boolean => /next hop's MAC address out of out0/.test(a);

    const viaKnown = trace('203.0.113.10');
    // The frame goes to the gateway's MAC, so out0's veth peer (not the gateway) ignores it, as
    // the kernel does with a frame for another host.
    assert.equal(viaKnown.verdict, 'dropped');
    assert.match(viaKnown.decidedBy?.action ?? '', /02:00:5e:10:09:fe is not the address of out0p/);
    assert.ok(!viaKnown.assumptions.some(unknownMac), viaKnown.assumptions.join('\n'));

    const viaUnknown = trace('10.10.0.7');
    assert.doesNotMatch(viaUnknown.decidedBy?.action ?? '', /is not the address of out0p/);
    assert.ok(viaUnknown.assumptions.some((a) => a.includes("10.9.0.253 is not in the neighbour table of out0 in namespace (root); the veth peer out0p's MAC is assumed")), viaUnknown.assumptions.join('\n'));
  });
});
