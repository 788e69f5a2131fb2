import type { Finding, VipPacketKind, VipReport } from './VipReport';

/**
 * What a dump editor shows after a VIP diagnosis: one decoration per deciding rule or flow, with
 * a short inline note and a hover that holds the whole story. Pure: the extension maps
 * `host` + `file` to a document (a file under the snapshot folder, or a live host's virtual
 * document) and draws it.
 *
 *   { host: 'compute-zbx-1', file: 'iptables-save_-c', line: 85,
 *     note: 'drops client traffic for 10.1.26.252 forwarded by port 38833ad6-c6: the client's address is not an allowed address pair' }
 */
export interface ReportDecoration {
  /** The finding's host label (VipHost.label of explainVip's input). */
  readonly host: string;
  /** Relative to the snapshot root, as spans name files (`netns/qrouter-1/iptables-save_-c`). */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** The inline note: "drops 10.1.26.252 from port 38833ad6-c6: not an allowed address pair". */
  readonly note: string;
  /** Markdown: every finding this rule decides, its cause, explanation and fix. */
  readonly hover: string;
  /** `unknown` when the walk stopped here undecided (an unsupported match), else `blocked`. */
  readonly outcome: 'blocked' | 'unknown';
  readonly kinds: readonly VipPacketKind[];
}

/** Why, in the few words an inline note has room for, per known cause (knownCauses.ts ids). */
const REASONS: Readonly<Record<string, string>> = {
  'lvs-dr-director': "the client's address is not an allowed address pair",
  'neutron-iptables-spoof': 'not an allowed address pair',
  'ovs-arp-spoof': 'ARP spoofing protection, not an allowed address pair',
  'ovs-mac-spoof': 'MAC spoofing protection, not an allowed address pair',
  'linuxbridge-arp-spoof': 'ARP spoofing protection, not an allowed address pair',
  'linuxbridge-mac-spoof': "MAC spoofing protection, not the port's MAC or an allowed pair's",
  'ovs-firewall-egress': 'OVS firewall port security, not an allowed address pair',
  'vrrp-not-allowed': 'no security group rule allows VRRP (IP protocol 112)',
  'sg-missing-ingress': 'no security group rule lets it in',
  'ovn-remote-group-pair': "a remote-group rule: OVN's address set has the fixed IPs, not the VIP",
  'conntrack-invalid': 'conntrack state INVALID',
  'nova-nwfilter': "libvirt nwfilter anti-spoofing, not the VM's own address",
  'nova-sg-fallback': 'security group fallback',
  'dvr-fip-unbound': 'floating IP on an unbound VIP port (DVR)',
  'stale-policy-rule': 'stale policy routing rule',
};

/** Which finding names the line when several share it: the VIP's own traffic first. */
const PRIMARY_ORDER: readonly VipPacketKind[] = ['vipEgress', 'garp', 'arpReply', 'vipReply', 'vrrp', 'toVip', 'toFip', 'lvsForward'];

/** How the other packets a rule decides are listed after the primary one. */
const ALSO: Readonly<Record<VipPacketKind, string>> = {
  garp: 'GARP', arpReply: 'ARP replies', vrrp: 'VRRP', vipEgress: 'VIP-sourced traffic', vipReply: 'replies',
  toVip: 'inbound traffic', lvsForward: 'LVS-DR forwards', toFip: 'floating-IP traffic',
};

/** Packets whose mention the primary's subject already covers. */
const COVERS: Partial<Record<VipPacketKind, readonly VipPacketKind[]>> = { vipEgress: ['vipReply'], garp: ['arpReply'] };

const MAX_NOTE = 160;

/**
 * One decoration per (host, file, line) that decided a blocked or undecided packet of the report,
 * sorted by host, file and line. Findings without a deciding line (a routing verdict, a packet
 * that never reached its port) get none: there is no rule to point at.
 */
export function reportDecorations(report: VipReport): ReportDecoration[] {
  const groups = new Map<string, Finding[]>();
  for (const f of report.findings) {
    if (f.outcome === 'ok' || !f.decidedBy?.file || f.decidedBy.line === undefined) continue;
    const key = `${f.host}\u0000${f.decidedBy.file}\u0000${f.decidedBy.line}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(f);
  }
  const out: ReportDecoration[] = [];
  for (const list of groups.values()) {
    const sorted = [...list].sort((a, b) => rank(a) - rank(b));
    const primary = sorted[0] as Finding;
    const rule = primary.decidedBy as NonNullable<Finding['decidedBy']>;
    out.push({
      host: primary.host,
      file: rule.file as string,
      line: rule.line as number,
      note: noteFor(report.vip, primary, sorted.slice(1)),
      hover: hoverFor(report.vip, sorted),
      outcome: sorted.some((f) => f.outcome === 'blocked') ? 'blocked' : 'unknown',
      kinds: [...new Set(sorted.map((f) => f.kind))],
    });
  }
  return out.sort((a, b) => a.host.localeCompare(b.host) || a.file.localeCompare(b.file) || a.line - b.line);
}

/** Conditional findings (only if the VM is an LVS-DR director) rank after the VIP's own traffic. */
function rank(f: Finding): number {
  return (f.conditional ? 100 : 0) + (f.outcome === 'blocked' ? 0 : 50) + PRIMARY_ORDER.indexOf(f.kind);
}

/** An IPv6 VIP announces itself with neighbour advertisements, not ARP. */
const v6 = (vip: string): boolean => vip.includes(':');

function subject(vip: string, f: Finding): string {
  const port = `port ${f.port}`;
  switch (f.kind) {
    case 'garp': return `${v6(vip) ? 'unsolicited NA' : 'GARP'} for ${vip} from ${port}`;
    case 'arpReply': return `${v6(vip) ? 'neighbour advertisements' : 'ARP replies'} for ${vip} from ${port}`;
    case 'vrrp': return `VRRP from ${port}`;
    case 'vipEgress': return `${vip} from ${port}`;
    case 'vipReply': return `replies from ${vip} on ${port}`;
    case 'toVip': return `traffic to ${vip} on ${port}`;
    case 'lvsForward': return `client traffic for ${vip} forwarded by ${port}`;
    case 'toFip': return `traffic to the floating IP of ${vip}`;
  }
}

function noteFor(vip: string, primary: Finding, others: readonly Finding[]): string {
  const verb = primary.outcome === 'unknown' ? 'cannot decide' : primary.verdict === 'rejected' ? 'rejects' : 'drops';
  const covered = new Set([primary.kind, ...(COVERS[primary.kind] ?? [])]);
  let head = subject(vip, primary);
  if (primary.kind === 'garp' && others.some((o) => o.kind === 'arpReply')) head = `${v6(vip) ? 'neighbour advertisements' : 'GARP and ARP replies'} for ${vip} from port ${primary.port}`;
  const also = [
    ...new Set(others.filter((o) => !covered.has(o.kind)).map((o) => (v6(vip) && (o.kind === 'garp' || o.kind === 'arpReply') ? 'neighbour advertisements' : ALSO[o.kind]))),
    ...new Set(others.filter((o) => o.port !== primary.port).map((o) => `port ${o.port}`)),
  ];
  const extra = also.length > 0 ? ` (also ${also.join(', ')})` : '';
  const reason = primary.outcome === 'unknown' ? primary.summary.replace(/^could not be decided(?: at [^:]*)?:\s*/, '') : reasonOf(primary).replace(/^ARP spoofing/, v6(vip) ? 'ND spoofing' : 'ARP spoofing');
  const note = `${verb} ${head}${extra}: ${reason}`;
  return note.length > MAX_NOTE ? `${note.slice(0, MAX_NOTE - 1)}…` : note;
}

function reasonOf(f: Finding): string {
  if (f.cause) return REASONS[f.cause.id] ?? f.cause.title;
  return 'no known cause; see the report';
}

function hoverFor(vip: string, findings: readonly Finding[]): string {
  const parts = [`**VIP ${vip}**: this ${findings[0]?.decidedBy?.layer === 'ovs' ? 'flow' : 'rule'} decides ${findings.length === 1 ? 'one packet' : `${findings.length} packets`}`];
  const shown = new Set<string>();
  for (const f of findings) {
    const lines = [`- **${f.title}** ${f.summary}${f.conditional ? ` (${f.conditional})` : ''}`];
    // Several packets dropped for the same cause share one explanation and fix.
    const key = f.cause?.id ?? '';
    if (f.cause && !shown.has(key)) {
      shown.add(key);
      lines.push(`\n  *${f.cause.title}*: ${f.cause.explanation}`);
      const fix = f.fix?.filter((l) => l.trim() !== '');
      if (fix && fix.length > 0) lines.push(`\n  \`\`\`sh\n${fix.map((l) => `  ${l}`).join('\n')}\n  \`\`\``);
    }
    parts.push(lines.join('\n'));
  }
  return parts.join('\n\n');
}
