/**
 * The emulator follows the real-platform facts about credentials and exact API shapes
 * (../shared/notes/real-platform-facts.md; sources in test/emulator/README.md): the token lifetime
 * cap and its refusal, last_used_day and auto-revocation after 90 days on an advanceable clock, the
 * Azure refusal of on-behalf-of tokens, workspace-level OAuth secrets and the principal's OAuth M2M
 * sign-in with one, the X-Databricks-Org-Id header, READ_METADATA only, serverless availability, the
 * SCIM entitlement removal form, and int64 ids above 2^53 in token lists.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useEmulator } from '../fixtures/emulator';
import { call } from '../fixtures/http';
import { DBT_APP, HEX_APP, SCIM, USER } from '../fixtures/seed';

const OBO = '/api/2.0/token-management/on-behalf-of/tokens';
const DAY = 86_400_000;
const emu = useEmulator();

const spId = (app: string): string => emu.state.findSpByApplicationId(app)?.id ?? '';
const secretsPath = (id: string): string => `/api/2.0/accounts/servicePrincipals/${id}/credentials/secrets`;

describe('token lifetime (maxTokenLifetimeDays)', () => {
  it('workspace-conf answers the setting as a string, null when unset; PATCH sets it', async () => {
    const unset = await call(emu, 'GET', '/api/2.0/workspace-conf', { query: { keys: 'maxTokenLifetimeDays' } });
    assert.equal(unset.status, 200);
    assert.deepEqual(unset.body, { maxTokenLifetimeDays: null });
    assert.equal((await call(emu, 'PATCH', '/api/2.0/workspace-conf', { body: { maxTokenLifetimeDays: '30' } })).status, 204);
    assert.deepEqual((await call(emu, 'GET', '/api/2.0/workspace-conf', { query: { keys: 'maxTokenLifetimeDays' } })).body, { maxTokenLifetimeDays: '30' });
    const user = await call(emu, 'GET', '/api/2.0/workspace-conf', { query: { keys: 'maxTokenLifetimeDays' }, token: emu.tokenFor('noah.user@acme.example') });
    assert.equal(user.status, 403, 'a non-admin is refused by default (undocumented: README)');
    emu.state.options.workspaceConfReadableByUsers = true;
    const readable = await call(emu, 'GET', '/api/2.0/workspace-conf', { query: { keys: 'maxTokenLifetimeDays' }, token: emu.tokenFor('noah.user@acme.example') });
    emu.state.options.workspaceConfReadableByUsers = false;
    assert.deepEqual([readable.status, readable.body], [200, { maxTokenLifetimeDays: '30' }], 'or answered as to an admin');
  });
  it('a token above the cap is refused; at the cap it is created; "never" (0 / -1) is refused', async () => {
    emu.state.options.maxTokenLifetimeDays = 30;
    const over = await call(emu, 'POST', OBO, { body: { application_id: DBT_APP, comment: 'x', lifetime_seconds: 31 * 86_400 } });
    assert.equal(over.status, 400);
    assert.match(over.body.message, /maximum lifetime of 30 days/);
    for (const never of [0, -1]) assert.equal((await call(emu, 'POST', OBO, { body: { application_id: DBT_APP, comment: 'x', lifetime_seconds: never } })).status, 400);
    const ok = await call(emu, 'POST', OBO, { body: { application_id: DBT_APP, comment: 'x', lifetime_seconds: 30 * 86_400 } });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.token_info.expiry_time - ok.body.token_info.creation_time, 30 * DAY);
    emu.state.options.maxTokenLifetimeDays = null;
    assert.equal((await call(emu, 'POST', OBO, { body: { application_id: DBT_APP, comment: 'x', lifetime_seconds: 731 * 86_400 } })).status, 400);
  });
});

describe('last use and automatic revocation (90 days unused)', () => {
  it('a use sets last_used_day; 90 days without use revoke the token; an expired token is refused', async () => {
    const r = await call(emu, 'POST', OBO, { body: { application_id: HEX_APP, comment: 'hex', lifetime_seconds: 200 * 86_400 } });
    const id: string = r.body.token_info.token_id;
    const value: string = r.body.token_value;
    const list = async (): Promise<{ token_id: string; last_used_day?: number }[]> => (await call(emu, 'GET', '/api/2.0/token-management/tokens')).body.token_infos;
    assert.equal((await list()).find((t) => t.token_id === id)?.last_used_day, undefined, 'never used yet');
    assert.equal((await call(emu, 'GET', `${SCIM}/Me`, { token: value })).status, 200);
    const used = (await list()).find((t) => t.token_id === id)?.last_used_day ?? 0;
    assert.equal(used % DAY, 0, 'a day (UTC midnight)');
    assert.ok(Date.now() - used < DAY);
    // 61 days on: still there (the admin keeps using theirs)
    emu.state.advanceClock(61 * DAY);
    assert.ok((await list()).some((t) => t.token_id === id));
    // 30 more days: 91 days unused → revoked
    emu.state.advanceClock(30 * DAY);
    assert.equal((await list()).some((t) => t.token_id === id), false);
    assert.equal((await call(emu, 'GET', `${SCIM}/Me`, { token: value })).status, 401);
  });
  it('an expired token is refused', async () => {
    const r = await call(emu, 'POST', OBO, { body: { application_id: HEX_APP, comment: 'hex', lifetime_seconds: 86_400 } });
    emu.state.advanceClock(2 * DAY);
    const me = await call(emu, 'GET', `${SCIM}/Me`, { token: r.body.token_value });
    assert.equal(me.status, 401);
    assert.match(me.body.message, /expired/);
  });
});

describe('Azure mode and OAuth secrets', () => {
  it('Azure refuses on-behalf-of tokens with the documented message (400)', async () => {
    emu.state.options.cloud = 'azure';
    const r = await call(emu, 'POST', OBO, { body: { application_id: DBT_APP, comment: 'x', lifetime_seconds: 3600 } });
    assert.equal(r.status, 400);
    assert.equal(r.body.message, 'On-behalf-of token creation for service principals is not enabled for this workspace');
  });
  it('a secret is created (value once), listed without value, signs the principal in with OAuth M2M, expires, and is deleted', async () => {
    emu.state.options.cloud = 'azure';
    const id = spId(DBT_APP);
    const c = await call(emu, 'POST', secretsPath(id), { body: { lifetime: `${10 * 86_400}s` } });
    assert.equal(c.status, 200, c.text);
    assert.equal(typeof c.body.secret, 'string');
    assert.equal(Date.parse(c.body.expire_time) - Date.parse(c.body.create_time), 10 * DAY);
    assert.equal(c.body.status, 'ACTIVE');
    const listed = await call(emu, 'GET', secretsPath(id));
    assert.deepEqual(listed.body.secrets.map((x: { id: string }) => x.id), [c.body.id]);
    assert.ok(!listed.text.includes(c.body.secret), 'the value is never listed');
    const form = new URLSearchParams({ grant_type: 'client_credentials', scope: 'all-apis' }).toString();
    const basic = Buffer.from(`${DBT_APP}:${c.body.secret as string}`).toString('base64');
    const tok = await call(emu, 'POST', '/oidc/v1/token', { token: null, rawBody: form, headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` } });
    assert.equal(tok.status, 200, tok.text);
    const me = await call(emu, 'GET', `${SCIM}/Me`, { token: tok.body.access_token });
    assert.equal(me.body.userName, DBT_APP);
    const wrong = Buffer.from(`${DBT_APP}:not-the-secret`).toString('base64');
    assert.equal((await call(emu, 'POST', '/oidc/v1/token', { token: null, rawBody: form, headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${wrong}` } })).status, 401);
    assert.equal((await call(emu, 'POST', secretsPath(id), { body: { lifetime: `${731 * 86_400}s` } })).status, 400, 'at most 730 days');
    const def = await call(emu, 'POST', secretsPath(id), { body: {} });
    assert.equal(Date.parse(def.body.expire_time) - Date.parse(def.body.create_time), 730 * DAY, 'default 730 days');
    assert.equal((await call(emu, 'DELETE', `${secretsPath(id)}/${c.body.id as string}`)).status, 200);
    assert.equal((await call(emu, 'DELETE', `${secretsPath(id)}/${c.body.id as string}`)).status, 404);
    assert.equal((await call(emu, 'POST', '/oidc/v1/token', { token: null, rawBody: form, headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` } })).status, 401, 'a deleted secret no longer signs in');
    assert.equal((await call(emu, 'GET', secretsPath('1'))).status, 404);
  });
});

describe('exact shapes', () => {
  it('every answer carries X-Databricks-Org-Id (the workspace id)', async () => {
    const me = await call(emu, 'GET', `${SCIM}/Me`);
    assert.equal(me.headers.get('x-databricks-org-id'), '1234567890123456');
  });
  it('int64 ids above 2^53 are sent as plain JSON integers, digits intact', async () => {
    const c = await call(emu, 'POST', `${SCIM}/ServicePrincipals`, { body: { displayName: 'BIG_ID_USER', entitlements: [] } });
    const id: string = c.body.id;
    assert.ok(BigInt(id) > 2n ** 53n, id);
    await call(emu, 'PATCH', '/api/2.0/permissions/authorization/tokens', { body: { access_control_list: [{ service_principal_name: c.body.applicationId, permission_level: 'CAN_USE' }] } });
    await call(emu, 'POST', OBO, { body: { application_id: c.body.applicationId, comment: 'big', lifetime_seconds: 3600 } });
    const raw = (await call(emu, 'GET', '/api/2.0/token-management/tokens')).text;
    assert.ok(raw.includes(`"owner_id":${id}`), 'the exact digits, unquoted');
    // JSON.parse would round it: the reason the client parses int64 losslessly
    const rounded = String((JSON.parse(raw) as { token_infos: { owner_id: number }[] }).token_infos.map((t) => t.owner_id).find((x) => x > 2 ** 53));
    assert.notEqual(rounded, id);
  });
  it('the Hive privilege keyword is READ_METADATA; "READ METADATA" is a syntax error', async () => {
    const wh = [...emu.state.warehouses.values()][0];
    const run = async (statement: string): Promise<{ state: string; message?: string }> => {
      const r = await call(emu, 'POST', '/api/2.0/sql/statements', { body: { warehouse_id: wh.id, statement, wait_timeout: '30s' } });
      return { state: r.body.status.state, message: r.body.status.error?.message };
    };
    const bad = await run(`GRANT USAGE, READ METADATA ON SCHEMA \`hive_metastore\`.\`default\` TO \`${HEX_APP}\``);
    assert.equal(bad.state, 'FAILED');
    assert.match(bad.message ?? '', /PARSE_SYNTAX_ERROR/);
    assert.equal((await run(`GRANT USAGE, READ_METADATA ON SCHEMA \`hive_metastore\`.\`default\` TO \`${HEX_APP}\``)).state, 'SUCCEEDED');
  });
  it('entitlements are removed as Terraform sends it; the filter form is refused', async () => {
    const id = spId(DBT_APP);
    const patch = (op: unknown): Promise<{ status: number }> => call(emu, 'PATCH', `${SCIM}/ServicePrincipals/${id}`, { body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [op] } });
    assert.equal((await patch({ op: 'remove', path: 'entitlements[value eq "workspace-access"]' })).status, 400);
    assert.equal((await patch({ op: 'remove', path: 'entitlements', value: [{ value: 'workspace-access' }] })).status, 204);
    assert.equal(emu.state.servicePrincipals.get(id)?.entitlements.has('workspace-access'), false);
  });
  it('serverless warehouses only where available; warehouse types per workspace', async () => {
    const create = (name: string, extra: Record<string, unknown>): Promise<{ status: number; body: { message?: string } }> =>
      call(emu, 'POST', '/api/2.0/sql/warehouses', { body: { name, cluster_size: 'Small', auto_stop_mins: 10, ...extra } });
    assert.equal((await create('S1', { warehouse_type: 'PRO', enable_serverless_compute: true })).status, 200);
    emu.state.options.serverlessAvailable = false;
    const refused = await create('S2', { warehouse_type: 'PRO', enable_serverless_compute: true });
    assert.equal(refused.status, 400);
    assert.match(refused.body.message ?? '', /Serverless/);
    assert.equal((await create('S3', { warehouse_type: 'PRO' })).status, 200);
    emu.state.options.warehouseTypes = ['CLASSIC'];
    assert.equal((await create('S4', { warehouse_type: 'PRO' })).status, 400);
    assert.equal((await create('S5', { warehouse_type: 'CLASSIC' })).status, 200);
    // the warehouse settings say the same (admins only), or leave serverless out
    const cfg = await call(emu, 'GET', '/api/2.0/sql/config/warehouses');
    assert.equal(cfg.status, 200);
    assert.equal(cfg.body.enable_serverless_compute, false);
    assert.deepEqual(cfg.body.enabled_warehouse_types, [{ warehouse_type: 'PRO', enabled: false }, { warehouse_type: 'CLASSIC', enabled: true }]);
    emu.state.options.warehouseConfigTellsServerless = false;
    assert.equal('enable_serverless_compute' in (await call(emu, 'GET', '/api/2.0/sql/config/warehouses')).body, false);
    assert.equal((await call(emu, 'GET', '/api/2.0/sql/config/warehouses', { token: emu.tokenFor(USER) })).status, 403);
  });
  it('with identity federation (default) Unity Catalog grants survive a workspace delete of the principal', async () => {
    const id = spId(HEX_APP);
    const before = [...emu.state.ucGrants.values()].filter((g) => g.has(HEX_APP)).length;
    assert.ok(before > 0);
    await call(emu, 'DELETE', `${SCIM}/ServicePrincipals/${id}`);
    assert.equal([...emu.state.ucGrants.values()].filter((g) => g.has(HEX_APP)).length, before);
    emu.reset();
    emu.state.options.identityFederation = false;
    await call(emu, 'DELETE', `${SCIM}/ServicePrincipals/${spId(HEX_APP)}`);
    assert.equal([...emu.state.ucGrants.values()].filter((g) => g.has(HEX_APP)).length, 0);
  });
});
