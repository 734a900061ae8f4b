/**
 * Journey 4: a partner without Unity Catalog support (Preset) where the workspace default catalog
 * (acme_prod) is not owned by the signed-in workspace admin: the connect form shows the seed's
 * error ("…can only use the workspace default catalog… you don't own it"), Connect stays disabled,
 * and nothing is created — the emulator's principals, tokens, ACLs, grants, warehouses and files are
 * unchanged, no mutating request reached it, and the partner was not called.
 */
import * as assert from 'node:assert/strict';
import { waitUntil } from '../fixtures/wait';
import { defineJourney } from './journey';
import { commandWithPick, freshView, mutatingRequests, snap, stateDigest, webviewFor } from './support';

export default defineJourney({
  name: 'a partner without Unity Catalog support and a default catalog not owned: the error, nothing created',
  reuseWorkbench: true,
  async run({ page, step, services }) {
    await freshView(page, services);
    const emu = services.emulator;
    const before = stateDigest(emu.state);
    assert.notEqual(emu.state.catalogs.get('acme_prod')?.owner, 'ava.admin@acme.example', 'the default catalog is not the admin’s');

    await commandWithPick(page, 'Partner Connect: Connect…', /connect a partner/i, 'Preset');
    const form = await webviewFor(page, /Preset/);
    await form.locator('#title').waitFor({ state: 'visible', timeout: 30_000 });
    const note = await form.locator('#catalog-hint').innerText();
    assert.match(note, /does not support Unity Catalog/i, 'the form says why only the default catalog can be used');
    // The seed's error for this case, shown in the form where the catalog is chosen.
    const error = form.locator('[data-testid="catalog-error"]');
    await waitUntil(async () => (await error.innerText()).trim().length > 0, 'the catalog error', 30_000);
    const text = await error.innerText();
    assert.match(text, /can only use the workspace default catalog/i, text);
    assert.match(text, /acme_prod/, text);
    assert.match(text, /you don.t own it/i, text);
    const connect = form.locator('[data-testid="connect"]');
    assert.equal(await connect.isDisabled(), true, 'Connect is disabled');
    await snap(page, step, 'form-error');

    // Trying anyway (keyboard submit of the form) does nothing.
    await form.locator('#connect-form').evaluate((f) => (f as HTMLFormElement).requestSubmit());
    await page.waitForTimeout(500);
    assert.equal(await form.locator('[data-testid="result"]').isHidden(), true, 'no connect ran');

    assert.deepEqual(stateDigest(emu.state), before, 'nothing created or changed in the workspace');
    assert.deepEqual(mutatingRequests(services), [], 'only reads reached the emulator');
    assert.deepEqual(
      services.partnerSim.requests.map((r) => `${r.method} ${r.path}`),
      [],
      'the partner was not called',
    );
  },
});
