/**
 * "Show Audit Events": the query on system.access.audit through a chosen warehouse over real HTTP —
 * parameters bound by the statements API (no value in the SQL text), the principal's token creation
 * and use, permission changes and its own creation found; a stopped warehouse is never started
 * without permission; a workspace without system tables gets the real error, mapped to what to do.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AUDIT_QUERY,
  connect,
  loadBuiltinCatalog,
  queryAuditEvents,
  SystemTablesUnavailableError,
  WarehouseNotRunningError,
  type ConnectChoices,
} from '../../src/domain';
import { seedPath } from '../emulator';
import { clientFor, startEnv } from './helpers';
import { STARTER_WAREHOUSE } from '../fixtures/seed';

const catalog = loadBuiltinCatalog();
const CHOICES: ConnectChoices = { catalog: 'analytics', schemas: ['marketing'], warehouse: { kind: 'existing', id: STARTER_WAREHOUSE } };

test('the principal\'s token creation, token use, permission changes and creation, newest first, with every value bound as a parameter', async () => {
  const env = await startEnv();
  try {
    const p = catalog.require('hightouch');
    let token = '';
    const res = await connect(env.ctx, p, CHOICES, { deliverSecretOnce: (v) => void (token = v) });
    const sp = res.record.servicePrincipal!;
    // the partner uses its token
    const asPartner = clientFor(env.emu, token, []);
    await asPartner.me();
    await asPartner.close();
    env.emu.clearRequests();

    const r = await queryAuditEvents(env.client, sp, { warehouseId: STARTER_WAREHOUSE, days: 30 });
    const byAction = new Map(r.events.map((e) => [e.action, e]));
    assert.equal(byAction.get('generateDbToken')?.category, 'token');
    assert.equal(byAction.get('generateDbToken')?.params.tokenId, res.record.tokenId);
    assert.equal(byAction.get('tokenLogin')?.category, 'login');
    assert.equal(byAction.get('tokenLogin')?.actor, sp.applicationId);
    assert.equal(byAction.get('changeDbTokenAcl')?.category, 'permission');
    assert.equal(byAction.get('updatePermissions')?.category, 'permission');
    assert.equal(byAction.get('add')?.category, 'principal');
    assert.deepEqual(r.events.map((e) => e.time), [...r.events.map((e) => e.time)].sort().reverse(), 'newest first');
    // another principal's events are not included
    assert.ok(r.events.every((e) => e.actor === sp.applicationId || Object.values(e.params).some((v) => [sp.applicationId, sp.id, sp.displayName].includes(v))));

    const [req] = env.emu.requests.filter((x) => x.method === 'POST' && x.path === '/api/2.0/sql/statements');
    const body = req.body as { statement: string; parameters: Array<{ name: string; value: string }> };
    assert.equal(body.statement, AUDIT_QUERY);
    for (const v of [sp.applicationId, sp.id, sp.displayName]) assert.ok(!body.statement.includes(v), 'no value in the SQL text');
    assert.deepEqual(Object.fromEntries(body.parameters.map((x) => [x.name, x.value])), { days: '30', application_id: sp.applicationId, sp_id: sp.id, display_name: sp.displayName });
    assert.ok(!JSON.stringify(r).includes(token), 'no token value');
  } finally {
    await env.close();
  }
});

test('a stopped warehouse is never started without permission', async () => {
  const env = await startEnv();
  try {
    const stopped = 'a1b2c3d4e5f60718';
    assert.equal(env.emu.state.warehouses.get(stopped)?.state, 'STOPPED');
    const sp = { applicationId: 'x', id: '1', displayName: 'X_USER' };
    await assert.rejects(queryAuditEvents(env.client, sp, { warehouseId: stopped, days: 7 }), (e: unknown) => e instanceof WarehouseNotRunningError && e.warehouseState === 'STOPPED' && /would start it/.test(e.message));
    assert.equal(env.emu.state.warehouses.get(stopped)?.state, 'STOPPED');
    assert.equal(env.emu.requests.filter((x) => x.path === '/api/2.0/sql/statements').length, 0, 'no statement was sent');
    const r = await queryAuditEvents(env.client, sp, { warehouseId: stopped, days: 7, allowWarehouseStart: true });
    assert.deepEqual(r.events, []);
  } finally {
    await env.close();
  }
});

test('where system tables are not enabled, the query\'s TABLE_OR_VIEW_NOT_FOUND becomes a clear message with what to do', async () => {
  const env = await startEnv();
  try {
    env.emu.state.options.systemTablesEnabled = false;
    const sp = { applicationId: 'x', id: '1', displayName: 'X_USER' };
    await assert.rejects(queryAuditEvents(env.client, sp, { warehouseId: STARTER_WAREHOUSE, days: 7 }), (e: unknown) => {
      assert.ok(e instanceof SystemTablesUnavailableError);
      assert.match(e.message, /system\.access\.audit is not available/);
      assert.match(e.action, /account admin must enable the "access" system schema/);
      return true;
    });
  } finally {
    await env.close();
  }
  // no metastore: no system catalog either
  const hive = await startEnv({ seed: seedPath('hive-only.json') });
  try {
    const sp = { applicationId: 'x', id: '1', displayName: 'X_USER' };
    const wh = [...hive.emu.state.warehouses.keys()][0];
    await assert.rejects(queryAuditEvents(hive.client, sp, { warehouseId: wh, days: 7, allowWarehouseStart: true }), SystemTablesUnavailableError);
  } finally {
    await hive.close();
  }
});

test('emulator: a parameter marker without a binding fails as Databricks answers (UNBOUND_SQL_PARAMETER)', async () => {
  const env = await startEnv();
  try {
    await assert.rejects(
      env.client.executeStatement({ warehouseId: STARTER_WAREHOUSE, statement: AUDIT_QUERY, parameters: [{ name: 'days', value: '7', type: 'INT' }] }),
      (e: unknown) => /UNBOUND_SQL_PARAMETER/.test((e as Error).message + String((e as { serverMessage?: string }).serverMessage)),
    );
  } finally {
    await env.close();
  }
});
