/**
 * Issue 11, standing guarantee "concurrency": two admins at once, over real HTTP, the interleaving
 * forced by a client wrapper that runs the other admin's whole operation between two requests of the
 * first. (Two connects of the same partner at once: test/domain/preflight.test.ts; a connect whose
 * last write comes after a Disconnect: races.test.ts.) Each time one wins and the other is told -
 * with a typed error that says what happened - and the workspace is left either fully connected or
 * exactly as before, never in between.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, detectConnectionStates, disconnect, DomainError, loadBuiltinCatalog, rotateCredential, type ConnectChoices } from '../../src/domain';
import { snapshot, startEnv, type Env } from '../domain/helpers';
import { STARTER_WAREHOUSE } from '../fixtures/seed';
import { intercept } from './intercept';

const catalog = loadBuiltinCatalog();
const partner = catalog.require('census');
const choices: ConnectChoices = { catalog: 'analytics', isHive: false, schemas: ['marketing'], warehouse: { kind: 'existing', id: STARTER_WAREHOUSE } };
const quiet = { deliverSecretOnce: (): void => undefined };

const settle = <T>(p: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: Error }> =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (error: Error) => ({ ok: false as const, error }),
  );

/** The partner's state as the extension sees it, and whether what it names is all there. */
async function stateOf(env: Env): Promise<string> {
  const snap = await detectConnectionStates(env.client, catalog);
  return snap.partners.find((p) => p.partnerId === partner.id)?.state ?? '(none)';
}

const credentialsOf = (env: Env): number => {
  const sp = [...env.emu.state.servicePrincipals.values()].find((s) => s.displayName === partner.servicePrincipalName);
  return sp ? [...env.emu.state.tokens.values()].filter((t) => t.ownerId === sp.id).length + sp.secrets.size : 0;
};

test('connect while a Disconnect is running (its principal already deleted): one wins, the other is told, nothing is left half-done', async (t) => {
  const env = await startEnv();
  try {
    const clean = snapshot(env.emu.state);
    await connect(env.ctx, partner, choices, quiet);
    let other: ReturnType<typeof settle<unknown>> | undefined;
    const racing = intercept(env.client, {
      // the other admin connects right after this Disconnect deleted the principal, before it deletes the record
      deleteServicePrincipal: async (call) => {
        const r = await call();
        other ??= settle(connect(env.ctx, partner, choices, quiet));
        await other;
        return r;
      },
    });
    const first = await settle(disconnect({ ...env.ctx, client: racing }, partner, 'reset'));
    assert.ok(other, 'the race did not happen');
    const second = await other;
    const state = await stateOf(env);
    t.diagnostic(`${second.ok ? 'the connect' : 'the Disconnect'} won; the other: ${second.ok ? (first.ok ? 'ok' : first.error.message) : second.error.message}`);
    if (second.ok) {
      // the connect won: the Disconnect must say so and leave the new connection whole
      assert.equal(first.ok, false, 'both say they succeeded');
      assert.ok(!first.ok && first.error instanceof DomainError, `the Disconnect is told with a typed error: ${!first.ok && first.error.message}`);
      assert.equal(state, 'connected', `the new connection is whole (${state})`);
      assert.equal(credentialsOf(env), 1);
    } else {
      // the Disconnect won: the connect is told why, and the workspace is as before the first connect
      assert.ok(second.error instanceof DomainError, `the connect is told with a typed error: ${second.error.name}: ${second.error.message}`);
      assert.ok(first.ok, `the Disconnect completes: ${!first.ok && first.error.message}`);
      assert.equal(state, 'not-connected', state);
      assert.deepEqual(snapshot(env.emu.state), clean, 'something is left behind');
    }
  } finally {
    await env.close();
  }
});

for (const at of ['createOboToken', 'writeWorkspaceFile'] as const) {
  test(`rotate vs Disconnect: a Disconnect that runs ${at === 'createOboToken' ? 'right after the new credential is made' : 'just before the record write'} wins; rotate is told, hands nothing over and leaves no credential`, async (t) => {
  const env = await startEnv();
  try {
    const clean = snapshot(env.emu.state);
    await connect(env.ctx, partner, choices, quiet);
    let disconnected: ReturnType<typeof settle<unknown>> | undefined;
    const racing = intercept(env.client, {
      [at]: async (call: () => Promise<unknown>) => {
        const run = async (): Promise<void> => {
          disconnected ??= settle(disconnect(env.ctx, partner, 'reset'));
          await disconnected;
        };
        if (at === 'writeWorkspaceFile') await run();
        const r = await call();
        if (at === 'createOboToken') await run();
        return r;
      },
    });
    const handed: string[] = [];
    const rotated = await settle(rotateCredential({ ...env.ctx, client: racing, rollbackSettleMs: 0 }, partner, { deliverSecretOnce: (v) => void handed.push(v) }));
    assert.ok(disconnected, 'the race did not happen');
    const d = await disconnected;
    assert.ok(d.ok, `the Disconnect completes: ${!d.ok && d.error.message}`);
    assert.equal(rotated.ok, false, 'rotate says it succeeded on a disconnected partner');
    assert.ok(!rotated.ok && rotated.error instanceof DomainError, `rotate is told with a typed error: ${!rotated.ok && `${rotated.error.name}: ${rotated.error.message}`}`);
    assert.match(rotated.ok ? '' : rotated.error.message, /disconnected by someone else while this rotate/);
    assert.equal(handed.length, 0, 'a credential of a deleted principal was handed over');
    assert.equal(credentialsOf(env), 0);
    if (at === 'createOboToken') {
      // the re-read saw the record gone: nothing written, the workspace exactly as before the connect
      assert.equal(await stateOf(env), 'not-connected');
      assert.deepEqual(snapshot(env.emu.state), clean, 'something is left behind (a record recreated?)');
    } else {
      // the Disconnect ran between the re-read and the write: the old record is back, naming a principal that is
      // gone - shown as not whole (never "connected"), and the error says to refresh and disconnect again
      const state = await stateOf(env);
      t.diagnostic(`state afterwards: ${state}`);
      assert.notEqual(state, 'connected');
    }
  } finally {
    await env.close();
  }
  });
}

test('Disconnect vs rotate: a rotate that runs between the Disconnect\'s preview and its deletes is undone by it; nothing is left', async () => {
  const env = await startEnv();
  try {
    const clean = snapshot(env.emu.state);
    await connect(env.ctx, partner, choices, quiet);
    let rotated: ReturnType<typeof settle<unknown>> | undefined;
    const racing = intercept(env.client, {
      // the other admin rotates after this Disconnect read what to delete (the old token), before it deletes
      deleteToken: async (call) => {
        rotated ??= settle(rotateCredential(env.ctx, partner, quiet));
        await rotated;
        return call();
      },
    });
    const d = await settle(disconnect({ ...env.ctx, client: racing }, partner, 'reset'));
    assert.ok(rotated, 'the race did not happen');
    const r = await rotated;
    assert.ok(r.ok, `the rotate (first to finish) completes: ${!r.ok && r.error.message}`);
    assert.ok(d.ok, `the Disconnect completes: ${!d.ok && d.error.message}`);
    assert.equal(await stateOf(env), 'not-connected');
    assert.deepEqual(snapshot(env.emu.state), clean, 'the rotated credential or something else is left behind');
  } finally {
    await env.close();
  }
});
