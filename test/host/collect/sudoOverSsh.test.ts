import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { collectOverSsh } from '../../../src/host/collect/collectOverSsh';
import { COLLECT_COMMANDS } from '../../../src/host/collect/collectCommands';
import type { CollectResult } from '../../../src/host/collect/CollectResult';
import { sectionFailures } from '../../../src/host/collect/sectionFailures';
import { snapshotFromCollection } from '../../../src/host/collect/snapshotFromCollection';
import { sudoersRule } from '../../../src/host/collect/sudoersRule';
import { startSshdOrSkip, type Sshd } from '../../support/sshd';
import { createLab, labUnavailable, sh, which, type Lab } from './collectLab';

/**
 * Issue 5: "`sudo -n` when not root (a password prompt must fail fast with a message saying what
 * to configure, never hang)". A real sshd on 127.0.0.1 and a throwaway non-root account made for
 * this test (`osnt<pid>`), whose sudo rights come from a sudoers drop-in of ours
 * (/etc/sudoers.d/osnet-test-<pid>, checked with visudo): first a rule WITH a password, then the
 * NOPASSWD line the collection itself suggests. The account, the drop-in, the namespace and
 * sudo's state for the account are removed afterwards.
 */
describe('collection as a non-root user through sudo -n (real sshd, real sudo)', function () {
  this.timeout(180_000);
  const user = `osnt${process.pid}`;
  const dropIn = `/etc/sudoers.d/osnet-test-${process.pid}`;
  const ns = `osnet-ssh-${process.pid}-sudo`;
  let sshd: Sshd | undefined;
  let lab: Lab | undefined;
  let tmp = '';
  let knownHosts = '';
  let userMade = false;

  before(async function () {
    const why = labUnavailable(['ip', 'iptables', 'iptables-save']) ?? (['sudo', 'visudo', 'useradd', 'userdel', 'usermod'].filter((t) => !which(t)).map((t) => `${t} is not installed (Debian packages sudo, passwd)`)[0]);
    sshd = await startSshdOrSkip(this, why);
    // sshd reads authorized_keys as the user logging in: let the throwaway account reach it.
    fs.chmodSync(sshd.dir, 0o711);
    fs.chmodSync(path.join(sshd.dir, 'authorized_keys'), 0o644);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'osnet-sudo-test-'));
    knownHosts = sshd.writeKnownHosts(path.join(tmp, 'known_hosts'));
    assert.notEqual(sh('id', [user]).status, 0, `${user} must not exist before the test`);
    assert.equal(fs.existsSync(dropIn), false);
    const made = sh('useradd', ['--no-create-home', '--home-dir', '/nonexistent', '--shell', '/bin/sh', '--user-group', user]);
    assert.equal(made.status, 0, made.stderr);
    userMade = true;
    // `*`: no password can log in, but the account is not locked (sshd without PAM refuses `!`).
    assert.equal(sh('usermod', ['-p', '*', user]).status, 0);
    lab = createLab('sudo');
    lab.addNamespace(ns);
    lab.inNs(ns, ['iptables', '-A', 'INPUT', '-s', '192.0.2.77/32', '-m', 'comment', '--comment', 'osnet sudo test', '-j', 'DROP']);
  });

  after(async () => {
    await sshd?.stop();
    fs.rmSync(dropIn, { force: true });
    if (userMade) {
      const del = sh('userdel', [user]);
      if (del.status !== 0) console.log(`      userdel ${user}: ${del.stderr.trim()}`);
      // sudo's per-user state, if it made any for the account
      for (const p of [`/run/sudo/ts/${user}`, `/var/lib/sudo/lectured/${user}`, `/var/lib/sudo/ts/${user}`]) fs.rmSync(p, { force: true, recursive: true });
    }
    lab?.cleanup();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const writeDropIn = (line: string): void => {
    const staged = path.join(tmp, 'sudoers');
    fs.writeFileSync(staged, `${line}\n`, { mode: 0o440 });
    const check = sh('visudo', ['-c', '-q', '-f', staged]);
    assert.equal(check.status, 0, `visudo rejects ${JSON.stringify(line)}: ${check.stderr}${check.stdout}`);
    fs.copyFileSync(staged, dropIn);
    fs.chmodSync(dropIn, 0o440);
  };

  const collect = (): Promise<CollectResult> => collectOverSsh(`${user}@127.0.0.1`, {
    resolve: { configFile: null, port: sshd!.port, identityFiles: [sshd!.clientKey], options: { UserKnownHostsFile: knownHosts, GlobalKnownHostsFile: 'none', IdentitiesOnly: 'yes' } },
    agentSocket: null,
    // Only our namespace (and the root one): other tests' namespaces are not ours to read.
    namespaces: ['', ns],
    timeoutMs: 60_000,
  });

  it('sudo needs a password: fails fast with the NOPASSWD line to configure; what a user may read is still collected', async () => {
    writeDropIn(`${user} ALL=(root) /usr/sbin/iptables-save, /usr/sbin/ip`);
    const t0 = Date.now();
    const r = await collect();
    const took = Date.now() - t0;
    console.log(`      ${r.sections.length} sections in ${took} ms, sudo=${String(r.sudo)}, uid ${r.uid ?? '?'}`);
    assert.ok(took < 20_000, `ended in ${took} ms: sudo -n must not wait for a password`);
    assert.equal(r.complete, true, r.error?.message);
    assert.equal(r.sudo, true);
    assert.notEqual(r.uid, '0');
    const ipt = r.sections.find((s) => s.file === 'iptables-save_-c');
    assert.ok(ipt, 'the root namespace iptables-save section is there');
    assert.deepEqual(ipt.argv.slice(0, 2), ['sudo', '-n']);
    assert.notEqual(ipt.exitCode, 0);
    assert.equal(ipt.known?.id, 'sudoPassword', ipt.stderr);
    assert.ok(r.sections.filter((s) => s.netns === ns).every((s) => s.exitCode !== 0 && s.known?.id === 'sudoPassword'), 'every command in the namespace needs sudo');

    // The message says exactly what to configure: this account, NOPASSWD, the allow-listed tools.
    const err = r.problems.find((p) => p.severity === 'error' && p.known === 'sudoPassword');
    assert.ok(err, JSON.stringify(r.problems, null, 1));
    const rule = sudoersRule(user, COLLECT_COMMANDS);
    assert.ok(err.message.includes(rule), err.message);
    for (const tool of ['/usr/sbin/ip', '/usr/sbin/iptables-save', '/usr/bin/ovs-ofctl']) assert.ok(rule.includes(tool), rule);
    assert.match(err.message, /NOPASSWD/);

    // Unprivileged reads ran without sudo and worked.
    const link = r.sections.find((s) => s.file === 'ip_-d_-j_link');
    assert.ok(link && link.exitCode === 0 && link.argv[0] === 'ip', JSON.stringify(link?.argv));
    assert.ok(r.sections.some((s) => s.file === 'ip_route_show_table_all' && s.exitCode === 0));
    const snap = snapshotFromCollection(r).snapshot;
    assert.ok((snap.namespaces[0]?.links.length ?? 0) > 0, 'root namespace links are browsable');

    // The tree's warning nodes: one per command and reason, with the advice.
    const failures = sectionFailures(r);
    const iptNode = failures.find((f) => f.label.startsWith('iptables-save -c: sudo: a password is required'));
    assert.ok(iptNode, failures.map((f) => f.label).join('\n'));
    assert.match(iptNode.label, /\(2 sections\)$/);
    assert.equal(iptNode.severity, 'error');
    assert.ok(iptNode.advice?.includes(rule));
  });

  it('with the suggested NOPASSWD drop-in the same collection succeeds, namespaces included', async () => {
    writeDropIn(sudoersRule(user, COLLECT_COMMANDS));
    const t0 = Date.now();
    const r = await collect();
    console.log(`      ${r.sections.length} sections in ${Date.now() - t0} ms through sudo -n`);
    assert.equal(r.error, undefined, r.error?.message);
    assert.equal(r.sudo, true);
    const sudoFailures = r.sections.filter((s) => s.known?.id === 'sudoPassword' || s.known?.id === 'sudoNotAllowed');
    assert.deepEqual(sudoFailures.map((s) => `${s.argv.join(' ')}: ${s.stderr}`), []);
    const ipt = r.sections.find((s) => s.file === `netns/${ns}/iptables-save_-c`);
    assert.ok(ipt && ipt.exitCode === 0, ipt?.stderr);
    assert.deepEqual(ipt.argv.slice(0, 6), ['sudo', '-n', 'ip', 'netns', 'exec', ns]);
    assert.equal(r.sections.find((s) => s.file === 'iptables-save_-c')?.exitCode, 0);
    const snap = snapshotFromCollection(r).snapshot;
    const rules = snap.namespaces.find((n) => n.name === ns)?.iptables?.tables.flatMap((t) => t.chains.flatMap((c) => c.rules.map((x) => x.raw))) ?? [];
    assert.ok(rules.some((x) => x.includes('osnet sudo test')), 'the namespace rule was read through sudo');
    assert.equal(r.problems.some((p) => p.severity === 'error'), false, JSON.stringify(r.problems.filter((p) => p.severity === 'error')));
  });
});
