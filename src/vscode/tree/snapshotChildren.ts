import * as vscode from 'vscode';
import { formatMac } from '../../core/net/MacAddress';
import { decodeOpenStackPorts } from '../../core/openstack/decodeOpenStackPorts';
import { decodeChainName } from '../../core/openstack/decodeChainName';
import { bridgeRoleOf, neutronTableMeanings } from '../../core/openstack/neutronOvsTables';
import type { IptablesRuleset } from '../../core/iptables/IptablesModel';
import type { NamespaceSnapshot, OvsBridgeSnapshot } from '../../core/snapshot/HostSnapshot';
import type { OpenSnapshot } from '../SnapshotStore';
import { collectionProblemNodes } from './collectionProblemNodes';
import { branch, counters, leaf, pagedBranch, type TreeNode } from './TreeNode';

/**
 * What is under a host in the sidebar: for a live host, what failed in its collection first; its OpenStack ports, namespaces (links, routes, rules,
 * iptables), Linux bridges, OVS bridges (ports, flow tables, flows), ebtables and nwfilters, and the
 * files it was read from with their diagnostics. Each group is built only when expanded.
 */
export function snapshotChildren(s: OpenSnapshot): TreeNode[] {
  const snap = s.snapshot;
  const nodes: TreeNode[] = collectionProblemNodes(s);
  nodes.push(branch({ label: 'OpenStack ports', icon: 'plug' }, () => portNodes(s)));
  nodes.push(branch({ label: 'Namespaces', icon: 'symbol-namespace', description: String(snap.namespaces.length) }, () => snap.namespaces.map((ns) => namespaceNode(s, ns))));
  const bridges = snap.namespaces.flatMap((ns) => ns.links.filter((l) => l.kind === 'bridge').map((l) => ({ ns, l })));
  if (bridges.length > 0) {
    nodes.push(branch({ label: 'Linux bridges', icon: 'type-hierarchy', description: String(bridges.length) }, () => bridges.map(({ ns, l }) => {
      const ports = ns.links.filter((p) => p.master === l.name);
      return branch({ label: l.name, description: `${count(ports.length, 'port')}${ns.name ? ` · ${ns.name}` : ''}`, icon: 'type-hierarchy', root: s.root, span: l.span },
        () => ports.map((p) => leaf({ label: p.name, description: p.kind ?? '', icon: 'plug', root: s.root, span: p.span })));
    })));
  }
  if (snap.ovsBridges.length > 0) {
    nodes.push(branch({ label: 'OVS', icon: 'server-process', description: `${count(snap.ovsBridges.length, 'bridge')}` }, () => snap.ovsBridges.map((b) => ovsBridgeNode(s, b))));
  }
  if (snap.ebtables) {
    const eb = snap.ebtables;
    nodes.push(branch({ label: 'ebtables', icon: 'shield', description: eb.format }, () => eb.tables.map((t) =>
      branch({ label: t.name, icon: 'table', description: `${count(t.chains.length, 'chain')}`, root: s.root, span: t.span }, () => t.chains.map((c) =>
        pagedBranch({ label: c.name, icon: 'symbol-event', description: `${count(c.rules.length, 'rule')} · policy ${c.policy}`, root: s.root, span: c.span, ...chainTooltip(c.name) },
          () => c.rules, (r) => leaf({ label: r.raw.trim(), description: counters(r.counters), icon: ruleIcon(r.target.name), root: s.root, span: r.span }), 'rules'))))));
  }
  if (snap.nwfilters.length > 0) {
    nodes.push(branch({ label: 'libvirt nwfilters', icon: 'filter', description: String(snap.nwfilters.length) }, () => snap.nwfilters.map((f) =>
      leaf({ label: f.name, description: `${count(f.rules.length, 'rule')}, ${count(f.filterrefs.length, 'ref')}`, icon: 'filter', root: s.root, span: f.span }))));
  }
  const problems = snap.diagnostics.filter((d) => d.severity !== 'info');
  nodes.push(branch({ label: 'Files', icon: 'files', description: `${snap.files.length}${problems.length ? ` · ${count(problems.length, 'problem')}` : ''}` }, () => snap.files.map((f) =>
    leaf({ label: f.path, description: `${f.format ?? 'not recognised'}${f.used ? '' : ` · not used: ${f.note ?? ''}`}${f.errors ? ` · ${f.errors} errors` : ''}`,
      icon: f.errors ? 'error' : f.used ? 'file' : 'circle-slash', root: s.root, span: { file: f.path, line: 1, column: 1, endLine: 1, endColumn: 1, offset: 0, endOffset: 0 } }))));
  return nodes;
}

function portNodes(s: OpenSnapshot): TreeNode[] {
  return decodeOpenStackPorts(s.snapshot).map((p) => {
    const tip = new vscode.MarkdownString(`**Port ${p.id}** (${p.kind})\n\n- VM device: \`${p.vmDevice}\`\n- devices: ${p.devices.map((d) => `\`${d}\``).join(', ')}\n- firewall: ${p.firewall}\n- MAC: ${p.macs.map(formatMac).join(', ') || '?'}${p.ovs ? `\n- OVS: ${p.ovs.bridge} port ${p.ovs.port} (ofport ${p.ovs.ofport ?? '?'})` : ''}`);
    const ips = [...new Set(p.allowedSources.flatMap((a) => (a.cidr ? [a.cidr.text] : [])))];
    return branch({ label: p.id, description: `${p.vmDevice} · ${ips.slice(0, 3).join(', ')}`, tooltip: tip, icon: 'vm', contextValue: 'osnet.port' }, () => [
      ...p.allowedSources.map((a) => leaf({ label: `${a.layer}: ${a.cidr?.text ?? ''}${a.mac !== undefined ? ` ${formatMac(a.mac)}` : ''}`, description: a.span.file, icon: 'pass', root: s.root, span: a.span })),
      ...Object.entries(p.chains).flatMap(([k, v]) => (typeof v === 'string' ? [leaf({ label: v, description: k, icon: 'symbol-event' })] : [])),
    ], false, { hostId: s.id, port: { id: p.id, device: p.vmDevice } });
  });
}

function namespaceNode(s: OpenSnapshot, ns: NamespaceSnapshot): TreeNode {
  const label = ns.name || '(root namespace)';
  return branch({ label, icon: 'symbol-namespace', description: `${count(ns.links.length, 'link')}${ns.iptables ? ' · iptables' : ''}` }, () => {
    const out: TreeNode[] = [];
    out.push(branch({ label: 'Interfaces', icon: 'plug', description: String(ns.links.length) }, () => ns.links.map((l) =>
      leaf({ label: l.name, description: [l.kind, l.master ? `master ${l.master}` : '', l.addresses.map((a) => a.cidr.text).join(' ')].filter(Boolean).join(' · '), icon: 'plug', root: s.root, span: l.span }))));
    if (ns.routes) {
      const routes = ns.routes;
      out.push(pagedBranch({ label: 'Routes', icon: 'arrow-right', description: String(routes.length) }, () => routes, (r) => leaf({ label: r.raw.trim(), description: `table ${r.table}`, icon: 'arrow-right', root: s.root, span: r.span }), 'routes'));
    }
    if (ns.rules) {
      const rules = ns.rules;
      out.push(pagedBranch({ label: 'Policy rules', icon: 'list-ordered', description: String(rules.length) }, () => rules, (r) => leaf({ label: r.raw.trim(), icon: 'list-ordered', root: s.root, span: r.span }), 'rules'));
    }
    if (ns.iptables) out.push(iptablesNode(s, ns.iptables, 'iptables'));
    if (ns.ip6tables) out.push(iptablesNode(s, ns.ip6tables, 'ip6tables'));
    return out;
  });
}

function iptablesNode(s: OpenSnapshot, rs: IptablesRuleset, label: string): TreeNode {
  return branch({ label, icon: 'shield', description: `${rs.format}${rs.lossy ? ' (lossy)' : ''}` }, () => rs.tables.map((t) =>
    branch({ label: t.name, icon: 'table', description: `${count(t.chains.length, 'chain')}`, root: s.root, span: t.span }, () => t.chains.map((c) =>
      pagedBranch({ label: c.name, icon: 'symbol-event', description: `${count(c.rules.length, 'rule')}${c.policy ? ` · policy ${c.policy}` : ''}${c.builtin && c.counters ? ` · ${counters(c.counters)}` : ''}`, root: s.root, span: c.span, contextValue: 'osnet.chain', ...chainTooltip(c.name) },
        () => c.rules, (r) => leaf({ label: r.raw.trim(), description: counters(r.counters), icon: ruleIcon(r.target?.name), root: s.root, span: r.span, ...(r.comment !== undefined ? { tooltip: r.comment } : {}) }), 'rules')))));
}

function ovsBridgeNode(s: OpenSnapshot, b: OvsBridgeSnapshot): TreeNode {
  const flows = b.flows?.flows ?? [];
  // One pass over the flows (50,000 on a big br-int), not one filter per table.
  const byTable = new Map<number, (typeof flows)[number][]>();
  for (const f of flows) {
    let l = byTable.get(f.table);
    if (!l) byTable.set(f.table, (l = []));
    l.push(f);
  }
  const tables = [...byTable.keys()].sort((x, y) => x - y);
  const role = bridgeRoleOf(b.name, tables);
  const meaning = (t: number): string | undefined => {
    const m = role ? neutronTableMeanings(t, role)[0]?.table : undefined;
    return m ? `${m.name}: ${m.meaning}` : undefined;
  };
  return branch({ label: b.name, icon: 'server-process', description: `${count(flows.length, 'flow')} · ${count(b.show?.ports.length ?? b.vsctl?.ports.length ?? 0, 'port')}` }, () => [
    branch({ label: 'Ports', icon: 'plug' }, () => (b.show?.ports ?? []).map((p) => leaf({ label: `${p.ofportText}: ${p.name}`, description: p.mac !== undefined ? formatMac(p.mac) : '', icon: 'plug', root: s.root, span: p.span }))),
    ...tables.map((t) => {
      const inTable = byTable.get(t) ?? [];
      const m = meaning(t);
      return pagedBranch({ label: `table ${t}`, icon: 'table', description: `${count(inTable.length, 'flow')}${m ? ` · ${m.split(':')[0]}` : ''}`, ...(m !== undefined ? { tooltip: m } : {}) },
        () => inTable, (f) => leaf({ label: `${f.priority} ${f.match.raw.replace(/^priority=\d+,?/, '') || '*'}`, description: `${f.actionsText}${f.nPackets !== undefined ? ` · ${f.nPackets} pkts` : ''}`, icon: /drop/.test(f.actionsText) || f.actionsText === '' ? 'circle-slash' : 'arrow-right', root: s.root, span: f.span, tooltip: f.raw }), 'flows');
    }),
  ]);
}

/** What an OpenStack chain name means (neutron-linuxbri-s…, neutronARP-tap…, I-vnet0-arp-ip), as the chain's tooltip. */
function chainTooltip(name: string): { tooltip?: string } {
  const d = decodeChainName(name);
  return d ? { tooltip: `${d.meaning} (${d.owner})` } : {};
}

function ruleIcon(target: string | undefined): string {
  switch (target) {
    case 'DROP': return 'circle-slash';
    case 'REJECT': return 'error';
    case 'ACCEPT': return 'pass';
    case 'RETURN': return 'reply';
    case undefined: return 'dash';
    default: return 'arrow-right';
  }
}

export function describeSnapshot(s: OpenSnapshot): string {
  const ports = decodeOpenStackPorts(s.snapshot).length;
  const flows = s.snapshot.ovsBridges.reduce((n, b) => n + (b.flows?.flows.length ?? 0), 0);
  return `${s.snapshot.namespaces.length} ns · ${count(ports, 'port')} · ${count(flows, 'flow')}`;
}

/** `1 rule`, `2 rules`: tree descriptions read as text. */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
