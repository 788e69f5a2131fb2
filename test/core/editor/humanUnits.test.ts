import { strict as assert } from 'node:assert';
import { formatBytes, formatDuration, formatPackets, groupDigits, parseListCounter } from '../../../src/core/editor/humanUnits';

describe('humanUnits', () => {
  it('formats counters and durations', () => {
    assert.equal(groupDigits(12345678n), '12,345,678');
    assert.equal(formatPackets(1n), '1 packet');
    assert.equal(formatPackets(999), '999 packets');
    assert.equal(formatPackets(12345678901n), '12,345,678,901 packets (12.3 G)');
    assert.equal(formatBytes(413n), '413 bytes');
    assert.equal(formatBytes(98765432109876n), '98,765,432,109,876 bytes (89.8 TiB)');
    assert.equal(formatDuration(53.934), '54 s');
    assert.equal(formatDuration(63605.461), '17 h 40 min');
    assert.equal(formatDuration(190000), '2 d 4 h');
  });

  it('reads iptables -L rounded counters', () => {
    assert.equal(parseListCounter('12K'), 12000);
    assert.equal(parseListCounter('3M'), 3000000);
    assert.equal(parseListCounter('812'), 812);
    assert.equal(parseListCounter('ACCEPT'), undefined);
  });
});
