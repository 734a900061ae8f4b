/**
 * Journey 8: the history of a connection. Inspect the demo seed's drifted Anomalo, repair it, then
 * rotate its token while the workspace refuses to delete the old token: both actions land in the
 * workspace's history (one file each, next to the records) — the repair as succeeded with its change,
 * the rotation as failed with its error — and the inspect view lists them, newest first.
 */
import * as assert from 'node:assert/strict';
import { waitUntil } from '../fixtures/wait';
import { RECORD_FOLDER } from '../fixtures/seed';
import { spNamed, tokensOf } from '../fixtures/principals';
import { defineJourney } from './journey';
import { answerDialog, contextMenu, elementShot, freshView, palette, revealPartner, snap, webviewFor } from './support';

export default defineJourney({
  name: 'history: a repair and a failed rotation are recorded in the workspace and listed in the inspect view',
  reuseWorkbench: true,
  async run({ page, step, services }) {
    await freshView(page, services);
    const emu = services.emulator;
    const sp = spNamed(emu.state, 'ANOMALO_USER');
    assert.ok(sp);
    const [oldToken] = tokensOf(emu.state, sp);
    assert.ok(oldToken);
    const historyFiles = (): Array<{ path: string; entry: Record<string, unknown> }> =>
      [...emu.state.files.values()]
        .filter((f) => f.path.startsWith(`${RECORD_FOLDER}/history/`) && f.type === 'FILE')
        .map((f) => ({ path: f.path, entry: JSON.parse(f.content.toString('utf8')) as Record<string, unknown> }));
    assert.deepEqual(historyFiles(), [], 'the seed has no history');

    const row = await revealPartner(page, 'Anomalo', { state: 'degraded' });
    await contextMenu(page, row, 'Inspect…');
    const view = await webviewFor(page, /Anomalo/);
    await view.locator('[data-testid="no-history"]').waitFor({ state: 'visible', timeout: 30_000 });

    // 1. repair: succeeded, with the grant it changed
    await view.locator('[data-testid="repair"]').click();
    await answerDialog(page, 'Repair');
    await view.locator('[data-testid="no-drift"]').waitFor({ state: 'visible', timeout: 30_000 });
    await waitUntil(() => historyFiles().length === 1, 'the repair recorded', 30_000);
    const repair = historyFiles()[0].entry;
    assert.equal(repair.action, 'repair');
    assert.equal(repair.outcome, 'succeeded');
    assert.equal(repair.by, 'ava.admin@acme.example');
    assert.match(JSON.stringify(repair.changed), /schema:analytics\.marketing/);

    // 2. rotate while the workspace refuses to delete the old token: failed, and recorded as such
    emu.faults.add({ method: 'DELETE', path: `/api/2.0/token-management/tokens/${oldToken.token_id}`, status: 500, times: 50 });
    await view.locator('[data-testid="rotate"]').click();
    await answerDialog(page, 'Rotate Token');
    await waitUntil(() => historyFiles().length === 2, 'the failed rotation recorded', 60_000);
    const rotate = historyFiles().map((f) => f.entry).find((e) => e.action === 'rotate');
    assert.ok(rotate);
    assert.equal(rotate.outcome, 'failed');
    assert.match(String(rotate.error), /500|INTERNAL/i);
    emu.faults.clear();

    // 3. the inspect view lists both, newest first
    await waitUntil(async () => (await view.locator('[data-testid="history-entry"]').count()) === 2, 'two history rows in the inspect view', 30_000);
    const rows = view.locator('[data-testid="history-entry"]');
    assert.equal(await rows.nth(0).getAttribute('data-outcome'), 'failed');
    assert.match(await rows.nth(0).innerText(), /Rotate token/);
    assert.equal(await rows.nth(1).getAttribute('data-outcome'), 'succeeded');
    assert.match(await rows.nth(1).innerText(), /Repair grants[\s\S]*analytics\.marketing/);
    const html = await view.locator('body').innerHTML();
    for (const t of tokensOf(emu.state, sp)) assert.ok(!html.includes(t.valueHash), 'no token material in the view');
    await palette(page, 'Notifications: Clear All Notifications');
    await view.locator('[data-testid="history"]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await snap(page, step, 'history');
    await elementShot(page.locator('.part.editor'), 'readme-history');
  },
});
