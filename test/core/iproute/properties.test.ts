import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { AddressCache } from '../../../src/core/iproute/fastAddress';
import { IPROUTE_PARSERS } from '../../../src/core/iproute/iprouteParsers';
import { parseCidr } from '../../../src/core/net/Cidr';
import { parseIp } from '../../../src/core/net/IpAddress';
import type { IprouteFormat } from '../../../src/core/iproute/sniffIprouteFormat';
import type { Span } from '../../../src/core/text/Span';
import { assertDiagnosticsInside, assertSpans, fixture } from './helpers';

/** Real dumps per format, mutated below. */
const SAMPLES: Record<IprouteFormat, string[]> = {
  'ip-addr': ['iproute/hotsos/ip_-d_address.txt', 'iproute/hotsos/ip_-o_addr.txt', 'seeds/001-ip_a_cirros.txt', 'iproute/neutron-docs/ip_addr_netns_qrouter_old-iproute.txt'],
  'ip-link': ['iproute/hotsos/ip_-s_-d_link.txt', 'iproute/live/ip_-o_link.txt', 'iproute/live/ip_-d_link.txt'],
  'ip-route': ['iproute/hotsos/ip_route_show_table_all.txt', 'iproute/live/ip_route_show_table_all.txt'],
  'ip-rule': ['iproute/live/ip_rule.txt', 'iproute/hotsos/ip_rule_netns_qrouter.txt'],
  'ip-netns': ['iproute/hotsos/ip_netns_74-namespaces_2021.txt'],
  'ip-neigh': ['iproute/live/ip_neigh.txt'],
  'bridge-link': ['iproute/hotsos/bridge_-s_-s_-d_link_show.txt'],
  'bridge-fdb': ['iproute/hotsos/bridge_-s_-s_-d_-t_fdb_show.txt'],
  'bridge-vlan': ['iproute/hotsos/bridge_-d_vlan_show.txt'],
  'brctl-show': ['iproute/neutron-docs/brctl_show_devstack-ovs-hybrid.txt', 'seeds/001-brctl_show_controller.txt'],
  'route-n': ['seeds/004-fip_route_-n_dvr.txt', 'seeds/001-route_-n_controller.txt'],
  sysctl: ['seeds/004-fip_sysctl_proxy_arp.txt'],
  'ip-json': ['iproute/live/ip_-j_-d_link.txt', 'iproute/live/ip_-j_addr.txt', 'iproute/live/ip_-j_route_show_table_all.txt', 'iproute/live/ip_-j_rule.txt', 'iproute/live/bridge_-j_fdb.txt'],
};

type Mutation =
  | { op: 'drop' | 'dup' | 'truncate'; at: number; n: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'chars'; at: number; text: string };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constantFrom('drop' as const, 'dup' as const, 'truncate' as const), at: fc.nat(), n: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.string(), fc.constantFrom('    inet 1.2.3.4/99', '\tnexthop via x', '9999: from', '[', '{"ifname":', '    link/ether zz', '}', '\\', '(...)')) }),
  fc.record({ op: fc.constant('chars' as const), at: fc.nat(), text: fc.oneof(fc.string({ maxLength: 8 }), fc.uint8Array({ maxLength: 8 }).map((b) => String.fromCharCode(...b))) }),
);

function mutate(text: string, muts: readonly Mutation[]): string {
  let lines = text.split('\n');
  let out = text;
  for (const m of muts) {
    const i = lines.length === 0 ? 0 : m.at % lines.length;
    if (m.op === 'drop') lines.splice(i, 1 + (m.n % 3));
    else if (m.op === 'dup') lines.splice(i, 0, ...lines.slice(i, i + 1 + (m.n % 3)));
    else if (m.op === 'truncate') lines[i] = (lines[i] ?? '').slice(0, m.n % Math.max(1, (lines[i] ?? '').length));
    else if (m.op === 'insert') lines.splice(i, 0, m.text);
    else if (m.op === 'chars') {
      out = lines.join('\n');
      const at = out.length === 0 ? 0 : m.at % out.length;
      out = out.slice(0, at) + m.text + out.slice(at + 1);
      lines = out.split('\n');
    }
    out = lines.join('\n');
  }
  return out;
}

interface Spanned { raw: string; span: Span }

/** The entities of a parse result, whatever the format (IpJsonDump holds them one level down). */
function entities(value: unknown): Spanned[] {
  if (Array.isArray(value)) return value as Spanned[];
  const lists = Object.values(value as Record<string, unknown>).filter(Array.isArray);
  return lists.flat() as Spanned[];
}

function check(format: IprouteFormat, text: string): void {
  const r = IPROUTE_PARSERS[format](text, { file: 'prop' });
  assertDiagnosticsInside(text, r.diagnostics);
  assertSpans(text, entities(r.value));
}

describe('iproute2 parsers on damaged input (fast-check)', () => {
  for (const [format, files] of Object.entries(SAMPLES) as [IprouteFormat, string[]][]) {
    it(`${format}: never throws; diagnostics stay inside the input; kept entities still round-trip`, () => {
      const texts = files.map(fixture);
      fc.assert(
        fc.property(fc.nat({ max: texts.length - 1 }), fc.array(mutationArb, { minLength: 1, maxLength: 6 }), (k, muts) => {
          check(format, mutate(texts[k]!, muts));
        }),
        { numRuns: 150 },
      );
    });
  }

  it('every parser survives arbitrary strings, random bytes and CRLF line ends', () => {
    const formats = Object.keys(IPROUTE_PARSERS) as IprouteFormat[];
    fc.assert(
      fc.property(fc.constantFrom(...formats), fc.oneof(fc.string({ unit: 'grapheme' }), fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b).toString('latin1'))), (format, text) => {
        check(format, text);
      }),
      { numRuns: 600 },
    );
    for (const [format, files] of Object.entries(SAMPLES) as [IprouteFormat, string[]][]) {
      const crlf = fixture(files[0]!).replace(/\n/g, '\r\n');
      const r = IPROUTE_PARSERS[format](crlf, { file: 'crlf' });
      assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), [], `${format} with CRLF`);
      assertSpans(crlf, entities(r.value));
      assert.ok(entities(r.value).every((e) => !e.raw.endsWith('\r')), `${format}: raw without \\r`);
    }
  });

  it('the fast address path gives exactly what the shared parseIp / parseCidr give', () => {
    const octet = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.constantFrom('01', '007', '', 'x', '-1'));
    const v4 = fc.tuple(octet, octet, octet, octet, fc.option(fc.oneof(fc.integer({ min: 0, max: 40 }).map(String), fc.constantFrom('08', '033', '', '255.255.0.0', 'x')))).map(
      ([a, b, c, d, p]) => `${a}.${b}.${c}.${d}${p === null ? '' : `/${p}`}`,
    );
    const any = fc.oneof(v4, fc.constantFrom('::1', 'fe80::/64', '2001:db8::1/129', '1.2.3', '1.2.3.4.5', '10.0.0.0/255.255.255.0', ''), fc.string({ maxLength: 12 }));
    const cache = new AddressCache();
    fc.assert(fc.property(any, (t) => {
      assert.deepEqual(cache.cidr(t), parseCidr(t), t);
      assert.deepEqual(cache.ip(t), parseIp(t), t);
      assert.deepEqual(cache.cidr(t), parseCidr(t), `${t} (memo)`);
    }), { numRuns: 3000 });
  });
});
