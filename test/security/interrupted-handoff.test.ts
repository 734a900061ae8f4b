/**
 * Issue 11 item 11: an interrupted hand-off. The record notes "hand-off started" before the partner
 * is called, so a later Disconnect knows the partner may hold a connection and says so; a
 * `connecting` record older than STALE_CONNECT_MINUTES can be taken over by an admin (typed result),
 * a younger one cannot.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  connect,
  parseRecord,
  previewDisconnect,
  STALE_CONNECT_MINUTES,
  takeOverInterruptedConnect,
  TakeOverRefusedError,
  type CatalogPartner,
  type EngineContext,
} from '../../src/domain';
import type { PartnerApiClient } from '../../src/client/partner/partnerApiClient';
import { DEFAULT_RECORD_FOLDER } from '../../src/domain/record/record';
import { snapshot, startEnv, type Env } from '../domain/helpers';
import { protocolPartnerAt } from './protocolPartner';

const partner: CatalogPartner = protocolPartnerAt('http://127.0.0.1:9', 'Slow Partner');
const recordPath = `${DEFAULT_RECORD_FOLDER}/${partner.id}.json`;
const CREDS = { username: 'databricks', password: 'p4ss-for-slow-partner' };

function recordIn(env: Env): ReturnType<typeof parseRecord> {
  const f = env.emu.state.files.get(recordPath);
  return f ? parseRecord(f.content.toString('utf8')) : { kind: 'absent' };
}

/** A connect whose partner call never answers (the process "dies" there); `stop()` cancels it. */
function hangingConnect(env: Env): { seenAtCall: Promise<ReturnType<typeof parseRecord>>; stop(): Promise<void> } {
  const ac = new AbortController();
  let seen!: (r: ReturnType<typeof parseRecord>) => void;
  const seenAtCall = new Promise<ReturnType<typeof parseRecord>>((r) => (seen = r));
  const ctx: EngineContext = {
    ...env.ctx,
    rollbackSettleMs: 0,
    partnerClientFactory: (config) =>
      ({
        config,
        connect: (_req, o) => {
          seen(recordIn(env));
          return new Promise((_, reject) => o?.signal?.addEventListener('abort', () => reject(Object.assign(new Error('cancelled'), { name: 'AbortError' }))));
        },
        deleteConnection: async () => ({ kind: 'not_supported' }),
        testConnection: async () => ({ kind: 'not_supported' }),
        getConnectors: async () => ({ kind: 'not_supported' }),
        close: async () => undefined,
      }) satisfies PartnerApiClient,
  };
  const running = connect(ctx, partner, {}, { partnerCredentials: CREDS, signal: ac.signal }).catch(() => undefined);
  return {
    seenAtCall,
    stop: async () => {
      ac.abort();
      await running;
    },
  };
}

test('the record says "hand-off started" before the partner is called; a Disconnect then warns that the partner may hold a connection', async () => {
  const env = await startEnv();
  const c = hangingConnect(env);
  try {
    const atCall = await c.seenAtCall;
    assert.equal(atCall.kind, 'ok');
    if (atCall.kind !== 'ok') return;
    assert.equal(atCall.record.state, 'connecting');
    assert.ok(atCall.record.handoffStartedAt, 'the record does not say the hand-off started');
    const preview = await previewDisconnect(env.client, partner, 'reset');
    const warnings = (preview.warnings ?? []).join('\n');
    assert.match(warnings, /Slow Partner may hold a connection/);
    assert.match(warnings, /may still be running/);
  } finally {
    await c.stop();
    await env.close();
  }
});

test(`a connecting record older than ${STALE_CONNECT_MINUTES} minutes is taken over (typed result, everything it left removed); a younger one or a changed one is not`, async () => {
  const env = await startEnv();
  const before = snapshot(env.emu.state);
  const c = hangingConnect(env);
  try {
    const atCall = await c.seenAtCall;
    assert.equal(atCall.kind, 'ok');
    if (atCall.kind !== 'ok') return;
    const attemptId = atCall.record.attemptId;
    const started = Date.parse(atCall.record.connectedAt);
    // too recent: refused, nothing changes
    await assert.rejects(
      takeOverInterruptedConnect(env.ctx, partner, { attemptId, now: () => started + 5 * 60_000 }),
      (e: unknown) => e instanceof TakeOverRefusedError && e.reason === 'too-recent',
    );
    // another attempt than the one confirmed: refused
    await assert.rejects(
      takeOverInterruptedConnect(env.ctx, partner, { attemptId: 'not-the-one', now: () => started + 40 * 60_000 }),
      (e: unknown) => e instanceof TakeOverRefusedError && e.reason === 'changed',
    );
    assert.equal(recordIn(env).kind, 'ok');
    const sp = [...env.emu.state.servicePrincipals.values()].find((s) => s.displayName === partner.servicePrincipalName);
    assert.ok(sp, 'the interrupted connect made its principal');
    // stale: taken over
    const r = await takeOverInterruptedConnect(env.ctx, partner, { attemptId, now: () => started + (STALE_CONNECT_MINUTES + 1) * 60_000 });
    assert.equal(r.kind, 'take-over');
    assert.equal(r.previous.attemptId, attemptId);
    assert.equal(r.previous.minutesAgo, STALE_CONNECT_MINUTES + 1);
    assert.equal(r.partnerMayHoldConnection, true);
    assert.ok(r.disconnect.deleted.some((i) => i.kind === 'service-principal' && i.id === sp.id), JSON.stringify(r.disconnect.deleted));
    assert.equal(recordIn(env).kind, 'absent');
    // the interrupted connect wakes up: it finds its record gone and leaves nothing behind
    await c.stop();
    assert.deepEqual(snapshot(env.emu.state), before);
  } finally {
    await c.stop();
    await env.close();
  }
});
