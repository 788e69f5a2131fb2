import { DiagnosticSink, type ParseOptions, type ParseResult } from '../text/Diagnostic';
import { iterateLines, looksBinary } from '../text/lines';
import { spanInLine, type Span } from '../text/Span';
import { unquoteOvsString } from './parseOvsFieldValue';
import { setOwnValue } from './ownValue';

/**
 * Reads the `ovs-vsctl show` tree:
 *   `    Bridge br-int` / `        Controller "tcp:127.0.0.1:6633"` / `        fail_mode: secure`
 *   `        Port tap9113df4c-ca` / `            tag: 2` / `            Interface tap9113df4c-ca`
 *   `                type: patch` / `                options: {peer=int-br-mgmt}`
 *   `                error: "could not open network device tap0ab9a23c-99 (No such device)"`
 *   `    ovs_version: "3.3.1"`
 * Nesting comes from the keywords (Bridge > Port > Interface, Controller/Manager) and the
 * indentation of `key: value` lines, which tolerates the uneven or non-breaking-space
 * indentation of dumps pasted into web pages. Old OVS quotes names (`Port "qr-0ba8700e-da"`).
 * An interface error is reported as info (it is a fact about the host, not a parse problem).
 */
export interface OvsVsctlShow {
  /** The Open_vSwitch row UUID on the first line. */
  readonly uuid?: string;
  readonly ovsVersion?: string;
  readonly managers: readonly OvsVsctlController[];
  readonly bridges: readonly OvsVsctlBridge[];
}

interface Entity {
  readonly name: string;
  /** `key: value` lines not modelled by a dedicated property (`role`, `bond_mode`, `bfd_status`...). */
  readonly attributes: Readonly<Record<string, string>>;
  /** The entity's own line without indentation (`Port "qr-0ba8700e-da"`). */
  readonly raw: string;
  readonly span: Span;
}

export interface OvsVsctlController extends Entity {
  /** `tcp:127.0.0.1:6633`, `ptcp:6640:127.0.0.1`. */
  readonly target: string;
  readonly isConnected?: boolean;
}

export interface OvsVsctlBridge extends Entity {
  readonly controllers: readonly OvsVsctlController[];
  readonly failMode?: string;
  readonly datapathType?: string;
  readonly ports: readonly OvsVsctlPort[];
}

export interface OvsVsctlPort extends Entity {
  /** Access VLAN (`tag: 4`). */
  readonly tag?: number;
  /** Trunk VLANs (`trunks: [10, 20]`); empty when not shown. */
  readonly trunks: readonly number[];
  readonly vlanMode?: string;
  readonly interfaces: readonly OvsVsctlInterface[];
}

export interface OvsVsctlInterface extends Entity {
  /** `internal`, `patch`, `vxlan`, `geneve`, `system`...; `''` when not shown (a system device). */
  readonly type: string;
  /** `options: {peer=int-br-mgmt}` / `{remote_ip="10.0.0.1", key=flow}`, unquoted. */
  readonly options: Readonly<Record<string, string>>;
  /** `error: "..."`, e.g. a tap device that no longer exists. */
  readonly error?: string;
}

type Mut<T> = { -readonly [K in keyof T]: T[K] };
type MController = Mut<OvsVsctlController> & { attributes: Record<string, string> };
type MInterface = Mut<OvsVsctlInterface> & { attributes: Record<string, string> };
type MPort = Mut<OvsVsctlPort> & { attributes: Record<string, string>; interfaces: MInterface[] };
type MBridge = Mut<OvsVsctlBridge> & { attributes: Record<string, string>; ports: MPort[]; controllers: MController[] };

type Node =
  | { kind: 'bridge'; indent: number; node: MBridge }
  | { kind: 'port'; indent: number; node: MPort }
  | { kind: 'interface'; indent: number; node: MInterface }
  | { kind: 'controller'; indent: number; node: MController };

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ENTITY_RE = /^(Bridge|Port|Interface|Controller|Manager) (.+)$/;
const KV_RE = /^([A-Za-z_][\w-]*): ?(.*)$/;

/** Leading blanks, counting tabs and non-breaking spaces as one column each. */
function indentOf(t: string): number {
  let i = 0;
  while (i < t.length) {
    const c = t.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 0xa0) break;
    i++;
  }
  return i;
}

/** `"qr-0ba8700e-da"` -> `qr-0ba8700e-da`; unquoted text unchanged. */
function name(text: string): string {
  const t = text.trim();
  return t.startsWith('"') ? unquoteOvsString(t) ?? t : t;
}

/** `{df_default="true", in_key=flow, remote_ip="10.0.0.1"}` -> record. */
export function parseOvsdbMap(text: string): Record<string, string> | undefined {
  const t = text.trim();
  if (!t.startsWith('{') || !t.endsWith('}')) return undefined;
  const out: Record<string, string> = {};
  const body = t.slice(1, -1);
  let i = 0;
  while (i < body.length) {
    while (i < body.length && (body[i] === ' ' || body[i] === ',')) i++;
    if (i >= body.length) break;
    const eq = body.indexOf('=', i);
    if (eq === -1) return undefined;
    const key = name(body.slice(i, eq));
    let j = eq + 1;
    if (body[j] === '"') {
      j++;
      while (j < body.length && body[j] !== '"') j += body[j] === '\\' ? 2 : 1;
      j++;
    } else {
      while (j < body.length && body[j] !== ',') j++;
    }
    setOwnValue(out, key, name(body.slice(eq + 1, j)));
    i = j;
  }
  return out;
}

export function parseOvsVsctlShow(text: string, opts: ParseOptions): ParseResult<OvsVsctlShow> {
  const sink = new DiagnosticSink(opts.file);
  const out: Mut<OvsVsctlShow> = { managers: [], bridges: [] };
  const managers: MController[] = [];
  const bridges: MBridge[] = [];
  const stack: Node[] = [];
  let bridge: MBridge | undefined;
  let port: MPort | undefined;
  if (looksBinary(text)) {
    sink.error(1, 'this file is binary, not ovs-vsctl show output; nothing read');
    return { value: out, diagnostics: sink.diagnostics };
  }
  for (const line of iterateLines(text)) {
    const t = line.text;
    const indent = indentOf(t);
    const end = t.trimEnd().length;
    if (indent >= end) continue;
    const body = t.slice(indent, end);
    const span = spanInLine(opts.file, line.number, line.offset, indent, end);
    if (indent === 0 && UUID_RE.test(body) && out.uuid === undefined && bridges.length === 0) {
      out.uuid = body;
      continue;
    }
    while (stack.length > 0 && (stack[stack.length - 1]?.indent ?? 0) >= indent) stack.pop();
    const em = ENTITY_RE.exec(body);
    if (em) {
      const kw = em[1];
      const n = name(em[2] ?? '');
      if (kw === 'Bridge') {
        bridge = { name: n, controllers: [], ports: [], attributes: {}, raw: body, span };
        port = undefined;
        bridges.push(bridge);
        stack.length = 0;
        stack.push({ kind: 'bridge', indent, node: bridge });
      } else if (kw === 'Manager' || kw === 'Controller') {
        const c: MController = { name: n, target: n, attributes: {}, raw: body, span };
        if (kw === 'Manager') {
          managers.push(c);
          stack.length = 0;
        } else if (bridge) {
          bridge.controllers.push(c);
          while (stack.length > 0 && stack[stack.length - 1]?.kind !== 'bridge') stack.pop();
        } else {
          sink.error(line.number, `Controller ${n} outside any Bridge; skipped`, t, indent + 1);
          continue;
        }
        stack.push({ kind: 'controller', indent, node: c });
      } else if (kw === 'Port') {
        if (!bridge) {
          sink.error(line.number, `Port ${n} outside any Bridge; skipped`, t, indent + 1);
          continue;
        }
        port = { name: n, trunks: [], interfaces: [], attributes: {}, raw: body, span };
        bridge.ports.push(port);
        while (stack.length > 0 && stack[stack.length - 1]?.kind !== 'bridge') stack.pop();
        stack.push({ kind: 'port', indent, node: port });
      } else {
        if (!port) {
          sink.error(line.number, `Interface ${n} outside any Port; skipped`, t, indent + 1);
          continue;
        }
        const iface: MInterface = { name: n, type: '', options: {}, attributes: {}, raw: body, span };
        port.interfaces.push(iface);
        while (stack.length > 0 && stack[stack.length - 1]?.kind !== 'port') stack.pop();
        stack.push({ kind: 'interface', indent, node: iface });
      }
      continue;
    }
    const kv = KV_RE.exec(body);
    if (!kv) {
      sink.error(line.number, 'not a line of ovs-vsctl show output; skipped', t, indent + 1);
      continue;
    }
    const key = kv[1] ?? '';
    const value = kv[2] ?? '';
    const top = stack[stack.length - 1];
    if (!top) {
      if (key === 'ovs_version') out.ovsVersion = name(value);
      else sink.error(line.number, `"${key}" outside any Bridge; skipped`, t, indent + 1);
      continue;
    }
    setAttribute(top, key, value, sink, line.number, t, indent);
  }
  out.managers = managers;
  out.bridges = bridges;
  return { value: out, diagnostics: sink.diagnostics };
}

function setAttribute(top: Node, key: string, value: string, sink: DiagnosticSink, lineNo: number, t: string, indent: number): void {
  switch (top.kind) {
    case 'bridge':
      if (key === 'fail_mode') top.node.failMode = name(value);
      else if (key === 'datapath_type') top.node.datapathType = name(value);
      else setOwnValue(top.node.attributes, key, value);
      return;
    case 'controller':
      if (key === 'is_connected') top.node.isConnected = value === 'true';
      else setOwnValue(top.node.attributes, key, value);
      return;
    case 'port':
      if (key === 'tag' && /^\d+$/.test(value)) top.node.tag = Number(value);
      else if (key === 'trunks' && /^\[[\d, ]*\]$/.test(value)) top.node.trunks = value.slice(1, -1).split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
      else if (key === 'vlan_mode') top.node.vlanMode = name(value);
      else setOwnValue(top.node.attributes, key, value);
      return;
    case 'interface':
      if (key === 'type') top.node.type = name(value);
      else if (key === 'options') {
        const m = parseOvsdbMap(value);
        if (m) top.node.options = m;
        else sink.error(lineNo, `options of interface ${top.node.name} are not a {key=value} map; kept as an attribute`, t, indent + 1);
        if (!m) setOwnValue(top.node.attributes, key, value);
      } else if (key === 'error') {
        top.node.error = name(value);
        sink.info(lineNo, `interface ${top.node.name}: ${top.node.error}`, t, indent + 1);
      } else setOwnValue(top.node.attributes, key, value);
      return;
  }
}
