import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { sniffIptablesFormat } from '../../../src/core/iptables/sniffIptablesFormat';
import { FIXTURES, fixture } from './netfilterTestHelpers';

describe('sniffIptablesFormat', () => {
  it('recognises every iptables fixture by content alone', () => {
    const seen: Record<string, number> = {};
    for (const dir of ['iptables/hotsos', 'iptables/hotsos-k8s', 'iptables/netns-generated/legacy', 'iptables/netns-generated/nft', 'seeds']) {
      for (const name of readdirSync(path.join(FIXTURES, dir)).filter((n) => /ip6?tables/.test(n))) {
        const text = fixture(`${dir}/${name}`);
        // `iptables-save | grep` with only -A lines reads the same as `iptables -S`; both parsers give the same rules.
        const onlyRules = text.split('\n').every((l) => l.trim() === '' || l.startsWith('-A '));
        const want = /save/.test(name) && !onlyRules ? 'iptables-save' : /-S|save/.test(name) ? 'iptables-S' : 'iptables-L';
        assert.equal(sniffIptablesFormat(text), want, `${dir}/${name}`);
        seen[want] = (seen[want] ?? 0) + 1;
      }
    }
    assert.ok(seen['iptables-save']! >= 10 && seen['iptables-S']! >= 20 && seen['iptables-L']! >= 40, JSON.stringify(seen));
  });

  it('reads the first lines only and says undefined for other text', () => {
    assert.equal(sniffIptablesFormat(''), undefined);
    assert.equal(sniffIptablesFormat('Name: foo\nType: hash:net\n'), undefined);
    assert.equal(sniffIptablesFormat('cookie=0x0, duration=1s, table=0, priority=0 actions=NORMAL\n'), undefined);
    assert.equal(sniffIptablesFormat('Bridge chain: INPUT, entries: 0, policy: ACCEPT\n'), undefined);
    assert.equal(sniffIptablesFormat('# Warning: iptables-legacy tables present, use iptables-legacy-save to see them\n*filter\n'), 'iptables-save');
    assert.equal(sniffIptablesFormat('-A FORWARD -j ACCEPT\n:FORWARD ACCEPT [0:0]\n'), 'iptables-save', 'a grep paste with declarations');
    // A flat 50 MB string, as readFile gives (a concatenation would be flattened on first access).
    const huge = Buffer.from(`*filter\n${'x'.repeat(50 * 1024 * 1024)}`).toString('latin1');
    const t0 = performance.now();
    assert.equal(sniffIptablesFormat(huge), 'iptables-save');
    const ms = performance.now() - t0;
    assert.ok(ms < 200, `only the head is read (took ${ms.toFixed(0)} ms)`);
  });
});
