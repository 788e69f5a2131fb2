// The part of playwright-core's API the e2e test uses, typed here because playwright-core is not a
// dependency of the project: scripts/e2e/install.sh installs it into the e2e cache, and the type
// check and lint of `npm test` must pass on machines that never installed it.

export interface BoundingBox { x: number; y: number; width: number; height: number }

export interface LocatorOptions { hasText?: string | RegExp; has?: Locator }

export interface Locator {
  locator(selector: string, opts?: LocatorOptions): Locator;
  filter(opts: LocatorOptions): Locator;
  getByText(text: string | RegExp): Locator;
  first(): Locator;
  last(): Locator;
  all(): Promise<Locator[]>;
  count(): Promise<number>;
  waitFor(opts?: { state?: 'attached' | 'detached' | 'visible' | 'hidden'; timeout?: number }): Promise<void>;
  click(): Promise<void>;
  hover(): Promise<void>;
  fill(value: string, opts?: { timeout?: number }): Promise<void>;
  press(key: string, opts?: { timeout?: number }): Promise<void>;
  scrollIntoViewIfNeeded(): Promise<void>;
  getAttribute(name: string): Promise<string | null>;
  innerText(): Promise<string>;
  boundingBox(): Promise<BoundingBox | null>;
  /** Runs `fn` in the page on every matched element. `fn` is serialized: it must not call helpers of this file. */
  evaluateAll<R>(fn: (elements: unknown[]) => R): Promise<R>;
}

export interface FrameLocator {
  frameLocator(selector: string): FrameLocator;
  locator(selector: string, opts?: LocatorOptions): Locator;
  last(): FrameLocator;
}

export interface Page {
  setDefaultTimeout(ms: number): void;
  goto(url: string): Promise<unknown>;
  locator(selector: string, opts?: LocatorOptions): Locator;
  frameLocator(selector: string): FrameLocator;
  getByRole(role: string, opts?: { name?: string | RegExp }): Locator;
  waitForTimeout(ms: number): Promise<void>;
  screenshot(opts: { path: string }): Promise<unknown>;
  keyboard: { press(key: string): Promise<void> };
  mouse: {
    move(x: number, y: number, opts?: { steps?: number }): Promise<void>;
    down(): Promise<void>;
    up(): Promise<void>;
    wheel(dx: number, dy: number): Promise<void>;
  };
}

export interface BrowserContext {
  pages(): Page[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export interface PlaywrightApi {
  chromium: {
    launchPersistentContext(userDataDir: string, opts: {
      executablePath: string;
      headless: boolean;
      viewport: { width: number; height: number };
      env: Record<string, string | undefined>;
      args: string[];
    }): Promise<BrowserContext>;
  };
}
