import { isPortName } from '../ovs/OvsMatch';
import { parseOvsMatch } from '../ovs/parseOvsMatch';
import { DiagnosticSink, type ParseResult } from '../text/Diagnostic';
import { ETH_TYPE, readField, withField, type Packet } from './Packet';

/**
 * A packet written in the flow syntax operators know from `ovs-appctl ofproto/trace`:
 *   `tcp,dl_src=fa:16:3e:c4:20:c7,nw_src=10.0.19.92,nw_dst=10.1.26.252,tcp_dst=10051,tcp_flags=syn`
 * Older spellings (`tp_src`, `tcp_flags=+syn`) are accepted, as OVS 3.x does. Masks make no sense
 * for one packet: a masked value is an error with its column. Unset fields are 0, except an IP
 * TTL of 64 so that `dec_ttl` and `--ttl-*` matches behave as on a real first hop.
 */
export function parsePacketSpec(text: string): ParseResult<Packet> {
  const sink = new DiagnosticSink('packet');
  const m = parseOvsMatch(text, { file: 'packet' });
  for (const d of m.diagnostics) sink.add(d.severity, 1, d.message, text, d.column, d.endColumn);
  let packet: Packet = { fields: new Map() };
  for (const f of m.value.fields) {
    if (isPortName(f.value)) {
      sink.error(1, `${f.raw}: give in_port with --in-port, not in the packet`, text, f.span.column, f.span.endColumn);
      continue;
    }
    const def = f.value.mask;
    const full = (1n << BigInt(def.toString(2).length)) - 1n;
    if (f.shorthand === undefined && f.value.mask !== full && f.field !== 'ct_state' && f.field !== 'tcp_flags') {
      sink.error(1, `${f.raw}: a packet has exact values; drop the mask`, text, f.span.column, f.span.endColumn);
    }
    packet = withField(packet, f.field, f.value.value);
  }
  const ethType = readField(packet, 'eth_type');
  if ((ethType === ETH_TYPE.ipv4 || ethType === ETH_TYPE.ipv6) && !packet.fields.has('nw_ttl')) packet = withField(packet, 'nw_ttl', 64n);
  if (!packet.fields.has('eth_type')) sink.warning(1, 'no protocol given (ip, tcp, udp, arp, icmp...): the packet has eth_type 0', text);
  return { value: packet, diagnostics: sink.diagnostics };
}
