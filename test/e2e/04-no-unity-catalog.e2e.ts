/**
 * Journey 4: a partner without Unity Catalog support (Preset) where the workspace default catalog
 * (acme_prod) is not owned by the signed-in workspace admin: the connect form's first words are the
 * seed's error ("…can only use the workspace default catalog… you don't own it") with what to do —
 * no empty red drop-down, no plan under it — Connect stays disabled, and nothing is created — the emulator's principals, tokens, ACLs, grants, warehouses and files are
 * unchanged, no mutating request reached it, and the partner was not called.
 */
import * as assert from 'node:assert/strict';
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
    // The seed's error for this case is the first thing the form says: the connect cannot happen.
    const blocker = form.locator('[data-testid="blocker"]');
    await blocker.waitFor({ state: 'visible', timeout: 30_000 });
    const text = await blocker.innerText();
    assert.match(text, /The workspace default catalog cannot be used/, text);
    assert.match(text, /can only use the workspace default catalog/i, text);
    assert.match(text, /acme_prod/, text);
    assert.match(text, /you don.t own it/i, text);
    assert.match(text, /What to do/, text);
    const above = await form.locator('#title').evaluate((t) => {
      const b = document.querySelector('[data-testid="blocker"]');
      const summary = document.querySelector('#partner-summary');
      return !!b && !!summary && (t.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0 && (b.compareDocumentPosition(summary) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
    });
    assert.equal(above, true, 'right under the title');
    assert.equal(await form.locator('[data-testid="plan"]').isVisible(), false, 'no plan for a connect that cannot happen');
    assert.equal(await form.locator('[data-testid="catalog"]').isVisible(), false, 'no empty red drop-down');
    const connect = form.locator('[data-testid="connect"]');
    assert.equal(await connect.isDisabled(), true, 'Connect is disabled');
    await snap(page, step, 'form-error');

    // Trying anyway (keyboard submit of the hidden form) does nothing.
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
