/**
 * Schemas created and dropped (the conformance suite's fixtures): UC REST POST/DELETE /schemas with
 * their permission rules, SQL CREATE/DROP SCHEMA for Hive databases, and the revoke of a deleted
 * principal's surviving UC grants (identity federation).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useEmulator } from '../fixtures/emulator';
import { call } from '../fixtures/http';
import { SCIM, STARTER_WAREHOUSE, USER } from '../fixtures/seed';

const WH = STARTER_WAREHOUSE;
const emu = useEmulator({ reset: false });

async function sql(statement: string, token?: string): Promise<{ state: string; message?: string }> {
  const r = await call(emu, 'POST', '/api/2.0/sql/statements', { body: { warehouse_id: WH, statement }, token });
  assert.equal(r.status, 200, r.text);
  return { state: r.body.status.state, message: r.body.status.error?.message };
}

describe('schemas created and dropped', () => {
  it('UC: POST /schemas by the catalog owner, listed, grants dropped with it by DELETE', async () => {
    const c = await call(emu, 'POST', '/api/2.1/unity-catalog/schemas', { body: { name: 'pc_tmp', catalog_name: 'analytics', comment: 'tmp' } });
    assert.equal(c.status, 200, c.text);
    assert.equal(c.body.full_name, 'analytics.pc_tmp');
    assert.equal(c.body.owner, 'ava.admin@acme.example');
    const again = await call(emu, 'POST', '/api/2.1/unity-catalog/schemas', { body: { name: 'pc_tmp', catalog_name: 'analytics' } });
    assert.equal(again.status, 409);
    assert.equal(again.body.error_code, 'SCHEMA_ALREADY_EXISTS');
    const g = await call(emu, 'PATCH', '/api/2.1/unity-catalog/permissions/schema/analytics.pc_tmp', { body: { changes: [{ principal: 'analysts', add: ['USE_SCHEMA'] }] } });
    assert.equal(g.status, 200, g.text);
    const list = await call(emu, 'GET', '/api/2.1/unity-catalog/schemas', { query: { catalog_name: 'analytics' } });
    assert.ok(list.body.schemas.some((s: { name: string }) => s.name === 'pc_tmp'));
    const d = await call(emu, 'DELETE', '/api/2.1/unity-catalog/schemas/analytics.pc_tmp', { query: { force: 'true' } });
    assert.equal(d.status, 200, d.text);
    assert.equal(emu.state.ucGrants.has('schema:analytics.pc_tmp'), false, 'its grants are gone');
    assert.equal((await call(emu, 'DELETE', '/api/2.1/unity-catalog/schemas/analytics.pc_tmp')).status, 404);
  });
  it('UC: a non-owner without CREATE_SCHEMA is refused', async () => {
    const r = await call(emu, 'POST', '/api/2.1/unity-catalog/schemas', { body: { name: 'x', catalog_name: 'sales' }, token: emu.tokenFor(USER) });
    assert.equal(r.status, 403);
    assert.equal(r.body.error_code, 'PERMISSION_DENIED');
  });
  it('Hive: CREATE SCHEMA / DROP SCHEMA IF EXISTS, admins only', async () => {
    assert.equal((await sql('CREATE SCHEMA `hive_metastore`.`pc_tmp`')).state, 'SUCCEEDED');
    assert.equal(emu.state.hiveSchemas.get('pc_tmp')?.owner, 'ava.admin@acme.example');
    assert.match((await sql('CREATE SCHEMA hive_metastore.pc_tmp')).message ?? '', /SCHEMA_ALREADY_EXISTS/);
    assert.equal((await sql('CREATE SCHEMA IF NOT EXISTS hive_metastore.pc_tmp')).state, 'SUCCEEDED');
    assert.equal((await sql('GRANT USAGE ON SCHEMA hive_metastore.pc_tmp TO `users`')).state, 'SUCCEEDED');
    assert.match((await sql('DROP SCHEMA hive_metastore.pc_tmp', emu.tokenFor(USER))).message ?? '', /INSUFFICIENT_PERMISSIONS|PERMISSION/);
    assert.equal((await sql('DROP SCHEMA hive_metastore.pc_tmp CASCADE')).state, 'SUCCEEDED');
    assert.equal(emu.state.hiveGrants.has('SCHEMA pc_tmp'), false);
    assert.equal((await sql('DROP SCHEMA IF EXISTS hive_metastore.pc_tmp')).state, 'SUCCEEDED');
    assert.match((await sql('DROP SCHEMA hive_metastore.pc_tmp')).message ?? '', /SCHEMA_NOT_FOUND/);
  });
  it('a deleted principal\'s surviving UC grants can be revoked, not added to', async () => {
    const sp = await call(emu, 'POST', `${SCIM}/ServicePrincipals`, { body: { displayName: 'pc-tmp-sp' } });
    const app = sp.body.applicationId as string;
    const path = '/api/2.1/unity-catalog/permissions/schema/analytics.marketing';
    assert.equal((await call(emu, 'PATCH', path, { body: { changes: [{ principal: app, add: ['USE_SCHEMA', 'SELECT'] }] } })).status, 200);
    assert.equal((await call(emu, 'DELETE', `${SCIM}/ServicePrincipals/${sp.body.id}`)).status, 204);
    const add = await call(emu, 'PATCH', path, { body: { changes: [{ principal: app, add: ['MODIFY'] }] } });
    assert.equal(add.body.error_code, 'PRINCIPAL_DOES_NOT_EXIST');
    const rm = await call(emu, 'PATCH', path, { body: { changes: [{ principal: app, remove: ['USE_SCHEMA', 'SELECT'] }] } });
    assert.equal(rm.status, 200, rm.text);
    assert.equal(emu.state.ucGrants.get('schema:analytics.marketing')?.has(app), false);
  });
});
