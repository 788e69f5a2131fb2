import { sniffConntrackFormat } from '../conntrack/sniffConntrackFormat';
import { sniffEbtablesFormat } from '../ebtables/sniffEbtablesFormat';
import { sniffIpsetFormat } from '../ipset/sniffIpsetFormat';
import { sniffIprouteFormat } from '../iproute/sniffIprouteFormat';
import { sniffIptablesFormat } from '../iptables/sniffIptablesFormat';
import { sniffNwfilterXml } from '../nwfilter/sniffNwfilterXml';
import { sniffOvsFormat } from '../ovs/sniffOvsFormat';
import { sniffOvsdbList } from '../ovs/parseOvsdbList';
import type { FormatId } from './FormatId';

/**
 * A dump's format from its content; the file name only breaks ties (every sniffer looks at the
 * head of the text, so this stays fast on 50 MB inputs). Sniffers are tried from the most
 * specific to the most permissive: ebtables before iptables-save (both start with `*filter`) and
 * before OVS (`Bridge table: nat` vs `Bridge br-int`), OVS before iproute2 (`ovs-appctl ovs/route/show` looks like a route table).
 */
const SNIFFERS: readonly ((text: string, fileName: string) => FormatId | undefined)[] = [
  (text) => (/^\s*\{\s*"version"\s*:\s*\d+[\s\S]*"commands"\s*:/.test(text.slice(0, 4096)) ? 'host-json' : undefined),
  (text) => (sniffNwfilterXml(text) ? 'nwfilter-xml' : undefined),
  (text) => sniffEbtablesFormat(text),
  (text, name) => sniffOvsFormat(text, name),
  // `ovs-vsctl --format=json list` is JSON too: before the iproute2 sniffer takes it for `ip -j`.
  (text) => (sniffOvsdbList(text) ? 'ovs-vsctl-list' : undefined),
  (text) => sniffIptablesFormat(text),
  (text) => sniffIpsetFormat(text),
  (text) => sniffConntrackFormat(text),
  (text, name) => sniffIprouteFormat(text, name),
];

export function detectFormat(text: string, fileName: string): FormatId | undefined {
  for (const sniff of SNIFFERS) {
    const f = sniff(text, fileName);
    if (f) return f;
  }
  return undefined;
}
