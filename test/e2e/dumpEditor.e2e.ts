// Issue 6 in a real VS Code: a saved dump opened by path gets go to definition (F12 on `-j CHAIN`,
// on `resubmit(,N)`) and hovers (a Neutron chain name decoded; a br-int table number explained),
// from the extension's providers. Expected positions are read from the dump files here, not from
// the extension. Started by scripts/e2e/run.sh (see Workbench.ts for the environment).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lineText, until, Workbench } from './Workbench';

const SAMPLE_DIR = path.resolve(__dirname, '../../samples/002-neutron-spoof');
const IPTABLES = path.join(SAMPLE_DIR, 'iptables-save_-c');
const FLOWS = path.join(SAMPLE_DIR, 'ovs-ofctl_-O_OpenFlow13_dump-flows_br-int');
const SPOOF_CHAIN = 'neutron-openvswi-s6d1e3a2b-7';
const INGRESS_CHAIN = 'neutron-openvswi-i6d1e3a2b-7';

/** 1-based line number of the first line of `file` matching `re`. */
function lineOf(file: string, re: RegExp): { line: number; text: string } {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const i = lines.findIndex((l) => re.test(l));
  if (i < 0) throw new Error(`${file} has no line matching ${String(re)}`);
  return { line: i + 1, text: lines[i] ?? '' };
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('Dump editors in VS Code: go to definition and hovers', function () {
  this.timeout(240_000);
  let wb: Workbench;

  before(async function () {
    this.timeout(240_000);
    wb = await Workbench.open('dumps');
  });

  afterEach(async function () {
    await wb?.shotIfFailed(this.currentTest);
  });

  after(async () => {
    await wb?.close();
  });

  /** Leaves no hover or peek from the previous step on screen. */
  async function calm(): Promise<void> {
    await wb.page.keyboard.press('Escape');
    await wb.page.mouse.move(5, 450);
    await wb.editorHover().waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
  }

  it('(d) F12 on `-j CHAIN` in an iptables-save goes to that chain', async () => {
    await wb.openFile(IPTABLES);
    await wb.page.locator('.statusbar-item', { hasText: /^iptables$/ }).waitFor();
    // `[3:177] -A neutron-openvswi-o6d1e3a2b-7 -j neutron-openvswi-s6d1e3a2b-7`: the egress chain jumps to the spoof chain
    const from = lineOf(IPTABLES, new RegExp(`^\\[\\d+:\\d+\\] -A \\S+ -j ${escape(SPOOF_CHAIN)}$`));
    const declaration = lineOf(IPTABLES, new RegExp(`^:${escape(SPOOF_CHAIN)} `));
    const firstRule = lineOf(IPTABLES, new RegExp(`^(\\[\\d+:\\d+\\] )?-A ${escape(SPOOF_CHAIN)} `));
    const col = from.text.lastIndexOf(SPOOF_CHAIN) + 1 + 8; // 1-based, inside the chain name
    await wb.goTo(from.line, col);
    await wb.page.keyboard.press('F12');
    const landed = await until(`F12 to leave line ${from.line} for the chain (line ${declaration.line} or ${firstRule.line})`, async () => {
      const c = await wb.cursor();
      return c && (c.line === declaration.line || c.line === firstRule.line) ? c : undefined;
    }, 20_000);
    console.log(`    -j ${SPOOF_CHAIN} on line ${from.line} -> line ${landed.line} (declaration ${declaration.line}, first rule ${firstRule.line})`);
    await wb.expectEditorAt(/iptables-save_-c/);
    const expected = landed.line === declaration.line ? declaration.text : firstRule.text;
    assert.equal(lineText(await wb.editorLine(expected).innerText()), expected, 'the line F12 landed on is rendered');
    await wb.shot('07-goto-definition-chain.png');
  });

  it('(e) hovering a Neutron chain name shows its decoded meaning (port id, direction)', async () => {
    await calm();
    // `... -m comment --comment "Jump to the VM specific chain." -j neutron-openvswi-i6d1e3a2b-7`
    const at = lineOf(IPTABLES, new RegExp(`-j ${escape(INGRESS_CHAIN)}$`));
    const col = at.text.lastIndexOf(INGRESS_CHAIN) + 20;
    await wb.goTo(at.line, col + 1); // scrolls the long line so the chain name is on screen
    const line = wb.editorLine(`-j ${INGRESS_CHAIN}`);
    await line.waitFor();
    assert.equal(lineText(await line.innerText()), at.text);
    await wb.hoverCharacter(line, col);
    const hover = wb.editorHover(INGRESS_CHAIN);
    await hover.waitFor({ timeout: 20_000 });
    const text = await hover.innerText();
    console.log(`    hover: ${text.replace(/\s+/g, ' ').slice(0, 200)}`);
    assert.match(text, /ingress/i, 'direction decoded: i = ingress');
    assert.match(text, /TO the VM/);
    assert.match(text, /Port:?\s*6d1e3a2b-7\b/, 'port id prefix decoded');
    await wb.shot('08-hover-chain.png');
  });

  it('(f) F12 on `resubmit(,24)` in a dump-flows goes to the first flow of table 24', async () => {
    await calm();
    await wb.openFile(FLOWS);
    await wb.page.locator('.statusbar-item', { hasText: /^OVS flows$/ }).waitFor();
    const from = lineOf(FLOWS, /priority=10,arp,in_port=5 actions=resubmit\(,24\)$/);
    const table24 = lineOf(FLOWS, /\btable=24,/);
    const col = from.text.indexOf('resubmit(,24)') + 'resubmit(,'.length + 1; // 1-based, on the "2" of 24
    await wb.goTo(from.line, col);
    await wb.page.keyboard.press('F12');
    await until(`F12 to go from line ${from.line} to line ${table24.line} (first flow of table 24)`, async () => (await wb.cursor())?.line === table24.line, 20_000);
    await wb.expectEditorAt(/dump-flows_br-int/);
    await wb.shot('09-goto-definition-table.png');
  });

  it('(g) hovering `table=24` in a br-int flow shows the Neutron table meaning', async () => {
    await calm();
    const at = lineOf(FLOWS, /\btable=24,/);
    const line = wb.editorLine(at.text.trim());
    await line.waitFor();
    await wb.hoverCharacter(line, at.text.indexOf('table=24') + 'table='.length);
    const hover = wb.editorHover(/table 24/i);
    await hover.waitFor({ timeout: 20_000 });
    const text = await hover.innerText();
    console.log(`    hover: ${text.replace(/\s+/g, ' ').slice(0, 200)}`);
    assert.match(text, /ARP_SPOOF_TABLE/);
    assert.match(text, /ARP spoofing protection/);
    await wb.shot('10-hover-table.png');
  });
});
