import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDestination, resolveSshHost } from '../../../src/host/ssh/resolveSshHost';
import { SshError } from '../../../src/host/ssh/SshError';

describe('resolveSshHost (~/.ssh/config like ssh -G)', () => {
  let home = '';
  before(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'osnet-sshcfg-'));
    const ssh = path.join(home, '.ssh');
    fs.mkdirSync(path.join(ssh, 'config.d'), { recursive: true });
    fs.writeFileSync(path.join(ssh, 'config'), [
      'Include config.d/*.conf',
      'Host compute-* !compute-9',
      '  User heat-admin',
      '  IdentityFile ~/.ssh/id_compute',
      '  ProxyJump bastion',
      'Host compute-1',
      '  HostName 192.0.2.11',
      '  User ignored-because-first-value-wins',
      'Host bastion',
      '  HostName bastion.example.net',
      '  Port 2222',
      '  User jump',
      'Host loop-a',
      '  ProxyJump loop-b',
      'Host loop-b',
      '  ProxyJump loop-a',
      'Host legacy',
      '  ProxyCommand nc %h %p',
      'Match host 192.0.2.*',
      '  ServerAliveInterval 7',
      'Host *',
      '  IdentityFile %d/.ssh/id_%r',
      '  ConnectTimeout 9',
      '',
    ].join('\n'));
    // Included first (Include is the first line), so its values win over the ones below it.
    fs.writeFileSync(path.join(ssh, 'config.d', '10-hosts.conf'), 'Host compute-2\n  HostName %h.ctl.example.net\n  Port 2200\n');
    fs.writeFileSync(path.join(ssh, 'config.d', 'ignored.txt'), 'Host compute-2\n  Port 1\n');
  });
  after(() => fs.rmSync(home, { recursive: true, force: true }));

  const resolve = (dest: string, extra = {}) => resolveSshHost(dest, { homeDir: home, localUser: 'operator', systemConfigFile: null, ...extra });

  it('applies Host patterns (with negation), first value wins, tokens, Match host, and ProxyJump', () => {
    const t = resolve('compute-1');
    assert.equal(t.hostName, '192.0.2.11');
    assert.equal(t.user, 'heat-admin');
    assert.equal(t.port, 22);
    assert.deepEqual(t.identityFiles.map((i) => i.file), [path.join(home, '.ssh/id_compute'), path.join(home, '.ssh/id_heat-admin')]);
    assert.equal(t.connectTimeoutMs, 9000);
    assert.equal(t.serverAliveIntervalMs, 7000);
    assert.equal(t.proxyJump.length, 1);
    const j = t.proxyJump[0]!;
    assert.deepEqual([j.alias, j.hostName, j.port, j.user], ['bastion', 'bastion.example.net', 2222, 'jump']);
  });

  it('expands Include with a glob relative to ~/.ssh', () => {
    const t = resolve('compute-2');
    assert.equal(t.hostName, 'compute-2.ctl.example.net');
    assert.equal(t.port, 2200);
  });

  it('a negated pattern excludes the host from the block', () => {
    const t = resolve('compute-9');
    assert.equal(t.user, 'operator');
    assert.equal(t.proxyJump.length, 0);
  });

  it('command-line values win: user@, -p, -i first, -J, -o', () => {
    const t = resolve('admin@compute-1', { port: 2022, identityFiles: ['/keys/cli'], proxyJump: 'other@hopx:2201,bastion', options: { ConnectTimeout: '3', StrictHostKeyChecking: 'accept-new' } });
    assert.equal(t.user, 'admin');
    assert.equal(t.port, 2022);
    assert.equal(t.identityFiles[0]?.file, '/keys/cli');
    assert.equal(t.connectTimeoutMs, 3000);
    assert.equal(t.strictHostKeyChecking, 'accept-new');
    assert.deepEqual(t.proxyJump.map((h) => `${h.user}@${h.hostName}:${h.port}`), ['other@hopx:2201', 'jump@bastion.example.net:2222']);
  });

  it('defaults: the id_* files, known_hosts files, port 22', () => {
    const t = resolveSshHost('plain.example', { homeDir: home, localUser: 'operator', configFile: null });
    assert.equal(t.identityFiles.every((i) => !i.explicit), true);
    assert.ok(t.identityFiles.some((i) => i.file === path.join(home, '.ssh/id_ed25519')));
    assert.deepEqual(t.userKnownHostsFiles, [path.join(home, '.ssh/known_hosts'), path.join(home, '.ssh/known_hosts2')]);
    assert.equal(t.strictHostKeyChecking, 'ask');
  });

  it('refuses a ProxyJump loop and warns about ProxyCommand', () => {
    assert.throws(() => resolve('loop-a'), (e: unknown) => SshError.is(e, 'config') && /loop/.test(e.message));
    assert.match(resolve('legacy').warnings.join('\n'), /ProxyCommand .* not supported/);
  });

  it('parses destinations', () => {
    assert.deepEqual(parseDestination('root@10.0.0.5'), { user: 'root', host: '10.0.0.5' });
    assert.deepEqual(parseDestination('h:2222'), { host: 'h', port: 2222 });
    assert.deepEqual(parseDestination('u@[2001:db8::1]:22'), { user: 'u', host: '2001:db8::1', port: 22 });
    assert.deepEqual(parseDestination('ssh://u@h:2200'), { user: 'u', host: 'h', port: 2200 });
    assert.deepEqual(parseDestination('2001:db8::1'), { host: '2001:db8::1' });
    assert.throws(() => parseDestination('h:99999'), (e: unknown) => SshError.is(e, 'config'));
    assert.throws(() => parseDestination('@h'), (e: unknown) => SshError.is(e, 'config'));
  });
});
