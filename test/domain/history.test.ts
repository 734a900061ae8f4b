/**
 * The history of connections over real HTTP: one entry per action, written with overwrite disabled
 * next to the records, read back newest first — and under faults a failed, rolled-back or cancelled
 * action still records its outcome and exactly what it did. A history that cannot be written never
 * changes the action's result.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyRepair,
  appendHistory,
  connect,
  connectEffects,
  DEFAULT_RECORD_FOLDER,
  disconnect,
  disconnectEffects,
  disconnectItemRef,
  historyFolderFor,
  inspectConnection,
  loadBuiltinCatalog,
  readHistory,
  repairEffects,
  repairRef,
  withHistory,
  type ConnectChoices,
  type HistoryEntry,
  type HistoryRecorder,
} from '../../src/domain';
import { startEnv, type Env } from './helpers';
import { STARTER_WAREHOUSE } from '../fixtures/seed';

const catalog = loadBuiltinCatalog();
const CHOICES: ConnectChoices = { catalog: 'analytics', schemas: ['marketing'], warehouse: { kind: 'existing', id: STARTER_WAREHOUSE } };
const FOLDER = DEFAULT_RECORD_FOLDER;

function recorder(env: Env, extra: Partial<HistoryRecorder> = {}): HistoryRecorder {
  return { client: env.client, recordFolder: FOLDER, by: 'ava.admin@acme.example', extensionVersion: '0.0.0-test', ...extra };
}
const historyFiles = (env: Env): string[] => [...env.emu.state.files.keys()].filter((p) => p.startsWith(`${historyFolderFor(FOLDER)}/`) && p.endsWith('.json'));

test('a connect and a disconnect each append one entry (who, when, ids created / deleted); read back newest first, per partner', async () => {
  const env = await startEnv();
  let token = '';
  try {
    const p = catalog.require('hightouch');
    const res = await withHistory(recorder(env), { action: 'connect', partnerId: p.id, partnerName: p.displayName }, () => connect(env.ctx, p, CHOICES, { deliverSecretOnce: (v) => void (token = v) }), connectEffects);
    const other = catalog.require('census');
    await withHistory(recorder(env), { action: 'connect', partnerId: other.id, partnerName: other.displayName }, () => connect(env.ctx, other, CHOICES, { deliverSecretOnce: () => undefined }), connectEffects);
    await withHistory(recorder(env), { action: 'disconnect', partnerId: p.id, partnerName: p.displayName }, (track) =>
      disconnect(env.ctx, p, 'reset', { onProgress: (x) => x.status === 'done' && track.deleted(disconnectItemRef(x.item)) }),
      disconnectEffects,
    );
    assert.equal(historyFiles(env).length, 3, 'one file per action');
    const mine = await readHistory(env.client, FOLDER, { partnerId: p.id });
    assert.deepEqual(mine.entries.map((e) => [e.action, e.outcome]), [['disconnect', 'succeeded'], ['connect', 'succeeded']], 'newest first, only this partner');
    const [disc, conn] = mine.entries;
    assert.equal(conn.by, 'ava.admin@acme.example');
    assert.ok(Date.parse(conn.startedAt) <= Date.parse(conn.finishedAt));
    assert.deepEqual(conn.created.map((r) => [r.kind, r.id]), res.created.map((r) => [r.kind, r.id]));
    const sp = res.record.servicePrincipal!;
    assert.ok(conn.created.some((r) => r.kind === 'service-principal' && r.id === sp.id));
    assert.ok(disc.deleted.some((r) => r.kind === 'service-principal' && r.id === sp.id));
    assert.ok(disc.deleted.some((r) => r.kind === 'token' && r.id === res.record.tokenId));
    const all = await readHistory(env.client, FOLDER);
    assert.equal(all.entries.length, 3);
    assert.equal(all.untrusted, null, 'the admin-only record folder: the history is trusted');
    // a history in a folder every user can edit is flagged (anyone could have written it)
    await withHistory(recorder(env, { recordFolder: '/Shared/.partner-connect' }), { action: 'repair', partnerId: 'hex', partnerName: 'Hex' }, async () => ({ applied: [] }), repairEffects);
    const shared = await readHistory(env.client, '/Shared/.partner-connect');
    assert.equal(shared.entries.length, 1);
    assert.ok(shared.untrusted && shared.untrusted.length > 0, 'flagged as not trusted');
    // never a secret in the history
    assert.ok(token.length > 10);
    for (const f of historyFiles(env)) assert.ok(!env.emu.state.files.get(f)!.content.toString('utf8').includes(token));
    // the history outlives the reset: the records folder stays because the history is in it
    assert.ok(env.emu.state.files.has(historyFolderFor(FOLDER)));
  } finally {
    await env.close();
  }
});

test('an entry is never rewritten: its file is created with overwrite disabled', async () => {
  const env = await startEnv();
  try {
    let entry: HistoryEntry | undefined;
    await withHistory(recorder(env, { onWritten: (e) => void (entry = e) }), { action: 'repair', partnerId: 'hex', partnerName: 'Hex' }, async () => ({ applied: [] }), repairEffects);
    assert.ok(entry);
    await assert.rejects(appendHistory(env.client, FOLDER, { ...entry, outcome: 'failed' }), (e: unknown) => (e as { errorCode?: string }).errorCode === 'RESOURCE_ALREADY_EXISTS');
    assert.equal((await readHistory(env.client, FOLDER)).entries[0].outcome, 'succeeded');
    const imports = env.emu.requests.filter((r) => r.method === 'POST' && r.path === '/api/2.0/workspace/import');
    assert.ok(imports.every((r) => (r.body as { overwrite?: boolean }).overwrite === false));
  } finally {
    await env.close();
  }
});

test('under faults: a connect that fails is recorded as rolled back with what it removed; the error has no secret', async () => {
  const env = await startEnv();
  try {
    const p = catalog.require('hightouch');
    env.emu.faults.add({ method: 'POST', path: '/api/2.0/token-management/on-behalf-of/tokens', status: 500 });
    await assert.rejects(withHistory(recorder(env), { action: 'connect', partnerId: p.id, partnerName: p.displayName }, () => connect(env.ctx, p, CHOICES, { deliverSecretOnce: () => undefined }), connectEffects));
    const [e] = (await readHistory(env.client, FOLDER, { partnerId: p.id })).entries;
    assert.equal(e.outcome, 'rolled-back');
    assert.ok(e.deleted.some((r) => r.kind === 'service-principal'), 'the principal it created and removed again');
    assert.deepEqual(e.left, []);
    assert.match(e.error ?? '', /failed at/);
    assert.equal(e.note, 'created, then removed again');
  } finally {
    await env.close();
  }
});

test('under faults: a disconnect that stops part-way records what it deleted and what is left', async () => {
  const env = await startEnv();
  try {
    const p = catalog.require('hightouch');
    const res = await connect(env.ctx, p, CHOICES, { deliverSecretOnce: () => undefined });
    env.emu.faults.add({ method: 'DELETE', path: '/api/2.0/preview/scim/v2/ServicePrincipals/*', status: 500 });
    await assert.rejects(
      withHistory(recorder(env), { action: 'disconnect', partnerId: p.id, partnerName: p.displayName }, (track) =>
        disconnect(env.ctx, p, 'reset', { onProgress: (x) => x.status === 'done' && track.deleted(disconnectItemRef(x.item)) }),
        disconnectEffects,
      ),
    );
    const [e] = (await readHistory(env.client, FOLDER, { partnerId: p.id })).entries;
    assert.equal(e.outcome, 'failed');
    // what was done before the failure (grants revoked, the token deleted) is recorded; the principal is not among it
    assert.ok(e.deleted.some((r) => r.kind === 'token' && r.id === res.record.tokenId), JSON.stringify(e.deleted));
    assert.ok(!e.deleted.some((r) => r.kind === 'service-principal'));
    assert.ok(e.left.some((r) => r.kind === 'service-principal' && r.id === res.record.servicePrincipal!.id));
    assert.match(e.error ?? '', /Disconnecting Hightouch stopped/);
  } finally {
    await env.close();
  }
});

test('under faults: a repair that fails after its first change records that change; a cancelled action records "cancelled"', async () => {
  const env = await startEnv();
  try {
    const p = catalog.require('hightouch');
    const res = await connect(env.ctx, p, CHOICES, { deliverSecretOnce: () => undefined });
    const app = res.record.servicePrincipal!.applicationId;
    await env.client.patchServicePrincipal(res.record.servicePrincipal!.id, [{ op: 'add', path: 'entitlements', value: [{ value: 'allow-cluster-create' }] }]);
    await env.client.updateGrants('catalog', 'analytics', [{ principal: app, remove: ['USE_CATALOG'] }]);
    const ins = await inspectConnection(env.client, p);
    assert.equal(ins.drift.repair.length, 2);
    env.emu.faults.add({ method: 'PATCH', path: /^\/api\/2\.1\/unity-catalog\/permissions\//, status: 500 });
    await assert.rejects(
      withHistory(recorder(env), { action: 'repair', partnerId: p.id, partnerName: p.displayName }, (track) => applyRepair(env.client, ins, { onApplied: (op) => track.changed(repairRef(op)) }), repairEffects),
    );
    let [e] = (await readHistory(env.client, FOLDER, { partnerId: p.id })).entries;
    assert.equal(e.outcome, 'failed');
    assert.deepEqual(e.changed.map((r) => r.kind), ['entitlement']);

    const controller = new AbortController();
    controller.abort();
    await assert.rejects(withHistory(recorder(env), { action: 'repair', partnerId: p.id, partnerName: p.displayName }, () => applyRepair(env.client, ins, { signal: controller.signal }), repairEffects));
    [e] = (await readHistory(env.client, FOLDER, { partnerId: p.id })).entries;
    assert.equal(e.outcome, 'cancelled');
  } finally {
    await env.close();
  }
});

test('a history that cannot be written is reported and does not change the action\'s result', async () => {
  const env = await startEnv();
  try {
    const failures: unknown[] = [];
    env.emu.faults.add({ method: 'POST', path: '/api/2.0/workspace/import', status: 403 });
    const r = await withHistory(recorder(env, { onWriteError: (e) => failures.push(e) }), { action: 'repair', partnerId: 'hex', partnerName: 'Hex' }, async () => ({ applied: [] }), repairEffects);
    assert.deepEqual(r, { applied: [] });
    assert.equal(failures.length, 1);
    // and a failing action keeps its own error when the history cannot be written either
    const boom = new Error('the real failure');
    await assert.rejects(withHistory(recorder(env, { onWriteError: (e) => failures.push(e) }), { action: 'repair', partnerId: 'hex', partnerName: 'Hex' }, async () => Promise.reject(boom)), (e) => e === boom);
    assert.equal(failures.length, 2);
  } finally {
    await env.close();
  }
});

test('files in the history folder that are not entries are named, not dropped silently', async () => {
  const env = await startEnv();
  try {
    await withHistory(recorder(env), { action: 'repair', partnerId: 'hex', partnerName: 'Hex' }, async () => ({ applied: [] }), repairEffects);
    await env.client.writeWorkspaceFile(`${historyFolderFor(FOLDER)}/99999999T999999999Z-repair-hex-deadbeef.json`, '{"forged": true}', { overwrite: false });
    const read = await readHistory(env.client, FOLDER, { partnerId: 'hex' });
    assert.equal(read.entries.length, 1);
    assert.equal(read.invalid.length, 1);
    assert.match(read.invalid[0].path, /deadbeef/);
  } finally {
    await env.close();
  }
});
