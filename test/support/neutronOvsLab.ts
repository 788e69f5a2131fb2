import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateNeutronFlows, type NeutronFlowsDump } from '../core/ovs/generateNeutronFlows';
import { generateNeutronTunFlows, type NeutronTunFlows } from './generateNeutronTunFlows';
import type { OvsSandbox } from './ovsSandbox';

/**
 * A Neutron compute node's OVS in the test sandbox: br-int with the agent + native firewall flows
 * (test/core/ovs/generateNeutronFlows.ts) and br-tun with the tunnel flows
 * (generateNeutronTunFlows.ts), joined by the patch ports patch-tun / patch-int, plus the
 * provider uplink int-br-data (a trunk) on br-int. VM ports are dummy ports with their network's
 * local VLAN as tag, as the agent sets them.
 *
 *   br-int: int-br-data = 1, patch-tun = 2, VM taps = 3...   br-int LOCAL = 65534
 *   br-tun: patch-int = 1, vxlan-c0a8640b = 2, vxlan-c0a8640c = 3
 *
 * `dump()` returns the files an operator's collection would hold, named as in
 * docs/snapshot-folder.md, read from the running daemons.
 */
export interface NeutronOvsLab {
  readonly int: NeutronFlowsDump;
  readonly tun: NeutronTunFlows;
  readonly physOfport: number;
  readonly patchTunOfport: number;
  /** Datapath (odp) port number -> port name, from `dpif/show`. */
  readonly odpPorts: ReadonlyMap<number, string>;
  /** The unixctl socket of ovs-vswitchd (for batched ofproto/trace). */
  readonly ctlSocket: string;
  /** Snapshot files (relative path -> text). */
  dump(): Map<string, string>;
}

export interface NeutronOvsLabOptions {
  readonly ports: number;
  readonly portsPerNetwork: number;
  readonly nativeOpenflow: boolean;
  readonly allowedAddressPairs: number;
}

export function setUpNeutronOvsLab(s: OvsSandbox, o: NeutronOvsLabOptions): NeutronOvsLab {
  const int = generateNeutronFlows({ ports: o.ports, portsPerNetwork: o.portsPerNetwork, header: false, nativeOpenflow: o.nativeOpenflow, allowedAddressPairs: o.allowedAddressPairs });
  const vlans = [...new Set(int.ports.map((p) => p.vlan))];
  const tun = generateNeutronTunFlows({
    networks: vlans.map((vlan) => ({ vlan, gatewayMac: int.ports.find((p) => p.vlan === vlan)!.mac })),
    dvrMac: int.dvrMac,
    remoteDvrMacs: ['fa:16:3f:0a:04:80', 'fa:16:3f:a4:e2:e2'],
  });
  const intArgs = ['add-br', 'br-int', '--', 'set', 'bridge', 'br-int', 'datapath_type=netdev', 'fail_mode=secure',
    '--', 'add-port', 'br-int', 'int-br-data', '--', 'set', 'interface', 'int-br-data', 'ofport_request=1',
    '--', 'add-port', 'br-int', 'patch-tun', '--', 'set', 'interface', 'patch-tun', 'type=patch', 'options:peer=patch-int', 'ofport_request=2'];
  for (const p of int.ports) {
    intArgs.push('--', 'add-port', 'br-int', p.name, `tag=${p.vlan}`, '--', 'set', 'interface', p.name, `ofport_request=${p.ofport}`,
      `external_ids:attached-mac="${p.mac}"`);
  }
  s.vsctl(intArgs);
  const tunArgs = ['add-br', 'br-tun', '--', 'set', 'bridge', 'br-tun', 'datapath_type=netdev', 'fail_mode=secure',
    '--', 'add-port', 'br-tun', 'patch-int', '--', 'set', 'interface', 'patch-int', 'type=patch', 'options:peer=patch-tun', `ofport_request=${tun.patchIntOfport}`];
  for (const t of tun.tunnels) {
    tunArgs.push('--', 'add-port', 'br-tun', t.name, '--', 'set', 'interface', t.name, 'type=vxlan', `options:remote_ip=${t.remoteIp}`,
      'options:local_ip=192.168.100.10', 'options:in_key=flow', 'options:out_key=flow', `ofport_request=${t.ofport}`);
  }
  s.vsctl(tunArgs);
  for (const [bridge, text] of [['br-int', int.text], ['br-tun', tun.text]] as const) {
    const file = path.join(s.runDir, `${bridge}.flows`);
    fs.writeFileSync(file, text);
    s.ofctl(['-O', 'OpenFlow13', 'add-flows', bridge, file]);
  }
  const odpPorts = new Map<number, string>();
  for (const line of s.appctl(['dpif/show']).split('\n')) {
    const m = /^\s{4}(\S+) (\d+)\/(\d+):/.exec(line);
    if (m) odpPorts.set(Number(m[3]), m[1]!);
  }
  return {
    int,
    tun,
    physOfport: 1,
    patchTunOfport: 2,
    odpPorts,
    ctlSocket: path.join(s.runDir, 'ovs-vswitchd.ctl'),
    dump: () => {
      const files = new Map<string, string>();
      files.set('ovs-vsctl_show', s.vsctl(['show']));
      for (const br of ['br-int', 'br-tun']) {
        files.set(`ovs-ofctl_show_${br}`, s.ofctl(['show', br]));
        files.set(`ovs-ofctl_-O_OpenFlow13_dump-flows_${br}`, s.ofctl(['-O', 'OpenFlow13', 'dump-flows', br]));
        files.set(`ovs-appctl_fdb.show_${br}`, s.appctl(['fdb/show', br]));
      }
      return files;
    },
  };
}
