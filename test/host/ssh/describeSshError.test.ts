import { strict as assert } from 'node:assert';
import { describeSshError } from '../../../src/host/ssh/describeSshError';
import { HostCommandError } from '../../../src/host/ssh/HostCommandError';
import { SshError } from '../../../src/host/ssh/SshError';

/** The error node of a failed host: a short label without the host's name (the node has it), the detail for the tooltip. */
describe('describeSshError', () => {
  it('labels each kind, keeps the whole message and a hint in the detail', () => {
    const changed = describeSshError(new SshError('hostKeyChanged', 'root@h:22', 'root@h:22: REMOTE HOST IDENTIFICATION HAS CHANGED: the ssh-ed25519 host key is now SHA256:x, but /k:3 holds another one.', { file: '/k', line: 3 }));
    assert.equal(changed.label, 'HOST KEY CHANGED, refused: REMOTE HOST IDENTIFICATION HAS CHANGED: the ssh-ed25519 host key is now SHA256:x, but /k:3 holds another one.');
    assert.match(changed.detail, /^root@h:22: REMOTE HOST/);
    assert.match(changed.detail, /reinstalled/);
    const timeout = describeSshError(new SshError('timeout', 'r@h', 'r@h: the collection did not finish within 300 s', { phase: 'command' }));
    assert.equal(timeout.label, 'Collection timed out: the collection did not finish within 300 s');
    assert.equal(describeSshError(new SshError('auth', 'r@h', 'r@h: authentication failed (tried: agent)')).label, 'Authentication failed: authentication failed (tried: agent)');
    assert.equal(describeSshError(new SshError('aborted', 'r@h', 'r@h: cancelled')).kind, 'aborted');
  });

  it('other errors: their message; long ones cut for the label only', () => {
    const long = 'x'.repeat(500);
    const d = describeSshError(new Error(long));
    assert.equal(d.label.length, 140);
    assert.equal(d.detail, long);
    assert.equal(describeSshError('plain').label, 'plain');
    const c = describeSshError(new HostCommandError('r@h', ['ovs-vsctl', 'show'], 127, 'sh: 1: ovs-vsctl: not found\n'));
    assert.equal(c.kind, 'command');
    assert.match(c.label, /ovs-vsctl show` exited with 127/);
  });
});
