/** Inspect + drift repair, the two disconnects and their previews, orphans, token rotation — over real HTTP. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyRepair,
  cleanUpOrphans,
  connect,
  detectConnectionStates,
  disconnect,
  findOrphans,
  inspectConnection,
  loadBuiltinCatalog,
  previewDisconnect,
  rotateToken,
  type ConnectChoices,
} from '../../src/domain';
import { seedPath } from '../emulator';
import { snapshot, startEnv } from './helpers';
import { grantsOf } from '../fixtures/principals';
import { STARTER_WAREHOUSE } from '../fixtures/seed';

const catalog = loadBuiltinCatalog();
const noop = { deliverSecretOnce: (): void => undefined };

test('inspect shows the principal, tokens (no value), grants and permissions; drift is repaired back to the profile', async () => {
  const env = await startEnv();
  try {
    const p = catalog.require('hightouch');
    const choices: ConnectChoices = { catalog: 'analytics', schemas: ['marketing'], warehouse: { kind: 'existing', id: STARTER_WAREHOUSE } };
    const res = await connect(env.ctx, p, choices, noop);
    const app = res.record.servicePrincipal?.applicationId ?? '';
    const wanted = grantsOf(env.emu.state, app);
    let ins = await inspectConnection(env.client, p);
    assert.equal(ins.servicePrincipal?.displayName, 'HIGHTOUCH_USER');
    assert.equal(ins.servicePrincipal?.applicationId, app);
    assert.deepEqual(ins.servicePrincipal?.entitlements, ['databricks-sql-access']);
    assert.equal(ins.tokens.length, 1);
    assert.deepEqual(Object.keys(ins.tokens[0]).sort(), ['comment', 'createdAt', 'createdBy', 'expiry', 'ownerId', 'tokenId']);
    assert.ok(Date.parse(ins.tokens[0].expiry) - Date.now() > 729 * 86_400_000, 'a new token expires (730 days)');
    assert.deepEqual(ins.credentials.map((c) => [c.kind, c.id]), [['pat', res.record.tokenId]]);
    assert.equal(ins.tokenPermission, 'CAN_USE');
    assert.equal(ins.warehousePermission, 'CAN_USE');
    assert.deepEqual(ins.ucGrants, [
      { securableType: 'catalog', fullName: 'analytics', privileges: ['USE_CATALOG'] },
      { securableType: 'schema', fullName: 'analytics.marketing', privileges: ['SELECT', 'USE_SCHEMA'] },
    ]);
    assert.equal(ins.drift.inSync, true);
    assert.deepEqual(ins.drift.repair, []);

    // drift: an entitlement added, a grant revoked, an extra privilege
    await env.client.patchServicePrincipal(res.record.servicePrincipal?.id ?? '', [{ op: 'add', path: 'entitlements', value: [{ value: 'allow-cluster-create' }] }]);
    await env.client.updateGrants('catalog', 'analytics', [{ principal: app, remove: ['USE_CATALOG'], add: ['CREATE_SCHEMA'] }]);
    ins = await inspectConnection(env.client, p);
    assert.equal(ins.drift.inSync, false);
    assert.deepEqual(ins.drift.repair, [
      { type: 'removeEntitlement', entitlement: 'allow-cluster-create' },
      { type: 'ucGrant', securableType: 'catalog', fullName: 'analytics', privileges: ['USE_CATALOG'] },
      { type: 'ucRevoke', securableType: 'catalog', fullName: 'analytics', privileges: ['CREATE_SCHEMA'] },
    ]);
    assert.ok(ins.drift.repairDescription.some((d) => /Revoke CREATE SCHEMA on the catalog analytics/.test(d)));
    const r = await applyRepair(env.client, ins);
    assert.equal(r.applied.length, 3);
    assert.deepEqual(grantsOf(env.emu.state, app), wanted);
    assert.deepEqual([...(env.emu.state.servicePrincipals.get(res.record.servicePrincipal?.id ?? '')?.entitlements ?? [])], ['databricks-sql-access']);
    assert.equal((await inspectConnection(env.client, p)).drift.inSync, true);
  } finally {
    await env.close();
  }
});

test('Hive drift is read with SHOW GRANTS and repaired with GRANT / REVOKE', async () => {
  const env = await startEnv({ seed: seedPath('hive-only.json') });
  try {
    const p = catalog.require('superannotate');
    const res = await connect(env.ctx, p, { catalog: 'hive_metastore', schemas: ['marketing', 'finance'], warehouse: { kind: 'existing', id: '1a2b3c4d5e6f7a8b' } }, noop);
    const app = res.record.servicePrincipal?.applicationId ?? '';
    const wanted = grantsOf(env.emu.state, app);
    await env.client.executeStatement({ warehouseId: '1a2b3c4d5e6f7a8b', statement: `REVOKE SELECT ON SCHEMA hive_metastore.finance FROM \`${app}\`` });
    await env.client.executeStatement({ warehouseId: '1a2b3c4d5e6f7a8b', statement: `GRANT MODIFY ON SCHEMA hive_metastore.marketing TO \`${app}\`` });
    const snap = await detectConnectionStates(env.client, catalog);
    const st = snap.partners.find((x) => x.partnerId === 'superannotate');
    assert.equal(st?.state, 'degraded');
    assert.deepEqual(st?.reasons.map((x) => x.code), ['grants-differ']);
    const ins = await inspectConnection(env.client, p);
    assert.deepEqual(
      ins.drift.repair.map((o) => (o.type === 'hiveGrant' || o.type === 'hiveRevoke' ? o.statement : o.type)),
      [`GRANT SELECT ON SCHEMA \`hive_metastore\`.\`finance\` TO \`${app}\``, `REVOKE MODIFY ON SCHEMA \`hive_metastore\`.\`marketing\` FROM \`${app}\``],
    );
    await applyRepair(env.client, ins);
    assert.deepEqual(grantsOf(env.emu.state, app), wanted);
  } finally {
    await env.close();
  }
});

test('disconnect previews list exactly what is deleted; service-principal-only keeps the check mark and compute, reset removes the rest', async () => {
  const env = await startEnv();
  try {
    const before = snapshot(env.emu.state);
    const p = catalog.require('dataiku');
    const res = await connect(env.ctx, p, { catalog: 'analytics', schemas: ['marketing'], warehouse: { kind: 'create', name: 'DATAIKU_ENDPOINT' } }, noop);
    const spId = res.record.servicePrincipal?.id ?? '';
    const whId = res.record.compute?.id ?? '';
    const spOnly = await previewDisconnect(env.client, p, 'service-principal-only');
    // Unity Catalog grants are revoked before the principal goes (with identity federation they would survive it)
    assert.deepEqual(spOnly.items.map((i) => [i.kind, i.id, i.permanent]), [
      ['uc-grant', 'catalog:analytics', true],
      ['uc-grant', 'schema:analytics.marketing', true],
      ['token', res.record.tokenId, true],
      ['service-principal', spId, true],
    ]);
    assert.ok(spOnly.keeps.some((k) => /check mark/.test(k)));
    const reset = await previewDisconnect(env.client, p, 'reset');
    assert.deepEqual(reset.items.map((i) => [i.kind, i.id]), [
      ['warehouse', whId],
      ['uc-grant', 'catalog:analytics'],
      ['uc-grant', 'schema:analytics.marketing'],
      ['token', res.record.tokenId],
      ['service-principal', spId],
      ['record', '/.partner-connect/dataiku.json'],
    ]);

    await disconnect(env.ctx, p, 'service-principal-only');
    assert.equal(env.emu.state.servicePrincipals.has(spId), false);
    assert.ok(env.emu.state.warehouses.has(whId), 'compute stays');
    const snap = await detectConnectionStates(env.client, catalog);
    assert.equal(snap.partners.find((x) => x.partnerId === 'dataiku')?.state, 'check-mark-only');
    // idempotent: again, nothing left to delete for the service principal
    const again = await disconnect(env.ctx, p, 'service-principal-only');
    assert.deepEqual(again.deleted, []);
    // reset the rest
    const out = await disconnect(env.ctx, p, 'reset');
    assert.deepEqual(out.deleted.map((i) => i.kind), ['warehouse', 'record']);
    assert.deepEqual(snapshot(env.emu.state), before);
    // and a reset of a principal made outside the extension deletes just it
    const outside = await previewDisconnect(env.client, catalog.require('hex'), 'reset');
    assert.deepEqual(outside.items.map((i) => i.kind), ['token', 'service-principal']);
  } finally {
    await env.close();
  }
});

test('orphans: partner warehouses without a principal, and their clean-up; principals without a record are "connected outside", listed apart', async () => {
  const env = await startEnv();
  try {
    // the demo seed: DBT_CLOUD_USER and HEX_USER without records (connected outside); DBT_CLOUD_ENDPOINT belongs to DBT_CLOUD_USER
    let report = await findOrphans(env.client, catalog);
    assert.deepEqual(report.orphans, []);
    assert.deepEqual(report.connectedOutside.map((c) => c.partner.id).sort(), ['dbt-cloud', 'hex']);
    // a connected partner is no orphan; a warehouse whose principal is gone is
    await connect(env.ctx, catalog.require('dataiku'), { catalog: 'analytics', schemas: ['marketing'], warehouse: { kind: 'create', name: 'DATAIKU_ENDPOINT' } }, noop);
    const dbt = [...env.emu.state.servicePrincipals.values()].find((s) => s.displayName === 'DBT_CLOUD_USER');
    assert.ok(dbt);
    await env.client.deleteServicePrincipal(dbt.id);
    // a second DATAIKU_USER beside the one the record names is an orphan (a real one)
    const recorded = [...env.emu.state.servicePrincipals.values()].find((s) => s.displayName === 'DATAIKU_USER');
    assert.ok(recorded);
    const duplicate = await env.client.createServicePrincipal({ displayName: 'DATAIKU_USER', entitlements: [] });
    report = await findOrphans(env.client, catalog);
    assert.deepEqual(report.orphans.map((o) => `${o.kind}:${o.partner.id}`).sort(), ['service-principal-without-record:dataiku', 'warehouse-without-principal:dbt-cloud']);
    assert.deepEqual(report.cleanup.map((c) => [c.kind, c.name, c.id]).sort(), [
      ['delete-service-principal', 'DATAIKU_USER', duplicate.id],
      ['delete-warehouse', 'DBT_CLOUD_ENDPOINT', report.cleanup.find((c) => c.kind === 'delete-warehouse')?.id],
    ]);
    assert.deepEqual(report.connectedOutside.map((c) => c.partner.id), ['hex']);
    assert.match(report.connectedOutside[0].explanation, /connected outside this extension/);
    assert.ok(!report.cleanup.some((c) => c.id === report.connectedOutside[0].servicePrincipal.id), 'a connected-outside principal is offered for deletion');
    const out = await cleanUpOrphans(env.client, report.cleanup);
    assert.equal(out.done.length, 2);
    assert.ok(env.emu.state.servicePrincipals.has(recorded.id), 'the recorded DATAIKU_USER is kept');
    const again = await cleanUpOrphans(env.client, report.cleanup);
    assert.equal(again.alreadyGone.length, 2, 'idempotent');
    assert.deepEqual((await findOrphans(env.client, catalog)).orphans, []);
  } finally {
    await env.close();
  }
});

test('rotate a token: the new one is handed off once, recorded, and the old one deleted', async () => {
  const env = await startEnv();
  try {
    const p = catalog.require('census');
    const got: string[] = [];
    const res = await connect(env.ctx, p, { catalog: 'analytics', schemas: ['marketing'], warehouse: { kind: 'existing', id: STARTER_WAREHOUSE } }, { deliverSecretOnce: (v) => void got.push(v) });
    const rot = await rotateToken(env.ctx, p, { deliverSecretOnce: (v) => void got.push(v) });
    assert.equal(got.length, 2);
    assert.notEqual(got[0], got[1]);
    assert.deepEqual(rot.deletedTokenIds, [res.record.tokenId]);
    assert.equal(env.emu.state.tokens.has(res.record.tokenId ?? ''), false);
    assert.ok(env.emu.state.tokens.has(rot.newTokenId));
    const snap = await detectConnectionStates(env.client, catalog);
    const st = snap.partners.find((x) => x.partnerId === 'census');
    assert.equal(st?.state, 'connected');
    assert.equal(st?.record?.tokenId, rot.newTokenId);
    // a failing hand-off keeps the old token and removes the new one
    const tokensBefore = [...env.emu.state.tokens.keys()].sort();
    await assert.rejects(rotateToken(env.ctx, p, { deliverSecretOnce: () => { throw new Error('clipboard unavailable'); } }), /clipboard unavailable/);
    assert.deepEqual([...env.emu.state.tokens.keys()].sort(), tokensBefore);
  } finally {
    await env.close();
  }
});
