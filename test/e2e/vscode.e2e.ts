// End-to-end tests of the packaged extension inside a real VS Code (code-server) driven through
// Debian's chromium by playwright-core. Started by scripts/e2e/run.sh (not by the unit-test glob:
// it needs the server), which installs the .vsix, starts code-server and passes: BASE_URL,
// WORKSPACE, ARTIFACTS (screenshots), CHROMIUM, EXTENSIONS_DIR (to read the installed
// package.json), OSNET_E2E_TOOLS (node_modules holding playwright-core, kept out of the project's
// dependencies). The tests share one page and run in order: each starts where the previous ended.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BrowserContext, Locator, Page, PlaywrightApi } from './PlaywrightApi';

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run this test through scripts/e2e/run.sh`);
  return v;
}

const SAMPLE = '002-neutron-spoof';
const HOST = new RegExp(`compute-1 \\(${SAMPLE}\\)`);
const SPOOF_CHAIN = 'neutron-openvswi-s6d1e3a2b-7';
const VIP = '192.168.1.100';
const PORT_ID = '6d1e3a2b-7c';

describe('OpenStack Net Debug in VS Code (code-server + chromium)', function () {
  this.timeout(180_000);
  const artifacts = env('ARTIFACTS');
  let ctx: BrowserContext | undefined;
  let page: Page;
  let profile: string | undefined;

  const shot = async (name: string): Promise<void> => {
    await page.waitForTimeout(500); // let quick-input / notification animations settle
    await page.screenshot({ path: path.join(artifacts, name) });
  };
  const quickInput = (): Locator => page.locator('.quick-input-widget input.input');
  const quickRow = (text: string): Locator => page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
  const sidebar = (): Locator => page.locator('#workbench\\.parts\\.sidebar');
  const activeTab = (): Locator => page.locator('.editor-group-container.active .tab.active');
  const cursorStatus = (): Locator => page.locator('#status\\.editor\\.selection');
  const editorLine = (text: string): Locator => page.locator('.editor-group-container.active .view-line').filter({ hasText: text }).first();

  async function runCommand(title: string): Promise<void> {
    await page.keyboard.press('F1');
    await quickInput().waitFor({ state: 'visible' });
    await quickInput().fill('>' + title);
    await quickRow(title).waitFor();
    await quickInput().press('Enter');
  }

  /** The tree row with this label; the list is virtual, so scroll the view until the row is rendered. */
  async function treeRow(label: string | RegExp): Promise<Locator> {
    const row = sidebar().locator('.monaco-list-row[role="treeitem"]').filter({ has: page.locator('.label-name', { hasText: label }) }).first();
    const list = sidebar().locator('.monaco-list').first();
    for (let i = 0; i < 60 && (await row.count()) === 0; i++) {
      await list.hover();
      await page.mouse.wheel(0, i < 30 ? 200 : -200);
      await page.waitForTimeout(50);
    }
    await row.waitFor();
    await row.scrollIntoViewIfNeeded();
    return row;
  }

  /** Expands a tree node by its twistie: clicking a row whose item has a command (chains and tables
   * open their dump) only runs the command, as VS Code does for such items. */
  async function expand(label: string | RegExp): Promise<Locator> {
    for (let i = 0; i < 50; i++) {
      const row = await treeRow(label);
      if ((await row.getAttribute('aria-expanded')) === 'true') return row;
      if (i % 10 === 0) await row.locator('.monaco-tl-twistie').click();
      await page.waitForTimeout(100);
    }
    throw new Error(`tree node ${String(label)} did not expand`);
  }

  /** Drags the sash right of the sidebar so the tree's labels are readable in the screenshots. */
  async function widenSidebar(width: number): Promise<void> {
    const box = await sidebar().boundingBox();
    if (!box) return;
    const edge = box.x + box.width;
    let sash;
    for (const s of await page.locator('.monaco-sash.vertical').all()) {
      const b = await s.boundingBox();
      if (b && b.height > box.height / 2 && Math.abs(b.x + b.width / 2 - edge) < 8) sash = b;
    }
    if (!sash) {
      console.log('    no sash right of the sidebar; screenshots keep its default width');
      return;
    }
    const [x, y] = [sash.x + sash.width / 2, sash.y + sash.height / 2];
    await page.mouse.move(x, y);
    await page.waitForTimeout(300); // the sash reacts after its hover delay
    await page.mouse.down();
    await page.mouse.move(x + 40, y, { steps: 4 });
    await page.mouse.move(box.x + width, y, { steps: 8 });
    await page.mouse.up();
  }

  async function expectEditorAt(file: RegExp, line?: number): Promise<void> {
    await activeTab().filter({ hasText: file }).waitFor();
    if (line !== undefined) await cursorStatus().filter({ hasText: new RegExp(`Ln ${line},`) }).waitFor();
  }

  before(async function () {
    this.timeout(180_000);
    fs.mkdirSync(artifacts, { recursive: true });
    const { chromium } = createRequire(path.join(env('OSNET_E2E_TOOLS'), 'x.js'))('playwright-core') as PlaywrightApi;
    profile = fs.mkdtempSync(path.join(os.tmpdir(), 'osnet-e2e-chromium-'));
    // Webviews live on another origin and need third-party storage for their service worker.
    fs.mkdirSync(path.join(profile, 'Default'), { recursive: true });
    fs.writeFileSync(path.join(profile, 'Default', 'Preferences'),
      JSON.stringify({ profile: { cookie_controls_mode: 0, block_third_party_cookies: false } }));
    ctx = await chromium.launchPersistentContext(profile, {
      executablePath: process.env['CHROMIUM'] ?? '/usr/bin/chromium',
      headless: true,
      viewport: { width: 1400, height: 900 },
      env: { ...process.env, XDG_CONFIG_HOME: profile, XDG_CACHE_HOME: profile }, // crashpad/dconf out of $HOME
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = ctx.pages()[0] ?? (await ctx.newPage());
    page.setDefaultTimeout(30_000);
    const t0 = Date.now();
    await page.goto(`${env('BASE_URL')}/?folder=${encodeURIComponent(env('WORKSPACE'))}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    await page.getByRole('tab', { name: /OpenStack Net Debug/ }).waitFor({ timeout: 90_000 });
    console.log(`    workbench with the OpenStack Net Debug activity-bar entry after ${Date.now() - t0} ms`);
  });

  after(async () => {
    await ctx?.close();
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
  });

  it('(a) opens the sample from the palette and browses it to an iptables rule and an OVS flow', async () => {
    await page.getByRole('tab', { name: /OpenStack Net Debug/ }).click();
    await sidebar().getByText('Open Sample Snapshot').first().waitFor(); // the empty tree's welcome view
    await widenSidebar(480);
    await runCommand('OpenStack: Open Sample Snapshot');
    await quickRow(SAMPLE).waitFor();
    await quickInput().fill(SAMPLE);
    await quickInput().press('Enter');

    await expand(HOST);
    await expand('Namespaces');
    await expand('(root namespace)');
    await expand(/^iptables$/);
    await expand(/^filter$/);
    await expand(new RegExp(`^${SPOOF_CHAIN}$`));
    const drop = await treeRow(`-A ${SPOOF_CHAIN} -m comment --comment "Drop traffic without an IP/MAC allow rule." -j DROP`);
    await drop.click();
    await expectEditorAt(/iptables-save_-c/, 84);
    const text = (await editorLine(`-A ${SPOOF_CHAIN} -m comment`).innerText()).replace(/\u00a0/g, ' '); // the editor renders spaces as U+00A0
    assert.match(text, /^\[1:53\] -A neutron-openvswi-s6d1e3a2b-7 .* -j DROP$/);
    await shot('01-tree-iptables-rule.png');

    // OVS > br-int > table 24 (ARP spoofing protection) > its catch-all drop flow
    await expand(/^OVS$/);
    await expand(/^br-int$/);
    await expand(/^table 24$/);
    const flow = await treeRow(/^0 \*$/);
    await flow.click();
    // line 14 of the OpenFlow 1.3 dump: "... table=24, n_packets=1, ... priority=0 actions=drop"
    await expectEditorAt(/ovs-ofctl_-O_OpenFlow13_dump-flows_br-int/, 14);
    const lines = page.locator('.editor-group-container.active .view-line');
    assert.equal(await lines.filter({ hasText: 'table=24, n_packets=1, n_bytes=60' }).filter({ hasText: 'priority=0 actions=drop' }).count(), 1);
    await shot('02-tree-ovs-flow.png');
  });

  it('(b) Explain Why VIP Traffic Is Dropped: the report names the deciding rules and links to them', async () => {
    await runCommand('OpenStack: Explain Why VIP Traffic Is Dropped');
    await quickInput().waitFor({ state: 'visible' });
    await quickInput().fill('192.168.1.');
    await page.locator('.quick-input-message', { hasText: 'Enter an IPv4 or IPv6 address' }).waitFor();
    await quickInput().fill(VIP);
    await quickInput().press('Enter');
    // multi-select pick of the ports that should hold the VIP
    await quickRow(PORT_ID).locator('.quick-input-list-checkbox, input[type=checkbox], .monaco-checkbox').first().click();
    await shot('03-explain-pick-port.png');
    await quickInput().press('Enter');

    await page.locator('.tabs-container .tab', { hasText: `VIP ${VIP}` }).waitFor();
    const frame = page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
    const headline = frame.locator('.headline');
    await headline.waitFor({ timeout: 60_000 });
    const text = await headline.innerText();
    assert.match(text, /br-int table 24/);
    assert.match(text, new RegExp(SPOOF_CHAIN));
    await frame.locator('vscode-badge.verdict.blocked').first().waitFor();
    // the report and the dump share the window from here on
    await runCommand('View: Toggle Primary Side Bar Visibility');
    await sidebar().waitFor({ state: 'hidden' });
    await shot('04-vip-report.png');

    await frame.locator('a.rule-link', { hasText: 'iptables-save_-c:84' }).first().click();
    await expectEditorAt(/iptables-save_-c/, 84);
    // the dump opens beside the report, which stays visible
    await page.locator('.editor-group-container:not(.active) .tab.active', { hasText: `VIP ${VIP}` }).waitFor();
    await shot('05-report-link-to-rule.png');
  });

  it('(c) grammars: a target and a match option get different token colours', async function () {
    const extensions = env('EXTENSIONS_DIR');
    const dir = fs.readdirSync(extensions).find((d) => d.startsWith('openstack-net-debug.'));
    assert.ok(dir, `the extension is installed in ${extensions}`);
    const manifest = JSON.parse(fs.readFileSync(path.join(extensions, dir, 'package.json'), 'utf8')) as { contributes?: { grammars?: { language: string; path: string }[] } };
    const grammar = manifest.contributes?.grammars?.find((g) => g.language === 'iptables');
    if (!grammar) {
      console.log('    skipped: package.json contributes no TextMate grammar for the iptables language (contributes.grammars)');
      this.skip();
    }
    assert.ok(fs.existsSync(path.join(extensions, dir, grammar.path)), `${grammar.path} is in the .vsix`);
    await expectEditorAt(/iptables-save_-c/);
    await page.locator('.statusbar-item', { hasText: /^iptables$/ }).waitFor();
    const line = editorLine(`-A ${SPOOF_CHAIN} -m comment`);
    const cls = async (re: RegExp): Promise<string> => (await line.locator('span > span', { hasText: re }).first().getAttribute('class')) ?? '';
    // tokenization is asynchronous: wait until the target is no longer default-coloured (mtk1)
    for (let i = 0; i < 100 && /\bmtk1\b/.test(await cls(/^DROP$/)); i++) await page.waitForTimeout(100);
    const [target, match, option] = [await cls(/^DROP$/), await cls(/^comment$/), await cls(/^--comment$/)];
    console.log(`    token classes: target DROP=${target} match module comment=${match} option --comment=${option}`);
    assert.doesNotMatch(target, /\bmtk1\b/);
    assert.notEqual(target, option);
    assert.notEqual(target, match);
    await shot('06-grammar-iptables.png');
  });
});
