// The deciding-rule decorations in a real VS Code: after "Explain Why VIP Traffic Is Dropped…" on
// the bundled sample 002-neutron-spoof (VIP 192.168.1.100 on port 6d1e3a2b-7c), the dumps of that
// sample carry an inline note after the rule and the flow that drop the VIP's packets, and only
// there; closing the report panel takes the notes away. The expected lines and notes come from
// src/core's reportDecorations on the same files (the oracle for what the editor must draw), and
// the notes are read from the DOM (VS Code draws them as CSS `::after` content). Started by
// scripts/e2e/run.sh (see Workbench.ts for the environment).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { explainVip } from '../../src/core/diagnose/explainVip';
import { reportDecorations, type ReportDecoration } from '../../src/core/diagnose/reportDecorations';
import { parseIp } from '../../src/core/net/IpAddress';
import { buildSimHost } from '../../src/core/sim/walk/buildSimHost';
import { loadSnapshot } from '../../src/host/loadSnapshot';
import { e2eEnv, until, Workbench } from './Workbench';

const SAMPLE = '002-neutron-spoof';
const HOST = new RegExp(`compute-1 \\(${SAMPLE}\\)`);
const VIP = '192.168.1.100';
const PORT_ID = '6d1e3a2b-7c';
const IPTABLES = 'iptables-save_-c';
const FLOWS = 'ovs-ofctl_-O_OpenFlow13_dump-flows_br-int';
const SPOOF_CHAIN = 'neutron-openvswi-s6d1e3a2b-7';

describe('Deciding-rule decorations in VS Code after Explain Why VIP Traffic Is Dropped', function () {
  this.timeout(240_000);
  let wb: Workbench;
  /** The sample as the installed extension opens it: decorations belong to these files, not to the project's copy. */
  let sampleDir = '';
  let expected: ReportDecoration[] = [];
  const lineOf = (file: string, line: number): string => fs.readFileSync(path.join(sampleDir, file), 'utf8').split('\n')[line - 1] ?? '';

  before(async function () {
    this.timeout(240_000);
    const extensions = e2eEnv('EXTENSIONS_DIR');
    const dir = fs.readdirSync(extensions).find((d) => d.startsWith('openstack-net-debug.'));
    assert.ok(dir, `the extension is installed in ${extensions}`);
    sampleDir = path.join(extensions, dir, 'samples', SAMPLE);
    const { snapshot } = await loadSnapshot(sampleDir);
    const vip = parseIp(VIP);
    assert.ok(vip);
    const result = explainVip({ hosts: [{ label: 'h', snapshot, sim: buildSimHost(snapshot) }], vip, ports: [PORT_ID] });
    assert.ok(result.ok);
    expected = reportDecorations(result.report);
    console.log(`    expected notes: ${expected.map((d) => `${d.file}:${d.line}`).join(', ')}`);
    // The two the feature exists for: the spoof chain's DROP and br-int's ARP-spoofing drop.
    assert.deepEqual(expected.map((d) => [d.file, d.line]), [[IPTABLES, 84], [FLOWS, 14]]);
    wb = await Workbench.open('decorations');
  });

  afterEach(async function () {
    await wb?.shotIfFailed(this.currentTest);
  });

  after(async () => {
    await wb?.close();
  });

  /** Opens a dump of the installed sample at a line (in the active group). */
  async function openAt(file: string, line: number): Promise<void> {
    await wb.openFile(path.join(sampleDir, file));
    await wb.goTo(line, 1);
    await wb.editorLine(lineOf(file, line).slice(0, 40)).waitFor();
  }

  /** The notes of the active editor's rendered lines once `want` holds (decorations arrive from the extension host). */
  function notesWhen(what: string, want: (notes: { text: string; notes: string[] }[]) => boolean): Promise<{ text: string; notes: string[] }[]> {
    return until(what, async () => {
      const n = await wb.editorNotes();
      return want(n) ? n : undefined;
    }, 20_000, 200);
  }

  /**
   * Hovers the spoof chain's name on a line of the iptables dump and returns the hover's text once
   * the extension's chain hover is in. The extension host handles requests in order, so by then
   * any decoration it set for this editor is drawn: a barrier before asserting that none is.
   */
  async function hoverSpoofChain(line: number): Promise<string> {
    const text = lineOf(IPTABLES, line);
    await wb.hoverCharacter(wb.editorLine(text.slice(0, 40)), text.indexOf(SPOOF_CHAIN) + 8);
    await wb.editorHover(`Chain ${SPOOF_CHAIN}`).waitFor({ timeout: 20_000 });
    return wb.page.locator('.monaco-editor .monaco-hover:not(.hidden)').first().innerText();
  }

  async function calm(): Promise<void> {
    await wb.page.keyboard.press('Escape');
    await wb.page.mouse.move(5, 450);
    await wb.editorHover().waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
  }

  /** The one noted line must be the deciding one, with the note reportDecorations gives it. */
  function assertNoted(d: ReportDecoration, shown: { text: string; notes: string[] }[]): void {
    console.log(`    ${d.file}:${d.line}: ${JSON.stringify(shown.map((l) => l.notes))}`);
    assert.equal(shown.length, 1, `only the deciding line of ${d.file} has a note: ${JSON.stringify(shown)}`);
    assert.equal(shown[0]?.text, lineOf(d.file, d.line));
    assert.deepEqual(shown[0]?.notes, [`← ${d.note}`]);
    assert.match(d.note, new RegExp(`^drops .*${VIP.replace(/\./g, '\\.')} from port ${PORT_ID}\\b`));
  }

  it('(k) the deciding iptables rule and OVS flow carry the inline note; no other line does', async () => {
    const page = wb.page;
    const [rule, flow] = expected;
    assert.ok(rule && flow);
    await page.getByRole('tab', { name: /OpenStack Net Debug/ }).click();
    await wb.runCommand('OpenStack: Open Sample Snapshot');
    await wb.quickRow(SAMPLE).waitFor();
    await wb.quickInput().fill(SAMPLE);
    await wb.quickInput().press('Enter');
    await wb.treeRow(HOST);
    await wb.runCommand('View: Toggle Primary Side Bar Visibility');
    await wb.sidebar().waitFor({ state: 'hidden' });

    // The iptables dump is on screen before the diagnosis, without a note.
    await openAt(IPTABLES, rule.line);
    assert.doesNotMatch(await hoverSpoofChain(rule.line), /this rule decides/);
    assert.deepEqual(await wb.editorNotes(), [], 'no note before any report');
    await calm();

    await wb.runCommand('OpenStack: Explain Why VIP Traffic Is Dropped');
    await wb.quickInput().waitFor({ state: 'visible' });
    await wb.quickInput().fill(VIP);
    await wb.quickInput().press('Enter');
    await wb.quickRow(PORT_ID).locator('.quick-input-list-checkbox, input[type=checkbox], .monaco-checkbox').first().click();
    await wb.quickInput().press('Enter');
    const frame = page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
    await frame.locator('.headline').waitFor({ timeout: 90_000 });

    // The report opened beside; the dump already on screen gets its note without being reopened.
    await page.locator('.editor-group-container .tab', { hasText: IPTABLES }).first().click();
    await wb.expectEditorAt(new RegExp(IPTABLES), rule.line);
    assertNoted(rule, await notesWhen(`the note on ${IPTABLES}:${rule.line}`, (n) => n.length > 0));
    // The whole story on hover, after the chain hover of the language features.
    const hover = await hoverSpoofChain(rule.line);
    console.log(`    hover: ${hover.replace(/\s+/g, ' ').slice(0, 200)}`);
    assert.match(hover, new RegExp(`VIP ${VIP.replace(/\./g, '\\.')}\\s*: this rule decides 3 packets`));
    assert.match(hover, /openstack port set --allowed-address ip-address=192\.168\.1\.100/);
    await wb.shot('15-decoration-iptables-rule.png');
    await calm();

    // A dump opened after the diagnosis gets its note when it shows.
    await openAt(flow.file, flow.line);
    assertNoted(flow, await notesWhen(`the note on ${flow.file}:${flow.line}`, (n) => n.length > 0));
    await wb.goTo(flow.line, lineOf(flow.file, flow.line).length + 1); // the end of the long line, the note in view
    await wb.shot('16-decoration-ovs-flow.png');
  });

  it('(l) closing the report panel removes the notes', async () => {
    const page = wb.page;
    const [rule, flow] = expected;
    assert.ok(rule && flow);
    const tab = page.locator('.tabs-container .tab', { hasText: `VIP ${VIP}` });
    await tab.hover();
    await tab.locator('.tab-actions .action-label').first().click();
    await tab.waitFor({ state: 'detached' });
    // The flows dump is still on screen: its note goes.
    await wb.expectEditorAt(new RegExp(flow.file));
    await notesWhen(`the note of ${flow.file} to go`, (n) => n.length === 0);
    // And the iptables dump, shown again, has neither the note nor the story.
    await openAt(IPTABLES, rule.line);
    assert.doesNotMatch(await hoverSpoofChain(rule.line), /this rule decides/);
    assert.deepEqual(await wb.editorNotes(), []);
    await wb.shot('17-decoration-cleared.png');
  });
});
