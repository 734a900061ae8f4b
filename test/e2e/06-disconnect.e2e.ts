/**
 * Journey 6: right-click a connected partner (the demo seed's Dataiku: its own warehouse, a token,
 * grants, a record and a connection at the partner) → Disconnect…, read the modal listing what will
 * be deleted, confirm. Afterwards the principal, its token, its grants, its warehouse and the record
 * are gone from the emulator, the partner simulator received a valid delete-connection for the
 * recorded connection id (and forgot it), and the tree shows Dataiku not connected.
 */
import * as assert from 'node:assert/strict';
import { waitUntil } from '../fixtures/wait';
import { spNamed, tokensOf } from '../fixtures/principals';
import { seedPartnerConnections } from '../harness/services';
import { defineJourney } from './journey';
import { answerDialog, assertGone, contextMenu, contextMenuTitles, elementShot, freshView, parkMouse, recordIn, revealPartner, snap } from './support';

export default defineJourney({
  name: 'right-click → Disconnect… a connected partner, confirm the modal',
  reuseWorkbench: true,
  async run({ page, step, services, log }) {
    await freshView(page, services);
    const emu = services.emulator;
    const sim = services.partnerSim;
    seedPartnerConnections(emu, sim);
    const sp = spNamed(emu.state, 'DATAIKU_USER');
    assert.ok(sp);
    const tokenIds = tokensOf(emu.state, sp).map((t) => t.token_id);
    const record = recordIn(emu.state, 'dataiku');
    assert.ok(record);
    const connectionId = String(record.connectionId);
    const warehouseId = (record.compute as { id: string }).id;
    assert.ok(sim.connections.has(connectionId), 'the partner knows the seeded connection');

    const row = await revealPartner(page, 'Dataiku', { state: 'connected' });
    const titles = await contextMenuTitles(page, row);
    assert.ok(titles.includes('Disconnect…'), titles.join(', '));
    assert.ok(!titles.includes('Connect…'), `a connected partner offers no Connect… (${titles.join(', ')})`);
    await contextMenu(page, row, 'Disconnect…');
    const box = page.locator('.monaco-dialog-box');
    await box.waitFor({ state: 'visible', timeout: 20_000 });
    await snap(page, step, 'confirm');
    // a permanent delete: Enter presses the button that keeps everything
    const focused = await box.locator('.monaco-button:focus').innerText();
    assert.equal(focused.trim(), 'Keep Connection', 'the default (focused) button keeps the connection');
    await page.keyboard.press('Enter');
    await box.waitFor({ state: 'hidden', timeout: 10_000 });
    await page.waitForTimeout(500);
    assert.ok(emu.state.servicePrincipals.has(sp.id), 'Enter deleted nothing');
    assert.ok(recordIn(emu.state, 'dataiku'), 'Enter deleted nothing');
    await contextMenu(page, row, 'Disconnect…');
    await box.waitFor({ state: 'visible', timeout: 20_000 });
    await parkMouse(page);
    await elementShot(box, 'walkthrough-disconnect');
    const text = await answerDialog(page, 'Disconnect');
    assert.match(text, /Afterwards Dataiku shows as not connected/, text);
    assert.doesNotMatch(text, /check mark \(connection record\)/, text);
    for (const expected of ['DATAIKU_USER', sp.id, warehouseId, tokenIds[0], connectionId]) {
      assert.ok(text.includes(expected), `the confirmation lists ${expected}:\n${text}`);
    }

    await waitUntil(() => !emu.state.servicePrincipals.has(sp.id) && recordIn(emu.state, 'dataiku') === undefined, 'the disconnect to finish in the emulator', 60_000);
    assertGone(emu.state, { sp, tokenIds, warehouseId });
    assert.equal(recordIn(emu.state, 'dataiku'), undefined, 'the record (the check mark) is deleted');

    const deletes = sim.requests.filter((r) => r.path.startsWith('/delete-connection'));
    assert.equal(deletes.length, 1, 'the partner was notified once');
    assert.equal(deletes[0].valid, true, deletes[0].errors.join('; '));
    assert.equal(deletes[0].status, 200);
    assert.equal((deletes[0].body as { connection_id?: string }).connection_id, connectionId);
    assert.equal(sim.connections.has(connectionId), false, 'the partner deleted the connection');
    log(`delete-connection ${deletes[0].method} → ${deletes[0].status}`);

    await revealPartner(page, 'Dataiku', { state: 'not connected' });
    await snap(page, step, 'tree-after');
  },
});
