/**
 * Bug: a FIVETRAN_USER (the seed's own manual-disconnect example) was invisible — partners whose
 * profile needs no service principal were never searched for one, so it could not be inspected,
 * deleted or found as an orphan. Every catalog partner's `<PARTNER>_USER` is looked for now.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  connect,
  detectConnectionStates,
  disconnect,
  findOrphans,
  inspectConnection,
  loadBuiltinCatalog,
  preflightConnect,
  previewDisconnect,
  principalNameOf,
  recordPathFor,
  DEFAULT_RECORD_FOLDER,
  reasonsOf,
} from '../../src/domain';
import { startEnv, statusIn } from './helpers';
import { STARTER_WAREHOUSE } from '../fixtures/seed';

const catalog = loadBuiltinCatalog();
const NO_SP = catalog.partners.filter((p) => !p.needsServicePrincipal);

const st = statusIn;

test('a <PARTNER>_USER of EVERY catalog partner is detected, including partners that need none', async () => {
  const env = await startEnv();
  try {
    assert.deepEqual(
      NO_SP.map((p) => p.id),
      ['fivetran', 'power-bi', 'tableau', 'erwin-data-modeler'],
    );
    assert.equal(principalNameOf(catalog.require('fivetran')), 'FIVETRAN_USER');
    const before = await detectConnectionStates(env.client, catalog);
    const free = catalog.partners.filter((p) => st(before, p.id).state === 'not-connected');
    for (const p of free) await env.client.createServicePrincipal({ displayName: principalNameOf(p), entitlements: [] });
    const snap = await detectConnectionStates(env.client, catalog);
    for (const p of free) {
      const s = st(snap, p.id);
      assert.equal(s.state, 'connected-outside', `${p.id}: ${principalNameOf(p)} is seen`);
      assert.equal(s.servicePrincipal?.displayName, principalNameOf(p));
    }
    assert.ok(free.some((p) => !p.needsServicePrincipal), 'the partners without a profile principal are among them');
    assert.ok(snap.stats.waves <= 2);
  } finally {
    await env.close();
  }
});

test('FIVETRAN_USER made outside: connected outside, inspectable, named apart by Find Orphans; deleting it leaves Fivetran not connected', async () => {
  const env = await startEnv();
  try {
    const fivetran = catalog.require('fivetran');
    const sp = await env.client.createServicePrincipal({ displayName: 'FIVETRAN_USER', entitlements: ['workspace-access'] });
    await env.client.patchTokenPermissions([{ service_principal_name: sp.applicationId, permission_level: 'CAN_USE' }]);
    const token = await env.client.createOboToken({ applicationId: sp.applicationId, comment: 'made on the Partner Connect page', lifetimeSeconds: 86_400 });

    const s = st(await detectConnectionStates(env.client, catalog), 'fivetran');
    assert.equal(s.state, 'connected-outside');
    assert.equal(s.servicePrincipal?.id, sp.id);
    assert.deepEqual(s.tokens.map((t) => t.tokenId), [token.token_info.token_id]);

    const i = await inspectConnection(env.client, fivetran);
    assert.equal(i.servicePrincipal?.displayName, 'FIVETRAN_USER');
    assert.equal(i.tokens.length, 1);
    assert.deepEqual([i.drift.differences, i.drift.repair], [[], []], 'no profile to drift from, nothing to repair');

    // connected outside (made on the Partner Connect page): Find Orphans names it apart, never offers it (issue 11 item 5)
    const orphans = await findOrphans(env.client, catalog);
    assert.ok(orphans.connectedOutside.some((c) => c.servicePrincipal.id === sp.id && c.partner.id === 'fivetran'), 'Find Orphans names it apart');
    assert.ok(!orphans.cleanup.some((c) => c.id === sp.id), 'Find Orphans offers it for deletion');

    // the engine refuses to connect on top of it, like for any partner connected outside
    const pf = await preflightConnect(env.client, fivetran, { warehouse: { kind: 'existing', id: STARTER_WAREHOUSE } });
    const outside = pf.problems.find((p) => p.code === 'connected-outside');
    assert.match(outside?.message ?? '', /FIVETRAN_USER exists .* although Fivetran does not need a service principal/);

    const preview = await previewDisconnect(env.client, fivetran, 'service-principal-only');
    assert.deepEqual(preview.items.map((x) => `${x.kind} ${x.id}`), [`token ${token.token_info.token_id}`, `service-principal ${sp.id}`]);
    assert.equal(preview.hasRecord, false);
    assert.equal(preview.after, 'not-connected', 'no record: nothing stays behind');
    await disconnect(env.ctx, fivetran, 'service-principal-only');
    assert.equal(env.emu.state.servicePrincipals.get(sp.id), undefined);
    assert.equal(env.emu.state.tokens.get(token.token_info.token_id), undefined);
    assert.equal(st(await detectConnectionStates(env.client, catalog), 'fivetran').state, 'not-connected');
  } finally {
    await env.close();
  }
});

test('a connected Power BI with a POWER_BI_USER: still connected, the principal shown; deleting it keeps the connection; reset deletes it', async () => {
  const env = await startEnv();
  try {
    const pbi = catalog.require('power-bi');
    await connect(env.ctx, pbi, { warehouse: { kind: 'existing', id: STARTER_WAREHOUSE } });
    const sp = await env.client.createServicePrincipal({ displayName: 'POWER_BI_USER', entitlements: [] });
    const s = st(await detectConnectionStates(env.client, catalog), 'power-bi');
    assert.equal(s.state, 'connected');
    assert.equal(s.servicePrincipal?.id, sp.id);
    assert.deepEqual(reasonsOf(s), []);

    const spOnly = await previewDisconnect(env.client, pbi, 'service-principal-only');
    assert.equal(spOnly.after, 'connected', 'Power BI needs no principal: it stays connected');
    const reset = await previewDisconnect(env.client, pbi, 'reset');
    assert.ok(reset.items.some((x) => x.kind === 'service-principal' && x.id === sp.id), 'a reset deletes it too');
    assert.equal(reset.after, 'not-connected');
    assert.deepEqual(
      reset.items.filter((x) => x.kind === 'record').map((x) => [x.name, x.id]),
      [[recordPathFor(DEFAULT_RECORD_FOLDER, 'power-bi'), recordPathFor(DEFAULT_RECORD_FOLDER, 'power-bi')]],
      'the record is named once, by its path',
    );

    await disconnect(env.ctx, pbi, 'service-principal-only');
    const after = st(await detectConnectionStates(env.client, catalog), 'power-bi');
    assert.equal(after.state, 'connected');
    assert.equal(after.servicePrincipal, null);
  } finally {
    await env.close();
  }
});

test('a custom partner cannot take the <PARTNER>_USER name of a partner that needs no principal', async () => {
  const { mergeCatalog } = await import('../../src/domain');
  const hex = catalog.require('hex');
  assert.throws(
    () => mergeCatalog(catalog, [{ ...hex, id: 'my-fivetran', displayName: 'Fivetran', servicePrincipalName: 'FIVETRAN_USER' }]),
    /FIVETRAN_USER, which the catalog already uses/,
  );
});
