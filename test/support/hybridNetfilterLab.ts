import { execFileSync, spawnSync } from 'node:child_process';
import { generateNeutronHybrid, neutronHybridPorts, type NeutronHybridPort } from '../core/iptables/generateNeutronHybrid';
import type { HybridEndpoint, HybridWorld } from './randomHybridPacket';

/**
 * A Neutron hybrid-firewall hypervisor in network namespaces, for comparing the simulator with
 * real netfilter. Nothing is created in or changed in the root namespace:
 *
 *   <prefix>-host   the hypervisor: Linux bridge qbr<A> with ports tap<A>, tap<B> (the VMs) and
 *                   qvb<A> (where br-int would be); bridge-nf-call-iptables=1; the iptables-save
 *                   of generateNeutronHybrid for `ports` ports (A and B plumbed, the rest noise),
 *                   the nat skeleton of a compute node, and mangle rules (no target) that count
 *                   each conntrack state, so a probe's state can be read from its counters
 *   <prefix>-vma, <prefix>-vmb   the VMs' eth0 (iptables OUTPUT DROP: they never answer)
 *   <prefix>-peer   the far side of qvb<A>, with the ports' gateway address
 *
 * Bridge ports do not learn (static fdb entries for the three guests), so forwarding stays the
 * same during the run and matches the dumped `bridge fdb show`.
 */
export interface HybridNetfilterLab {
  readonly hostNs: string;
  readonly world: HybridWorld;
  readonly bridge: string;
  /** Guest interface behind each host-side device. */
  readonly endpoints: Readonly<Record<string, { readonly netns: string; readonly iface: string }>>;
  /** Snapshot files of the host namespace (docs/snapshot-folder.md names). */
  dump(): Map<string, string>;
  teardown(): void;
}

const SYSCTL_FILTER = "sysctl -a 2>/dev/null | grep -E '^net\\.(bridge\\.|ipv4\\.ip_forward |ipv4\\.conf\\.[^.]+\\.(rp_filter|arp_ignore|arp_announce|proxy_arp|forwarding) )'";

/** Counting rules: one per conntrack state, no target, so they never change a verdict. */
export const CT_STATE_RULES = ['NEW', 'ESTABLISHED', 'RELATED', 'INVALID', 'UNTRACKED'] as const;

const NAT_SKELETON = [
  '*nat', ':PREROUTING ACCEPT [0:0]', ':INPUT ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]',
  ':neutron-openvswi-OUTPUT - [0:0]', ':neutron-openvswi-POSTROUTING - [0:0]', ':neutron-openvswi-PREROUTING - [0:0]',
  ':neutron-openvswi-float-snat - [0:0]', ':neutron-openvswi-snat - [0:0]', ':neutron-postrouting-bottom - [0:0]',
  '-A PREROUTING -j neutron-openvswi-PREROUTING', '-A OUTPUT -j neutron-openvswi-OUTPUT',
  '-A POSTROUTING -j neutron-openvswi-POSTROUTING', '-A POSTROUTING -j neutron-postrouting-bottom',
  '-A neutron-openvswi-snat -j neutron-openvswi-float-snat',
  '-A neutron-postrouting-bottom -m comment --comment "Perform source NAT on outgoing traffic." -j neutron-openvswi-snat',
  'COMMIT',
  '*mangle', ':PREROUTING ACCEPT [0:0]', ':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]',
  ...CT_STATE_RULES.map((s) => `-A PREROUTING -m conntrack --ctstate ${s}`),
  'COMMIT', '',
].join('\n');

function mac(p: NeutronHybridPort): string {
  return p.mac.toLowerCase();
}

export function setUpHybridNetfilterLab(prefix: string, ports: number, seed: number): HybridNetfilterLab {
  const ns = { host: `${prefix}-host`, vma: `${prefix}-vma`, vmb: `${prefix}-vmb`, peer: `${prefix}-peer` };
  const created: string[] = [];
  const run = (argv: readonly string[], input?: string): string => execFileSync(argv[0]!, argv.slice(1), { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  const nsx = (name: string, argv: readonly string[], input?: string): string => run(['ip', 'netns', 'exec', name, ...argv], input);
  const teardown = (): void => {
    for (const n of created.splice(0).reverse()) spawnSync('ip', ['netns', 'del', n], { stdio: 'ignore' });
  };
  try {
    for (const n of Object.values(ns)) {
      run(['ip', 'netns', 'add', n]);
      created.push(n);
      nsx(n, ['sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
      nsx(n, ['ip', 'link', 'set', 'lo', 'up']);
    }
    const [a, b] = neutronHybridPorts(ports, seed) as [NeutronHybridPort, NeutronHybridPort];
    const qbr = `qbr${a.id.slice(0, 11)}`;
    const qvb = `qvb${a.id.slice(0, 11)}`;
    const gw = a.ip.replace(/\.\d+$/, '.1');
    const peerMac = 'fa:16:3e:ee:00:01';
    const bridgeMac = 'fe:16:3e:00:00:fe';
    const pair = (p: NeutronHybridPort): string => `10.250.0.${1 + (Number.parseInt(p.id.slice(0, 2), 16) % 250)}`;
    nsx(ns.host, ['sysctl', '-qw', 'net.bridge.bridge-nf-call-iptables=1', 'net.bridge.bridge-nf-call-ip6tables=1', 'net.bridge.bridge-nf-call-arptables=1']);
    nsx(ns.host, ['ip', 'link', 'add', qbr, 'address', bridgeMac, 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0']);
    const cables: [string, string, string, string][] = [[a.tap, ns.vma, mac(a), `${a.ip}/24`], [b.tap, ns.vmb, mac(b), `${b.ip}/24`], [qvb, ns.peer, peerMac, `${gw}/24`]];
    for (const [dev, guest, guestMac, cidr] of cables) {
      run(['ip', 'link', 'add', dev, 'netns', ns.host, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', guest]);
      nsx(ns.host, ['ip', 'link', 'set', dev, 'master', qbr]);
      nsx(ns.host, ['bridge', 'link', 'set', 'dev', dev, 'learning', 'off']);
      nsx(ns.host, ['ip', 'link', 'set', dev, 'up']);
      nsx(ns.host, ['bridge', 'fdb', 'add', guestMac, 'dev', dev, 'master', 'static']);
      nsx(guest, ['iptables', '-P', 'OUTPUT', 'DROP']);
      nsx(guest, ['ip', 'link', 'set', 'eth0', 'address', guestMac]);
      nsx(guest, ['ip', 'addr', 'add', cidr, 'dev', 'eth0']);
      nsx(guest, ['ip', 'link', 'set', 'eth0', 'up']);
    }
    nsx(ns.host, ['iptables-restore'], `${generateNeutronHybrid(ports, { seed, ctZones: true, allowedAddressPairs: 1 })}${NAT_SKELETON}`);
    nsx(ns.host, ['ip', 'link', 'set', qbr, 'up']);
    // The bridge announces its multicast router group (IGMP report to 224.0.0.22, through OUTPUT)
    // about a second after it comes up: wait until the counters are still, so no probe counts it.
    const save = (): string => nsx(ns.host, ['iptables-save', '-c']).replace(/^#.*$/gm, '');
    const t0 = Date.now();
    let last = save();
    let stillSince = Date.now();
    while (Date.now() - t0 < 8000) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
      const now = save();
      if (now !== last) { last = now; stillSince = Date.now(); }
      if (Date.now() - stillSince >= 1500 && /\n:OUTPUT ACCEPT \[[1-9]/.test(now)) break;
    }
    const endpoint = (p: NeutronHybridPort): HybridEndpoint => ({ dev: p.tap, mac: mac(p), ip: p.ip, allowedIps: [pair(p)] });
    return {
      hostNs: ns.host,
      bridge: qbr,
      world: { vmA: endpoint(a), vmB: endpoint(b), peer: { dev: qvb, mac: peerMac, ip: gw, allowedIps: [] }, bridgeMac },
      endpoints: { [a.tap]: { netns: ns.vma, iface: 'eth0' }, [b.tap]: { netns: ns.vmb, iface: 'eth0' }, [qvb]: { netns: ns.peer, iface: 'eth0' } },
      dump: () => {
        const files = new Map<string, string>();
        const cap = (file: string, argv: readonly string[]): void => {
          const r = spawnSync('ip', ['netns', 'exec', ns.host, ...argv], { encoding: 'utf8', maxBuffer: 64 << 20 });
          if (r.status === 0) files.set(file, r.stdout);
        };
        cap('ip_-d_-j_link', ['ip', '-d', '-j', 'link']);
        cap('ip_-j_addr', ['ip', '-j', 'addr']);
        cap('ip_route_show_table_all', ['ip', 'route', 'show', 'table', 'all']);
        cap('ip_rule', ['ip', 'rule']);
        cap('iptables-save_-c', ['iptables-save', '-c']);
        cap('ip6tables-save_-c', ['ip6tables-save', '-c']);
        cap('ebtables-save', ['ebtables-save']);
        cap('bridge_-j_link', ['bridge', '-j', 'link']);
        cap('bridge_fdb_show', ['bridge', 'fdb', 'show']);
        cap('sysctl_-a', ['sh', '-c', SYSCTL_FILTER]);
        return files;
      },
      teardown,
    };
  } catch (e) {
    teardown();
    throw e;
  }
}
