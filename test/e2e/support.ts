/**
 * Shared steps of the journeys 02–07: finding partner rows in the (virtualised) Partners tree,
 * context menus, modal dialogs, quick picks, the connect / inspect webviews, and reading the
 * emulator's and the partner simulator's recorded state.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { openPartnerConnectView } from '../harness/browser';
import { grantsOf, tokenAclLevel } from '../fixtures/principals';
import { filesUnder } from '../fixtures/files';
import { RECORD_FOLDER, STARTER_WAREHOUSE } from '../fixtures/seed';
import { waitUntil } from '../fixtures/wait';
import { resultsDir } from '../harness/paths';
import type { Services } from '../harness/services';
import type { EmulatorState, SpRec, TokenRec } from '../emulator/state';

// ------------------------------------------------------------------ tree

/** The Partners tree rows whose accessible label starts with `label,` (partner rows: "Name, state, description"). */
export function partnerRow(page: Page, label: string): Locator {
  return page.locator(`.part.sidebar .pane-body .monaco-list-row[aria-label^="${label},"]`);
}

/**
 * Opens the Partners view and scrolls the (virtualised) tree until the partner's row is rendered.
 * `state` (e.g. "not connected", "check mark only") waits for that state in the row's label.
 */
export async function revealPartner(page: Page, label: string, opts: { state?: string; timeoutMs?: number } = {}): Promise<Locator> {
  const timeoutMs = opts.timeoutMs ?? 45_000;
  const deadline = Date.now() + timeoutMs;
  const title = page.locator('.part.sidebar .composite.title', { hasText: /partner connect/i });
  if (!(await title.isVisible())) await openPartnerConnectView(page);
  const list = page.locator('.part.sidebar .pane-body .monaco-list').first();
  await list.waitFor({ state: 'visible', timeout: timeoutMs });
  const wanted = opts.state ? page.locator(`.part.sidebar .pane-body .monaco-list-row[aria-label^="${label}, ${opts.state}"]`) : partnerRow(page, label);
  let downs = 0;
  for (;;) {
    if ((await wanted.count()) > 0 && (await wanted.first().isVisible())) {
      await wanted.first().scrollIntoViewIfNeeded();
      return wanted.first();
    }
    if (Date.now() > deadline) {
      const seen = await page.locator('.part.sidebar .pane-body .monaco-list-row').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
      throw new Error(`timed out after ${timeoutMs} ms looking for the tree row "${label}${opts.state ? `, ${opts.state}` : ''}"; rendered rows: ${seen.join(' | ')}`);
    }
    await list.hover();
    if (downs < 12) {
      await page.mouse.wheel(0, 300);
      downs++;
    } else {
      await page.mouse.wheel(0, -20_000);
      downs = 0;
    }
    await page.waitForTimeout(150);
  }
}

/** Right-clicks a tree row and chooses a context-menu entry by its title (e.g. "Disconnect…"). */
export async function contextMenu(page: Page, row: Locator, title: string): Promise<void> {
  await row.click({ button: 'right' });
  const item = page.locator('.monaco-menu .action-item:not(.disabled) .action-label', { hasText: title }).first();
  await item.waitFor({ state: 'visible', timeout: 10_000 });
  await item.click();
  // A click that lands while the menu is still opening can be dropped by the workbench (seen in CI: the
  // item highlighted, the menu still open, nothing run). The menu closes once an item runs: if it is
  // still open after a moment, the click was not taken, so click the item again.
  if (!(await item.waitFor({ state: 'hidden', timeout: 3_000 }).then(() => true, () => false))) await item.click();
}

/** Titles of the context-menu entries of a tree row (the menu is closed again with Escape). */
export async function contextMenuTitles(page: Page, row: Locator): Promise<string[]> {
  await row.click({ button: 'right' });
  const items = page.locator('.monaco-menu .action-item .action-label');
  await items.first().waitFor({ state: 'visible', timeout: 10_000 });
  const titles = (await items.allInnerTexts()).map((x) => x.trim()).filter(Boolean);
  await page.keyboard.press('Escape');
  return titles;
}

/** The workbench's modal dialog (a DOM dialog in the web workbench). */
export function dialog(page: Page): Locator {
  return page.locator('.monaco-dialog-box');
}

/** Waits for the modal dialog and clicks the button with exactly this label. Returns the dialog's text. */
export async function answerDialog(page: Page, button: string): Promise<string> {
  const box = dialog(page);
  await box.waitFor({ state: 'visible', timeout: 20_000 });
  const text = await box.innerText();
  await box.locator('.monaco-button', { hasText: new RegExp(`^${button.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }).first().click();
  await box.waitFor({ state: 'hidden', timeout: 10_000 });
  return text;
}

// ------------------------------------------------------------------ palette + quick picks

/**
 * Runs a command from the palette by its title. Right after the workbench loads, the extension's
 * commands may not be in the palette yet ("No matching commands"): the title is typed again until
 * its entry shows.
 */
export async function palette(page: Page, command: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  const entry = page.locator('.quick-input-widget .monaco-list-row', { hasText: command }).first();
  await waitUntil(
    async () => {
      await input.fill(`>${command}`);
      return entry.waitFor({ state: 'visible', timeout: 2_000 }).then(
        () => true,
        async () => {
          await input.fill('>');
          return false;
        },
      );
    },
    `the palette entry "${command}"`,
    60_000,
  );
  await input.press('Enter');
}

/**
 * Runs a palette command that asks for a partner with a quick pick, and picks `pick`.
 * (The palette and the pick share the quick-input widget: wait for the pick's own title.)
 */
export async function commandWithPick(page: Page, command: string, pickTitle: RegExp, pick: string): Promise<void> {
  await palette(page, command);
  const input = page.locator('.quick-input-widget input.input');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: pickTitle }).waitFor({ state: 'visible', timeout: 30_000 });
  await input.fill(pick);
  const row = page.locator('.quick-input-widget .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${pick}$`) }) }).first();
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  await row.click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
}

/**
 * The start of a journey that may run in the previous journey's page (`reuseWorkbench`): closes the
 * editors, opens the Partners view and refreshes it, then waits until the extension has read the
 * (freshly reset) emulator again and the tree shows partners.
 */
export async function freshView(page: Page, services: Services): Promise<void> {
  await page.keyboard.press('Escape');
  await palette(page, 'View: Close All Editors');
  await palette(page, 'Notifications: Clear All Notifications');
  const title = page.locator('.part.sidebar .composite.title', { hasText: /partner connect/i });
  if (!(await title.isVisible())) await openPartnerConnectView(page);
  const since = services.emulator.requests.length;
  await palette(page, 'Partner Connect: Refresh');
  await waitUntil(() => services.emulator.requests.slice(since).some((r) => r.path.endsWith('/scim/v2/Me')), 'the extension to read the emulator again', 30_000);
  const rows = page.locator('.part.sidebar .pane-body .monaco-list-row');
  await waitUntil(
    async () => {
      const labels = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
      return labels.length > 1 && !labels.some((l) => /loading/i.test(l));
    },
    'the Partners tree to show the partners',
    30_000,
  );
  await widenSidebar(page);
  await scrollTreeToTop(page);
}

/**
 * Scrolls the Partners tree back to its first row. The tree keeps the scroll position of an earlier
 * journey, and the list renders only the rows on screen: a row above the fold is not in the page at all.
 */
export async function scrollTreeToTop(page: Page): Promise<void> {
  const body = page.locator('.part.sidebar .pane-body').first();
  const box = await body.boundingBox();
  if (!box) return;
  await page.mouse.move(box.x + box.width / 2, box.y + Math.min(box.height / 2, 200));
  await page.mouse.wheel(0, -1_000_000);
  await body.locator('.monaco-list-row[data-index="0"]:not(.monaco-tree-sticky-row)').first().waitFor({ state: 'visible', timeout: 5_000 });
}

/** Makes the side bar wide enough for the partners' descriptions (once; the width stays with the page). */
export async function widenSidebar(page: Page, width = 470): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box || box.width >= width - 5) return;
  const sash = page.locator('.monaco-sash.vertical').filter({ visible: true });
  const n = await sash.count();
  for (let i = 0; i < n; i++) {
    const b = await sash.nth(i).boundingBox();
    if (!b || Math.abs(b.x + b.width / 2 - (box.x + box.width)) > 6) continue;
    const y = b.y + b.height / 2;
    await page.mouse.move(b.x + b.width / 2, y);
    await page.mouse.down();
    await page.mouse.move(box.x + width, y, { steps: 5 });
    await page.mouse.up();
    return;
  }
}

/** Moves the mouse off the tree and buttons so that no hover or tooltip shows in a screenshot. */
export async function parkMouse(page: Page): Promise<void> {
  const vp = page.viewportSize();
  await page.mouse.move((vp?.width ?? 1400) / 2, 12);
}

/** A journey step's screenshot, taken with the mouse parked out of the way. */
export async function snap(page: Page, step: (name: string) => Promise<string>, name: string): Promise<string> {
  await parkMouse(page);
  return step(name);
}

/** A screenshot of one element to test-results/screenshots/<name>.png (README images). */
export async function elementShot(locator: Locator, name: string): Promise<string> {
  const file = path.join(resultsDir('screenshots'), `${name}.png`);
  await locator.screenshot({ path: file });
  return file;
}

// ------------------------------------------------------------------ webviews

/** The content frame of the webview whose tab title contains `title` (it is the active editor). */
export async function webviewFor(page: Page, title: string | RegExp): Promise<FrameLocator> {
  const tab = page.locator('.tabs-container .tab', { hasText: title }).first();
  await tab.waitFor({ state: 'visible', timeout: 30_000 });
  // Only the active editor's webview is visible; pick the visible webview iframe.
  const frames = page.locator('iframe.webview');
  await waitUntil(async () => {
    const n = await frames.count();
    for (let i = 0; i < n; i++) if (await frames.nth(i).isVisible()) return true;
    return false;
  }, `a visible webview for "${String(title)}"`, 30_000);
  return page.frameLocator('iframe.webview:visible').frameLocator('#active-frame');
}

/** Selects an option of a <select> in a webview by value and waits until the form has taken it. */
export async function selectIn(frame: FrameLocator, testid: string, value: string | string[]): Promise<void> {
  const sel = frame.locator(`[data-testid="${testid}"]`);
  await sel.waitFor({ state: 'visible', timeout: 20_000 });
  await waitUntil(async () => (await sel.locator('option').count()) > 0 && !(await sel.isDisabled()), `options in ${testid}`, 20_000);
  await sel.selectOption(value);
}

/**
 * Fills the connect form with the usual read choices - the catalog analytics, its schema marketing and
 * the seed's existing Starter Warehouse - and waits until validation enables Connect, which it returns.
 */
export async function fillReadChoices(form: FrameLocator): Promise<Locator> {
  await selectIn(form, 'catalog', 'analytics');
  await form.locator('[data-testid="schema-option-marketing"]').waitFor({ state: 'attached', timeout: 20_000 });
  await selectIn(form, 'schemas', 'marketing');
  await form.locator('[data-testid="warehouse-mode-existing"]').check();
  await selectIn(form, 'warehouse', STARTER_WAREHOUSE);
  const connect = form.locator('[data-testid="connect"]');
  await waitUntil(async () => !(await connect.isDisabled()), 'the Connect button to be enabled after validation', 30_000);
  return connect;
}

// ------------------------------------------------------------------ emulator state

/**
 * A token created by a connect has an explicit lifetime: the workspace cap (730 days when the
 * workspace sets none), never "no expiry" (real-platform facts: new tokens are capped).
 */
export function assertCappedLifetime(token: TokenRec, maxDays = 730): void {
  const days = (token.expiry_time - token.creation_time) / 86_400_000;
  assert.ok(token.expiry_time > 0, `the token has an expiry (got ${token.expiry_time})`);
  assert.ok(Math.abs(days - maxDays) < 1, `the token lives the workspace cap of ${maxDays} days (got ${days.toFixed(2)})`);
}

/**
 * Everything a connect or disconnect could change, in a comparable form: principals, tokens, the
 * token ACL, warehouses and their ACLs, UC and Hive grants, workspace files.
 */
export function stateDigest(state: EmulatorState): Record<string, unknown> {
  const grants = (m: Map<string, Map<string, Set<string>>>): Record<string, Record<string, string[]>> =>
    Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)).map(([k, g]) => [k, Object.fromEntries([...g].filter(([, p]) => p.size > 0).sort(([a], [b]) => a.localeCompare(b)).map(([p, s]) => [p, [...s].sort()]))]));
  return {
    servicePrincipals: [...state.servicePrincipals.values()].map((p) => `${p.displayName} ${p.applicationId} ${[...p.entitlements].sort().join(',')}`).sort(),
    tokens: [...state.tokens.values()].map((t) => `${t.token_id} ${t.ownerKind}:${t.ownerId}`).sort(),
    tokenAcl: state.tokenAcl.map((e) => `${e.kind}:${e.name}=${e.level}`).sort(),
    warehouses: [...state.warehouses.values()].map((w) => `${w.id} ${w.name} ${w.acl.map((e) => `${e.kind}:${e.name}=${e.level}`).sort().join(',')}`).sort(),
    ucGrants: grants(state.ucGrants),
    hiveGrants: grants(state.hiveGrants),
    files: [...state.files.values()].map((f) => `${f.type} ${f.path} ${f.content.length}`).sort(),
  };
}

/** Requests the extension made to the emulator that changed something (anything but GET / HEAD, and SQL statements). */
export function mutatingRequests(services: Services): string[] {
  return services.emulator.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD').map((r) => `${r.method} ${r.path} → ${r.status}`);
}

/** A record file in the emulator's workspace files, parsed; undefined when absent. */
export function recordIn(state: EmulatorState, partnerId: string): Record<string, unknown> | undefined {
  const f = state.files.get(`${RECORD_FOLDER}/${partnerId}.json`);
  return f ? (JSON.parse(f.content.toString('utf8')) as Record<string, unknown>) : undefined;
}

export function assertGone(state: EmulatorState, what: { sp?: SpRec; tokenIds?: string[]; warehouseId?: string }): void {
  if (what.sp) {
    assert.equal(state.servicePrincipals.get(what.sp.id), undefined, `${what.sp.displayName} is deleted`);
    assert.deepEqual(grantsOf(state, what.sp.applicationId).uc, {}, `${what.sp.displayName} holds no Unity Catalog grant`);
    assert.equal(tokenAclLevel(state, what.sp.applicationId), undefined, `${what.sp.displayName} is off the token ACL`);
  }
  for (const id of what.tokenIds ?? []) assert.equal(state.tokens.get(id), undefined, `token ${id} is deleted`);
  if (what.warehouseId) assert.equal(state.warehouses.get(what.warehouseId), undefined, `warehouse ${what.warehouseId} is deleted`);
}

// ------------------------------------------------------------------ diagnostics

/** The tail of the extension's "Partner Connect" log in code-server's user-data dir (for failure notes). */
export function extensionLogTail(userDataDir: string, lines = 40): string {
  const found = filesUnder(path.join(userDataDir, 'logs')).filter((p) => /Partner Connect\.log$/.test(path.basename(p)));
  if (found.length === 0) return '(no Partner Connect log found)';
  const newest = found.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
  return fs.readFileSync(newest, 'utf8').split('\n').slice(-lines).join('\n');
}
