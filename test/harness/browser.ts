/**
 * Playwright (playwright-core, Debian's chromium; never `playwright install`) helpers for driving the
 * code-server workbench.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type BrowserContext, type FrameLocator, type Locator, type Page } from 'playwright-core';
import { resultsDir } from './paths';
import { ensureTooling } from './tooling';

export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** console lines of the page, in order */
  consoleLines: string[];
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** forwards each console line as it arrives */
  onConsole?: (line: string) => void;
  viewport?: { width: number; height: number };
  executablePath?: string;
}

// Profiles of sessions not closed by their caller are removed when this process exits.
const liveProfiles = new Set<string>();
let profileHook = false;
function trackProfile(dir: string): void {
  liveProfiles.add(dir);
  if (profileHook) return;
  profileHook = true;
  process.on('exit', () => {
    for (const d of liveProfiles) fs.rmSync(d, { recursive: true, force: true });
  });
}

/** A persistent context with a fresh user-data dir (removed on close, or at exit). */
export async function launchBrowser(opts: LaunchOptions = {}): Promise<BrowserSession> {
  const executablePath = opts.executablePath ?? (fs.existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : ensureTooling().chromium);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-chromium-'));
  trackProfile(profile);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: [...CHROMIUM_ARGS],
    viewport: opts.viewport ?? { width: 1400, height: 900 },
  });
  let page: Page;
  try {
    page = context.pages()[0] ?? (await context.newPage());
  } catch (e) {
    await context.close().catch(() => undefined);
    throw e;
  }
  const consoleLines: string[] = [];
  page.on('console', (msg) => {
    const line = msg.text();
    consoleLines.push(line);
    opts.onConsole?.(line);
  });
  page.on('pageerror', (err) => {
    const line = `[pageerror] ${err.message}`;
    consoleLines.push(line);
    opts.onConsole?.(line);
  });
  return {
    context,
    page,
    consoleLines,
    close: async () => {
      await context.close().catch(() => undefined);
      fs.rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
      liveProfiles.delete(profile);
    },
  };
}

/** The launcher form of Browser for callers who need several contexts. */
export async function launchPlainBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: [...CHROMIUM_ARGS] });
}

/** Opens the workbench URL and waits until the workbench and the activity bar are rendered. */
export async function openWorkbench(page: Page, url: string, timeoutMs = 90_000): Promise<void> {
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
  await waitForWorkbench(page, timeoutMs);
}

export async function waitForWorkbench(page: Page, timeoutMs = 90_000): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: timeoutMs });
  await page.locator('.part.activitybar, .part.sidebar').first().waitFor({ state: 'visible', timeout: timeoutMs });
}

/** Waits until the status bar no longer shows "Activating Extensions..." (best effort, bounded). */
export async function waitForExtensionsActivated(page: Page, timeoutMs = 30_000): Promise<void> {
  await page
    .locator('.part.statusbar', { hasText: /Activating Extensions/i })
    .waitFor({ state: 'detached', timeout: timeoutMs })
    .catch(() => undefined);
}

/**
 * Runs a command from the palette: F1, type the title, pick the matching entry.
 * `title` is what the palette shows, e.g. "Partner Connect: Refresh".
 * Retries until `timeoutMs` while the command is not listed yet (extensions still starting).
 */
export async function runCommand(page: Page, title: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input.input');
  const row = widget.locator('.monaco-list-row', { hasText: title }).first();
  // The palette lists the commands known when it opens: right after start-up an extension's commands
  // may not be there yet, so close it and try again until the deadline.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: Math.max(1000, deadline - Date.now()) });
    await input.fill(`>${title}`);
    const found = await row
      .waitFor({ state: 'visible', timeout: Math.min(3000, Math.max(500, deadline - Date.now())) })
      .then(() => true)
      .catch(() => false);
    if (found) {
      await input.press('Enter');
      await widget.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
      return;
    }
    await page.keyboard.press('Escape');
    if (Date.now() >= deadline) throw new Error(`command "${title}" not found in the command palette (${attempt} attempts)`);
    await page.waitForTimeout(500);
  }
}

/** The quick input (quick pick / input box) widget. */
export function quickInput(page: Page): Locator {
  return page.locator('.quick-input-widget');
}

export const CONTAINER_TITLE = 'Partner Connect';
/** The view's name: the same as its container's, so that VS Code shows one title, not "Partner Connect: Partners" cut at the default side-bar width. */
export const VIEW_NAME = 'Partner Connect';

/** Opens the Partner Connect view through its focus command and returns the view's pane body. */
export async function openPartnerConnectView(page: Page, timeoutMs = 20_000): Promise<Locator> {
  await runCommand(page, `${CONTAINER_TITLE}: Focus on ${VIEW_NAME} View`, timeoutMs);
  const pane = partnerConnectPane(page);
  await pane.waitFor({ state: 'visible', timeout: timeoutMs });
  return pane;
}

/** The sidebar holding the Partner Connect container. */
export function partnerConnectSidebar(page: Page): Locator {
  return page.locator('.part.sidebar', { has: page.locator(`.composite.title h2`, { hasText: new RegExp(CONTAINER_TITLE, 'i') }) });
}

/** The Partners pane body (tree). */
export function partnerConnectPane(page: Page): Locator {
  return page.locator('.part.sidebar .pane-body').first();
}

/** Tree rows of the Partners view. */
export function treeRows(page: Page): Locator {
  // not the sticky-scroll copies of ancestor rows: a click there reveals the row instead of running its command
  return page.locator('.part.sidebar .pane-body .monaco-list-row:not(.monaco-tree-sticky-row)');
}

/** The activity-bar entry of the Partner Connect container. */
export function activityBarItem(page: Page): Locator {
  return page.locator(`.part.activitybar .action-item a[aria-label^="${CONTAINER_TITLE}"]`);
}

/**
 * The content frame of the visible webview (webviews are two nested iframes: `iframe.webview` holding
 * `#active-frame`; hidden editors keep theirs, hence `:visible`). With several visible, pass `nth`.
 */
export function webviewFrame(page: Page, nth = 0): FrameLocator {
  return page.locator('iframe.webview:visible').nth(nth).contentFrame().frameLocator('#active-frame');
}

/** Screenshot to test-results/screenshots/<journey>-<step>.png; returns the path. */
export async function screenshot(page: Page, journey: string, step: string): Promise<string> {
  const safe = (s: string): string => s.replace(/[^A-Za-z0-9._-]+/g, '-');
  const file = path.join(resultsDir('screenshots'), `${safe(journey)}-${safe(step)}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Notifications toasts currently shown (text). */
export async function notificationTexts(page: Page): Promise<string[]> {
  return page.locator('.notifications-toasts .notification-toast .notification-list-item-message').allInnerTexts();
}
