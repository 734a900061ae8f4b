/**
 * Issue 11, standing guarantee "fault matrix", the process-killed column: the extension host dies
 * mid-operation. The operation runs in a child Node process (killedChild.ts) against the emulator over
 * real HTTP; when request N reaches the emulator, the test SIGKILLs the child and waits until it is
 * gone, then lets the request through (the workspace carries out what was sent; nobody hears the
 * answer). Then, with a fresh client that knows nothing of the killed run (as after a restart), the
 * test follows what the product shows and offers, and asserts the workspace's end state:
 * - connect: a `connecting` record is an interrupted connect (too recent to take over now, offered
 *   after 30 minutes): taking it over removes what the record names; a warehouse made before the
 *   record could name it is offered by Find Orphans (tagged for the partner, which has no principal
 *   any more); then the workspace is exactly as before (less the empty record folder a first
 *   connect's pre-flight made, when it died before its claim);
 * - disconnect: the preview lists everything still there; Disconnect again completes;
 * - rotate: inspect lists every credential the principal has (the new one the dead process never
 *   handed over too); Rotate again leaves exactly one, handed over, named by the record;
 * - repair: inspect lists what is still to repair; Repair again brings it in sync.
 * N: every request that changes something (a read between two writes dies in the same state as the
 * write before it; before the first write nothing has changed), one representative partner each; for
 * repair, whose changes run one after another and alike, the first and the last.
 */
import { test } from 'node:test';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import {
  applyRepair,
  cleanUpOrphans,
  connect,
  describeRepair,
  disconnect,
  findOrphans,
  inspectConnection,
  previewDisconnect,
  rotateCredential,
  takeOverInterruptedConnect,
  takeOverRefusal,
  type EngineContext,
} from '../../src/domain';
import { catalog, CASES, MUTATING, requestsOf, type CleanRequest } from '../domain/faultCases';
import { clientFor, snapshot, type Env } from '../domain/helpers';
import { at, credentialIds, matrixRunner, presentFor, recordText, Tally } from './matrix';
import { connectAndDrift, REPAIR_CASES, stillToRepair } from './repairCases';
import type { KillJob } from './killedChild';

const CHILD = join(__dirname, 'killedChild.js');
const UC = CASES[0]; // Dataiku: principal, grants, a new warehouse, token, record
const choices = { ...UC.choices, schemas: ['marketing'] };
const noSecret = { deliverSecretOnce: (): void => undefined };
const STALE = 31 * 60_000;

/** Runs the job in a child process and SIGKILLs it when request `r` arrives. */
async function killAt(env: Env, r: CleanRequest, job: Pick<KillJob, 'op' | 'partnerId' | 'choices'>): Promise<{ killed: boolean; stderr: string }> {
  // not under the coverage run's instrumentation (NODE_V8_COVERAGE): a killed process writes none anyway
  const { NODE_V8_COVERAGE: _coverage, ...childEnv } = process.env;
  const child = spawn(process.execPath, [CHILD, JSON.stringify({ ...job, url: env.emu.url, token: env.emu.adminToken })], { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.resume();
  const exited = once(child, 'exit');
  let killed = false;
  env.emu.faults.add(
    at(r, async () => {
      killed = true;
      child.kill('SIGKILL');
      await exited;
    }),
  );
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
    env.emu.faults.clear();
  }
  // the request that arrived as the process died is carried out now: let the emulator finish it
  for (let i = 0; i < 200 && env.emu.requests.some((q) => q.status === 0); i++) await new Promise((res) => setTimeout(res, 5));
  return { killed, stderr };
}

/** The emulator's state, less an empty /.partner-connect folder. */
function withoutEmptyRecordFolder(env: Env): Record<string, unknown> {
  const s = snapshot(env.emu.state) as Record<string, unknown> & { files: { path: string }[] };
  const empty = !s.files.some((f) => f.path.startsWith('/.partner-connect/'));
  return { ...s, files: s.files.filter((f) => !(empty && f.path === '/.partner-connect')) };
}

/** The cases: every request that changes something. */
const killPoints = (reqs: CleanRequest[]): CleanRequest[] => reqs.filter((r) => MUTATING.has(r.method));

/** A client and engine context that know nothing of the killed run, as after a restart. */
function restarted(env: Env): EngineContext & { close(): Promise<void> } {
  const client = clientFor(env.emu, env.emu.adminToken, []);
  return { ...env.ctx, client, close: () => client.close() };
}

async function eachKill(
  env: Env,
  points: CleanRequest[],
  before: () => Promise<void>,
  job: Pick<KillJob, 'op' | 'partnerId' | 'choices'>,
  recover: (fresh: EngineContext, fail: (why: string) => void) => Promise<string>,
): Promise<Tally> {
  const m = new Tally();
  for (const r of points) {
    m.cases++;
    const label = `killed at ${r.method} ${r.path} #${r.nth}`;
    await before();
    env.emu.clearRequests();
    const fail = (why: string): number => m.bad.push(`${label}: ${why}`);
    const { killed, stderr } = await killAt(env, r, job);
    if (!killed) {
      fail(`the process was not killed (the request never came): ${stderr.slice(0, 300)}`);
      continue;
    }
    const fresh = restarted(env);
    try {
      m.count(await recover(fresh, fail));
    } catch (e) {
      fail(`recovery failed: ${(e as Error).name}: ${(e as Error).message.slice(0, 300)}`);
    } finally {
      await fresh.close();
    }
  }
  return m;
}

test('process killed at every request that changes something, of connect, disconnect, rotate and repair: what the product shows next leads back to a clean state', { concurrency: true }, async (t) => {
  const run = matrixRunner(t);

  await Promise.all([
    run('connect (Dataiku, Unity Catalog, new warehouse)', async (env) => {
      const clean = withoutEmptyRecordFolder(env);
      const reqs = await requestsOf(env, () => connect(env.ctx, UC.partner, choices, noSecret));
      return eachKill(env, killPoints(reqs), async () => env.emu.reset(), { op: 'connect', partnerId: UC.partner.id, choices }, async (fresh, fail) => {
        const st = (await inspectConnection(fresh.client, UC.partner)).status;
        let outcome: string;
        if (st.record?.state === 'connecting') {
          // shown as an interrupted connect: it may still be running now, an admin can take it over after 30 minutes
          const record = st.record;
          if (takeOverRefusal(record, record.attemptId, Date.now())?.reason !== 'too-recent') fail('a fresh interrupted connect can be taken over at once');
          await takeOverInterruptedConnect(fresh, UC.partner, { attemptId: record.attemptId, now: () => Date.now() + STALE });
          outcome = 'taken over';
        } else if (st.state === 'connected') {
          outcome = 'complete, disconnected';
          await disconnect(fresh, UC.partner, 'reset');
        } else {
          outcome = 'nothing to take over';
        }
        // a warehouse the dead connect made before its record could name it: Find Orphans offers exactly that one
        const made = [...env.emu.state.warehouses.values()].filter((w) => w.name === 'DATAIKU_ENDPOINT').map((w) => w.id);
        if (made.length) {
          const orphans = await findOrphans(fresh.client, catalog);
          if (JSON.stringify(orphans.cleanup.map((x) => x.id)) !== JSON.stringify(made)) fail(`Find Orphans offers ${JSON.stringify(orphans.cleanup.map((x) => x.name))}, the workspace has ${JSON.stringify(made)} left`);
          await cleanUpOrphans(fresh.client, orphans.cleanup);
          outcome += ', the warehouse deleted by Find Orphans';
        }
        // the record folder the pre-flight made for a first connect stays when the claim never came (admin-only; the next connect uses it)
        const now = withoutEmptyRecordFolder(env);
        const differs = Object.keys(clean).filter((k) => JSON.stringify(now[k]) !== JSON.stringify(clean[k]));
        if (differs.length) fail(`${outcome}, but the workspace is not as before: ${differs.map((k) => `${k}: ${JSON.stringify(now[k]).slice(0, 300)}`).join('; ')}`);
        return outcome;
      });
    }),

    run('disconnect (Dataiku, reset)', async (env) => {
      const clean = snapshot(env.emu.state);
      const spName = UC.partner.servicePrincipalName ?? '';
      await connect(env.ctx, UC.partner, choices, noSecret);
      const reqs = await requestsOf(env, () => disconnect(env.ctx, UC.partner, 'reset'));
      const before = async (): Promise<void> => {
        env.emu.reset();
        await connect(env.ctx, UC.partner, choices, noSecret);
      };
      return eachKill(env, killPoints(reqs), before, { op: 'disconnect', partnerId: UC.partner.id, choices }, async (fresh, fail) => {
        const st = (await inspectConnection(fresh.client, UC.partner)).status;
        // the preview shows every principal, token and warehouse still there
        const preview = await previewDisconnect(fresh.client, UC.partner, 'reset');
        const listed = new Set(preview.items.map((x) => `${x.kind}:${x.id}`));
        for (const p of presentFor(env, spName, 'DATAIKU_ENDPOINT')) if (!listed.has(p)) fail(`${p} is still there but not in the preview`);
        await disconnect(fresh, UC.partner, 'reset');
        if (JSON.stringify(snapshot(env.emu.state)) !== JSON.stringify(clean)) fail(`${st.state}: disconnected again, but the workspace is not as before the connect`);
        return `${st.state}: disconnected again`;
      });
    }),

    run('rotate (Census, PAT)', async (env) => {
      const c = CASES[2];
      const spName = c.partner.servicePrincipalName ?? '';
      await connect(env.ctx, c.partner, c.choices, noSecret);
      const reqs = await requestsOf(env, () => rotateCredential(env.ctx, c.partner, noSecret));
      const before = async (): Promise<void> => {
        if (credentialIds(env, spName).length !== 1) await rotateCredential(env.ctx, c.partner, noSecret);
      };
      return eachKill(env, killPoints(reqs), before, { op: 'rotate', partnerId: c.partner.id, choices: c.choices }, async (fresh, fail) => {
        const left = credentialIds(env, spName);
        // inspect lists every credential the principal has, the one the dead process made too
        const shown = (await inspectConnection(fresh.client, c.partner)).credentials.map((x) => x.id).sort();
        if (JSON.stringify(shown) !== JSON.stringify(left)) fail(`inspect shows ${JSON.stringify(shown)}, the workspace has ${JSON.stringify(left)}`);
        const handed: string[] = [];
        const res = await rotateCredential(fresh, c.partner, { deliverSecretOnce: (v) => void handed.push(v) });
        const after = credentialIds(env, spName);
        if (after.length !== 1 || after[0] !== res.newCredentialId || handed.length !== 1) fail(`rotated again: ${after.length} credentials, handed over ${handed.length} times`);
        if (!recordText(env, c.partner.id)?.includes(res.newCredentialId)) fail('rotated again, but the record does not name the new credential');
        return `${left.length} credential(s) left: rotated again`;
      });
    }),

    run(
      'repair (Dataiku, Unity Catalog)',
      async (env) => {
        const { c } = REPAIR_CASES[0];
        const { drift, repaired } = await connectAndDrift(env, c);
        const reqs = await requestsOf(env, async () => applyRepair(env.client, await inspectConnection(env.client, c.partner)));
        // the changes run one after another, alike: killed after the first and at the last (the fault and cancel matrices take every one)
        const writes = killPoints(reqs);
        return eachKill(env, [writes[0], writes[writes.length - 1]], async () => drift(), { op: 'repair', partnerId: c.partner.id, choices: c.choices }, async (fresh, fail) => {
          const left = await stillToRepair(env, c);
          const ins = await inspectConnection(fresh.client, c.partner);
          if (JSON.stringify(ins.drift.repair.map(describeRepair)) !== JSON.stringify(left)) fail('inspect does not show what is left');
          await applyRepair(fresh.client, ins);
          if (JSON.stringify(snapshot(env.emu.state)) !== JSON.stringify(repaired)) fail('repaired again, but the workspace is not as the profile says');
          return `${left.length} change(s) left: repaired again`;
        });
      },
      { seed: REPAIR_CASES[0].c.seed },
    ),
  ]);
});
