import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { connectSsh, type UnknownHostKey } from '../../../src/host/ssh/connectSsh';
import { HostCommandError } from '../../../src/host/ssh/HostCommandError';
import { parseKnownHosts } from '../../../src/host/ssh/knownHosts';
import { resolveSshHost, type ResolveSshHostOptions } from '../../../src/host/ssh/resolveSshHost';
import { SshError } from '../../../src/host/ssh/SshError';
import { startSshdOrSkip, type Sshd } from '../../support/sshd';

/**
 * Real OpenSSH server on 127.0.0.1 (test/support/sshd.ts): host key verification like OpenSSH,
 * the authentication order, ProxyJump, timeouts and cancellation, against the real thing.
 */
describe('connectSsh against a real sshd', function () {
  this.timeout(60_000);
  let sshd: Sshd | undefined;
  let tmp = '';

  before(async function () {
    sshd = await startSshdOrSkip(this);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'osnet-ssh-test-'));
  });
  after(async () => {
    await sshd?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const target = (knownHosts: string, extra: ResolveSshHostOptions = {}) => {
    const s = sshd as Sshd;
    return resolveSshHost('root@127.0.0.1', {
      configFile: null,
      port: s.port,
      identityFiles: [s.clientKey],
      ...extra,
      options: { UserKnownHostsFile: knownHosts, GlobalKnownHostsFile: 'none', IdentitiesOnly: 'yes', ...(extra.options ?? {}) },
    });
  };

  it('connects when known_hosts holds the key, and runs an argv with every word quoted', async () => {
    const kh = sshd!.writeKnownHosts(path.join(tmp, 'kh-plain'));
    const c = await connectSsh(target(kh), { agentSocket: null, onUnknownHostKey: () => Promise.reject(new Error('must not ask')) });
    try {
      const r = await c.run(['printf', '%s|', 'a b', "it's", '$(touch /tmp/never)', '`id`']);
      assert.equal(r.stdout.toString(), "a b|it's|$(touch /tmp/never)|`id`|");
      assert.equal(c.execCount, 1);
      await assert.rejects(c.run(['sh', '-c', 'echo oops >&2; exit 3']), (e: unknown) => HostCommandError.is(e) && e.exitCode === 3 && e.stderr === 'oops\n');
    } finally {
      c.close();
    }
  });

  it('accepts a hashed known_hosts entry (|1|salt|hash)', async () => {
    const kh = sshd!.writeKnownHosts(path.join(tmp, 'kh-hashed'), { hashed: true });
    assert.match(fs.readFileSync(kh, 'utf8'), /^\|1\|/);
    const c = await connectSsh(target(kh), { agentSocket: null });
    c.close();
  });

  it('asks about an unknown key with its SHA256 fingerprint (as ssh-keygen -l prints it); reject refuses, save writes known_hosts', async () => {
    const kh = path.join(tmp, 'kh-new');
    const asked: UnknownHostKey[] = [];
    await assert.rejects(
      connectSsh(target(kh), { agentSocket: null, onUnknownHostKey: (i) => { asked.push(i); return Promise.resolve('reject'); } }),
      (e: unknown) => SshError.is(e, 'hostKeyUnknown') && e.detail.fingerprint === sshd!.hostKeyFingerprint,
    );
    assert.equal(asked.length, 1);
    assert.equal(asked[0]?.fingerprint, sshd!.hostKeyFingerprint);
    assert.equal(asked[0]?.keyType, 'ssh-ed25519');
    assert.equal(asked[0]?.host, `[127.0.0.1]:${sshd!.port}`);
    assert.equal(fs.existsSync(kh), false, 'a rejected key is not saved');

    const c = await connectSsh(target(kh), { agentSocket: null, onUnknownHostKey: (i) => { asked.push(i); return Promise.resolve('accept-and-save'); } });
    c.close();
    const saved = parseKnownHosts(fs.readFileSync(kh, 'utf8'), kh);
    assert.equal(saved.entries.length, 1);
    // The saved line is what OpenSSH itself accepts: ssh-keygen -F finds it.
    const found = spawnSync('ssh-keygen', ['-F', `[127.0.0.1]:${sshd!.port}`, '-f', kh], { encoding: 'utf8' });
    assert.equal(found.status, 0, found.stderr);
    const again = await connectSsh(target(kh), { agentSocket: null, onUnknownHostKey: () => Promise.reject(new Error('must not ask twice')) });
    again.close();
    assert.equal(asked.length, 2);
  });

  it('StrictHostKeyChecking yes refuses an unknown key without asking; accept-new saves it without asking', async () => {
    const kh = path.join(tmp, 'kh-strict');
    let asked = 0;
    await assert.rejects(connectSsh(target(kh, { options: { StrictHostKeyChecking: 'yes' } }), { agentSocket: null, onUnknownHostKey: () => { asked++; return Promise.resolve('accept-once'); } }),
      (e: unknown) => SshError.is(e, 'hostKeyUnknown'));
    assert.equal(asked, 0);
    const c = await connectSsh(target(kh), { agentSocket: null, strictHostKeyChecking: 'accept-new' });
    c.close();
    assert.match(fs.readFileSync(kh, 'utf8'), new RegExp(`^\\[127\\.0\\.0\\.1\\]:${sshd!.port} ssh-ed25519 `));
  });

  it('refuses a changed host key (sshd restarted with another key), naming the known_hosts file and line', async () => {
    const kh = path.join(tmp, 'kh-changed');
    fs.writeFileSync(kh, `# a comment line\nother.example ssh-ed25519 ${sshd!.hostKeyLine.split(' ')[1]}\n`);
    sshd!.writeKnownHosts(path.join(tmp, 'kh-tmp'));
    fs.appendFileSync(kh, fs.readFileSync(path.join(tmp, 'kh-tmp'), 'utf8'));
    const oldFp = sshd!.hostKeyFingerprint;
    await sshd!.restart({ newHostKey: true });
    assert.notEqual(sshd!.hostKeyFingerprint, oldFp);
    let asked = 0;
    const t0 = Date.now();
    await assert.rejects(connectSsh(target(kh), { agentSocket: null, onUnknownHostKey: () => { asked++; return Promise.resolve('accept-and-save'); } }), (e: unknown) => {
      assert.ok(SshError.is(e, 'hostKeyChanged'), String(e));
      assert.equal(e.detail.file, kh);
      assert.equal(e.detail.line, 3);
      assert.equal(e.detail.fingerprint, sshd!.hostKeyFingerprint);
      assert.match(e.message, /REMOTE HOST IDENTIFICATION HAS CHANGED/);
      assert.ok(e.message.includes(`${kh}:3`), e.message);
      return true;
    });
    assert.equal(asked, 0, 'a changed key is never offered for acceptance');
    assert.ok(Date.now() - t0 < 10_000);
  });

  it('asks for the passphrase of an encrypted key (again after a wrong one), never storing it', async () => {
    const kh = sshd!.writeKnownHosts(path.join(tmp, 'kh-pass'));
    const asked: number[] = [];
    const accepted: string[] = [];
    const c = await connectSsh(target(kh, { identityFiles: [sshd!.encryptedClientKey] }), {
      agentSocket: null,
      askPassphrase: ({ keyFile, attempt }) => {
        assert.equal(keyFile, sshd!.encryptedClientKey);
        asked.push(attempt);
        return Promise.resolve(attempt === 1 ? 'wrong' : sshd!.clientKeyPassphrase);
      },
      // Only the one that decrypted the key is reported (the extension may keep it in SecretStorage).
      passphraseAccepted: ({ keyFile, passphrase }) => accepted.push(`${keyFile}:${passphrase}`),
    });
    c.close();
    assert.deepEqual(asked, [1, 2]);
    assert.deepEqual(accepted, [`${sshd!.encryptedClientKey}:${sshd!.clientKeyPassphrase}`]);
  });

  it('falls back to the password callback last, and fails with an auth error naming what was tried', async () => {
    const kh = sshd!.writeKnownHosts(path.join(tmp, 'kh-pw'));
    const prompts: string[] = [];
    await assert.rejects(
      connectSsh(target(kh, { identityFiles: [path.join(tmp, 'no-such-key')] }), {
        agentSocket: null,
        askPassword: ({ prompt, attempt }) => { prompts.push(prompt); return Promise.resolve(attempt <= 1 ? 'not-the-password' : undefined); },
      }),
      (e: unknown) => SshError.is(e, 'auth') && /password/.test(e.message) && /no-such-key: ENOENT/.test(e.message),
    );
    assert.equal(prompts.length >= 1, true);
    assert.match(prompts[0] ?? '', /^root@127\.0\.0\.1:\d+'s password:$/);
  });

  it('uses ssh-agent (SSH_AUTH_SOCK) before identity files', async function () {
    if (spawnSync('ssh-agent', ['-h']).error) {
      console.log('      skipped: ssh-agent not installed');
      this.skip();
    }
    const sock = path.join(tmp, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 50 && !fs.existsSync(sock); i++) await new Promise((r) => setTimeout(r, 50));
      const add = spawnSync('ssh-add', [sshd!.clientKey], { env: { ...process.env, SSH_AUTH_SOCK: sock }, encoding: 'utf8' });
      assert.equal(add.status, 0, add.stderr);
      const kh = sshd!.writeKnownHosts(path.join(tmp, 'kh-agent'));
      // No identity file at all: only the agent can authenticate.
      const t = resolveSshHost('root@127.0.0.1', { configFile: null, port: sshd!.port, options: { UserKnownHostsFile: kh, GlobalKnownHostsFile: 'none', IdentityFile: path.join(tmp, 'absent') } });
      const c = await connectSsh(t, { agentSocket: sock });
      c.close();
    } finally {
      agent.kill('SIGTERM');
    }
  });

  it('goes through a ProxyJump chain of two hops (forwardOut), each hop verified', async () => {
    const kh = sshd!.writeKnownHosts(path.join(tmp, 'kh-jump'));
    const cfg = path.join(tmp, 'ssh_config_jump');
    fs.writeFileSync(cfg, [
      'Host hop1 hop2 final',
      '  HostName 127.0.0.1',
      `  Port ${sshd!.port}`,
      '  User root',
      `  IdentityFile ${sshd!.clientKey}`,
      `  UserKnownHostsFile ${kh}`,
      '  GlobalKnownHostsFile none',
      'Host hop2',
      '  ProxyJump hop1',
      'Host final',
      '  ProxyJump hop2',
      '',
    ].join('\n'));
    const t = resolveSshHost('final', { configFile: cfg });
    assert.deepEqual(t.proxyJump.map((h) => h.alias), ['hop1', 'hop2']);
    const c = await connectSsh(t, { agentSocket: null });
    try {
      assert.equal(c.label, `root@127.0.0.1:${sshd!.port} -> root@127.0.0.1:${sshd!.port} -> root@127.0.0.1:${sshd!.port}`);
      const r = await c.run(['echo', 'through two jumps']);
      assert.equal(r.stdout.toString(), 'through two jumps\n');
    } finally {
      c.close();
    }
  });

  it('times out on a listener that accepts and never speaks, within the connect timeout', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const t0 = Date.now();
      await assert.rejects(
        connectSsh(resolveSshHost('root@127.0.0.1', { configFile: null, port, options: { UserKnownHostsFile: path.join(tmp, 'kh-none'), GlobalKnownHostsFile: 'none' } }), { agentSocket: null, connectTimeoutMs: 800 }),
        (e: unknown) => SshError.is(e, 'timeout') && e.detail.phase === 'connect',
      );
      const took = Date.now() - t0;
      assert.ok(took >= 700 && took < 3000, `took ${took} ms`);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });

  it('does not count time spent in a prompt against the connect timeout', async () => {
    const kh = path.join(tmp, 'kh-slow-user');
    const c = await connectSsh(target(kh), {
      agentSocket: null,
      connectTimeoutMs: 1000,
      onUnknownHostKey: () => new Promise((r) => setTimeout(() => r('accept-once'), 1500)),
    });
    c.close();
  });

  it('is cancelled by an AbortSignal (connect and a running command)', async () => {
    const kh = sshd!.writeKnownHosts(path.join(tmp, 'kh-abort'));
    const pre = new AbortController();
    pre.abort();
    await assert.rejects(connectSsh(target(kh), { agentSocket: null, signal: pre.signal }), (e: unknown) => SshError.is(e, 'aborted'));
    const c = await connectSsh(target(kh), { agentSocket: null });
    try {
      const ctl = new AbortController();
      setTimeout(() => ctl.abort(), 200);
      const t0 = Date.now();
      await assert.rejects(c.run(['sleep', '30'], { signal: ctl.signal }), (e: unknown) => SshError.is(e, 'aborted'));
      assert.ok(Date.now() - t0 < 2000);
      await assert.rejects(c.run(['sleep', '30'], { timeoutMs: 300 }), (e: unknown) => SshError.is(e, 'timeout') && e.detail.phase === 'command');
    } finally {
      c.close();
    }
  });
});
