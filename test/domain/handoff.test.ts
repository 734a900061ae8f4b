/**
 * Hand-offs over real HTTP: the Partner Connect protocol against the partner simulator (new and
 * established connections, configured_resources false, 401, 404, 500 then success, redirect
 * allow-list, delete-connection on reset), desktop connection files, the manual hand-off — and the
 * token value never appears in logs, records, errors or anything the engine returns.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createPartnerApiClient } from '../../src/client/partner/partnerApiClient';
import {
  connect,
  ConnectRolledBackError,
  detectConnectionStates,
  disconnect,
  inspectConnection,
  loadPartnerConfigFile,
  PartnerHandoffError,
  PreflightError,
  preflightConnect,
  createCatalog,
  loadBuiltinCatalog,
  rotateToken,
  type ConnectChoices,
  type EngineContext,
} from '../../src/domain';
import { withCleanup } from '../fixtures/cleanup';
import { startPartnerSim, type PartnerSim } from '../partner-sim';
import { DEMO_SEED_PATH, type Seed } from '../emulator';
import { snapshot, startEnv, type Env } from './helpers';
import { STARTER_WAREHOUSE } from '../fixtures/seed';

const sha = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

/** An engine context whose partner client lets the test see the token handed to the partner. */
function capturing(env: Env, captured: string[]): EngineContext {
  return {
    ...env.ctx,
    partnerClientFactory: (config, credentials, logger) => {
      const inner = createPartnerApiClient({ config, credentials, logger, retryDelaysMs: [1, 2, 4], env: {} });
      return {
        ...inner,
        config: inner.config,
        connect: (req, o) => {
          const t = req.user_info.auth?.personal_access_token;
          if (t) captured.push(t);
          return inner.connect(req, o);
        },
        deleteConnection: (r, o) => inner.deleteConnection(r, o),
        testConnection: (r, o) => inner.testConnection(r, o),
        getConnectors: (q, o) => inner.getConnectors(q, o),
        close: () => inner.close(),
      };
    },
  };
}

/** An emulator and a partner simulator, both closed afterwards (also when starting the second one fails). */
function withSim(run: (env: Env, sim: PartnerSim) => Promise<void>): Promise<void> {
  return withCleanup(async (started) => {
    const env = started.add(await startEnv(), (e) => e.close());
    const sim = started.add(await startPartnerSim(), (s) => s.close());
    await run(env, sim);
  });
}

const choices: ConnectChoices = { catalog: 'analytics', schemas: ['marketing'], warehouse: { kind: 'create', name: 'PARTNER_SIMULATOR_ENDPOINT' } };

test('protocol: connect, re-use, reset — requests valid against the protocol description, token only in the first request', () =>
  withSim(async (env, sim) => {
    const partner = loadPartnerConfigFile(JSON.stringify(sim.partnerConfig()), 'sim.json');
    assert.equal(partner.handoff, 'protocol');
    assert.equal(partner.servicePrincipalName, 'PARTNER_SIMULATOR_USER');
    const captured: string[] = [];
    const ctx = capturing(env, captured);
    const before = snapshot(env.emu.state);

    await assert.rejects(connect(ctx, partner, choices), (e: Error) => e instanceof PreflightError && /No partner credentials/.test(e.message));

    const res = await connect(ctx, partner, choices, { partnerCredentials: sim.credentials });
    assert.equal(res.handoff.kind, 'protocol');
    if (res.handoff.kind !== 'protocol') return;
    assert.ok(res.handoff.connectionId);
    assert.equal(res.record.connectionId, res.handoff.connectionId);
    assert.ok(res.handoff.redirectUri?.startsWith(sim.url), 'an allowed redirect is returned');
    assert.equal(res.handoff.blockedRedirectHost, null);
    const [req] = sim.requests;
    assert.equal(req.valid, true, req.errors.join('; '));
    const body = req.body as Record<string, unknown>;
    const sp = [...env.emu.state.servicePrincipals.values()].find((s) => s.displayName === 'PARTNER_SIMULATOR_USER');
    assert.ok(sp);
    assert.equal(body.service_principal_id, sp.applicationId);
    assert.equal(body.is_sql_warehouse, true);
    assert.equal(body.is_sql_endpoint, true);
    assert.equal(body.cluster_id, res.record.compute?.id);
    assert.equal(body.http_path, `/sql/1.0/warehouses/${res.record.compute?.id}`);
    assert.equal(body.catalog_name, 'analytics');
    assert.equal(body.port, 443);
    assert.equal(body.hostname, '127.0.0.1');
    assert.equal((body.user_info as Record<string, unknown>).email, 'ava.admin@acme.example');
    assert.equal((body.user_info as Record<string, unknown>).is_connection_established, false);
    assert.equal(captured.length, 1);
    const conn = sim.connections.get(res.handoff.connectionId ?? '');
    assert.equal(conn?.patSha256, sha(captured[0]), 'the partner got the token that was created');

    // again: the established connection is re-used, no token is sent, nothing is created
    sim.clearRequests();
    const again = await connect(ctx, partner, choices, { partnerCredentials: sim.credentials });
    assert.equal(again.reused, true);
    const [req2] = sim.requests;
    assert.equal(req2.valid, true, req2.errors.join('; '));
    assert.equal((req2.body as { user_info: { is_connection_established: boolean } }).user_info.is_connection_established, true);
    assert.equal((req2.body as { connection_id?: string }).connection_id, res.handoff.connectionId);
    assert.equal(captured.length, 1, 'no second token');

    // reset: the partner is told, and the workspace is as before
    sim.clearRequests();
    const out = await disconnect(ctx, partner, 'reset', { partnerCredentials: sim.credentials });
    assert.equal(out.partnerNotification?.outcome, 'resources_deleted');
    assert.equal(sim.requests[0].path, '/delete-connection');
    assert.equal(sim.requests[0].valid, true);
    assert.equal(sim.connections.has(res.handoff.connectionId ?? ''), false);
    assert.deepEqual(snapshot(env.emu.state), before);
  }));

test('protocol: configured_resources false, 401, 404 account_not_found and 500 roll everything back', () =>
  withSim(async (env, sim) => {
    const partner = loadPartnerConfigFile(JSON.stringify(sim.partnerConfig()), 'sim.json');
    const before = snapshot(env.emu.state);
    for (const [scenario, outcome] of [
      ['configured_resources_false', 'resources-not-configured'],
      ['unauthorized', 'unauthorized'],
      ['account_not_found', 'account_not_found'],
      ['server_error', 'failed:server_error'],
      ['malformed_response', 'failed:invalid_response'],
    ] as const) {
      sim.setScenario(scenario);
      const err = await connect(env.ctx, partner, choices, { partnerCredentials: sim.credentials }).then(
        () => assert.fail(`${scenario}: connect should fail`),
        (e: unknown) => e,
      );
      assert.ok(err instanceof ConnectRolledBackError, `${scenario}: ${String(err)}`);
      assert.equal(err.failedStep, 'handoff');
      const cause = err.cause;
      assert.ok(cause instanceof PartnerHandoffError, String(cause));
      assert.equal(cause.outcome, outcome);
      if (scenario === 'unauthorized') assert.equal(cause.signInUrl, `${sim.url}/signup`);
      assert.ok(err.rolledBack.some((r) => r.kind === 'service-principal'));
      assert.deepEqual(snapshot(env.emu.state), before, `${scenario}: nothing left`);
    }
    // 500 twice, then success: the retries (1/2/4 s in production) get through
    sim.setScenario({ kind: 'fail_then_succeed', failures: 2 });
    const ok = await connect(env.ctx, partner, choices, { partnerCredentials: sim.credentials });
    assert.equal(ok.handoff.kind, 'protocol');
    assert.equal(sim.requests.filter((r) => r.path === '/connect').slice(-3).map((r) => r.status).join(','), '500,500,201');
  }));

test('protocol: a redirect outside the allow-list is never returned; connection_not_found on re-use asks to re-create', () =>
  withSim(async (env, sim) => {
    const partner = loadPartnerConfigFile(JSON.stringify(sim.partnerConfig()), 'sim.json');
    sim.setScenario({ kind: 'redirect', uri: 'https://evil.example.com/steal' });
    const res = await connect(env.ctx, partner, choices, { partnerCredentials: sim.credentials });
    assert.ok(res.handoff.kind === 'protocol');
    if (res.handoff.kind !== 'protocol') return;
    assert.equal(res.handoff.redirectUri, null);
    assert.equal(res.handoff.blockedRedirectHost, 'evil.example.com');
    // the partner forgets the connection (P402): re-use gets 404 connection_not_found
    sim.setScenario('connection_not_found');
    const before = snapshot(env.emu.state);
    await assert.rejects(connect(env.ctx, partner, choices, { partnerCredentials: sim.credentials }), (e: Error) => {
      assert.ok(e instanceof PartnerHandoffError);
      assert.equal(e.outcome, 'connection_not_found');
      assert.match(e.action, /Delete the connection .* and create it again/);
      return true;
    });
    assert.deepEqual(snapshot(env.emu.state), before, 'nothing changed');
    // the reset still works: the partner's 404 counts as already gone
    const out = await disconnect(env.ctx, partner, 'reset', { partnerCredentials: sim.credentials });
    assert.ok(out.alreadyGone.some((i) => i.kind === 'partner-connection'));
  }));

test('desktop partners get a .pbids / .tds file for the chosen warehouse and no service principal', async () => {
  const env = await startEnv();
  try {
    const catalog = loadBuiltinCatalog();
    const tokensBefore = env.emu.state.tokens.size;
    const pbi = await connect(env.ctx, catalog.require('power-bi'), { catalog: 'analytics', warehouse: { kind: 'existing', id: STARTER_WAREHOUSE } });
    assert.equal(pbi.handoff.kind, 'desktop-file');
    if (pbi.handoff.kind !== 'desktop-file') return;
    assert.match(pbi.handoff.file.fileName, /\.pbids$/);
    const doc = JSON.parse(pbi.handoff.file.contents) as { connections: { details: { protocol: string; address: { host: string; path: string } } }[] };
    assert.equal(doc.connections[0].details.protocol, 'databricks');
    assert.equal(doc.connections[0].details.address.path, `/sql/1.0/warehouses/${STARTER_WAREHOUSE}`);
    const tab = await connect(env.ctx, catalog.require('tableau'), { warehouse: { kind: 'existing', id: STARTER_WAREHOUSE } });
    assert.ok(tab.handoff.kind === 'desktop-file' && /\.tds$/.test(tab.handoff.file.fileName));
    if (tab.handoff.kind === 'desktop-file') {
      assert.match(tab.handoff.file.contents, /class='databricks'/);
      assert.match(tab.handoff.file.contents, new RegExp(`v-http-path='/sql/1.0/warehouses/${STARTER_WAREHOUSE}'`));
    }
    assert.equal([...env.emu.state.servicePrincipals.values()].some((s) => /POWER_BI|TABLEAU/.test(s.displayName)), false);
    assert.equal(env.emu.state.tokens.size, tokensBefore, 'no token created');
  } finally {
    await env.close();
  }
});

test('the token value never appears in logs, records, errors, states, inspections or the partner log', () =>
  withSim(async (env, sim) => {
    const captured: string[] = [];
    const ctx = capturing(env, captured);
    const manual = loadBuiltinCatalog().require('hightouch');
    const protocol = loadPartnerConfigFile(JSON.stringify(sim.partnerConfig()), 'sim.json');
    const seen: unknown[] = [];
    const mchoices: ConnectChoices = { catalog: 'analytics', schemas: ['marketing'], warehouse: { kind: 'existing', id: STARTER_WAREHOUSE } };
    seen.push(await connect(ctx, manual, mchoices, { deliverSecretOnce: (v) => void captured.push(v), onProgress: (p) => seen.push(p) }));
    seen.push(await connect(ctx, protocol, choices, { partnerCredentials: sim.credentials, onProgress: (p) => seen.push(p) }));
    seen.push(await rotateToken(ctx, manual, { deliverSecretOnce: (v) => void captured.push(v) }));
    // failures after the token was created
    const other = createCatalog([{ ...protocol, id: 'sim-two', displayName: 'Sim Two', servicePrincipalName: 'SIM_TWO_USER' }]).require('sim-two');
    for (const scenario of ['configured_resources_false', 'server_error', 'unauthorized'] as const) {
      sim.setScenario(scenario);
      try {
        await connect(ctx, other, { ...choices, warehouse: { kind: 'create', name: 'SIM_TWO_ENDPOINT' } }, { partnerCredentials: sim.credentials });
      } catch (e) {
        seen.push(e, (e as Error).message, (e as Error).stack, (e as { cause?: unknown }).cause);
      }
    }
    sim.setScenario('default');
    seen.push(await detectConnectionStates(env.client, createCatalog([...loadBuiltinCatalog().partners, protocol])));
    seen.push(await inspectConnection(env.client, manual));
    assert.equal(captured.length, 3 + 3, 'three successful hand-offs and three failed ones carried a token');
    const haystacks = [
      env.log.join('\n'),
      JSON.stringify(seen, (_k, v: unknown) => (v instanceof Error ? { name: v.name, message: v.message, stack: v.stack, cause: (v as { cause?: unknown }).cause } : v)),
      JSON.stringify(snapshot(env.emu.state)),
      JSON.stringify(env.emu.requests),
      JSON.stringify(sim.requests),
    ];
    for (const t of captured) {
      assert.ok(t.length >= 20);
      for (const [i, h] of haystacks.entries()) assert.equal(h.includes(t), false, `token found in haystack ${i}`);
    }
  }));

test('protocol: a workspace id and a user id above 2^53 reach the partner with every digit (ConnectRequest, delete-connection)', () =>
  withCleanup(async (started) => {
    const WORKSPACE = '9007199254740993'; // 2^53 + 1: a JS number would send ...992
    const USER_ID = '9007199254740995';
    const seed = JSON.parse(readFileSync(DEMO_SEED_PATH, 'utf8')) as Seed & { workspace: { id: string }; users: { id?: string; userName: string }[] };
    seed.workspace.id = WORKSPACE;
    const ava = seed.users.find((u) => u.userName === 'ava.admin@acme.example');
    assert.ok(ava);
    ava.id = USER_ID;
    const env = started.add(await startEnv({ seed }), (e) => e.close());
    const sim = started.add(await startPartnerSim(), (s) => s.close());
    const partner = loadPartnerConfigFile(JSON.stringify(sim.partnerConfig()), 'sim.json');
    const pf = await preflightConnect(env.client, partner, choices);
    assert.equal(pf.workspaceId, WORKSPACE, 'read from X-Databricks-Org-Id as text');

    const res = await connect(env.ctx, partner, choices, { partnerCredentials: sim.credentials });
    const [req] = sim.requests;
    assert.equal(req.valid, true, req.errors.join('; '));
    const body = req.body as { workspace_id: unknown; user_info: { databricks_organization_id: unknown; databricks_user_id: unknown } };
    // the simulator parses without losing digits: an int64 beyond 2^53 arrives as a bigint
    assert.equal(body.workspace_id, BigInt(WORKSPACE));
    assert.equal(body.user_info.databricks_organization_id, BigInt(WORKSPACE));
    assert.equal(body.user_info.databricks_user_id, BigInt(USER_ID));
    assert.ok(res.handoff.kind === 'protocol' && res.handoff.connectionId);

    // the established connection is found again (the partner compares the workspace id), and reset reaches it
    sim.clearRequests();
    const again = await connect(env.ctx, partner, choices, { partnerCredentials: sim.credentials });
    assert.equal(again.reused, true);
    assert.equal(sim.requests[0].status, 200, 'the partner recognised the workspace of its connection');
    sim.clearRequests();
    const out = await disconnect(env.ctx, partner, 'reset', { partnerCredentials: sim.credentials });
    assert.equal(out.partnerNotification?.outcome, 'resources_deleted', 'delete-connection named the same workspace');
    assert.equal((sim.requests[0].body as { databricks_organization_id: unknown }).databricks_organization_id, BigInt(WORKSPACE));
  }));
