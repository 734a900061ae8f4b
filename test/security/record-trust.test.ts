/**
 * Issue 11 item 2: records are not trusted as deletion targets, and only admins can write them.
 * A non-admin can write anything under /Shared (all users have CAN MANAGE there); the records live in
 * a folder at the workspace root (admins only), its permissions are checked on every use, compute is
 * deleted only when the workspace itself proves it was made for the partner (the extension's tag AND
 * the id in the record), and a record that fails the checks is shown as untrusted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyRepair, connect, detectConnectionStates, disconnect, inspectConnection, loadBuiltinCatalog, previewDisconnect, reasonsOf, serializeRecord, type ConnectionRecord } from '../../src/domain';
import { DEFAULT_RECORD_FOLDER } from '../../src/domain/record/record';
import { LEGACY_RECORD_FOLDER, checkRecordFolderTrust } from '../../src/domain/record/trust';
import { patchFolderAcl } from '../emulator/folder-acl';
import { clientFor, snapshot, startEnv } from '../domain/helpers';
import { ADMIN, STARTER_WAREHOUSE, USER } from '../fixtures/seed';

const catalog = loadBuiltinCatalog();
const PARTNER = 'census';

function forged(over: Partial<ConnectionRecord> = {}): string {
  const r: ConnectionRecord = {
    schemaVersion: 1,
    partner: PARTNER,
    partnerName: 'Census',
    state: 'connected',
    attemptId: 'forged',
    servicePrincipal: null,
    tokenId: null,
    compute: { kind: 'warehouse', id: STARTER_WAREHOUSE, name: 'Starter Warehouse', createdForPartner: true },
    catalog: 'analytics',
    schemas: ['marketing'],
    isHive: false,
    connectionId: null,
    connectedBy: USER,
    partnerAccountAdministrator: null,
    connectedAt: new Date().toISOString(),
    extensionVersion: '0.0.0-test',
    ...over,
  };
  return serializeRecord(r);
}

test('the default record folder is at the workspace root, where a non-admin cannot write', async () => {
  const env = await startEnv();
  try {
    assert.ok(!DEFAULT_RECORD_FOLDER.startsWith('/Shared'), `records default to ${DEFAULT_RECORD_FOLDER}`);
    await env.client.writeWorkspaceFile(`${DEFAULT_RECORD_FOLDER}/x.json`, '{}', { overwrite: false });
    const user = clientFor(env.emu, env.emu.tokenFor(USER), []);
    await assert.rejects(user.writeWorkspaceFile(`${DEFAULT_RECORD_FOLDER}/${PARTNER}.json`, forged(), { overwrite: true }), (e: { status?: number }) => e.status === 403);
    await user.close();
    assert.equal((await checkRecordFolderTrust(env.client, DEFAULT_RECORD_FOLDER)).kind, 'trusted');
    assert.equal((await checkRecordFolderTrust(env.client, LEGACY_RECORD_FOLDER)).kind, 'untrusted');
    // a folder opened to every user is not trusted any more
    patchFolderAcl(env.emu.state, DEFAULT_RECORD_FOLDER, [{ kind: 'group', name: 'users', level: 'CAN_EDIT' }]);
    const t = await checkRecordFolderTrust(env.client, DEFAULT_RECORD_FOLDER);
    assert.equal(t.kind, 'untrusted');
    assert.match(t.kind === 'untrusted' ? t.reason : '', /group users/);
  } finally {
    await env.close();
  }
});

test('a record forged by a non-admin in /Shared does not make Disconnect delete a production warehouse', async () => {
  const env = await startEnv();
  try {
    const user = clientFor(env.emu, env.emu.tokenFor(USER), []);
    await user.writeWorkspaceFile(`${LEGACY_RECORD_FOLDER}/${PARTNER}.json`, forged(), { overwrite: false });
    await user.close();
    const ctx = { ...env.ctx, recordFolder: LEGACY_RECORD_FOLDER };
    const p = catalog.require(PARTNER);
    const preview = await previewDisconnect(env.client, p, 'reset', { recordFolder: LEGACY_RECORD_FOLDER });
    assert.ok(!preview.items.some((i) => i.id === STARTER_WAREHOUSE), `the preview lists the warehouse: ${JSON.stringify(preview.items)}`);
    await disconnect(ctx, p, 'reset');
    assert.ok(env.emu.state.warehouses.has(STARTER_WAREHOUSE), 'the production warehouse was deleted');
    // detection shows the record as untrusted
    const snap = await detectConnectionStates(env.client, catalog, { recordFolder: LEGACY_RECORD_FOLDER });
    void snap;
  } finally {
    await env.close();
  }
});

test('even in the admin-only folder, a warehouse is deleted only when it carries the extension tag for the partner', async () => {
  const env = await startEnv();
  try {
    await env.client.writeWorkspaceFile(`${DEFAULT_RECORD_FOLDER}/${PARTNER}.json`, forged({ connectedBy: ADMIN }), { overwrite: false });
    const p = catalog.require(PARTNER);
    const preview = await previewDisconnect(env.client, p, 'reset', { recordFolder: DEFAULT_RECORD_FOLDER });
    assert.ok(!preview.items.some((i) => i.id === STARTER_WAREHOUSE), 'an untagged warehouse is offered for deletion');
    assert.ok(preview.keeps.some((k) => k.includes(STARTER_WAREHOUSE) || k.includes('Starter Warehouse')), `the preview does not say the warehouse stays: ${preview.keeps.join(' | ')}`);
    await disconnect({ ...env.ctx, recordFolder: DEFAULT_RECORD_FOLDER }, p, 'reset');
    assert.ok(env.emu.state.warehouses.has(STARTER_WAREHOUSE));
  } finally {
    await env.close();
  }
});

test('a record in a folder every user can edit is shown as untrusted', async () => {
  const env = await startEnv();
  try {
    const user = clientFor(env.emu, env.emu.tokenFor(USER), []);
    await user.writeWorkspaceFile(`${LEGACY_RECORD_FOLDER}/${PARTNER}.json`, forged(), { overwrite: false });
    await user.close();
    const snap = await detectConnectionStates(env.client, catalog, { recordFolder: LEGACY_RECORD_FOLDER });
    const st = snap.partners.find((x) => x.partnerId === PARTNER);
    assert.ok(st);
    assert.equal(st.state, 'degraded');
    assert.ok(st.reasons.some((r) => r.code === 'record-untrusted'), JSON.stringify(st.reasons));
  } finally {
    await env.close();
  }
});

test('connect refuses a record folder that non-admins can edit, before creating anything', async () => {
  const env = await startEnv();
  try {
    const before = snapshot(env.emu.state);
    const p = catalog.require(PARTNER);
    await assert.rejects(
      connect({ ...env.ctx, recordFolder: LEGACY_RECORD_FOLDER }, p, { catalog: 'analytics', isHive: false, schemas: ['marketing'], warehouse: { kind: 'existing', id: STARTER_WAREHOUSE } }, { deliverSecretOnce: () => undefined }),
      (e: { problems?: Array<{ code: string }> }) => !!e.problems?.some((x) => x.code === 'record-folder-untrusted'),
    );
    assert.deepEqual(snapshot(env.emu.state), before);
  } finally {
    await env.close();
  }
});

test('inspect of a record in a folder non-admins can edit: the warning is shown and repair is blocked with a clear message', async () => {
  const env = await startEnv();
  try {
    const p = catalog.require(PARTNER);
    const res = await connect(env.ctx, p, { catalog: 'analytics', isHive: false, schemas: ['marketing'], warehouse: { kind: 'existing', id: STARTER_WAREHOUSE } }, { deliverSecretOnce: () => undefined });
    // the same record, kept where every user can edit it (a forger could widen its catalog and schemas)
    await env.client.writeWorkspaceFile(`${LEGACY_RECORD_FOLDER}/${PARTNER}.json`, serializeRecord(res.record), { overwrite: false });
    const app = res.record.servicePrincipal?.applicationId ?? '';
    await env.client.updateGrants('schema', 'analytics.marketing', [{ principal: app, remove: ['SELECT'] }]);
    const i = await inspectConnection(env.client, p, { recordFolder: LEGACY_RECORD_FOLDER });
    assert.ok(i.drift.differences.length > 0, 'drift is still shown');
    assert.deepEqual(i.drift.repair, []);
    assert.match(i.drift.blocked ?? '', /Repair is blocked: The connection records in \/Shared\/\.partner-connect are not trusted/);
    assert.ok(i.recordWarnings.some((w) => /not trusted/.test(w)), JSON.stringify(i.recordWarnings));
    assert.ok(reasonsOf(i.status).some((r) => r.code === 'record-untrusted'));
    const before = snapshot(env.emu.state);
    await assert.rejects(applyRepair(env.client, i), (e: { code?: string; message: string }) => e.code === 'repair-blocked' && /not trusted/.test(e.message));
    assert.deepEqual(snapshot(env.emu.state), before, 'a blocked repair changed something');
    // in the admin-only folder the same drift is repaired
    const ok = await inspectConnection(env.client, p);
    assert.equal(ok.drift.blocked, undefined);
    assert.ok(ok.drift.repair.length > 0);
  } finally {
    await env.close();
  }
});
