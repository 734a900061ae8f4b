/**
 * Issue 11 item 2 (rest): records left in the legacy folder /Shared/.partner-connect (any user can
 * edit it) move into the admin-only folder only after a plan the admin confirms, each checked against
 * the workspace: a principal only by its `<PARTNER>_USER` name and id, a warehouse "created for the
 * partner" only with the extension's tag, the partner connection id never (it cannot be checked). A
 * forged legacy record therefore never becomes a deletion target.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, detectConnectionStates, loadBuiltinCatalog, previewDisconnect, serializeRecord, type ConnectionRecord } from '../../src/domain';
import { migrateLegacyRecords, planLegacyMigration } from '../../src/domain/record/migrate';
import { DEFAULT_RECORD_FOLDER } from '../../src/domain/record/record';
import { LEGACY_RECORD_FOLDER } from '../../src/domain/record/trust';
import { patchFolderAcl } from '../emulator/folder-acl';
import { clientFor, startEnv, type Env } from '../domain/helpers';
import { STARTER_WAREHOUSE, USER } from '../fixtures/seed';

const catalog = loadBuiltinCatalog();
const quiet = { deliverSecretOnce: (): void => undefined };

/** Connects Dataiku (a new, tagged warehouse) and moves its record to the legacy folder, as an older version kept it. */
async function genuineLegacyRecord(env: Env): Promise<ConnectionRecord> {
  const res = await connect(env.ctx, catalog.require('dataiku'), { catalog: 'analytics', schemas: ['marketing'], warehouse: { kind: 'create', name: 'DATAIKU_ENDPOINT' } }, quiet);
  const rec = { ...res.record, connectionId: 'conn-genuine' };
  await env.client.writeWorkspaceFile(`${LEGACY_RECORD_FOLDER}/dataiku.json`, serializeRecord(rec), { overwrite: false });
  await env.client.deleteWorkspaceFile(`${DEFAULT_RECORD_FOLDER}/dataiku.json`);
  return rec;
}

/** What a non-admin can write into /Shared: a record naming the production warehouse and someone else's principal. */
async function forgedLegacyRecord(env: Env): Promise<void> {
  const other = [...env.emu.state.servicePrincipals.values()].find((s) => s.displayName === 'DATAIKU_USER');
  assert.ok(other);
  const forged: ConnectionRecord = {
    schemaVersion: 1,
    partner: 'hightouch',
    partnerName: 'Hightouch',
    state: 'connected',
    attemptId: 'forged',
    servicePrincipal: { id: other.id, applicationId: other.applicationId, displayName: 'HIGHTOUCH_USER' },
    tokenId: null,
    compute: { kind: 'warehouse', id: STARTER_WAREHOUSE, name: 'Starter Warehouse', createdForPartner: true },
    catalog: 'analytics',
    schemas: ['marketing'],
    isHive: false,
    connectionId: 'someone-elses-connection',
    connectedBy: USER,
    partnerAccountAdministrator: null,
    connectedAt: new Date().toISOString(),
    extensionVersion: '0.0.0',
  };
  const user = clientFor(env.emu, env.emu.tokenFor(USER), []);
  await user.writeWorkspaceFile(`${LEGACY_RECORD_FOLDER}/hightouch.json`, serializeRecord(forged), { overwrite: false });
  await user.close();
}

test('legacy records move only as far as the workspace confirms them: a forged one names no deletion target afterwards', async () => {
  const env = await startEnv();
  try {
    const genuine = await genuineLegacyRecord(env);
    await forgedLegacyRecord(env);
    assert.deepEqual((await detectConnectionStates(env.client, catalog)).legacyRecords?.sort(), ['dataiku', 'hightouch']);

    const plan = await planLegacyMigration(env.client, catalog, { userName: 'ava.admin@acme.example' });
    assert.equal(plan.trust.kind, 'trusted');
    const dataiku = plan.entries.find((e) => e.partnerId === 'dataiku');
    const hightouch = plan.entries.find((e) => e.partnerId === 'hightouch');
    assert.equal(dataiku?.action, 'move');
    assert.equal(dataiku?.record?.servicePrincipal?.id, genuine.servicePrincipal?.id, 'the genuine principal is carried over');
    assert.equal(dataiku?.record?.compute?.createdForPartner, true, 'the tagged warehouse stays "created for the partner"');
    assert.equal(dataiku?.record?.credential?.id, genuine.credential?.id);
    assert.equal(dataiku?.record?.connectionId, null, 'a connection id cannot be confirmed');
    assert.ok(dataiku?.findings.some((f) => /conn-genuine: not carried over/.test(f)), dataiku?.findings.join(' | '));
    assert.equal(hightouch?.action, 'move');
    assert.equal(hightouch?.record?.servicePrincipal, null, "another partner's principal is not carried over");
    assert.equal(hightouch?.record?.compute?.createdForPartner, false, 'the untagged production warehouse is not "created for the partner"');
    assert.equal(hightouch?.record?.connectionId, null);
    assert.ok(hightouch?.findings.some((f) => /Starter Warehouse.*NOT created for Hightouch/.test(f)), hightouch?.findings.join(' | '));

    const result = await migrateLegacyRecords(env.client, plan);
    assert.equal(result.kind, 'migrate-records');
    assert.deepEqual(result.moved.map((m) => m.partnerId).sort(), ['dataiku', 'hightouch']);
    assert.ok(!env.emu.state.files.has(`${LEGACY_RECORD_FOLDER}/dataiku.json`));
    assert.ok(!env.emu.state.files.has(LEGACY_RECORD_FOLDER), 'the empty legacy folder is left behind');

    const snap = await detectConnectionStates(env.client, catalog);
    assert.deepEqual(snap.legacyRecords, []);
    assert.equal(snap.partners.find((p) => p.partnerId === 'dataiku')?.state, 'connected');
    // the forged one: a Disconnect deletes neither the production warehouse nor Dataiku's principal
    const preview = await previewDisconnect(env.client, catalog.require('hightouch'), 'reset');
    assert.ok(!preview.items.some((i) => i.id === STARTER_WAREHOUSE || i.id === genuine.servicePrincipal?.id), JSON.stringify(preview.items));
    // the genuine one still deletes its own warehouse
    const own = await previewDisconnect(env.client, catalog.require('dataiku'), 'reset');
    assert.ok(own.items.some((i) => i.kind === 'warehouse' && i.id === genuine.compute?.id));
  } finally {
    await env.close();
  }
});

test('nothing moves into a folder non-admins can edit; a legacy record changed after the plan does not move; an existing record is not overwritten', async () => {
  const env = await startEnv();
  try {
    await genuineLegacyRecord(env);
    await forgedLegacyRecord(env);
    // changed after the plan
    const plan = await planLegacyMigration(env.client, catalog);
    const user = clientFor(env.emu, env.emu.tokenFor(USER), []);
    await user.writeWorkspaceFile(`${LEGACY_RECORD_FOLDER}/hightouch.json`, '{"changed": true}', { overwrite: true });
    await user.close();
    const r = await migrateLegacyRecords(env.client, plan);
    assert.deepEqual(r.moved.map((m) => m.partnerId), ['dataiku']);
    assert.match(r.skipped.find((x) => x.partnerId === 'hightouch')?.reason ?? '', /changed after the plan/);
    // a partner with a record in the admin folder already: stays
    await env.client.writeWorkspaceFile(`${LEGACY_RECORD_FOLDER}/dataiku.json`, env.emu.state.files.get(`${DEFAULT_RECORD_FOLDER}/dataiku.json`)?.content.toString('utf8') ?? '', { overwrite: false });
    const again = await planLegacyMigration(env.client, catalog);
    assert.equal(again.entries.find((e) => e.partnerId === 'dataiku')?.action, 'skip');
    assert.equal(again.entries.find((e) => e.partnerId === 'hightouch')?.action, 'skip', 'an unreadable record moves');
    // an untrusted target folder: nothing moves
    patchFolderAcl(env.emu.state, DEFAULT_RECORD_FOLDER, [{ kind: 'group', name: 'users', level: 'CAN_EDIT' }]);
    const open = await planLegacyMigration(env.client, catalog);
    assert.equal(open.trust.kind, 'untrusted');
    await assert.rejects(migrateLegacyRecords(env.client, open), /not moved/);
  } finally {
    await env.close();
  }
});
