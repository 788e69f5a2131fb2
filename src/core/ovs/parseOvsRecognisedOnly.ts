import { DiagnosticSink, type ParseOptions, type ParseResult } from '../text/Diagnostic';
import { iterateLines, looksBinary } from '../text/lines';

/**
 * Formats the tool identifies but does not model: it counts their entries and says so with one
 * info diagnostic, so a snapshot can show "ovs-appctl dpctl/dump-conntrack: 1437 entries" without
 * pretending to understand them. Never reports errors on real output; a file that holds the
 * command's own error message instead of output (`ovs-dpctl: Invalid argument ...`) gets a warning.
 *   ovs-dpctl show / dpctl/show:    `system@ovs-system:` then `  port 3: br-ex (internal)`
 *   ovs-dpctl dump-flows:           `ufid:..., recirc_id(0),...,in_port(ens7),... actions:drop`
 *   dpctl/dump-conntrack:           `tcp,orig=(src=10.0.0.111,dst=...),reply=(...),...`
 *   ofproto/list-tunnels:           `port 7: vxlan-0a000072 (vxlan: 10.0.0.128->10.0.0.114, key=flow, ...)`
 *   ovs/route/show:                 `Route Table:` / `Cached: 10.0.0.0/24 dev br-ens3 SRC 10.0.0.128`
 *   ovn-sbctl lflow-list:           `Datapath: "..." (uuid)  Pipeline: ingress` / `  table=0 (ls_in_...), priority=110, match=(...), action=(...)`
 */
export type OvsRecognisedFormat = 'ovs-dpctl-show' | 'ovs-dpctl-flows' | 'ovs-appctl-other' | 'ovn-lflows';

/** What the file turned out to be, within its format id. */
export type OvsRecognisedKind =
  | 'dpctl-show' | 'dpctl-dump-flows' | 'dpctl-dump-conntrack' | 'list-tunnels' | 'route-show'
  | 'lflow-list' | 'command-error' | 'unknown';

export interface OvsRecognisedOnly {
  readonly format: OvsRecognisedFormat;
  readonly kind: OvsRecognisedKind;
  /** Ports, datapath flows, connections, tunnels, routes or logical flows, by kind. */
  readonly entries: number;
  /** Datapaths (`system@ovs-system`) or OVN logical datapaths, where the format has them. */
  readonly groups: number;
}

export interface OvsRecognisedOnlyOptions extends ParseOptions {
  readonly format: OvsRecognisedFormat;
}

interface KindRule {
  readonly kind: OvsRecognisedKind;
  /** Recognises the kind from the first non-blank line. */
  readonly first: RegExp;
  /** Counts an entry. */
  readonly entry: RegExp;
  /** Counts a group header. */
  readonly group?: RegExp;
  readonly what: string;
  readonly entryWord: string;
}

/** Kinds by format, tried in order on the first non-blank line. */
const RULES: Readonly<Record<OvsRecognisedFormat, readonly KindRule[]>> = {
  'ovs-dpctl-show': [
    { kind: 'dpctl-show', first: /^[\w-]+@[\w.-]+:$/, entry: /^\s+port \d+: /, group: /^[\w-]+@[\w.-]+:$/, what: 'ovs-dpctl show', entryWord: 'port' },
  ],
  'ovs-dpctl-flows': [
    { kind: 'dpctl-dump-flows', first: /^(ufid:|[a-z_0-9]+\(.*actions:)/, entry: /actions:/, what: 'ovs-dpctl dump-flows', entryWord: 'datapath flow' },
  ],
  'ovs-appctl-other': [
    { kind: 'dpctl-dump-conntrack', first: /^[a-z0-9]+,orig=\(/, entry: /,orig=\(/, what: 'ovs-appctl dpctl/dump-conntrack', entryWord: 'connection' },
    { kind: 'list-tunnels', first: /^port \d+: \S+ \(/, entry: /^port \d+: \S+ \(/, what: 'ovs-appctl ofproto/list-tunnels', entryWord: 'tunnel' },
    { kind: 'route-show', first: /^Route Table:$/, entry: /^(Cached|User): /, what: 'ovs-appctl ovs/route/show', entryWord: 'route' },
  ],
  'ovn-lflows': [
    { kind: 'lflow-list', first: /^Datapath: /, entry: /^\s+table=\d+ ?\(/, group: /^Datapath: /, what: 'ovn-sbctl lflow-list', entryWord: 'logical flow' },
  ],
};

const COMMAND_ERROR_RE = /^(ovs-dpctl|ovs-appctl|ovs-vsctl|ovs-ofctl|ovn-sbctl|ovn-nbctl): /;

export function parseOvsRecognisedOnly(text: string, opts: OvsRecognisedOnlyOptions): ParseResult<OvsRecognisedOnly> {
  const sink = new DiagnosticSink(opts.file);
  const result = (kind: OvsRecognisedKind, entries: number, groups: number): ParseResult<OvsRecognisedOnly> => ({
    value: { format: opts.format, kind, entries, groups },
    diagnostics: sink.diagnostics,
  });
  if (looksBinary(text)) {
    sink.error(1, 'this file is binary, not text output; nothing read');
    return result('unknown', 0, 0);
  }
  let rule: KindRule | undefined;
  let firstLine = 0;
  let entries = 0;
  let groups = 0;
  let lines = 0;
  for (const line of iterateLines(text)) {
    if (line.text.trim() === '') continue;
    lines++;
    if (firstLine === 0) {
      firstLine = line.number;
      if (COMMAND_ERROR_RE.test(line.text)) {
        sink.warning(line.number, `this file holds the command's error message, not its output: "${line.text.trim()}"`, line.text);
        return result('command-error', 0, 0);
      }
      rule = RULES[opts.format].find((r) => r.first.test(line.text));
      if (!rule) {
        sink.info(line.number, `recognised as ${opts.format}, not modelled; content not identified further`, line.text);
        return result('unknown', 0, 0);
      }
    }
    if (!rule) continue;
    if (rule.group?.test(line.text)) groups++;
    if (rule.entry.test(line.text)) entries++;
  }
  if (!rule) return result('unknown', 0, 0);
  const groupText = rule.group ? ` in ${groups} ${rule.kind === 'lflow-list' ? 'logical datapath' : 'datapath'}(s)` : '';
  sink.info(firstLine, `recognised, not modelled: ${rule.what} output with ${entries} ${rule.entryWord}(s)${groupText} in ${lines} line(s)`);
  return result(rule.kind, entries, groups);
}
