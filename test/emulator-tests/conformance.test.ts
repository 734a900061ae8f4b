/**
 * Faithfulness: what the emulator returns parses with the client's schemas and carries the fields
 * of the bodies Databricks' own test suites recorded (reference material `databricks-api-examples/`, see
 * test/fixtures/reference.ts; those comparisons skip with the reason when it is absent).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { z } from 'zod';
import * as S from '../../src/client/schemas';
import { useEmulator } from '../fixtures/emulator';
import { reference } from '../fixtures/reference';
import { call } from '../fixtures/http';
import { DBT_APP, SCIM, STARTER_WAREHOUSE } from '../fixtures/seed';

/** REST bodies recorded by Databricks' test suites (reference material: the tests using them skip without it). */
const examples = reference('databricks-api-examples');
const recorded = { skip: examples.skip };
function example(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(resolve(examples.path, name), 'utf8')) as Record<string, unknown>;
}

/** Every key of `recorded` exists in `actual`, recursively for objects and the first element of arrays. */
function assertCarriesFields(actual: unknown, recorded: unknown, where: string): void {
  if (Array.isArray(recorded)) {
    assert.ok(Array.isArray(actual), `${where}: expected an array`);
    if (recorded.length > 0 && typeof recorded[0] === 'object' && recorded[0] !== null) {
      assert.ok(actual.length > 0, `${where}: expected a non-empty array`);
      // each recorded element's keys must exist in some emulated element (entries vary: user/group)
      for (const rec of recorded) {
        const keys = Object.keys(rec as object);
        const candidates = actual.filter((a: unknown) => a && typeof a === 'object' && keys.every((k) => k in (a as object)));
        // prefer the element whose scalar values equal the recorded ones (e.g. group_name "admins")
        const sameScalars = (a: Record<string, unknown>): boolean =>
          Object.entries(rec as Record<string, unknown>).every(([k, v]) => v === null || typeof v === 'object' || a[k] === v);
        const match = candidates.find((a: Record<string, unknown>) => sameScalars(a)) ?? candidates[0];
        assert.ok(match, `${where}[]: no element carries ${keys.join(', ')}`);
        assertCarriesFields(match, rec, `${where}[]`);
      }
    }
    return;
  }
  if (recorded && typeof recorded === 'object') {
    assert.ok(actual && typeof actual === 'object' && !Array.isArray(actual), `${where}: expected an object`);
    for (const [k, v] of Object.entries(recorded)) {
      assert.ok(k in (actual as object), `${where}: missing field ${k}`);
      const a: unknown = (actual as Record<string, unknown>)[k];
      if (v !== null && typeof v === 'object' && Object.keys(v).length > 0) assertCarriesFields(a, v, `${where}.${k}`);
      else if (v !== null) assert.equal(typeof a, typeof v, `${where}.${k}: type ${typeof a} vs recorded ${typeof v}`);
    }
  }
}

function parses<T extends z.ZodTypeAny>(schema: T, body: unknown, where: string): z.output<T> {
  const r = schema.safeParse(body);
  assert.ok(r.success, `${where} does not parse with the client schema: ${r.success ? '' : r.error.message}`);
  return r.data;
}

const emu = useEmulator({ reset: false });

describe('conformance with recorded Databricks bodies', () => {
  it('GET /permissions/authorization/tokens', recorded, async () => {
    const r = await call(emu, 'GET', '/api/2.0/permissions/authorization/tokens');
    parses(S.ObjectPermissions, r.body, 'token permissions');
    assertCarriesFields(r.body, example('permissions-authorization-tokens-get.json'), 'tokens acl');
  });
  it('GET /permissions/warehouses/{id}', recorded, async () => {
    const id = STARTER_WAREHOUSE;
    const r = await call(emu, 'GET', `/api/2.0/permissions/warehouses/${id}`);
    const rec = example('permissions-warehouses-get.json');
    // the recorded user entry is a plain CAN_MANAGE user: give the emulated warehouse one too
    emu.state.warehouses.get(id)!.acl.push({ kind: 'user', name: 'mia.meta@acme.example', level: 'CAN_MANAGE' });
    const r2 = await call(emu, 'GET', `/api/2.0/permissions/warehouses/${id}`);
    parses(S.ObjectPermissions, r.body, 'warehouse permissions');
    assert.equal(r2.body.object_id, rec.object_id);
    assertCarriesFields(r2.body, rec, 'warehouse acl');
  });
  it('SCIM 404 error', recorded, async () => {
    const r = await call(emu, 'GET', `${SCIM}/Groups/1234`);
    parses(S.ScimErrorBody, r.body, 'scim error');
    assert.deepEqual(r.body, example('scim-error-404-group-not-found.json'));
  });
  it('GET /sql/endpoints (legacy)', recorded, async () => {
    const r = await call(emu, 'GET', '/api/2.0/sql/endpoints');
    assertCarriesFields(r.body, example('sql-endpoints-list-legacy.json'), 'endpoints');
    for (const e of r.body.endpoints) parses(S.Warehouse, e, 'endpoint');
  });
  it('GET /sql/warehouses/{id} and the list', recorded, async () => {
    const r = await call(emu, 'GET', '/api/2.0/sql/warehouses/f562046bc1272886');
    const rec = example('sql-warehouses-get.json');
    assertCarriesFields(r.body, rec, 'warehouse');
    assert.equal(parses(S.Warehouse, r.body, 'warehouse').id, rec.id);
    const l = await call(emu, 'GET', '/api/2.0/sql/warehouses');
    assert.equal(parses(S.ListWarehousesResponse, l.body, 'warehouse list').warehouses.length, 3);
  });
  it('UC permissions GET and PATCH with the recorded request', recorded, async () => {
    const r = await call(emu, 'GET', '/api/2.1/unity-catalog/permissions/catalog/analytics');
    parses(S.PermissionsList, r.body, 'uc permissions');
    assertCarriesFields(r.body, example('uc-permissions-get-catalog.json'), 'uc permissions');
    const req = example('uc-permissions-patch-request.json') as { changes: { principal: string }[] };
    req.changes[0].principal = 'noah.user@acme.example';
    const p = await call(emu, 'PATCH', '/api/2.1/unity-catalog/permissions/catalog/analytics', { body: req });
    assert.equal(p.status, 200, p.text);
    const after2 = parses(S.PermissionsList, p.body, 'uc permissions patch');
    assert.deepEqual(after2.privilege_assignments.find((a) => a.principal === 'noah.user@acme.example')?.privileges, ['CREATE_SCHEMA', 'USE_CATALOG']);
  });
  it('every other response parses with the client schemas', async () => {
    const checks: [string, string, z.ZodTypeAny, Record<string, string>?][] = [
      ['GET', `${SCIM}/Me`, S.ScimUser],
      ['GET', `${SCIM}/ServicePrincipals`, S.scimListResponse(S.ServicePrincipal)],
      ['GET', `${SCIM}/ServicePrincipals/4000000000000201`, S.ServicePrincipal],
      ['GET', `${SCIM}/Groups`, S.scimListResponse(S.ScimGroup)],
      ['GET', '/api/2.0/token-management/tokens', S.ListTokensResponse],
      ['GET', '/api/2.1/unity-catalog/catalogs', S.ListCatalogsResponse],
      ['GET', '/api/2.1/unity-catalog/schemas', S.ListSchemasResponse, { catalog_name: 'analytics' }],
      ['GET', '/api/2.1/unity-catalog/current-metastore-assignment', S.MetastoreAssignment],
      ['GET', '/api/2.1/unity-catalog/metastore_summary', S.MetastoreSummary],
      ['GET', '/api/2.0/settings/types/default_namespace_ws/names/default', S.DefaultNamespaceSetting],
      ['GET', '/api/2.0/workspace/list', S.WorkspaceListResponse, { path: '/Shared' }],
      ['GET', '/api/2.0/workspace/get-status', S.WorkspaceObjectInfo, { path: '/Shared/README.txt' }],
      ['GET', '/api/2.0/workspace/export', S.WorkspaceExportResponse, { path: '/Shared/README.txt', format: 'SOURCE' }],
      ['GET', '/api/2.0/sql/warehouses/not-there', S.StandardErrorBody],
    ];
    for (const [m, p, schema, query] of checks) {
      const r = await call(emu, m, p, { query });
      parses(schema, r.body, `${m} ${p}`);
    }
    const obo = await call(emu, 'POST', '/api/2.0/token-management/on-behalf-of/tokens', { body: { application_id: DBT_APP, comment: 'c' } });
    const created = parses(S.CreatedToken, obo.body, 'obo token');
    assert.equal(created.token_info.owner_id, '4000000000000201', 'numeric ids normalise to strings');
    const wh = await call(emu, 'POST', '/api/2.0/sql/warehouses', { body: { name: 'conf', cluster_size: 'Small' } });
    parses(S.CreateWarehouseResponse, wh.body, 'create warehouse');
    const st = await call(emu, 'POST', '/api/2.0/sql/statements', { body: { warehouse_id: STARTER_WAREHOUSE, statement: 'SHOW GRANTS ON CATALOG hive_metastore' } });
    parses(S.StatementResult, st.body, 'statement');
    const failed = await call(emu, 'POST', '/api/2.0/sql/statements', { body: { warehouse_id: STARTER_WAREHOUSE, statement: 'NOPE' } });
    assert.equal(parses(S.StatementResult, failed.body, 'failed statement').status.state, 'FAILED');
    const oauth = await call(emu, 'POST', '/oidc/v1/token', {
      token: null,
      rawBody: 'grant_type=client_credentials&scope=all-apis',
      headers: {
        authorization: `Basic ${Buffer.from('9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d:demo-oauth-secret-ci-deployer').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
    });
    parses(S.OAuthTokenResponse, oauth.body, 'oauth token');
  });
});
