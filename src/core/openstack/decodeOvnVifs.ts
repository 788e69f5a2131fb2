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
 * localport: its table-0 flow sets the localport flag (`set_field:0x400/0x400->reg10`,
 * `load:0x1->NXM_NX_REG10[10]`) and its iface-id is not the id in its name. It is listed in
 * `notVmDevices`. Dumps printed with port names (`in_port="tap6814da84-6a"`) need no
 * `ovs-ofctl show` to name the device.
 */
export interface OvnVif {
  readonly bridge: string;
  /** `tap<port id[:11]>` (or `vhu…` for vhost-user). */
  readonly device: string;
  /** The 11-character Neutron port id prefix the device name carries, or the iface-id's. */
  readonly portId: string;
  /** The full Neutron port id (Interface external_ids:iface-id), when the Interface table was collected. */
  readonly neutronPortId?: string;
  /** Undefined when the flows name the port and no `ovs-ofctl show` numbers it. */
  readonly ofport?: number;
  /** OVN logical datapath (`metadata`) and logical port key (`reg14` in, `reg15` out). */
  readonly datapath: bigint;
  readonly portKey: bigint;
  readonly macs: readonly bigint[];
  /** Allowed source addresses, one per port-security flow (IPv4 and ARP each have theirs), with the flow. */
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

/** The OVN VIFs of a snapshot, decoded once per snapshot (it reads every flow of every bridge). */
export function decodeOvnVifs(snapshot: HostSnapshot): OvnVifs {
  let vifs = DECODED.get(snapshot);
  if (!vifs) {
    vifs = decode(snapshot);
    DECODED.set(snapshot, vifs);
  }
  return vifs;
}

const DECODED = new WeakMap<HostSnapshot, OvnVifs>();

function decode(snapshot: HostSnapshot): OvnVifs {
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
      const b0 = logicalBinding(f, ofportOf, nameOf);
      return b0 ? [{ flow: f, ...b0 }] : [];
    });
    // The output table names the same logical port by reg15 (`reg15=0x2,metadata=0x1 actions=output:2`):
    // enough when table 0 did not say (a dump cut short, a port being bound).
    const bound = new Set(bindings.map((x) => x.device));
    for (const f of flows) {
      const o = outputBinding(f, ofportOf, nameOf);
      if (o && !bound.has(o.device)) { bindings.push({ flow: f, ...o }); bound.add(o.device); }
    }
    if (bindings.length > 0 || flows.some(clearsLogicalRegisters)) ovnBridges.add(b.name);
    if (bindings.length === 0) continue;
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
      list.push(src);
    }
    for (const x of bindings) {
      const device = x.device;
      const iface = ifaceByName.get(device);
      const ifaceId = iface?.externalIds['iface-id'];
      const named = decodeVmPortDevice(device);
      if (x.localport || (ifaceId !== undefined && named && !ifaceId.startsWith(named.portId))) {
        notVmDevices.add(device);
        // The metadata agent's veth pair: tap<net[:10]>0 in br-int, tap<net[:10]>1 in ovnmeta-<net>.
        const pair = /^(tap.{10})0$/.exec(device);
        if (pair) notVmDevices.add(`${pair[1]}1`);
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
        bridge: b.name, device, portId, datapath: x.datapath, portKey: x.key,
        macs: [...macs], sources: allowed.get(k) ?? [], binding: { raw: x.flow.raw, span: x.flow.span },
      };
      if (x.ofport !== undefined) v.ofport = x.ofport;
      if (ifaceId !== undefined && UUID_RE.test(ifaceId)) v.neutronPortId = ifaceId;
      vifs.push(v);
    }
  }
  return { vifs, notVmDevices, ovnBridges };
}

/** `in_port=2 actions=...,set_field:0x1->metadata,set_field:0x2->reg14,...`: the port's logical port. */
function logicalBinding(f: OvsFlow, ofportOf: ReadonlyMap<string, number>, nameOf: ReadonlyMap<number, string>):
  { device: string; ofport?: number; datapath: bigint; key: bigint; localport: boolean } | undefined {
  // A flow's actions and match are built when first read: a flow whose text never names reg14
  // (`->reg14`, `->NXM_NX_REG14[]`) or metadata writes neither, and few table-0 flows write both.
  if (!NAMES_REG14.test(f.raw) || !NAMES_METADATA.test(f.raw)) return undefined;
  const datapath = written(f.actions, 'metadata');
  const key = written(f.actions, 'reg14');
  if (datapath === undefined || key === undefined) return undefined;
  const inPort = f.match.fields.find((m) => m.field === 'in_port');
  if (!inPort) return undefined;
  // The localport flag (MLF_LOCALPORT, reg10 bit 10): OVN's metadata ports.
  const localport = f.actions.some((a) => (a.kind === 'set_field' && a.field === 'reg10' && a.value !== undefined && !isPortName(a.value) && (a.value.value & a.value.mask & 0x400n) !== 0n) ||
    (a.kind === 'load' && a.dst.field === 'reg10' && a.dst.start <= 10 && a.dst.end >= 10 && ((a.value << BigInt(a.dst.start)) & 0x400n) !== 0n));
  if (isPortName(inPort.value)) {
    const ofport = ofportOf.get(inPort.value.portName);
    return { device: inPort.value.portName, ...(ofport !== undefined ? { ofport } : {}), datapath, key, localport };
  }
  const ofport = Number(inPort.value.value);
  const device = nameOf.get(ofport);
  return device ? { device, ofport, datapath, key, localport } : undefined;
}

const NAMES_REG14 = /reg14/i;
const NAMES_REG15 = /reg15/i;
const NAMES_METADATA = /metadata/i;

/** `reg15=0x2,metadata=0x1 actions=output:2` (also `output:"tap…"`): the local output of a logical port. */
function outputBinding(f: OvsFlow, ofportOf: ReadonlyMap<string, number>, nameOf: ReadonlyMap<number, string>):
  { device: string; ofport?: number; datapath: bigint; key: bigint; localport: boolean } | undefined {
  // This looks at every flow of the bridge, whose match and actions are built when first read:
  // a flow whose text never names reg15 (`reg15=`, `NXM_NX_REG15[]=`) or metadata (`metadata=`,
  // `OXM_OF_METADATA[]=`) cannot match on both, whatever its match reads as.
  if (!NAMES_REG15.test(f.raw) || !NAMES_METADATA.test(f.raw)) return undefined;
  if (f.actions.length !== 1) return undefined;
  const a = f.actions[0];
  if (a?.kind !== 'output' || f.match.fields.length !== 2) return undefined;
  let datapath: bigint | undefined;
  let key: bigint | undefined;
  for (const m of f.match.fields) {
    if (isPortName(m.value)) return undefined;
    if (m.field === 'metadata') datapath = m.value.value;
    else if (m.field === 'reg15') key = m.value.value;
  }
  if (datapath === undefined || key === undefined) return undefined;
  if (a.port.kind === 'name') {
    const ofport = ofportOf.get(a.port.name);
    return { device: a.port.name, ...(ofport !== undefined ? { ofport } : {}), datapath, key, localport: false };
  }
  if (a.port.kind !== 'number') return undefined;
  const device = nameOf.get(a.port.number);
  return device ? { device, ofport: a.port.number, datapath, key, localport: false } : undefined;
}

/**
 * ovn-controller's check-loopback default flow, on every OVN br-int even before a VIF is bound:
 * `priority=0 actions=set_field:0->reg0,...,set_field:0->reg9,resubmit(,N)` (older builds `load:0->NXM_NX_REG0[]`...).
 */
function clearsLogicalRegisters(f: OvsFlow): boolean {
  if (f.priority !== 0 || f.match.fields.length > 0) return false;
  const cleared = new Set<string>();
  for (const a of f.actions) {
    if (a.kind === 'set_field' && a.field && a.value && !isPortName(a.value) && a.value.value === 0n) cleared.add(a.field);
    else if (a.kind === 'load' && a.dst.field && a.value === 0n && a.dst.whole) cleared.add(a.dst.field);
  }
  return Array.from({ length: 10 }, (_, i) => `reg${i}`).every((r) => cleared.has(r));
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
