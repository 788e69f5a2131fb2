import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Link } from '../../../src/core/iproute/Link';
import { IPROUTE_PARSERS } from '../../../src/core/iproute/iprouteParsers';
import { sniffIprouteFormat } from '../../../src/core/iproute/sniffIprouteFormat';
import { assertSpans, corpusRoot, errors } from './helpers';

const SETS = ['hotsos', 'hotsos-sunbeam', 'hotsos-k8s', '9506-study-notes', 'neutron-docs'];

describe('iproute2 corpus (/work/shared/corpus/public)', () => {
  it('parses every ip_*, bridge_*, brctl_* capture with zero errors', function () {
    const root = corpusRoot();
    if (!root) {
      console.log('      shared/corpus/public not found next to the project; corpus walk skipped');
      this.skip();
    }
    const counts: Record<string, number> = { files: 0, links: 0, addresses: 0, routes: 0, rules: 0, namespaces: 0, bridgePorts: 0, fdb: 0, vlanPorts: 0, brctlBridges: 0 };
    for (const set of SETS) {
      let names: string[];
      try { names = readdirSync(path.join(root, set)); } catch { continue; }
      for (const name of names.filter((n) => /^(ip_|bridge_|brctl_)/.test(n))) {
        const file = path.join(root, set, name);
        const text = readFileSync(file, 'utf8');
        const format = sniffIprouteFormat(text, name);
        assert.ok(format, `${set}/${name}: format not recognised`);
        const r = IPROUTE_PARSERS[format](text, { file });
        assert.deepEqual(errors(r.diagnostics), [], `${set}/${name}`);
        const v = r.value as unknown;
        assert.ok(Array.isArray(v), `${set}/${name}`);
        assert.ok(v.length > 0, `${set}/${name}: nothing parsed`);
        assertSpans(text, v as Link[]);
        counts['files']!++;
        const key = ({ 'ip-addr': 'links', 'ip-link': 'links', 'ip-route': 'routes', 'ip-rule': 'rules', 'ip-netns': 'namespaces', 'bridge-link': 'bridgePorts',
          'bridge-fdb': 'fdb', 'bridge-vlan': 'vlanPorts', 'brctl-show': 'brctlBridges' } as Record<string, string>)[format]!;
        counts[key]! += v.length;
        if (key === 'links') counts['addresses']! += (v as Link[]).reduce((n, l) => n + l.addresses.length, 0);
      }
    }
    console.log(`      corpus: ${JSON.stringify(counts)}`);
    assert.deepEqual(counts, { files: 27, links: 117, addresses: 57, routes: 127, rules: 15, namespaces: 77, bridgePorts: 10, fdb: 107, vlanPorts: 10, brctlBridges: 6 });
  });
});
