/**
 * Issue 11 item 12: races between two admins, over real HTTP. The interleavings are forced by a
 * client wrapper that lets the other admin's whole operation run between two requests of the first.
 * - pre-flight reads the record and the principals at once: a connect finishing in between must not
 *   look like "check mark only" (nor a claim made in between like "connected outside");
 * - a connect whose final record write lands after a concurrent Disconnect must not recreate a
 *   "connected" record naming what the Disconnect deleted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, disconnect, detectConnectionStates, loadBuiltinCatalog, preflightConnect, reasonsOf, type ConnectChoices } from '../../src/domain';
import { snapshot, startEnv } from '../domain/helpers';
import { STARTER_WAREHOUSE } from '../fixtures/seed';
import { intercept } from './intercept';

const catalog = loadBuiltinCatalog();
const partner = catalog.require('census');
const choices: ConnectChoices = { catalog: 'analytics', isHive: false, schemas: ['marketing'], warehouse: { kind: 'existing', id: STARTER_WAREHOUSE } };
const quiet = { deliverSecretOnce: (): void => undefined };

test('pre-flight: a connect that finishes between the principal listing and the record read is "already connected", not "check mark only"', async () => {
  const env = await startEnv();
  try {
    let other: Promise<unknown> | null = null;
    const racing = intercept(env.client, {
      // the listing goes first and sees no CENSUS_USER; the other admin's connect then runs to the end
      listServicePrincipals: async (call, args) => {
        const r = await call();
        const filter = (args[0] as { filter?: string } | undefined)?.filter ?? '';
        if (other === null && filter.includes(partner.servicePrincipalName ?? '?')) {
          other = connect(env.ctx, partner, choices, quiet);
          await other;
        }
        return r;
      },
      // the record read waits for it, so it sees "connected"
      readWorkspaceFile: async (call, args) => {
        if (String(args[0]).endsWith(`/${partner.id}.json`)) while (other === null) await new Promise((r) => setTimeout(r, 5));
        await other;
        return call();
      },
    });
    const pf = await preflightConnect(racing, partner, choices);
    assert.deepEqual(pf.problems.map((p) => p.code), [], JSON.stringify(pf.problems));
    assert.ok(pf.reuse, 'pre-flight does not see the finished connect');
    assert.equal(pf.reuse.state, 'connected');
  } finally {
    await env.close();
  }
});

test('pre-flight: a claim made between the record read and the principal listing is "in progress", not "connected outside"', async () => {
  const env = await startEnv();
  let claimed = false;
  let done: Promise<unknown> | null = null;
  let release: (() => void) | null = null;
  try {
    const racing = intercept(env.client, {
      // the record read goes first (absent); then the other admin's connect claims and creates the principal
      readWorkspaceFile: async (call, args) => {
        const r = await call();
        if (!claimed && String(args[0]).endsWith(`/${partner.id}.json`)) {
          claimed = true;
          const slow = intercept(env.client, {
            // the other connect stops after its principal exists (its record says "connecting")
            patchTokenPermissions: () =>
              new Promise((_, reject) => {
                release = () => reject(new Error('stopped by the test'));
              }),
          });
          done = connect({ ...env.ctx, client: slow }, partner, choices, quiet).catch(() => undefined);
          while (![...env.emu.state.servicePrincipals.values()].some((s) => s.displayName === partner.servicePrincipalName)) await new Promise((res) => setTimeout(res, 5));
        }
        return r;
      },
      listServicePrincipals: async (call) => {
        while (!claimed || ![...env.emu.state.servicePrincipals.values()].some((s) => s.displayName === partner.servicePrincipalName)) await new Promise((res) => setTimeout(res, 5));
        return call();
      },
    });
    const pf = await preflightConnect(racing, partner, choices);
    assert.deepEqual(pf.problems.map((p) => p.code), ['connect-in-progress'], JSON.stringify(pf.problems));
  } finally {
    (release as (() => void) | null)?.();
    await done;
    await env.close();
  }
});

test('a connect whose final record write comes after a concurrent Disconnect does not recreate a "connected" record', async () => {
  const env = await startEnv();
  try {
    const before = snapshot(env.emu.state);
    let disconnected = false;
    const racing = intercept(env.client, {
      // the other admin's Disconnect runs to the end between the connect's last check of its record and its final write
      writeWorkspaceFile: async (call, args) => {
        const content = String(args[1]);
        if (!disconnected && /"state": "connected"/.test(content)) {
          disconnected = true;
          await disconnect(env.ctx, partner, 'reset');
        }
        return call();
      },
    });
    const outcome = await connect({ ...env.ctx, client: racing, rollbackSettleMs: 0 }, partner, choices, quiet).then(
      () => 'connected',
      (e: Error) => `${e.name}: ${e.message}`,
    );
    assert.ok(disconnected, 'the race did not happen');
    assert.match(outcome, /disconnected by someone else/i, outcome);
    const snap = await detectConnectionStates(env.client, catalog);
    const st = snap.partners.find((p) => p.partnerId === partner.id);
    assert.equal(st?.state, 'not-connected', `state ${st?.state}: ${JSON.stringify((st ? reasonsOf(st) : undefined))}`);
    assert.deepEqual(snapshot(env.emu.state), before, 'something is left behind');
  } finally {
    await env.close();
  }
});
