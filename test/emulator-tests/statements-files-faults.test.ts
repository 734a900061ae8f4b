import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseStatement, quoteIdent } from '../emulator';
import { useEmulator } from '../fixtures/emulator';
import { call, type CallResult } from '../fixtures/http';
import { DBT_APP, HEX_APP, SCIM, STARTER_WAREHOUSE, USER } from '../fixtures/seed';

const emu = useEmulator();

const WH = STARTER_WAREHOUSE;
async function run(statement: string, token?: string, extra: Record<string, unknown> = {}): Promise<Pick<CallResult, 'status' | 'body'>> {
  const r = await call(emu, 'POST', '/api/2.0/sql/statements', { token, body: { warehouse_id: WH, statement, wait_timeout: '30s', on_wait_timeout: 'CONTINUE', ...extra } });
  return { status: r.status, body: r.body };
}

describe('SQL statements on hive_metastore', () => {
  it('GRANT / SHOW GRANTS / REVOKE with backtick-quoted principals', async () => {
    const g = await run(`GRANT USAGE, CREATE ON CATALOG hive_metastore TO ${quoteIdent(DBT_APP)}`);
    assert.equal(g.status, 200);
    assert.equal(g.body.status.state, 'SUCCEEDED');
    const show = await run(`SHOW GRANTS ${quoteIdent(DBT_APP)} ON CATALOG \`hive_metastore\``);
    assert.deepEqual(show.body.manifest.schema.columns.map((c: { name: string }) => c.name), ['Principal', 'ActionType', 'ObjectType', 'ObjectKey']);
    assert.deepEqual(show.body.result.data_array, [
      [DBT_APP, 'CREATE', 'CATALOG$', ''],
      [DBT_APP, 'USAGE', 'CATALOG$', ''],
    ]);
    const r = await run(`REVOKE CREATE ON CATALOG hive_metastore FROM ${quoteIdent(DBT_APP)}`);
    assert.equal(r.body.status.state, 'SUCCEEDED');
    assert.deepEqual([...emu.state.hiveGrantMap('CATALOG').get(DBT_APP)!], ['USAGE']);
  });
  it('schema grants (DATABASE synonym, qualified names, READ METADATA spelling)', async () => {
    const g = await run(`GRANT USAGE, SELECT, READ_METADATA ON SCHEMA \`hive_metastore\`.\`legacy_sales\` TO \`${HEX_APP}\``);
    assert.equal(g.body.status.state, 'SUCCEEDED', JSON.stringify(g.body));
    const show = await run('SHOW GRANTS ON DATABASE hive_metastore.legacy_sales');
    const rows = show.body.result.data_array as string[][];
    assert.ok(rows.some((r) => r[0] === 'ava.admin@acme.example' && r[1] === 'OWN'));
    assert.ok(rows.some((r) => r[0] === HEX_APP && r[1] === 'READ_METADATA' && r[2] === 'DATABASE' && r[3] === 'legacy_sales'));
    assert.ok(rows.some((r) => r[0] === 'analysts' && r[1] === 'SELECT'));
  });
  it('escaped backticks inside identifiers', () => {
    const p = parseStatement('GRANT USAGE ON SCHEMA `we``ird` TO `a``b@x`');
    assert.deepEqual(p, { kind: 'grant', privileges: ['USAGE'], on: { type: 'SCHEMA', parts: ['we`ird'] }, principal: 'a`b@x' });
    assert.equal(quoteIdent('a`b'), '`a``b`');
  });
  it('failures are HTTP 200 with status FAILED and a message', async () => {
    const cases: [string, RegExp][] = [
      ['GRANT USAGE ON CATALOG hive_metastore TO `ghost@nowhere`', /PRINCIPAL_DOES_NOT_EXIST/],
      ['GRANT USAGE ON SCHEMA hive_metastore.nope TO `users`', /SCHEMA_NOT_FOUND/],
      ['GRANT FLY ON CATALOG hive_metastore TO `users`', /INVALID_PRIVILEGE/],
      ['GRANT USAGE ON CATALOG hive_metastore TO `unterminated', /PARSE_SYNTAX_ERROR/],
      ['DROP TABLE x', /PARSE_SYNTAX_ERROR/],
    ];
    for (const [sql, re] of cases) {
      const r = await run(sql);
      assert.equal(r.status, 200, sql);
      assert.equal(r.body.status.state, 'FAILED', sql);
      assert.match(r.body.status.error.message, re, sql);
    }
    // only owners/admins may grant: noah (non-admin, owns nothing in hive) cannot
    const denied = await run(`GRANT USAGE ON CATALOG hive_metastore TO \`${HEX_APP}\``, emu.tokenFor(USER));
    assert.equal(denied.body.status.state, 'FAILED');
    assert.match(denied.body.status.error.message, /INSUFFICIENT_PERMISSIONS/);
  });
  it('statements stay RUNNING for the configured number of polls', async () => {
    emu.state.options.statementRunningPolls = 3;
    const r = await run(`GRANT USAGE ON CATALOG hive_metastore TO \`${HEX_APP}\``);
    assert.equal(r.body.status.state, 'RUNNING');
    const states: string[] = [];
    for (let i = 0; i < 3; i++) states.push((await call(emu, 'GET', `/api/2.0/sql/statements/${r.body.statement_id}`)).body.status.state);
    assert.deepEqual(states, ['RUNNING', 'RUNNING', 'SUCCEEDED']);
    const async0 = await run('SELECT 1', undefined, { wait_timeout: '0s' });
    assert.equal(async0.body.status.state, 'PENDING');
    assert.equal((await call(emu, 'GET', `/api/2.0/sql/statements/${async0.body.statement_id}`)).body.status.state, 'RUNNING');
    const nf = await call(emu, 'GET', '/api/2.0/sql/statements/nope');
    assert.equal(nf.status, 404);
  });
  it('UC grants through SQL on a UC catalog follow the ownership rules', async () => {
    const ok = await run(`GRANT USE CATALOG, CREATE SCHEMA ON CATALOG analytics TO \`${HEX_APP}\``);
    assert.equal(ok.body.status.state, 'SUCCEEDED', JSON.stringify(ok.body));
    assert.deepEqual([...emu.state.ucGrantMap('catalog', 'analytics').get(HEX_APP)!].sort(), ['CREATE_SCHEMA', 'USE_CATALOG']);
    const denied = await run(`GRANT USE CATALOG ON CATALOG acme_prod TO \`${HEX_APP}\``);
    assert.equal(denied.body.status.state, 'FAILED');
    // an unqualified schema resolves against the default catalog (acme_prod)
    const show = await run('SHOW GRANTS ON SCHEMA bronze');
    assert.equal(show.body.status.state, 'SUCCEEDED');
  });
  it('needs CAN_USE on the warehouse; unknown warehouse 404; bad wait_timeout 400', async () => {
    emu.state.warehouses.get(WH)!.acl = emu.state.warehouses.get(WH)!.acl.filter((e) => e.name !== 'users');
    const r = await call(emu, 'POST', '/api/2.0/sql/statements', { token: emu.tokenFor(USER), body: { warehouse_id: WH, statement: 'SELECT 1' } });
    assert.equal(r.status, 403);
    assert.equal((await call(emu, 'POST', '/api/2.0/sql/statements', { body: { warehouse_id: '0000000000000000', statement: 'SELECT 1' } })).status, 404);
    assert.equal((await call(emu, 'POST', '/api/2.0/sql/statements', { body: { warehouse_id: WH, statement: 'SELECT 1', wait_timeout: '99s' } })).status, 400);
  });
});

describe('workspace files', () => {
  const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
  it('mkdirs / import / get-status / list / export / delete', async () => {
    const dir = '/Shared/partner-connect';
    const file = `${dir}/connections.json`;
    const noParent = await call(emu, 'POST', '/api/2.0/workspace/import', { body: { path: file, format: 'AUTO', content: b64('{}'), overwrite: false } });
    assert.equal(noParent.status, 404);
    assert.equal(noParent.body.error_code, 'RESOURCE_DOES_NOT_EXIST');
    assert.equal((await call(emu, 'POST', '/api/2.0/workspace/mkdirs', { body: { path: dir } })).status, 200);
    const empty = await call(emu, 'GET', '/api/2.0/workspace/list', { query: { path: dir } });
    assert.deepEqual(empty.body, {});
    assert.equal((await call(emu, 'POST', '/api/2.0/workspace/import', { body: { path: file, format: 'AUTO', content: b64('{"v":1}'), overwrite: false } })).status, 200);
    const dup = await call(emu, 'POST', '/api/2.0/workspace/import', { body: { path: file, format: 'AUTO', content: b64('{"v":2}'), overwrite: false } });
    assert.equal(dup.status, 400);
    assert.equal(dup.body.error_code, 'RESOURCE_ALREADY_EXISTS');
    assert.equal((await call(emu, 'POST', '/api/2.0/workspace/import', { body: { path: file, format: 'AUTO', content: b64('{"v":2}'), overwrite: true } })).status, 200);
    const st = await call(emu, 'GET', '/api/2.0/workspace/get-status', { query: { path: file } });
    assert.equal(st.body.object_type, 'FILE');
    const ls = await call(emu, 'GET', '/api/2.0/workspace/list', { query: { path: dir } });
    assert.deepEqual(ls.body.objects.map((o: { path: string }) => o.path), [file]);
    const ex = await call(emu, 'GET', '/api/2.0/workspace/export', { query: { path: file, format: 'SOURCE' } });
    assert.equal(Buffer.from(ex.body.content, 'base64').toString('utf8'), '{"v":2}');
    const notEmpty = await call(emu, 'POST', '/api/2.0/workspace/delete', { body: { path: dir } });
    assert.equal(notEmpty.status, 400);
    assert.equal((await call(emu, 'POST', '/api/2.0/workspace/delete', { body: { path: file } })).status, 200);
    const gone = await call(emu, 'GET', '/api/2.0/workspace/get-status', { query: { path: file } });
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error_code, 'RESOURCE_DOES_NOT_EXIST');
    assert.equal((await call(emu, 'POST', '/api/2.0/workspace/delete', { body: { path: file } })).status, 404);
  });
  it('/Workspace prefix alias; /Users children are protected', async () => {
    const st = await call(emu, 'GET', '/api/2.0/workspace/get-status', { query: { path: '/Workspace/Shared/README.txt' } });
    assert.equal(st.status, 200);
    assert.equal(st.body.path, '/Shared/README.txt');
    const p = await call(emu, 'POST', '/api/2.0/workspace/mkdirs', { body: { path: '/Users/new-person@acme.example/x' } });
    assert.equal(p.status, 400);
    assert.equal(p.body.error_code, 'DIRECTORY_PROTECTED');
  });
  it("non-admins cannot read another user's home", async () => {
    const r = await call(emu, 'GET', '/api/2.0/workspace/list', { token: emu.tokenFor(USER), query: { path: '/Users/ava.admin@acme.example' } });
    assert.equal(r.status, 403);
    assert.equal((await call(emu, 'GET', '/api/2.0/workspace/list', { token: emu.tokenFor(USER), query: { path: '/Shared' } })).status, 200);
  });
});

describe('fault injection and request log', () => {
  it('the 2nd POST to ServicePrincipals answers 503 (standard body); others pass', async () => {
    emu.faults.add({ method: 'POST', path: `${SCIM}/ServicePrincipals`, nth: 2, status: 503 });
    const body = { displayName: 'A' };
    assert.equal((await call(emu, 'POST', `${SCIM}/ServicePrincipals`, { body })).status, 201);
    const second = await call(emu, 'POST', `${SCIM}/ServicePrincipals`, { body });
    assert.equal(second.status, 503);
    assert.equal(second.body.error_code, 'TEMPORARILY_UNAVAILABLE');
    assert.equal((await call(emu, 'POST', `${SCIM}/ServicePrincipals`, { body })).status, 201);
    assert.equal([...emu.state.servicePrincipals.values()].filter((s) => s.displayName === 'A').length, 2, 'the faulted request did no work');
  });
  it('429 with Retry-After for the first two matching requests (prefix path), then normal', async () => {
    emu.faults.add({ path: '/api/2.0/sql/*', times: 2, status: 429, headers: { 'Retry-After': '1' } });
    const a = await call(emu, 'GET', '/api/2.0/sql/warehouses');
    assert.equal(a.status, 429);
    assert.equal(a.headers.get('retry-after'), '1');
    assert.equal(a.body.error_code, 'REQUEST_LIMIT_EXCEEDED');
    assert.equal((await call(emu, 'GET', `/api/2.0/sql/warehouses/${WH}`)).status, 429);
    assert.equal((await call(emu, 'GET', '/api/2.0/sql/warehouses')).status, 200);
  });
  it('next(): the rule that would act on the next matching request, without counting it', async () => {
    emu.faults.add({ method: 'GET', path: '/api/2.0/sql/warehouses', nth: 2, times: 2, delayMs: 1 });
    const next = (): number | undefined => emu.faults.next('GET', '/api/2.0/sql/warehouses')?.delayMs;
    assert.equal(next(), undefined);
    assert.equal(next(), undefined, 'asking counts nothing');
    await call(emu, 'GET', '/api/2.0/sql/warehouses');
    assert.equal(next(), 1);
    assert.equal(emu.faults.next('POST', '/api/2.0/sql/warehouses'), undefined, 'another method');
    await call(emu, 'GET', '/api/2.0/sql/warehouses');
    assert.equal(next(), 1);
    await call(emu, 'GET', '/api/2.0/sql/warehouses');
    assert.equal(next(), undefined, 'spent after its times');
    assert.equal(emu.requests.filter((r) => r.faulted).length, 2);
  });
  it('raw bodies (HTML login page), custom JSON bodies, regex paths', async () => {
    emu.faults.add({ path: /\/Me$/, status: 200, rawBody: '<html><body>Sign in</body></html>', times: 1 });
    const html = await call(emu, 'GET', `${SCIM}/Me`);
    assert.equal(html.status, 200);
    assert.match(html.headers.get('content-type') ?? '', /text\/html/);
    assert.equal(html.body, undefined);
    emu.faults.add({ path: `${SCIM}/Me`, status: 403, body: { error_code: 403, message: 'Invalid access token.' }, times: 1 });
    const numeric = await call(emu, 'GET', `${SCIM}/Me`);
    assert.deepEqual(numeric.body, { error_code: 403, message: 'Invalid access token.' });
    assert.equal((await call(emu, 'GET', `${SCIM}/Me`)).status, 200);
  });
  it('connection reset before handling: nothing happens server-side', async () => {
    emu.faults.add({ method: 'POST', path: '/api/2.0/token-management/on-behalf-of/tokens', reset: true, times: 1 });
    const before = emu.state.tokens.size;
    await assert.rejects(call(emu, 'POST', '/api/2.0/token-management/on-behalf-of/tokens', { body: { application_id: HEX_APP } }));
    assert.equal(emu.state.tokens.size, before);
    assert.equal(emu.requests.at(-1)?.status, 0);
  });
  it('after: the server did the work but the client sees a reset / an error', async () => {
    emu.faults.add({ method: 'POST', path: '/api/2.0/token-management/on-behalf-of/tokens', after: true, reset: true, times: 1 });
    const before = emu.state.tokens.size;
    await assert.rejects(call(emu, 'POST', '/api/2.0/token-management/on-behalf-of/tokens', { body: { application_id: HEX_APP } }));
    assert.equal(emu.state.tokens.size, before + 1, 'the token was created although the client saw a reset');
    emu.faults.add({ method: 'DELETE', path: '/api/2.0/preview/scim/v2/ServicePrincipals/*', after: true, status: 500, times: 1 });
    const d = await call(emu, 'DELETE', `${SCIM}/ServicePrincipals/4000000000000202`);
    assert.equal(d.status, 500);
    assert.equal(emu.state.servicePrincipals.has('4000000000000202'), false);
  });
  it('delayMs delays the answer without changing it', async () => {
    emu.faults.add({ path: `${SCIM}/Me`, delayMs: 50, times: 1 });
    const r = await call(emu, 'GET', `${SCIM}/Me`);
    assert.equal(r.status, 200);
  });
  it('request log: method, path, query, body, status, principal name, never the token', async () => {
    emu.clearRequests();
    await call(emu, 'GET', `${SCIM}/ServicePrincipals`, { query: { filter: 'displayName eq "HEX_USER"' } });
    const obo = await call(emu, 'POST', '/api/2.0/token-management/on-behalf-of/tokens', { body: { application_id: DBT_APP, comment: 'c' } });
    await call(emu, 'GET', `${SCIM}/Me`, { token: 'dapi-bogus-token-value' });
    assert.equal(emu.requests.length, 3);
    const [a, b, c] = emu.requests;
    assert.deepEqual([a.method, a.path, a.query, a.status, a.auth], ['GET', `${SCIM}/ServicePrincipals`, { filter: 'displayName eq "HEX_USER"' }, 200, 'ava.admin@acme.example']);
    assert.deepEqual(b.body, { application_id: DBT_APP, comment: 'c' });
    assert.equal(c.status, 401);
    assert.equal(c.auth, '');
    const logged = JSON.stringify(emu.requests);
    for (const secret of [emu.adminToken, obo.body.token_value as string, 'dapi-bogus-token-value']) assert.equal(logged.includes(secret), false);
  });
});
