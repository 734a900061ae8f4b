import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseScimFilter, evalScimFilter } from '../emulator';
import { useEmulator } from '../fixtures/emulator';
import { call } from '../fixtures/http';
import { DBT_APP, SCIM, USER } from '../fixtures/seed';

const emu = useEmulator();

const names = (body: { Resources?: { displayName: string }[] }): string[] => (body.Resources ?? []).map((r) => r.displayName).sort();

describe('SCIM filters', () => {
  const list = async (filter: string): Promise<string[]> => {
    const r = await call(emu, 'GET', `${SCIM}/ServicePrincipals`, { query: { filter } });
    assert.equal(r.status, 200, r.text);
    return names(r.body);
  };
  it('eq (case-insensitive value), ne, co, sw', async () => {
    assert.deepEqual(await list('displayName eq "DBT_CLOUD_USER"'), ['DBT_CLOUD_USER']);
    assert.deepEqual(await list('displayName eq "dbt_cloud_user"'), ['DBT_CLOUD_USER']);
    assert.deepEqual(await list('displayName ne "DBT_CLOUD_USER"'), ['HEX_USER', 'ci-deployer']);
    assert.deepEqual(await list('displayName co "_USER"'), ['DBT_CLOUD_USER', 'HEX_USER']);
    assert.deepEqual(await list('displayName sw "HEX"'), ['HEX_USER']);
    assert.deepEqual(await list(`applicationId eq "${DBT_APP}"`), ['DBT_CLOUD_USER']);
  });
  it('and / or / parentheses / not, operators case-insensitive', async () => {
    assert.deepEqual(await list('displayName co "USER" and displayName sw "DBT"'), ['DBT_CLOUD_USER']);
    assert.deepEqual(await list('displayName eq "HEX_USER" OR displayName eq "ci-deployer"'), ['HEX_USER', 'ci-deployer']);
    assert.deepEqual(await list('(displayName eq "HEX_USER" or displayName eq "ci-deployer") and displayName sw "ci"'), ['ci-deployer']);
    // without parentheses `and` binds tighter than `or`
    assert.deepEqual(await list('displayName eq "HEX_USER" or displayName eq "ci-deployer" and displayName sw "zzz"'), ['HEX_USER']);
    assert.deepEqual(await list('not (displayName co "USER")'), ['ci-deployer']);
    assert.deepEqual(await list('entitlements.value eq "allow-cluster-create"'), ['DBT_CLOUD_USER']);
    assert.deepEqual(await list('active eq true and groups.display eq "admins"'), ['ci-deployer']);
  });
  it('quoted values with escapes and spaces', () => {
    const f = parseScimFilter('displayName eq "a \\"quoted\\" name" and displayName co "quoted"');
    assert.equal(evalScimFilter(f, () => ['a "quoted" name']), true);
    assert.equal(evalScimFilter(f, () => ['other']), false);
  });
  it('an invalid filter answers 400 with the SCIM error body', async () => {
    for (const bad of ['displayName eq', 'displayName xx "a"', '(displayName eq "a"', 'displayName eq unquoted', 'displayName eq "open']) {
      const r = await call(emu, 'GET', `${SCIM}/ServicePrincipals`, { query: { filter: bad } });
      assert.equal(r.status, 400, bad);
      assert.deepEqual(r.body.schemas, ['urn:ietf:params:scim:api:messages:2.0:Error']);
      assert.equal(r.body.status, '400');
      assert.equal(r.body.scimType, 'InvalidFilter');
      assert.match(r.body.detail, /filter/i);
    }
  });
  it('a filter of more than 200 nodes answers 400, as Databricks does; 200 are served', async () => {
    const terms = (n: number): string => Array.from({ length: n }, (_, i) => `displayName eq "P${i}_USER"`).join(' or ');
    // n comparisons joined by or: 2n - 1 nodes
    const ok = await call(emu, 'GET', `${SCIM}/ServicePrincipals`, { query: { filter: terms(100) } });
    assert.equal(ok.status, 200, 'a filter of 199 nodes');
    const r = await call(emu, 'GET', `${SCIM}/ServicePrincipals`, { query: { filter: terms(101) } });
    assert.equal(r.status, 400, 'a filter of 201 nodes');
    assert.equal(r.body.scimType, 'InvalidFilter');
    assert.match(r.body.detail, /201 nodes; at most 200/);
  });

  it('Groups and Users filters', async () => {
    const g = await call(emu, 'GET', `${SCIM}/Groups`, { query: { filter: 'displayName eq "admins"' } });
    assert.equal(g.body.totalResults, 1);
    const members = g.body.Resources[0].members.map((m: { display: string }) => m.display).sort();
    assert.deepEqual(members, ['Ava Admin', 'ci-deployer']);
    const u = await call(emu, 'GET', `${SCIM}/Users`, { query: { filter: `userName eq "${USER}"` } });
    assert.equal(u.body.Resources[0].userName, USER);
  });
});

describe('SCIM paging', () => {
  it('1-based startIndex/count, Resources absent when empty, count capped', async () => {
    for (let i = 0; i < 250; i++) emu.state.addServicePrincipal({ displayName: `bulk-${String(i).padStart(3, '0')}` });
    const first = await call(emu, 'GET', `${SCIM}/ServicePrincipals`, { query: { filter: 'displayName sw "bulk-"' } });
    assert.equal(first.body.totalResults, 250);
    assert.equal(first.body.itemsPerPage, 100, 'default/capped page size is 100');
    assert.equal(first.body.startIndex, 1);
    const p2 = await call(emu, 'GET', `${SCIM}/ServicePrincipals`, { query: { filter: 'displayName sw "bulk-"', startIndex: 101, count: 1000 } });
    assert.equal(p2.body.itemsPerPage, 100);
    assert.equal(p2.body.Resources[0].displayName, 'bulk-100');
    const p3 = await call(emu, 'GET', `${SCIM}/ServicePrincipals`, { query: { filter: 'displayName sw "bulk-"', startIndex: 201, count: 100 } });
    assert.equal(p3.body.itemsPerPage, 50);
    const past = await call(emu, 'GET', `${SCIM}/ServicePrincipals`, { query: { filter: 'displayName sw "bulk-"', startIndex: 251 } });
    assert.equal(past.status, 200);
    assert.equal('Resources' in past.body, false);
    assert.equal(past.body.totalResults, 250);
    assert.equal(past.body.itemsPerPage, 0);
    const none = await call(emu, 'GET', `${SCIM}/ServicePrincipals`, { query: { filter: 'displayName eq "nobody"' } });
    assert.equal('Resources' in none.body, false);
    assert.equal(none.body.totalResults, 0);
  });
  it('the cap is configurable from the state options', async () => {
    emu.state.options.scimMaxCount = 2;
    const r = await call(emu, 'GET', `${SCIM}/ServicePrincipals`, { query: { count: 50 } });
    assert.equal(r.body.itemsPerPage, 2);
    assert.equal(r.body.totalResults, 3);
  });
  it('10 000 service principals: a filtered page is served (per-principal evaluation)', async () => {
    for (let i = 0; i < 10_000; i++) emu.state.addServicePrincipal({ displayName: `SP_${i}`, entitlements: i % 2 ? ['workspace-access'] : [] });
    const r = await call(emu, 'GET', `${SCIM}/ServicePrincipals`, { query: { filter: 'displayName eq "SP_9999" or displayName eq "SP_5"' } });
    assert.deepEqual(names(r.body), ['SP_5', 'SP_9999']);
    const many = await call(emu, 'GET', `${SCIM}/ServicePrincipals`, { query: { filter: 'entitlements.value eq "workspace-access"', startIndex: 4901, count: 100 } });
    assert.equal(many.body.totalResults, 5002, "5000 bulk + DBT_CLOUD_USER + HEX_USER");
    assert.equal(many.body.itemsPerPage, 100);
  });
  it('displayName eq … or … is answered from the index exactly as a scan would: order, duplicates, renames, deletes', async () => {
    const ids = (body: { Resources?: { id: string }[] }): string[] => (body.Resources ?? []).map((r) => r.id);
    const a = emu.state.addServicePrincipal({ displayName: 'TWIN_USER' });
    emu.state.addServicePrincipal({ displayName: 'other' });
    const b = emu.state.addServicePrincipal({ displayName: 'twin_user' });
    const filter = 'displayName eq "Twin_User" or displayName eq "HEX_USER" or displayName eq "nobody"';
    const scanned = (): string[] => [...emu.state.servicePrincipals.values()].filter((s) => ['twin_user', 'hex_user'].includes(s.displayName.toLowerCase())).map((s) => s.id);
    const listed = async (): Promise<string[]> => ids((await call(emu, 'GET', `${SCIM}/ServicePrincipals`, { query: { filter } })).body);
    assert.deepEqual(await listed(), scanned());
    assert.deepEqual((await listed()).slice(-2), [a.id, b.id]); // listing order, both spellings
    // renamed through the API, then directly on the record (as a test may do)
    const p = await call(emu, 'PATCH', `${SCIM}/ServicePrincipals/${a.id}`, { body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'displayName', value: 'renamed' }] } });
    assert.equal(p.status, 204, p.text);
    assert.ok(!(await listed()).includes(a.id));
    emu.state.servicePrincipals.get(a.id)!.displayName = 'TWIN_USER';
    assert.deepEqual(await listed(), scanned());
    emu.state.servicePrincipals.delete(b.id);
    assert.deepEqual(await listed(), scanned());
    assert.ok(!(await listed()).includes(b.id));
    // a filter the index cannot answer alone is still evaluated on every principal
    const mixed = await call(emu, 'GET', `${SCIM}/ServicePrincipals`, { query: { filter: 'displayName eq "TWIN_USER" or displayName co "other"' } });
    assert.deepEqual(names(mixed.body), ['TWIN_USER', 'other']);
  });
  it('attributes projection keeps id', async () => {
    const r = await call(emu, 'GET', `${SCIM}/ServicePrincipals`, { query: { attributes: 'displayName' } });
    for (const sp of r.body.Resources) assert.deepEqual(Object.keys(sp).sort(), ['displayName', 'id', 'schemas']);
  });
});

describe('SCIM service principal lifecycle', () => {
  it('create (201), get, patch entitlements/active/displayName (204), delete (204), then 404 SCIM body', async () => {
    const c = await call(emu, 'POST', `${SCIM}/ServicePrincipals`, {
      body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal'], displayName: 'FIVETRAN_USER', active: true, entitlements: [{ value: 'workspace-access' }] },
    });
    assert.equal(c.status, 201, c.text);
    assert.match(c.body.id, /^\d+$/);
    assert.match(c.body.applicationId, /^[0-9a-f-]{36}$/);
    const id: string = c.body.id;
    const patch = await call(emu, 'PATCH', `${SCIM}/ServicePrincipals/${id}`, {
      body: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [
          { op: 'add', path: 'entitlements', value: [{ value: 'databricks-sql-access' }, { value: 'allow-cluster-create' }] },
          { op: 'remove', path: 'entitlements', value: [{ value: 'workspace-access' }] },
          { op: 'replace', path: 'displayName', value: 'FIVETRAN_USER_2' },
          { op: 'replace', value: { active: false } },
        ],
      },
    });
    assert.equal(patch.status, 204);
    assert.equal(patch.text, '');
    const g = await call(emu, 'GET', `${SCIM}/ServicePrincipals/${id}`);
    assert.equal(g.body.displayName, 'FIVETRAN_USER_2');
    assert.equal(g.body.active, false);
    assert.deepEqual(g.body.entitlements.map((e: { value: string }) => e.value).sort(), ['allow-cluster-create', 'databricks-sql-access']);
    const badPatch = await call(emu, 'PATCH', `${SCIM}/ServicePrincipals/${id}`, {
      body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'add', path: 'entitlements', value: [{ value: 'be-root' }] }] },
    });
    assert.equal(badPatch.status, 400);
    assert.equal(badPatch.body.status, '400');
    const d = await call(emu, 'DELETE', `${SCIM}/ServicePrincipals/${id}`);
    assert.equal(d.status, 204);
    assert.equal(d.text, '');
    const gone = await call(emu, 'GET', `${SCIM}/ServicePrincipals/${id}`);
    assert.equal(gone.status, 404);
    assert.deepEqual(Object.keys(gone.body).sort(), ['detail', 'schemas', 'status']);
    assert.equal(gone.body.status, '404');
  });
  it('non-admins get 403 (SCIM body) on writes, but may read', async () => {
    const tok = emu.tokenFor(USER);
    const r = await call(emu, 'POST', `${SCIM}/ServicePrincipals`, { token: tok, body: { displayName: 'X' } });
    assert.equal(r.status, 403);
    assert.equal(r.body.status, '403');
    assert.equal((await call(emu, 'DELETE', `${SCIM}/ServicePrincipals/4000000000000201`, { token: tok })).status, 403);
    assert.equal(emu.state.servicePrincipals.has('4000000000000201'), true);
    assert.equal((await call(emu, 'GET', `${SCIM}/ServicePrincipals`, { token: tok })).status, 200);
  });
  it('/Me shows groups; admin membership by the admins group', async () => {
    const me = await call(emu, 'GET', `${SCIM}/Me`);
    assert.equal(me.body.userName, 'ava.admin@acme.example');
    assert.ok(me.body.groups.some((g: { display: string }) => g.display === 'admins'));
    const me2 = await call(emu, 'GET', `${SCIM}/Me`, { token: emu.tokenFor(USER) });
    assert.equal(me2.body.groups.some((g: { display: string }) => g.display === 'admins'), false);
  });
  it('Group 404 uses the recorded SCIM error shape', async () => {
    const r = await call(emu, 'GET', `${SCIM}/Groups/1234`);
    assert.equal(r.status, 404);
    assert.deepEqual(r.body, { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], detail: 'Group with id 1234 is not found', status: '404' });
  });
});
