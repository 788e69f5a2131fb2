import { strict as assert } from 'node:assert';
import { IptablesTokens, tokenizeIptablesLine } from '../../../src/core/iptables/tokenizeIptablesLine';

function words(line: string): [string, number, number, boolean][] {
  const t = tokenizeIptablesLine(line, 0, new IptablesTokens());
  return Array.from({ length: t.count }, (_, k) => [t.text[k]!, t.start[k]!, t.end[k]!, t.quoted[k]!]);
}

describe('tokenizeIptablesLine', () => {
  it('splits on blanks and keeps offsets', () => {
    assert.deepEqual(words('-A  INPUT\t-j ACCEPT'), [['-A', 0, 2, false], ['INPUT', 4, 9, false], ['-j', 10, 12, false], ['ACCEPT', 13, 19, false]]);
  });

  it('reads quoted comments and escaped quotes as iptables-restore does', () => {
    assert.deepEqual(words('--comment "Drop traffic without an IP/MAC allow rule." -j DROP'), [
      ['--comment', 0, 9, false], ['Drop traffic without an IP/MAC allow rule.', 10, 54, true], ['-j', 55, 57, false], ['DROP', 58, 62, false],
    ]);
    assert.deepEqual(words('--comment "a \\"b\\" \\\\c"').map((w) => w[0]), ['--comment', 'a "b" \\c']);
    assert.deepEqual(words('x"y z"w').map((w) => w[0]), ['xy z', 'w'], 'a quote opens mid-word; its close ends the argument');
    assert.deepEqual(words('--comment ""').map((w) => [w[0], w[3]]), [['--comment', false], ['', true]]);
  });

  it('reports an unterminated quote and takes the rest of the line', () => {
    const t = tokenizeIptablesLine('-m comment --comment "never closed -j DROP', 0, new IptablesTokens());
    assert.equal(t.unterminatedQuoteAt, 21);
    assert.equal(t.text[t.count - 1], 'never closed -j DROP');
  });

  it('reuses its arrays across lines', () => {
    const toks = new IptablesTokens();
    tokenizeIptablesLine('-A a b c d e', 0, toks);
    tokenizeIptablesLine('-N x', 0, toks);
    assert.equal(toks.count, 2);
    assert.equal(tokenizeIptablesLine('[1:2] -A X', 6, toks).text[0], '-A');
  });
});
