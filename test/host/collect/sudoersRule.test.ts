import { strict as assert } from 'node:assert';
import { COLLECT_COMMANDS } from '../../../src/host/collect/collectCommands';
import { sudoersRule, sudoTools } from '../../../src/host/collect/sudoersRule';

describe('sudoersRule (what a non-root collection asks the operator to configure)', () => {
  it('names every privileged tool of the allow-list by full path, and ip for ip netns exec; not the unprivileged ones', () => {
    assert.deepEqual(sudoTools(COLLECT_COMMANDS), ['ebtables', 'ebtables-save', 'ip', 'ip6tables-save', 'ipset', 'iptables-save', 'ovs-appctl', 'ovs-ofctl', 'ovs-vsctl', 'virsh']);
    assert.equal(sudoersRule('heat-admin', COLLECT_COMMANDS),
      'heat-admin ALL=(root) NOPASSWD: /usr/sbin/ebtables, /usr/sbin/ebtables-save, /usr/sbin/ip, /usr/sbin/ip6tables-save, /usr/sbin/ipset, /usr/sbin/iptables-save, /usr/bin/ovs-appctl, /usr/bin/ovs-ofctl, /usr/bin/ovs-vsctl, /usr/bin/virsh');
    assert.deepEqual(sudoTools([{ id: 'x', scope: 'host', argv: ['newtool', '-a'], file: 'x' }]), ['ip', 'newtool']);
    assert.match(sudoersRule('u', [{ id: 'x', scope: 'host', argv: ['newtool'], file: 'x' }]), /\/usr\/bin\/newtool/);
  });
});
