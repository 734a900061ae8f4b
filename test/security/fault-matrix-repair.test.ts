/**
 * Issue 11, standing guarantee "fault matrix" for drift repair: every request a repair makes × every
 * fault kind (faultCases.ts kindsFor: 500, 500 after the work, 429 / 503 with Retry-After until the
 * retries run out, 429 / 503 once after the work, reset before / after, timeout at the statement
 * POSTs), over real HTTP against the emulator, for a Unity Catalog and a Hive metastore drift that
 * between them need every kind of repair change (repairCases.ts).
 *
 * Each case ends complete (nothing left to repair, every change applied once) or with a
 * RepairIncompleteError whose `repaired` and `remaining` are exactly what a fresh inspection says
 * (verified) - or, when the fault also cut off the repair's second look, what answered as repaired
 * and the rest as left, the failed change marked as possibly applied; when it repaired nothing, the
 * workspace is exactly as before.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyRepair, describeRepair, inspectConnection, RepairIncompleteError } from '../../src/domain';
import { kindsFor, requestsOf, timeoutClientFor } from '../domain/faultCases';
import { snapshot, startEnv } from '../domain/helpers';
import { connectAndDrift, REPAIR_CASES, stillToRepair, words } from './repairCases';
import { casesOf, Tally, trace, underFault } from './matrix';

test('repair: every request × every fault kind - complete, or RepairIncompleteError naming exactly what was repaired and what is left', { concurrency: true }, async (t) => {
  await Promise.all(
    REPAIR_CASES.map(({ name, c }) =>
    t.test(name, async () => {
      const env = await startEnv({ seed: c.seed });
      const timeouts = timeoutClientFor(env);
      try {
        const { drift, drifted, repaired, plan } = await connectAndDrift(env, c);
        assert.ok(plan.length >= (c.choices.isHive ? 4 : 6), `the drift needs every kind of change: ${JSON.stringify(plan)}`);
        const inspection = await inspectConnection(env.client, c.partner);
        const reqs = await requestsOf(env, () => applyRepair(env.client, inspection));
        const m = new Tally();
        const { bad } = m;
        for (const { r, kind, label } of casesOf(reqs, kindsFor)) {
          {
            m.cases++;
            drift();
            // a request that timed out is carried out by the emulator later (faultCases.ts rule): the repair waits longer before it asks again
            const { outcome, seen, missed } = await underFault(env, timeouts, kind, r, (timeout) => applyRepair(timeout ? timeouts.client : env.client, inspection, { settleMs: timeout ? 250 : 0 }));
            const fail = (why: string): number => bad.push(`${label}: ${why} [${trace(seen)}]`);
            missed.forEach(fail);
            if (outcome.ok) {
              m.count('complete');
              if (JSON.stringify(snapshot(env.emu.state)) !== JSON.stringify(repaired)) fail('complete, but the workspace is not as the profile says');
              if (JSON.stringify(words(outcome.res.applied)) !== JSON.stringify([...plan].sort())) fail(`complete, but applied ${JSON.stringify(words(outcome.res.applied))}`);
            } else if (outcome.e instanceof RepairIncompleteError) {
              const left = (await stillToRepair(env, c)).sort();
              m.count('incomplete');
              const e = outcome.e;
              const expectRepaired = plan.filter((p) => !left.includes(p)).sort();
              if (e.verified) {
                m.count('verified');
                if (JSON.stringify(words(e.remaining)) !== JSON.stringify(left)) fail(`remaining ${JSON.stringify(words(e.remaining))}, but the workspace still needs ${JSON.stringify(left)}`);
                if (JSON.stringify(words(e.repaired)) !== JSON.stringify(expectRepaired)) fail(`repaired ${JSON.stringify(words(e.repaired))}, but the workspace no longer needs ${JSON.stringify(expectRepaired)}`);
              } else {
                // the fault also cut off the second look (a reset or timeout of every statement POST that follows): what answered
                // is repaired, what is left is named, and only the change that failed (the first named) may have been applied
                if (!/could not be asked again/.test(e.message)) fail(`unverified, but the message does not say so: ${e.message}`);
                const named = words(e.remaining);
                for (const l of left) if (!named.includes(l)) fail(`${l} is still to repair but not named`);
                const extra = named.filter((n) => !left.includes(n));
                if (extra.length > 1 || (extra.length === 1 && describeRepair(e.remaining[0]) !== extra[0])) fail(`named as left but done: ${JSON.stringify(extra)}`);
                for (const r of words(e.repaired)) if (!expectRepaired.includes(r)) fail(`${r} is named repaired but still needed`);
              }
              for (const l of left) if (!e.message.includes(l.replace(/\.$/, ''))) fail(`the message does not name ${l}: ${e.message}`);
              if (e.repaired.length === 0 && JSON.stringify(snapshot(env.emu.state)) !== JSON.stringify(drifted)) fail('nothing repaired, but the workspace changed');
              if (e.cancelled) fail('a fault is reported as a cancellation');
            } else {
              fail(`${(outcome.e as Error).name}: ${(outcome.e as Error).message.slice(0, 200)}`);
            }
          }
        }
        assert.deepEqual(bad, [], m.summary);
        assert.ok((m.outcomes.incomplete ?? 0) > 0 && (m.outcomes.complete ?? 0) > 0, m.summary);
        t.diagnostic(`${name}: ${m.summary}`);
      } finally {
        await timeouts.client.close();
        await env.close();
      }
    }),
    ),
  );
});
