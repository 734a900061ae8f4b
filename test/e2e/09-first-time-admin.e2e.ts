/**
 * Journey 9: what a first-time admin trips over (issue 12), seen in the workbench.
 * - The demo seed's FIVETRAN_USER (the seed's own manual-disconnect example; Fivetran needs no
 *   service principal) shows in the tree, with Inspect / Disconnect / Delete Service Principal but no
 *   Rotate Credential or Connect; the delete modal's default (Enter) button keeps it, the modal says
 *   Fivetran will be not connected (no check-mark talk), and it is gone from the emulator. (Find
 *   Orphans and the notification are shown by the host suite, commands.suite.ts.)
 * - The connect form at 1400×900: nothing red before any input, badges in plain words, a proposed
 *   warehouse name for dbt Cloud, the Connect button on screen; at a narrow panel too.
 * - A connect that fails at a step (an injected 500 on token creation) shows the step's label once
 *   and why it failed.
 */
import * as assert from 'node:assert/strict';
import type { FrameLocator, Page } from 'playwright-core';
import { waitUntil } from '../fixtures/wait';
import { spNamed } from '../fixtures/principals';
import { defineJourney } from './journey';
import { answerDialog, commandWithPick, contextMenuTitles, contextMenu, elementShot, freshView, palette, parkMouse, revealPartner, snap, webviewFor, fillReadChoices } from './support';

/** The Connect button is inside the visible part of the webview (the sticky footer). */
async function connectOnScreen(form: FrameLocator): Promise<boolean> {
  return form.locator('[data-testid="connect"]').evaluate((b) => {
    const r = b.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0;
  });
}

/** Texts of the form's error elements that show something. */
async function redTexts(form: FrameLocator): Promise<string[]> {
  const texts = await form.locator('.error-text').allInnerTexts();
  return texts.map((x) => x.trim()).filter(Boolean);
}

async function noHorizontalScroll(form: FrameLocator): Promise<boolean> {
  return form.locator('body').evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1);
}

async function setWidth(page: Page, width: number): Promise<void> {
  await page.setViewportSize({ width, height: 900 });
  await page.waitForTimeout(400);
}

export default defineJourney({
  name: 'first-time admin: FIVETRAN_USER is visible and deletable; the connect form reads right at 1400×900 and narrow',
  reuseWorkbench: true,
  timeoutMs: 240_000,
  async run({ page, step, services, log }) {
    await setWidth(page, 1400);
    await freshView(page, services);
    const emu = services.emulator;

    // ---- the sign-in methods (the walkthrough's first image)
    await palette(page, 'Partner Connect: Add Workspace…');
    const methods = page.locator('.quick-input-widget');
    await methods.locator('.monaco-list-row', { hasText: 'Databricks CLI' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await parkMouse(page);
    await elementShot(methods, 'walkthrough-add-workspace');
    await page.keyboard.press('Escape');

    // ---- FIVETRAN_USER, made outside the extension although Fivetran needs no principal
    const made = spNamed(emu.state, 'FIVETRAN_USER');
    assert.ok(made, 'the demo seed has a FIVETRAN_USER');
    // Fivetran is the first partner: start from the top of the tree (Home key, no hover tooltip in the way)
    await page.locator('.part.sidebar .pane-body .monaco-list').first().focus();
    await page.keyboard.press('Home');
    const row = await revealPartner(page, 'Fivetran', { state: 'connected outside' });
    const label = (await row.getAttribute('aria-label')) ?? '';
    assert.match(label, /FIVETRAN_USER \(not required by this partner\)/, label);
    await snap(page, step, 'tree-fivetran');
    const titles = await contextMenuTitles(page, row);
    for (const t of ['Inspect…', 'Disconnect…', 'Delete Service Principal…']) assert.ok(titles.includes(t), `${t} in ${titles.join(', ')}`);
    for (const t of ['Rotate Credential…', 'Connect…']) assert.ok(!titles.includes(t), `no ${t} (${titles.join(', ')})`);

    await contextMenu(page, await revealPartner(page, 'Fivetran'), 'Delete Service Principal…');
    const box = page.locator('.monaco-dialog-box');
    await box.waitFor({ state: 'visible', timeout: 20_000 });
    await snap(page, step, 'delete-fivetran-user');
    assert.equal((await box.locator('.monaco-button:focus').innerText()).trim(), 'Keep Service Principal', 'Enter keeps it');
    const text = await answerDialog(page, 'Delete Service Principal');
    assert.match(text, /FIVETRAN_USER/);
    assert.match(text, /There is no connection record for Fivetran here and Fivetran does not need a service principal: afterwards it shows as not connected/, text);
    assert.doesNotMatch(text, /check mark/i, text);
    await waitUntil(() => !emu.state.servicePrincipals.has(made.id), 'FIVETRAN_USER to be deleted', 30_000);
    await revealPartner(page, 'Fivetran', { state: 'not connected' });
    await snap(page, step, 'tree-fivetran-after');

    // ---- the connect form at 1400×900
    await commandWithPick(page, 'Partner Connect: Connect…', /connect a partner/i, 'dbt Cloud');
    const form = await webviewFor(page, /dbt Cloud/);
    await form.locator('#title').waitFor({ state: 'visible', timeout: 30_000 });
    await form.locator('[data-testid="plan"] li').first().waitFor({ state: 'visible', timeout: 30_000 });
    await page.waitForTimeout(800);
    assert.deepEqual(await redTexts(form), [], 'nothing is red before any input');
    assert.equal((await form.locator('[data-testid="badge-access"]').innerText()).trim(), 'writes to a catalog');
    assert.doesNotMatch(await form.locator('[data-testid="partner-summary"]').innerText(), /profile|Hevo|Rudderstack|Snowplow/);
    assert.equal(await form.locator('[data-testid="warehouse-name"]').inputValue(), 'DBT_CLOUD_ENDPOINT', 'a name is proposed for a new warehouse');
    assert.equal(await connectOnScreen(form), true, 'the Connect button is visible at 1400×900');
    await snap(page, step, 'form-1400');
    await form.locator('[data-testid="connect-hint"]').innerText().then((h) => log(`hint: ${h || '(none)'}`));

    // narrow panel: the same form in a 760 px wide window
    await setWidth(page, 760);
    log(`narrow hint: ${(await form.locator('[data-testid="connect-hint"]').innerText()) || '(none)'}`);
    assert.equal(await connectOnScreen(form), true, 'the Connect button is visible at a narrow width');
    assert.equal(await noHorizontalScroll(form), true, 'no horizontal scrolling in a narrow panel');
    await snap(page, step, 'form-narrow');
    await setWidth(page, 1400);
    await palette(page, 'View: Close All Editors');

    // ---- a failed step says why, once
    emu.faults.add({ method: 'POST', path: '/api/2.0/token-management/on-behalf-of/tokens', status: 500 });
    try {
      await commandWithPick(page, 'Partner Connect: Connect…', /connect a partner/i, 'Hex');
      const hex = await webviewFor(page, /Hex/);
      await hex.locator('#title').waitFor({ state: 'visible', timeout: 30_000 });
      const connect = await fillReadChoices(hex);
      await connect.click();
      await hex.locator('[data-testid="result-error"]').waitFor({ state: 'visible', timeout: 60_000 });
      const failed = await hex.locator('[data-status="failed"]').first().evaluate((li) => ({
        label: Array.from(li.childNodes as unknown as ArrayLike<ChildNode>).filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent ?? '').join('').trim(),
        detail: (li.querySelector('.muted')?.textContent ?? '').replace(/^\s*—\s*/, ''),
      }));
      log(`failed step: ${failed.label} — ${failed.detail}`);
      assert.match(failed.label, /personal access token/i, 'the step that failed');
      assert.ok(failed.detail.length > 0, 'the failed step says why');
      assert.ok(!failed.detail.includes(failed.label), `the label is not repeated: ${failed.label} — ${failed.detail}`);
      assert.match(failed.detail, /HTTP 500/, failed.detail);
      // what the rollback removed, as an admin names it (no "uc-grant", "token-permission")
      const removed = (await hex.locator('[data-status="rolled-back"]').allInnerTexts()).map((x) => x.trim());
      assert.ok(removed.some((x) => /Service principal HEX_USER/.test(x)), removed.join(' | '));
      assert.ok(removed.some((x) => /Grant: USE CATALOG on the catalog analytics/.test(x)), removed.join(' | '));
      for (const x of removed) assert.doesNotMatch(x, /\b(uc-grant|token-permission|warehouse-permission|service-principal)\b/, x);
      assert.doesNotMatch(await hex.locator('[data-testid="result-error"]').innerText(), /"create-credential"/);
      await snap(page, step, 'failed-step');
      await elementShot(page.locator('.part.editor'), 'walkthrough-connect-failed');
      assert.equal(spNamed(emu.state, 'HEX_USER'), undefined, 'rolled back');
    } finally {
      emu.faults.clear();
      await palette(page, 'View: Close All Editors');
    }
  },
});
