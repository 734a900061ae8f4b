/**
 * Pre-flight rules over real HTTP, and the record lock: two concurrent connects of the same
 * partner create exactly one service principal.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  catalogOptions,
  connect,
  ConnectInProgressError,
  DefaultCatalogNotOwnedError,
  loadBuiltinCatalog,
  NotWorkspaceAdminError,
  preflightConnect,
  type ConnectChoices,
} from '../../src/domain';
import { snapshot, startEnv } from './helpers';
import { ADMIN, METASTORE_ADMIN, STARTER_WAREHOUSE, USER } from '../fixtures/seed';

const catalog = loadBuiltinCatalog();
const noop = { deliverSecretOnce: (): void => undefined };
const wh = { kind: 'existing', id: STARTER_WAREHOUSE } as const;

test('a partner without Unity Catalog support may only use the default catalog, and gets the seed error when the caller does not own it', async () => {
  const env = await startEnv();
  try {
    const p = catalog.require('preset'); // read profile, no UC support (inferred)
    assert.equal(p.supportsUnityCatalog, false);
    const before = snapshot(env.emu.state);
    await assert.rejects(connect(env.ctx, p, { catalog: 'acme_prod', schemas: ['default'], warehouse: wh }, noop), (e: Error) => {
      assert.ok(e instanceof DefaultCatalogNotOwnedError);
      assert.match(e.message, /only use the workspace default catalog/);
      assert.match(e.message, /default catalog "acme_prod" isn't hive_metastore and you don't own it/);
      return true;
    });
    // another catalog is refused too, as is one the admin owns
    const pf = await preflightConnect(env.client, p, { catalog: 'analytics', schemas: ['marketing'], warehouse: wh });
    assert.deepEqual(pf.problems.map((x) => x.code), ['catalog-not-allowed']);
    assert.deepEqual(snapshot(env.emu.state), before, 'nothing was created');
    const opts = await catalogOptions(env.client, p);
    assert.deepEqual(opts.filter((o) => o.allowed), []);
    assert.equal(opts.find((o) => o.isDefault)?.name, 'acme_prod');
  } finally {
    await env.close();
  }
});

test('catalog rules: a workspace admin may use hive_metastore or a catalog they own; a metastore admin any catalog', async () => {
  const env = await startEnv();
  try {
    const p = catalog.require('hightouch');
    const opts = await catalogOptions(env.client, p);
    const allowed = opts.filter((o) => o.allowed).map((o) => o.name).sort();
    assert.deepEqual(allowed, ['analytics', 'hive_metastore']);
    assert.match(opts.find((o) => o.name === 'main')?.reason ?? '', /don't own the catalog "main"/);
    const pf = await preflightConnect(env.client, p, { catalog: 'main', schemas: ['default'], warehouse: wh });
    assert.deepEqual(pf.problems.map((x) => x.code), ['catalog-not-allowed']);
    const ok = await preflightConnect(env.client, p, { catalog: 'hive_metastore', schemas: ['legacy_sales'], warehouse: wh });
    assert.equal(ok.ok, true, JSON.stringify(ok.problems));
    assert.equal(ok.normalized.isHive, true);
    // schemas must exist; exactly one for a read partner
    const bad = await preflightConnect(env.client, p, { catalog: 'analytics', schemas: ['nope'], warehouse: wh });
    assert.deepEqual(bad.problems.map((x) => x.code), ['schema-not-found']);
    const two = await preflightConnect(env.client, p, { catalog: 'analytics', schemas: ['marketing', 'finance'], warehouse: wh });
    assert.deepEqual(two.problems.map((x) => x.code), ['too-many-schemas']);
    const noWh = await preflightConnect(env.client, p, { catalog: 'analytics', schemas: ['marketing'], warehouse: { kind: 'existing', id: 'doesnotexist' } });
    assert.deepEqual(noWh.problems.map((x) => x.code), ['warehouse-not-found']);
    const taken = await preflightConnect(env.client, catalog.require('dataiku'), { catalog: 'analytics', schemas: ['marketing'], warehouse: { kind: 'create', name: 'Starter Warehouse' } });
    assert.deepEqual(taken.problems.map((x) => x.code), ['warehouse-name-taken']);
  } finally {
    await env.close();
  }
  // the metastore admin (not a workspace admin) may choose any catalog — but is refused as a non-admin
  const meta = await startEnv({ user: METASTORE_ADMIN });
  try {
    const opts = await catalogOptions(meta.client, catalog.require('hightouch'));
    assert.ok(['main', 'analytics', 'sales', 'acme_prod'].every((n) => opts.find((o) => o.name === n)?.allowed), JSON.stringify(opts));
    const pf = await preflightConnect(meta.client, catalog.require('hightouch'), { catalog: 'sales', schemas: ['emea'], warehouse: wh });
    assert.deepEqual(pf.problems.map((x) => x.code), ['not-workspace-admin']);
    assert.equal(pf.isMetastoreAdmin, true);
  } finally {
    await meta.close();
  }
});

test('a non-admin is refused before anything is created', async () => {
  const env = await startEnv({ user: USER });
  try {
    const before = snapshot(env.emu.state);
    await assert.rejects(connect(env.ctx, catalog.require('hightouch'), { catalog: 'hive_metastore', schemas: ['legacy_sales'], warehouse: wh }, noop), (e: Error) => {
      assert.ok(e instanceof NotWorkspaceAdminError);
      assert.match(e.message, /noah\.user@acme\.example is not a workspace admin/);
      return true;
    });
    assert.deepEqual(snapshot(env.emu.state), before);
    assert.equal(env.emu.requests.filter((r) => r.method !== 'GET').length, 0, 'no write request at all');
  } finally {
    await env.close();
  }
});

test('two concurrent connects of the same partner create exactly one service principal', async () => {
  const env = await startEnv();
  try {
    const p = catalog.require('census');
    const choices: ConnectChoices = { catalog: 'analytics', schemas: ['marketing'], warehouse: wh };
    for (let round = 0; round < 5; round++) {
      env.emu.reset();
      // every request held 20 ms, so the three connects overlap as over a network: on loopback a busy
      // machine can let one connect finish before another's pre-flight starts (which then rightly re-uses it)
      env.emu.faults.add({ path: '*', delayMs: 20 });
      const secrets: string[] = [];
      const results = await Promise.allSettled([
        connect(env.ctx, p, choices, { deliverSecretOnce: (v) => void secrets.push(v) }),
        connect(env.ctx, p, choices, { deliverSecretOnce: (v) => void secrets.push(v) }),
        connect(env.ctx, p, choices, { deliverSecretOnce: (v) => void secrets.push(v) }),
      ]);
      const ok = results.filter((r) => r.status === 'fulfilled');
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.equal(ok.length, 1, `round ${round}: exactly one connect wins`);
      // the losers get one error whether pre-flight saw the winner's record or they lost the claim
      for (const f of failed) {
        assert.ok(f.reason instanceof ConnectInProgressError, String(f.reason));
        assert.equal(f.reason.by, ADMIN);
        assert.match(f.reason.message, new RegExp(`^${ADMIN.replace(/\./g, '\\.')} started connecting Census( at \\d{4}-\\d{2}-\\d{2}T[^;]+)?; that connect has not finished\\. Nothing was created by this attempt\\.$`));
      }
      const sps = [...env.emu.state.servicePrincipals.values()].filter((s) => s.displayName === 'CENSUS_USER');
      assert.equal(sps.length, 1, `round ${round}: one CENSUS_USER`);
      assert.equal([...env.emu.state.tokens.values()].filter((t) => t.ownerId === sps[0].id).length, 1, 'one token');
      assert.equal(secrets.length, 1);
    }
    // connecting again re-uses the connection: no new principal, no new token
    const again = await connect(env.ctx, p, choices, noop);
    assert.equal(again.reused, true);
    assert.equal(again.handoff.kind === 'manual' && again.handoff.tokenDelivered, false);
    assert.equal([...env.emu.state.servicePrincipals.values()].filter((s) => s.displayName === 'CENSUS_USER').length, 1);
  } finally {
    await env.close();
  }
});

test('a failing pre-flight read cancels the rest of its wave: nothing keeps retrying behind the error', async () => {
  const env = await startEnv();
  try {
    const p = catalog.require('dbt-cloud');
    const spPath = '/api/2.0/preview/scim/v2/ServicePrincipals';
    // the listing is throttled (the client would wait 1 s and retry); SCIM Me fails outright
    env.emu.faults.add({ method: 'GET', path: spPath, times: 3, status: 429, headers: { 'retry-after': '1' } });
    env.emu.faults.add({ method: 'GET', path: '/api/2.0/preview/scim/v2/Me', status: 500 });
    const started = Date.now();
    await assert.rejects(preflightConnect(env.client, p, { catalog: 'analytics', schemas: [], warehouse: wh }), (e: Error) => {
      assert.equal((e as { status?: number }).status, 500, `the first failure is thrown, not the cancellation of the others: ${e.message}`);
      return true;
    });
    assert.ok(Date.now() - started < 900, 'the throttled listing did not hold the error back');
    // the throttled first attempt may still land; its retry (due 1 s later) must not
    await new Promise((r) => setTimeout(r, 1400));
    assert.ok(env.emu.requests.filter((r) => r.path === spPath).length <= 1, 'no retry of the listing reached the workspace after the pre-flight failed');
  } finally {
    await env.close();
  }
});
