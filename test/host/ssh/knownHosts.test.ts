import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hostKeyFingerprint } from '../../../src/host/ssh/hostKeyFingerprint';
import { checkHostKey, knownHostName, parseKnownHosts } from '../../../src/host/ssh/knownHosts';
import { explainStderr } from '../../../src/host/ssh/knownStderr';
import { matchHostPatternList, matchWildcard } from '../../../src/host/ssh/matchHostPattern';
import { shellJoin, shellQuote } from '../../../src/host/ssh/shellQuote';

/** Keys and hashed lines made by the real ssh-keygen, so our reading matches OpenSSH's. */
describe('known_hosts and fingerprints (with real ssh-keygen)', function () {
  this.timeout(30_000);
  let dir = '';
  const keys: { pub: string; blob: Buffer; type: string; fp: string }[] = [];
  before(function () {
    if (spawnSync('ssh-keygen', ['-?']).error) {
      console.log('      skipped: ssh-keygen not installed');
      this.skip();
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'osnet-kh-'));
    for (const [t, bits] of [['ed25519', ''], ['ecdsa', '256'], ['rsa', '2048']] as const) {
      const f = path.join(dir, `k_${t}`);
      spawnSync('ssh-keygen', ['-q', '-t', t, ...(bits ? ['-b', bits] : []), '-N', '', '-f', f]);
      const pub = fs.readFileSync(`${f}.pub`, 'utf8').trim();
      const [type, b64] = pub.split(' ');
      const fp = /SHA256:\S+/.exec(spawnSync('ssh-keygen', ['-lf', `${f}.pub`], { encoding: 'utf8' }).stdout)?.[0] ?? '';
      keys.push({ pub, blob: Buffer.from(b64 ?? '', 'base64'), type: type ?? '', fp });
    }
  });
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it('prints the same SHA256 fingerprint as ssh-keygen -l for ed25519, ecdsa and rsa', () => {
    for (const k of keys) assert.equal(hostKeyFingerprint(k.blob), k.fp, k.type);
  });

  it('matches plain, [host]:port, wildcard and hashed entries; detects changed and revoked keys', () => {
    const [ed, ec, rsa] = keys as [typeof keys[0], typeof keys[0], typeof keys[0]];
    const file = path.join(dir, 'known_hosts');
    fs.writeFileSync(file, [
      `# comment`,
      `compute-1,192.0.2.11 ${ed.pub}`,
      `[compute-1]:2222 ${ec.pub}`,
      `*.ctl.example.net,!bad.ctl.example.net ${rsa.pub}`,
      `hashme ${ed.pub}`,
      `@revoked * ${ec.pub}`,
      '',
    ].join('\n'));
    // Let the real ssh-keygen hash every line it can (|1|salt|hash); it keeps the original as .old.
    const h = spawnSync('ssh-keygen', ['-H', '-f', file], { encoding: 'utf8' });
    assert.equal(h.status, 0, h.stderr);
    fs.appendFileSync(file, 'garbage line\n');
    const hashed = parseKnownHosts(fs.readFileSync(file, 'utf8'), file);
    assert.ok(hashed.entries.some((e) => e.hosts.kind === 'hashed'));
    assert.equal(hashed.skipped.length, 1);
    assert.equal(checkHostKey([hashed], ['hashme'], ed.blob).status, 'known');
    assert.equal(checkHostKey([hashed], ['compute-1'], ed.blob).status, 'known');
    assert.equal(checkHostKey([hashed], ['192.0.2.11'], ed.blob).status, 'known');
    // Same type, another key for the name: changed, and the line is named.
    const other = keys.find((k) => k.type === 'ssh-ed25519')!;
    const changedKey = Buffer.from(other.blob);
    changedKey.writeUInt8(changedKey.readUInt8(changedKey.length - 1) ^ 1, changedKey.length - 1);
    const ch = checkHostKey([hashed], ['compute-1'], changedKey);
    assert.equal(ch.status, 'changed');
    assert.equal(ch.status === 'changed' && ch.entry.line, 2);
    // A key of a type not known for the host is unknown (OpenSSH asks), listing the known types.
    const unk = checkHostKey([hashed], ['compute-1'], rsa.blob);
    assert.deepEqual(unk, { status: 'unknown', otherTypes: ['ssh-ed25519'] });

    const plain = parseKnownHosts(fs.readFileSync(`${file}.old`, 'utf8'), file);
    assert.equal(checkHostKey([plain], ['x.ctl.example.net'], rsa.blob).status, 'known');
    assert.equal(checkHostKey([plain], ['bad.ctl.example.net'], rsa.blob).status, 'unknown');
    assert.equal(checkHostKey([plain], [knownHostName('compute-1', 2222)], ec.blob).status, 'revoked');
  });

  it('wildcards are linear and OpenSSH-like', () => {
    assert.equal(matchWildcard('comp?te-*', 'COMPUTE-12'), true);
    assert.equal(matchWildcard('a?c', 'ac'), false);
    assert.equal(matchWildcard('*a*a*a*a*a*b', 'a'.repeat(5000)), false);
    assert.equal(matchHostPatternList('*,!10.*', '10.0.0.1'), false);
  });

  it('shell quoting keeps any word one literal word', () => {
    const words = ["it's", '$(touch /tmp/x)', '`id`', 'a b', '', '\\', '"', "'''", 'é;|&<>'];
    const r = spawnSync('sh', ['-c', `printf '%s\\n' ${shellJoin(words)}`], { encoding: 'utf8' });
    assert.equal(r.stdout, words.map((w) => `${w}\n`).join(''));
    assert.throws(() => shellQuote('a\0b'));
  });

  it('maps known stderr messages to advice', () => {
    assert.equal(explainStderr('sudo: a password is required\n')?.id, 'sudoPassword');
    assert.equal(explainStderr('Cannot open network namespace "qr-1": No such file or directory\n')?.id, 'netnsOpen');
    assert.equal(explainStderr('sh: 1: ovs-vsctl: not found\n')?.id, 'commandNotFound');
    assert.equal(explainStderr('bash: virsh: command not found\n')?.id, 'commandNotFound');
    assert.equal(explainStderr('iptables-save v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)\n')?.id, 'permissionDenied');
    assert.equal(explainStderr('ovs-vsctl: unix:/var/run/openvswitch/db.sock: database connection failed (No such file or directory)\n')?.id, 'ovsNotRunning');
    assert.equal(explainStderr("ebtables v1.8.9 (nf_tables): table 'broute' does not exist\n")?.id, 'ebtablesTable');
    assert.equal(explainStderr('something else'), undefined);
  });
});
