/**
 * Cancellation at every step of a connect (as the step starts, and right after it is done) ends
 * with the emulator exactly as it was; a rollback step that keeps failing is reported precisely.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, detectConnectionStates, disconnect, ConnectRolledBackError, RollbackIncompleteError, type ConnectChoices } from '../../src/domain';
import { CASES, catalog } from './faultCases';
import { snapshot, startEnv } from './helpers';
import { STARTER_WAREHOUSE } from '../fixtures/seed';

for (const c of CASES) {
  test(`cancelling a connect at every step leaves no trace: ${c.name}`, async () => {
    const env = await startEnv({ seed: c.seed });
    env.ctx.rollbackSettleMs = 100;
    try {
      const clean = snapshot(env.emu.state);
      const steps: string[] = [];
      await connect(env.ctx, c.partner, c.choices, { deliverSecretOnce: () => undefined, onProgress: (p) => p.status === 'started' && steps.push(p.step) });
      await disconnect(env.ctx, c.partner, 'reset');
      assert.deepEqual(snapshot(env.emu.state), clean);
      for (const step of steps) {
        for (const when of ['started', 'done'] as const) {
          env.emu.reset();
          const ac = new AbortController();
          if (step === steps[steps.length - 1] && when === 'done') {
            // too late: the connection is complete; a reset removes it
            await connect(env.ctx, c.partner, c.choices, { signal: ac.signal, deliverSecretOnce: () => undefined, onProgress: (p) => p.step === step && p.status === when && ac.abort() });
            await disconnect(env.ctx, c.partner, 'reset');
            assert.deepEqual(snapshot(env.emu.state), clean);
            continue;
          }
          await assert.rejects(
            connect(env.ctx, c.partner, c.choices, {
              signal: ac.signal,
              deliverSecretOnce: () => undefined,
              onProgress: (p) => {
                if (p.step === step && p.status === when) ac.abort();
              },
            }),
            (e: Error) => {
              // cancellation is distinguishable by name; it is also a rolled-back connect
              assert.equal(e.name, 'AbortError', `${step}/${when}: ${e.name}: ${e.message}`);
              if (step !== 'preflight') assert.ok(e instanceof ConnectRolledBackError);
              return true;
            },
          );
          assert.deepEqual(snapshot(env.emu.state), clean, `cancel at ${step} (${when}): the workspace is exactly as before`);
        }
      }
    } finally {
      await env.close();
    }
  });
}

test('a rollback step that keeps failing is reported precisely (names and ids)', async () => {
  const env = await startEnv();
  try {
    const p = catalog.require('hightouch');
    const choices: ConnectChoices = { catalog: 'analytics', schemas: ['marketing'], isHive: false, warehouse: { kind: 'existing', id: STARTER_WAREHOUSE } };
    // the token cannot be created, and the service principal cannot be deleted
    env.emu.faults.add({ method: 'POST', path: '/api/2.0/token-management/on-behalf-of/tokens', status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message: 'nope' } });
    env.emu.faults.add({ method: 'DELETE', path: /^\/api\/2\.0\/preview\/scim\/v2\/ServicePrincipals\//, status: 500 });
    const err = await connect(env.ctx, p, choices, { deliverSecretOnce: () => undefined }).then(
      () => assert.fail('connect should fail'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof RollbackIncompleteError, String(err));
    const sp = [...env.emu.state.servicePrincipals.values()].find((s) => s.displayName === 'HIGHTOUCH_USER');
    assert.ok(sp, 'the principal is still there');
    assert.deepEqual(
      err.leftovers.map((l) => [l.kind, l.name, l.id]),
      [['service-principal', 'HIGHTOUCH_USER', sp.id]],
    );
    assert.match(err.message, /HIGHTOUCH_USER/);
    assert.match(err.message, new RegExp(sp.id));
    // the other steps were undone: grants revoked, record removed
    assert.deepEqual(env.emu.state.ucGrants.get('catalog:analytics')?.get(sp.applicationId), undefined);
    assert.equal(env.emu.state.files.has('/.partner-connect/hightouch.json'), false);
    // clean-up afterwards works: a reset deletes the leftover
    env.emu.faults.clear();
    await disconnect(env.ctx, p, 'reset');
    assert.equal([...env.emu.state.servicePrincipals.values()].some((s) => s.displayName === 'HIGHTOUCH_USER'), false);
  } finally {
    await env.close();
  }
});


test('an interrupted connect (nothing could be rolled back) shows as connect incomplete, and a reset clears all of it', async () => {
  const env = await startEnv();
  try {
    const clean = snapshot(env.emu.state);
    const p = catalog.require('dataiku');
    const choices: ConnectChoices = { catalog: 'analytics', schemas: ['marketing'], warehouse: { kind: 'create', name: 'DATAIKU_ENDPOINT' } };
    env.emu.faults.add({ method: 'POST', path: '/api/2.0/token-management/on-behalf-of/tokens', status: 500 });
    env.emu.faults.add({ method: 'DELETE', path: /^\/api\/2\.0\/(preview\/scim\/v2\/ServicePrincipals|sql\/warehouses)\//, status: 500 });
    env.emu.faults.add({ method: 'POST', path: '/api/2.0/workspace/delete', status: 500 });
    const err = await connect(env.ctx, p, choices, { deliverSecretOnce: () => undefined }).then(
      () => assert.fail('should fail'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof RollbackIncompleteError);
    assert.deepEqual(err.leftovers.map((l) => l.kind).sort(), ['record', 'service-principal', 'warehouse']);
    env.emu.faults.clear();
    const snap = await detectConnectionStates(env.client, catalog);
    const st = snap.partners.find((x) => x.partnerId === 'dataiku');
    assert.equal(st?.state, 'degraded');
    assert.deepEqual(st?.reasons.map((r) => r.code), ['connect-incomplete']);
    await disconnect(env.ctx, p, 'reset');
    assert.deepEqual(snapshot(env.emu.state), clean);
  } finally {
    await env.close();
  }
});

test('a failed connect names its step and every removed resource in the admin words (no step ids, no "uc-grant", the cause once)', async () => {
  const env = await startEnv();
  try {
    const p = catalog.require('hightouch');
    const choices: ConnectChoices = { catalog: 'analytics', schemas: ['marketing'], isHive: false, warehouse: { kind: 'existing', id: STARTER_WAREHOUSE } };
    env.emu.faults.add({ method: 'POST', path: '/api/2.0/token-management/on-behalf-of/tokens', status: 500 });
    const rollback: Array<{ message: string; kind?: string }> = [];
    const err = await connect(env.ctx, p, choices, {
      deliverSecretOnce: () => undefined,
      onProgress: (pr) => pr.type === 'rollback' && pr.status === 'done' && rollback.push({ message: pr.message, kind: pr.ref?.kind }),
    }).then(
      () => assert.fail('connect should fail'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ConnectRolledBackError, String(err));
    assert.equal(err.failedStep, 'create-credential', 'the id stays for programs');
    assert.match(err.message, /^Connecting Hightouch failed at “Create its personal access token \(\d+ days\)”: /);
    assert.equal(err.message.match(/HTTP 500 INTERNAL_ERROR/g)?.length, 1, `the cause once: ${err.message}`);
    assert.ok(rollback.length >= 4, JSON.stringify(rollback));
    for (const r of rollback) {
      assert.ok(r.kind, 'each rollback event names its resource');
      assert.doesNotMatch(r.message, /uc-grant|token-permission|warehouse-permission|service-principal|catalog:/, r.message);
    }
    assert.ok(rollback.some((r) => /^Removing Service principal HIGHTOUCH_USER \(\d+\)$/.test(r.message)), JSON.stringify(rollback));
    assert.ok(rollback.some((r) => /^Removing Grant: .* \(Unity Catalog\)$/.test(r.message)), JSON.stringify(rollback));
  } finally {
    await env.close();
  }
});
