// Configured live hosts in a real VS Code, against real sshds on 127.0.0.1 (test/support/sshd.ts)
// collecting this machine: hosts of ~/.ssh/config and of the osnet.hosts setting are listed before
// anything connects; a host on a refused port shows an error node whose Retry connects once an
// sshd listens there; "Add SSH Host…" saves the host in settings and connects it (unknown host key
// accepted, fingerprint checked); a host whose sshd has no ovs-vsctl on its PATH shows that as a
// section warning while the rest is browsable; a chain of 1,200 rules in a namespace of ours shows
// 500 at a time behind "Show 500 more…". Everything made here is removed in after(): sshds by
// their PIDs, the namespace, the PATH folder, the ~/.ssh files of code-server's user
// (HOME=CODE_SERVER_HOME) and the user settings file (restored). Skips, saying why, when not root
// or when sshd / ip / iptables are missing.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { liveHostFixtureUnavailable } from '../support/liveHostFixture';
import { freePort, startSshd, type Sshd } from '../support/sshd';
import type { Locator } from './PlaywrightApi';
import { e2eEnv, until, Workbench } from './Workbench';

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const SBIN = ['/usr/sbin', '/sbin', '/usr/local/sbin'];
const RULES = 1200;
const PAGE_CHAIN = 'OSNET-PAGE';

function run(cmd: string, args: readonly string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, [...args], { encoding: 'utf8', input, env: { ...process.env, PATH: `${process.env['PATH'] ?? ''}:${SBIN.join(':')}` }, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error ? String(r.error) : '') };
}

/** The `osnet.hosts` of a settings.json as VS Code wrote it (JSON with comments allowed). */
function settingsHosts(file: string): unknown[] {
  const text = fs.readFileSync(file, 'utf8').replace(/^\s*\/\/.*$/gm, '');
  const value = (JSON.parse(text) as Record<string, unknown>)['osnet.hosts'];
  return Array.isArray(value) ? value : [];
}

/** The first line of a tree row's text (label and description), for logs. */
async function rowText(row: Locator): Promise<string> {
  return (await row.innerText()).replace(/\s+/g, ' ').trim();
}

describe('Configured SSH hosts in VS Code (real sshds on 127.0.0.1)', function () {
  this.timeout(300_000);
  const pid = process.pid;
  const netns = `osnetui${pid}-page`;
  const alias = `osnet-e2e-alias-${pid}`;
  const settingsName = `osnet-e2e-settings-${pid}`;
  const refusedName = `osnet-e2e-refused-${pid}`;
  let wb: Workbench | undefined;
  /** A: the settings host and the ssh-config alias. B: started on the refused port. C: added by "Add SSH Host…", no ovs-vsctl. */
  let sshdA: Sshd | undefined;
  let sshdB: Sshd | undefined;
  let sshdC: Sshd | undefined;
  let refusedPort = 0;
  let noOvsPath = '';
  let noOvsSkipped: string | undefined;
  let nsMade = false;
  let home = '';
  let sshDir = '';
  let sshDirMade = false;
  const sshFiles: string[] = [];
  let settingsFile = '';
  let settingsBefore: string | undefined;
  let logMarkA = 0;

  before(async function () {
    this.timeout(300_000);
    const why = liveHostFixtureUnavailable() ?? (run('sh', ['-c', 'command -v iptables-restore']).status === 0 ? undefined : 'not installed: iptables-restore');
    if (why) {
      console.log(`    skipped: ${why}`);
      this.skip();
    }
    const t0 = Date.now();
    home = e2eEnv('CODE_SERVER_HOME');
    settingsFile = path.join(e2eEnv('CODE_SERVER_USER_DATA'), 'User', 'settings.json');

    // A namespace of ours with a chain of 1,200 rules (one iptables-restore), jumped to from INPUT.
    const rules = Array.from({ length: RULES }, (_, i) => `-A ${PAGE_CHAIN} -s 10.77.${(i + 1) >> 8}.${(i + 1) & 255}/32 -m comment --comment "osnet-e2e page rule ${String(i + 1).padStart(4, '0')}" -j RETURN`);
    const made = run('ip', ['netns', 'add', netns]);
    if (made.status !== 0) throw new Error(`ip netns add ${netns}: ${made.stderr}`);
    nsMade = true;
    const restored = run('ip', ['netns', 'exec', netns, 'iptables-restore'], ['*filter', `:${PAGE_CHAIN} - [0:0]`, `-A INPUT -j ${PAGE_CHAIN}`, ...rules, 'COMMIT', ''].join('\n'));
    if (restored.status !== 0) throw new Error(`iptables-restore in ${netns}: ${restored.stderr}`);

    // C's sessions get a PATH without ovs-vsctl: every program of /usr/bin and /bin but that one
    // (the collection adds only the sbin folders to the login PATH).
    const inSbin = SBIN.map((d) => path.join(d, 'ovs-vsctl')).find((f) => fs.existsSync(f));
    if (inSbin) {
      noOvsSkipped = `ovs-vsctl is ${inSbin}, in a folder the collection always adds to PATH`;
    } else {
      noOvsPath = fs.mkdtempSync(path.join(os.tmpdir(), 'osnet-e2e-no-ovs-vsctl-'));
      for (const dir of [...new Set(['/usr/bin', '/bin'].filter((d) => fs.existsSync(d)).map((d) => fs.realpathSync(d)))]) {
        for (const name of fs.readdirSync(dir)) {
          if (name === 'ovs-vsctl' || fs.existsSync(path.join(noOvsPath, name))) continue;
          fs.symlinkSync(path.join(dir, name), path.join(noOvsPath, name));
        }
      }
    }

    const a = await startSshd();
    if (!a.ok) {
      console.log(`    skipped: sshd unavailable: ${a.reason}`);
      this.skip();
    }
    sshdA = a.sshd;
    const c = await startSshd(noOvsPath ? { extraConfig: [`SetEnv PATH=${noOvsPath}`] } : {});
    if (!c.ok) throw new Error(`sshd C: ${c.reason}`);
    sshdC = c.sshd;
    // A port nothing listens on (bound, then closed): B starts there in test (n).
    refusedPort = await freePort();

    // ~/.ssh of code-server's user: the alias, A's host key, and A's client key as the default
    // identity (B and C accept it too), so typed and settings hosts log in without a password.
    sshDir = path.join(home, '.ssh');
    sshDirMade = !fs.existsSync(sshDir);
    fs.mkdirSync(sshDir, { recursive: true, mode: 0o700 });
    const write = (name: string, text: string, mode = 0o600): string => {
      const f = path.join(sshDir, name);
      if (fs.existsSync(f)) throw new Error(`${f} exists: another test left it`);
      fs.writeFileSync(f, text, { mode });
      sshFiles.push(f);
      return f;
    };
    write('config', [`Host ${alias}`, '  HostName 127.0.0.1', `  Port ${sshdA.port}`, '  User root', `  IdentityFile ${sshdA.clientKey}`, '  IdentitiesOnly yes', ''].join('\n'));
    write('known_hosts', `[127.0.0.1]:${sshdA.port} ${sshdA.hostKeyLine}\n`);
    write('id_ed25519', fs.readFileSync(sshdA.clientKey, 'utf8'));
    fs.appendFileSync(path.join(sshdC.dir, 'authorized_keys'), fs.readFileSync(`${sshdA.clientKey}.pub`, 'utf8'));

    // The user settings: two osnet.hosts entries (restored in after()).
    settingsBefore = fs.existsSync(settingsFile) ? fs.readFileSync(settingsFile, 'utf8') : undefined;
    const settings = settingsBefore !== undefined ? (JSON.parse(settingsBefore.replace(/^\s*\/\/.*$/gm, '')) as Record<string, unknown>) : {};
    settings['osnet.hosts'] = [
      { name: settingsName, host: '127.0.0.1', user: 'root', port: sshdA.port, identityFile: sshdA.clientKey },
      { name: refusedName, host: '127.0.0.1', user: 'root', port: refusedPort },
    ];
    fs.writeFileSync(settingsFile, `${JSON.stringify(settings, null, 2)}\n`);
    logMarkA = sshdA.log().length;
    console.log(`    sshd A 127.0.0.1:${sshdA.port}, C 127.0.0.1:${sshdC.port}${noOvsPath ? ' (PATH without ovs-vsctl)' : ''}, refused port ${refusedPort}, namespace ${netns} with ${RULES} rules; ready after ${Date.now() - t0} ms${noOvsSkipped ? `; section-warning part skipped: ${noOvsSkipped}` : ''}`);
    wb = await Workbench.open('hosts');
  });

  afterEach(async function () {
    await wb?.shotIfFailed(this.currentTest);
  });

  after(async () => {
    await wb?.close();
    for (const s of [sshdA, sshdB, sshdC]) await s?.stop();
    if (nsMade) run('ip', ['netns', 'del', netns]);
    if (noOvsPath) fs.rmSync(noOvsPath, { recursive: true, force: true });
    for (const f of sshFiles) fs.rmSync(f, { force: true });
    if (sshDirMade && sshDir) fs.rmSync(sshDir, { recursive: true, force: true });
    if (settingsFile) {
      if (settingsBefore !== undefined) fs.writeFileSync(settingsFile, settingsBefore);
      else fs.rmSync(settingsFile, { force: true });
    }
  });

  /** A connected live host's row: labelled "<hostname> (live)", described "<its name> · N ns · …". */
  const liveRow = (w: Workbench, name: string, timeoutMs = 120_000): Promise<Locator> => w.treeRow(/\(live\)$/, timeoutMs, new RegExp(`^${escape(name)} · \\d+ ns`));

  it('(m) lists the ~/.ssh/config alias and the osnet.hosts entries as not connected; expanding one collects it', async () => {
    const w = wb!;
    await w.page.getByRole('tab', { name: /OpenStack Net Debug/ }).click();
    await w.widenSidebar(560);
    const expected: [string, RegExp][] = [
      [settingsName, new RegExp(`^not connected · root@127\\.0\\.0\\.1:${sshdA!.port} · settings$`)],
      [refusedName, new RegExp(`^not connected · root@127\\.0\\.0\\.1:${refusedPort} · settings$`)],
      [alias, /^not connected · ~\/\.ssh\/config$/],
    ];
    for (const [name, description] of expected) {
      const row = await w.treeRow(new RegExp(`^${escape(name)}$`), 60_000, description);
      assert.equal(await row.locator('.codicon-vm-outline').count(), 1, `${name} has the not-connected icon`);
      console.log(`    listed: ${await rowText(row)}`);
    }
    // Listing connected to nothing: sshd A saw no connection since it started.
    assert.doesNotMatch(sshdA!.log().slice(logMarkA), /Connection from/);
    await w.shot('18-hosts-not-connected.png');

    // Expanding the settings host collects it; the node becomes the live host, still expanded.
    const t0 = Date.now();
    const row = await w.treeRow(new RegExp(`^${escape(settingsName)}$`));
    await row.locator('.monaco-tl-twistie').click();
    const live = await liveRow(w, settingsName);
    console.log(`    collected in ${Date.now() - t0} ms: ${await rowText(live)}`);
    assert.match(sshdA!.log().slice(logMarkA), /Accepted publickey for root/);
    await until('the live host to stay expanded', async () => (await live.getAttribute('aria-expanded')) === 'true', 30_000);
    await w.expand(/^Namespaces$/);
    await w.treeRow(new RegExp(`^${escape(netns)}$`));
    await w.shot('19-hosts-settings-host-collected.png');
  });

  it('(n) a host on a refused port shows "Cannot connect … ECONNREFUSED" as an error node; Retry connects once sshd listens there', async () => {
    const w = wb!;
    await w.collapseTree();
    const row = await w.treeRow(new RegExp(`^${escape(refusedName)}$`));
    await row.locator('.monaco-tl-twistie').click();
    const error = await w.treeRow(/^Cannot connect: .*ECONNREFUSED/, 60_000);
    console.log(`    error node: ${await rowText(error)}`);
    assert.match(await error.innerText(), new RegExp(`127\\.0\\.0\\.1:${refusedPort}`));
    assert.equal(await error.locator('.codicon-error').count(), 1);
    await w.treeRow(new RegExp(`^${escape(refusedName)}$`), 15_000, /^failed · /);
    // A notification says it too, with its own Retry.
    const toast = w.page.locator('.notification-toast', { hasText: `${refusedName}: Cannot connect` });
    await toast.locator('.monaco-button', { hasText: /^Retry$/ }).waitFor({ timeout: 15_000 });
    await w.shot('20-hosts-error-node.png');

    // An sshd on that port now, with A's client key (the default identity) and its key known.
    const b = await startSshd({ port: refusedPort });
    if (!b.ok) throw new Error(`sshd B on ${refusedPort}: ${b.reason}`);
    sshdB = b.sshd;
    fs.appendFileSync(path.join(sshdB.dir, 'authorized_keys'), fs.readFileSync(`${sshdA!.clientKey}.pub`, 'utf8'));
    fs.appendFileSync(path.join(sshDir, 'known_hosts'), `[127.0.0.1]:${refusedPort} ${sshdB.hostKeyLine}\n`);

    await w.inlineAction(await w.treeRow(/^Cannot connect: /), /^Retry/);
    const live = await liveRow(w, refusedName);
    console.log(`    after Retry: ${await rowText(live)}`);
    assert.match(sshdB.log(), /Accepted publickey for root/);
    await until('the error node to go', async () => (await w.sidebar().locator('.label-name', { hasText: /^Cannot connect: / }).count()) === 0, 30_000);
    await w.expand(/^Namespaces$/);
    await w.treeRow(new RegExp(`^${escape(netns)}$`));
    await w.shot('21-hosts-retry-connected.png');
    // The failure's notification stays after the tree's Retry succeeded (VS Code offers no way to
    // withdraw one): cleared here so the next screenshots show what they are about.
    await w.runCommand('Notifications: Clear All Notifications');
    await toast.waitFor({ state: 'detached', timeout: 15_000 });
  });

  it('(o) Add SSH Host…: saves root@127.0.0.1:PORT in settings, shows the unknown host key\'s fingerprint, connects', async () => {
    const w = wb!;
    const c = sshdC!;
    const typed = `root@127.0.0.1:${c.port}`;
    await w.collapseTree();
    await w.runCommand('OpenStack: Add SSH Host');
    await w.quickInput().waitFor({ state: 'visible' });
    await w.quickInput().fill('root@127.0.0.1 x');
    await w.page.locator('.quick-input-message', { hasText: 'No spaces' }).waitFor();
    await w.quickInput().fill(typed);
    await w.shot('22-add-ssh-host.png');
    await w.quickInput().press('Enter');

    const dialog = w.page.locator('.monaco-dialog-box').filter({ hasText: /authenticity of host/ });
    await dialog.waitFor({ timeout: 60_000 });
    const message = await dialog.innerText();
    console.log(`    host key prompt: ${message.replace(/\s+/g, ' ').slice(0, 200)}`);
    assert.equal(/SHA256:[A-Za-z0-9+/]+/.exec(message)?.[0], c.hostKeyFingerprint);
    const knownHosts = path.join(sshDir, 'known_hosts');
    assert.match(message, new RegExp(escape(knownHosts)));
    // Saved before connecting: the entry VS Code wrote into the user settings file.
    const saved = await until('the entry in settings.json', () => Promise.resolve(settingsHosts(settingsFile).find((h) => (h as { name?: unknown }).name === typed)), 15_000);
    assert.deepEqual(saved, { name: typed, host: '127.0.0.1', user: 'root', port: c.port });
    assert.equal(settingsHosts(settingsFile).length, 3, 'the two entries of this test stay');
    await w.shot('23-add-ssh-host-key.png');
    await dialog.locator('.monaco-button', { hasText: /^Accept and save$/ }).click();

    const live = await liveRow(w, typed);
    console.log(`    added host: ${await rowText(live)}`);
    const r = spawnSync('ssh-keygen', ['-F', `[127.0.0.1]:${c.port}`, '-f', knownHosts], { encoding: 'utf8' });
    assert.ok(r.status === 0 && r.stdout.includes(c.hostKeyLine.split(' ')[1] ?? '-'), 'the accepted key is in known_hosts');
  });

  it('(p) a section that failed on the host (no ovs-vsctl on its PATH) shows as a warning node; the rest is browsable', async function () {
    const w = wb!;
    if (noOvsSkipped) {
      console.log(`    skipped: ${noOvsSkipped}`);
      this.skip();
    }
    const typed = `root@127.0.0.1:${sshdC!.port}`;
    await w.expand(/\(live\)$/, new RegExp(`^${escape(typed)} · `));
    const warning = await w.treeRow(/^ovs-vsctl show: command not found$/, 30_000, /^section missing$/);
    assert.equal(await warning.locator('.codicon-warning').count(), 1);
    console.log(`    warning node: ${await rowText(warning)}`);
    // What failed comes first under the host, before what was collected.
    const before = Number(await warning.getAttribute('aria-posinset'));
    const ports = Number(await (await w.treeRow(/^OpenStack ports$/)).getAttribute('aria-posinset'));
    assert.ok(before < ports, `the warning (${before}) before OpenStack ports (${ports})`);
    await w.expand(/^Namespaces$/);
    await w.treeRow(new RegExp(`^${escape(netns)}$`));
    await w.shot('24-hosts-section-warning.png');
    // Clicking it opens what the section produced (nothing): the live document of that file.
    await warning.click();
    await w.expectEditorAt(/ovs-vsctl_show/);
  });

  it('(q) a chain of 1,200 rules shows 500, then "Show 500 more…" adds the next page, then the rest', async () => {
    const w = wb!;
    await w.collapseTree();
    await w.expand(/\(live\)$/, new RegExp(`^${escape(settingsName)} · `));
    await w.expand(/^Namespaces$/);
    await w.expand(new RegExp(`^${escape(netns)}$`));
    await w.expand(/^iptables$/);
    await w.expand(/^filter$/);
    await w.expand(new RegExp(`^${PAGE_CHAIN}$`), new RegExp(`^${RULES} rules$`));
    const rule = (n: number): Promise<Locator> => w.treeRow(new RegExp(`page rule ${String(n).padStart(4, '0')}"`));
    /** The row's place among its siblings: aria-posinset of aria-setsize. */
    const place = async (row: Locator): Promise<string> => `${await row.getAttribute('aria-posinset')}/${await row.getAttribute('aria-setsize')}`;

    const more = await w.treeRow(/^Show 500 more…$/, 45_000, /^500 of 1200 rules shown$/);
    assert.equal(await place(more), '501/501', '500 rules, then the Show more node');
    assert.equal(await place(await rule(500)), '500/501');
    await w.shot('25-paging-first-page.png');

    await more.click();
    const more2 = (): Promise<Locator> => w.treeRow(/^Show 200 more…$/, 45_000, /^1000 of 1200 rules shown$/);
    assert.equal(await place(await more2()), '1001/1001');
    assert.equal(await place(await rule(750)), '750/1001', 'the second page, in order');
    // Found again: looking for rule 750 scrolled the virtual list, and rows off screen are gone.
    const again = await more2();
    await w.shot('26-paging-second-page.png');
    await again.click();
    const last = await rule(RULES);
    assert.equal(await place(last), '1200/1200', 'every rule, no Show more node');
    assert.equal(await w.sidebar().locator('.label-name', { hasText: /^Show \d+ more…$/ }).count(), 0);
  });
});
