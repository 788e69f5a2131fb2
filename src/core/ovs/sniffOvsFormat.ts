import type { FormatId } from '../snapshot/FormatId';
import { iterateLines } from '../text/lines';

/**
 * Says which Open vSwitch / OVN dump a text is, from its first lines; the file name only decides
 * when the content cannot (empty, or the command's own error message such as
 * `ovs-dpctl: Invalid argument 'type'`). `undefined` means "not an OVS format".
 * `ovs-appctl bridge/dump-flows` is reported as `ovs-dump-flows`: parseOvsDumpFlows models it
 * (its result says `source: 'bridge/dump-flows'`).
 */
export type OvsFormatId = Extract<
  FormatId,
  'ovs-dump-flows' | 'ovs-ofctl-show' | 'ovs-vsctl-show' | 'ovs-fdb-show' | 'ovs-trace'
  | 'ovs-dpctl-show' | 'ovs-dpctl-flows' | 'ovs-appctl-other' | 'ovn-lflows'
>;

/** First-line patterns, tried in order. */
const FIRST_LINE: readonly (readonly [RegExp, OvsFormatId])[] = [
  [/^(NXST_FLOW|OFPST_FLOW) reply\b/, 'ovs-dump-flows'],
  [/^(OFPT_FEATURES_REPLY|OFPST_PORT_DESC reply)\b/, 'ovs-ofctl-show'],
  [/^\s*port\s+VLAN\s+MAC\s+Age\s*$/, 'ovs-fdb-show'],
  [/^Flow: \S/, 'ovs-trace'],
  [/^[\w-]+@[\w.-]+:$/, 'ovs-dpctl-show'],
  [/^(ufid:[0-9a-f-]+, )?(recirc_id|skb_priority|in_port|tunnel|dp_hash)\(.*actions:/, 'ovs-dpctl-flows'],
  [/^[a-z0-9]+,orig=\(src=/, 'ovs-appctl-other'],
  [/^port \d+: \S+ \([a-z0-9]+: /, 'ovs-appctl-other'],
  [/^Route Table:$/, 'ovs-appctl-other'],
  [/^Datapath: ".*" \([0-9a-f-]+\)\s+Pipeline: /, 'ovn-lflows'],
];

const FLOW_LINE_RE = /^\s*(cookie=0x[0-9a-fA-F]+, |table_id=\d+, |duration=[\d.]+s, |table=\w+, |priority=\d+|actions=)/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const VSCTL_LINE_RE = /^[\s\u00a0]*(Bridge|Port|Interface|Manager|Controller) \S|^[\s\u00a0]*ovs_version: /;
const COMMAND_ERROR_RE = /^(ovs-dpctl|ovs-appctl|ovs-vsctl|ovs-ofctl|ovn-sbctl|ovn-nbctl): /;

/** File-name hints, for content that does not say (`ovs-dpctl_dump-flows_...`). */
const NAME_HINTS: readonly (readonly [RegExp, OvsFormatId])[] = [
  [/dpctl.?dump-flows/, 'ovs-dpctl-flows'],
  [/dpctl.?show/, 'ovs-dpctl-show'],
  // `ovs/route/show` only: iproute2's `ip route show` files must not become OVS dumps when empty.
  [/dpctl.?dump-conntrack|list-tunnels|ovs.?route.?show/, 'ovs-appctl-other'],
  [/dump-flows/, 'ovs-dump-flows'],
  [/ofctl.*(show|dump-ports-desc)/, 'ovs-ofctl-show'],
  [/fdb.?show/, 'ovs-fdb-show'],
  [/ofproto.?trace/, 'ovs-trace'],
  [/vsctl.*show/, 'ovs-vsctl-show'],
  [/lflow-list/, 'ovn-lflows'],
];

export function sniffOvsFormat(text: string, fileName: string): OvsFormatId | undefined {
  const lines: string[] = [];
  for (const line of iterateLines(text.length > 65536 ? text.slice(0, 65536) : text)) {
    if (line.text.trim() === '') continue;
    lines.push(line.text);
    if (lines.length >= 12) break;
  }
  const first = lines[0];
  if (first === undefined || COMMAND_ERROR_RE.test(first)) return byName(fileName);
  for (const [re, id] of FIRST_LINE) if (re.test(first)) return id;
  if (/^Bridge: \S+$/.test(first) && lines[1]?.startsWith('Flow: ')) return 'ovs-trace';
  if (FLOW_LINE_RE.test(first) && /[ ,]actions=/.test(` ${first}`)) return 'ovs-dump-flows';
  const vsctlLines = lines.filter((l) => VSCTL_LINE_RE.test(l)).length;
  if (UUID_RE.test(first.trim()) && vsctlLines > 0) return 'ovs-vsctl-show';
  if (/^[\s\u00a0]*(Bridge|Manager) \S/.test(first) && vsctlLines >= 2) return 'ovs-vsctl-show';
  return undefined;
}

function byName(fileName: string): OvsFormatId | undefined {
  const base = fileName.split(/[\\/]/).pop()?.toLowerCase() ?? '';
  for (const [re, id] of NAME_HINTS) if (re.test(base)) return id;
  return undefined;
}
