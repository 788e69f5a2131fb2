import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parseConntrackList } from '../../../src/core/conntrack/parseConntrackList';
import { parseConntrackStats } from '../../../src/core/conntrack/parseConntrackStats';
import { sniffConntrackFormat } from '../../../src/core/conntrack/sniffConntrackFormat';
import { formatIp } from '../../../src/core/net/IpAddress';
import { assertDiagnosticsInside, assertSpans, fixture } from '../iptables/netfilterTestHelpers';
import { mutatedDump } from '../iptables/netfilterProperties';

const BIG = 'iptables/hotsos/conntrack_-L_-o_extended.txt';
const SNAT = 'iptables/hotsos/conntrack_-L_-o_extended_netns_snat.txt';

describe('parseConntrackList (conntrack -L [-o extended])', () => {
  it('reads a host table of 1,438 flows (hotsos), re-joining the entry stderr split', () => {
    const text = fixture(BIG);
    const { value, diagnostics } = parseConntrackList(text, { file: 'conntrack_-L_-o_extended' });
    assert.deepEqual(diagnostics.map((d) => [d.severity, d.line, d.message]), [
      ['info', 1434, "conntrack's summary line was printed into the middle of an entry (stdout and stderr captured together); the entry was re-joined"],
    ]);
    assert.equal(value.entries.length, 1438);
    assert.equal(value.shownCount, 1438);
    assert.equal(value.toolVersion, '1.4.5');
    const first = value.entries[0]!;
    assert.deepEqual([first.l3, first.protocol, first.protocolNumber, first.timeout, first.state, first.flags, first.mark, first.use], ['ipv4', 'tcp', 6, 87, 'TIME_WAIT', ['ASSURED'], 0, 1]);
    assert.deepEqual([formatIp(first.original.src!), formatIp(first.original.dst!), first.original.sport, first.original.dport], ['10.0.0.111', '10.0.0.119', 55158, 3306]);
    assert.deepEqual([first.reply!.srcText, first.reply!.dport], ['10.0.0.119', 55158]);
    const joined = value.entries.find((e) => e.span.line === 1434)!;
    assert.equal(joined.span.endLine, 1435);
    assert.equal(joined.use, 1);
    assert.ok(joined.raw.endsWith('use=conntrack v1.4.5 (conntrack-tools): 1438 flow entries have been shown.\n1'));
    const dns = value.entries.find((e) => e.zone === 3)!;
    assert.deepEqual([dns.protocol, dns.state, dns.flags, dns.original.dport], ['udp', undefined, ['UNREPLIED'], 53]);
    const v6 = value.entries.find((e) => e.l3 === 'ipv6')!;
    assert.equal(v6.original.src!.family, 6);
    assertSpans(text, value.entries);
  });

  it('reads VRRP (protocol 112, `unknown`) flows in a snat namespace', () => {
    const text = fixture(SNAT);
    const { value, diagnostics } = parseConntrackList(text, { file: 'snat' });
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(value.entries.map((e) => [e.protocol, e.protocolNumber, e.timeout, e.original.dstText, e.flags]), [
      ['unknown', 112, 598, '224.0.0.18', ['UNREPLIED']],
      ['unknown', 2, 583, '224.0.0.22', ['UNREPLIED']],
    ]);
    assertSpans(text, value.entries);
  });

  it('reads the short form, ICMP tuples, accounting and extra fields', () => {
    const text = [
      'tcp      6 431999 ESTABLISHED src=10.0.0.5 dst=10.1.26.252 sport=37358 dport=10051 packets=3 bytes=180 src=10.1.26.139 dst=10.0.0.5 sport=10051 dport=37358 packets=0 bytes=0 [UNREPLIED] mark=0 secctx=system_u use=1 id=42',
      'icmp     1 29 src=10.0.0.1 dst=10.0.0.2 type=8 code=0 id=1234 src=10.0.0.2 dst=10.0.0.1 type=0 code=0 id=1234 mark=0 zone=4097 use=1',
    ].join('\n');
    const { value, diagnostics } = parseConntrackList(text, { file: 'x' });
    assert.deepEqual(diagnostics, []);
    const [tcp, icmp] = value.entries;
    assert.equal(tcp!.l3, undefined);
    assert.deepEqual([tcp!.original.packets, tcp!.original.bytes, tcp!.reply!.srcText], [3n, 180n, '10.1.26.139']);
    assert.deepEqual(tcp!.extra, { secctx: 'system_u', id: '42' });
    assert.deepEqual([icmp!.original.icmpType, icmp!.original.icmpCode, icmp!.original.icmpId, icmp!.reply!.icmpType, icmp!.zone], [8, 0, 1234, 0, 4097]);
    assert.equal(sniffConntrackFormat(text), 'conntrack-L');
  });

  it('reports bad lines with positions and keeps the rest', () => {
    const text = ['tcp 6 10 ESTABLISHED src=1.2.3.4 dst=5.6.7.8 sport=1 dport=2 [ASSURED] use=1', 'hello world', 'udp 17 5', 'conntrack v1.4.7 (conntrack-tools): 3 flow entries have been shown.'].join('\n');
    const { value, diagnostics } = parseConntrackList(text, { file: 'x' });
    assertDiagnosticsInside(text, diagnostics);
    assert.deepEqual(diagnostics.map((d) => [d.severity, d.line]), [['error', 2], ['error', 3], ['warning', 1]]);
    assert.equal(diagnostics[1]!.message, 'conntrack entry without a `src=` tuple; line ignored');
    assert.equal(diagnostics[2]!.message, 'conntrack reported 3 flow entries but 1 were read (truncated or filtered capture?)');
    assert.equal(value.entries.length, 1);
  });

  it('never throws on mutated dumps; spans still round-trip (fast-check)', () => {
    const base = fixture(BIG).split('\n').slice(1420).join('\n');
    fc.assert(
      fc.property(mutatedDump(base), (text) => {
        const r = parseConntrackList(text, { file: 'x' });
        assertDiagnosticsInside(text, r.diagnostics);
        assertSpans(text, r.value.entries);
      }),
      { numRuns: 150 },
    );
  });
});

describe('parseConntrackStats (conntrack -S)', () => {
  it('reads per-CPU counters from hotsos and from conntrack 1.4.7', () => {
    const text = fixture('iptables/hotsos/conntrack_-S.txt');
    const { value, diagnostics } = parseConntrackStats(text, { file: 'conntrack_-S' });
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(value.cpus.map((c) => [c.cpu, c.counters['invalid'], c.counters['search_restart']]), [[0, 6914n, 9916n], [1, 30n, 4151n]]);
    assertSpans(text, value.cpus);
    assert.equal(sniffConntrackFormat(text), 'conntrack-S');
    const newer = parseConntrackStats(fixture('iptables/netns-generated/conntrack_-S.nft'), { file: 'x' });
    assert.deepEqual(newer.diagnostics, []);
    assert.equal(newer.value.cpus[0]!.counters['chaintoolong'], 0n);
  });

  it('reports a bad line and keeps the others', () => {
    const { value, diagnostics } = parseConntrackStats('cpu=0 found=1\ncpu=1 found=x\nfound=2\n', { file: 'x' });
    assert.deepEqual(diagnostics.map((d) => [d.severity, d.line, d.message]), [
      ['error', 2, 'unexpected `found=x` in conntrack -S output (expected name=number); line ignored'],
      ['error', 3, 'conntrack -S line without cpu=N; line ignored'],
    ]);
    assert.equal(value.cpus.length, 1);
    fc.assert(
      fc.property(mutatedDump(fixture('iptables/hotsos/conntrack_-S.txt')), (text) => {
        const r = parseConntrackStats(text, { file: 'x' });
        assertDiagnosticsInside(text, r.diagnostics);
        assertSpans(text, r.value.cpus);
      }),
      { numRuns: 100 },
    );
  });

  it('sniffs nothing else', () => {
    assert.equal(sniffConntrackFormat('*filter\n'), undefined);
    assert.equal(sniffConntrackFormat('conntrack v1.4.5 (conntrack-tools): 0 flow entries have been shown.\n'), 'conntrack-L');
    assert.equal(sniffConntrackFormat(''), undefined);
  });
});
