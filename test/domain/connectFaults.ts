/**
 * Fault injection at every request of a connect — HTTP 500 (before and after the server did the
 * work), 429 until retries run out, connection reset (before and after the work), timeout — always
 * ends with the emulator exactly as it was: the connect either completes (retries got through) or
 * is rolled back completely. One test file per case (see faults-connect-*.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, disconnect, ConnectRolledBackError, RollbackIncompleteError } from '../../src/domain';
import { kindsFor, quiesce, requestsOf, rule, timeoutClientFor, type Case } from './faultCases';
import { withCleanup } from '../fixtures/cleanup';
import { snapshot, startEnv } from './helpers';

export function connectFaultTest(c: Case): void {
  test(`connect faults at every request leave no trace: ${c.name}`, async () => {
    await withCleanup(async (started) => {
      const env = await startEnv({ seed: c.seed });
      started.defer(() => env.close());
      // a client whose short timeout bites only on the request a timeout fault holds
      const timeouts = timeoutClientFor(env);
      started.defer(() => timeouts.client.close());
      // only a create whose answer was lost needs the rollback's second look; the emulator finishes a held request later (faultCases.ts rule)
      const fastCtx = { ...env.ctx, rollbackSettleMs: 0 };
      const timeoutCtx = { ...env.ctx, client: timeouts.client, rollbackSettleMs: 250 };
      const clean = snapshot(env.emu.state);
      const reqs = await requestsOf(env, () => connect(env.ctx, c.partner, c.choices, { deliverSecretOnce: () => undefined }));
      assert.ok(reqs.length > 10);
      // requests before the record is claimed are pre-flight reads: nothing exists yet to roll back
      const isClaim = (q: { method: string; path: string }): boolean => q.method === 'POST' && q.path === '/api/2.0/workspace/import';
      assert.ok(reqs.findIndex(isClaim) > 0);
      let failures = 0;
      const neverFired: string[] = [];
      for (const r of reqs) {
        // timeouts matter where a request is not repeated: the POSTs
        for (const kind of kindsFor(r.method)) {
          // let the emulator read what an aborted attempt had already sent, so that reset() leaves it behind
          await new Promise((r) => setTimeout(r, 2));
          env.emu.reset();
          timeouts.forget();
          // ids (a new warehouse's, the record folder's) differ from run to run: the rule matches any id where the clean run had one
          env.emu.faults.add({ ...rule(kind, r.method, r.path, r.nth), path: r.pattern, nth: r.nthOfPattern });
          const ctx = kind === 'timeout' ? timeoutCtx : fastCtx;
          const label = `${kind} at ${r.method} ${r.path} #${r.nth}`;
          try {
            await connect(ctx, c.partner, c.choices, { deliverSecretOnce: () => undefined });
            // a connect that went through made every request, the faulted one too (a path with an id must match any id)
            if (!env.emu.requests.some((q) => q.faulted)) neverFired.push(label);
            // the client's retries got through: a complete connection, which a reset removes again
            env.emu.faults.clear();
            await disconnect(env.ctx, c.partner, 'reset');
          } catch (e) {
            failures++;
            const seen = env.emu.requests;
            const trace = seen.map((q) => `${q.method} ${q.path} ${q.status}${q.faulted ? ' <- fault' : ''}`).join('; ');
            assert.ok(!(e instanceof RollbackIncompleteError), `${label}: rollback incomplete: ${(e as Error).message} [${trace}]`);
            // Judged by what this attempt sent, not by the fault's index in the clean run: a transport retry (e.g. of
            // a pre-flight read on a keep-alive connection the server had just closed) shifts the count. The claim is
            // sent only once the pre-flight passed: an attempt that never sent it created nothing (the snapshot below
            // proves it) and may fail as it is; once it was sent, every failure must come back rolled back.
            if (seen.some(isClaim)) assert.ok(e instanceof ConnectRolledBackError, `${label}: ${(e as Error).name}: ${(e as Error).message} [${trace}]`);
          }
          if (kind === 'timeout') await quiesce(env, r.method, r.path);
          // a held request that was sent timed out (only it had the short timeout)
          if (kind === 'timeout' && env.emu.requests.some((q) => q.faulted)) assert.ok(timeouts.timedOut(), `${label}: the held request did not time out`);
          assert.deepEqual(snapshot(env.emu.state), clean, `${label}: the workspace is exactly as before`);
        }
      }
      assert.deepEqual(neverFired, [], 'the fault never fired, yet the connect went through');
      assert.ok(failures > reqs.length, `most faults make the connect fail (${failures})`);
    });
  });

}
