/**
 * Journey 7: delete only the service principal of a connected partner (the demo seed's Qlik Sense)
 * from the tree's context menu. The modal lists the record (the check mark) under "Kept:"; afterwards QLIK_SENSE_USER and
 * its token are gone from the emulator, the connection record is still in its workspace files, and
 * the tree says "check mark only".
 */
import * as assert from 'node:assert/strict';
import { waitUntil } from '../fixtures/wait';
import { spNamed, tokensOf } from '../fixtures/principals';
import { defineJourney } from './journey';
import { answerDialog, assertGone, contextMenu, freshView, recordIn, revealPartner, snap } from './support';

export default defineJourney({
  name: 'delete the service principal only: the check mark stays',
  reuseWorkbench: true,
  async run({ page, step, services }) {
    await freshView(page, services);
    const emu = services.emulator;
    const sp = spNamed(emu.state, 'QLIK_SENSE_USER');
    assert.ok(sp);
    const tokenIds = tokensOf(emu.state, sp).map((t) => t.token_id);
    const recordBefore = recordIn(emu.state, 'qlik-sense');
    assert.ok(recordBefore);
    const warehouses = [...emu.state.warehouses.keys()].sort();

    const row = await revealPartner(page, 'Qlik Sense', { state: 'connected' });
    await contextMenu(page, row, 'Delete Service Principal…');
    await page.locator('.monaco-dialog-box').waitFor({ state: 'visible', timeout: 20_000 });
    await snap(page, step, 'confirm');
    const text = await answerDialog(page, 'Delete Service Principal');
    assert.match(text, /Kept:[\s\S]*the connection record \(the check mark\)/, text);
    assert.doesNotMatch(text, /\((catalog|schema):/, 'no internal keys in the confirmation');
    assert.ok(text.includes('QLIK_SENSE_USER'), text);

    await waitUntil(() => !emu.state.servicePrincipals.has(sp.id), 'QLIK_SENSE_USER to be deleted', 60_000);
    assertGone(emu.state, { sp, tokenIds });
    assert.deepEqual(recordIn(emu.state, 'qlik-sense'), recordBefore, 'the record (the check mark) is still in the workspace files, unchanged');
    assert.deepEqual([...emu.state.warehouses.keys()].sort(), warehouses, 'the shared warehouse is kept');
    assert.equal(services.partnerSim.requests.filter((r) => r.path.startsWith('/delete-connection')).length, 0, 'the partner connection is not deleted');

    const after = await revealPartner(page, 'Qlik Sense', { state: 'check mark only' });
    assert.match((await after.getAttribute('aria-label')) ?? '', /check mark only/);
    await snap(page, step, 'tree-after');
  },
});
