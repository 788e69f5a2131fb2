import assert from 'node:assert/strict';
import type { EbtablesChain } from '../../../src/core/ebtables/EbtablesChain';
import type { EbtablesOption, EbtablesTarget } from '../../../src/core/ebtables/EbtablesRule';
import type { EbtablesRuleset } from '../../../src/core/ebtables/EbtablesRuleset';
import type { EbtablesValue } from '../../../src/core/ebtables/EbtablesValue';
import { parseEbtablesRuleTokens } from '../../../src/core/ebtables/EbtablesRuleReader';
import { tokenizeEbtablesLine } from '../../../src/core/ebtables/tokenizeEbtablesLine';
import { DiagnosticSink } from '../../../src/core/text/Diagnostic';
import { NOVA_RULESET } from './novaAntiSpoofRuleset';

/**
 * Meaning-level comparison of rules: ebtables reorders options (`--ip-proto` after `--ip-dst`),
 * renames them (`--arp-opcode 1` -> `--arp-op Request`), pads MACs and rewrites masks
 * (`/255.255.255.0` -> `/24`, `01:00:..:00/01:00:..:00` -> `Multicast`), so a rule as typed and
 * as listed compare by decoded values, options sorted by name.
 */
export function canonicalValue(v: EbtablesValue | undefined, values: readonly string[]): string {
  if (!v) return `text:${values.join(' ')}`;
  switch (v.kind) {
    case 'mac': return `mac:${v.address.toString(16)}/${v.mask.toString(16)}`;
    case 'ethertype': return `ethertype:${v.ethertype}`;
    case 'length': return 'length';
    case 'ip': return `ip${v.cidr.family}:${(v.cidr.address & v.cidr.mask).toString(16)}/${v.cidr.mask.toString(16)}`;
    case 'portRange': return `ports:${v.from}-${v.to}`;
    case 'arpOpcode': return `arpop:${v.opcode}`;
    case 'ipProtocol': return `proto:${v.protocol}`;
    case 'interface': return `if:${v.name}${v.wildcard ? '+' : ''}`;
    case 'masked': return `masked:${v.value}/${v.mask}${v.anyBitSet ? '/any' : ''}`;
    case 'number': return `n:${v.value}`;
    case 'macList': return `macs:${[...v.addresses].sort().join(',')}`;
  }
}

function canonicalOptions(options: readonly EbtablesOption[]): string[] {
  return options.map((o) => `${o.negated ? '! ' : ''}${o.name} ${canonicalValue(o.decoded, o.values)}`).sort();
}

function canonicalTarget(t: EbtablesTarget): string {
  const verdict = t.kind === 'jump' ? '' : t.verdict;
  return `${t.kind} ${t.name} ${verdict} [${canonicalOptions(t.options).join('; ')}]`;
}

export function canonicalRule(r: { options: readonly EbtablesOption[]; target: EbtablesTarget }): string {
  return `${canonicalOptions(r.options).join('; ')} => ${canonicalTarget(r.target)}`;
}

/** Parses a rule as typed on the command line; fails the test if the parser complains. */
export function parseTypedRule(text: string): { options: readonly EbtablesOption[]; target: EbtablesTarget } {
  const sink = new DiagnosticSink('typed');
  const line = { text, number: 1, offset: 0 };
  const parsed = parseEbtablesRuleTokens(tokenizeEbtablesLine(text), 0, { file: 'typed', line, sink, split: false, allowRuleNumber: false });
  assert.deepEqual(sink.diagnostics, [], `typed rule ${text}`);
  return parsed;
}

export interface RulesetCheck {
  /** Listings print user-chain policies differently from ebtables-save (see EbtablesChain). */
  readonly format: 'ebtables-L' | 'ebtables-save';
  readonly counters: boolean;
}

/** Asserts `ruleset` holds exactly NOVA_RULESET: same chains, policies, rules in order, counters. */
export function assertNovaRuleset(ruleset: EbtablesRuleset, check: RulesetCheck): void {
  for (const tableName of ['filter', 'nat']) {
    const table = ruleset.tables.find((t) => t.name === tableName);
    assert.ok(table, `table ${tableName}`);
    const expected = NOVA_RULESET.filter((c) => c.table === tableName);
    assert.deepEqual(table.chains.map((c) => c.name).sort(), expected.map((c) => c.name).sort(), `chains of ${tableName}`);
    for (const want of expected) {
      const chain: EbtablesChain | undefined = table.chains.find((c) => c.name === want.name);
      assert.ok(chain, want.name);
      assert.equal(chain.builtin, want.builtin, `${want.name} builtin`);
      if (check.format === 'ebtables-save' || want.builtin) {
        assert.equal(chain.policy, want.policy, `${want.name} policy`);
      } else {
        // ebtables-nft 1.8.9 -L prints RETURN for every user chain, whatever -P said.
        assert.ok(chain.policy === want.policy || chain.policy === 'RETURN', `${want.name} policy ${chain.policy}`);
      }
      assert.equal(chain.rules.length, want.rules.length, `${want.name} rule count`);
      want.rules.forEach((w, i) => {
        const got = chain.rules[i];
        assert.ok(got);
        assert.equal(got.index, i + 1);
        assert.equal(got.table, tableName);
        assert.equal(got.chain, want.name);
        assert.equal(canonicalRule(got), canonicalRule(parseTypedRule(w.text)), `${want.name} rule ${i + 1}: ${got.raw}`);
        if (check.counters) {
          assert.deepEqual(got.counters, { packets: w.counters?.[0] ?? 0n, bytes: w.counters?.[1] ?? 0n }, `${want.name} rule ${i + 1} counters`);
        } else {
          assert.equal(got.counters, undefined, `${want.name} rule ${i + 1} has no counters`);
        }
      });
    }
  }
}
