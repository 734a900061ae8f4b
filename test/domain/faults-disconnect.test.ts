/**
 * Fault injection at every request of a disconnect (reset): it stops with a DisconnectIncompleteError
 * naming what is left, and running it again completes — the workspace ends exactly as before the
 * connect.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, disconnect, DisconnectIncompleteError, type ConnectChoices } from '../../src/domain';
import { catalog, MUTATING, requestsOf, rule, type Kind } from './faultCases';
import { snapshot, startEnv } from './helpers';

test('disconnect faults at every request: running it again completes, and the workspace is as before the connect', async () => {
  const env = await startEnv();
  try {
    const p = catalog.require('dataiku');
    const choices: ConnectChoices = { catalog: 'analytics', schemas: ['marketing'], isHive: false, warehouse: { kind: 'create', name: 'DATAIKU_ENDPOINT' } };
    const clean = snapshot(env.emu.state);
    await connect(env.ctx, p, choices, { deliverSecretOnce: () => undefined });
    const reqs = await requestsOf(env, () => disconnect(env.ctx, p, 'reset'));
    let incomplete = 0;
    for (const r of reqs) {
      for (const kind of ['500', '500-after', 'reset-after', '429'] as Kind[]) {
        env.emu.reset();
        await connect(env.ctx, p, choices, { deliverSecretOnce: () => undefined });
        env.emu.faults.add(rule(kind, r.method, r.path, r.nth));
        try {
          await disconnect(env.ctx, p, 'reset');
        } catch (e) {
          incomplete++;
          assert.ok(e instanceof DisconnectIncompleteError || !MUTATING.has(r.method), `${kind} at ${r.method} ${r.path}: ${(e as Error).name}`);
          env.emu.faults.clear();
          await disconnect(env.ctx, p, 'reset'); // resumes
        }
        assert.deepEqual(snapshot(env.emu.state), clean, `${kind} at ${r.method} ${r.path} #${r.nth}`);
      }
    }
    assert.ok(incomplete > 0);
  } finally {
    await env.close();
  }
});
