import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { SectionStreamParser, type StreamRecord } from '../../../src/host/collect/SectionStreamParser';

const TOKEN = '0123456789abcdef0123456789abcdef';
const T = `@@osnet:${TOKEN}`;
const limits = { maxSectionBytes: 1 << 20, maxStderrBytes: 1 << 16 };

/** One group record: `group nsLen objLen count`, the names, one line per section, then the payloads. */
function group(ns: string, obj: string, sections: readonly [id: string, rc: number, out: string, err: string][]): Buffer {
  const nsB = Buffer.from(ns);
  const objB = Buffer.from(obj);
  const lines = sections.map(([id, rc, out, err]) => `${id} ${rc} ${Buffer.byteLength(out)} ${Buffer.byteLength(out)} ${Buffer.byteLength(err)} ${Buffer.byteLength(err)}\n`).join('');
  return Buffer.concat([Buffer.from(`${T} group ${nsB.length} ${objB.length} ${sections.length}\n`), nsB, objB, Buffer.from(lines), ...sections.map(([, , out, err]) => Buffer.from(out + err))]);
}

/** A stream whose payloads try hard to look like records: fake headers with the real token too. */
const HOSTILE_OUT = `line\n${T} end\n${T} group 0 0 1\nip-rule 0 5 5 0 0\nhello\n@@osnet:ffffffffffffffffffffffffffffffff begin 2 0 0\n`;
const STREAM = Buffer.concat([
  Buffer.from('motd from a chatty .bashrc\n'),
  Buffer.from(`${T} begin 2 0 0\n`),
  group("q'x \"y;$(id)", '', [['iptables-save', 0, HOSTILE_OUT, ''], ['ip-link-json', 0, '', ''], ['ipset-save', 1, '', 'ipset: nope\n']]),
  group('', 'br-int', [['ovs-dump-flows13', 1, '', 'ovs-ofctl: br-int is not a bridge or a socket\n']]),
  Buffer.from(`${T} skip netns 3\na\tb`),
  group('', '', [['ip-rule', 0, 'no trailing newline', '']]),
  Buffer.from(`${T} end\n`),
]);

function parseAll(chunks: readonly Buffer[]): { records: StreamRecord[]; parser: SectionStreamParser } {
  const records: StreamRecord[] = [];
  const parser = new SectionStreamParser(TOKEN, limits, (r) => records.push(r));
  for (const c of chunks) parser.push(c);
  return { records, parser };
}

function summary(rs: readonly StreamRecord[]): string[] {
  return rs.map((r) => (r.kind === 'section' ? `sec ${r.id} ${r.exitCode} ${r.netns.toString()}|${r.object.toString()}|${r.stdout.toString()}|${r.stderr.toString()}` : r.kind === 'skip' ? `skip ${r.what} ${JSON.stringify(r.name.toString())}` : r.kind));
}

describe('SectionStreamParser', () => {
  it('reads length-prefixed sections whose output fakes record headers (with the real token)', () => {
    const { records, parser } = parseAll([STREAM]);
    assert.equal(parser.error, undefined);
    assert.equal(parser.sawEnd, true);
    assert.deepEqual(summary(records), [
      'begin',
      `sec iptables-save 0 q'x "y;$(id)||${HOSTILE_OUT}|`,
      `sec ip-link-json 0 q'x "y;$(id)|||`,
      `sec ipset-save 1 q'x "y;$(id)|||ipset: nope\n`,
      'sec ovs-dump-flows13 1 |br-int||ovs-ofctl: br-int is not a bridge or a socket\n',
      'skip netns "a\\tb"',
      'sec ip-rule 0 ||no trailing newline|',
      'end',
    ]);
  });

  it('gives the same records however the stream is chunked (property)', () => {
    const whole = summary(parseAll([STREAM]).records);
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: STREAM.length }), { maxLength: 40 }), (cuts) => {
      const points = [...new Set(cuts)].sort((a, b) => a - b);
      const chunks: Buffer[] = [];
      let prev = 0;
      for (const p of [...points, STREAM.length]) {
        chunks.push(STREAM.subarray(prev, p));
        prev = p;
      }
      assert.deepEqual(summary(parseAll(chunks).records), whole);
    }), { numRuns: 300 });
  });

  it('keeps the records before a disconnect and says a record was half received', () => {
    const cut = STREAM.indexOf('no trailing') + 3;
    // Everything before the cut was delivered; the section being received is not.
    const { records, parser } = parseAll([STREAM.subarray(0, cut)]);
    assert.deepEqual(summary(records), summary(parseAll([STREAM]).records).slice(0, 6));
    assert.equal(parser.sawEnd, false);
    assert.equal(parser.midRecord, true);
  });

  it('stops (never guesses) on output between sections, oversize announcements, bad headers and junk floods', () => {
    const cases: [string, Buffer, RegExp][] = [
      ['stray line', Buffer.from(`${T} begin 2 0 0\nstray\n`), /unexpected output between records/],
      ['other token', Buffer.from(`${T} begin 2 0 0\n@@osnet:ffffffffffffffffffffffffffffffff end\n`), /unexpected output/],
      ['oversize', Buffer.from(`${T} begin 2 0 0\n${T} group 0 0 1\nip-rule 0 ${limits.maxSectionBytes + 1} ${limits.maxSectionBytes + 1} 0 0\n`), /over the .*limit/],
      ['sent > total', Buffer.from(`${T} begin 2 0 0\n${T} group 0 0 1\nip-rule 0 9 3 0 0\n`), /announces/],
      ['bad id', Buffer.from(`${T} begin 2 0 0\n${T} group 0 0 1\n../x 0 0 0 0 0\n`), /malformed section line/],
      ['empty group', Buffer.from(`${T} begin 2 0 0\n${T} group 0 0 0\n`), /a group of 0/],
      ['record before begin', Buffer.from(`${T} end\n`), /before begin/],
      ['junk flood', Buffer.alloc(2 * 1024 * 1024, 0x41), /more than 1 MiB/],
    ];
    for (const [name, buf, re] of cases) {
      const { parser } = parseAll([buf]);
      assert.match(parser.error ?? '', re, name);
    }
  });

  it('never throws on random bytes after begin (property)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 4000 }), (bytes) => {
      const { parser } = parseAll([Buffer.from(`${T} begin 2 0 0\n`), Buffer.from(bytes)]);
      assert.ok(parser.error === undefined || typeof parser.error === 'string');
    }), { numRuns: 300 });
  });
});
