import { strict as assert } from 'node:assert';
import type { CollectedSection, CollectResult } from '../../../src/host/collect/CollectResult';
import { hostJsonFailures, sectionFailures } from '../../../src/host/collect/sectionFailures';
import { buildHostSnapshot } from '../../../src/core/snapshot/buildHostSnapshot';
import { explainStderr } from '../../../src/host/ssh/knownStderr';

const section = (over: Partial<CollectedSection> & Pick<CollectedSection, 'id' | 'file' | 'argv'>): CollectedSection => {
  const stderr = over.stderr ?? '';
  const known = explainStderr(stderr);
  return { saved: true, exitCode: 0, stdout: Buffer.alloc(0), stderr, ...(known && (over.exitCode ?? 0) !== 0 ? { known } : {}), ...over };
};

const result = (sections: CollectedSection[], sudo = false): CollectResult => ({
  host: 'h', sections, complete: true, problems: [], collectedAt: '', sudo, durationMs: 1, bytes: 1, execs: 1,
});

describe('sectionFailures (the warning nodes under a live host)', () => {
  it('one node per command and reason, named as the operator types it, in collection order', () => {
    const r = result([
      section({ id: 'ip-link-json', file: 'ip_-d_-j_link', argv: ['ip', '-d', '-j', 'link'] }),
      section({ id: 'iptables-save', file: 'iptables-save_-c', argv: ['iptables-save', '-c'], exitCode: 1, stderr: 'iptables-save v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)\n' }),
      ...['a', 'b', 'c'].map((n) => section({ id: 'iptables-save', file: `netns/${n}/iptables-save_-c`, netns: n, argv: ['ip', 'netns', 'exec', n, 'iptables-save', '-c'], exitCode: 1, stderr: `Cannot open network namespace "${n}": Permission denied\n` })),
      section({ id: 'ovs-vsctl-show', file: 'ovs-vsctl_show', argv: ['ovs-vsctl', 'show'], exitCode: 127, stderr: 'sh: 1: ovs-vsctl: not found\n' }),
      section({ id: 'ovs-dump-flows13', file: 'ovs-ofctl_-O_OpenFlow13_dump-flows_br-int', bridge: 'br-int', argv: ['ovs-ofctl', '-O', 'OpenFlow13', '--', 'dump-flows', 'br-int'], exitCode: 1, stderr: 'something odd happened\nsecond line\n' }),
    ]);
    const f = sectionFailures(r);
    assert.deepEqual(f.map((x) => [x.label, x.severity]), [
      ['iptables-save -c: permission denied', 'error'],
      ['iptables-save -c: cannot enter the namespace (3 sections)', 'warning'],
      ['ovs-vsctl show: command not found', 'warning'],
      ['ovs-ofctl -O OpenFlow13 dump-flows br-int: something odd happened', 'warning'],
    ]);
    assert.deepEqual(f[1]!.files, ['netns/a/iptables-save_-c', 'netns/b/iptables-save_-c', 'netns/c/iptables-save_-c']);
    assert.match(f[1]!.details[0]!, /^`ip netns exec a iptables-save -c` exited with 1: Cannot open network namespace "a"/);
    assert.match(f[2]!.advice ?? '', /not installed/);
    assert.deepEqual(sectionFailures(result([])), []);
  });

  it('one node for Open vSwitch not running, whichever OVS commands failed (a linuxbridge node with OVS stopped)', () => {
    const down = 'ovs-vsctl: unix:/var/run/openvswitch/db.sock: database connection failed (No such file or directory)\n';
    const r = result([
      section({ id: 'ovs-vsctl-show', file: 'ovs-vsctl_show', argv: ['ovs-vsctl', 'show'], exitCode: 1, stderr: down }),
      section({ id: 'ip-link-json', file: 'ip_-d_-j_link', argv: ['ip', '-d', '-j', 'link'] }),
      section({ id: 'ovs-vsctl-interfaces', file: 'ovs-vsctl_list_Interface', argv: ['ovs-vsctl', '--format=json', 'list', 'Interface'], exitCode: 1, stderr: down }),
      section({ id: 'ovs-vsctl-bridges', file: 'ovs-vsctl_list-br', argv: ['ovs-vsctl', 'list-br'], exitCode: 1, stderr: down }),
    ]);
    const f = sectionFailures(r);
    assert.equal(f.length, 1);
    assert.equal(f[0]!.label, 'Open vSwitch is not running: ovs-vsctl show, ovs-vsctl --format=json list Interface, ovs-vsctl list-br (3 sections)');
    assert.equal(f[0]!.known, 'ovsNotRunning');
    assert.deepEqual(f[0]!.files, ['ovs-vsctl_show', 'ovs-vsctl_list_Interface', 'ovs-vsctl_list-br']);
    assert.match(f[0]!.advice ?? '', /Open vSwitch is not running/);
  });

  it('lists at most 20 commands per node', () => {
    const many = Array.from({ length: 30 }, (_, i) => section({ id: 'ipset-save', file: `netns/n${i}/ipset_save`, netns: `n${i}`, argv: ['sudo', '-n', 'ip', 'netns', 'exec', `n${i}`, 'ipset', 'save'], exitCode: 1, stderr: 'sudo: a password is required\n' }));
    const [f] = sectionFailures(result(many, true));
    assert.equal(f!.label, 'ipset save: sudo: a password is required (30 sections)');
    assert.equal(f!.details.length, 21);
    assert.equal(f!.details[20], '… and 10 more');
  });

  it('a folder written by osnet collect shows the same nodes from its host.json', () => {
    const hostJson = JSON.stringify({
      version: 1, hostname: 'lb-node', collector: 'osnet',
      commands: [
        { file: 'ip_-d_-j_link', argv: ['ip', '-d', '-j', 'link'], exitCode: 0 },
        { file: 'ovs-vsctl_show', argv: ['ovs-vsctl', 'show'], exitCode: 1, stderr: 'ovs-vsctl: unix:/var/run/openvswitch/db.sock: database connection failed (No such file or directory)\n' },
        { file: 'ovs-vsctl_list_Interface', argv: ['ovs-vsctl', '--format=json', 'list', 'Interface'], exitCode: 1, stderr: 'ovs-vsctl: unix:/var/run/openvswitch/db.sock: database connection failed (No such file or directory)\n' },
        ...['qrouter-1', 'qdhcp-2'].map((n) => ({ file: `netns/${n}/ipset_save`, netns: n, argv: ['sudo', '-n', 'ip', 'netns', 'exec', n, 'ipset', 'save'], exitCode: 1, stderr: 'sudo: a password is required\n' })),
      ],
    });
    const snapshot = buildHostSnapshot([{ path: 'host.json', text: hostJson }, { path: 'ip_-d_-j_link', text: '[]' }], { kind: 'folder', path: '/x' });
    assert.ok(snapshot.collection, 'host.json is kept on the snapshot');
    const f = hostJsonFailures(snapshot.collection);
    assert.deepEqual(f.map((x) => [x.label, x.severity]), [
      ['Open vSwitch is not running: ovs-vsctl show, ovs-vsctl --format=json list Interface (2 sections)', 'warning'],
      ['ipset save: sudo: a password is required (2 sections)', 'error'],
    ]);
    assert.deepEqual(f[1]!.files, ['netns/qrouter-1/ipset_save', 'netns/qdhcp-2/ipset_save']);
  });
});
