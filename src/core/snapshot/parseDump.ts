import { parseConntrackList } from '../conntrack/parseConntrackList';
import { parseConntrackStats } from '../conntrack/parseConntrackStats';
import { parseEbtablesList } from '../ebtables/parseEbtablesList';
import { parseEbtablesSave } from '../ebtables/parseEbtablesSave';
import { parseIpsetList } from '../ipset/parseIpsetList';
import { parseIpsetSave } from '../ipset/parseIpsetSave';
import { IPROUTE_PARSERS } from '../iproute/iprouteParsers';
import { parseIptablesList } from '../iptables/parseIptablesList';
import { parseIptablesRules } from '../iptables/parseIptablesRules';
import { parseIptablesSave } from '../iptables/parseIptablesSave';
import { parseNwfilterXml } from '../nwfilter/parseNwfilterXml';
import { parseOvsDumpFlows } from '../ovs/parseOvsDumpFlows';
import { parseOvsFdbShow } from '../ovs/parseOvsFdbShow';
import { parseOvsOfctlShow } from '../ovs/parseOvsOfctlShow';
import { parseOvsRecognisedOnly } from '../ovs/parseOvsRecognisedOnly';
import { parseOvsTrace } from '../ovs/parseOvsTrace';
import { parseOvsVsctlShow } from '../ovs/parseOvsVsctlShow';
import { parseOvsdbList } from '../ovs/parseOvsdbList';
import { DiagnosticSink, type Diagnostic, type ParseOptions, type ParseResult } from '../text/Diagnostic';
import { looksBinary } from '../text/lines';
import { detectFormat } from './detectFormat';
import type { FormatId } from './FormatId';
import { parseHostJson } from './parseHostJson';

/** Format id -> parser: data, so a new format is one more row (see ARCHITECTURE.md). */
export const DUMP_PARSERS = {
  'iptables-save': parseIptablesSave,
  'iptables-S': parseIptablesRules,
  'iptables-L': parseIptablesList,
  'ebtables-L': parseEbtablesList,
  'ebtables-save': parseEbtablesSave,
  'ipset-save': parseIpsetSave,
  'ipset-list': parseIpsetList,
  'conntrack-L': parseConntrackList,
  'conntrack-S': parseConntrackStats,
  'nwfilter-xml': parseNwfilterXml,
  'ovs-dump-flows': parseOvsDumpFlows,
  'ovs-ofctl-show': parseOvsOfctlShow,
  'ovs-vsctl-show': parseOvsVsctlShow,
  'ovs-vsctl-list': parseOvsdbList,
  'ovs-fdb-show': parseOvsFdbShow,
  'ovs-trace': parseOvsTrace,
  'ovs-dpctl-show': (text: string, opts: ParseOptions) => parseOvsRecognisedOnly(text, { ...opts, format: 'ovs-dpctl-show' }),
  'ovs-dpctl-flows': (text: string, opts: ParseOptions) => parseOvsRecognisedOnly(text, { ...opts, format: 'ovs-dpctl-flows' }),
  'ovs-appctl-other': (text: string, opts: ParseOptions) => parseOvsRecognisedOnly(text, { ...opts, format: 'ovs-appctl-other' }),
  'ovn-lflows': (text: string, opts: ParseOptions) => parseOvsRecognisedOnly(text, { ...opts, format: 'ovn-lflows' }),
  ...IPROUTE_PARSERS,
  'host-json': parseHostJson,
} as const satisfies Record<FormatId, (text: string, opts: ParseOptions) => ParseResult<unknown>>;

type Parsers = typeof DUMP_PARSERS;

/** A parsed dump, tagged with its format: `{format: 'iptables-save', value: IptablesRuleset}`. */
export type ParsedDump = { [F in FormatId]: { readonly format: F; readonly value: ReturnType<Parsers[F]>['value'] } }[FormatId];

export interface DumpParse {
  readonly file: string;
  /** Undefined when the content matched no known format. */
  readonly parsed?: ParsedDump;
  readonly diagnostics: Diagnostic[];
}

/**
 * Detects and parses one dump. Unknown or binary content gives one diagnostic and no value;
 * nothing here throws, whatever the bytes.
 */
export function parseDump(text: string, file: string, forced?: FormatId): DumpParse {
  const sink = new DiagnosticSink(file);
  if (looksBinary(text)) {
    sink.error(1, 'binary data, not a text dump; file skipped');
    return { file, diagnostics: sink.diagnostics };
  }
  const format = forced ?? detectFormat(text, file);
  if (!format) {
    if (text.trim().length === 0) sink.info(1, 'empty file');
    else sink.warning(1, 'not a dump format this tool knows (iptables, ebtables, OVS, iproute2, ipset, conntrack, nwfilter); file skipped', firstLine(text));
    return { file, diagnostics: sink.diagnostics };
  }
  const parser = DUMP_PARSERS[format] as (text: string, opts: ParseOptions) => ParseResult<unknown>;
  try {
    const r = parser(text, { file });
    return { file, parsed: { format, value: r.value } as ParsedDump, diagnostics: r.diagnostics };
  } catch (err) {
    // Parsers are written never to throw; this guard keeps a parser bug from taking down a whole snapshot.
    sink.error(1, `internal error while parsing as ${format}: ${err instanceof Error ? err.message : String(err)}`);
    return { file, diagnostics: sink.diagnostics };
  }
}

function firstLine(text: string): string {
  const nl = text.indexOf('\n');
  return (nl === -1 ? text : text.slice(0, nl)).slice(0, 200);
}
