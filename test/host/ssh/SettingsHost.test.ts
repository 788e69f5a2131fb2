import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listConfiguredHosts } from '../../../src/host/ssh/listConfiguredHosts';
import { resolveSshHost } from '../../../src/host/ssh/resolveSshHost';
import { parseSettingsHosts, settingsHostFromText, validateDestinationText } from '../../../src/host/ssh/SettingsHost';

/** The `osnet.hosts` setting: read without throwing, resolved like `ssh -l -p -i -J host`. */
describe('osnet.hosts settings hosts', () => {
  it('reads good entries and explains each bad one, never throwing', () => {
    const { hosts, problems } = parseSettingsHosts([
      { name: 'compute-1', host: '192.0.2.11', user: 'heat-admin', port: 2222, identityFile: '~/.ssh/id_compute', proxyJump: 'jump@bastion:22' },
      { host: 'compute-2.example.net' },
      { host: 'fe80::1%eth0', user: 'root' },
      { name: 'compute-1', host: '192.0.2.99' },
      { name: 'bad-port', host: 'h', port: 70000 },
      { name: 'bad-host', host: 'a b;rm -rf /' },
      { name: 'secret', host: 'h', password: 'hunter2' },
      { name: 'no-host' },
      'compute-3',
      { name: 'bad-user', host: 'h', user: 'x y' },
    ]);
    assert.deepEqual(hosts, [
      { name: 'compute-1', host: '192.0.2.11', user: 'heat-admin', port: 2222, identityFile: '~/.ssh/id_compute', proxyJump: 'jump@bastion:22' },
      { name: 'compute-2.example.net', host: 'compute-2.example.net' },
      { name: 'fe80::1%eth0', host: 'fe80::1%eth0', user: 'root' },
    ]);
    assert.deepEqual(problems, [
      'osnet.hosts[3]: a second host named "compute-1"; left out',
      'osnet.hosts[4]: "port" must be a number from 1 to 65535',
      'osnet.hosts[5]: "host" "a b;rm -rf /" is not a host name or IP address',
      'osnet.hosts[6]: unknown field "password" (passwords and passphrases are never stored in settings)',
      'osnet.hosts[7]: "host" is missing',
      'osnet.hosts[8]: must be an object {name, host, ...}',
      'osnet.hosts[9]: "user" "x y" is not a user name',
    ]);
    assert.deepEqual(parseSettingsHosts(undefined), { hosts: [], problems: [] });
    assert.equal(parseSettingsHosts({ host: 'x' }).problems.length, 1);
  });

  it('validates what "Add SSH Host…" is typed, and turns it into a settings entry', () => {
    for (const ok of ['root@10.0.0.5', 'heat-admin@compute-1:2222', 'compute-1', 'root@[fe80::1]:22', 'u@h.example.net']) assert.equal(validateDestinationText(ok), undefined, ok);
    assert.match(validateDestinationText('') ?? '', /Enter/);
    assert.match(validateDestinationText('root@h:0') ?? '', /1 to 65535/);
    assert.match(validateDestinationText('root@h:x') ?? '', /port/);
    assert.match(validateDestinationText('root@h;id') ?? '', /not a host name/);
    assert.match(validateDestinationText('ro ot@h') ?? '', /spaces/);
    assert.match(validateDestinationText('@h') ?? '', /destination/);
    assert.deepEqual(settingsHostFromText(' heat-admin@compute-1:2222 '), { name: 'heat-admin@compute-1:2222', host: 'compute-1', user: 'heat-admin', port: 2222 });
    assert.deepEqual(settingsHostFromText('root@[fe80::1]:22'), { name: 'root@[fe80::1]:22', host: 'fe80::1', user: 'root', port: 22 });
    assert.deepEqual(settingsHostFromText('compute-1'), { name: 'compute-1', host: 'compute-1' });
  });

  describe('resolveSshHost with a settings entry', () => {
    let home = '';
    before(() => {
      home = fs.mkdtempSync(path.join(os.tmpdir(), 'osnet-settings-'));
      fs.mkdirSync(path.join(home, '.ssh'));
      fs.writeFileSync(path.join(home, '.ssh', 'config'), [
        'Host 192.0.2.*',
        '  User from-config',
        '  Port 2200',
        '  IdentityFile ~/.ssh/id_config',
        '  ServerAliveInterval 7',
        'Host bastion',
        '  HostName bastion.example.net',
        '  User jump',
        '',
      ].join('\n'));
    });
    after(() => fs.rmSync(home, { recursive: true, force: true }));
    const opts = () => ({ homeDir: home, localUser: 'operator', systemConfigFile: null });

    it('its values act as command-line options: they win, ~/.ssh/config fills the rest, the target is named after the entry', () => {
      const t = resolveSshHost({ name: 'compute-1', host: '192.0.2.11', user: 'heat-admin', port: 2222, identityFile: '~/.ssh/id_compute', proxyJump: 'bastion' }, opts());
      assert.equal(t.alias, 'compute-1');
      assert.equal(t.hostName, '192.0.2.11');
      assert.equal(t.user, 'heat-admin');
      assert.equal(t.port, 2222);
      assert.deepEqual(t.identityFiles.map((i) => i.file), [path.join(home, '.ssh', 'id_compute'), path.join(home, '.ssh', 'id_config')]);
      assert.equal(t.serverAliveIntervalMs, 7000, 'the config still applies to the host');
      assert.deepEqual(t.proxyJump.map((j) => `${j.user}@${j.hostName}:${j.port}`), ['jump@bastion.example.net:22']);
    });

    it('fields left out come from ~/.ssh/config, then the defaults; IPv6 hosts work', () => {
      const t = resolveSshHost({ name: 'c2', host: '192.0.2.12' }, opts());
      assert.deepEqual([t.alias, t.user, t.port], ['c2', 'from-config', 2200]);
      const v6 = resolveSshHost({ name: 'v6', host: 'fe80::1', port: 22 }, opts());
      assert.deepEqual([v6.hostName, v6.port, v6.user], ['fe80::1', 22, 'operator']);
    });

    it('listConfiguredHosts: settings entries first in their order, then ssh aliases; a name in both is the settings entry', () => {
      const hosts = listConfiguredHosts(['bastion', 'compute-1', 'network-1'], parseSettingsHosts([{ name: 'compute-1', host: '192.0.2.11', user: 'heat-admin', port: 2222 }, { host: '192.0.2.12', proxyJump: 'bastion' }]).hosts);
      assert.deepEqual(hosts.map((h) => [h.name, h.source, h.description]), [
        ['compute-1', 'settings', 'heat-admin@192.0.2.11:2222 · settings'],
        ['192.0.2.12', 'settings', 'settings · via bastion'],
        ['bastion', 'ssh-config', '~/.ssh/config'],
        ['network-1', 'ssh-config', '~/.ssh/config'],
      ]);
      assert.equal(typeof hosts[2]!.input, 'string');
    });
  });
});
