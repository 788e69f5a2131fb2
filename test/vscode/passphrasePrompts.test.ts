import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { connectSsh } from '../../src/host/ssh/connectSsh';
import { resolveSshHost } from '../../src/host/ssh/resolveSshHost';
import { SshError } from '../../src/host/ssh/SshError';
import { passphrasePrompts, type PassphraseRequest, type PassphraseVault } from '../../src/vscode/passphrasePrompts';
import { startSshdOrSkip, type Sshd } from '../support/sshd';

/** A vault like SecretStorage, in memory, that records what was written. */
function memoryVault(): PassphraseVault & { readonly data: Map<string, string>; readonly log: string[] } {
  const data = new Map<string, string>();
  const log: string[] = [];
  return {
    data, log,
    get: (k) => Promise.resolve(data.get(k)),
    store: (k, v) => { log.push(`store ${path.basename(k)}`); data.set(k, v); return Promise.resolve(); },
    delete: (k) => { log.push(`delete ${path.basename(k)}`); data.delete(k); return Promise.resolve(); },
  };
}

/**
 * Issue 5: key passphrases are "never written to settings; remembered only in VS Code
 * SecretStorage if the user opts in". The prompt policy of the extension, against a real sshd and
 * a real encrypted key: off -> never read or written and "remember" not offered; on -> stored only
 * when chosen AND the passphrase decrypted the key, used without asking next time, forgotten and
 * asked again when it no longer works.
 */
describe('passphrasePrompts (remember only when opted in) against a real sshd', function () {
  this.timeout(60_000);
  let sshd: Sshd | undefined;
  let tmp = '';
  let kh = '';

  before(async function () {
    sshd = await startSshdOrSkip(this);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'osnet-pass-test-'));
    kh = sshd.writeKnownHosts(path.join(tmp, 'known_hosts'));
  });
  after(async () => {
    await sshd?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const connectWith = async (prompts: ReturnType<typeof passphrasePrompts>): Promise<void> => {
    const target = resolveSshHost('root@127.0.0.1', { configFile: null, port: sshd!.port, identityFiles: [sshd!.encryptedClientKey], options: { UserKnownHostsFile: kh, GlobalKnownHostsFile: 'none', IdentitiesOnly: 'yes' } });
    const c = await connectSsh(target, { agentSocket: null, askPassphrase: prompts.askPassphrase, passphraseAccepted: prompts.passphraseAccepted });
    c.close();
    await prompts.done();
  };

  it('opted out: asks every time, never offers to remember, never touches the vault', async () => {
    const vault = memoryVault();
    vault.data.set(sshd!.encryptedClientKey, sshd!.clientKeyPassphrase); // even a stale secret is not read
    const asked: PassphraseRequest[] = [];
    const p = passphrasePrompts(vault, () => false, (r) => { asked.push(r); return Promise.resolve({ passphrase: sshd!.clientKeyPassphrase, remember: true }); });
    await connectWith(p);
    await connectWith(passphrasePrompts(vault, () => false, (r) => { asked.push(r); return Promise.resolve({ passphrase: sshd!.clientKeyPassphrase, remember: true }); }));
    assert.deepEqual(asked.map((r) => [r.attempt, r.offerRemember]), [[1, false], [1, false]]);
    assert.deepEqual(vault.log, []);
  });

  it('opted in: a wrong passphrase is never stored; the right one is, when chosen; then it is used without asking', async () => {
    const vault = memoryVault();
    const asked: PassphraseRequest[] = [];
    await connectWith(passphrasePrompts(vault, () => true, (r) => {
      asked.push(r);
      return Promise.resolve({ passphrase: r.attempt === 1 ? 'wrong' : sshd!.clientKeyPassphrase, remember: true });
    }));
    assert.deepEqual(asked.map((r) => [r.attempt, r.offerRemember]), [[1, true], [2, true]]);
    assert.deepEqual(vault.log, ['store client_encrypted_ed25519']);
    assert.equal(vault.data.get(sshd!.encryptedClientKey), sshd!.clientKeyPassphrase);

    let askedAgain = 0;
    await connectWith(passphrasePrompts(vault, () => true, () => { askedAgain++; return Promise.resolve(undefined); }));
    assert.equal(askedAgain, 0, 'the remembered passphrase was used');
  });

  it('opted in but not chosen: used once, not stored', async () => {
    const vault = memoryVault();
    await connectWith(passphrasePrompts(vault, () => true, () => Promise.resolve({ passphrase: sshd!.clientKeyPassphrase, remember: false })));
    assert.deepEqual(vault.log, []);
  });

  it('a remembered passphrase that no longer works is forgotten and the user is asked', async () => {
    const vault = memoryVault();
    vault.data.set(sshd!.encryptedClientKey, 'the old passphrase');
    const asked: PassphraseRequest[] = [];
    await connectWith(passphrasePrompts(vault, () => true, (r) => { asked.push(r); return Promise.resolve({ passphrase: sshd!.clientKeyPassphrase, remember: false }); }));
    assert.deepEqual(asked.map((r) => [r.attempt, r.savedWasWrong]), [[2, true]]);
    assert.deepEqual(vault.log, ['delete client_encrypted_ed25519']);
    assert.equal(vault.data.size, 0);
  });

  it('cancelling the prompt ends in an auth error, nothing stored', async () => {
    const vault = memoryVault();
    await assert.rejects(connectWith(passphrasePrompts(vault, () => true, () => Promise.resolve(undefined))), (e: unknown) => SshError.is(e, 'auth'));
    assert.deepEqual(vault.log, []);
  });
});
