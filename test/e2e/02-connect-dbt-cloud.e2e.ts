/**
 * Journey 2: connect dbt Cloud from the command palette, choosing the catalog and the SQL warehouse
 * in the connect form. Afterwards the emulator holds DBT_CLOUD_USER with its token (an explicit lifetime: the 730-day cap),
 * the write profile's entitlements and grants, and the connection record; the partner simulator
 * received one valid ConnectRequest whose token hashes to the token the emulator created.
 */
import * as assert from 'node:assert/strict';
import { waitUntil } from '../fixtures/wait';
import { grantsOf, spNamed, tokenAclLevel, tokensOf, warehouseAclLevel } from '../fixtures/principals';
import { STARTER_WAREHOUSE } from '../fixtures/seed';
import { defineJourney } from './journey';
import { assertCappedLifetime, commandWithPick, elementShot, freshView, recordIn, revealPartner, selectIn, snap, webviewFor } from './support';

export default defineJourney({
  name: 'connect dbt Cloud from the command palette (catalog + warehouse in the form)',
  reuseWorkbench: true,
  async run({ page, step, services, log }) {
    await freshView(page, services);
    const emu = services.emulator;
    const sim = services.partnerSim;
    assert.equal(spNamed(emu.state, 'DBT_CLOUD_USER'), undefined, 'the demo seed leaves dbt Cloud unconnected');
    await revealPartner(page, 'dbt Cloud', { state: 'not connected' });
    await snap(page, step, 'tree-before');
    await elementShot(page.locator('.part.sidebar'), 'readme-tree');

    await commandWithPick(page, 'Partner Connect: Connect…', /connect a partner/i, 'dbt Cloud');
    const form = await webviewFor(page, /dbt Cloud/);
    await form.locator('#title').waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await form.locator('#title').innerText(), /dbt Cloud/);
    // The catalog picker follows the seed's rules: the admin's own catalog is selectable, others say why not.
    await selectIn(form, 'catalog', 'analytics');
    const blocked = form.locator('[data-testid="catalog-option-main"]');
    if ((await blocked.count()) > 0) assert.equal(await blocked.isDisabled(), true, 'a catalog the admin does not own cannot be chosen');
    await form.locator('[data-testid="warehouse-mode-existing"]').check();
    await selectIn(form, 'warehouse', STARTER_WAREHOUSE);
    const connect = form.locator('[data-testid="connect"]');
    await waitUntil(async () => !(await connect.isDisabled()), 'the Connect button to be enabled after validation', 30_000);
    const plan = await form.locator('[data-testid="plan"]').innerText();
    assert.match(plan, /DBT_CLOUD_USER/, 'the plan names the service principal');
    await snap(page, step, 'form');
    await elementShot(page.locator('.part.editor'), 'readme-connect-form');

    await connect.click();
    await form.locator('[data-testid="result-ok"], [data-testid="result-error"]').first().waitFor({ state: 'visible', timeout: 60_000 });
    await snap(page, step, 'result');
    const error = form.locator('[data-testid="result-error"]');
    if ((await error.count()) > 0) assert.fail(`connect failed: ${await error.innerText()}`);

    // ---- the emulator's state
    const sp = spNamed(emu.state, 'DBT_CLOUD_USER');
    assert.ok(sp, 'DBT_CLOUD_USER exists');
    assert.deepEqual([...sp.entitlements].sort(), ['allow-cluster-create', 'databricks-sql-access', 'workspace-access']);
    const tokens = tokensOf(emu.state, sp);
    assert.equal(tokens.length, 1, 'one token for the service principal');
    assertCappedLifetime(tokens[0]);
    assert.equal(tokenAclLevel(emu.state, sp.applicationId), 'CAN_USE', 'CAN_USE on tokens');
    assert.equal(warehouseAclLevel(emu.state, STARTER_WAREHOUSE, sp.applicationId), 'CAN_USE', 'CAN_USE on the chosen warehouse');
    assert.deepEqual(grantsOf(emu.state, sp.applicationId).uc, { 'catalog:analytics': ['CREATE_SCHEMA', 'USE_CATALOG'] });
    const record = recordIn(emu.state, 'dbt-cloud');
    assert.equal(record?.state, 'connected');
    assert.equal((record?.servicePrincipal as { id?: string } | null)?.id, sp.id);
    assert.equal(record?.tokenId, tokens[0].token_id);

    // ---- the partner simulator's record of the ConnectRequest
    const connects = sim.requests.filter((r) => r.path.startsWith('/connect'));
    assert.equal(connects.length, 1, `one ConnectRequest (got ${connects.map((r) => `${r.method} ${r.path} ${r.status}`).join(', ')})`);
    const req = connects[0];
    assert.equal(req.valid, true, `valid per the protocol description: ${req.errors.join('; ')}`);
    assert.ok(req.status === 200 || req.status === 201, `answered ${req.status}`);
    assert.equal(req.patSha256, tokens[0].valueHash, 'the token handed to the partner is the one created in the emulator');
    const body = req.body as { user_info?: { email?: string }; service_principal_id?: string; catalog_name?: string; sql_warehouse_id?: string; cluster_id?: string };
    assert.equal(body.user_info?.email, 'ava.admin@acme.example');
    assert.equal(body.service_principal_id, sp.applicationId, 'the partner is told which service principal it acts as');
    assert.equal(body.catalog_name, 'analytics');
    assert.equal(record?.connectionId !== null && typeof record?.connectionId === 'string', true, 'the connection id is kept in the record');
    assert.ok(sim.connections.has(String(record?.connectionId)), 'the partner knows the connection');
    log(`ConnectRequest ${req.status}; connection ${String(record?.connectionId)}`);

    // ---- the tree follows
    await revealPartner(page, 'dbt Cloud', { state: 'connected' });
    await snap(page, step, 'tree-after');
  },
});
