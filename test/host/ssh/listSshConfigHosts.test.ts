import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listSshConfigHosts } from '../../../src/host/ssh/listSshConfigHosts';

describe('listSshConfigHosts', () => {
  it('lists the named hosts of ~/.ssh/config and its Includes, not the patterns', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'osnet-sshcfg-'));
    fs.mkdirSync(path.join(home, '.ssh', 'conf.d'), { recursive: true });
    fs.writeFileSync(path.join(home, '.ssh', 'config'), 'Include conf.d/*\nHost compute-1 compute-2\n  User heat-admin\nHost *.lab !bastion\n  User root\nHost *\n  ServerAliveInterval 10\n');
    fs.writeFileSync(path.join(home, '.ssh', 'conf.d', 'net'), 'Host network-1\n  HostName 192.0.2.10\n  ProxyJump bastion\n');
    try {
      assert.deepEqual(listSshConfigHosts(home), ['compute-1', 'compute-2', 'network-1']);
    } finally {
      fs.rmSync(home, { recursive: true });
    }
  });

  it('no config file: no hosts, no error', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'osnet-sshcfg-'));
    try {
      assert.deepEqual(listSshConfigHosts(home), []);
    } finally {
      fs.rmSync(home, { recursive: true });
    }
  });
});
