// One VS Code window (code-server's web client in Debian's chromium, driven by playwright-core) and
// the gestures the end-to-end tests make in it: the command palette, quick picks, the sidebar tree,
// the editor's cursor, hovers and screenshots. Every wait is on a condition with a deadline (no
// fixed sleeps standing in for "long enough"), so a loaded 2-core machine is slower, not flaky.
// The environment comes from scripts/e2e/run.sh: BASE_URL, WORKSPACE, ARTIFACTS, CHROMIUM,
// OSNET_E2E_TOOLS (node_modules holding playwright-core, kept out of the project's dependencies).
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BoundingBox, BrowserContext, Locator, Page, PlaywrightApi } from './PlaywrightApi';

export function e2eEnv(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the end-to-end tests through scripts/e2e/run.sh`);
  return v;
}

/** Polls `probe` until it returns a value other than undefined/false, or throws `what` at the deadline. */
export async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${last instanceof Error ? last.message : JSON.stringify(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Monaco renders spaces as U+00A0 in `.view-line`s. */
export const lineText = (s: string): string => s.replace(/\u00a0/g, ' ');

/** The text of a computed CSS `content` value: `"← drops …"` without its quotes and escapes. */
export function cssContentText(content: string): string {
  const m = /^"(.*)"$/s.exec(content);
  return lineText((m?.[1] ?? content).replace(/\\(.)/g, '$1'));
}

export class Workbench {
  private constructor(readonly page: Page, private readonly ctx: BrowserContext, private readonly profile: string, readonly folder: string) {}

  /**
   * Opens a window on WORKSPACE/<name>: a folder of its own, so the window starts with no editors
   * restored from another spec file's window (workspace state is kept per folder).
   */
  static async open(name: string): Promise<Workbench> {
    const { chromium } = createRequire(path.join(e2eEnv('OSNET_E2E_TOOLS'), 'x.js'))('playwright-core') as PlaywrightApi;
    const folder = path.join(e2eEnv('WORKSPACE'), name);
    fs.mkdirSync(folder, { recursive: true });
    fs.mkdirSync(e2eEnv('ARTIFACTS'), { recursive: true });
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'osnet-e2e-chromium-'));
    // Webviews live on another origin and need third-party storage for their service worker.
    fs.mkdirSync(path.join(profile, 'Default'), { recursive: true });
    fs.writeFileSync(path.join(profile, 'Default', 'Preferences'),
      JSON.stringify({ profile: { cookie_controls_mode: 0, block_third_party_cookies: false } }));
    const ctx = await chromium.launchPersistentContext(profile, {
      executablePath: process.env['CHROMIUM'] ?? '/usr/bin/chromium',
      headless: true,
      viewport: { width: 1400, height: 900 },
      env: { ...process.env, XDG_CONFIG_HOME: profile, XDG_CACHE_HOME: profile }, // crashpad/dconf out of $HOME
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    page.setDefaultTimeout(45_000);
    const wb = new Workbench(page, ctx, profile, folder);
    const t0 = Date.now();
    await page.goto(`${e2eEnv('BASE_URL')}/?folder=${encodeURIComponent(folder)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 120_000 });
    await page.getByRole('tab', { name: /OpenStack Net Debug/ }).waitFor({ timeout: 120_000 });
    console.log(`    workbench on ${name}/ with the OpenStack Net Debug activity-bar entry after ${Date.now() - t0} ms`);
    return wb;
  }

  async close(): Promise<void> {
    await this.ctx.close();
    fs.rmSync(this.profile, { recursive: true, force: true });
  }

  async shot(name: string): Promise<void> {
    await this.page.waitForTimeout(500); // let quick-input / notification / hover fade-ins finish
    await this.page.screenshot({ path: path.join(e2eEnv('ARTIFACTS'), name) });
  }

  quickInput(): Locator {
    return this.page.locator('.quick-input-widget input.input');
  }

  quickRow(text: string | RegExp): Locator {
    return this.page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
  }

  sidebar(): Locator {
    return this.page.locator('#workbench\\.parts\\.sidebar');
  }

  activeTab(): Locator {
    return this.page.locator('.editor-group-container.active .tab.active');
  }

  activeEditor(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  /** The first rendered line of the active editor containing `text` (only visible lines are rendered). */
  editorLine(text: string | RegExp): Locator {
    return this.page.locator('.editor-group-container.active .view-line').filter({ hasText: text }).first();
  }

  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    await this.quickInput().waitFor({ state: 'visible' });
    await this.quickInput().fill('>' + title);
    await this.quickRow(title).waitFor();
    await this.quickInput().press('Enter');
  }

  /**
   * The tree row with this label (and description, when given: live hosts all read "<hostname>
   * (live)" once connected and differ by their description). The list is virtual: rows exist only
   * while on screen, so the view is swept a part of a screen at a time, down to its end, then up.
   */
  async treeRow(label: string | RegExp, timeoutMs = 45_000, description?: string | RegExp): Promise<Locator> {
    const page = this.page;
    let rows = this.sidebar().locator('.monaco-list-row[role="treeitem"]').filter({ has: page.locator('.label-name', { hasText: label }) });
    if (description !== undefined) rows = rows.filter({ has: page.locator('.label-description', { hasText: description }) });
    const row = rows.first();
    const list = this.sidebar().locator('.monaco-list').first();
    const scroll = this.sidebar().locator('.monaco-list-rows').first();
    if ((await row.count()) > 0) {
      await row.scrollIntoViewIfNeeded();
      return row;
    }
    // One wheel notch per step (a list scrolls 50 px per notch times
    // workbench.list.mouseWheelScrollSensitivity, which scripts/e2e/run.sh sets to 12), with the
    // mouse on the list's scroll bar: over a row, the row's tooltip would show in the screenshots.
    let box: BoundingBox | null = null;
    let down = true;
    let last: string | null | undefined;
    await until(`the tree row ${String(label)}${description !== undefined ? ` described ${String(description)}` : ''}`, async () => {
      if ((await row.count()) > 0) return true;
      // No list (an empty tree shows its welcome view instead): nothing to scroll yet.
      if ((await list.count()) === 0) return false;
      box ??= await list.boundingBox();
      if (!box) return false;
      // The rows container moves as the list scrolls: unmoved since the last wheel = an end.
      const at = await scroll.getAttribute('style').catch(() => null);
      if (at === last) down = !down;
      last = at;
      await page.mouse.move(box.x + box.width - 4, box.y + box.height / 2);
      await page.mouse.wheel(0, down ? 100 : -100);
      return false;
    }, timeoutMs, 60);
    await row.scrollIntoViewIfNeeded();
    return row;
  }

  /** Expands a tree node by its twistie: clicking a row whose item has a command (chains and tables
   * open their dump) only runs the command, as VS Code does for such items. */
  async expand(label: string | RegExp, description?: string | RegExp): Promise<Locator> {
    let clickedAt = 0;
    return until(`the tree node ${String(label)} to expand`, async () => {
      const row = await this.treeRow(label, 45_000, description);
      if ((await row.getAttribute('aria-expanded')) === 'true') return row;
      // Children load asynchronously: click again only when a click has had time to take effect.
      if (Date.now() - clickedAt > 3000) {
        await row.locator('.monaco-tl-twistie').click();
        clickedAt = Date.now();
      }
      return undefined;
    }, 45_000);
  }

  /** The view's "Collapse All" (its title bar): afterwards only the top-level nodes are rendered. */
  async collapseTree(): Promise<void> {
    await this.sidebar().hover();
    await this.sidebar().locator('.action-label[aria-label^="Collapse All"]').first().click();
    await until('the tree to be collapsed', async () => (await this.sidebar().locator('.monaco-list-row[aria-expanded="true"]').count()) === 0, 15_000);
  }

  /** Clicks an inline action of a tree row (shown while the row is hovered), by its title. */
  async inlineAction(row: Locator, title: RegExp): Promise<void> {
    await row.hover();
    for (const a of await row.locator('.actions .action-label').all()) {
      const name = `${(await a.getAttribute('aria-label')) ?? ''} ${(await a.getAttribute('title')) ?? ''}`;
      if (title.test(name)) {
        await a.click();
        return;
      }
    }
    throw new Error(`no inline action ${String(title)} on the row`);
  }

  /**
   * The inline notes that decorations put after the rendered lines of the active editor:
   * VS Code draws `after: { contentText }` as CSS `::after` content of an empty span of the line,
   * so the note is in the computed style, not in the DOM text. Lines without a note are left out.
   */
  async editorNotes(): Promise<{ text: string; notes: string[] }[]> {
    const lines = this.page.locator('.editor-group-container.active .monaco-editor .view-line');
    const all = await lines.evaluateAll((els) => els.map((el) => {
      const line = el as { textContent: string | null; querySelectorAll(selector: string): ArrayLike<unknown> };
      const css = globalThis as unknown as { getComputedStyle(e: unknown, pseudo: string): { content: string } };
      const spans = line.querySelectorAll('span');
      const notes: string[] = [];
      for (let i = 0; i < spans.length; i++) {
        const content = css.getComputedStyle(spans[i], '::after').content;
        if (content && content !== 'none' && content !== 'normal') notes.push(content);
      }
      return { text: line.textContent ?? '', notes };
    }));
    return all.filter((l) => l.notes.length > 0).map((l) => ({ text: lineText(l.text), notes: l.notes.map(cssContentText) }));
  }

  /** Drags the sash right of the sidebar so the tree's labels are readable in the screenshots. */
  async widenSidebar(width: number): Promise<void> {
    const page = this.page;
    const box = await this.sidebar().boundingBox();
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
    await page.mouse.move(box.x + width + 300, y + 150); // off the sash, which stays highlighted while hovered
  }

  /** The cursor of the active editor, from the status bar ("Ln 74, Col 45"). */
  async cursor(): Promise<{ line: number; column: number } | undefined> {
    const text = await this.page.locator('#status\\.editor\\.selection').innerText().catch(() => '');
    const m = /Ln (\d+), Col (\d+)/.exec(text);
    return m ? { line: Number(m[1]), column: Number(m[2]) } : undefined;
  }

  async expectEditorAt(file: RegExp, line?: number, timeoutMs?: number): Promise<void> {
    await this.activeTab().filter({ hasText: file }).waitFor(timeoutMs !== undefined ? { timeout: timeoutMs } : {});
    if (line !== undefined) {
      await until(`the cursor on line ${line} of ${String(file)}`, async () => (await this.cursor())?.line === line, timeoutMs ?? 30_000);
    }
  }

  /** Opens a file by absolute path through Quick Open (Ctrl+P takes paths outside the workspace too). */
  async openFile(file: string): Promise<void> {
    // Again from the start when Quick Open closes under us: a webview that finishes loading takes
    // the focus, and Quick Open hides when it loses it.
    await until(`Quick Open to take ${file}`, async () => {
      await this.page.keyboard.press('Escape');
      await this.page.keyboard.press('Control+P');
      await this.quickInput().waitFor({ state: 'visible', timeout: 5_000 });
      await this.quickInput().fill(file, { timeout: 5_000 });
      // Enter takes the focused row: wait until it is the file (the list updates as typed).
      const name = new RegExp(`^${path.basename(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
      await this.page.locator('.quick-input-list .monaco-list-row.focused').filter({ has: this.page.locator('.label-name', { hasText: name }) }).waitFor({ timeout: 15_000 });
      await this.quickInput().press('Enter', { timeout: 5_000 });
      return true;
    }, 60_000, 500);
    await this.expectEditorAt(new RegExp(path.basename(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  }

  /** "Go to Line/Column…" (1-based, as the status bar counts), then waits for the cursor to be there. */
  async goTo(line: number, column: number): Promise<void> {
    // Clicking the active tab gives the focus back to its editor (a webview beside may hold it,
    // and then the keys go there); again from the start when the box closes under us.
    await until(`Go to Line to take ${line}:${column}`, async () => {
      await this.activeTab().click();
      await this.page.keyboard.press('Control+G');
      await this.quickInput().waitFor({ state: 'visible', timeout: 5_000 });
      await this.quickInput().fill(`:${line}:${column}`, { timeout: 5_000 });
      await this.quickInput().press('Enter', { timeout: 5_000 });
      return true;
    }, 45_000, 500);
    await until(`the cursor at ${line}:${column}`, async () => {
      const c = await this.cursor();
      return c?.line === line && c.column === column;
    }, 15_000);
  }

  /** The mouse over character `column` (0-based) of a rendered line (monospace: width / length). */
  async hoverCharacter(line: Locator, column: number): Promise<void> {
    const span = line.locator(':scope > span').first();
    // The character width from the first token: the line's own box also holds the inline notes
    // of decorations (CSS ::after content), which are not in its text.
    let charWidth = 0;
    for (const token of await span.locator(':scope > span').all()) {
      const [text, tokenBox] = [lineText(await token.innerText()), await token.boundingBox()];
      if (tokenBox && text.length > 0 && tokenBox.width > 0) {
        charWidth = tokenBox.width / text.length;
        break;
      }
    }
    const box = await span.boundingBox();
    if (!box || charWidth === 0) throw new Error('the line is not rendered');
    const x = box.x + (column + 0.5) * charWidth;
    const y = box.y + box.height / 2;
    // Move there in steps from a little away: the editor shows a hover after the mouse rests on a word.
    await this.page.mouse.move(x - 30, y + 40);
    await this.page.mouse.move(x, y, { steps: 5 });
  }

  /** The editor's visible content hover (the widget VS Code shows for a hover provider's Markdown). */
  editorHover(text?: string | RegExp): Locator {
    const all = this.page.locator('.monaco-editor .monaco-hover:not(.hidden) .monaco-hover-content');
    return (text !== undefined ? all.filter({ hasText: text }) : all).first();
  }

  /** The hover of the active editor tab (VS Code shows the tab's resource there), then the mouse leaves. */
  async tabHover(): Promise<string> {
    await this.activeTab().hover();
    const hover = this.page.locator('.workbench-hover:not(.hidden)').first();
    await hover.waitFor({ timeout: 15_000 });
    const text = await hover.innerText();
    await this.page.mouse.move(700, 600);
    return text;
  }

  /** For afterEach: a screenshot of the window as a failed test left it, named after the test. */
  async shotIfFailed(test: { state?: string; title: string } | undefined): Promise<void> {
    if (test?.state !== 'failed') return;
    const name = `FAILED-${test.title.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 60)}.png`;
    await this.page.screenshot({ path: path.join(e2eEnv('ARTIFACTS'), name) }).catch(() => undefined);
    console.log(`    screenshot of the failure: ${name}`);
  }

  /** The theme class (mtkN) of the first token of `line` whose text matches `re`; mtk1 = default colour. */
  async tokenClass(line: Locator, re: RegExp): Promise<string> {
    return (await line.locator('span > span', { hasText: re }).first().getAttribute('class')) ?? '';
  }
}
