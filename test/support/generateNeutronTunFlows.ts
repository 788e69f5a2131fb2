/**
 * The br-tun flows of a Neutron ML2/OVS compute node with VXLAN tunnels, l2population, the ARP
 * responder and DVR, as the OVS agent's ovs-ofctl driver installs them
 * (neutron/plugins/ml2/drivers/openvswitch/agent/openflow/ovs_ofctl/br_tun.py, constants.py):
 *
 *   0  in_port: patch-int -> 1, tunnels -> 4          1  DVR_PROCESS (gateway ARP/MAC, src MAC rewrite)
 *   2  PATCH_LV_TO_TUN: ARP broadcast -> 21, unicast -> 20, multicast -> 22
 *   3  GRE_TUN_TO_LV, 6 GENEVE_TUN_TO_LV (unused: drop)   4  VXLAN_TUN_TO_LV: tun_id -> local VLAN
 *   9  DVR_NOT_LEARN (remote DVR MACs straight to br-int)   10 LEARN_FROM_TUN (learn + output)
 *   20 UCAST_TO_TUN (l2pop unicast)   21 ARP_RESPONDER   22 FLOOD_TO_TUN
 *
 * Lines are `ovs-ofctl add-flows` input (no stats). Ports: patch-int = 1, vxlan tunnels 2, 3, ...
 * Deterministic: everything derives from the networks given.
 */
export interface NeutronTunNetworkInput {
  /** The local VLAN br-int uses for the network (reg6 / tag). */
  readonly vlan: number;
  /** The DVR router port's MAC on this network (the gateway MAC every host shares). */
  readonly gatewayMac: string;
}

export interface NeutronTunOptions {
  readonly networks: readonly NeutronTunNetworkInput[];
  /** Remote hypervisors, one VXLAN tunnel each (default 2). */
  readonly tunnels?: number;
  /** VMs per network on remote hosts, known through l2population (default 2). */
  readonly remoteVmsPerNetwork?: number;
  /** This host's DVR MAC (br-tun rewrites the gateway MAC to it on egress). */
  readonly dvrMac: string;
  /** Other hosts' DVR MACs (table 9 sends them to br-int without learning). */
  readonly remoteDvrMacs: readonly string[];
}

export interface NeutronTunnel {
  readonly name: string;
  readonly ofport: number;
  readonly remoteIp: string;
}

export interface NeutronRemoteVm {
  readonly mac: string;
  readonly ip: string;
  readonly tunnel: NeutronTunnel;
}

export interface NeutronTunNetwork extends NeutronTunNetworkInput {
  readonly tunId: number;
  readonly gatewayIp: string;
  readonly remoteVms: readonly NeutronRemoteVm[];
}

export interface NeutronTunFlows {
  readonly text: string;
  readonly flowCount: number;
  readonly tunnels: readonly NeutronTunnel[];
  readonly networks: readonly NeutronTunNetwork[];
  readonly patchIntOfport: number;
}

const COOKIE = '0x8d0d2b4a6c1e3f57';
const PATCH_INT = 1;

function hex2(n: number): string {
  return (n & 0xff).toString(16).padStart(2, '0');
}

function ipHex(ip: string): string {
  return ip.split('.').map((o) => hex2(Number(o))).join('');
}

export function generateNeutronTunFlows(options: NeutronTunOptions): NeutronTunFlows {
  const tunnelCount = options.tunnels ?? 2;
  const perNet = options.remoteVmsPerNetwork ?? 2;
  const tunnels: NeutronTunnel[] = Array.from({ length: tunnelCount }, (_, i) => {
    const remoteIp = `192.168.100.${11 + i}`;
    return { name: `vxlan-${ipHex(remoteIp)}`, ofport: PATCH_INT + 1 + i, remoteIp };
  });
  const networks: NeutronTunNetwork[] = options.networks.map((n) => {
    const net = n.vlan - 1;
    const prefix = `10.${Math.floor(net / 256)}.${net % 256}`;
    const remoteVms = Array.from({ length: perNet }, (_, k) => ({
      mac: `fa:16:3e:aa:${hex2(n.vlan)}:${hex2(k + 1)}`,
      ip: `${prefix}.${100 + k}`,
      tunnel: tunnels[k % tunnels.length] as NeutronTunnel,
    }));
    return { ...n, tunId: 0x3e8 + n.vlan, gatewayIp: `${prefix}.1`, remoteVms };
  });

  const lines: string[] = [];
  const add = (table: number, priority: number, match: string, actions: string): void => {
    lines.push(`cookie=${COOKIE},table=${table},priority=${priority}${match ? `,${match}` : ''},actions=${actions}`);
  };
  const toTunnels = tunnels.map((t) => `output:${t.ofport}`).join(',');

  add(0, 1, `in_port=${PATCH_INT}`, 'resubmit(,1)');
  for (const t of tunnels) add(0, 1, `in_port=${t.ofport}`, 'resubmit(,4)');
  add(0, 0, '', 'drop');
  for (const n of networks) {
    // DVR: the distributed gateway answers locally; its MAC never leaves the host as a source.
    add(1, 3, `arp,dl_vlan=${n.vlan},arp_tpa=${n.gatewayIp}`, 'drop');
    add(1, 2, `dl_vlan=${n.vlan},dl_dst=${n.gatewayMac}`, 'drop');
    add(1, 1, `dl_vlan=${n.vlan},dl_src=${n.gatewayMac}`, `mod_dl_src:${options.dvrMac},resubmit(,2)`);
  }
  add(1, 0, '', 'resubmit(,2)');
  add(2, 1, 'arp,dl_dst=ff:ff:ff:ff:ff:ff', 'resubmit(,21)');
  add(2, 0, 'dl_dst=00:00:00:00:00:00/01:00:00:00:00:00', 'resubmit(,20)');
  add(2, 0, 'dl_dst=01:00:00:00:00:00/01:00:00:00:00:00', 'resubmit(,22)');
  add(3, 0, '', 'drop');
  for (const n of networks) add(4, 1, `tun_id=0x${n.tunId.toString(16)}`, `mod_vlan_vid:${n.vlan},resubmit(,9)`);
  add(4, 0, '', 'drop');
  add(6, 0, '', 'drop');
  for (const mac of options.remoteDvrMacs) add(9, 1, `dl_src=${mac}`, `output:${PATCH_INT}`);
  add(9, 0, '', 'resubmit(,10)');
  add(10, 1, '', `learn(cookie=${COOKIE},table=20,priority=1,hard_timeout=300,NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0->NXM_OF_VLAN_TCI[],load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],output:OXM_OF_IN_PORT[]),output:${PATCH_INT}`);
  for (const n of networks) {
    for (const vm of n.remoteVms) {
      add(20, 2, `dl_vlan=${n.vlan},dl_dst=${vm.mac}`, `strip_vlan,load:0x${n.tunId.toString(16)}->NXM_NX_TUN_ID[],output:${vm.tunnel.ofport}`);
    }
  }
  add(20, 0, '', 'resubmit(,22)');
  for (const n of networks) {
    for (const vm of n.remoteVms) {
      add(21, 1, `arp,dl_vlan=${n.vlan},arp_tpa=${vm.ip}`,
        `move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],mod_dl_src:${vm.mac},load:0x2->NXM_OF_ARP_OP[],move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],` +
        `move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],load:0x${vm.mac.replace(/:/g, '')}->NXM_NX_ARP_SHA[],load:0x${ipHex(vm.ip)}->NXM_OF_ARP_SPA[],IN_PORT`);
    }
  }
  add(21, 0, '', 'resubmit(,22)');
  for (const n of networks) add(22, 1, `dl_vlan=${n.vlan}`, `strip_vlan,load:0x${n.tunId.toString(16)}->NXM_NX_TUN_ID[],${toTunnels}`);
  add(22, 0, '', 'drop');
  return { text: `${lines.join('\n')}\n`, flowCount: lines.length, tunnels, networks, patchIntOfport: PATCH_INT };
}
