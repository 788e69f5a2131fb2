import assert from 'node:assert/strict';
import fc from 'fast-check';
import { expandNwfilter } from '../../../src/core/nwfilter/expandNwfilter';
import { parseNwfilterXml } from '../../../src/core/nwfilter/parseNwfilterXml';
import { mutate, mutationArb } from '../ebtables/mutateText';
import { assertDiagnosticsWithin } from '../ebtables/spanChecks';
import { assertNwfilterSpans, hotsosFilters, readFixture } from './nwfilterFixtures';

const files = [...hotsosFilters().values(), readFixture('nova-base.xml'), readFixture('nova-instance-instance-0000000f-fa163e5801ac.xml')];
const concatenated = files.join('\n');

/** Damaged real filters: never a throw, diagnostics inside the input, spans round-trip, expansion terminates. */
describe('parseNwfilterXml on damaged real filters (fast-check)', () => {
  it('mutated stock filters and their concatenation', () => {
    fc.assert(
      fc.property(fc.constantFrom(...files, concatenated), fc.array(mutationArb, { minLength: 1, maxLength: 4 }), (text, ms) => {
        const damaged = ms.reduce(mutate, text);
        const r = parseNwfilterXml(damaged, { file: 'fuzz.xml' });
        assertDiagnosticsWithin(damaged, r.diagnostics);
        assertNwfilterSpans(damaged, r.value);
        for (const f of r.value) expandNwfilter(r.value, f.name, { MAC: 'fa:16:3e:00:00:01', IP: ['10.0.0.1', '10.0.0.2'] });
      }),
      { numRuns: 300 },
    );
  });

  it('arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const r = parseNwfilterXml(`<filter name='x'>${text}</filter>${text}`, { file: 'fuzz.xml' });
        assertDiagnosticsWithin(`<filter name='x'>${text}</filter>${text}`, r.diagnostics);
        assert.ok(Array.isArray(r.value));
      }),
      { numRuns: 300 },
    );
  });

  it('reads a 20,000-filter dump in linear time', () => {
    const one = readFixture('nova-instance-instance-0000000f-fa163e5801ac.xml');
    const big = Array.from({ length: 20_000 }, (_, i) => one.replace('0000000f', i.toString(16).padStart(8, '0'))).join('');
    const t0 = performance.now();
    const r = parseNwfilterXml(big, { file: 'big.xml' });
    const ms = performance.now() - t0;
    assert.equal(r.value.length, 20_000);
    assert.deepEqual(r.diagnostics, []);
    console.log(`    20,000 filters (${(big.length / 1e6).toFixed(1)} MB) in ${ms.toFixed(0)} ms`);
  });
});
