import { parseMac } from '../net/MacAddress';
import { DiagnosticSink, type ParseOptions, type ParseResult } from '../text/Diagnostic';
import { iterateLines, looksBinary } from '../text/lines';
import { spanInLine, type Span } from '../text/Span';
import { OVS_RESERVED_PORTS } from './OvsFieldTable';

/**
 * Reads `ovs-appctl fdb/show BRIDGE`, the MAC learning table of the NORMAL action:
 *   ` port  VLAN  MAC                Age`
 *   `    1     2  52:54:00:2d:fb:46  286`
 * Ports are ofport numbers (or `LOCAL`, or names on OVS builds that print them); the age is
 * seconds or `static`. A line that does not have the four columns is reported and skipped.
 */
export interface OvsFdbEntry {
  /** The ofport number; LOCAL is 65534. `undefined` when the port is printed by name. */
  readonly ofport?: number;
  /** The port column as written. */
  readonly port: string;
  readonly vlan: number;
  readonly mac: bigint;
  readonly macText: string;
  /** Seconds since last seen, or `static` for configured entries. */
  readonly age: number | 'static';
  readonly raw: string;
  readonly span: Span;
}

export interface OvsFdbShow {
  readonly entries: readonly OvsFdbEntry[];
}

const HEADER_RE = /^\s*port\s+VLAN\s+MAC\s+Age\s*$/;
const ENTRY_RE = /^\s*(\S+)\s+(\d+)\s+([0-9a-fA-F:]{17})\s+(\d+|static)\s*$/;

export function parseOvsFdbShow(text: string, opts: ParseOptions): ParseResult<OvsFdbShow> {
  const sink = new DiagnosticSink(opts.file);
  const entries: OvsFdbEntry[] = [];
  if (looksBinary(text)) {
    sink.error(1, 'this file is binary, not ovs-appctl fdb/show output; nothing read');
    return { value: { entries }, diagnostics: sink.diagnostics };
  }
  for (const line of iterateLines(text)) {
    const t = line.text;
    if (t.trim() === '' || HEADER_RE.test(t)) continue;
    const m = ENTRY_RE.exec(t);
    const mac = m ? parseMac(m[3] ?? '') : undefined;
    if (!m || mac === undefined) {
      sink.error(line.number, 'not an fdb/show entry (port, VLAN, MAC, age); line skipped', t);
      continue;
    }
    const start = t.length - t.trimStart().length;
    const end = t.trimEnd().length;
    const port = m[1] ?? '';
    const e: { -readonly [K in keyof OvsFdbEntry]: OvsFdbEntry[K] } = {
      port,
      vlan: Number(m[2]),
      mac,
      macText: m[3] ?? '',
      age: m[4] === 'static' ? 'static' : Number(m[4]),
      raw: t.slice(start, end),
      span: spanInLine(opts.file, line.number, line.offset, start, end),
    };
    if (/^\d+$/.test(port)) e.ofport = Number(port);
    else if (port === 'LOCAL') e.ofport = OVS_RESERVED_PORTS.LOCAL;
    if (e.vlan > 4095) sink.error(line.number, `VLAN ${e.vlan} is out of range; entry kept`, t);
    entries.push(e);
  }
  return { value: { entries }, diagnostics: sink.diagnostics };
}
