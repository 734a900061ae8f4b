/**
 * A request the client gave up on can still be carried out afterwards. When the client sent it again
 * and the retry succeeded, the step looks done — but the first copy may land after a rollback removed
 * what the step made, and make it again. The rollback checks such a step once more after its settle
 * wait (the soak found this: a timed-out mkdirs of the record folder re-created the folder after the
 * rollback of a failed connect had removed it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, ConnectRolledBackError, type ConnectChoices } from '../../src/domain';
import { catalog } from './faultCases';
import { clientFor, snapshot, startEnv } from './helpers';
import { STARTER_WAREHOUSE } from '../fixtures/seed';

const HELD_MS = 600;
const CLIENT_TIMEOUT_MS = 80;

test('a mkdirs retried after a timeout and carried out after the rollback leaves no record folder behind', { timeout: 30_000 }, async () => {
  const env = await startEnv();
  const log: string[] = [];
  // only the held mkdirs gets the short timeout; its retry and everything else the normal one
  const client = clientFor(env.emu, env.emu.adminToken, log, { requestTimeoutMs: (method, path) => (env.emu.faults.next(method, path)?.delayMs ? CLIENT_TIMEOUT_MS : undefined) });
  try {
    assert.equal(env.emu.state.files.has('/.partner-connect'), false, 'precondition: the record folder is yet to be made');
    const clean = snapshot(env.emu.state);
    const p = catalog.require('hightouch');
    const choices: ConnectChoices = { catalog: 'analytics', schemas: ['marketing'], isHive: false, warehouse: { kind: 'existing', id: STARTER_WAREHOUSE } };
    // the first mkdirs is answered (and carried out) only after the client gave up and sent it again
    env.emu.faults.add({ method: 'POST', path: '/api/2.0/workspace/mkdirs', delayMs: HELD_MS, times: 1 });
    // a later step fails for good: the connect rolls back long before the held mkdirs lands
    env.emu.faults.add({ method: 'POST', path: '/api/2.0/preview/scim/v2/ServicePrincipals', status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message: 'refused' } });
    const t0 = Date.now();
    const err = await connect({ ...env.ctx, client, rollbackSettleMs: HELD_MS + 400 }, p, choices, { deliverSecretOnce: () => undefined }).then(
      () => assert.fail('connect should fail'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ConnectRolledBackError, String(err));
    assert.ok(log.some((l) => l.includes('/api/2.0/workspace/mkdirs') && l.includes('REQUEST_TIMEOUT')), 'the first mkdirs timed out and was sent again');
    // the held copy has landed by now (the rollback waited for it)
    assert.ok(Date.now() - t0 >= HELD_MS, 'the rollback waited for the late request');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(env.emu.state.files.has('/.partner-connect'), false, 'no record folder is left behind');
    assert.deepEqual(snapshot(env.emu.state), clean, 'the workspace is exactly as before');
  } finally {
    await client.close();
    await env.close();
  }
});
