import type { Cidr } from '../net/Cidr';
import type { OvsAction } from '../ovs/OvsAction';
import { isPortName } from '../ovs/OvsMatch';
import type { OvsFlow } from '../ovs/parseOvsDumpFlows';
import type { HostSnapshot } from '../snapshot/HostSnapshot';
import type { Span } from '../text/Span';
import { decodeVmPortDevice } from './decodeDeviceName';

/**
 * An ML2/OVN VIF as a compute node shows it. There are no Neutron chains or agent flows: nova
 * plugs the tap into br-int with `external_ids:iface-id=<Neutron port id>`, ovn-controller binds
 * the logical port of that name and programs, from OVN's logical pipeline,
 *   table 0:   `in_port=<ofport> actions=...,set_field:<datapath>->metadata,set_field:<key>->reg14,resubmit(,8)`
 *              (older builds: `load:<key>->NXM_NX_REG14[]`): the port's logical datapath and key;
 *   port security, whatever the stage's table number in this OVN version: flows matching
 *   `reg14=<key>,metadata=<datapath>` with the port's `dl_src` and `nw_src` / `arp_spa` /
 *   `ipv6_src` that let the packet on (22.06+: `set_field:0/0x1000->reg10` in the
 *   check_in_port_sec tables; before: `resubmit` to the next ls_in_port_sec_* stage). Those
 *   addresses are the Logical_Switch_Port's port_security, i.e. the fixed IPs plus the
 *   allowed address pairs.
 * The OVN metadata agent's `tap<network id[:10]>0` looks like a VM tap but binds the network's
 * localport (its iface-id is not the id in its name): it is listed in `notVmDevices`.
 */
export interface OvnVif {
  readonly bridge: string;
  /** `tap<port id[:11]>` (or `vhu…` for vhost-user). */
  readonly device: string;
  /** The 11-character Neutron port id prefix the device name carries, or the iface-id's. */
  readonly portId: string;
  /** The full Neutron port id (Interface external_ids:iface-id), when the Interface table was collected. */
  readonly neutronPortId?: string;
  readonly ofport: number;
  /** OVN logical datapath (`metadata`) and logical port key (`reg14` in, `reg15` out). */
  readonly datapath: bigint;
  readonly portKey: bigint;
  readonly macs: readonly bigint[];
  /** Allowed source addresses from the port-security flows, with the flow each comes from. */
  readonly sources: readonly { readonly cidr: Cidr; readonly mac?: bigint; readonly raw: string; readonly span: Span }[];
  /** The table-0 flow that binds the ofport to the logical port. */
  readonly binding: { readonly raw: string; readonly span: Span };
}

export interface OvnVifs {
  readonly vifs: readonly OvnVif[];
  /** Taps bound to a logical port other than the one their name carries (the metadata port). */
  readonly notVmDevices: ReadonlySet<string>;
  /** Bridges whose flows are ovn-controller's (logical datapaths in `metadata`, ports in reg14/15). */
  readonly ovnBridges: ReadonlySet<string>;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function decodeOvnVifs(snapshot: HostSnapshot): OvnVifs {
  const vifs: OvnVif[] = [];
  const notVmDevices = new Set<string>();
  const ovnBridges = new Set<string>();
  const ifaceByName = new Map((snapshot.ovsInterfaces ?? []).map((i) => [i.name, i]));
  for (const b of snapshot.ovsBridges) {
    const flows = b.flows?.flows ?? [];
    const ofportOf = new Map<string, number>();
    for (const p of b.show?.ports ?? []) ofportOf.set(p.name, p.ofport);
    for (const i of snapshot.ovsInterfaces ?? []) if (i.ofport !== undefined && !ofportOf.has(i.name)) ofportOf.set(i.name, i.ofport);
    const nameOf = new Map([...ofportOf].map(([n, o]) => [o, n]));
    const bindings = flows.filter((f) => f.table === 0).flatMap((f) => {
      const b0 = logicalBinding(f, ofportOf);
      return b0 ? [{ flow: f, ...b0 }] : [];
    });
    if (bindings.length === 0) continue;
    ovnBridges.add(b.name);
    // Port-security allowances by (datapath, key): one pass over the bridge's flows.
    const allowed = new Map<string, { cidr: Cidr; mac?: bigint; raw: string; span: Span }[]>();
    const macsOf = new Map<string, Set<bigint>>();
    for (const f of flows) {
      const a = portSecurityAllowance(f);
      if (!a) continue;
      const k = `${a.datapath}/${a.key}`;
      let list = allowed.get(k);
      if (!list) allowed.set(k, (list = []));
      const src: { cidr: Cidr; mac?: bigint; raw: string; span: Span } = { cidr: a.cidr, raw: f.raw, span: f.span };
      if (a.mac !== undefined) {
        src.mac = a.mac;
        let m = macsOf.get(k);
        if (!m) macsOf.set(k, (m = new Set()));
        m.add(a.mac);
      }
      if (!list.some((x) => x.cidr.text === src.cidr.text && x.cidr.family === src.cidr.family)) list.push(src);
    }
    for (const x of bindings) {
      const device = nameOf.get(x.ofport);
      if (!device) continue;
      const iface = ifaceByName.get(device);
      const ifaceId = iface?.externalIds['iface-id'];
      const named = decodeVmPortDevice(device);
      if (ifaceId !== undefined && named && !ifaceId.startsWith(named.portId)) {
        notVmDevices.add(device);
        continue;
      }
      const portId = named?.portId ?? (ifaceId !== undefined && UUID_RE.test(ifaceId) ? ifaceId.slice(0, 11) : undefined);
      if (!portId) continue;
      const k = `${x.datapath}/${x.key}`;
      const macs = new Set(macsOf.get(k) ?? []);
      const attached = iface?.externalIds['attached-mac'];
      const am = attached !== undefined ? macOf(attached) : undefined;
      if (am !== undefined) macs.add(am);
      const v: { -readonly [K in keyof OvnVif]: OvnVif[K] } = {
        bridge: b.name, device, portId, ofport: x.ofport, datapath: x.datapath, portKey: x.key,
        macs: [...macs], sources: allowed.get(k) ?? [], binding: { raw: x.flow.raw, span: x.flow.span },
      };
      if (ifaceId !== undefined && UUID_RE.test(ifaceId)) v.neutronPortId = ifaceId;
      vifs.push(v);
    }
  }
  return { vifs, notVmDevices, ovnBridges };
}

/** `in_port=2 actions=...,set_field:0x1->metadata,set_field:0x2->reg14,...`: the ofport's logical port. */
function logicalBinding(f: OvsFlow, ofportOf: ReadonlyMap<string, number>): { ofport: number; datapath: bigint; key: bigint } | undefined {
  const inPort = f.match.fields.find((m) => m.field === 'in_port');
  if (!inPort) return undefined;
  const ofport = isPortName(inPort.value) ? ofportOf.get(inPort.value.portName) : Number(inPort.value.value);
  if (ofport === undefined) return undefined;
  const datapath = written(f.actions, 'metadata');
  const key = written(f.actions, 'reg14');
  return datapath !== undefined && key !== undefined ? { ofport, datapath, key } : undefined;
}

/** The constant a flow's actions write to the whole of `field` (set_field or load), if any. */
function written(actions: readonly OvsAction[], field: string): bigint | undefined {
  for (const a of actions) {
    if (a.kind === 'set_field' && a.field === field && a.value && !isPortName(a.value)) return a.value.value;
    if (a.kind === 'load' && a.dst.field === field && a.dst.start === 0) return a.value;
  }
  return undefined;
}

/**
 * A flow that lets a packet from logical port `reg14=<key>` of `metadata=<datapath>` on when it
 * comes from one of the port's addresses. Protocol-bound exceptions (DHCP discover from 0.0.0.0,
 * neighbour discovery) are not addresses the port may use and are left out, as are the port's
 * EUI-64 link-local address and flows that drop or flag the packet as a port-security failure.
 */
function portSecurityAllowance(f: OvsFlow): { datapath: bigint; key: bigint; cidr: Cidr; mac?: bigint } | undefined {
  let datapath: bigint | undefined;
  let key: bigint | undefined;
  let mac: bigint | undefined;
  let src: { field: string; value: bigint; mask: bigint; text: string } | undefined;
  for (const m of f.match.fields) {
    if (isPortName(m.value)) continue;
    switch (m.field) {
      case 'metadata': datapath = m.value.value; break;
      case 'reg14': key = m.value.value; break;
      case 'eth_src': mac = m.value.value; break;
      case 'ip_src': case 'arp_spa': case 'ipv6_src': src = { field: m.field, value: m.value.value, mask: m.value.mask, text: m.text }; break;
      case 'nw_proto': return undefined;
      default: break;
    }
  }
  if (datapath === undefined || key === undefined || mac === undefined || !src) return undefined;
  if (f.actions.length === 0 || f.actions.every((a) => a.kind === 'drop') || flagsFailure(f.actions)) return undefined;
  const family = src.field === 'ipv6_src' ? 6 : 4;
  if (family === 4 && src.value === 0n) return undefined;
  if (family === 6 && src.value === eui64LinkLocal(mac)) return undefined;
  const bits = family === 4 ? 32 : 128;
  let prefixLength = 0;
  for (let i = bits - 1; i >= 0 && ((src.mask >> BigInt(i)) & 1n) === 1n; i--) prefixLength++;
  return { datapath, key, mac, cidr: { family, address: src.value, prefixLength, mask: src.mask, text: src.text } };
}

/** `set_field:0x1000/0x1000->reg10` / `load:0x1->NXM_NX_REG10[12]`: check_*_port_sec's "failed" bit. */
function flagsFailure(actions: readonly OvsAction[]): boolean {
  return actions.some((a) => (a.kind === 'set_field' && a.field === 'reg10' && a.value !== undefined && !isPortName(a.value) && (a.value.value & a.value.mask & 0x1000n) !== 0n) ||
    (a.kind === 'load' && a.dst.field === 'reg10' && a.dst.start <= 12 && a.dst.end >= 12 && ((a.value << BigInt(a.dst.start)) & 0x1000n) !== 0n));
}

function macOf(text: string): bigint | undefined {
  const parts = text.split(':');
  if (parts.length !== 6 || !parts.every((p) => /^[0-9a-fA-F]{1,2}$/.test(p))) return undefined;
  return parts.reduce((v, p) => (v << 8n) | BigInt(parseInt(p, 16)), 0n);
}

/** fe80::/64 with the modified EUI-64 of `mac`: OVN adds it to every port's IPv6 port security. */
function eui64LinkLocal(mac: bigint): bigint {
  return (0xfe80n << 112n) | (((mac >> 24n) ^ 0x020000n) << 40n) | (0xfffen << 24n) | (mac & 0xffffffn);
}
