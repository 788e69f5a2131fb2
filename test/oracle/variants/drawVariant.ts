import { seededRandom } from '../../support/seededRandom';
import { Draw, intToIp, ipToInt, type Subnet } from './Draw';
import type { Variant, VariantPort, VariantScenario } from './Variant';

/**
 * Variants of the oracle scenarios: the seed situation with every name and address the agents,
 * nova and libvirt would choose drawn anew (port/router/network ids and so the tap/qbr/qvb/qvo,
 * qr-/sg-/fg-/rfp- devices and neutron-openvswi-* chains; MACs; subnets of any usual size; VIP,
 * floating IP, client; instance numbers and vnet devices; ofports, local VLANs, conntrack zones,
 * rule priorities; the order ports are plugged in), plus `noise` other VMs on the same bridge —
 * on the VIP's network or another one, some holding VIPs of their own as allowed address pairs.
 * `seedVariant(id)` is the seed itself in the same shape (no OSV_* variables).
 */
export const VARIANT_SCENARIOS: readonly VariantScenario[] = ['000-nova-nwfilter', '002-neutron-spoof', '003-lvs-dr-hybrid', '004-dvr'];

export interface DrawOptions {
  /** How many noise VMs (default 1..3, drawn). */
  readonly noise?: number;
}

export function drawVariant(scenario: VariantScenario, seed: number, o: DrawOptions = {}): Variant {
  // One seed reproduces a run of all scenarios; each scenario draws its own sequence from it.
  const r = seededRandom((seed ^ Math.imul(Number(scenario.slice(0, 3)) + 1, 0x9e3779b1)) >>> 0);
  const d = new Draw(r, SEED_VALUES[scenario]);
  const noise = o.noise ?? r.int(1, 3);
  switch (scenario) {
    case '000-nova-nwfilter': return { ...draw000(d, noise), seed };
    case '002-neutron-spoof': return { ...draw002(d, noise), seed };
    case '003-lvs-dr-hybrid': return { ...draw003(d, noise), seed };
    case '004-dvr': return { ...draw004(d, noise), seed };
  }
}

/** The seed's own situation (the scenario script's defaults), for the reference report. */
export function seedVariant(scenario: VariantScenario): Variant {
  return SEEDS[scenario];
}

// ---- the seeds (the scripts' defaults) --------------------------------------------------------

const port = (ref: string, device: string, mac: string, ip: string, role: VariantPort['role'], pairs: string[] = []): VariantPort =>
  ({ ref, device, mac, ip, pairs, onVipNetwork: true, role });

const SEEDS: Readonly<Record<VariantScenario, Variant>> = {
  '000-nova-nwfilter': {
    scenario: '000-nova-nwfilter', env: {}, ask: { vip: '10.16.0.200', ports: ['vnet0'] },
    holder: port('vnet0', 'vnet0', 'fa:16:3e:a6:5f:70', '10.16.0.131', 'holder'),
    ports: [port('vnet0', 'vnet0', 'fa:16:3e:a6:5f:70', '10.16.0.131', 'holder'), port('vnet1', 'vnet1', 'fa:16:3e:58:01:ac', '10.16.0.111', 'peer')],
    folders: ['000-nova-nwfilter'], seedValues: [], summary: 'seed',
  },
  '002-neutron-spoof': {
    scenario: '002-neutron-spoof', env: {}, ask: { vip: '192.168.1.100', ports: ['6d1e3a2b-7c'] },
    holder: port('6d1e3a2b-7c', 'tap6d1e3a2b-7c', 'fa:16:3e:7d:2a:11', '192.168.1.16', 'holder'),
    ports: [port('6d1e3a2b-7c', 'tap6d1e3a2b-7c', 'fa:16:3e:7d:2a:11', '192.168.1.16', 'holder'), port('2b9c4e71-0d', 'tap2b9c4e71-0d', 'fa:16:3e:4b:9c:22', '192.168.1.17', 'peer')],
    folders: ['002-neutron-spoof'], seedValues: [], summary: 'seed',
  },
  '003-lvs-dr-hybrid': {
    scenario: '003-lvs-dr-hybrid', env: {}, ask: { vip: '10.1.26.252', ports: ['38833ad6-c6'], client: '10.0.19.92', dport: 10051 },
    holder: port('38833ad6-c6', 'tap38833ad6-c6', 'fa:16:3e:c4:20:c7', '10.1.26.144', 'holder', ['10.1.26.252']),
    ports: [port('38833ad6-c6', 'tap38833ad6-c6', 'fa:16:3e:c4:20:c7', '10.1.26.144', 'holder', ['10.1.26.252']), port('5a7c9e1f-3b', 'tap5a7c9e1f-3b', 'fa:16:3e:5a:13:9b', '10.1.26.139', 'peer', ['10.1.26.252'])],
    folders: ['003-lvs-dr-hybrid', '003-lvs-dr-hybrid-local-accept'], seedValues: [], summary: 'seed',
  },
  '004-dvr': {
    scenario: '004-dvr', env: {}, ask: { vip: '192.168.21.5', ports: [], fip: '10.5.150.1' },
    holder: port('c0a8150d-1f', 'tapc0a8150d-1f', 'fa:16:3e:71:5c:05', '192.168.21.5', 'holder'),
    ports: [
      port('c0a8150d-1f', 'tapc0a8150d-1f', 'fa:16:3e:71:5c:05', '192.168.21.5', 'holder'),
      { ...port('e1f2a3b4-c5', 'tape1f2a3b4-c5', 'fa:16:3e:26:85:02', '192.168.22.5', 'peer'), onVipNetwork: false },
      port('a7b8c9d0-e1', 'tapa7b8c9d0-e1', 'fa:16:3e:33:21:07', '192.168.21.7', 'peer'),
    ],
    folders: ['004-dvr', '004-dvr-stale-fip-rule'], seedValues: [], summary: 'seed',
  },
};

/** Names and addresses of the seeds: never drawn again, and never to appear in a variant's report. */
const SEED_VALUES: Readonly<Record<VariantScenario, readonly string[]>> = {
  '000-nova-nwfilter': ['vnet0', 'vnet1', 'br100', 'fa:16:3e:a6:5f:70', 'fa:16:3e:58:01:ac', '10.16.0.131', '10.16.0.111', '10.16.0.200', '10.16.0.102',
    'nova-compute-inst-17', 'nova-compute-inst-15', 'instance-00000011', 'instance-0000000f', 'fa:16:3e:00:00:99'],
  '002-neutron-spoof': ['6d1e3a2b-7c41-4a5e-9f0b-3c2d1e0f9a87', '2b9c4e71-0d5f-4c3a-8e21-7f6a5b4c3d2e', 'f1c3a7b2-9d8e-4f6a-b5c4-8e7d6c5b4a39',
    'fa:16:3e:7d:2a:11', 'fa:16:3e:4b:9c:22', '192.168.1.16', '192.168.1.17', '192.168.1.100', '192.168.1.2'],
  '003-lvs-dr-hybrid': ['38833ad6-c6b1-4c1e-9a57-0d6e2f4b8a13', '5a7c9e1f-3b2d-4e6f-8a9b-1c2d3e4f5a6b', '7f3e1d2c-9b8a-4c6d-8e5f-0a1b2c3d4e5f', '1a2b3c4d-5e',
    'fa:16:3e:c4:20:c7', 'fa:16:3e:5a:13:9b', 'fa:16:3e:11:26:01', '10.1.26.144', '10.1.26.139', '10.1.26.252', '10.1.26.120', '10.0.19.92', '10.1.26.1', '10051'],
  '004-dvr': ['9a3594b0-52d1-4f29-a799-2576682e275b', '57282976-a9b2-4c3f-9772-6710507c5c4e', 'c0a8150d-1f2e-4a3b-9c8d-7e6f5a4b3c21',
    'e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b', 'a7b8c9d0-e1f2-4a3b-8c4d-5e6f7a8b9c0d', '48e90ad1-5f', '6d5c4b3a-21', '95540cb3-85', '2c3d4e5f-60',
    'b825f548-32', 'd35ad06f-ae', 'fa:16:3e:71:5c:05', 'fa:16:3e:26:85:02', 'fa:16:3e:33:21:07', 'fa:16:3e:f8:fe:97', 'fa:16:3e:6d:f9:9c',
    'fa:16:3e:b5:2d:2c', '192.168.21.5', '192.168.22.5', '192.168.21.7', '192.168.21.1', '192.168.22.1', '10.5.150.1', '10.5.150.2', '10.5.150.0',
    '169.254.106.114', '169.254.106.115', '57481'],
};

/** The seeds' subnets: a variant draws others. */
const SEED_SUBNETS: readonly Subnet[] = ['10.16.0.0/24', '192.168.1.0/24', '10.1.26.0/24', '192.168.21.0/24', '192.168.22.0/24', '10.5.0.0/16']
  .map((c) => ({ network: ipToInt(c.split('/')[0]!), prefix: Number(c.split('/')[1]), cidr: c }));

// ---- shared draws -------------------------------------------------------------------------------

/**
 * Tenant subnet sizes as operators make them: /24 and larger and smaller ones (drawn more often
 * than they occur, since a /24 is what the seeds already cover).
 */
function drawPrefix(d: Draw): number {
  return Number(d.r.weighted({ 24: 3, 23: 1, 22: 1, 25: 1, 26: 1, 20: 1 }));
}

/** The gateway is the subnet's first address unless the operator chose another one. */
function gatewayOf(d: Draw, s: Subnet): string {
  return d.r.chance(0.7) ? d.fresh(() => intToIp(s.network + 1)) : d.host(s);
}

const dev11 = (id: string): string => id.slice(0, 11);

/** OVS numbers ofports in plug order; a long-lived host is in the thousands. */
function drawOfports(d: Draw, n: number, lo = 1): number[] {
  return d.r.chance(0.3) ? d.distinct(n, 100, 4000) : d.distinct(n, lo, 99);
}

/** A local VLAN (the agent allocates 1..4094) and a conntrack zone (4097..65535). */
const drawTag = (d: Draw, taken: readonly number[]): number => d.distinct(taken.length + 1, 1, d.r.chance(0.7) ? 60 : 4094).find((t) => !taken.includes(t))!;
const drawZone = (d: Draw, taken: readonly number[]): number => d.distinct(taken.length + 1, 4097, d.r.chance(0.7) ? 4300 : 65535).find((z) => !taken.includes(z))!;

/** The OVS agent's flow cookie: random per agent start. */
const drawCookie = (d: Draw): string => d.fresh(() => `0x${Array.from({ length: 16 }, () => d.r.int(0, 15).toString(16)).join('').replace(/^0+/, '')}`);
const list = (xs: readonly string[]): string => (xs.length ? xs.join('+') : '-');

interface HybridNet {
  readonly subnet: Subnet;
  readonly tag: number;
  readonly zone: number;
  readonly dhcp: string;
}

interface HybridNoise {
  readonly id: string;
  readonly mac: string;
  readonly ip: string;
  readonly ofport: number;
  readonly net: HybridNet;
  readonly pairs: readonly string[];
  readonly onVipNetwork: boolean;
}

/**
 * Noise VMs of a hybrid-firewall host: half on the VIP's network, half on networks of their own
 * (another subnet, local VLAN, conntrack zone and DHCP server); half hold one or two VIPs of
 * their own network as allowed address pairs.
 */
function drawHybridNoise(d: Draw, n: number, vipNet: HybridNet, ofports: number[], taken: Subnet[], tags: number[], zones: number[]): HybridNoise[] {
  const out: HybridNoise[] = [];
  for (let i = 0; i < n; i++) {
    let net = vipNet;
    const onVip = d.r.chance(0.5);
    if (!onVip) {
      const subnet = d.subnet(drawPrefix(d), taken);
      taken.push(subnet);
      const tag = drawTag(d, tags);
      tags.push(tag);
      const zone = drawZone(d, zones);
      zones.push(zone);
      net = { subnet, tag, zone, dhcp: d.host(subnet) };
    }
    const pairs = d.r.chance(0.5) ? Array.from({ length: d.r.int(1, 2) }, () => d.host(net.subnet)) : [];
    out.push({ id: d.uuid(), mac: d.mac(), ip: d.host(net.subnet), ofport: ofports[i]!, net, pairs, onVipNetwork: onVip });
  }
  return out;
}

const hybridNoiseEnv = (noise: readonly HybridNoise[]): string =>
  noise.map((x) => [x.id, x.mac, x.ip, x.net.subnet.prefix, x.ofport, x.net.tag, x.net.zone, x.net.dhcp, list(x.pairs)].join(',')).join(' ');

const hybridPort = (id: string, mac: string, ip: string, role: VariantPort['role'], pairs: readonly string[], onVipNetwork = true): VariantPort =>
  ({ ref: dev11(id), device: `tap${dev11(id)}`, mac, ip, pairs, onVipNetwork, role });

function orderOf(d: Draw, own: readonly string[], noise: number): string {
  return d.shuffle([...own, ...Array.from({ length: noise }, (_, i) => `n${i}`)]).join(' ');
}

// ---- 000: nova-network, libvirt nwfilter -------------------------------------------------------

function draw000(d: Draw, nNoise: number): Omit<Variant, 'seed'> {
  const subnet = d.subnet(drawPrefix(d), [...SEED_SUBNETS]);
  // libvirt names a tap vnetN when nova gives no name; nova-network's VIFs are tap<port id[:11]>.
  const tapStyle = d.r.chance(0.5);
  const vnets = d.distinct(2 + nNoise, 2, 40);
  // Often another VM's vnet number starts with the holder's (vnet3 and vnet37).
  const longer = vnets[0]! * 10 + d.r.int(0, 9);
  if (!tapStyle && vnets[0]! < 10 && !vnets.includes(longer) && d.r.chance(0.5)) vnets[1] = longer;
  const insts = d.distinct(2 + nNoise, 1, 4000);
  const vm = (i: number): { dev: string; ref: string; mac: string; ip: string; inst: number; uuid: string } => {
    const dev = tapStyle ? `tap${dev11(d.uuid())}` : `vnet${vnets[i]!}`;
    // a tap<port id> device is reported by its port id, a vnetN by its name
    return { dev, ref: tapStyle ? dev.slice(3) : dev, mac: d.mac(), ip: d.host(subnet), inst: insts[i]!, uuid: d.uuid() };
  };
  const a = vm(0);
  const b = vm(1);
  const noise = Array.from({ length: nNoise }, (_, i) => vm(2 + i));
  const vip = d.host(subnet);
  const dhcp = d.host(subnet);
  const bridge = d.fresh(() => d.r.pick(['br100', 'br101', 'br102', 'br200', 'br1000', 'brflat']));
  const order = orderOf(d, ['A', 'B'], nNoise);
  const env: Record<string, string> = {
    OSV_A_MAC: a.mac, OSV_A_IP: a.ip, OSV_A_INST: String(a.inst), OSV_A_DEV: a.dev, OSV_A_UUID: a.uuid,
    OSV_B_MAC: b.mac, OSV_B_IP: b.ip, OSV_B_INST: String(b.inst), OSV_B_DEV: b.dev, OSV_B_UUID: b.uuid,
    OSV_VIP: vip, OSV_DHCP: dhcp, OSV_SUBNET: subnet.cidr, OSV_BRIDGE: bridge,
    OSV_NOISE: noise.map((x) => [x.dev, x.mac, x.ip, x.inst, x.uuid].join(',')).join(' '), OSV_ORDER: order,
  };
  const p = (x: typeof a, role: VariantPort['role']): VariantPort => ({ ref: x.ref, device: x.dev, mac: x.mac, ip: x.ip, pairs: [], onVipNetwork: true, role });
  const holder = p(a, 'holder');
  return {
    scenario: '000-nova-nwfilter', env, ask: { vip, ports: [a.dev] }, holder,
    ports: [holder, p(b, 'peer'), ...noise.map((x) => p(x, 'noise'))],
    folders: ['000-nova-nwfilter'], seedValues: SEED_VALUES['000-nova-nwfilter'],
    summary: `${tapStyle ? 'tap' : 'vnet'} devices ${a.dev}/${b.dev}, instances ${a.inst}/${b.inst}, ${subnet.cidr} on ${bridge}, VIP ${vip}, ${nNoise} noise VM(s), order ${order}`,
  };
}

// ---- 002: Neutron hybrid firewall, spoof chain and table 24 -------------------------------------

function draw002(d: Draw, nNoise: number): Omit<Variant, 'seed'> {
  const subnet = d.subnet(drawPrefix(d), [...SEED_SUBNETS]);
  const vipNet: HybridNet = { subnet, tag: drawTag(d, []), zone: drawZone(d, []), dhcp: d.host(subnet) };
  const ofports = drawOfports(d, 2 + nNoise);
  const a = { id: d.uuid(), mac: d.mac(), ip: d.host(subnet), ofport: ofports[0]! };
  // lb-vm1 may hold VIPs of other services already (allowed pairs listed before its fixed IP)
  const aPairs = d.r.chance(0.5) ? [d.host(subnet)] : [];
  const b = { id: d.uuid(), mac: d.mac(), ip: d.host(subnet), ofport: ofports[1]! };
  const vip = d.host(subnet);
  const sg = d.uuid();
  const noise = drawHybridNoise(d, nNoise, vipNet, ofports.slice(2), [...SEED_SUBNETS, subnet], [vipNet.tag], [vipNet.zone]);
  const order = orderOf(d, ['A', 'B'], nNoise);
  const env: Record<string, string> = {
    OSV_A_PORT: a.id, OSV_A_MAC: a.mac, OSV_A_IP: a.ip, OSV_A_OFPORT: String(a.ofport),
    OSV_B_PORT: b.id, OSV_B_MAC: b.mac, OSV_B_IP: b.ip, OSV_B_OFPORT: String(b.ofport),
    OSV_VIP: vip, OSV_DHCP: vipNet.dhcp, OSV_TAG: String(vipNet.tag), OSV_ZONE: String(vipNet.zone), OSV_PREFIX: String(subnet.prefix),
    OSV_SG: sg, OSV_NOISE: hybridNoiseEnv(noise), OSV_ORDER: order, OSV_A_PAIRS: list(aPairs), OSV_COOKIE: drawCookie(d),
  };
  const holder = hybridPort(a.id, a.mac, a.ip, 'holder', aPairs);
  return {
    scenario: '002-neutron-spoof', env, ask: { vip, ports: [dev11(a.id)] }, holder,
    ports: [holder, hybridPort(b.id, b.mac, b.ip, 'peer', []), ...noise.map((x) => hybridPort(x.id, x.mac, x.ip, 'noise', x.pairs, x.onVipNetwork))],
    folders: ['002-neutron-spoof'], seedValues: SEED_VALUES['002-neutron-spoof'],
    summary: `ports ${dev11(a.id)}${aPairs.length ? ` (also holds ${aPairs.join('+')})` : ''}/${dev11(b.id)} ofports ${a.ofport}/${b.ofport}, ${subnet.cidr} tag ${vipNet.tag}, VIP ${vip}, ${nNoise} noise (${noiseText(noise)}), order ${order}`,
  };
}

function noiseText(noise: readonly HybridNoise[]): string {
  return noise.map((x) => `${x.onVipNetwork ? 'same net' : x.net.subnet.cidr}${x.pairs.length ? ` pairs ${x.pairs.join('+')}` : ''}`).join('; ');
}

// ---- 003: LVS-DR director behind the hybrid firewall -------------------------------------------

function draw003(d: Draw, nNoise: number): Omit<Variant, 'seed'> {
  const subnet = d.subnet(drawPrefix(d), [...SEED_SUBNETS]);
  const vipNet: HybridNet = { subnet, tag: drawTag(d, []), zone: drawZone(d, []), dhcp: d.host(subnet) };
  const ofports = drawOfports(d, 3 + nNoise);
  const qrIp = gatewayOf(d, subnet);
  const dir = { id: d.uuid(), mac: d.mac(), ip: d.host(subnet), ofport: ofports[0]! };
  const rs = { id: d.uuid(), mac: d.mac(), ip: d.host(subnet), ofport: ofports[1]! };
  const vip = d.host(subnet);
  // The director may hold further VIPs of other services (allowed pairs listed before the VIP).
  const dPairs = d.r.chance(0.5) ? [d.host(subnet)] : [];
  const client = d.host(d.subnet(d.r.pick([16, 20, 24]), [...SEED_SUBNETS, subnet]));
  const servicePort = d.r.chance(0.5) ? Number(d.fresh(() => String(d.r.pick([80, 443, 3306, 5432, 6443, 8080, 10050, 10052])))) : d.r.int(1025, 60000);
  const noise = drawHybridNoise(d, nNoise, vipNet, ofports.slice(3), [...SEED_SUBNETS, subnet], [vipNet.tag], [vipNet.zone]);
  // A second director (keepalived BACKUP) on the same host may hold the same VIP.
  const backup = noise.find((x) => x.onVipNetwork);
  const withBackup = backup && d.r.chance(0.3) ? noise.map((x) => (x === backup ? { ...x, pairs: [...x.pairs, vip] } : x)) : noise;
  const order = orderOf(d, ['D', 'R'], nNoise);
  const env: Record<string, string> = {
    OSV_D_PORT: dir.id, OSV_D_MAC: dir.mac, OSV_D_IP: dir.ip, OSV_D_OFPORT: String(dir.ofport), OSV_D_PAIRS: dPairs.join('+'),
    OSV_R_PORT: rs.id, OSV_R_MAC: rs.mac, OSV_R_IP: rs.ip, OSV_R_OFPORT: String(rs.ofport),
    OSV_VIP: vip, OSV_DHCP: vipNet.dhcp, OSV_CLIENT: client, OSV_TAG: String(vipNet.tag), OSV_ZONE: String(vipNet.zone), OSV_PREFIX: String(subnet.prefix),
    OSV_SERVICE_PORT: String(servicePort), OSV_CLIENT_PORT: String(d.r.int(32768, 60999)),
    OSV_ROUTER_ID: d.uuid(), OSV_QR_PORT: d.uuid(), OSV_QR_MAC: d.mac(), OSV_QR_IP: qrIp, OSV_QR_OFPORT: String(ofports[2]!),
    OSV_NOISE: hybridNoiseEnv(withBackup), OSV_ORDER: order, OSV_COOKIE: drawCookie(d),
  };
  const holder = hybridPort(dir.id, dir.mac, dir.ip, 'holder', [...dPairs, vip]);
  return {
    scenario: '003-lvs-dr-hybrid', env, ask: { vip, ports: [dev11(dir.id)], client, dport: servicePort }, holder,
    ports: [holder, hybridPort(rs.id, rs.mac, rs.ip, 'peer', [vip]), ...withBackup.map((x) => hybridPort(x.id, x.mac, x.ip, 'noise', x.pairs, x.onVipNetwork))],
    folders: ['003-lvs-dr-hybrid', '003-lvs-dr-hybrid-local-accept'], seedValues: SEED_VALUES['003-lvs-dr-hybrid'],
    summary: `director ${dev11(dir.id)} (ofport ${dir.ofport}${dPairs.length ? `, also holds ${dPairs.join('+')}` : ''}), real server ${dev11(rs.id)}, ${subnet.cidr} gw ${qrIp}, VIP ${vip}:${servicePort}, client ${client}, ${nNoise} noise (${noiseText(withBackup)}), order ${order}`,
  };
}

// ---- 004: DVR (dvr_snat) -------------------------------------------------------------------------

function draw004(d: Draw, nNoise: number): Omit<Variant, 'seed'> {
  const taken = [...SEED_SUBNETS];
  const s1 = d.subnet(drawPrefix(d), taken);
  taken.push(s1);
  const s2 = d.subnet(drawPrefix(d), taken);
  taken.push(s2);
  const ext = d.subnet(d.r.pick([16, 18, 20, 22, 24]), taken);
  const ofports = drawOfports(d, 9 + nNoise, 3);
  const [tag1, tag2, extTag] = d.distinct(3, 1, d.r.chance(0.7) ? 40 : 4094);
  const prefs = d.distinct(1 + nNoise + 1, 32768, 65535);
  // rfp/fpr: a /31 of the link-local pool the agent allocates from (169.254.64.0/18)
  const ll = 0xa9fe4000 + 2 * d.r.int(0, 8191);
  const rfpIp = intToIp(ll);
  const fprIp = intToIp(ll + 1);
  const vm = (net: 1 | 2, i: number): { id: string; mac: string; ip: string; net: 1 | 2; ofport: number } =>
    ({ id: d.uuid(), mac: d.mac(), ip: d.host(net === 1 ? s1 : s2), net, ofport: ofports[6 + i]! });
  const qr1Ip = gatewayOf(d, s1);
  const qr2Ip = gatewayOf(d, s2);
  const extGw = gatewayOf(d, ext);
  const vm1 = vm(1, 0);
  const vm2 = vm(2, 1);
  const vm3 = vm(1, 2);
  const fip = d.host(ext);
  const noise = Array.from({ length: nNoise }, (_, i) => {
    const x = vm(d.r.chance(0.5) ? 1 : 2, 3 + i);
    return { ...x, fip: d.r.chance(0.5) ? d.host(ext) : '-', pref: prefs[1 + i]! };
  });
  const order = orderOf(d, ['V1', 'V2', 'V3'], nNoise);
  const env: Record<string, string> = {
    OSV_ROUTER_ID: d.uuid(), OSV_EXT_NET: d.uuid(), OSV_RFP_IP: rfpIp, OSV_FPR_IP: fprIp, OSV_RFP_MAC: d.mac('3a:63:a4'), OSV_FPR_MAC: d.mac('fa:e7:f9'),
    // the fip namespace's table for traffic from the router: the fpr address as an integer
    OSV_FIP_RT_TBL: String(ipToInt(fprIp)), OSV_FIP_RT_PREF: String(prefs[prefs.length - 1]!),
    OSV_QR1_PORT: d.uuid(), OSV_QR1_MAC: d.mac(), OSV_QR1_IP: qr1Ip, OSV_PREFIX1: String(s1.prefix),
    OSV_QR2_PORT: d.uuid(), OSV_QR2_MAC: d.mac(), OSV_QR2_IP: qr2Ip, OSV_PREFIX2: String(s2.prefix),
    OSV_SG1_PORT: d.uuid(), OSV_SG1_MAC: d.mac(), OSV_SG1_IP: d.host(s1),
    OSV_SG2_PORT: d.uuid(), OSV_SG2_MAC: d.mac(), OSV_SG2_IP: d.host(s2),
    OSV_QG_PORT: d.uuid(), OSV_QG_MAC: d.mac(), OSV_QG_IP: d.host(ext),
    OSV_FG_PORT: d.uuid(), OSV_FG_MAC: d.mac(), OSV_FG_IP: d.host(ext),
    OSV_EXT_GW: extGw, OSV_EXT_GW_MAC: d.mac('52:54:00'), OSV_EXT_PREFIX: String(ext.prefix),
    OSV_VM1_PORT: vm1.id, OSV_VM1_MAC: vm1.mac, OSV_VM1_IP: vm1.ip, OSV_FIP: fip, OSV_FIP_PREF: String(prefs[0]!),
    OSV_VM2_PORT: vm2.id, OSV_VM2_MAC: vm2.mac, OSV_VM2_IP: vm2.ip,
    OSV_VM3_PORT: vm3.id, OSV_VM3_MAC: vm3.mac, OSV_VM3_IP: vm3.ip,
    OSV_QR1_OFPORT: String(ofports[0]!), OSV_QR2_OFPORT: String(ofports[1]!), OSV_SG1_OFPORT: String(ofports[2]!), OSV_FG_OFPORT: String(ofports[3]!),
    OSV_QG_OFPORT: String(ofports[4]!), OSV_SG2_OFPORT: String(ofports[5]!),
    OSV_VM1_OFPORT: String(vm1.ofport), OSV_VM2_OFPORT: String(vm2.ofport), OSV_VM3_OFPORT: String(vm3.ofport),
    OSV_TAG1: String(tag1!), OSV_TAG2: String(tag2!), OSV_EXT_TAG: String(extTag!),
    OSV_DVR_MAC: d.mac('fa:16:3f'), OSV_REMOTE_DVR_MACS: [d.mac('fa:16:3f'), d.mac('fa:16:3f')].join(' '),
    OSV_NOISE: noise.map((x) => [x.id, x.mac, x.ip, x.net, x.ofport, x.fip, x.pref].join(',')).join(' '), OSV_ORDER: order,
    OSV_INT_COOKIE: drawCookie(d), OSV_TUN_COOKIE: drawCookie(d), OSV_EX_COOKIE: drawCookie(d),
  };
  const p = (x: typeof vm1, role: VariantPort['role']): VariantPort =>
    ({ ref: dev11(x.id), device: `tap${dev11(x.id)}`, mac: x.mac, ip: x.ip, pairs: [], onVipNetwork: x.net === 1, role });
  const holder = p(vm1, 'holder');
  return {
    scenario: '004-dvr', env, ask: { vip: vm1.ip, ports: [], fip }, holder,
    ports: [holder, p(vm2, 'peer'), p(vm3, 'peer'), ...noise.map((x) => p(x, 'noise'))],
    folders: ['004-dvr', '004-dvr-stale-fip-rule'], seedValues: SEED_VALUES['004-dvr'],
    summary: `vm1 ${dev11(vm1.id)} ${vm1.ip} (${s1.cidr}, ofport ${vm1.ofport}) FIP ${fip} (${ext.cidr}, rule ${prefs[0]!}), vm2 on ${s2.cidr}, rfp/fpr ${rfpIp}/${fprIp}, tags ${tag1!}/${tag2!}/${extTag!}, ${nNoise} noise (${noise.map((x) => `net ${x.net}${x.fip !== '-' ? ` FIP ${x.fip}` : ''}`).join('; ')}), order ${order}`,
  };
}
