import type { ConntrackTable } from '../conntrack/ConntrackModel';
import type { EbtablesRuleset, EbtablesTable } from '../ebtables/EbtablesRuleset';
import type { IpSet } from '../ipset/IpsetModel';
import type { BrctlBridge } from '../iproute/BrctlBridge';
import type { BridgePort } from '../iproute/BridgePort';
import type { FdbEntry } from '../iproute/FdbEntry';
import type { Link } from '../iproute/Link';
import type { Neighbour } from '../iproute/Neighbour';
import type { NetnsEntry } from '../iproute/NetnsEntry';
import type { PolicyRule } from '../iproute/PolicyRule';
import type { Route } from '../iproute/Route';
import type { SysctlEntry } from '../iproute/SysctlEntry';
import type { IptablesRuleset, IptablesTable } from '../iptables/IptablesModel';
import type { NwFilter } from '../nwfilter/NwFilter';
import type { OvsDumpFlows } from '../ovs/parseOvsDumpFlows';
import type { OvsFdbShow } from '../ovs/parseOvsFdbShow';
import { ovsInterfacesOf, type OvsInterface } from '../ovs/ovsInterfacesOf';
import type { OvsOfctlShow } from '../ovs/parseOvsOfctlShow';
import type { OvsTrace } from '../ovs/parseOvsTrace';
import type { OvsVsctlShow } from '../ovs/parseOvsVsctlShow';
import type { Diagnostic } from '../text/Diagnostic';
import { classifyPath } from './classifyPath';
import type { HostSnapshot, NamespaceSnapshot, OvsBridgeSnapshot, SnapshotFile } from './HostSnapshot';
import { parseDump, type ParsedDump } from './parseDump';
import type { HostJson } from './parseHostJson';

export interface SnapshotInput {
  /** Relative to the snapshot root, '/'-separated. */
  readonly path: string;
  readonly text: string;
}

/** A candidate for one piece of state, with how complete its form is (higher wins). */
interface Candidate<T> {
  readonly value: T;
  readonly rank: number;
  readonly file: string;
}

interface NsAcc {
  links: Candidate<Link[]>[];
  routes: Map<string, Candidate<Route[]>[]>;
  rules: Map<string, Candidate<PolicyRule[]>[]>;
  neighbours: Neighbour[];
  iptables: Map<string, Candidate<{ ruleset: IptablesRuleset; table: IptablesTable }>[]>;
  ipsets: Candidate<readonly IpSet[]>[];
  conntrack?: ConntrackTable;
  sysctls: SysctlEntry[];
  bridgePorts: Candidate<BridgePort[]>[];
  fdb: Candidate<FdbEntry[]>[];
  netns: Candidate<NetnsEntry[]>[];
  files: string[];
}

/** How complete each iptables form is: `-c` counters beat none; `-L` loses interfaces and more. */
function iptablesRank(rs: IptablesRuleset, t: IptablesTable): number {
  const counted = t.chains.some((c) => c.rules.some((r) => r.counters !== undefined)) ? 1 : 0;
  return { 'iptables-save': 40, 'iptables-S': 30, 'iptables-L': 10 }[rs.format] + counted;
}

function ebtablesRank(rs: EbtablesRuleset, t: EbtablesTable): number {
  const counted = t.chains.some((c) => c.rules.some((r) => r.counters !== undefined)) ? 1 : 0;
  return (rs.format === 'ebtables-save' ? 20 : 10) + counted;
}

function best<T>(cands: readonly Candidate<T>[]): Candidate<T> | undefined {
  let b: Candidate<T> | undefined;
  for (const c of cands) if (!b || c.rank > b.rank) b = c;
  return b;
}

/**
 * Builds one HostSnapshot from a set of dump files. Each file's format comes from its content, its
 * namespace and OVS bridge from its path (see classifyPath). Where the same state exists in
 * several forms, the most complete one is used per namespace, family and table, and every file
 * says whether it was used and why not.
 */
export function buildHostSnapshot(inputs: readonly SnapshotInput[], source: HostSnapshot['source']): HostSnapshot {
  const diagnostics: Diagnostic[] = [];
  const fileNotes = new Map<string, { format?: ParsedDump['format']; netns: string; bridge?: string; errors: number; warnings: number; note?: string; failed?: boolean }>();
  // Files whose whole content goes into the model whatever else the folder holds (neighbour tables, empty `ip -j` output).
  const takenWhole = new Set<string>();
  const namespaces = new Map<string, NsAcc>();
  const ns = (name: string): NsAcc => {
    let a = namespaces.get(name);
    if (!a) {
      a = { links: [], routes: new Map(), rules: new Map(), neighbours: [], iptables: new Map(), ipsets: [], sysctls: [], bridgePorts: [], fdb: [], netns: [], files: [] };
      namespaces.set(name, a);
    }
    return a;
  };
  ns('');
  const ebCands = new Map<string, Candidate<{ ruleset: EbtablesRuleset; table: EbtablesTable }>[]>();
  const bridges = new Map<string, { flows: Candidate<OvsDumpFlows>[]; show: Candidate<OvsOfctlShow>[]; fdb?: OvsFdbShow }>();
  const bridge = (name: string): { flows: Candidate<OvsDumpFlows>[]; show: Candidate<OvsOfctlShow>[]; fdb?: OvsFdbShow } => {
    let b = bridges.get(name);
    if (!b) bridges.set(name, (b = { flows: [], show: [] }));
    return b;
  };
  let vsctl: OvsVsctlShow | undefined;
  const ovsInterfaces: Candidate<OvsInterface[]>[] = [];
  const nwfilters: NwFilter[] = [];
  const brctl: BrctlBridge[] = [];
  const traces: { file: string; trace: OvsTrace }[] = [];
  let hostJson: HostJson | undefined;

  // host.json first: it says which commands failed and names bridges and namespaces exactly.
  const hostJsonInput = inputs.find((i) => /(^|\/)host\.json$/.test(i.path));
  if (hostJsonInput) {
    const r = parseDump(hostJsonInput.text, hostJsonInput.path, 'host-json');
    diagnostics.push(...r.diagnostics);
    if (r.parsed?.format === 'host-json') hostJson = r.parsed.value;
  }
  const commandByFile = new Map((hostJson?.commands ?? []).map((c) => [c.file, c]));

  for (const input of inputs) {
    if (input === hostJsonInput || /\.stderr$/.test(input.path)) continue;
    const hints = classifyPath(input.path);
    const cmd = commandByFile.get(input.path);
    const netns = cmd?.netns ?? hints.netns;
    const bridgeName = cmd?.bridge ?? hints.bridge;
    const note: { format?: ParsedDump['format']; netns: string; bridge?: string; errors: number; warnings: number; note?: string; failed?: boolean } = { netns, errors: 0, warnings: 0 };
    if (bridgeName) note.bridge = bridgeName;
    fileNotes.set(input.path, note);
    if (cmd && cmd.exitCode !== 0) {
      note.failed = true;
      note.note = `command failed (exit ${cmd.exitCode})${cmd.stderr ? `: ${cmd.stderr.trim().split('\n')[0]}` : ''}`;
      diagnostics.push({ severity: 'warning', file: input.path, line: 1, column: 1, message: `${cmd.argv.join(' ')}: ${note.note}; this section is missing from the snapshot` });
      continue;
    }
    const r = parseDump(input.text, input.path);
    diagnostics.push(...r.diagnostics);
    note.errors = r.diagnostics.filter((d) => d.severity === 'error').length;
    note.warnings = r.diagnostics.filter((d) => d.severity === 'warning').length;
    if (!r.parsed) continue;
    note.format = r.parsed.format;
    const a = ns(netns);
    a.files.push(input.path);
    const p = r.parsed;
    const file = input.path;
    switch (p.format) {
      case 'iptables-save':
      case 'iptables-S':
      case 'iptables-L': {
        const family = hints.family === 6 ? 6 : p.value.family;
        for (const t of p.value.tables) {
          const key = `${family}/${t.name}`;
          let list = a.iptables.get(key);
          if (!list) a.iptables.set(key, (list = []));
          list.push({ value: { ruleset: { ...p.value, family }, table: t }, rank: iptablesRank(p.value, t), file });
        }
        break;
      }
      case 'ebtables-L':
      case 'ebtables-save':
        for (const t of p.value.tables) {
          let list = ebCands.get(t.name);
          if (!list) ebCands.set(t.name, (list = []));
          list.push({ value: { ruleset: p.value, table: t }, rank: ebtablesRank(p.value, t), file });
        }
        break;
      case 'ipset-save':
      case 'ipset-list':
        a.ipsets.push({ value: p.value.sets, rank: p.format === 'ipset-save' ? 2 : 1, file });
        break;
      case 'conntrack-L':
        a.conntrack = p.value;
        break;
      case 'nwfilter-xml':
        nwfilters.push(...p.value);
        break;
      case 'ovs-dump-flows': {
        if (!bridgeName) {
          diagnostics.push({ severity: 'warning', file, line: 1, column: 1, message: 'dump-flows output does not name its bridge and the file name does not either (name it ovs-ofctl_dump-flows_BRIDGE); flows not attached to a bridge' });
          note.note = 'bridge unknown';
          break;
        }
        // ovs-ofctl's view first (bridge/dump-flows adds hidden in-band flows and counts differ),
        // then the fuller dump, then the newer OpenFlow version.
        const v = Number(p.value.header?.openflowVersion ?? '1.0');
        bridge(bridgeName).flows.push({ value: p.value, rank: (p.value.source === 'ovs-ofctl' ? 1e9 : 0) + p.value.flows.length * 10 + v, file });
        break;
      }
      case 'ovs-ofctl-show':
        if (bridgeName) bridge(bridgeName).show.push({ value: p.value, rank: p.value.kind === 'show' ? 2 : 1, file });
        break;
      case 'ovs-fdb-show':
        if (bridgeName) bridge(bridgeName).fdb = p.value;
        break;
      case 'ovs-vsctl-show':
        vsctl = p.value;
        break;
      case 'ovs-vsctl-list': {
        // Only the Interface table is modelled; the fuller listing (more columns) wins.
        const rows = ovsInterfacesOf(p.value);
        if (rows) ovsInterfaces.push({ value: rows, rank: p.value.headings.length, file });
        else note.note = 'not the Interface table; recognised, not modelled';
        break;
      }
      case 'ovs-trace':
        traces.push({ file, trace: p.value });
        break;
      case 'ip-json':
        switch (p.value.kind) {
          case 'links': a.links.push({ value: p.value.links, rank: 3, file }); break;
          case 'routes': addByFamily(a.routes, p.value.routes, 3, file); break;
          case 'rules': addByFamily(a.rules, p.value.rules, 3, file); break;
          case 'neighbours': a.neighbours.push(...p.value.neighbours); takenWhole.add(file); break;
          case 'netns': a.netns.push({ value: p.value.namespaces, rank: 2, file }); break;
          case 'bridge-ports': a.bridgePorts.push({ value: p.value.ports, rank: 2, file }); break;
          case 'fdb': a.fdb.push({ value: p.value.entries, rank: 2, file }); break;
          case 'bridge-vlans': break;
          // `[]` (an empty neighbour table, no rules): read, and nothing in it to set aside.
          case 'empty': takenWhole.add(file); break;
        }
        break;
      case 'ip-addr': a.links.push({ value: p.value, rank: 2, file }); break;
      case 'ip-link': a.links.push({ value: p.value, rank: 1, file }); break;
      case 'ip-route': addByFamily(a.routes, p.value, 2, file); break;
      case 'route-n': addByFamily(a.routes, p.value, 0, file); break;
      case 'ip-rule': addByFamily(a.rules, p.value, 2, file); break;
      case 'ip-neigh': a.neighbours.push(...p.value); break;
      case 'ip-netns': a.netns.push({ value: p.value, rank: 1, file }); break;
      case 'bridge-link': a.bridgePorts.push({ value: p.value, rank: 1, file }); break;
      case 'bridge-fdb': a.fdb.push({ value: p.value, rank: 1, file }); break;
      case 'brctl-show': brctl.push(...p.value); break;
      case 'sysctl': a.sysctls.push(...p.value); break;
      case 'bridge-vlan':
      case 'conntrack-S':
      case 'ovs-dpctl-show':
      case 'ovs-dpctl-flows':
      case 'ovs-appctl-other':
      case 'ovn-lflows':
      case 'host-json':
        break;
    }
  }

  const used = new Set<string>();
  const useFile = (c: { file: string } | undefined): void => {
    if (c) used.add(c.file);
  };

  const nsList: NamespaceSnapshot[] = [];
  const netnsIds = new Map<string, number>();
  for (const c of namespaces.get('')?.netns ?? []) for (const e of c.value) if (e.id !== undefined) netnsIds.set(e.name, e.id);
  for (const [name, a] of [...namespaces.entries()].sort(([x], [y]) => (x === '' ? -1 : y === '' ? 1 : x.localeCompare(y)))) {
    const out: { -readonly [K in keyof NamespaceSnapshot]: NamespaceSnapshot[K] } = {
      name,
      links: mergeLinks(a.links, useFile),
      neighbours: a.neighbours,
      sysctls: a.sysctls,
      bridgePorts: best(a.bridgePorts)?.value ?? [],
    };
    useFile(best(a.bridgePorts));
    const id = netnsIds.get(name);
    if (id !== undefined) out.id = id;
    const routes = pickPerFamily(a.routes, useFile);
    if (routes) out.routes = routes;
    const rules = pickPerFamily(a.rules, useFile);
    if (rules) out.rules = rules;
    const v4 = assembleIptables(a.iptables, 4, useFile);
    if (v4) out.iptables = v4;
    const v6 = assembleIptables(a.iptables, 6, useFile);
    if (v6) out.ip6tables = v6;
    const sets = best(a.ipsets);
    if (sets) { out.ipsets = sets.value; useFile(sets); }
    if (a.conntrack) out.conntrack = a.conntrack;
    const fdb = best(a.fdb);
    if (fdb) { out.bridgeFdb = fdb.value; useFile(fdb); }
    const nl = best(a.netns);
    if (nl) { out.netnsList = nl.value; useFile(nl); }
    for (const f of a.files) {
      const n = fileNotes.get(f);
      if ((n && (n.format === 'sysctl' || n.format === 'ip-neigh' || n.format === 'conntrack-L')) || takenWhole.has(f)) used.add(f);
    }
    nsList.push(out);
  }

  let ebtables: EbtablesRuleset | undefined;
  if (ebCands.size > 0) {
    const tables: EbtablesTable[] = [];
    let base: EbtablesRuleset | undefined;
    for (const list of ebCands.values()) {
      const b = best(list);
      if (!b) continue;
      tables.push(b.value.table);
      base ??= b.value.ruleset;
      useFile(b);
    }
    if (base) ebtables = { ...base, tables };
  }

  const names = new Set<string>([...bridges.keys(), ...(vsctl?.bridges.map((b) => b.name) ?? [])]);
  const ovsBridges: OvsBridgeSnapshot[] = [...names].sort().map((name) => {
    const acc = bridges.get(name);
    const out: { -readonly [K in keyof OvsBridgeSnapshot]: OvsBridgeSnapshot[K] } = { name };
    const vb = vsctl?.bridges.find((b) => b.name === name);
    if (vb) out.vsctl = vb;
    const flows = acc ? best(acc.flows) : undefined;
    if (flows) { out.flows = flows.value; useFile(flows); }
    const show = acc ? best(acc.show) : undefined;
    if (show) { out.show = show.value; useFile(show); }
    if (acc?.fdb) out.fdb = acc.fdb;
    return out;
  });

  const interfaces = best(ovsInterfaces);
  useFile(interfaces);

  const files: SnapshotFile[] = [];
  for (const [path, n] of fileNotes) {
    const always = n.format === 'ovs-vsctl-show' || n.format === 'nwfilter-xml' || n.format === 'brctl-show' || n.format === 'ovs-trace' || n.format === 'ovs-fdb-show' || n.format === 'ip-neigh' || n.format === 'sysctl' || n.format === 'conntrack-L';
    const isUsed = !n.failed && n.format !== undefined && (always || used.has(path));
    const f: { -readonly [K in keyof SnapshotFile]: SnapshotFile[K] } = { path, netns: n.netns, used: isUsed, errors: n.errors, warnings: n.warnings };
    if (n.format) f.format = n.format;
    if (n.bridge) f.bridge = n.bridge;
    if (n.note) f.note = n.note;
    else if (!isUsed && n.format && !['conntrack-S', 'ovs-dpctl-show', 'ovs-dpctl-flows', 'ovs-appctl-other', 'ovn-lflows', 'bridge-vlan'].includes(n.format)) f.note = 'a more complete form of the same state was used';
    else if (!isUsed && n.format) f.note = 'recognised, not modelled';
    files.push(f);
  }
  files.sort((x, y) => x.path.localeCompare(y.path));

  const snapshot: { -readonly [K in keyof HostSnapshot]: HostSnapshot[K] } = {
    source,
    namespaces: nsList,
    ovsBridges,
    nwfilters,
    brctl,
    traces,
    files,
    diagnostics,
  };
  if (hostJson?.hostname) snapshot.hostname = hostJson.hostname;
  if (hostJson?.collectedAt) snapshot.collectedAt = hostJson.collectedAt;
  if (hostJson) snapshot.collection = hostJson;
  if (ebtables) snapshot.ebtables = ebtables;
  if (vsctl) snapshot.ovs = vsctl;
  if (interfaces) snapshot.ovsInterfaces = interfaces.value;
  return snapshot;
}

function addByFamily<T extends { family: number }>(map: Map<string, Candidate<T[]>[]>, items: T[], rank: number, file: string): void {
  const byFamily = new Map<string, T[]>();
  for (const it of items) {
    const k = String(it.family);
    let l = byFamily.get(k);
    if (!l) byFamily.set(k, (l = []));
    l.push(it);
  }
  for (const [k, l] of byFamily) {
    let list = map.get(k);
    if (!list) map.set(k, (list = []));
    // More entries means a fuller form (`show table all` over `ip route`), then the richer format.
    list.push({ value: l, rank: l.length * 10 + rank, file });
  }
}

function pickPerFamily<T>(map: Map<string, Candidate<T[]>[]>, useFile: (c: { file: string } | undefined) => void): T[] | undefined {
  if (map.size === 0) return undefined;
  const out: T[] = [];
  for (const list of map.values()) {
    const b = best(list);
    if (b) { out.push(...b.value); useFile(b); }
  }
  return out;
}

function assembleIptables(map: Map<string, Candidate<{ ruleset: IptablesRuleset; table: IptablesTable }>[]>, family: 4 | 6, useFile: (c: { file: string } | undefined) => void): IptablesRuleset | undefined {
  const tables: IptablesTable[] = [];
  let base: IptablesRuleset | undefined;
  let lossy = false;
  for (const [key, list] of map) {
    if (!key.startsWith(`${family}/`)) continue;
    const b = best(list);
    if (!b) continue;
    tables.push(b.value.table);
    if (!base || b.rank > 20) base = b.value.ruleset;
    lossy ||= b.value.ruleset.lossy;
    useFile(b);
  }
  if (!base) return undefined;
  return { ...base, family, tables, lossy };
}

/**
 * Links come from `ip -j link`, `ip addr` and `ip -d link` alike; each adds what it knows
 * (kinds and peers from `-d`, addresses from `addr`). The richest form is the base.
 */
function mergeLinks(cands: readonly Candidate<Link[]>[], useFile: (c: { file: string } | undefined) => void): Link[] {
  if (cands.length === 0) return [];
  const sorted = [...cands].sort((a, b) => b.rank - a.rank);
  const byName = new Map<string, Link>();
  for (const c of sorted) {
    useFile(c);
    for (const l of c.value) {
      const prev = byName.get(l.name);
      if (!prev) { byName.set(l.name, l); continue; }
      const merged: Record<string, unknown> = { ...l, ...prev };
      for (const [k, v] of Object.entries(prev)) if (v === undefined) merged[k] = (l as unknown as Record<string, unknown>)[k];
      if (prev.addresses.length === 0 && l.addresses.length > 0) merged['addresses'] = l.addresses;
      byName.set(l.name, merged as unknown as Link);
    }
  }
  return [...byName.values()];
}
