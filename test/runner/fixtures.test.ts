/** The shared test fixtures (test/fixtures) still describe the demo seed and behave as documented. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it, test } from 'node:test';
import { DEMO_SEED_PATH, EmulatorState } from '../emulator';
import { hits, useEmulator } from '../fixtures/emulator';
import { call, raw, tinyServer } from '../fixtures/http';
import { grantsOf, spNamed, tokensOf } from '../fixtures/principals';
import * as seed from '../fixtures/seed';
import { waitUntil } from '../fixtures/wait';

test('the names in test/fixtures/seed.ts are the demo seed\'s', () => {
  const st = new EmulatorState(DEMO_SEED_PATH);
  assert.ok(st.findUser(seed.ADMIN)?.groups.has('admins'), `${seed.ADMIN} is a workspace admin`);
  assert.ok(st.findUser(seed.METASTORE_ADMIN)?.groups.has('metastore-admins'), `${seed.METASTORE_ADMIN} is a metastore admin`);
  assert.ok(st.findUser(seed.USER) && !st.findUser(seed.USER)?.groups.has('admins'), `${seed.USER} is no admin`);
  assert.equal(st.warehouses.get(seed.STARTER_WAREHOUSE)?.name, 'Starter Warehouse');
  assert.equal(st.warehouses.get(seed.DBT_WAREHOUSE)?.name, 'DBT_CLOUD_ENDPOINT');
  for (const sp of [seed.DBT_CLOUD_SP, seed.HEX_SP, seed.CI_SP]) {
    const p = st.servicePrincipals.get(sp.id);
    assert.deepEqual(p && { id: p.id, applicationId: p.applicationId, displayName: p.displayName }, sp);
  }
  assert.deepEqual([seed.DBT_APP, seed.HEX_APP, seed.CI_APP], [seed.DBT_CLOUD_SP.applicationId, seed.HEX_SP.applicationId, seed.CI_SP.applicationId]);
  const raw = JSON.parse(readFileSync(DEMO_SEED_PATH, 'utf8')) as { servicePrincipals: Array<{ applicationId: string; oauthSecret?: string }> };
  assert.equal(raw.servicePrincipals.find((p) => p.applicationId === seed.CI_APP)?.oauthSecret, seed.CI_SECRET);
  assert.equal(seed.RECORD_FOLDER, '/.partner-connect');
});

describe('useEmulator: started before the tests, reset before each, principal lookups on its state', () => {
  const emu = useEmulator();
  it('serves the seed; a test may change it', async () => {
    const me = await call(emu, 'GET', `${seed.SCIM}/Me`);
    assert.equal(me.body.userName, seed.ADMIN);
    assert.equal(hits(emu, 'GET', `${seed.SCIM}/Me`), 1);
    const dbt = spNamed(emu.state, 'DBT_CLOUD_USER');
    assert.equal(dbt?.applicationId, seed.DBT_APP);
    assert.ok(dbt && tokensOf(emu.state, dbt).length > 0, 'the seed gives DBT_CLOUD_USER a token');
    assert.ok(grantsOf(emu.state, seed.DBT_APP).tokenAcl.length > 0, 'and CAN_USE on tokens');
    emu.state.servicePrincipals.delete(seed.DBT_CLOUD_SP.id);
  });
  it('the next test sees the seed again', () => {
    assert.equal(spNamed(emu.state, 'DBT_CLOUD_USER')?.id, seed.DBT_CLOUD_SP.id);
    assert.equal(emu.requests.length, 0);
  });
});

test('raw HTTP: tinyServer records what it got, raw returns status and parsed body; waitUntil returns the value', async () => {
  const srv = await tinyServer((_req, res, body) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ echo: body }));
  });
  try {
    const r = await raw(`${srv.url}/x`, { body: 'hello' });
    assert.deepEqual(r, { status: 200, json: { echo: 'hello' } });
    assert.equal(srv.requests[0]?.url, '/x');
    assert.equal(await waitUntil(() => srv.requests.length, 'a request'), 1);
    await assert.rejects(waitUntil(() => false, 'never', 50, 10), /timed out after 50 ms waiting for never/);
  } finally {
    await srv.close();
  }
});
