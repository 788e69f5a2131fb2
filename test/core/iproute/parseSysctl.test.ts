import { strict as assert } from 'node:assert';
import { parseSysctl } from '../../../src/core/iproute/parseSysctl';
import { assertSpans, fixture } from './helpers';

describe('parseSysctl', () => {
  it('reads `sysctl` output of the seed (proxy_arp of a DVR fg- port)', () => {
    const text = fixture('seeds/004-fip_sysctl_proxy_arp.txt');
    const r = parseSysctl(text, { file: 'sysctl' });
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.value.map((e) => [e.key, e.value]), [['net.ipv4.conf.fg-8e1bdebc-b0.proxy_arp', '1']]);
    assertSpans(text, r.value);
  });

  it('accepts dotted, slash and /proc/sys forms, multi-value and empty values; reports the rest', () => {
    const text = [
      '# sysctl.conf style comment',
      'net.bridge.bridge-nf-call-iptables = 1',
      'net/ipv4/conf/eth0.100/rp_filter = 2',
      '/proc/sys/net/ipv4/conf/all/arp_ignore:1',
      'net.ipv4.tcp_rmem = 4096\t131072\t6291456',
      'kernel.domainname = ',
      'sysctl: permission denied on key "fs.protected_regular"',
      'just words',
    ].join('\n');
    const r = parseSysctl(text, { file: 't' });
    assert.deepEqual(r.value.map((e) => [e.key, e.value]), [
      ['net.bridge.bridge-nf-call-iptables', '1'],
      ['net.ipv4.conf.eth0/100.rp_filter', '2'],
      ['net.ipv4.conf.all.arp_ignore', '1'],
      ['net.ipv4.tcp_rmem', '4096\t131072\t6291456'],
      ['kernel.domainname', ''],
    ]);
    assert.deepEqual(r.diagnostics.map((d) => [d.severity, d.line]), [['warning', 7], ['error', 8]]);
    assertSpans(text, r.value);
  });
});
