/** Every WorkspaceClient method against the emulator over real HTTP, with state assertions and paging edge cases. */
import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { seedPath } from '../emulator';
import { DatabricksApiError, isCancellation, type WorkspaceClient } from '../../src/client';
import { clientFor, rejection } from './helpers';
import { ADMIN, CI_APP, DBT_APP, SCIM, USER } from '../fixtures/seed';
import { hits, useEmulator } from '../fixtures/emulator';

let ws: WorkspaceClient;
let log: string[];
const emu = useEmulator({
  onStart: (e, started) => {
    ({ client: ws, log } = started.add(clientFor(e), (c) => c.client.close()));
  },
});
beforeEach(() => {
  log.length = 0;
});

describe('identity', () => {
  it('me() and isWorkspaceAdmin()', async () => {
    const me = await ws.me();
    assert.equal(me.userName, ADMIN);
    assert.equal(typeof me.id, 'string');
    assert.ok(await ws.isWorkspaceAdmin());
    const user = clientFor(emu, { auth: { type: 'pat', token: emu.tokenFor(USER) } }).client;
    try {
      assert.equal((await user.me()).userName, USER);
      assert.equal(await user.isWorkspaceAdmin(), false);
    } finally {
      await user.close();
    }
  });

  it('service principals: create, get, patch, list with a server-side filter, delete', async () => {
    const sp = await ws.createServicePrincipal({ displayName: 'FIVETRAN_USER', entitlements: ['databricks-sql-access'] });
    assert.match(sp.applicationId, /^[0-9a-f-]{36}$/);
    assert.deepEqual(sp.entitlements, [{ value: 'databricks-sql-access' }]);
    const post = emu.requests.find((r) => r.method === 'POST' && r.path === `${SCIM}/ServicePrincipals`);
    assert.deepEqual(post?.body, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal'],
      displayName: 'FIVETRAN_USER',
      active: true,
      entitlements: [{ value: 'databricks-sql-access' }],
    });

    await ws.patchServicePrincipal(sp.id, [{ op: 'add', path: 'entitlements', value: [{ value: 'allow-cluster-create' }] }]);
    const got = await ws.getServicePrincipal(sp.id);
    assert.deepEqual(got.entitlements.map((e) => e.value).sort(), ['allow-cluster-create', 'databricks-sql-access']);

    emu.clearRequests();
    const found = await ws.listServicePrincipals({ filter: 'displayName eq "FIVETRAN_USER"' });
    assert.deepEqual(
      found.map((s) => s.id),
      [sp.id],
    );
    const listReq = emu.requests.find((r) => r.path === `${SCIM}/ServicePrincipals`);
    assert.equal(listReq?.query.filter, 'displayName eq "FIVETRAN_USER"');
    assert.equal(listReq?.query.count, '100');
    assert.equal(listReq?.query.startIndex, '1');

    await ws.deleteServicePrincipal(sp.id);
    const gone = await rejection(ws.getServicePrincipal(sp.id));
    assert.ok(gone instanceof DatabricksApiError);
    assert.equal(gone.status, 404);
    assert.equal(gone.errorCode, 'SCIM_404');
    // Deleting again is a 404 (only a retried delete treats 404 as done).
    const again = await rejection(ws.deleteServicePrincipal(sp.id));
    assert.ok(again instanceof DatabricksApiError && again.isNotFound);
  });

  it('SCIM paging: many pages of count ≤ 100, and an empty result without Resources', async () => {
    for (let i = 0; i < 230; i++) emu.state.addServicePrincipal({ displayName: `BULK_${String(i).padStart(3, '0')}` });
    emu.clearRequests();
    const all = await ws.listServicePrincipals();
    const bulk = all.filter((s) => s.displayName.startsWith('BULK_'));
    assert.equal(bulk.length, 230);
    assert.equal(new Set(all.map((s) => s.id)).size, all.length);
    const pages = emu.requests.filter((r) => r.path === `${SCIM}/ServicePrincipals`);
    assert.ok(pages.length >= 3, `pages: ${pages.length}`);
    assert.deepEqual(
      pages.map((p) => p.query.startIndex),
      pages.map((_, i) => String(1 + i * 100)),
    );

    // Small server cap: the client follows startIndex + received.
    emu.state.options.scimMaxCount = 7;
    emu.clearRequests();
    const small = await ws.listServicePrincipals({ filter: 'displayName sw "BULK_0"' });
    assert.equal(small.length, 100);
    assert.equal(emu.requests.filter((r) => r.path === `${SCIM}/ServicePrincipals`).length, 15);

    emu.clearRequests();
    assert.deepEqual(await ws.listServicePrincipals({ filter: 'displayName eq "NOPE"' }), []);
    assert.equal(hits(emu, 'GET', `${SCIM}/ServicePrincipals`), 1);
  });

  it('iterateServicePrincipals yields lazily and honours pageSize', async () => {
    emu.clearRequests();
    const seen: string[] = [];
    for await (const sp of ws.iterateServicePrincipals({ pageSize: 1 })) {
      seen.push(sp.applicationId);
      if (seen.length === 2) break;
    }
    assert.equal(seen.length, 2);
    assert.equal(hits(emu, 'GET', `${SCIM}/ServicePrincipals`), 2);
    assert.equal(emu.requests[0].query.count, '1');
  });

  it('listGroups with a filter', async () => {
    const groups = await ws.listGroups({ filter: 'displayName eq "admins"' });
    assert.equal(groups.length, 1);
    assert.ok(groups[0].members.some((m) => m.display !== undefined));
    assert.ok((await ws.listGroups()).length >= 4);
  });
});

describe('tokens', () => {
  it('create an OBO token, list by creator, delete; permissions get and patch', async () => {
    const created = await ws.createOboToken({ applicationId: DBT_APP, comment: 'test token', lifetimeSeconds: 86_400 });
    assert.ok(created.token_value.length > 8);
    assert.ok(Math.abs((created.token_info.expiry_time ?? 0) - (created.token_info.creation_time ?? 0) - 86_400_000) < 1000);
    const obo = emu.requests.find((r) => r.path === '/api/2.0/token-management/on-behalf-of/tokens');
    assert.deepEqual(obo?.body, { application_id: DBT_APP, comment: 'test token', lifetime_seconds: 86_400 });
    assert.ok(!JSON.stringify(log).includes(created.token_value), 'token value in the log');

    const withLifetime = await ws.createOboToken({ applicationId: DBT_APP, comment: 'short', lifetimeSeconds: 3600 });
    assert.ok((withLifetime.token_info.expiry_time ?? 0) > Date.now());

    const mine = await ws.listTokens({ createdByUsername: ADMIN });
    assert.ok(mine.some((t) => t.token_id === created.token_info.token_id));
    assert.ok(mine.every((t) => t.created_by_username === ADMIN));
    const me = await ws.me();
    assert.ok((await ws.listTokens({ createdById: me.id })).length >= 2);
    await ws.deleteToken(created.token_info.token_id);
    assert.ok(!(await ws.listTokens()).some((t) => t.token_id === created.token_info.token_id));

    const acl = await ws.getTokenPermissions();
    assert.ok(acl.access_control_list.some((e) => e.service_principal_name === DBT_APP));
    const patched = await ws.patchTokenPermissions([{ service_principal_name: CI_APP, permission_level: 'CAN_USE' }]);
    assert.ok(patched.access_control_list.some((e) => e.service_principal_name === CI_APP));
    assert.equal(hits(emu, 'PUT', '/api/2.0/permissions/authorization/tokens'), 0);
  });
});

describe('warehouses and clusters', () => {
  it('list (with token paging and empty pages), get, create, start, permissions, delete', async () => {
    emu.state.options.warehousePageSize = 1;
    emu.state.options.warehouseEmptyPages = true;
    emu.clearRequests();
    const list = await ws.listWarehouses();
    assert.equal(list.length, 3);
    assert.equal(hits(emu, 'GET', '/api/2.0/sql/warehouses'), 6);

    const w = await ws.getWarehouse(list[0].id);
    assert.equal(w.name, list[0].name);
    const { id } = await ws.createWarehouse({ name: 'FIVETRAN_ENDPOINT', cluster_size: '2X-Small', max_num_clusters: 1, auto_stop_mins: 10, warehouse_type: 'PRO' });
    assert.equal(typeof id, 'string');
    await ws.startWarehouse(id);
    const perms = await ws.patchWarehousePermissions(id, [{ service_principal_name: DBT_APP, permission_level: 'CAN_USE' }]);
    assert.ok(perms.access_control_list.some((e) => e.service_principal_name === DBT_APP));
    assert.ok((await ws.getWarehousePermissions(id)).access_control_list.length >= 2);
    await ws.deleteWarehouse(id);
    const after = await ws.getWarehouse(id).then(
      (x) => x.state,
      (e: unknown) => (e instanceof DatabricksApiError ? e.status : 'other'),
    );
    assert.ok(after === 'DELETED' || after === 'DELETING' || after === 404, String(after));
  });
  it('rejects an invalid warehouse spec before sending', async () => {
    emu.clearRequests();
    await assert.rejects(ws.createWarehouse({ name: '', cluster_size: 'Small' }));
    assert.equal(emu.requests.length, 0);
  });
  it('deleteCluster permanently deletes', async () => {
    await ws.deleteCluster('0601-182128-dcbte59m');
    const req = emu.requests.find((r) => r.path === '/api/2.1/clusters/permanent-delete');
    assert.deepEqual(req?.body, { cluster_id: '0601-182128-dcbte59m' });
    assert.equal(req?.status, 200);
  });
  it('a cluster that does not exist: 400 INVALID_PARAMETER_VALUE "Cluster … does not exist" is not-found (as the SDKs map it)', async () => {
    const e = await rejection(ws.deleteCluster('0000-000000-missing0'));
    assert.ok(e instanceof DatabricksApiError);
    assert.equal(e.status, 400);
    assert.equal(e.errorCode, 'INVALID_PARAMETER_VALUE');
    assert.equal(e.isNotFound, true, 'a delete of a cluster already gone is done');
    // any other 400 stays a 400
    const other = await rejection(ws.deleteCluster(''));
    assert.ok(other instanceof DatabricksApiError);
    assert.equal(other.isNotFound, false);
  });
});

describe('Unity Catalog', () => {
  it('catalogs and schemas through small and empty pages', async () => {
    emu.state.options.ucPageSize = 1;
    emu.state.options.ucEmptyPages = true;
    emu.clearRequests();
    const catalogs = await ws.listCatalogs();
    const names = catalogs.map((c) => c.name);
    assert.ok(names.includes('main') && names.includes('analytics'), names.join(','));
    assert.equal(new Set(names).size, names.length);
    assert.equal(hits(emu, 'GET', '/api/2.1/unity-catalog/catalogs'), names.length * 2);
    const schemas = await ws.listSchemas('analytics');
    const schemaNames = schemas.map((s) => s.name);
    for (const n of ['default', 'finance', 'marketing']) assert.ok(schemaNames.includes(n), schemaNames.join(','));
    assert.equal(new Set(schemaNames).size, schemaNames.length);
    assert.ok(schemas.every((s) => s.catalog_name === 'analytics'));
  });
  it('grants: get (paged) and update', async () => {
    emu.state.options.ucPageSize = 1;
    const before = await ws.getGrants('CATALOG', 'analytics');
    assert.ok(before.some((g) => g.principal === DBT_APP || g.principal === 'DBT_CLOUD_USER'), JSON.stringify(before));
    const updated = await ws.updateGrants('catalog', 'analytics', [{ principal: CI_APP, add: ['USE_CATALOG'] }]);
    assert.deepEqual(updated.find((g) => g.principal === CI_APP)?.privileges, ['USE_CATALOG']);
    const removed = await ws.updateGrants('catalog', 'analytics', [{ principal: CI_APP, remove: ['USE_CATALOG'] }]);
    assert.ok(!removed.some((g) => g.principal === CI_APP && g.privileges.length > 0));
    const schemaGrants = await ws.getGrants('schema', 'analytics.marketing');
    assert.ok(schemaGrants.length >= 1);
  });
  it('metastore assignment, summary, default namespace; null without a metastore or setting', async () => {
    const a = await ws.currentMetastoreAssignment();
    assert.equal(a?.default_catalog_name, 'acme_prod');
    assert.equal(typeof a?.workspace_id, 'string');
    assert.equal((await ws.metastoreSummary()).owner, 'metastore-admins');
    assert.equal(await ws.getDefaultNamespace(), 'acme_prod');
    emu.reset(seedPath('hive-only.json'));
    const legacy = clientFor(emu).client;
    try {
      assert.equal(await legacy.currentMetastoreAssignment(), null);
      assert.equal(await legacy.getDefaultNamespace(), null);
    } finally {
      await legacy.close();
      emu.reset(seedPath('demo.json'));
    }
  });
});

describe('SQL statements', () => {
  it('waits while RUNNING, polling with GET, and returns the result', async () => {
    emu.state.options.statementRunningPolls = 3;
    const wh = (await ws.listWarehouses())[0].id;
    emu.clearRequests();
    const r = await ws.executeStatement({ warehouseId: wh, statement: 'SHOW GRANTS ON SCHEMA hive_metastore.legacy_sales' });
    assert.equal(r.status.state, 'SUCCEEDED');
    assert.ok((r.result?.data_array ?? []).length > 0);
    const post = emu.requests.find((x) => x.method === 'POST' && x.path === '/api/2.0/sql/statements');
    assert.deepEqual(post?.body, { warehouse_id: wh, statement: 'SHOW GRANTS ON SCHEMA hive_metastore.legacy_sales', wait_timeout: '30s', on_wait_timeout: 'CONTINUE' });
    assert.equal(emu.requests.filter((x) => x.method === 'GET' && x.path.startsWith('/api/2.0/sql/statements/')).length, 3);
  });
  it('a FAILED statement (HTTP 200) rejects with its code and message', async () => {
    const wh = (await ws.listWarehouses())[0].id;
    const e = await rejection(ws.executeStatement({ warehouseId: wh, statement: 'GRANT USAGE ON SCHEMA hive_metastore.no_such_schema TO `x`' }));
    assert.ok(e instanceof DatabricksApiError, String(e));
    assert.equal(e.status, 200);
    assert.notEqual(e.errorCode, '');
    assert.match(e.message, /^SQL statement \S+ on warehouse \S+ failed \(/);
    assert.ok(e.serverMessage.length > 0);
  });
  it('a GRANT succeeds and is visible through SHOW GRANTS', async () => {
    const wh = (await ws.listWarehouses())[0].id;
    await ws.executeStatement({ warehouseId: wh, statement: `GRANT USAGE, CREATE ON CATALOG hive_metastore TO \`${DBT_APP}\`` });
    const r = await ws.executeStatement({ warehouseId: wh, statement: `SHOW GRANTS \`${DBT_APP}\` ON CATALOG hive_metastore` });
    const flat = JSON.stringify(r.result?.data_array ?? []);
    assert.match(flat, /USAGE/);
    assert.match(flat, /CREATE/);
  });
  it('cancelling while polling rejects at once and cancels the statement on the server', async () => {
    emu.state.options.statementRunningPolls = 1000;
    const { client: slow } = clientFor(emu, { statementPoll: { initialDelayMs: 5, maxDelayMs: 20 } });
    try {
      const wh = (await slow.listWarehouses())[0].id;
      const ac = new AbortController();
      const p = slow.executeStatement({ warehouseId: wh, statement: 'SELECT 1' }, { signal: ac.signal });
      // Abort once the first poll has been answered.
      while (!emu.requests.some((x) => x.method === 'GET' && x.path.startsWith('/api/2.0/sql/statements/') && x.status === 200)) {
        await new Promise((r) => setTimeout(r, 2));
      }
      ac.abort();
      const e = await rejection(p);
      assert.ok(isCancellation(e), String(e));
      assert.equal(e.name, 'AbortError');
      for (let i = 0; i < 200 && !emu.requests.some((x) => x.path.endsWith('/cancel')); i++) await new Promise((r) => setTimeout(r, 5));
      const cancel = emu.requests.find((x) => x.path.endsWith('/cancel'));
      assert.equal(cancel?.method, 'POST');
    } finally {
      await slow.close();
    }
  });
});

describe('workspace files', () => {
  const path = '/Shared/.partner-connect/connections/dbt.json';
  it('a write whose caller knows the parent folder is missing (parentMissing): mkdirs, then one import', async () => {
    const file = '/Shared/.partner-connect-new/connections/hex.json';
    const before = emu.requests.length;
    await ws.writeWorkspaceFile(file, '{}', { overwrite: false, parentMissing: true });
    assert.deepEqual(
      emu.requests.slice(before).map((r) => [r.path, r.status]),
      [
        ['/api/2.0/workspace/mkdirs', 200],
        ['/api/2.0/workspace/import', 200],
      ],
    );
    assert.equal(await ws.readWorkspaceFile(file), '{}');
    await ws.deleteWorkspaceFile(file);
  });

  it('read null when absent, write (mkdirs + import AUTO), read back, overwrite rules, list, delete', async () => {
    assert.equal(await ws.readWorkspaceFile(path), null);
    assert.deepEqual(await ws.listWorkspaceFiles('/Shared/.partner-connect'), []);
    const content = JSON.stringify({ partner: 'dbt', note: 'ünïcödé' });
    const before = emu.requests.length;
    await ws.writeWorkspaceFile(path, content, { overwrite: false });
    // the parent folder is missing: import (404) → mkdirs → import
    assert.deepEqual(
      emu.requests.slice(before).map((r) => [r.path, r.status]),
      [
        ['/api/2.0/workspace/import', 404],
        ['/api/2.0/workspace/mkdirs', 200],
        ['/api/2.0/workspace/import', 200],
      ],
    );
    const mk = emu.requests.find((r) => r.path === '/api/2.0/workspace/mkdirs');
    assert.deepEqual(mk?.body, { path: '/Shared/.partner-connect/connections' });
    const imp = emu.requests.find((r) => r.path === '/api/2.0/workspace/import');
    assert.deepEqual(imp?.body, { path, format: 'AUTO', content: Buffer.from(content).toString('base64'), overwrite: false });
    assert.equal(await ws.readWorkspaceFile(path), content);

    const dup = await rejection(ws.writeWorkspaceFile(path, '{}', { overwrite: false }));
    assert.ok(dup instanceof DatabricksApiError);
    assert.equal(dup.errorCode, 'RESOURCE_ALREADY_EXISTS');
    assert.ok(dup.isAlreadyExists);
    const beforeOverwrite = emu.requests.length;
    await ws.writeWorkspaceFile(path, '{"v":2}', { overwrite: true });
    // the folder exists now: a single import, no mkdirs
    assert.deepEqual(
      emu.requests.slice(beforeOverwrite).map((r) => r.path),
      ['/api/2.0/workspace/import'],
    );
    assert.equal(await ws.readWorkspaceFile(path), '{"v":2}');

    const listed = await ws.listWorkspaceFiles('/Shared/.partner-connect/connections');
    assert.deepEqual(
      listed.map((o) => [o.path, o.object_type]),
      [[path, 'FILE']],
    );
    await ws.deleteWorkspaceFile(path);
    assert.equal(await ws.readWorkspaceFile(path), null);
    await ws.deleteWorkspaceFile(path); // already absent: fine
  });
  it('a non-admin outside their folders gets a 403 with admin guidance', async () => {
    const user = clientFor(emu, { auth: { type: 'pat', token: emu.tokenFor(USER) } }).client;
    try {
      const e = await rejection(user.writeWorkspaceFile('/Users/someone-else@acme.example/x.json', '{}', { overwrite: true }));
      assert.ok(e instanceof DatabricksApiError);
      assert.equal(e.status, 403);
      assert.match(e.message, /workspace admin/);
      assert.ok(!e.message.includes(emu.tokenFor(USER)));
    } finally {
      await user.close();
    }
  });
});

describe('logging', () => {
  it('logs one redacted line per request with method, path, status, ms and attempt', async () => {
    await ws.listServicePrincipals({ filter: 'displayName eq "X"' });
    assert.equal(log.length, 1);
    assert.match(log[0], /^GET 127\.0\.0\.1:\d+\/api\/2\.0\/preview\/scim\/v2\/ServicePrincipals\?filter=displayName.*&count=100 → 200 in \d+ ms \(attempt 1\)$/);
    assert.ok(!log.join('\n').includes(emu.adminToken));
  });
  it('exposes host and auth type', () => {
    assert.equal(ws.host, emu.url);
    assert.equal(ws.authType, 'pat');
  });
});
