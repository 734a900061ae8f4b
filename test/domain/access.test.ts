/**
 * Who may connect a partner (connect/access.ts canConnect — the rule the pre-flight, the menus and
 * the form share): a workspace admin; anyone re-using an established protocol connection (nothing is
 * created; TechnicalFAQ); non-admins for NON_ADMIN partners; everyone else refused up front with what
 * is missing. Over real HTTP where the workspace is involved.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildPlan,
  canConnect,
  createCatalog,
  detectConnectionStates,
  inspectConnection,
  previewDisconnect,
  rotateCredential,
  connect,
  describePlan,
  disconnect,
  PreflightError,
  userRecordFolder,
  loadBuiltinCatalog,
  loadPartnerConfigFile,
  NotWorkspaceAdminError,
  preflightConnect,
  reasonsOf,
  readLifetimeCap,
  describeCap,
  ConnectRolledBackError,
  type ConnectChoices,
} from '../../src/domain';
import { withCleanup } from '../fixtures/cleanup';
import { startPartnerSim } from '../partner-sim';
import { ADMIN, STARTER_WAREHOUSE, USER } from '../fixtures/seed';
import { clientFor, snapshot, startEnv } from './helpers';

const catalog = loadBuiltinCatalog();
const admin = { userName: ADMIN, isWorkspaceAdmin: true };
const user = { userName: USER, isWorkspaceAdmin: false };

test('canConnect: admins always; non-admins only to re-use a protocol connection, or for NON_ADMIN partners; the refusal names what needs an admin', () => {
  const dbt = catalog.require('dbt-cloud');
  assert.deepEqual(canConnect(dbt, admin), { allowed: true, as: 'admin' });
  const refused = canConnect(dbt, user);
  assert.equal(refused.allowed, false);
  if (refused.allowed) return;
  assert.match(refused.reason, /^noah\.user@acme\.example is not a workspace admin: connecting dbt Cloud needs one \(creating the service principal DBT_CLOUD_USER and its credential, giving it CAN USE on tokens, granting it data access\)/);
  assert.deepEqual(refused.missing, ['membership of the workspace admins group']);

  const sim = loadPartnerConfigFile(JSON.stringify({ ...samplePartnerConfig(), supported_features: [] }), 'sim.json');
  assert.equal(sim.nonAdmin, false);
  const r = canConnect(sim, user);
  assert.ok(!r.allowed && /Once an admin has connected it, you can re-use the connection/.test(r.reason));
  const reuse = canConnect(sim, user, { established: true });
  assert.equal(reuse.allowed && reuse.as, 'reuse');
  // a manual / desktop hand-off has no connection at the partner to re-use
  const fivetran = catalog.require('fivetran');
  assert.equal(canConnect(fivetran, user, { established: true }).allowed, false);

  const nonAdmin = loadPartnerConfigFile(JSON.stringify({ ...samplePartnerConfig(), supported_features: ['NON_ADMIN'], auth_options: ['AUTH_OAUTH_M2M'] }), 'na.json');
  assert.equal(nonAdmin.nonAdmin, true);
  assert.deepEqual(nonAdmin.partnerConfig?.auth_options, [], 'NON_ADMIN partners get AUTH_PAT, never AUTH_OAUTH_M2M (self-testing-partner-cli README)');
  const ok = canConnect(nonAdmin, user);
  assert.ok(ok.allowed && ok.as === 'user', JSON.stringify(ok));
});

test('a non-admin re-uses an established protocol connection: nothing is created, the partner is told it exists, with their own e-mail', () =>
  withCleanup(async (started) => {
    const env = started.add(await startEnv(), (e) => e.close());
    const sim = started.add(await startPartnerSim(), (s) => s.close());
    const partner = loadPartnerConfigFile(JSON.stringify(sim.partnerConfig()), 'sim.json');
    const choices: ConnectChoices = { catalog: 'analytics', schemas: ['marketing'], warehouse: { kind: 'create', name: 'PARTNER_SIMULATOR_ENDPOINT' } };

    // before an admin connected it: refused up front, nothing read beyond the pre-flight
    const noah = started.add(clientFor(env.emu, env.emu.tokenFor(USER), []), (c) => c.close());
    const userCtx = { ...env.ctx, client: noah };
    const pf0 = await preflightConnect(noah, partner, choices);
    assert.equal(pf0.access.allowed, false);
    assert.deepEqual(pf0.problems.map((p) => p.code), ['not-workspace-admin']);
    const before = snapshot(env.emu.state);
    await assert.rejects(connect(userCtx, partner, choices, { partnerCredentials: sim.credentials }), (e: Error) => {
      assert.ok(e instanceof NotWorkspaceAdminError, String(e));
      assert.match(e.message, /needs one \(creating the service principal PARTNER_SIMULATOR_USER/);
      return true;
    });
    assert.deepEqual(snapshot(env.emu.state), before);

    const first = await connect(env.ctx, partner, choices, { partnerCredentials: sim.credentials });
    assert.equal(first.reused, false);

    sim.clearRequests();
    env.emu.clearRequests();
    const after = snapshot(env.emu.state);
    const pf = await preflightConnect(noah, partner, choices);
    assert.deepEqual(pf.problems, []);
    assert.equal(pf.access.allowed && pf.access.as, 'reuse');
    const again = await connect(userCtx, partner, choices, { partnerCredentials: sim.credentials });
    assert.equal(again.reused, true);
    assert.deepEqual(again.created, []);
    assert.deepEqual(snapshot(env.emu.state), after, 'nothing created or changed');
    assert.equal(env.emu.requests.filter((r) => r.method !== 'GET').length, 0, 'no write request');
    const [req] = sim.requests;
    assert.equal(req.valid, true, req.errors.join('; '));
    const body = req.body as { connection_id?: string; user_info: { email: string; is_connection_established: boolean; auth?: unknown } };
    assert.equal(body.user_info.is_connection_established, true);
    assert.equal(body.user_info.email, USER);
    assert.equal(body.user_info.auth, undefined, 'no credential is sent');
    assert.equal(body.connection_id, first.record.connectionId);
  }));

/** A published-format PartnerConfig (the simulator's own, read through its protocol description). */
function samplePartnerConfig(): Record<string, unknown> {
  return {
    api_version: '2.0.4',
    name: 'Acme Loader',
    description_blurb: 'Loads data',
    category: 'INGEST',
    base_url: 'https://api.acme-loader.example',
    endpoints: { connect_path: '/connect', delete_connection_path: '/delete-connection' },
    sign_up_page: 'https://acme-loader.example/signup',
    privacy_policy: 'https://acme-loader.example/privacy',
    terms_of_service: 'https://acme-loader.example/tos',
    logo_file: 'logo.png',
    icon_file: 'icon.png',
    resources_to_provision: [{ resource_type: 'SqlEndpoint' }],
    data_permissions: [{ permission: 'USAGE' }, { permission: 'CREATE' }],
    supported_clouds: ['aws', 'azure', 'gcp'],
    hostnames: ['acme-loader.example'],
    new_user_action: 'auto_add',
  };
}

test('a non-admin connects a NON_ADMIN partner as themselves: their own token in the ConnectRequest (never stored), no principal, no grant, no warehouse; refused first without CAN USE on tokens; disconnect deletes the token and the record', () =>
  withCleanup(async (started) => {
    const env = started.add(await startEnv(), (e) => e.close());
    const sim = started.add(await startPartnerSim(), (s) => s.close());
    const partner = loadPartnerConfigFile(JSON.stringify({ ...sim.partnerConfig(), supported_features: ['NON_ADMIN'] }), 'sim.json');
    assert.equal(partner.nonAdmin, true);
    const noah = started.add(clientFor(env.emu, env.emu.tokenFor(USER), []), (c) => c.close());
    const userCtx = { ...env.ctx, client: noah };
    const choices: ConnectChoices = { catalog: 'analytics', schemas: ['finance'], warehouse: { kind: 'existing', id: STARTER_WAREHOUSE }, credentialLifetimeDays: 30 };
    const before = snapshot(env.emu.state);

    // without CAN USE on tokens: a clear refusal naming it, nothing created
    const denied = await preflightConnect(noah, partner, choices);
    assert.equal(denied.access.allowed && denied.access.as, 'user');
    assert.deepEqual(denied.problems.map((p) => p.code), ['token-use-denied']);
    assert.match(denied.problems[0].message, /no CAN USE on tokens/);
    await assert.rejects(connect(userCtx, partner, choices, { partnerCredentials: sim.credentials }), (e: Error) => e instanceof PreflightError && /CAN USE on tokens/.test(e.message));
    assert.deepEqual(snapshot(env.emu.state), before);
    // a connection that acts as the user creates no warehouse
    const create = await preflightConnect(noah, partner, { ...choices, warehouse: { kind: 'create', name: 'X_ENDPOINT' } });
    assert.ok(create.problems.some((p) => p.code === 'warehouse-create-as-user'), JSON.stringify(create.problems));

    await env.client.patchTokenPermissions([{ group_name: 'users', permission_level: 'CAN_USE' }]);
    const withTokens = snapshot(env.emu.state);
    const pf = await preflightConnect(noah, partner, choices);
    assert.deepEqual(pf.problems, []);
    assert.equal(pf.credential?.kind, 'pat');
    assert.match(pf.credential?.why ?? '', /acts as you/);
    const plan = buildPlan(partner, pf.normalized, { recordFolder: userRecordFolder(USER), credential: pf.credential ?? undefined, actingAsUser: true });
    assert.deepEqual(plan.map((op) => op.type), ['claimRecord', 'createCredential', 'handoff', 'writeRecord'], 'no principal, grant or warehouse');
    assert.match(describePlan(plan).join('\n'), /personal access token of yours, valid for 30 days/);

    const res = await connect(userCtx, partner, choices, { partnerCredentials: sim.credentials });
    assert.equal(res.record.actsAs, 'user');
    assert.equal(res.record.servicePrincipal, null);
    assert.equal(res.record.connectedBy, USER);
    const tokens = [...env.emu.state.tokens.values()].filter((t) => t.comment === `Partner Connect: ${partner.displayName}`);
    assert.equal(tokens.length, 1);
    assert.equal(tokens[0].ownerId, env.emu.state.findUser(USER)?.id, 'the token is the user’s own');
    assert.equal(tokens[0].expiry_time - tokens[0].creation_time, 30 * 86_400_000);
    assert.deepEqual(res.record.credential && { kind: res.record.credential.kind, id: res.record.credential.id }, { kind: 'pat', id: tokens[0].token_id });
    // the partner got it in user_info.auth.personal_access_token; no service principal
    const [req] = sim.requests;
    assert.equal(req.valid, true, req.errors.join('; '));
    const body = req.body as { service_principal_id?: string; user_info: { email: string; auth?: { personal_access_token: unknown } } };
    assert.equal(body.service_principal_id, undefined);
    assert.equal(body.user_info.email, USER);
    assert.equal(req.secretSha256['user_info.auth.personal_access_token'], tokens[0].valueHash, 'the partner got the user’s token');
    // the record is in the user's folder and holds no value
    const file = env.emu.state.files.get(`${userRecordFolder(USER)}/${partner.id}.json`);
    assert.ok(file, 'recorded in the user’s folder');
    assert.ok(!String(file.content).includes('dapi'), 'no token value in the record');
    assert.equal(env.emu.state.files.has(`/.partner-connect/${partner.id}.json`), false, 'not in the admins’ folder');
    // nothing else changed: no principal, grant, warehouse or ACL
    const now = snapshot(env.emu.state) as Record<string, unknown>;
    for (const k of ['servicePrincipals', 'warehouses', 'tokenAcl', 'users', 'groups']) assert.deepEqual(now[k], (withTokens as Record<string, unknown>)[k], k);
    // connecting again is refused: it is connected as them already
    const again = await preflightConnect(noah, partner, choices);
    assert.deepEqual(again.problems.map((p) => p.code), ['connected-as-user']);

    // the tree: connected, as them, with their own token (confirmed by their token list)
    const snap = await detectConnectionStates(noah, createCatalog([...catalog.partners, partner]));
    const st = snap.partners.find((x) => x.partnerId === partner.id);
    assert.equal(st?.state, 'connected', JSON.stringify(st && reasonsOf(st)));
    assert.equal(st?.servicePrincipal, null);
    assert.deepEqual(st?.credentials.map((c) => [c.kind, c.id]), [['pat', tokens[0].token_id]]);
    assert.equal(st?.record?.actsAs, 'user');
    // inspect (read only): the same connection as the tree, their own token's kind, id and expiry; no principal, grant or permission expected
    const sinceInspect = env.emu.requests.length;
    const ins = await inspectConnection(noah, partner);
    assert.equal(ins.status.state, 'connected', JSON.stringify(reasonsOf(ins.status)));
    assert.equal(ins.servicePrincipal, null);
    assert.equal(ins.principal, null);
    assert.deepEqual(
      ins.credentials.map((c) => [c.kind, c.id, c.expiry]),
      [['pat', tokens[0].token_id, new Date(tokens[0].expiry_time).toISOString()]],
    );
    assert.equal(ins.tokens[0]?.createdBy, USER, 'their own token');
    assert.equal(ins.record?.actsAs, 'user');
    assert.deepEqual([ins.ucGrants, ins.hiveGrants, ins.tokenPermission, ins.warehousePermission], [[], [], null, null]);
    assert.deepEqual([ins.drift.differences, ins.drift.repair], [[], []], 'nothing to compare or repair');
    assert.deepEqual(env.emu.requests.slice(sinceInspect).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`), [], 'inspecting only reads');
    // an admin inspecting the partner sees no connection of theirs (the record is in the user's folder)
    assert.equal((await inspectConnection(env.client, partner)).status.state, 'not-connected');
    // rotate in place is not offered to them: they disconnect and connect again
    await assert.rejects(rotateCredential(userCtx, partner, { deliverSecretOnce: () => undefined }), (e: Error) => e instanceof PreflightError && /disconnect it and connect again/.test(e.message));
    // what disconnect deletes, shown first
    const preview = await previewDisconnect(noah, partner, 'reset');
    assert.deepEqual(preview.items.map((i) => i.kind), ['own-token', ...(res.record.connectionId ? ['partner-connection'] : []), 'record']);
    assert.equal(preview.items[0].id, tokens[0].token_id);

    const out = await disconnect(userCtx, partner, 'reset', { partnerCredentials: sim.credentials });
    assert.deepEqual(out.deleted.map((i) => i.kind), ['own-token', 'partner-connection', 'record'].filter((k) => k !== 'partner-connection' || !!res.record.connectionId));
    assert.deepEqual(snapshot(env.emu.state), withTokens, 'the token and the record are gone');
  }));

test('a non-admin’s own token when the workspace caps new tokens: whether they may read maxTokenLifetimeDays is not documented, so both answers work - readable: the cap is the default; refused (403): 730 days and the form says the limit could not be read; a longer token than the cap is refused and rolled back, a shorter one is made', () =>
  withCleanup(async (started) => {
    const env = started.add(await startEnv(), (e) => e.close());
    const sim = started.add(await startPartnerSim(), (s) => s.close());
    const partner = loadPartnerConfigFile(JSON.stringify({ ...sim.partnerConfig(), supported_features: ['NON_ADMIN'] }), 'sim.json');
    const noah = started.add(clientFor(env.emu, env.emu.tokenFor(USER), []), (c) => c.close());
    const userCtx = { ...env.ctx, client: noah };
    await env.client.patchTokenPermissions([{ group_name: 'users', permission_level: 'CAN_USE' }]);
    env.emu.state.options.maxTokenLifetimeDays = 30;
    const choices: ConnectChoices = { catalog: 'analytics', schemas: ['finance'], warehouse: { kind: 'existing', id: STARTER_WAREHOUSE } };

    // readable by non-admins: the workspace's cap is the default and the maximum
    env.emu.state.options.workspaceConfReadableByUsers = true;
    assert.deepEqual(await readLifetimeCap(noah), { maxDays: 30, source: 'admin' });
    assert.equal((await preflightConnect(noah, partner, choices)).credential?.lifetimeDays, 30);

    // refused to non-admins (the emulator's default): 730 days, and the words say the limit is unknown
    env.emu.state.options.workspaceConfReadableByUsers = false;
    assert.deepEqual(await readLifetimeCap(noah), { maxDays: 730, source: 'unknown' });
    const pf = await preflightConnect(noah, partner, choices);
    assert.deepEqual(pf.problems, []);
    assert.equal(pf.credential?.lifetimeDays, 730);
    assert.match(describeCap(pf.credential?.cap ?? { maxDays: 0, source: 'admin' }), /could not be read.*choose fewer days/);
    const plan = describePlan(buildPlan(partner, pf.normalized, { recordFolder: userRecordFolder(USER), credential: pf.credential ?? undefined, actingAsUser: true })).join('\n');
    assert.match(plan, /valid for 730 days \(the longest Databricks allows; this workspace's own limit could not be read\)/, plan);
    const before = snapshot(env.emu.state);
    await assert.rejects(connect(userCtx, partner, choices, { partnerCredentials: sim.credentials }), (e: Error) => e instanceof ConnectRolledBackError && /maximum lifetime of 30 days/.test(e.message));
    assert.deepEqual(snapshot(env.emu.state), before, 'nothing left after the refused token');
    assert.equal(sim.requests.length, 0, 'the partner was not called');
    // the user chooses fewer days in the form: it works
    const res = await connect(userCtx, partner, { ...choices, credentialLifetimeDays: 30 }, { partnerCredentials: sim.credentials });
    const token = [...env.emu.state.tokens.values()].find((t) => t.token_id === res.record.credential?.id);
    assert.equal(token && token.expiry_time - token.creation_time, 30 * 86_400_000);
    await disconnect(userCtx, partner, 'reset', { partnerCredentials: sim.credentials });
    assert.deepEqual(snapshot(env.emu.state), before);
  }));
