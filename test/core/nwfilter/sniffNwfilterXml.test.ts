import assert from 'node:assert/strict';
import { sniffNwfilterXml } from '../../../src/core/nwfilter/sniffNwfilterXml';

describe('sniffNwfilterXml', () => {
  const rows: [string, string, boolean][] = [
    ['a stock filter with its comment header', "<!--\nWARNING: THIS IS AN AUTO-GENERATED FILE.\n-->\n\n<filter name='allow-arp' chain='arp' priority='-500'>\n", true],
    ['virsh nwfilter-dumpxml without chain', "<filter name='nova-base'>\n  <uuid>x</uuid>\n", true],
    ['a filter whose first child follows a comment', "<filter name='x'>\n  <!-- no nd reflection -->\n  <rule action='drop' direction='in'/>", true],
    ['an empty filter', "<filter name='x'/>", true],
    ['a domain XML with a filterref', "<domain type='kvm'><devices><interface type='bridge'><filterref filter='clean-traffic'/></interface></devices></domain>", false],
    ['a filter binding', "<filterbinding><owner/><filterref filter='clean-traffic'/></filterbinding>", false],
    ['a filter element of another schema', '<filter>\n<param/></filter>', false],
    ['ebtables', 'Bridge table: filter\n', false],
    ['empty', '', false],
  ];
  for (const [name, text, expected] of rows) it(`${name} -> ${String(expected)}`, () => assert.equal(sniffNwfilterXml(text), expected));

  it('stays fast on 50 MB of near-misses', () => {
    const t0 = performance.now();
    assert.equal(sniffNwfilterXml('<filter '.repeat(6_000_000)), false);
    assert.ok(performance.now() - t0 < 500);
  });
});
