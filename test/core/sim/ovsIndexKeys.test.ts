import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { parseOvsDumpFlows, type OvsFlow } from '../../../src/core/ovs/parseOvsDumpFlows';
import { sniffOvsFormat } from '../../../src/core/ovs/sniffOvsFormat';
import { compileOvsFlow } from '../../../src/core/sim/ovs/compileOvsFlow';
import { OvsIndexKeyReader } from '../../../src/core/sim/ovs/OvsIndexKeyReader';
import { findCorpus } from '../ovs/ovsTestFiles';
import { generateNeutronFlows } from '../ovs/generateNeutronFlows';

/**
 * A table index built from the keys OvsIndexKeyReader reads off a flow's text is only sound if
 * every key is one of the checks compileOvsFlow gives the flow (a key the flow does not test would
 * rule it out for packets it matches), if every flow with a conj_id is flagged as a possible
 * conjunction target, and if a conj_id read off the text is the compiled one. Checked on every
 * flow of every dump-flows file the project has.
 */
function assertKeysSound(flows: readonly OvsFlow[], label: string): number {
  const reader = new OvsIndexKeyReader();
  let keyed = 0;
  for (const flow of flows) {
    const { keys, mayBeConjTarget, conjId } = reader.keysOf(flow);
    const compiled = compileOvsFlow(flow, new Map(), 0);
    for (const k of keys) {
      assert.ok(compiled.checks.some((c) => c.field === k.field && c.mask === k.mask && c.value === k.value),
        `${label}: key ${k.field}=${k.value}/${k.mask} is not a check of ${flow.raw}`);
    }
    if (compiled.conjId !== undefined) assert.ok(mayBeConjTarget, `${label}: conj_id flow not flagged: ${flow.raw}`);
    if (conjId !== undefined) assert.equal(conjId, compiled.conjId, `${label}: conj_id read as ${conjId}: ${flow.raw}`);
    if (keys.length > 0) keyed++;
  }
  return keyed;
}

function dumpFiles(): string[] {
  const repo = path.resolve(__dirname, '../../..');
  const roots = [path.join(repo, 'test/fixtures'), path.join(repo, 'samples')];
  const corpus = findCorpus();
  if (corpus) roots.push(corpus);
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/dump-flows/.test(e.name) && !/\.json$/.test(e.name)) out.push(p);
    }
  };
  for (const r of roots) if (fs.existsSync(r)) walk(r);
  return out;
}

describe('OVS index keys are checks of their flow', () => {
  it('every flow of the fixtures, samples and public corpus', () => {
    let files = 0;
    let keyed = 0;
    for (const file of dumpFiles()) {
      const text = fs.readFileSync(file, 'utf8');
      if (sniffOvsFormat(text, file) !== 'ovs-dump-flows') continue;
      keyed += assertKeysSound(parseOvsDumpFlows(text, { file }).value.flows, file);
      files++;
    }
    assert.ok(files >= 20, `only ${files} dump-flows files found`);
    // The reader must key most real flows, or lookups fall back to scanning whole tables.
    assert.ok(keyed > 1000, `only ${keyed} flows keyed`);
  });

  it('a generated Neutron br-int', () => {
    const dump = generateNeutronFlows({ flows: 3000, seed: 3 });
    const flows = parseOvsDumpFlows(dump.text, { file: 'br-int' }).value.flows;
    assert.ok(assertKeysSound(flows, 'generated') > flows.length / 2);
  });

  it('lines with items that look like keys but are not (quoted names, NXM forms, `:` values, masks, duplicates)', () => {
    const item = fc.oneof(
      fc.constantFrom('in_port=1', 'in_port=LOCAL', 'in_port="tap1"', 'in_port=tap1', 'in_port:2', 'reg5=0x5', 'reg5=5', 'reg5=0x1/0x1', 'reg5=0x1ffffffff',
        'reg16=1', 'REG5=0x5', 'NXM_NX_REG5[]=0x5', 'NXM_NX_REG5[0..7]=0x5', 'reg5=', '=0x5', 'reg5=0x5=1', 'reg5=zz', 'metadata=0x3', 'metadata=0x3/0xff',
        'dl_dst=fa:16:3e:00:00:01', 'dl_dst=01:00:00:00:00:00/01:00:00:00:00:00', 'eth_src=fa:16:3e:00:00:02', 'dl_vlan=3', 'dl_vlan=0xffff',
        'conj_id=7', 'conj_id=0x8', 'conj_id=', 'CONJ_ID=7', 'NXM_NX_CONJ_ID=9', 'NXM_NX_CONJ_ID[]=7', 'xconj_id=3', 'ip', 'arp', 'tcp', 'tp_dst=80', 'nw_src=10.0.0.1', 'ct_state=+trk', 'packet_type=(0,0x800)',
        'reg6=NXM_NX_REG5[]', 'cookie=0x5', 'in_port="a,reg5=0x7"'),
      fc.integer({ min: 0, max: 15 }).map((n) => `reg${n}=0x${n.toString(16)}`),
    );
    const sep = fc.constantFrom(',', ', ', ' ', ',,');
    fc.assert(fc.property(fc.array(fc.tuple(item, sep), { maxLength: 6 }), fc.constantFrom('', ' cookie=0x1, table=0, n_packets=0, '), (items, stats) => {
      const match = items.map(([i, s], k) => (k === 0 ? i : `${s}${i}`)).join('');
      const line = `${stats}priority=10${match ? `,${match}` : ''} actions=drop\n`;
      const flows = parseOvsDumpFlows(line, { file: 'f' }).value.flows;
      assertKeysSound(flows, line);
    }), { numRuns: 2000 });
  });
});
