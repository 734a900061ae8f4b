/**
 * Journey 5: inspect a connected partner whose grants drifted (the demo seed's Anomalo lacks SELECT
 * on analytics.marketing). The inspect view shows the service principal, the token's metadata (id,
 * comment, "never" expires: the seed's old token has expiry_time −1 — never its value), the grants, and the drift with its repair plan.
 * Inspecting only reads; Repair then grants exactly the missing privilege in the emulator.
 */
import * as assert from 'node:assert/strict';
import { waitUntil } from '../fixtures/wait';
import { grantsOf, spNamed, tokensOf } from '../fixtures/principals';
import { defineJourney } from './journey';
import { answerDialog, contextMenu, freshView, mutatingRequests, revealPartner, snap, webviewFor } from './support';

export default defineJourney({
  name: 'inspect a connected partner: principal, token metadata, grants, drift (and repair)',
  reuseWorkbench: true,
  async run({ page, step, services }) {
    await freshView(page, services);
    const emu = services.emulator;
    const sp = spNamed(emu.state, 'ANOMALO_USER');
    assert.ok(sp);
    const [token] = tokensOf(emu.state, sp);
    assert.ok(token);

    const row = await revealPartner(page, 'Anomalo', { state: 'degraded' });
    assert.match((await row.getAttribute('aria-label')) ?? '', /grants differ/, 'the tree says why it is degraded');
    await contextMenu(page, row, 'Inspect…');
    const view = await webviewFor(page, /Anomalo/);
    await view.locator('[data-testid="state"]').waitFor({ state: 'visible', timeout: 30_000 });

    assert.equal(await view.locator('[data-testid="state"]').getAttribute('data-state'), 'degraded');
    const spTable = await view.locator('[data-testid="sp-table"]').innerText();
    assert.match(spTable, /ANOMALO_USER/);
    assert.match(spTable, new RegExp(sp.applicationId));
    assert.match(spTable, /databricks-sql-access/);
    const tokenRow = view.locator(`[data-testid="token-${token.token_id}"]`);
    await tokenRow.waitFor({ state: 'visible' });
    const tokenText = await tokenRow.innerText();
    assert.match(tokenText, /Partner Connect: Anomalo/);
    assert.match(tokenText, /never/i, 'the token does not expire');
    const grants = await view.locator('[data-testid="grants"]').innerText();
    assert.match(grants, /analytics\.marketing/);
    assert.match(grants, /USE_SCHEMA|USE SCHEMA/);
    const drift = await view.locator('[data-testid="drift"]').innerText();
    assert.match(drift, /SELECT/, drift);
    assert.match(drift, /analytics\.marketing/, drift);
    assert.match(await view.locator('[data-testid="repair-plan"]').innerText(), /SELECT/);
    const html = await view.locator('body').innerHTML();
    assert.ok(!html.includes(token.valueHash), 'no token material in the view');
    await snap(page, step, 'inspect');
    assert.deepEqual(mutatingRequests(services), [], 'inspecting only reads');

    // Repair: exactly the missing privilege is granted.
    await view.locator('[data-testid="repair"]').click();
    const confirmText = await answerDialog(page, 'Repair');
    assert.match(confirmText, /SELECT/, 'the confirmation lists the change');
    await waitUntil(() => grantsOf(emu.state, sp.applicationId).uc['schema:analytics.marketing']?.includes('SELECT'), 'SELECT granted on analytics.marketing', 30_000);
    assert.deepEqual(grantsOf(emu.state, sp.applicationId).uc, { 'catalog:analytics': ['USE_CATALOG'], 'schema:analytics.marketing': ['SELECT', 'USE_SCHEMA'] });
    await view.locator('[data-testid="no-drift"]').waitFor({ state: 'visible', timeout: 30_000 });
    assert.deepEqual(services.partnerSim.requests.map((r) => `${r.method} ${r.path}`), [], 'inspect and repair stay in the workspace: the partner is not called');
    await snap(page, step, 'repaired');
    await revealPartner(page, 'Anomalo', { state: 'connected' });
  },
});
