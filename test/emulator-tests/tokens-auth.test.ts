import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useEmulator } from '../fixtures/emulator';
import { call } from '../fixtures/http';
import { CI_APP, DBT_APP, HEX_APP, METASTORE_ADMIN, SCIM, STARTER_WAREHOUSE, USER } from '../fixtures/seed';

const emu = useEmulator({ oauthTokenTtlSeconds: 120 });

describe('authentication', () => {
  it('missing, malformed and unknown tokens answer 401 with the standard error body', async () => {
    for (const headers of [{} as Record<string, string>, { authorization: 'Basic abc' }, { authorization: 'Bearer dapi-not-a-token' }]) {
      const r = await call(emu, 'GET', `${SCIM}/Me`, { token: null, headers });
      assert.equal(r.status, 401);
      assert.equal(r.body.error_code, 'UNAUTHENTICATED');
      assert.equal(typeof r.body.message, 'string');
      assert.equal(r.body.details[0].request_id, r.headers.get('x-request-id'));
    }
  });
  it('an expired token answers 401; an inactive principal cannot authenticate', async () => {
    const sp = emu.state.findSpByApplicationId(DBT_APP)!;
    const admin = emu.state.findUser('ava.admin@acme.example')!;
    const { value } = emu.state.issueToken({ owner: sp, createdBy: admin, expiryTime: Date.now() - 1000 });
    assert.equal((await call(emu, 'GET', `${SCIM}/Me`, { token: value })).status, 401);
    const { value: live } = emu.state.issueToken({ owner: sp, createdBy: admin });
    assert.equal((await call(emu, 'GET', `${SCIM}/Me`, { token: live })).status, 200);
    sp.active = false;
    assert.equal((await call(emu, 'GET', `${SCIM}/Me`, { token: live })).status, 401);
  });
  it('non-admins get 403 PERMISSION_DENIED on admin-only APIs', async () => {
    const tok = emu.tokenFor(USER);
    for (const [m, p] of [
      ['GET', '/api/2.0/token-management/tokens'],
      ['GET', '/api/2.0/permissions/authorization/tokens'],
      ['POST', '/api/2.0/token-management/on-behalf-of/tokens'],
    ] as const) {
      const r = await call(emu, m, p, { token: tok, body: m === 'POST' ? { application_id: DBT_APP } : undefined });
      assert.equal(r.status, 403, `${m} ${p}`);
      assert.equal(r.body.error_code, 'PERMISSION_DENIED');
    }
  });
  it('unknown routes answer 404 ENDPOINT_NOT_FOUND; bad JSON answers 400', async () => {
    const r = await call(emu, 'GET', '/api/2.0/nope');
    assert.equal(r.status, 404);
    assert.equal(r.body.error_code, 'ENDPOINT_NOT_FOUND');
    const b = await call(emu, 'POST', '/api/2.0/sql/warehouses', { rawBody: '{not json', headers: { 'content-type': 'application/json' } });
    assert.equal(b.status, 400);
    assert.equal(b.body.error_code, 'MALFORMED_REQUEST');
  });
});

describe('OAuth M2M', () => {
  it('client_credentials with HTTP Basic → bearer token that authenticates as the service principal', async () => {
    const basic = Buffer.from(`${CI_APP}:demo-oauth-secret-ci-deployer`).toString('base64');
    const r = await call(emu, 'POST', '/oidc/v1/token', {
      token: null,
      rawBody: 'grant_type=client_credentials&scope=all-apis',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.token_type, 'Bearer');
    assert.equal(r.body.expires_in, 120);
    const me = await call(emu, 'GET', `${SCIM}/Me`, { token: r.body.access_token });
    assert.equal(me.status, 200);
    assert.equal(me.body.userName, CI_APP);
    assert.equal(emu.requests.at(-1)?.auth, CI_APP);
    // the log never holds the secret
    assert.equal(JSON.stringify(emu.requests).includes('demo-oauth-secret'), false);
    // expiry: tokens past their TTL are refused
    for (const o of emu.state.oauthTokens.values()) o.expiresAt = Date.now() - 1;
    assert.equal((await call(emu, 'GET', `${SCIM}/Me`, { token: r.body.access_token })).status, 401);
  });
  it('a wrong secret is invalid_client (401); a wrong grant type is 400', async () => {
    const basic = Buffer.from(`${CI_APP}:wrong-secret`).toString('base64');
    const r = await call(emu, 'POST', '/oidc/v1/token', {
      token: null,
      rawBody: 'grant_type=client_credentials',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(r.status, 401);
    assert.equal(r.body.error, 'invalid_client');
    const g = await call(emu, 'POST', '/oidc/v1/token', {
      token: null,
      rawBody: `grant_type=password&client_id=${CI_APP}&client_secret=demo-oauth-secret-ci-deployer`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(g.status, 400);
    assert.equal(g.body.error, 'unsupported_grant_type');
  });
});

describe('tokens', () => {
  it('OBO token: an omitted lifetime gets the cap (never "never"), listed with filters, authenticates as the SP, deletable', async () => {
    const r = await call(emu, 'POST', '/api/2.0/token-management/on-behalf-of/tokens', { body: { application_id: DBT_APP, comment: 'Partner Connect: dbt (test)' } });
    assert.equal(r.status, 200, r.text);
    assert.equal(typeof r.body.token_value, 'string');
    assert.equal(r.body.token_info.expiry_time - r.body.token_info.creation_time, 730 * 86_400_000);
    assert.match(r.body.token_info.token_id, /^[0-9a-f]+$/);
    assert.equal(r.body.token_info.created_by_username, 'ava.admin@acme.example');
    assert.equal(String(r.body.token_info.owner_id), '4000000000000201');
    const me = await call(emu, 'GET', `${SCIM}/Me`, { token: r.body.token_value });
    assert.equal(me.body.userName, DBT_APP);
    const listed = await call(emu, 'GET', '/api/2.0/token-management/tokens', { query: { created_by_username: 'ava.admin@acme.example' } });
    assert.ok(listed.body.token_infos.some((t: { token_id: string }) => t.token_id === r.body.token_info.token_id));
    const none = await call(emu, 'GET', '/api/2.0/token-management/tokens', { query: { created_by_id: '1' } });
    assert.equal(none.status, 200);
    assert.equal('token_infos' in none.body, false, 'token_infos is absent when empty');
    const del = await call(emu, 'DELETE', `/api/2.0/token-management/tokens/${r.body.token_info.token_id}`);
    assert.equal(del.status, 200);
    assert.equal((await call(emu, 'GET', `${SCIM}/Me`, { token: r.body.token_value })).status, 401);
    const again = await call(emu, 'DELETE', `/api/2.0/token-management/tokens/${r.body.token_info.token_id}`);
    assert.equal(again.status, 404);
    assert.equal(again.body.error_code, 'RESOURCE_DOES_NOT_EXIST');
  });
  it('OBO token with lifetime_seconds expires', async () => {
    const r = await call(emu, 'POST', '/api/2.0/token-management/on-behalf-of/tokens', { body: { application_id: HEX_APP, comment: 'x', lifetime_seconds: 3600 } });
    assert.equal(r.status, 200);
    assert.equal(r.body.token_info.expiry_time - r.body.token_info.creation_time, 3_600_000);
  });
  it('OBO token requires an existing SP that may use tokens', async () => {
    const missing = await call(emu, 'POST', '/api/2.0/token-management/on-behalf-of/tokens', { body: { application_id: '00000000-0000-4000-8000-000000000000' } });
    assert.equal(missing.status, 404);
    const sp = emu.state.addServicePrincipal({ displayName: 'NO_TOKEN_USE' });
    const denied = await call(emu, 'POST', '/api/2.0/token-management/on-behalf-of/tokens', { body: { application_id: sp.applicationId } });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error_code, 'PERMISSION_DENIED');
    const grant = await call(emu, 'PATCH', '/api/2.0/permissions/authorization/tokens', {
      body: { access_control_list: [{ service_principal_name: sp.applicationId, permission_level: 'CAN_USE' }] },
    });
    assert.equal(grant.status, 200);
    const ok = await call(emu, 'POST', '/api/2.0/token-management/on-behalf-of/tokens', { body: { application_id: sp.applicationId } });
    assert.equal(ok.status, 200);
    emu.state.options.oboTokensEnabled = false;
    const off = await call(emu, 'POST', '/api/2.0/token-management/on-behalf-of/tokens', { body: { application_id: sp.applicationId } });
    assert.equal(off.status, 400);
    assert.match(off.body.message, /not enabled/);
  });
  it('token ACL: PATCH adds, PUT replaces, admins CAN_MANAGE always present, unknown principals rejected', async () => {
    const get = await call(emu, 'GET', '/api/2.0/permissions/authorization/tokens');
    assert.equal(get.body.object_id, '/authorization/tokens');
    assert.deepEqual(get.body.access_control_list[0], { group_name: 'admins', all_permissions: [{ permission_level: 'CAN_MANAGE', inherited: false }] });
    assert.equal(get.body.access_control_list.length, 3);
    const patched = await call(emu, 'PATCH', '/api/2.0/permissions/authorization/tokens', {
      body: { access_control_list: [{ user_name: USER, permission_level: 'CAN_USE' }] },
    });
    assert.equal(patched.body.access_control_list.length, 4);
    const put = await call(emu, 'PUT', '/api/2.0/permissions/authorization/tokens', {
      body: { access_control_list: [{ user_name: METASTORE_ADMIN, permission_level: 'CAN_USE' }] },
    });
    assert.equal(put.status, 200);
    assert.deepEqual(
      put.body.access_control_list.map((e: { user_name?: string; group_name?: string }) => e.user_name ?? e.group_name),
      ['admins', METASTORE_ADMIN],
    );
    const bad = await call(emu, 'PATCH', '/api/2.0/permissions/authorization/tokens', {
      body: { access_control_list: [{ service_principal_name: 'DBT_CLOUD_USER', permission_level: 'CAN_USE' }] },
    });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /ServicePrincipalName\(DBT_CLOUD_USER\) does not exist/);
  });
});

describe('cascade delete of a service principal', () => {
  it('removes its tokens, token ACL entry, warehouse ACL entries, UC grants (without identity federation) and hive grants', async () => {
    const st = emu.state;
    st.options.identityFederation = false;
    // give DBT a hive grant too
    const r = await call(emu, 'POST', '/api/2.0/sql/statements', {
      body: { warehouse_id: STARTER_WAREHOUSE, statement: `GRANT USAGE, CREATE ON CATALOG hive_metastore TO \`${DBT_APP}\`` },
    });
    assert.equal(r.body.status.state, 'SUCCEEDED', r.text);
    assert.ok([...st.tokens.values()].some((t) => t.ownerId === '4000000000000201'));
    assert.ok(st.hiveGrantMap('CATALOG').has(DBT_APP));
    const d = await call(emu, 'DELETE', `${SCIM}/ServicePrincipals/4000000000000201`);
    assert.equal(d.status, 204);
    assert.equal([...st.tokens.values()].some((t) => t.ownerId === '4000000000000201'), false);
    assert.equal(st.tokenAcl.some((e) => e.name === DBT_APP), false);
    assert.equal([...st.warehouses.values()].some((w) => w.acl.some((e) => e.name === DBT_APP)), false);
    assert.equal(st.ucGrantMap('catalog', 'analytics').has(DBT_APP), false);
    assert.equal(st.hiveGrantMap('CATALOG').has(DBT_APP), false);
    const tokens = await call(emu, 'GET', '/api/2.0/token-management/tokens');
    assert.equal(tokens.body.token_infos.some((t: { comment: string }) => t.comment === 'Partner Connect: dbt Cloud'), false);
  });
});
