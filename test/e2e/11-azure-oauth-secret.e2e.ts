/**
 * Journey 11: an Azure-like workspace (the emulator's `cloud: "azure"`: on-behalf-of tokens refused as
 * Azure Databricks refuses them) and a protocol partner whose PartnerConfig asks for AUTH_OAUTH_M2M (a
 * second partner simulator of this journey, validating `service_principal_oauth_secret`). Connect it
 * from the connect form, which names the credential ("OAuth secret"); the tree and the inspect view
 * show the OAuth secret's id and expiry (never its value); Disconnect… leaves no secret, principal,
 * grant or record in the emulator, and the partner forgets the connection.
 *
 * The partner: the extension re-reads PC_PARTNER_SIM_CONFIG (services.partnerConfigFile) on every
 * Refresh, so this journey points that file at its own simulator for its duration and puts the shared
 * one back afterwards.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { waitUntil } from '../fixtures/wait';
import { grantsOf, spNamed, tokenAclLevel, tokensOf, warehouseAclLevel } from '../fixtures/principals';
import { STARTER_WAREHOUSE } from '../fixtures/seed';
import { treeRows } from '../harness/browser';
import { startPartnerSim } from '../partner-sim';
import { defineJourney } from './journey';
import { answerDialog, contextMenu, fillReadChoices, freshView, recordIn, revealPartner, snap, webviewFor, widenSidebar } from './support';

const PARTNER = 'Partner Simulator';
const SP_NAME = 'PARTNER_SIMULATOR_USER';

export default defineJourney({
  name: 'Azure-like workspace: connect an AUTH_OAUTH_M2M partner from the form, its OAuth secret in the tree and inspect, disconnect',
  reuseWorkbench: true,
  timeoutMs: 120_000,
  async run({ page, step, services, log }) {
    const emu = services.emulator;
    emu.state.options.cloud = 'azure';
    const sim = await startPartnerSim({ authOptions: ['AUTH_OAUTH_M2M'], credentials: services.partnerSim.credentials });
    const sharedConfig = fs.readFileSync(services.partnerConfigFile, 'utf8');
    try {
      fs.writeFileSync(services.partnerConfigFile, `${JSON.stringify(sim.partnerConfig(), null, 2)}\n`, { mode: 0o600 });
      await freshView(page, services);
      await widenSidebar(page, 640); // the credential row's expiry fits
      const row = await revealPartner(page, PARTNER, { state: 'not connected' });
      await contextMenu(page, row, 'Connect…');

      // ---- the form names the credential
      const form = await webviewFor(page, new RegExp(PARTNER));
      const credential = form.locator('[data-testid="credential"]');
      await credential.waitFor({ state: 'visible', timeout: 30_000 });
      assert.equal(await credential.getAttribute('data-kind'), 'oauth-secret');
      assert.match(await form.locator('[data-testid="credential-kind"]').innerText(), /OAuth secret/);
      assert.match(await form.locator('[data-testid="partner-summary"]').innerText(), new RegExp(`${SP_NAME} with an OAuth secret`), 'what the partner gets names the OAuth secret');
      const connect = await fillReadChoices(form);
      assert.match(await form.locator('[data-testid="plan"]').innerText(), /OAuth secret/, 'the plan creates an OAuth secret');
      await credential.scrollIntoViewIfNeeded();
      await snap(page, step, 'form');
      await connect.click();
      await form.locator('[data-testid="result-ok"], [data-testid="result-error"]').first().waitFor({ state: 'visible', timeout: 60_000 });
      const error = form.locator('[data-testid="result-error"]');
      if ((await error.count()) > 0) assert.fail(`connect failed: ${await error.innerText()}`);
      await snap(page, step, 'result');
      const created = await form.locator('[data-testid="result-resources"]').innerText();
      assert.match(created, /OAuth secret of PARTNER_SIMULATOR_USER \(/, created);
      assert.doesNotMatch(created, /OAuth secret OAuth secret/, created);

      // ---- the workspace: an OAuth secret, no token; the partner got the secret, no PAT
      const sp = spNamed(emu.state, SP_NAME);
      assert.ok(sp, `${SP_NAME} exists`);
      const secrets = [...(emu.state.servicePrincipals.get(sp.id)?.secrets.values() ?? [])];
      assert.equal(secrets.length, 1, 'one OAuth secret');
      const secret = secrets[0];
      assert.deepEqual(tokensOf(emu.state, sp), [], 'no personal access token');
      assert.ok(!emu.requests.some((r) => r.path.includes('/token-management/on-behalf-of/tokens')), 'no on-behalf-of call: the partner asks for OAuth');
      const [req] = sim.requests.filter((r) => r.path.startsWith('/connect'));
      assert.equal(req?.valid, true, req?.errors.join('; '));
      assert.equal(req.secretSha256.service_principal_oauth_secret, secret.valueHash, 'the partner got the secret the workspace made');
      assert.equal((req.body as { user_info?: { auth?: { personal_access_token?: unknown } } }).user_info?.auth?.personal_access_token, null);
      const record = recordIn(emu.state, 'partner-simulator');
      assert.deepEqual(record?.credential && { kind: (record.credential as { kind: string }).kind, id: (record.credential as { id: string }).id }, { kind: 'oauth-secret', id: secret.id });
      const expiryYear = String(new Date(secret.expire_time).getUTCFullYear());
      log(`OAuth secret ${secret.id}, expires ${new Date(secret.expire_time).toISOString().slice(0, 10)}`);

      // ---- the tree: the partner's credential row names the kind and the expiry
      const connected = await revealPartner(page, PARTNER, { state: 'connected' });
      await connected.click();
      const secretRow = treeRows(page).filter({ hasText: `OAuth secret ${secret.id}` }).first();
      await secretRow.waitFor({ state: 'visible', timeout: 20_000 });
      const rowText = await secretRow.innerText();
      assert.match(rowText, /expires/, rowText);
      assert.ok(rowText.includes(expiryYear), `the expiry (${expiryYear}) in "${rowText}"`);
      assert.doesNotMatch(rowText, /never/i, rowText);
      await snap(page, step, 'tree');

      // ---- inspect: the same credential, metadata only
      await contextMenu(page, connected, 'Inspect…');
      const view = await webviewFor(page, new RegExp(PARTNER));
      const credRow = view.locator(`[data-testid="token-${secret.id}"]`);
      await credRow.waitFor({ state: 'visible', timeout: 30_000 });
      const credText = await credRow.innerText();
      assert.match(credText, /OAuth secret/, credText);
      assert.match(credText, new RegExp(`client id ${sp.applicationId}`), credText);
      assert.ok(credText.includes(expiryYear) && !/never/i.test(credText), `the expiry in "${credText}"`);
      assert.match(await view.locator('[data-testid="sp-table"]').innerText(), new RegExp(SP_NAME));
      assert.equal((await view.locator('[data-testid="rotate"]').innerText()).trim(), 'Rotate OAuth Secret…', 'the rotate button names the OAuth secret');
      await snap(page, step, 'inspect');

      // ---- disconnect: nothing of the connection is left
      await contextMenu(page, connected, 'Disconnect…');
      const text = await answerDialog(page, 'Disconnect');
      for (const expected of [SP_NAME, secret.id]) assert.ok(text.includes(expected), `the confirmation lists ${expected}:\n${text}`);
      await waitUntil(() => !emu.state.servicePrincipals.has(sp.id) && recordIn(emu.state, 'partner-simulator') === undefined, 'the disconnect to finish in the emulator', 60_000);
      assert.ok(emu.requests.some((r) => r.method === 'DELETE' && r.path.endsWith(`/credentials/secrets/${secret.id}`)), 'the secret is deleted explicitly');
      assert.deepEqual(grantsOf(emu.state, sp.applicationId).uc, {}, 'no Unity Catalog grant left');
      assert.equal(tokenAclLevel(emu.state, sp.applicationId), undefined, 'off the token ACL');
      assert.equal(warehouseAclLevel(emu.state, STARTER_WAREHOUSE, sp.applicationId), undefined, 'off the warehouse ACL');
      assert.equal(spNamed(emu.state, SP_NAME), undefined, 'no principal left');
      const deletes = sim.requests.filter((r) => r.path.startsWith('/delete-connection'));
      assert.equal(deletes.length, 1, 'the partner was told once');
      assert.equal(deletes[0].valid, true, deletes[0].errors.join('; '));
      assert.equal(sim.connections.size, 0, 'the partner forgot the connection');
      await revealPartner(page, PARTNER, { state: 'not connected' });
      await snap(page, step, 'tree-after');
    } finally {
      fs.writeFileSync(services.partnerConfigFile, sharedConfig, { mode: 0o600 });
      await sim.close();
    }
  },
});
