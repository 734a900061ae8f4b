/**
 * Issue 11, standing guarantee "fault matrix": rotate and disconnect, every request × {HTTP 500,
 * 500 after the work, 429 with Retry-After until the retries run out, connection reset before and
 * after the work, timeout}, over real HTTP against the emulator's fault injection. (Connect has the
 * same matrix in test/domain/faults-connect-*.test.ts; "429/503 after the work" at every POST in
 * retried-creates.test.ts.)
 *
 * Each case ends in one of the outcomes the operation documents, and the workspace must say the same:
 * - rotate: complete (exactly the new credential, handed over once, the record names it); or failed
 *   with nothing changed (exactly the old credentials, nothing handed over, the record as before);
 *   or RotateIncompleteError, whose leftovers are exactly the old credentials still there; or
 *   `rotate-failed`, naming the new credential that is still there.
 * - disconnect: complete; or DisconnectIncompleteError, whose `remaining` names every principal,
 *   token and warehouse still there (and nothing already gone), and running it again completes.
 * - a create that may have happened is looked up before it is sent again: a second POST of a
 *   credential create in one attempt comes only after a listing of the credentials.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, disconnect, DisconnectIncompleteError, rotateCredential } from '../../src/domain';
import type { RecordedRequest } from '../emulator';
import { CASES, kindsFor, MUTATING, requestsOf, timeoutClientFor, type Kind } from '../domain/faultCases';
import { snapshot, startEnv } from '../domain/helpers';
import { casesOf, checkRemaining, credentialIds, judgeRotate, recordText, Tally, trace, underFault } from './matrix';


const isCredentialCreate = (r: { method: string; path: string }): boolean => r.method === 'POST' && /\/(on-behalf-of\/tokens|secrets)$/.test(r.path);
const isCredentialListing = (r: { method: string; path: string }): boolean => r.method === 'GET' && /\/(token-management\/tokens|secrets)$/.test(r.path);

/** A second create POST in one attempt must follow a listing (the first one's answer may have been lost after the work). */
function resentWithoutLookup(seen: RecordedRequest[]): string | undefined {
  let created = false;
  let looked = false;
  for (const r of seen) {
    if (isCredentialCreate(r)) {
      if (created && !looked) return `${r.method} ${r.path} sent again without a look-up`;
      created = true;
      looked = false;
    } else if (created && isCredentialListing(r)) looked = true;
  }
  return undefined;
}

for (const cloud of ['aws', 'azure'] as const) {
  test(`rotate (${cloud === 'aws' ? 'PAT' : 'OAuth secret'}): every request × 500/500-after/429/503/429-after/503-after/reset/reset-after/timeout - the new credential, or the old ones exactly, or leftovers named precisely`, async (t) => {
    const c = CASES[2]; // Census: an existing warehouse; on Azure an OAuth secret
    const env = await startEnv(cloud === 'azure' ? { seed: c.seed } : {});
    const timeouts = timeoutClientFor(env);
    try {
      const spName = c.partner.servicePrincipalName ?? '';
      await connect(env.ctx, c.partner, c.choices, { deliverSecretOnce: () => undefined });
      let handed: string[] = [];
      const opts = { deliverSecretOnce: (v: string) => void handed.push(v) };
      const reqs = await requestsOf(env, () => rotateCredential(env.ctx, c.partner, opts));
      assert.ok(reqs.some(isCredentialCreate), `no credential create in ${JSON.stringify(reqs)}`);
      const m = new Tally();
      const { bad, outcomes } = m;
      for (const { r, kind, label } of casesOf(reqs, kindsFor)) {
        m.cases++;
        const before = credentialIds(env, spName);
        const recordBefore = recordText(env, c.partner.id);
        handed = [];
        // a request that timed out is finished by the emulator later (faultCases.ts rule): rotate waits longer than that before it looks
        const { outcome, seen, missed } = await underFault(env, timeouts, kind, r, (timeout) =>
          rotateCredential(timeout ? { ...env.ctx, client: timeouts.client, rollbackSettleMs: 250 } : { ...env.ctx, rollbackSettleMs: 0 }, c.partner, opts),
        );
        const fail = (why: string): number => bad.push(`${label}: ${why} [${trace(seen)}]`);
        missed.forEach(fail);
        const resent = resentWithoutLookup(seen);
        if (resent) fail(resent);
        m.count(judgeRotate(env, c.partner, { before, recordBefore, handed, outcome }, fail));
        // the next case starts from one credential and a record that names it
        if (credentialIds(env, spName).length !== 1) await rotateCredential(env.ctx, c.partner, { deliverSecretOnce: () => undefined });
      }
      assert.deepEqual(bad, [], m.summary);
      t.diagnostic(m.summary);
      assert.ok((outcomes.unchanged ?? 0) > 0 && (outcomes.complete ?? 0) > 0, JSON.stringify(outcomes));
    } finally {
      await timeouts.client.close();
      await env.close();
    }
  });
}

test('disconnect: every write × reset/500-after/503/429-after/503-after/timeout - complete, or DisconnectIncompleteError naming exactly what is left; running it again completes', async (t) => {
  const c = CASES[0]; // Dataiku: principal, token, a new warehouse, grants, record
  const env = await startEnv();
  const timeouts = timeoutClientFor(env);
  try {
    const clean = snapshot(env.emu.state);
    const spName = c.partner.servicePrincipalName ?? '';
    const choices = { ...c.choices, schemas: ['marketing'] };
    await connect(env.ctx, c.partner, choices, { deliverSecretOnce: () => undefined });
    const reqs = await requestsOf(env, () => disconnect(env.ctx, c.partner, 'reset'));
    const bad: string[] = [];
    let cases = 0;
    let incomplete = 0;
    // reads: a reset or timeout of a GET is retried by the client (faults-disconnect.test.ts has 500 at every read)
    for (const r of reqs.filter((q) => MUTATING.has(q.method))) {
      // a reset before a DELETE is retried by the client (it is idempotent): only the POSTs get one
      for (const kind of (r.method === 'POST' ? ['reset', '500-after', '503', '429-after', '503-after', 'timeout'] : ['500-after', '503', '429-after', '503-after', 'timeout']) as Kind[]) {
        cases++;
        const label = `${kind} at ${r.method} ${r.path} #${r.nth}`;
        env.emu.reset();
        await connect(env.ctx, c.partner, choices, { deliverSecretOnce: () => undefined });
        const { outcome, missed } = await underFault(env, timeouts, kind, r, (timeout) =>
          disconnect(timeout ? { ...env.ctx, client: timeouts.client, rollbackSettleMs: 250 } : { ...env.ctx, rollbackSettleMs: 0 }, c.partner, 'reset'),
        );
        for (const why of missed) bad.push(`${label}: ${why}`);
        if (!outcome.ok) {
          const e = outcome.e;
          if (!(e instanceof DisconnectIncompleteError)) bad.push(`${label}: ${(e as Error).name}: ${(e as Error).message.slice(0, 160)}`);
          else {
            incomplete++;
            checkRemaining(env, spName, 'DATAIKU_ENDPOINT', e, (why) => bad.push(`${label}: ${why}`));
          }
          await disconnect(env.ctx, c.partner, 'reset').catch((err: Error) => bad.push(`${label}: running it again failed: ${err.message.slice(0, 160)}`));
        }
        try {
          assert.deepEqual(snapshot(env.emu.state), clean);
        } catch {
          bad.push(`${label}: the workspace is not as before the connect`);
        }
      }
    }
    assert.deepEqual(bad, [], `${bad.length} of ${cases} cases went wrong`);
    assert.ok(incomplete > 0, 'no fault made the disconnect stop');
    t.diagnostic(`${cases} cases, ${incomplete} stopped part-way`);
  } finally {
    await timeouts.client.close();
    await env.close();
  }
});
