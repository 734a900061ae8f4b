/**
 * The SQL warehouse a connect creates is not forced serverless: Serverless where the workspace has it,
 * else Pro, else Classic, within the types the partner is offered — whether the workspace's warehouse
 * settings say so, or only a refused create does (then the next type is created and the progress says
 * why). Over real HTTP against the emulator.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildPlan,
  connect,
  ConnectRolledBackError,
  describePlan,
  disconnect,
  loadBuiltinCatalog,
  preflightConnect,
  WarehouseTypeRefusedError,
  type CatalogPartner,
  type ConnectChoices,
  type ConnectProgress,
} from '../../src/domain';
import { readWarehouseTypeSupport } from '../../src/domain/compute/warehouseTypes';
import { clientFor, snapshot, startEnv, type Env } from './helpers';
import { USER } from '../fixtures/seed';

const catalog = loadBuiltinCatalog();
const dataiku = catalog.require('dataiku');
const choices = (type?: 'serverless' | 'pro' | 'classic'): ConnectChoices => ({
  catalog: 'analytics',
  schemas: ['marketing'],
  warehouse: { kind: 'create', name: 'DATAIKU_ENDPOINT', ...(type ? { type } : {}) },
});
const noop = { deliverSecretOnce: (): void => undefined };

async function withEnv(options: { serverlessAvailable?: boolean; warehouseConfigTellsServerless?: boolean; warehouseTypes?: ('PRO' | 'CLASSIC')[] }, run: (env: Env) => Promise<void>): Promise<void> {
  const env = await startEnv();
  try {
    Object.assign(env.emu.state.options, options);
    await run(env);
  } finally {
    await env.close();
  }
}

const created = (env: Env) => [...env.emu.state.warehouses.values()].filter((w) => w.name === 'DATAIKU_ENDPOINT');
const creates = (env: Env) => env.emu.requests.filter((r) => r.method === 'POST' && r.path === '/api/2.0/sql/warehouses');

test('serverless where the workspace has it: the settings say so, one create, a Serverless warehouse', () =>
  withEnv({}, async (env) => {
    const pf = await preflightConnect(env.client, dataiku, choices());
    assert.deepEqual(pf.problems, []);
    assert.equal(pf.warehouseType?.type, 'serverless');
    assert.deepEqual(pf.warehouseType?.fallback, [], 'the settings confirm serverless: nothing to fall back to');
    assert.deepEqual(pf.warehouseType?.offer.offered, ['serverless', 'pro', 'classic']);
    env.emu.clearRequests();
    const res = await connect(env.ctx, dataiku, choices(), noop);
    assert.equal(creates(env).length, 1);
    const [w] = created(env);
    assert.equal(w.enable_serverless_compute, true);
    assert.equal(w.warehouse_type, 'PRO');
    assert.ok(res.created.some((r) => r.kind === 'warehouse' && r.name === 'DATAIKU_ENDPOINT (Serverless)'));
    await disconnect(env.ctx, dataiku, 'reset');
  }));

test('no serverless in the settings: Pro is offered first and created; asking for Serverless is refused before anything is created', () =>
  withEnv({ serverlessAvailable: false }, async (env) => {
    const pf = await preflightConnect(env.client, dataiku, choices());
    assert.deepEqual(pf.problems, []);
    assert.deepEqual(pf.warehouseType?.offer.offered, ['pro', 'classic']);
    assert.equal(pf.warehouseType?.type, 'pro');
    const plan = describePlan(buildPlan(dataiku, pf.normalized, { warehouseType: pf.warehouseType ?? undefined, credential: pf.credential ?? undefined }));
    assert.ok(plan.some((l) => /^Create the Pro SQL warehouse DATAIKU_ENDPOINT/.test(l)), plan.join('\n'));

    const before = snapshot(env.emu.state);
    const refused = await preflightConnect(env.client, dataiku, choices('serverless'));
    assert.deepEqual(refused.problems.map((p) => p.code), ['warehouse-type-unavailable']);
    assert.match(refused.problems[0].message, /does not offer Serverless SQL warehouses\. Choose Pro or Classic/);
    await assert.rejects(connect(env.ctx, dataiku, choices('serverless'), noop), /does not offer Serverless/);
    assert.deepEqual(snapshot(env.emu.state), before, 'nothing was created');

    env.emu.clearRequests();
    await connect(env.ctx, dataiku, choices(), noop);
    assert.equal(creates(env).length, 1, 'no refused attempt');
    const [w] = created(env);
    assert.equal(w.enable_serverless_compute, false);
    assert.equal(w.warehouse_type, 'PRO');
    await disconnect(env.ctx, dataiku, 'reset');
    assert.deepEqual(snapshot(env.emu.state), before);
  }));

test('settings silent about serverless: a refused Serverless create gives way to Pro, the progress says why, and reset leaves nothing', () =>
  withEnv({ serverlessAvailable: false, warehouseConfigTellsServerless: false }, async (env) => {
    const before = snapshot(env.emu.state);
    const pf = await preflightConnect(env.client, dataiku, choices());
    assert.equal(pf.warehouseType?.type, 'serverless');
    assert.deepEqual(pf.warehouseType?.fallback, ['pro'], 'Pro is known to be enabled: no need to go further');
    const plan = describePlan(buildPlan(dataiku, pf.normalized, { warehouseType: pf.warehouseType ?? undefined }));
    assert.ok(plan.some((l) => l.includes('Serverless SQL warehouse DATAIKU_ENDPOINT') && l.includes('if the workspace refuses Serverless: Pro')), plan.join('\n'));

    env.emu.clearRequests();
    const events: ConnectProgress[] = [];
    const res = await connect(env.ctx, dataiku, choices(), { ...noop, onProgress: (e) => events.push(e) });
    const posts = creates(env);
    assert.deepEqual(posts.map((r) => r.status), [400, 200], 'one refusal, then the Pro warehouse');
    assert.equal((posts[0].body as { enable_serverless_compute?: boolean }).enable_serverless_compute, true);
    assert.equal((posts[1].body as { enable_serverless_compute?: boolean; warehouse_type?: string }).enable_serverless_compute, false);
    const [w] = created(env);
    assert.equal(w.warehouse_type, 'PRO');
    assert.equal(w.enable_serverless_compute, false);
    assert.ok(events.some((e) => e.step === 'create-warehouse' && e.detail === 'Serverless refused by the workspace: created a Pro warehouse instead'), JSON.stringify(events.filter((e) => e.step === 'create-warehouse')));
    assert.ok(res.created.some((r) => r.name === 'DATAIKU_ENDPOINT (Pro)'));
    await disconnect(env.ctx, dataiku, 'reset');
    assert.deepEqual(snapshot(env.emu.state), before);
  }));

test('only Classic enabled: Classic is created directly (Serverless needs Pro)', () =>
  withEnv({ serverlessAvailable: false, warehouseTypes: ['CLASSIC'] }, async (env) => {
    const pf = await preflightConnect(env.client, dataiku, choices());
    assert.deepEqual(pf.warehouseType?.offer.offered, ['classic']);
    assert.deepEqual(pf.warehouseType?.offer.notOffered.map((x) => x.type), ['serverless', 'pro']);
    env.emu.clearRequests();
    await connect(env.ctx, dataiku, choices(), noop);
    assert.deepEqual(creates(env).map((r) => r.status), [200]);
    assert.equal(created(env)[0].warehouse_type, 'CLASSIC');
  }));

test('a partner offered Serverless only, on a workspace that refuses it without saying so: rolled back with the refusal explained', () =>
  withEnv({ serverlessAvailable: false, warehouseConfigTellsServerless: false }, async (env) => {
    const only: CatalogPartner = { ...dataiku, warehouseTypes: ['serverless'] };
    const before = snapshot(env.emu.state);
    const err = await connect(env.ctx, only, choices(), noop).then(
      () => assert.fail('the connect should fail'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ConnectRolledBackError, String(err));
    assert.equal(err.failedStep, 'create-warehouse');
    const cause = (err as { cause?: unknown }).cause;
    assert.ok(cause instanceof WarehouseTypeRefusedError, String(cause));
    assert.match(cause.message, /refused to create the SQL warehouse DATAIKU_ENDPOINT: Serverless: Serverless SQL warehouses are not available/);
    assert.match(cause.action, /existing SQL warehouse/);
    assert.match(err.message, /refused to create the SQL warehouse/, 'the reason reaches the message the user sees');
    assert.deepEqual(snapshot(env.emu.state), before, 'the service principal made meanwhile was removed again');
  }));

test('a partner not offered Serverless gets Pro even where the workspace has serverless', () =>
  withEnv({}, async (env) => {
    const p: CatalogPartner = { ...dataiku, warehouseTypes: ['pro', 'classic'] };
    const pf = await preflightConnect(env.client, p, choices());
    assert.equal(pf.warehouseType?.type, 'pro');
    assert.match(pf.warehouseType?.offer.notOffered[0].reason ?? '', /does not offer Dataiku Serverless/);
    assert.deepEqual((await preflightConnect(env.client, p, choices('serverless'))).problems.map((x) => x.code), ['warehouse-type-unavailable']);
  }));

test('a non-admin cannot read the warehouse settings: every type is tried in order (no guess from silence)', () =>
  withEnv({}, async (env) => {
    const user = clientFor(env.emu, env.emu.tokenFor(USER), []);
    try {
      const s = await readWarehouseTypeSupport(user);
      assert.deepEqual(s, { byType: { serverless: 'unknown', pro: 'unknown', classic: 'unknown' }, source: 'unknown' });
    } finally {
      await user.close();
    }
  }));
