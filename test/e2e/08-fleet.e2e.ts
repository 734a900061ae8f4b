/**
 * Journey 8: the fleet. Add a Databricks account (the account emulator, started here: 13 workspaces)
 * from the palette as an admin would — account service principal, accounts host, account id, client
 * id and secret, all workspaces —; the account node appears over its workspaces; open the Partner ×
 * workspace matrix (failed workspaces say why in their column); from the matrix connect Hex to three
 * workspaces in one form (defaults per workspace), preview, run; HEX_USER exists in exactly those
 * three, the partner simulator received three valid ConnectRequests, and the matrix cells change.
 */
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { waitUntil } from '../fixtures/wait';
import { quickInput, treeRows } from '../harness/browser';
import { startFleetServices } from '../account-emulator/services';
import { defineJourney } from './journey';
import { answerDialog, freshView, palette, scrollTreeToTop, snap, webviewFor, widenSidebar } from './support';

const ACCOUNT = 'Acme account';
const CHOSEN = ['acme-prod', 'acme-dev', 'legacy-reporting'];

/** Waits for the quick input titled `title`, then types `text` (an input) and presses Enter. */
async function answerInput(page: Page, title: RegExp, text: string): Promise<void> {
  const w = quickInput(page);
  await w.locator('.quick-input-title', { hasText: title }).waitFor({ state: 'visible', timeout: 30_000 });
  await w.locator('input.input').fill(text);
  await w.locator('input.input').press('Enter');
}

/** Waits for the quick pick titled `title` and picks the row whose label is `label`. */
async function answerPick(page: Page, title: RegExp, label: string): Promise<void> {
  const w = quickInput(page);
  await w.locator('.quick-input-title', { hasText: title }).waitFor({ state: 'visible', timeout: 30_000 });
  const row = w.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: label }) }).first();
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  await row.click();
}

export default defineJourney({
  name: 'fleet: add an account, open the matrix, connect Hex to three workspaces, see the cells change',
  reuseWorkbench: true,
  timeoutMs: 300_000,
  async run({ page, step, services, log, credentials }) {
    const fleet = await startFleetServices({ partnerSim: services.partnerSim, domain: 'e2e' });
    try {
      await freshView(page, services);
      services.partnerSim.clearRequests();
      const hexBefore = fleet.acct.workspaces.filter((w) => [...w.core.state.servicePrincipals.values()].some((sp) => sp.displayName === 'HEX_USER')).map((w) => w.spec.workspaceName);

      // ---------------------------------------------------------------- Add Databricks Account…
      await palette(page, 'Partner Connect: Add Databricks Account');
      await answerPick(page, /Add Databricks Account/, 'Account service principal');
      await answerPick(page, /Accounts host/, 'Other accounts host…');
      await answerInput(page, /Accounts host URL/, fleet.acct.url);
      await answerInput(page, /Account id/, fleet.acct.accountId);
      await answerInput(page, /Client id of the account service principal/, fleet.acct.admin.applicationId);
      await answerInput(page, /OAuth secret/, fleet.acct.admin.secret);
      const pick = quickInput(page);
      await pick.locator('.quick-input-title', { hasText: /Choose the workspaces to show \(13 in the account\)/ }).waitFor({ state: 'visible', timeout: 60_000 });
      await snap(page, step, 'choose-workspaces');
      await pick.locator('input.input').press('Enter'); // all of them (picked by default)
      await answerInput(page, /Name of the account/, ACCOUNT);
      await scrollTreeToTop(page);
      await treeRows(page).filter({ hasText: ACCOUNT }).first().waitFor({ state: 'visible', timeout: 60_000 });
      assert.ok(fleet.acct.requests.some((r) => r.path === `/api/2.0/accounts/${fleet.acct.accountId}/workspaces` && r.status === 200), 'the workspaces were listed');
      await waitUntil(() => fleet.acct.workspace('acme-prod').core.requests.some((r) => r.path === '/oidc/v1/token' && r.status === 200), 'acme-prod to mint its own token', 60_000);
      await widenSidebar(page);
      await treeRows(page).filter({ hasText: 'acme-prod' }).first().waitFor({ state: 'visible', timeout: 60_000 });
      await snap(page, step, 'tree-account');

      // ---------------------------------------------------------------- the matrix
      // The account row is re-rendered while its workspaces load (its description counts them); a click
      // on a row being replaced selects it without running its command, so click once the counts settle.
      await treeRows(page).filter({ hasText: ACCOUNT }).filter({ hasText: /10 loaded · 3 not loaded/ }).first().waitFor({ state: 'visible', timeout: 120_000 });
      await treeRows(page).filter({ hasText: ACCOUNT }).first().click();
      const matrix = await webviewFor(page, /Fleet: Acme account/);
      await matrix.locator('[data-testid="matrix"]').waitFor({ state: 'visible', timeout: 60_000 });
      await waitUntil(async () => /13 of 13/.test((await matrix.locator('[data-testid="progress"]').innerText().catch(() => '')) ?? ''), 'every workspace column to settle', 120_000);
      const headers = await matrix.locator('thead th.col').evaluateAll((els) => els.map((e) => ({ ws: e.getAttribute('data-ws') ?? '', status: e.getAttribute('data-status') ?? '', text: (e as HTMLElement).innerText })));
      assert.equal(headers.length, 13);
      const lab = headers.find((h) => h.ws.endsWith('/ partner-lab'));
      assert.equal(lab?.status, 'failed');
      assert.match(lab?.text ?? '', /not assigned/);
      const hexConnected = async (): Promise<string[]> =>
        matrix.locator('tr[data-partner="hex"] td.cell').evaluateAll((els, hs) => els.map((e, i) => (e.getAttribute('data-state') === 'connected' ? (hs as Array<{ ws: string }>)[i].ws : '')).filter(Boolean), headers);
      const before = await hexConnected();
      log(`Hex connected before: ${before.map((w) => w.split(' / ')[1]).join(', ')}`);
      for (const n of CHOSEN) assert.ok(!before.includes(`${ACCOUNT} / ${n}`));
      await snap(page, step, 'matrix');

      // ---------------------------------------------------------------- connect Hex to three workspaces
      await matrix.locator('[data-testid="action-connect"]').click();
      await answerPick(page, /connect a partner to workspaces of Acme account/, 'Hex');
      const bulk = await webviewFor(page, /Connect Hex to workspaces/);
      await bulk.locator('[data-testid="form-table"]').waitFor({ state: 'visible', timeout: 60_000 });
      for (const n of CHOSEN) await bulk.locator(`[data-testid="use-${ACCOUNT} / ${n}"]`).check();
      assert.equal(await bulk.locator(`[data-testid="use-${ACCOUNT} / acme-staging"]`).isDisabled(), true, 'already connected there');
      await snap(page, step, 'bulk-form');
      await bulk.locator('[data-testid="preview"]').click();
      await bulk.locator('[data-testid="preview-table"]').waitFor({ state: 'visible', timeout: 60_000 });
      const statuses = await bulk.locator('[data-testid="preview-table"] tbody tr').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
      assert.deepEqual(statuses, ['ready', 'ready', 'ready']);
      assert.match(await bulk.locator('[data-testid="preview-table"]').innerText(), /HEX_USER/);
      await snap(page, step, 'bulk-preview');
      await bulk.locator('[data-testid="run"]').click();
      await bulk.locator('[data-testid="result-table"]').waitFor({ state: 'visible', timeout: 120_000 });
      const results = await bulk.locator('[data-testid="result-table"] tbody tr').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-ws') ?? ''}:${e.getAttribute('data-status') ?? ''}`));
      await snap(page, step, 'bulk-result');
      assert.deepEqual(results.sort(), CHOSEN.map((n) => `${ACCOUNT} / ${n}:done`).sort(), results.join(' | '));

      // the workspaces and the partner hold exactly that
      const withHex = fleet.acct.workspaces.filter((w) => [...w.core.state.servicePrincipals.values()].some((sp) => sp.displayName === 'HEX_USER')).map((w) => w.spec.workspaceName).sort();
      assert.deepEqual(withHex, [...new Set([...hexBefore, ...CHOSEN])].sort(), 'HEX_USER is new in exactly the three workspaces');
      const connects = services.partnerSim.requests.filter((r) => r.path.startsWith('/connect'));
      assert.equal(connects.length, 3, 'one ConnectRequest per workspace');
      assert.ok(connects.every((c) => c.valid), connects.flatMap((c) => c.errors).join('; '));
      const hosts = connects.map((c) => (c.body as { hostname?: string }).hostname ?? '').sort();
      assert.deepEqual(hosts, CHOSEN.map((n) => new URL(fleet.acct.workspace(n).url).hostname).sort());

      // ---------------------------------------------------------------- the cells change
      await page.locator('.tabs-container .tab', { hasText: /Fleet: Acme account/ }).first().click();
      const matrix2 = await webviewFor(page, /Fleet: Acme account/);
      await waitUntil(
        async () => {
          const now = await matrix2.locator('tr[data-partner="hex"] td.cell').evaluateAll((els, hs) => els.map((e, i) => (e.getAttribute('data-state') === 'connected' ? (hs as Array<{ ws: string }>)[i].ws : '')).filter(Boolean), headers);
          return CHOSEN.every((n) => now.includes(`${ACCOUNT} / ${n}`));
        },
        'the Hex cells of the three workspaces to show connected',
        90_000,
      );
      await matrix2.locator('tr[data-partner="hex"]').scrollIntoViewIfNeeded();
      await snap(page, step, 'matrix-after');

      // leave the workbench as it was: forget the account
      await palette(page, 'Partner Connect: Remove Account');
      await answerDialog(page, 'Remove');
      await waitUntil(async () => (await treeRows(page).filter({ hasText: ACCOUNT }).count()) === 0, 'the account to leave the tree', 30_000);
    } finally {
      for (const c of fleet.acct.issuedCredentials()) credentials.add(c);
      await fleet.close();
    }
  },
});
