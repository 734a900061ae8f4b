/**
 * Journey 3: connect a read-profile partner (Hex) from the tree on an existing SQL warehouse and one
 * schema. Afterwards HEX_USER holds exactly the read profile: databricks-sql-access, CAN_USE on
 * tokens and on the chosen warehouse, USE CATALOG on the catalog, USE SCHEMA + SELECT on the schema;
 * no warehouse was created; the partner received a valid ConnectRequest naming the warehouse.
 */
import * as assert from 'node:assert/strict';
import { grantsOf, spNamed, tokenAclLevel, tokensOf, warehouseAclLevel } from '../fixtures/principals';
import { STARTER_WAREHOUSE } from '../fixtures/seed';
import { defineJourney } from './journey';
import { assertCappedLifetime, contextMenu, freshView, recordIn, revealPartner, snap, webviewFor, fillReadChoices } from './support';

export default defineJourney({
  name: 'connect Hex (read profile) on an existing warehouse and one schema',
  reuseWorkbench: true,
  async run({ page, step, services, log }) {
    await freshView(page, services);
    const emu = services.emulator;
    const warehousesBefore = [...emu.state.warehouses.keys()].sort();
    const row = await revealPartner(page, 'Hex', { state: 'not connected' });
    await contextMenu(page, row, 'Connect…');

    const form = await webviewFor(page, /Hex/);
    await form.locator('#title').waitFor({ state: 'visible', timeout: 30_000 });
    // one schema: the schema list follows the catalog
    const connect = await fillReadChoices(form);
    const plan = await form.locator('[data-testid="plan"]').innerText();
    assert.match(plan, /HEX_USER/);
    assert.match(plan, /marketing/);
    await snap(page, step, 'form');

    await connect.click();
    await form.locator('[data-testid="result-ok"], [data-testid="result-error"]').first().waitFor({ state: 'visible', timeout: 60_000 });
    await snap(page, step, 'result');
    const error = form.locator('[data-testid="result-error"]');
    if ((await error.count()) > 0) assert.fail(`connect failed: ${await error.innerText()}`);

    const sp = spNamed(emu.state, 'HEX_USER');
    assert.ok(sp, 'HEX_USER exists');
    assert.deepEqual([...sp.entitlements].sort(), ['databricks-sql-access']);
    const tokens = tokensOf(emu.state, sp);
    assert.equal(tokens.length, 1);
    assertCappedLifetime(tokens[0]);
    assert.equal(tokenAclLevel(emu.state, sp.applicationId), 'CAN_USE');
    assert.equal(warehouseAclLevel(emu.state, STARTER_WAREHOUSE, sp.applicationId), 'CAN_USE');
    assert.deepEqual(grantsOf(emu.state, sp.applicationId).uc, {
      'catalog:analytics': ['USE_CATALOG'],
      'schema:analytics.marketing': ['SELECT', 'USE_SCHEMA'],
    });
    assert.deepEqual([...emu.state.warehouses.keys()].sort(), warehousesBefore, 'no warehouse created: the existing one is used');
    const record = recordIn(emu.state, 'hex');
    assert.equal(record?.state, 'connected');
    assert.deepEqual(record?.schemas, ['marketing']);
    assert.deepEqual(record?.compute, { kind: 'warehouse', id: STARTER_WAREHOUSE, name: 'Starter Warehouse', createdForPartner: false });

    const connects = services.partnerSim.requests.filter((r) => r.path.startsWith('/connect'));
    assert.equal(connects.length, 1);
    assert.equal(connects[0].valid, true, connects[0].errors.join('; '));
    assert.equal(connects[0].patSha256, tokens[0].valueHash);
    const body = connects[0].body as { cluster_id?: string; is_sql_warehouse?: boolean; catalog_name?: string; database_name?: string };
    assert.equal(body.cluster_id, STARTER_WAREHOUSE, 'the ConnectRequest names the chosen warehouse');
    assert.equal(body.is_sql_warehouse, true);
    assert.equal(body.catalog_name, 'analytics');
    log(`ConnectRequest ${connects[0].status}: catalog ${String(body.catalog_name)}, warehouse ${String(body.cluster_id)} (database_name is "unused today" per the spec)`);

    await revealPartner(page, 'Hex', { state: 'connected' });
    await snap(page, step, 'tree-after');
  },
});
