import type { ParsedDump } from './parseDump';

/** Counts shown by `osnet parse` and the tree: what a dump holds, in the operator's words. */
export function summarizeDump(p: ParsedDump): Record<string, number> {
  switch (p.format) {
    case 'iptables-save':
    case 'iptables-S':
    case 'iptables-L': {
      const chains = p.value.tables.reduce((n, t) => n + t.chains.length, 0);
      const rules = p.value.tables.reduce((n, t) => n + t.chains.reduce((m, c) => m + c.rules.length, 0), 0);
      return { tables: p.value.tables.length, chains, rules };
    }
    case 'ebtables-L':
    case 'ebtables-save': {
      const chains = p.value.tables.reduce((n, t) => n + t.chains.length, 0);
      const rules = p.value.tables.reduce((n, t) => n + t.chains.reduce((m, c) => m + c.rules.length, 0), 0);
      return { tables: p.value.tables.length, chains, rules };
    }
    case 'ipset-save':
    case 'ipset-list':
      return { sets: p.value.sets.length, members: p.value.sets.reduce((n, s) => n + s.members.length, 0) };
    case 'conntrack-L': return { connections: p.value.entries.length };
    case 'conntrack-S': return { cpus: p.value.cpus.length };
    case 'nwfilter-xml': return { filters: p.value.length, rules: p.value.reduce((n, f) => n + f.rules.length, 0) };
    case 'ovs-dump-flows': return { tables: new Set(p.value.flows.map((f) => f.table)).size, flows: p.value.flows.length };
    case 'ovs-ofctl-show': return { ports: p.value.ports.length };
    case 'ovs-vsctl-show': return { bridges: p.value.bridges.length, ports: p.value.bridges.reduce((n, b) => n + b.ports.length, 0) };
    case 'ovs-fdb-show': return { entries: p.value.entries.length };
    case 'ovs-vsctl-list': return { records: p.value.records.length };
    case 'ovs-trace': return { steps: p.value.steps.length };
    case 'ovs-dpctl-show':
    case 'ovs-dpctl-flows':
    case 'ovs-appctl-other':
    case 'ovn-lflows': return { entries: p.value.entries };
    case 'ip-json': {
      const v = p.value;
      switch (v.kind) {
        case 'links': return { links: v.links.length, addresses: v.links.reduce((n, l) => n + l.addresses.length, 0) };
        case 'routes': return { routes: v.routes.length };
        case 'rules': return { rules: v.rules.length };
        case 'neighbours': return { neighbours: v.neighbours.length };
        case 'netns': return { namespaces: v.namespaces.length };
        case 'bridge-ports': return { ports: v.ports.length };
        case 'fdb': return { entries: v.entries.length };
        case 'bridge-vlans': return { vlans: v.vlans.length };
        case 'empty': return {};
      }
      return {};
    }
    case 'ip-addr':
    case 'ip-link': return { links: p.value.length, addresses: p.value.reduce((n, l) => n + l.addresses.length, 0) };
    case 'ip-route':
    case 'route-n': return { routes: p.value.length };
    case 'ip-rule': return { rules: p.value.length };
    case 'ip-netns': return { namespaces: p.value.length };
    case 'ip-neigh': return { neighbours: p.value.length };
    case 'bridge-link': return { ports: p.value.length };
    case 'bridge-fdb': return { entries: p.value.length };
    case 'bridge-vlan': return { vlans: p.value.length };
    case 'brctl-show': return { bridges: p.value.length, interfaces: p.value.reduce((n, b) => n + b.interfaces.length, 0) };
    case 'sysctl': return { settings: p.value.length };
    case 'host-json': return { commands: p.value.commands.length };
  }
}
