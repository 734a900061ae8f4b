/**
 * Who may connect a partner (connect/access.ts canConnect — the rule the pre-flight, the menus and
 * the form share): a workspace admin; anyone re-using an established protocol connection (nothing is
 * created; TechnicalFAQ); non-admins for NON_ADMIN partners; everyone else refused up front with what
 * is missing. Over real HTTP where the workspace is involved.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  canConnect,
  connect,
  loadBuiltinCatalog,
  loadPartnerConfigFile,
  NotWorkspaceAdminError,
  preflightConnect,
  type ConnectChoices,
} from '../../src/domain';
import { withCleanup } from '../fixtures/cleanup';
import { startPartnerSim } from '../partner-sim';
import { ADMIN, USER } from '../fixtures/seed';
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
