/**
 * Issue 11 item 3: a POST answered 429/503 AFTER the workspace did the work is retried by the client
 * (throttling usually means "not done"). A retried create must not make a second principal, warehouse
 * or token, and a retried record claim must not lock the connect out of itself: the claim that meets
 * RESOURCE_ALREADY_EXISTS reads the record and accepts its own attemptId; a create that may have
 * happened is looked up (name / comment) before it is sent again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, disconnect } from '../../src/domain';
import { CASES, requestsOf } from '../domain/faultCases';
import { snapshot, startEnv } from '../domain/helpers';

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
