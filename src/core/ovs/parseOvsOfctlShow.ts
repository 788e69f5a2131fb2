import { parseMac } from '../net/MacAddress';
import { DiagnosticSink, type ParseOptions, type ParseResult } from '../text/Diagnostic';
import { iterateLines, looksBinary } from '../text/lines';
import { spanInLine, type Span } from '../text/Span';
import { OVS_RESERVED_PORTS } from './OvsFieldTable';
import { ownValue, setOwnValue } from './ownValue';

/**
 * Reads `ovs-ofctl [-O OpenFlow13] show BRIDGE` and `ovs-ofctl dump-ports-desc BRIDGE`:
 *   `OFPT_FEATURES_REPLY (xid=0x2): dpid:00002e1335c82646`
 *   ` 9(tap0e778df8-ca): addr:fe:16:3e:a7:45:cb`
 *   `     config:     PORT_DOWN` / `     state:      LINK_DOWN` / `     speed: 10 Mbps now, 0 Mbps max`
 * This is what maps the port names of `--names` flows and of `ovs-vsctl show` to ofport numbers.
 * Unknown lines inside a port block are kept as attributes; a line outside any block that is not
 * a known header is reported (error) and skipped.
 */
export interface OvsOfctlPort {
  /** The OpenFlow port number; LOCAL is 65534 (0xfffe) as OVS numbers it. */
  readonly ofport: number;
  /** `LOCAL` for the bridge's own port, else the number as written. */
  readonly ofportText: string;
  readonly name: string;
  readonly mac?: bigint;
  readonly macText: string;
  /** `config:` flags (`PORT_DOWN`, `NO_FLOOD`...); empty for `0`. */
  readonly config: readonly string[];
  /** `state:` flags (`LINK_DOWN`, `LIVE`, `STP_*`); empty for `0`. */
  readonly state: readonly string[];
  readonly current: readonly string[];
  readonly advertised: readonly string[];
  readonly supported: readonly string[];
  readonly peer: readonly string[];
  readonly speedNowMbps?: number;
  readonly speedMaxMbps?: number;
  /** Other `key: value` lines of the block. */
  readonly attributes: Readonly<Record<string, string>>;
  /** The port's header line (`1(int-br-data): addr:...`). */
  readonly raw: string;
  readonly span: Span;
}

export interface OvsOfctlShow {
  /** `show` has the features reply; `dump-ports-desc` only the port list. */
  readonly kind: 'show' | 'dump-ports-desc';
  readonly openflowVersion?: string;
  /** 16 hex digits as printed. */
  readonly datapathId?: string;
  readonly nTables?: number;
  readonly nBuffers?: number;
  readonly capabilities: readonly string[];
  readonly actions: readonly string[];
  readonly ports: readonly OvsOfctlPort[];
  /** `frags=normal` of the GET_CONFIG reply. */
  readonly fragHandling?: string;
  readonly missSendLen?: number;
}

const PORT_RE = /^\s+(\d+|LOCAL)\((.*)\): addr:(\S*)\s*$/;
const FEATURES_RE = /^OFPT_FEATURES_REPLY(?: \(OF(\d\.\d)\))? \(xid=0x[0-9a-f]+\): dpid:([0-9a-fA-F]+)\s*$/;
const PORT_DESC_RE = /^OFPST_PORT_DESC reply(?: \(OF(\d\.\d)\))? \(xid=0x[0-9a-f]+\):\s*$/;
const CONFIG_REPLY_RE = /^OFPT_GET_CONFIG_REPLY(?: \(OF\d\.\d\))? \(xid=0x[0-9a-f]+\): frags=(\S+) miss_send_len=(\d+)\s*$/;
const SPEED_RE = /^(\d+) Mbps now, (\d+) Mbps max$/;
type MutablePort = { -readonly [K in keyof OvsOfctlPort]: OvsOfctlPort[K] } & { attributes: Record<string, string> };

/** The flag-list lines of a port block. */
const FLAG_LINES: Readonly<Record<string, (p: MutablePort, flags: readonly string[]) => void>> = {
  config: (p, f) => { p.config = f; },
  state: (p, f) => { p.state = f; },
  current: (p, f) => { p.current = f; },
  advertised: (p, f) => { p.advertised = f; },
  supported: (p, f) => { p.supported = f; },
  peer: (p, f) => { p.peer = f; },
};

export function parseOvsOfctlShow(text: string, opts: ParseOptions): ParseResult<OvsOfctlShow> {
  const sink = new DiagnosticSink(opts.file);
  const out: { -readonly [K in keyof OvsOfctlShow]: OvsOfctlShow[K] } = { kind: 'dump-ports-desc', capabilities: [], actions: [], ports: [] };
  const ports: MutablePort[] = [];
  let port: MutablePort | undefined;
  if (looksBinary(text)) {
    sink.error(1, 'this file is binary, not ovs-ofctl show output; nothing read');
    return { value: out, diagnostics: sink.diagnostics };
  }
  for (const line of iterateLines(text)) {
    const t = line.text;
    if (t.trim() === '') continue;
    const pm = PORT_RE.exec(t);
    if (pm) {
      const ofportText = pm[1] ?? '';
      const macText = pm[3] ?? '';
      const start = t.length - t.trimStart().length;
      const end = t.trimEnd().length;
      port = {
        ofport: ofportText === 'LOCAL' ? OVS_RESERVED_PORTS.LOCAL : Number(ofportText),
        ofportText, name: pm[2] ?? '', macText,
        config: [], state: [], current: [], advertised: [], supported: [], peer: [], attributes: {},
        raw: t.slice(start, end), span: spanInLine(opts.file, line.number, line.offset, start, end),
      };
      const mac = parseMac(macText);
      if (mac !== undefined) port.mac = mac;
      else sink.error(line.number, `port ${port.name}: "${macText}" is not a MAC address`, t);
      ports.push(port);
      continue;
    }
    if (port && /^\s{2,}\S/.test(t)) {
      const colon = t.indexOf(':');
      if (colon === -1) {
        sink.error(line.number, `unrecognised line in the block of port ${port.name}; skipped`, t);
        continue;
      }
      const key = t.slice(0, colon).trim();
      const value = t.slice(colon + 1).trim();
      const setFlags = ownValue(FLAG_LINES, key);
      if (setFlags) {
        setFlags(port, value === '0' || value === '' ? [] : value.split(/\s+/));
      } else if (key === 'speed') {
        const sm = SPEED_RE.exec(value);
        if (sm) { port.speedNowMbps = Number(sm[1]); port.speedMaxMbps = Number(sm[2]); }
        else setOwnValue(port.attributes, key, value);
      } else {
        setOwnValue(port.attributes, key, value);
      }
      continue;
    }
    port = undefined;
    const fm = FEATURES_RE.exec(t);
    if (fm) {
      out.kind = 'show';
      if (fm[1] !== undefined) out.openflowVersion = fm[1];
      out.datapathId = fm[2] ?? '';
      continue;
    }
    const dm = PORT_DESC_RE.exec(t);
    if (dm) {
      if (dm[1] !== undefined && out.openflowVersion === undefined) out.openflowVersion = dm[1];
      continue;
    }
    const cm = CONFIG_REPLY_RE.exec(t);
    if (cm) {
      out.fragHandling = cm[1] ?? '';
      out.missSendLen = Number(cm[2]);
      continue;
    }
    const tm = /^n_tables:(\d+), n_buffers:(\d+)\s*$/.exec(t);
    if (tm) {
      out.nTables = Number(tm[1]);
      out.nBuffers = Number(tm[2]);
      continue;
    }
    if (t.startsWith('capabilities:')) { out.capabilities = t.slice(13).trim().split(/\s+/).filter((s) => s !== ''); continue; }
    if (t.startsWith('actions:')) { out.actions = t.slice(8).trim().split(/\s+/).filter((s) => s !== ''); continue; }
    sink.error(line.number, 'not a line of ovs-ofctl show / dump-ports-desc output; skipped', t);
  }
  out.ports = ports;
  return { value: out, diagnostics: sink.diagnostics };
}
