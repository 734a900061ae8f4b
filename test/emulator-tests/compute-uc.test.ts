import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { seedPath } from '../emulator';
import { useEmulator } from '../fixtures/emulator';
import { call } from '../fixtures/http';
import { DBT_APP, DBT_WAREHOUSE, HEX_APP, METASTORE_ADMIN, USER } from '../fixtures/seed';

const emu = useEmulator();

/** Follows next_page_token until absent; returns items and the number of pages (incl. empty ones). */
async function drain(path: string, key: string, query: Record<string, string | number>, token?: string): Promise<{ items: { name: string }[]; pages: number; empties: number }> {
  const items: { name: string }[] = [];
  let pageToken: string | undefined;
  let pages = 0;
  let empties = 0;
  do {
    const r = await call(emu, 'GET', path, { token, query: { ...query, ...(pageToken ? { page_token: pageToken } : {}) } });
    assert.equal(r.status, 200, r.text);
    pages++;
    const got = (r.body[key] ?? []) as { name: string }[];
    if (got.length === 0) empties++;
    items.push(...got);
    pageToken = r.body.next_page_token;
    assert.ok(pages < 100, 'paging must terminate');
  } while (pageToken);
  return { items, pages, empties };
}

describe('SQL warehouses', () => {
  it('list: page_size/page_token, empty pages that carry a token, all items exactly once', async () => {
    for (let i = 0; i < 7; i++) {
      const r = await call(emu, 'POST', '/api/2.0/sql/warehouses', { body: { name: `wh-${i}`, cluster_size: '2X-Small', auto_stop_mins: 10 } });
      assert.equal(r.status, 200, r.text);
      assert.match(r.body.id, /^[0-9a-f]{16}$/);
    }
    const plain = await drain('/api/2.0/sql/warehouses', 'warehouses', { page_size: 3 });
    assert.equal(plain.items.length, 10);
    assert.equal(plain.pages, 4);
    assert.equal(plain.empties, 0);
    emu.state.options.warehouseEmptyPages = true;
    const withEmpty = await drain('/api/2.0/sql/warehouses', 'warehouses', { page_size: 3 });
    assert.deepEqual(withEmpty.items.map((w) => w.name), plain.items.map((w) => w.name));
    assert.equal(withEmpty.empties, 4);
    const bad = await call(emu, 'GET', '/api/2.0/sql/warehouses', { query: { page_token: 'garbage' } });
    assert.equal(bad.status, 400);
  });
  it('create validates name uniqueness, size, auto_stop_mins, serverless/type; needs allow-cluster-create', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ name: 'Starter Warehouse', cluster_size: 'Small' }, /already exists/],
      [{ name: 'x', cluster_size: 'Huge' }, /cluster_size/],
      [{ name: 'x', cluster_size: 'Small', auto_stop_mins: 5 }, /auto_stop_mins/],
      [{ name: 'x', cluster_size: 'Small', warehouse_type: 'CLASSIC', enable_serverless_compute: true }, /PRO/],
      [{ name: 'x', cluster_size: 'Small', min_num_clusters: 3, max_num_clusters: 2 }, /min_num_clusters/],
      [{ name: 'y'.repeat(100), cluster_size: 'Small' }, /99/],
    ];
    for (const [body, re] of cases) {
      const r = await call(emu, 'POST', '/api/2.0/sql/warehouses', { body });
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.match(r.body.message, re);
    }
    const denied = await call(emu, 'POST', '/api/2.0/sql/warehouses', { token: emu.tokenFor(USER), body: { name: 'mine', cluster_size: 'Small' } });
    assert.equal(denied.status, 403);
    const ok = await call(emu, 'POST', '/api/2.0/sql/warehouses', {
      body: { name: 'DBT', cluster_size: 'Small', auto_stop_mins: 0, warehouse_type: 'PRO', enable_serverless_compute: true, tags: { custom_tags: [{ key: 'k', value: 'v' }] } },
    });
    assert.equal(ok.status, 200);
    const w = await call(emu, 'GET', `/api/2.0/sql/warehouses/${ok.body.id}`);
    assert.equal(w.body.state, 'RUNNING');
    assert.equal(w.body.odbc_params.path, `/sql/1.0/warehouses/${ok.body.id}`);
    assert.deepEqual(w.body.tags, { custom_tags: [{ key: 'k', value: 'v' }] });
  });
  it('start → STARTING for N polls → RUNNING; delete → 404', async () => {
    emu.state.options.warehouseStartingPolls = 2;
    const id = '0c9d8e7f6a5b4c3d';
    assert.equal((await call(emu, 'POST', `/api/2.0/sql/warehouses/${id}/start`)).status, 200);
    const states: string[] = [];
    for (let i = 0; i < 3; i++) states.push((await call(emu, 'GET', `/api/2.0/sql/warehouses/${id}`)).body.state);
    assert.deepEqual(states, ['STARTING', 'STARTING', 'RUNNING']);
    assert.equal((await call(emu, 'DELETE', `/api/2.0/sql/warehouses/${id}`)).status, 200);
    const gone = await call(emu, 'GET', `/api/2.0/sql/warehouses/${id}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error_code, 'RESOURCE_DOES_NOT_EXIST');
  });
  it('warehouse permissions: GET shows owner and inherited admins; PATCH adds SP CAN_USE; non-managers 403', async () => {
    const id = DBT_WAREHOUSE;
    const g = await call(emu, 'GET', `/api/2.0/permissions/warehouses/${id}`);
    assert.equal(g.body.object_id, `/sql/warehouses/${id}`);
    assert.equal(g.body.object_type, 'warehouses');
    const admins = g.body.access_control_list.find((e: { group_name?: string }) => e.group_name === 'admins');
    assert.deepEqual(admins.all_permissions, [{ permission_level: 'CAN_MANAGE', inherited: true, inherited_from_object: ['/sql/warehouses/'] }]);
    const p = await call(emu, 'PATCH', `/api/2.0/permissions/warehouses/${id}`, {
      body: { access_control_list: [{ service_principal_name: HEX_APP, permission_level: 'CAN_USE' }] },
    });
    assert.equal(p.status, 200);
    assert.ok(p.body.access_control_list.some((e: { service_principal_name?: string }) => e.service_principal_name === HEX_APP));
    const denied = await call(emu, 'GET', `/api/2.0/permissions/warehouses/${id}`, { token: emu.tokenFor(USER) });
    assert.equal(denied.status, 403);
    const badLevel = await call(emu, 'PATCH', `/api/2.0/permissions/warehouses/${id}`, {
      body: { access_control_list: [{ service_principal_name: HEX_APP, permission_level: 'CAN_FLY' }] },
    });
    assert.equal(badLevel.status, 400);
  });
  it('legacy /sql/endpoints lists {endpoints}', async () => {
    const r = await call(emu, 'GET', '/api/2.0/sql/endpoints');
    assert.equal(r.body.endpoints.length, 3);
    assert.match(r.body.endpoints[0].odbc_params.path, /^\/sql\/1\.0\/endpoints\//);
  });
  it('clusters: get, permanent-delete on 2.0 and 2.1, unknown → 400', async () => {
    const id = '0601-182128-dcbte59m';
    assert.equal((await call(emu, 'GET', '/api/2.0/clusters/get', { query: { cluster_id: id } })).body.cluster_id, id);
    assert.equal((await call(emu, 'POST', '/api/2.1/clusters/permanent-delete', { body: { cluster_id: id } })).status, 200);
    const again = await call(emu, 'POST', '/api/2.0/clusters/permanent-delete', { body: { cluster_id: id } });
    assert.equal(again.status, 400);
    assert.equal(again.body.error_code, 'INVALID_PARAMETER_VALUE');
  });
});

describe('Unity Catalog', () => {
  it('catalog visibility: metastore admin sees all, workspace admin sees owned/granted, user sees granted', async () => {
    const list = async (token: string): Promise<string[]> => (await drain('/api/2.1/unity-catalog/catalogs', 'catalogs', {}, token)).items.map((c) => c.name).sort();
    assert.deepEqual(await list(emu.tokenFor(METASTORE_ADMIN)), ['acme_prod', 'analytics', 'hive_metastore', 'main', 'sales']);
    assert.deepEqual(await list(emu.adminToken), ['acme_prod', 'analytics', 'hive_metastore', 'main']);
    assert.deepEqual(await list(emu.tokenFor(USER)), ['acme_prod', 'analytics', 'hive_metastore', 'main']);
  });
  it('catalogs paging with max_results, a server cap and empty pages', async () => {
    const meta = emu.tokenFor(METASTORE_ADMIN);
    const all = await drain('/api/2.1/unity-catalog/catalogs', 'catalogs', {}, meta);
    assert.equal(all.pages, 1);
    const byTwo = await drain('/api/2.1/unity-catalog/catalogs', 'catalogs', { max_results: 2 }, meta);
    assert.equal(byTwo.pages, 3);
    assert.deepEqual(byTwo.items, all.items);
    emu.state.options.ucPageSize = 1;
    emu.state.options.ucEmptyPages = true;
    const tricky = await drain('/api/2.1/unity-catalog/catalogs', 'catalogs', { max_results: 2 }, meta);
    assert.deepEqual(tricky.items, all.items);
    assert.equal(tricky.empties, 5, 'an empty page (with a token) precedes every real page, the first included');
    const first = await call(emu, 'GET', '/api/2.1/unity-catalog/catalogs', { token: meta });
    assert.deepEqual(first.body.catalogs, []);
    assert.equal(typeof first.body.next_page_token, 'string');
  });
  it('schemas of a catalog, hive_metastore schemas, unknown catalog 404', async () => {
    const s = await drain('/api/2.1/unity-catalog/schemas', 'schemas', { catalog_name: 'analytics' });
    assert.deepEqual(s.items.map((x) => x.name).sort(), ['default', 'finance', 'marketing']);
    const h = await drain('/api/2.1/unity-catalog/schemas', 'schemas', { catalog_name: 'hive_metastore' });
    assert.deepEqual(h.items.map((x) => x.name).sort(), ['default', 'legacy_sales']);
    const missing = await call(emu, 'GET', '/api/2.1/unity-catalog/schemas', { query: { catalog_name: 'nope' } });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error_code, 'CATALOG_DOES_NOT_EXIST');
  });
  it('grants: owner may change, non-owner 403, metastore admin may, schema grants by catalog owner', async () => {
    const path = '/api/2.1/unity-catalog/permissions/catalog/analytics';
    const add = await call(emu, 'PATCH', path, { body: { changes: [{ principal: HEX_APP, add: ['CREATE_SCHEMA'] }] } });
    assert.equal(add.status, 200, add.text);
    const hex = add.body.privilege_assignments.find((a: { principal: string }) => a.principal === HEX_APP);
    assert.deepEqual(hex.privileges, ['CREATE_SCHEMA', 'USE_CATALOG']);
    // workspace admin does not own acme_prod (the default catalog)
    const denied = await call(emu, 'PATCH', '/api/2.1/unity-catalog/permissions/catalog/acme_prod', { body: { changes: [{ principal: DBT_APP, add: ['USE_CATALOG'] }] } });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error_code, 'PERMISSION_DENIED');
    const metaOk = await call(emu, 'PATCH', '/api/2.1/unity-catalog/permissions/catalog/acme_prod', {
      token: emu.tokenFor(METASTORE_ADMIN),
      body: { changes: [{ principal: DBT_APP, add: ['USE_CATALOG'] }] },
    });
    assert.equal(metaOk.status, 200);
    // noah owns analytics.finance; ava owns the catalog analytics → both may grant on the schema
    for (const tok of [emu.adminToken, emu.tokenFor(USER)]) {
      const r = await call(emu, 'PATCH', '/api/2.1/unity-catalog/permissions/schema/analytics.finance', { token: tok, body: { changes: [{ principal: HEX_APP, add: ['USE_SCHEMA'] }] } });
      assert.equal(r.status, 200, r.text);
    }
    // noah does not own analytics.marketing
    const r2 = await call(emu, 'PATCH', '/api/2.1/unity-catalog/permissions/schema/analytics.marketing', { token: emu.tokenFor(USER), body: { changes: [{ principal: HEX_APP, remove: ['SELECT'] }] } });
    assert.equal(r2.status, 403);
    const get = await call(emu, 'GET', '/api/2.1/unity-catalog/permissions/schema/analytics.finance');
    assert.deepEqual(get.body.privilege_assignments, [{ principal: HEX_APP, privileges: ['USE_SCHEMA'] }]);
    // remove everything → the principal disappears
    await call(emu, 'PATCH', '/api/2.1/unity-catalog/permissions/schema/analytics.finance', { body: { changes: [{ principal: HEX_APP, remove: ['USE_SCHEMA'] }] } });
    const after2 = await call(emu, 'GET', '/api/2.1/unity-catalog/permissions/schema/analytics.finance');
    assert.deepEqual(after2.body.privilege_assignments, []);
  });
  it('grants validation: unknown principal, privilege not applicable, unknown securable', async () => {
    const path = '/api/2.1/unity-catalog/permissions/catalog/analytics';
    const p = await call(emu, 'PATCH', path, { body: { changes: [{ principal: 'ghost@acme.example', add: ['USE_CATALOG'] }] } });
    assert.equal(p.status, 400);
    assert.equal(p.body.error_code, 'PRINCIPAL_DOES_NOT_EXIST');
    const q = await call(emu, 'PATCH', '/api/2.1/unity-catalog/permissions/schema/analytics.default', { body: { changes: [{ principal: HEX_APP, add: ['CREATE_SCHEMA'] }] } });
    assert.equal(q.status, 400);
    const before = emu.state.ucGrantMap('catalog', 'analytics').get(HEX_APP);
    assert.deepEqual([...(before ?? [])], ['USE_CATALOG'], 'a failed PATCH changes nothing');
    const nf = await call(emu, 'GET', '/api/2.1/unity-catalog/permissions/schema/analytics.nope');
    assert.equal(nf.status, 404);
    assert.equal(nf.body.error_code, 'SCHEMA_DOES_NOT_EXIST');
  });
  it('metastore assignment, summary, default namespace', async () => {
    const a = await call(emu, 'GET', '/api/2.1/unity-catalog/current-metastore-assignment');
    assert.equal(a.body.default_catalog_name, 'acme_prod');
    assert.equal(a.body.metastore_id, '11111111-2222-4333-8444-555555555555');
    const s = await call(emu, 'GET', '/api/2.1/unity-catalog/metastore_summary');
    assert.equal(s.body.owner, 'metastore-admins');
    const d = await call(emu, 'GET', '/api/2.0/settings/types/default_namespace_ws/names/default');
    assert.equal(d.body.namespace.value, 'acme_prod');
    emu.state.defaultNamespaceSetting = null;
    assert.equal((await call(emu, 'GET', '/api/2.0/settings/types/default_namespace_ws/names/default')).status, 404);
  });
  it('a workspace without a metastore: 404 on assignment and UC APIs', async () => {
    emu.reset(seedPath('hive-only.json'));
    const a = await call(emu, 'GET', '/api/2.1/unity-catalog/current-metastore-assignment');
    assert.equal(a.status, 404);
    assert.equal(a.body.error_code, 'METASTORE_DOES_NOT_EXIST');
    assert.equal((await call(emu, 'GET', '/api/2.1/unity-catalog/catalogs')).status, 404);
    assert.equal((await call(emu, 'GET', '/api/2.0/settings/types/default_namespace_ws/names/default')).status, 404);
    emu.reset(seedPath('demo.json'));
  });
});
