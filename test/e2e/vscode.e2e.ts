// End-to-end tests of the packaged extension inside a real VS Code (code-server) driven through
// Debian's chromium by playwright-core. Started by scripts/e2e/run.sh (not by the unit-test glob:
// it needs the server), which installs the .vsix, starts code-server and passes the environment
// Workbench reads, plus EXTENSIONS_DIR (to read the installed package.json). The tests share one
// window and run in order: each starts where the previous ended.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { e2eEnv, lineText, until, Workbench } from './Workbench';

const SAMPLE = '002-neutron-spoof';
const HOST = new RegExp(`compute-1 \\(${SAMPLE}\\)`);
const SPOOF_CHAIN = 'neutron-openvswi-s6d1e3a2b-7';
const VIP = '192.168.1.100';
const PORT_ID = '6d1e3a2b-7c';

describe('OpenStack Net Debug in VS Code (code-server + chromium)', function () {
  this.timeout(240_000);
  let wb: Workbench;

  before(async function () {
    this.timeout(240_000);
    wb = await Workbench.open('sample');
  });

  afterEach(async function () {
    await wb?.shotIfFailed(this.currentTest);
  });

  after(async () => {
    await wb?.close();
  });

  it('(a) opens the sample from the palette and browses it to an iptables rule and an OVS flow', async () => {
    const page = wb.page;
    await page.getByRole('tab', { name: /OpenStack Net Debug/ }).click();
    await wb.sidebar().getByText('Open Sample Snapshot').first().waitFor(); // the empty tree's welcome view
    await wb.widenSidebar(480);
    await wb.runCommand('OpenStack: Open Sample Snapshot');
    await wb.quickRow(SAMPLE).waitFor();
    await wb.quickInput().fill(SAMPLE);
    await wb.quickInput().press('Enter');

    await wb.expand(HOST);
    await wb.expand('Namespaces');
    await wb.expand('(root namespace)');
    await wb.expand(/^iptables$/);
    await wb.expand(/^filter$/);
    await wb.expand(new RegExp(`^${SPOOF_CHAIN}$`));
    const drop = await wb.treeRow(`-A ${SPOOF_CHAIN} -m comment --comment "Drop traffic without an IP/MAC allow rule." -j DROP`);
    await drop.click();
    await wb.expectEditorAt(/iptables-save_-c/, 84);
    const text = lineText(await wb.editorLine(`-A ${SPOOF_CHAIN} -m comment`).innerText());
    assert.match(text, /^\[1:53\] -A neutron-openvswi-s6d1e3a2b-7 .* -j DROP$/);
    await wb.shot('01-tree-iptables-rule.png');

    // OVS > br-int > table 24 (ARP spoofing protection) > its catch-all drop flow
    await wb.expand(/^OVS$/);
    await wb.expand(/^br-int$/);
    await wb.expand(/^table 24$/);
    const flow = await wb.treeRow(/^0 \*$/);
    await flow.click();
    // line 14 of the OpenFlow 1.3 dump: "... table=24, n_packets=1, ... priority=0 actions=drop"
    await wb.expectEditorAt(/ovs-ofctl_-O_OpenFlow13_dump-flows_br-int/, 14);
    const lines = page.locator('.editor-group-container.active .view-line');
    assert.equal(await lines.filter({ hasText: 'table=24, n_packets=1, n_bytes=60' }).filter({ hasText: 'priority=0 actions=drop' }).count(), 1);
    await wb.shot('02-tree-ovs-flow.png');
  });

  it('(b) Explain Why VIP Traffic Is Dropped: the report names the deciding rules and links to them', async () => {
    const page = wb.page;
    await wb.runCommand('OpenStack: Explain Why VIP Traffic Is Dropped');
    await wb.quickInput().waitFor({ state: 'visible' });
    await wb.quickInput().fill('192.168.1.');
    await page.locator('.quick-input-message', { hasText: 'Enter an IPv4 or IPv6 address' }).waitFor();
    await wb.quickInput().fill(VIP);
    await wb.quickInput().press('Enter');
    // multi-select pick of the ports that should hold the VIP
    await wb.quickRow(PORT_ID).locator('.quick-input-list-checkbox, input[type=checkbox], .monaco-checkbox').first().click();
    await wb.shot('03-explain-pick-port.png');
    await wb.quickInput().press('Enter');

    await page.locator('.tabs-container .tab', { hasText: `VIP ${VIP}` }).waitFor();
    const frame = page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
    const headline = frame.locator('.headline');
    await headline.waitFor({ timeout: 90_000 });
    const text = await headline.innerText();
    assert.match(text, /br-int table 24/);
    assert.match(text, new RegExp(SPOOF_CHAIN));
    await frame.locator('vscode-badge.verdict.blocked').first().waitFor();
    // the report and the dump share the window from here on
    await wb.runCommand('View: Toggle Primary Side Bar Visibility');
    await wb.sidebar().waitFor({ state: 'hidden' });
    await wb.shot('04-vip-report.png');

    await frame.locator('a.rule-link', { hasText: 'iptables-save_-c:84' }).first().click();
    await wb.expectEditorAt(/iptables-save_-c/, 84);
    // the dump opens beside the report, which stays visible
    await page.locator('.editor-group-container:not(.active) .tab.active', { hasText: `VIP ${VIP}` }).waitFor();
    await wb.shot('05-report-link-to-rule.png');
  });

  it('(c) grammars: a target and a match option get different token colours', async function () {
    const extensions = e2eEnv('EXTENSIONS_DIR');
    const dir = fs.readdirSync(extensions).find((d) => d.startsWith('openstack-net-debug.'));
    assert.ok(dir, `the extension is installed in ${extensions}`);
    const manifest = JSON.parse(fs.readFileSync(path.join(extensions, dir, 'package.json'), 'utf8')) as { contributes?: { grammars?: { language: string; path: string }[] } };
    const grammar = manifest.contributes?.grammars?.find((g) => g.language === 'iptables');
    if (!grammar) {
      console.log('    skipped: package.json contributes no TextMate grammar for the iptables language (contributes.grammars)');
      this.skip();
    }
    assert.ok(fs.existsSync(path.join(extensions, dir, grammar.path)), `${grammar.path} is in the .vsix`);
    await wb.expectEditorAt(/iptables-save_-c/);
    await wb.page.locator('.statusbar-item', { hasText: /^iptables$/ }).waitFor();
    const line = wb.editorLine(`-A ${SPOOF_CHAIN} -m comment`);
    // tokenization is asynchronous: wait until the target is no longer default-coloured (mtk1)
    const target = await until('the DROP target to be coloured', async () => {
      const c = await wb.tokenClass(line, /^DROP$/);
      return /\bmtk1\b/.test(c) ? undefined : c;
    }, 15_000);
    const [match, option] = [await wb.tokenClass(line, /^comment$/), await wb.tokenClass(line, /^--comment$/)];
    console.log(`    token classes: target DROP=${target} match module comment=${match} option --comment=${option}`);
    assert.doesNotMatch(target, /\bmtk1\b/);
    assert.notEqual(target, option);
    assert.notEqual(target, match);
    await wb.shot('06-grammar-iptables.png');
  });
});
