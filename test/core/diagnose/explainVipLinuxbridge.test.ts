import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { explainVip, type VipHost } from '../../../src/core/diagnose/explainVip';
import { parseIp } from '../../../src/core/net/IpAddress';
import { buildSimHost } from '../../../src/core/sim/walk/buildSimHost';
import { buildHostSnapshot } from '../../../src/core/snapshot/buildHostSnapshot';
import { loadSnapshot } from '../../../src/host/loadSnapshot';
import { ruleIdentity } from '../../support/ruleIdentity';

const samples = path.resolve(__dirname, '../../../samples');
const VIP = parseIp('172.16.10.100')!;

/** A recorded sample, optionally without some of its files or with their text changed. */
async function host(name: string, change: { drop?: readonly string[]; edit?: (file: string, text: string) => string } = {}): Promise<VipHost> {
  const root = path.join(samples, name);
  const { texts } = await loadSnapshot(root);
  const inputs = [...texts].filter(([f]) => !(change.drop ?? []).includes(f)).map(([f, text]) => ({ path: f, text: change.edit ? change.edit(f, text) : text }));
  const snapshot = buildHostSnapshot(inputs, { kind: 'folder', path: root });
  return { label: name, snapshot, sim: buildSimHost(snapshot) };
}

interface Observed { id: string; delivered: boolean; decidedBy?: { file: string; line: number; chain?: string } }
const observed = (name: string): Observed[] => JSON.parse(fs.readFileSync(path.join(samples, name, 'observed.json'), 'utf8')) as Observed[];

/**
 * The linuxbridge agent's compute node, recorded by test/oracle/scenarios/006-linuxbridge.sh with
 * real ebtables, iptables and a real brq bridge: the report must name the layer that really
 * dropped each packet (the recording's counters say which) and the allowed address pair fix.
 */
describe('explainVip on a linuxbridge-agent host (006)', () => {
  it('finds both keepalived ports by themselves and blames ebtables neutronARP for the GARP, the spoof chain for VIP-sourced IPv4', async () => {
    const r = explainVip({ hosts: [await host('006-linuxbridge')], vip: VIP });
    assert.ok(r.ok);
    assert.deepEqual(r.report.ports.map((p) => [p.id, p.vmDevice, p.fixedIp, p.firewall, p.vipAllowed]), [
      ['5a7c9e1b-3d', 'tap5a7c9e1b-3d', '172.16.10.11', 'linuxbridge', false],
      ['e4b2d6f8-1a', 'tape4b2d6f8-1a', '172.16.10.12', 'linuxbridge', false],
    ]);
    const mine = r.report.findings.filter((f) => f.port === '5a7c9e1b-3d');
    const garp = mine.find((f) => f.kind === 'garp')!;
    assert.equal(garp.outcome, 'blocked');
    assert.equal(garp.cause?.id, 'linuxbridge-arp-spoof');
    assert.equal(garp.decidedBy?.layer, 'ebtables');
    assert.equal(garp.decidedBy?.chain, 'neutronARP-tap5a7c9e1b-3d');
    assert.equal(garp.decidedBy?.raw, '-A neutronARP-tap5a7c9e1b-3d -j DROP');
    assert.equal(garp.fix?.[0], 'openstack port set --allowed-address ip-address=172.16.10.100,mac-address=fa:16:3e:5a:7c:01 $(openstack port list -f value -c ID | grep ^5a7c9e1b-3d)');
    assert.ok(garp.caveats?.some((c) => /rebuilds the neutronARP-\/neutronMAC- chains/.test(c)));
    // The rule the kernel's counters named for the same GARP.
    const real = observed('006-linuxbridge').find((o) => o.id === 'vip-garp')!.decidedBy!;
    const root = path.join(samples, '006-linuxbridge');
    assert.equal(ruleIdentity(root, garp.decidedBy?.file ?? '', garp.decidedBy?.line ?? 0), ruleIdentity(root, real.file, real.line));

    assert.equal(mine.find((f) => f.kind === 'arpReply')?.cause?.id, 'linuxbridge-arp-spoof');
    const egress = mine.find((f) => f.kind === 'vipEgress')!;
    assert.equal(egress.cause?.id, 'neutron-iptables-spoof');
    assert.equal(egress.decidedBy?.chain, 'neutron-linuxbri-s5a7c9e1b-3');
    assert.match(egress.decidedBy?.raw ?? '', /"Drop traffic without an IP\/MAC allow rule\." -j DROP$/);
    assert.equal(mine.find((f) => f.kind === 'toVip')?.outcome, 'ok');
    assert.equal(mine.find((f) => f.kind === 'vrrp')?.outcome, 'ok');
    assert.match(r.report.headline, /neutronARP-tap5a7c9e1b-3d[\s\S]*Fix: openstack port set --allowed-address ip-address=172\.16\.10\.100,mac-address=fa:16:3e:5a:7c:01 /);
  });

  it('with the VIP as an allowed address pair nothing but the LVS-DR what-if is dropped', async () => {
    const r = explainVip({ hosts: [await host('006-linuxbridge-allowed-pair')], vip: VIP });
    assert.ok(r.ok);
    for (const p of r.report.ports) {
      assert.equal(p.vipAllowed, true);
      assert.deepEqual(p.allowedPairs, ['172.16.10.100']);
    }
    // The spoof chain lists the pair before the fixed IP; the fixed IP is still the fixed IP.
    assert.deepEqual(r.report.ports.map((p) => p.fixedIp), ['172.16.10.11', '172.16.10.12']);
    const blocked = r.report.findings.filter((f) => f.outcome !== 'ok');
    assert.deepEqual([...new Set(blocked.map((f) => f.kind))], ['lvsForward']);
    assert.ok(blocked.every((f) => f.conditional));
  });

  it('pre-Xena chains (no final -j DROP): the chain policy drops, and the cause is the same', async () => {
    const r = explainVip({ hosts: [await host('006-linuxbridge-policy-drop')], vip: VIP, ports: ['tap5a7c9e1b-3d'] });
    assert.ok(r.ok);
    const garp = r.report.findings.find((f) => f.kind === 'garp')!;
    assert.equal(garp.outcome, 'blocked');
    assert.equal(garp.cause?.id, 'linuxbridge-arp-spoof');
    assert.equal(garp.decidedBy?.chain, 'neutronARP-tap5a7c9e1b-3d');
    assert.equal(garp.decidedBy?.raw, ':neutronARP-tap5a7c9e1b-3d DROP');
    // The kernel's counters: the jump into the chain moved, no rule in it did, the frame was lost.
    assert.equal(observed('006-linuxbridge-policy-drop').find((o) => o.id === 'vip-garp')!.delivered, false);
  });

  it('pre-Xena chains seen only through ebtables-nft `ebtables -L` (policy printed RETURN): still dropped, and said why', async () => {
    const h = await host('006-linuxbridge-policy-drop', { drop: ['ebtables-save'] });
    const nat = h.snapshot.ebtables?.tables.find((t) => t.name === 'nat');
    assert.equal(nat?.chains.find((c) => c.name === 'neutronARP-tap5a7c9e1b-3d')?.policy, 'RETURN');
    const r = explainVip({ hosts: [h], vip: VIP, ports: ['5a7c9e1b-3d'] });
    assert.ok(r.ok);
    const garp = r.report.findings.find((f) => f.kind === 'garp')!;
    assert.equal(garp.outcome, 'blocked', garp.summary);
    assert.equal(garp.cause?.id, 'linuxbridge-arp-spoof');
    assert.equal(garp.decidedBy?.file, 'ebtables_-t_nat_-L_--Lc');
    assert.ok(garp.assumptions.some((a) => /prints policy RETURN for neutronARP-tap5a7c9e1b-3d .*policy DROP/.test(a)), garp.assumptions.join('\n'));
  });

  it('a drop no known cause explains does not hand the headline fix to the LVS-DR what-if', async () => {
    // The same host with the ARP chains renamed, as if someone had written them by hand.
    const h = await host('006-linuxbridge', { edit: (f, t) => (f.startsWith('ebtables') ? t.replaceAll('neutronARP-', 'handmadeARP-') : t) });
    const r = explainVip({ hosts: [h], vip: VIP, ports: ['5a7c9e1b-3d'] });
    assert.ok(r.ok);
    const garp = r.report.findings.find((f) => f.kind === 'garp')!;
    assert.equal(garp.outcome, 'blocked');
    assert.equal(garp.cause, undefined);
    assert.match(r.report.headline, /Fix: openstack port set --allowed-address ip-address=172\.16\.10\.100,mac-address=/);
    assert.doesNotMatch(r.report.headline, /0\.0\.0\.0\/0/);
  });
});
