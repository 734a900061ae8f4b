/**
 * Issue 11 item 3: a POST answered 429/503 AFTER the workspace did the work is retried by the client
 * (throttling usually means "not done"). A retried create must not make a second principal, warehouse
 * or token, and a retried record claim must not lock the connect out of itself: the claim that meets
 * RESOURCE_ALREADY_EXISTS reads the record and accepts its own attemptId; a create that may have
 * happened is looked up (name / comment) before it is sent again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyRepair, connect, disconnect, inspectConnection, rotateCredential } from '../../src/domain';
import { CASES, MUTATING, requestsOf } from '../domain/faultCases';
import { snapshot, startEnv } from '../domain/helpers';
import { grantsOf } from '../fixtures/principals';

const c = CASES[0]; // Dataiku: Unity Catalog, a new warehouse

test('429/503 after the work was done, at every POST of a connect: one of everything, complete or rolled back', async () => {
  const env = await startEnv({ seed: c.seed });
  try {
    const clean = snapshot(env.emu.state);
    const reqs = await requestsOf(env, () => connect(env.ctx, c.partner, c.choices, { deliverSecretOnce: () => undefined }));
    const posts = reqs.filter((r) => r.method === 'POST');
    assert.ok(posts.length >= 5, `${posts.length} POSTs`);
    const bad: string[] = [];
    let cases = 0;
    for (const r of posts) {
      for (const status of [429, 503]) {
        cases++;
        env.emu.reset();
        env.emu.faults.add({ method: r.method, path: r.path, nth: r.nth, status, after: true, headers: { 'retry-after': '0' } });
        const label = `${status} after the work at ${r.method} ${r.path} #${r.nth}`;
        let ok = false;
        try {
          await connect({ ...env.ctx, rollbackSettleMs: 0 }, c.partner, c.choices, { deliverSecretOnce: () => undefined });
          ok = true;
        } catch (e) {
          bad.push(`${label}: connect failed: ${(e as Error).name}: ${(e as Error).message.slice(0, 160)}`);
        }
        env.emu.faults.clear();
        const sps = [...env.emu.state.servicePrincipals.values()].filter((s) => s.displayName === c.partner.servicePrincipalName);
        const whs = [...env.emu.state.warehouses.values()].filter((w) => w.name === 'DATAIKU_ENDPOINT');
        const tokens = [...env.emu.state.tokens.values()].filter((t) => sps.some((s) => s.id === t.ownerId));
        if (ok && (sps.length !== 1 || whs.length !== 1 || tokens.length !== 1)) bad.push(`${label}: ${sps.length} principals, ${whs.length} warehouses, ${tokens.length} tokens`);
        await disconnect(env.ctx, c.partner, 'reset').catch((e: unknown) => bad.push(`${label}: reset failed: ${(e as Error).message.slice(0, 160)}`));
        try {
          assert.deepEqual(snapshot(env.emu.state), clean);
        } catch {
          bad.push(`${label}: the workspace is not as before after a reset`);
        }
      }
    }
    assert.deepEqual(bad, [], `${bad.length} of ${cases} cases went wrong`);
  } finally {
    await env.close();
  }
});

/** The principal's credentials in the emulator: tokens and OAuth secrets, by id. */
function credentialsOf(env: Awaited<ReturnType<typeof startEnv>>, spName: string): { sp: string | null; tokens: string[]; secrets: string[] } {
  const sp = [...env.emu.state.servicePrincipals.values()].find((s) => s.displayName === spName);
  if (!sp) return { sp: null, tokens: [], secrets: [] };
  const tokens = [...env.emu.state.tokens.values()].filter((t) => t.ownerId === sp.id).map((t) => t.token_id);
  const secrets = [...sp.secrets.keys()];
  return { sp: sp.id, tokens, secrets };
}

test('429/503 after the work at every POST of a connect that creates an OAuth secret (Azure): one secret', async () => {
  const az = CASES[2];
  const env = await startEnv({ seed: az.seed });
  try {
    const reqs = await requestsOf(env, () => connect(env.ctx, az.partner, az.choices, { deliverSecretOnce: () => undefined }));
    const posts = reqs.filter((r) => r.method === 'POST' && /credentials\/secrets|service-principals|ServicePrincipals|on-behalf-of/i.test(r.path));
    assert.ok(posts.some((r) => /credentials\/secrets/.test(r.path)), 'no secret POST');
    const bad: string[] = [];
    for (const r of posts) {
      for (const status of [429, 503]) {
        env.emu.reset();
        env.emu.faults.add({ method: r.method, path: r.path, nth: r.nth, status, after: true, headers: { 'retry-after': '0' } });
        const label = `${status} after the work at ${r.method} ${r.path} #${r.nth}`;
        await connect({ ...env.ctx, rollbackSettleMs: 0 }, az.partner, az.choices, { deliverSecretOnce: () => undefined }).catch((e: Error) => bad.push(`${label}: ${e.message.slice(0, 120)}`));
        env.emu.faults.clear();
        const c = credentialsOf(env, az.partner.servicePrincipalName ?? '');
        if (c.tokens.length + c.secrets.length !== 1) bad.push(`${label}: ${c.tokens.length} tokens, ${c.secrets.length} secrets`);
      }
    }
    assert.deepEqual(bad, []);
  } finally {
    await env.close();
  }
});

for (const cloud of ['aws', 'azure'] as const) {
  test(`rotate (${cloud === 'aws' ? 'PAT' : 'OAuth secret'}): 429/503 after the work or a reset at every POST - exactly one credential afterwards, the new one or the old one`, async () => {
    const az = CASES[2];
    const env = await startEnv(cloud === 'azure' ? { seed: az.seed } : {});
    try {
      await connect(env.ctx, az.partner, az.choices, { deliverSecretOnce: () => undefined });
      const spName = az.partner.servicePrincipalName ?? '';
      let handed: string[] = [];
      const rotate = (): Promise<unknown> => rotateCredential({ ...env.ctx }, az.partner, { deliverSecretOnce: (v) => void handed.push(v) });
      const reqs = (await requestsOf(env, rotate)).filter((r) => r.method === 'POST');
      assert.ok(reqs.length >= 2, `${reqs.length} POSTs`);
      const bad: string[] = [];
      let cases = 0;
      for (const r of reqs) {
        for (const fault of [
          { status: 429, after: true, headers: { 'retry-after': '0' } },
          { status: 503, after: true, headers: { 'retry-after': '0' } },
          { reset: true, after: true },
        ]) {
          cases++;
          const label = `${JSON.stringify(fault)} at ${r.method} ${r.path} #${r.nth}`;
          const before = credentialsOf(env, spName);
          handed = [];
          env.emu.faults.add({ method: r.method, path: r.path, nth: r.nth, ...fault });
          env.emu.clearRequests();
          const ok = await rotate().then(
            () => true,
            () => false,
          );
          env.emu.faults.clear();
          const after = credentialsOf(env, spName);
          const ids = [...after.tokens, ...after.secrets];
          if (ids.length !== 1) bad.push(`${label}: ${ids.length} credentials afterwards`);
          else if (ok && [...before.tokens, ...before.secrets].includes(ids[0])) bad.push(`${label}: rotate succeeded but the old credential is the one left`);
          else if (!ok && ![...before.tokens, ...before.secrets].includes(ids[0])) bad.push(`${label}: rotate failed but the old credential is gone`);
          if (ok && handed.length !== 1) bad.push(`${label}: ${handed.length} values handed over`);
        }
      }
      assert.deepEqual(bad, [], `${bad.length} of ${cases} cases went wrong`);
    } finally {
      await env.close();
    }
  });
}

test('repair: 429/503 after the work at every request that changes something - the grants end as the profile says, nothing twice', async () => {
  const c = CASES[1]; // Hive: GRANT statements (POST) besides the permission PATCHes
  const env = await startEnv({ seed: c.seed });
  try {
    await connect(env.ctx, c.partner, c.choices, { deliverSecretOnce: () => undefined });
    const sp = [...env.emu.state.servicePrincipals.values()].find((s) => s.displayName === c.partner.servicePrincipalName);
    assert.ok(sp);
    const app = sp.applicationId;
    const drift = async (): Promise<void> => {
      await env.client.patchServicePrincipal(sp.id, [{ op: 'remove', path: 'entitlements', value: [{ value: 'workspace-access' }] }]).catch(() => undefined);
      await env.client.executeStatement({ warehouseId: '1a2b3c4d5e6f7a8b', statement: `REVOKE ALL PRIVILEGES ON SCHEMA \`hive_metastore\`.\`marketing\` FROM \`${app}\`` });
    };
    const clean = grantsOf(env.emu.state, app);
    await drift();
    const reqs = (await requestsOf(env, async () => applyRepair(env.client, await inspectConnection(env.client, c.partner)))).filter((r) => MUTATING.has(r.method));
    assert.ok(reqs.length >= 2, JSON.stringify(reqs));
    const bad: string[] = [];
    for (const r of reqs) {
      for (const status of [429, 503]) {
        await drift();
        const inspection = await inspectConnection(env.client, c.partner);
        env.emu.faults.add({ method: r.method, path: r.path, nth: r.nth, status, after: true, headers: { 'retry-after': '0' } });
        env.emu.clearRequests();
        await applyRepair(env.client, inspection).catch((e: Error) => bad.push(`${status} at ${r.method} ${r.path}: ${e.message.slice(0, 100)}`));
        env.emu.faults.clear();
        if (JSON.stringify(grantsOf(env.emu.state, app)) !== JSON.stringify(clean)) bad.push(`${status} at ${r.method} ${r.path} #${r.nth}: grants differ`);
        if ((await inspectConnection(env.client, c.partner)).drift.inSync !== true) bad.push(`${status} at ${r.method} ${r.path} #${r.nth}: still drifted`);
      }
    }
    assert.deepEqual(bad, []);
  } finally {
    await env.close();
  }
});
