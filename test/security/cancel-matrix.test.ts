/**
 * Issue 11, standing guarantee "fault matrix", the cancellation column: the admin cancels (the
 * operation's AbortSignal is aborted) when request N reaches the workspace, for every N of a connect,
 * a disconnect, a rotate and a repair (one representative partner each), over real HTTP against the
 * emulator. The request that was cancelled has arrived: the workspace carries it out, its answer is
 * lost — the hardest moment to cancel.
 *
 * Cancellation is not a failure: the operation either completes (cancelled too late) or ends with an
 * error that is a cancellation (isCancellation), and the workspace is complete or exactly as before,
 * with what was done and what is left said precisely:
 * - connect: rolled back (ConnectCancelledError), the workspace exactly as before;
 * - disconnect: nothing deleted yet (exactly as before), or DisconnectCancelledError naming exactly
 *   what is still there; running it again completes;
 * - rotate: the outcomes of the rotate fault matrix (matrix.ts judgeRotate);
 * - repair: RepairCancelledError whose repaired / remaining are what a fresh inspection says.
 */
import { test } from 'node:test';
import {
  applyRepair,
  connect,
  ConnectCancelledError,
  disconnect,
  DisconnectIncompleteError,
  inspectConnection,
  isCancellation,
  RepairIncompleteError,
  RollbackIncompleteError,
  rotateCredential,
} from '../../src/domain';
import { CASES, requestsOf } from '../domain/faultCases';
import { snapshot, type Env } from '../domain/helpers';
import { at, checkRemaining, credentialIds, judgeRotate, matrixRunner, recordText, settled, Tally, trace } from './matrix';
import { connectAndDrift, REPAIR_CASES, stillToRepair, words } from './repairCases';

const UC = CASES[0]; // Dataiku: principal, grants, a new warehouse, token, record
const choices = { ...UC.choices, schemas: ['marketing'] };
const noSecret = { deliverSecretOnce: (): void => undefined };

/** Runs `body` for every request of a clean run, with a signal that is aborted when that request arrives. */
async function everyRequest(env: Env, clean: () => Promise<unknown>, before: () => Promise<void>, body: (signal: AbortSignal, label: string, fail: (why: string) => void) => Promise<string>): Promise<Tally> {
  await before();
  const reqs = await requestsOf(env, clean);
  const m = new Tally();
  for (const r of reqs) {
    m.cases++;
    const label = `cancel at ${r.method} ${r.path} #${r.nth}`;
    await before();
    env.emu.clearRequests();
    const ac = new AbortController();
    env.emu.faults.add(at(r, () => ac.abort()));
    const fail = (why: string): number => m.bad.push(`${label}: ${why} [${trace(env.emu.requests)}]`);
    m.count(await body(ac.signal, label, fail));
    env.emu.faults.clear();
    if (!ac.signal.aborted) fail('the request never came');
  }
  return m;
}

/** The error of a cancelled operation must say it was cancelled (not a failure). */
function cancelledOr(e: unknown, fail: (why: string) => void): void {
  if (!isCancellation(e)) fail(`not a cancellation: ${(e as Error).name}: ${(e as Error).message.slice(0, 200)}`);
}

test('cancellation at every request of connect, disconnect, rotate and repair: complete or exactly as before, and said precisely', { concurrency: true }, async (t) => {
  // the cancelled request is carried out as the client gives up on it: a short look afterwards finds it
  const run = matrixRunner(t, (env) => (env.ctx.rollbackSettleMs = 30));

  await Promise.all([
    run('connect (Dataiku, Unity Catalog, new warehouse)', async (env) => {
      const clean = snapshot(env.emu.state);
      return everyRequest(
        env,
        () => connect(env.ctx, UC.partner, choices, noSecret),
        async () => env.emu.reset(),
        async (signal, _label, fail) => {
          const o = await settled(connect(env.ctx, UC.partner, choices, { ...noSecret, signal }));
          let outcome = 'rolled back';
          if (o.ok) {
            outcome = 'complete';
            await disconnect(env.ctx, UC.partner, 'reset');
          } else {
            cancelledOr(o.e, fail);
            if (o.e instanceof RollbackIncompleteError) fail(`rollback incomplete: ${o.e.message}`);
            if (!(o.e instanceof ConnectCancelledError)) outcome = 'cancelled before anything was made';
          }
          if (JSON.stringify(snapshot(env.emu.state)) !== JSON.stringify(clean)) fail(`${outcome}, but the workspace is not as before`);
          return outcome;
        },
      );
    }),

    run('disconnect (Dataiku, reset)', async (env) => {
      const clean = snapshot(env.emu.state);
      let connected: unknown;
      const m = await everyRequest(
        env,
        () => disconnect(env.ctx, UC.partner, 'reset'),
        async () => {
          env.emu.reset();
          await connect(env.ctx, UC.partner, choices, noSecret);
          connected = snapshot(env.emu.state);
        },
        async (signal, _label, fail) => {
          const o = await settled(disconnect(env.ctx, UC.partner, 'reset', { signal }));
          let outcome = 'complete';
          if (!o.ok) {
            cancelledOr(o.e, fail);
            if (o.e instanceof DisconnectIncompleteError) {
              outcome = 'stopped';
              checkRemaining(env, UC.partner.servicePrincipalName ?? '', 'DATAIKU_ENDPOINT', o.e, fail);
            } else {
              outcome = 'nothing deleted';
              if (JSON.stringify(snapshot(env.emu.state)) !== JSON.stringify(connected)) fail('cancelled before any delete, but the workspace changed');
            }
            await disconnect(env.ctx, UC.partner, 'reset').catch((e: Error) => fail(`running it again failed: ${e.message.slice(0, 160)}`));
          }
          if (JSON.stringify(snapshot(env.emu.state)) !== JSON.stringify(clean)) fail(`${outcome}: the workspace is not as before the connect`);
          return outcome;
        },
      );
      return m;
    }),

    // a PAT: the OAuth secret's rotate has the same steps (the fault matrix runs both)
    run(
      'rotate (Census, PAT)',
      async (env) => {
        const c = CASES[2];
        const spName = c.partner.servicePrincipalName ?? '';
        await connect(env.ctx, c.partner, c.choices, noSecret);
        let handed: string[] = [];
        const opts = { deliverSecretOnce: (v: string): void => void handed.push(v) };
        return everyRequest(
          env,
          () => rotateCredential(env.ctx, c.partner, opts),
          async () => {
            // every case starts from one credential and a record that names it
            if (credentialIds(env, spName).length !== 1) await rotateCredential(env.ctx, c.partner, noSecret);
          },
          async (signal, _label, fail) => {
            const before = credentialIds(env, spName);
            const recordBefore = recordText(env, c.partner.id);
            handed = [];
            const outcome = await settled(rotateCredential(env.ctx, c.partner, { ...opts, signal }));
            const verdict = judgeRotate(env, c.partner, { before, recordBefore, handed, outcome }, fail);
            if (!outcome.ok && verdict === 'unchanged') cancelledOr(outcome.e, fail);
            return verdict;
          },
        );
      },
    ),

    ...REPAIR_CASES.map(({ name, c }) =>
      run(
        `repair (${name})`,
        async (env) => {
          const { drift, drifted, repaired, plan } = await connectAndDrift(env, c);
          const inspection = await inspectConnection(env.client, c.partner);
          return everyRequest(
            env,
            () => applyRepair(env.client, inspection),
            async () => drift(),
            async (signal, _label, fail) => {
              const o = await settled(applyRepair(env.client, inspection, { signal, settleMs: 30 }));
              if (o.ok) {
                if (JSON.stringify(snapshot(env.emu.state)) !== JSON.stringify(repaired)) fail('complete, but the workspace is not as the profile says');
                return 'complete';
              }
              cancelledOr(o.e, fail);
              if (!(o.e instanceof RepairIncompleteError)) {
                fail(`${(o.e as Error).name}: ${(o.e as Error).message.slice(0, 200)}`);
                return 'failed';
              }
              const left = (await stillToRepair(env, c)).sort();
              if (!o.e.verified) fail('the workspace was not asked again');
              if (JSON.stringify(words(o.e.remaining)) !== JSON.stringify(left)) fail(`remaining ${JSON.stringify(words(o.e.remaining))}, but the workspace still needs ${JSON.stringify(left)}`);
              const expectRepaired = plan.filter((p) => !left.includes(p)).sort();
              if (JSON.stringify(words(o.e.repaired)) !== JSON.stringify(expectRepaired)) fail(`repaired ${JSON.stringify(words(o.e.repaired))}, but the workspace no longer needs ${JSON.stringify(expectRepaired)}`);
              if (o.e.repaired.length === 0 && JSON.stringify(snapshot(env.emu.state)) !== JSON.stringify(drifted)) fail('nothing repaired, but the workspace changed');
              return o.e.repaired.length ? 'part-repaired' : 'nothing repaired';
            },
          );
        },
        { seed: c.seed },
      ),
    ),
  ]);
});
