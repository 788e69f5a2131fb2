// Issue 5 in a real VS Code: "Connect to SSH Host…" against a real sshd on 127.0.0.1 with its own
// host key, through an alias of the ~/.ssh/config of code-server's user (HOME=CODE_SERVER_HOME,
// set by scripts/e2e/run.sh); the unknown host key is shown with its SHA256 fingerprint (checked
// against ssh-keygen's) and accepted; the live host is browsed in the sidebar down to a rule this
// test put in a namespace of its own (and a flow of a private OVS), which opens as a highlighted,
// read-only `osnet-live:` document at the rule's line. Skips, saying why, when not root or when
// sshd is missing.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLiveHostFixture, liveHostFixtureUnavailable, type LiveHostFixture } from '../support/liveHostFixture';
import { startSshd, type Sshd } from '../support/sshd';
import { e2eEnv, lineText, until, Workbench } from './Workbench';

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('Live host over SSH in VS Code (real sshd on 127.0.0.1)', function () {
  this.timeout(300_000);
  let wb: Workbench | undefined;
  let fixture: LiveHostFixture | undefined;
  let sshd: Sshd | undefined;
  let sshDir = '';
  const alias = `osnet-e2e-${process.pid}`;
  let knownHosts = '';
  /** The tree labels a connected host by its ssh-config alias (older trees: "<hostname> (live)"). */
  const hostLabel = (): RegExp => new RegExp(`^(${escape(alias)}|${escape(os.hostname())} \\(live\\))$`);

  before(async function () {
    this.timeout(300_000);
    const why = liveHostFixtureUnavailable();
    if (why) {
      console.log(`    skipped: ${why}`);
      this.skip();
    }
    const t0 = Date.now();
    fixture = createLiveHostFixture();
    if (fixture.ovsSkipped) console.log(`    OVS part skipped: ${fixture.ovsSkipped}`);
    // The collection's OVS tools find the private OVS through OVS_RUNDIR, set for every session.
    const s = await startSshd(fixture.ovs ? { extraConfig: [`SetEnv OVS_RUNDIR=${fixture.ovs.runDir}`] } : {});
    if (!s.ok) {
      console.log(`    skipped: sshd unavailable: ${s.reason}`);
      this.skip();
    }
    sshd = s.sshd;
    sshDir = path.join(e2eEnv('CODE_SERVER_HOME'), '.ssh');
    fs.mkdirSync(sshDir, { recursive: true, mode: 0o700 });
    knownHosts = path.join(sshd.dir, 'e2e_known_hosts'); // starts absent: the host key is unknown
    fs.writeFileSync(path.join(sshDir, 'config'), [
      `Host ${alias}`,
      '  HostName 127.0.0.1',
      `  Port ${sshd.port}`,
      '  User root',
      `  IdentityFile ${sshd.clientKey}`,
      '  IdentitiesOnly yes',
      '  IdentityAgent none',
      `  UserKnownHostsFile ${knownHosts}`,
      '  GlobalKnownHostsFile /dev/null',
      '  StrictHostKeyChecking ask',
      '',
    ].join('\n'), { mode: 0o600 });
    console.log(`    sshd on 127.0.0.1:${sshd.port} (host key ${sshd.hostKeyFingerprint}), namespace ${fixture.netns}${fixture.ovs ? `, OVS bridge ${fixture.ovs.bridge}` : ''} ready after ${Date.now() - t0} ms`);
    wb = await Workbench.open('live');
  });

  afterEach(async function () {
    await wb?.shotIfFailed(this.currentTest);
  });

  after(async () => {
    await wb?.close();
    await sshd?.stop();
    fixture?.cleanup();
    if (sshDir) fs.rmSync(sshDir, { recursive: true, force: true });
  });

  it('(h) Connect to SSH Host…: picks the ~/.ssh/config alias, shows the unknown host key\'s SHA256 fingerprint, collects the host', async () => {
    const w = wb!;
    await w.page.getByRole('tab', { name: /OpenStack Net Debug/ }).click();
    await w.widenSidebar(520);
    await w.runCommand('OpenStack: Connect to SSH Host');
    await w.quickRow(alias).waitFor();
    await w.quickInput().fill(alias);
    await w.quickRow(alias).waitFor();
    await w.shot('11-live-pick-ssh-alias.png');
    await w.quickInput().press('Enter');

    const dialog = w.page.locator('.monaco-dialog-box').filter({ hasText: /authenticity of host/ });
    await dialog.waitFor({ timeout: 60_000 });
    const message = await dialog.innerText();
    const shown = /SHA256:[A-Za-z0-9+/]+/.exec(message)?.[0];
    console.log(`    host key prompt: ${message.replace(/\s+/g, ' ').slice(0, 220)}`);
    assert.equal(shown, sshd!.hostKeyFingerprint, 'the fingerprint shown is the one ssh-keygen -lf gives for the test host key');
    assert.match(message, new RegExp(escape(knownHosts)), 'says which known_hosts file accepting writes');
    await w.shot('12-live-unknown-host-key.png');
    await dialog.locator('.monaco-button', { hasText: /^Accept and save$/ }).click();

    // Accepting saved the key where the config said, in a form OpenSSH itself finds (hashed when
    // the system ssh_config says HashKnownHosts yes, as Debian's does).
    const keyBlob = sshd!.hostKeyLine.split(' ')[1] ?? '';
    const found = await until(`${knownHosts} to hold the accepted key`, () => {
      const r = spawnSync('ssh-keygen', ['-F', `[127.0.0.1]:${sshd!.port}`, '-f', knownHosts], { encoding: 'utf8' });
      return Promise.resolve(r.status === 0 && r.stdout.includes(keyBlob) && r.stdout);
    }, 60_000);
    console.log(`    known_hosts: ${found.split('\n').filter((l) => l && !l.startsWith('#')).join(' ').slice(0, 120)}`);

    // The host node: the alias (or "<hostname> (live)"), described as live once the collection is in.
    const t0 = Date.now();
    const row = await w.treeRow(hostLabel(), 120_000);
    await until('the host node to be described as live', async () => /\blive\b/.test(await row.innerText()), 120_000, 250);
    console.log(`    live host in the tree ${Date.now() - t0} ms after the key was accepted: ${(await row.innerText()).replace(/\s+/g, ' ')}`);
  });

  it('(i) browses the live host to the namespace\'s rule and opens it as a highlighted read-only osnet-live: document', async () => {
    const w = wb!;
    const f = fixture!;
    await w.expand(hostLabel());
    await w.expand(/^Namespaces$/);
    await w.expand(new RegExp(`^${escape(f.netns)}$`));
    await w.expand(/^iptables$/);
    await w.expand(/^filter$/);
    await w.expand(new RegExp(`^${f.chain}$`));
    const ruleRow = await w.treeRow(f.comment);
    await ruleRow.click();

    // The oracle: the namespace's own iptables-save -c, read here; the collection ran the same command.
    const own = f.iptablesSave().split('\n');
    const index = own.findIndex((l) => l.includes(`--comment "${f.comment}"`));
    assert.ok(index >= 0, `the rule is in ${f.netns}'s iptables-save`);
    const expected = (own[index] ?? '').replace(/^\[\d+:\d+\] /, '');
    await w.expectEditorAt(/iptables-save_-c/, index + 1);
    const line = w.editorLine(f.comment);
    const text = lineText(await line.innerText());
    assert.equal(text.replace(/^\[\d+:\d+\] /, ''), expected);
    assert.match(expected, new RegExp(`^-A ${f.chain} -s 198\\.51\\.100\\.7/32 .* -j DROP$`));

    // highlighted: the iptables language, and the DROP target coloured by the grammar
    await w.page.locator('.statusbar-item', { hasText: /^iptables$/ }).waitFor();
    await until('the DROP target to be coloured', async () => !/\bmtk1\b/.test(await w.tokenClass(line, /^DROP$/)), 15_000);

    // a live document, not a file: the tab's hover names the resource, the path of an
    // `osnet-live:/<alias>/netns/<namespace>/iptables-save_-c` URI, which is nowhere on disk
    const resource = `/${alias}/netns/${f.netns}/iptables-save_-c`;
    const tabHover = await w.tabHover();
    assert.ok(tabHover.includes(resource), `the tab's resource is ${resource}: ${tabHover}`);
    assert.equal(fs.existsSync(resource), false);
    await w.shot('13-live-tree-rule.png');

    // read-only: typing is refused and the text stays the rule
    await line.click();
    await w.page.keyboard.press('x');
    await w.page.locator('.monaco-editor-overlaymessage', { hasText: /read-only/i }).waitFor({ timeout: 15_000 });
    assert.equal(lineText(await w.editorLine(f.comment).innerText()).replace(/^\[\d+:\d+\] /, ''), expected);
  });

  it('(j) browses the live host\'s OVS bridge to a flow and opens its dump-flows at the flow', async function () {
    const w = wb!;
    const f = fixture!;
    if (!f.ovs) {
      console.log(`    skipped: ${f.ovsSkipped ?? 'no OVS'}`);
      this.skip();
    }
    const { bridge, dropFlow } = f.ovs;
    await w.page.keyboard.press('Escape');
    await w.expand(/^OVS$/);
    await w.expand(new RegExp(`^${escape(bridge)}$`));
    await w.expand(new RegExp(`^table ${dropFlow.table}$`));
    const flowRow = await w.treeRow(new RegExp(`^${dropFlow.priority} .*nw_dst=198\\.51\\.100\\.7`));
    await flowRow.click();
    const own = f.ovs.dumpFlows().split('\n');
    const index = own.findIndex((l) => l.includes(`table=${dropFlow.table},`) && l.includes(`priority=${dropFlow.priority},`));
    assert.ok(index >= 0, `the flow is in ${bridge}'s dump-flows`);
    await w.expectEditorAt(new RegExp(`dump-flows_${escape(bridge)}$`), index + 1);
    const line = w.editorLine(`table=${dropFlow.table},`);
    const text = lineText(await line.innerText());
    assert.match(text, new RegExp(`priority=${dropFlow.priority},ip,nw_dst=198\\.51\\.100\\.7 actions=drop`));
    await w.page.locator('.statusbar-item', { hasText: /^OVS flows$/ }).waitFor();
    await w.shot('14-live-ovs-flow.png');
  });
});
