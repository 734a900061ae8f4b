/**
 * Partner credentials as Databricks issues them today, over real HTTP against the emulator (and the
 * partner simulator for the protocol): PATs with an explicit lifetime within the workspace's cap on
 * AWS- and GCP-like workspaces, OAuth secrets on Azure-like ones and for AUTH_OAUTH_M2M partners,
 * hygiene in detection (expiring / unused / expired / revoked), rotation of both kinds (atomic), and
 * disconnect and rollback leaving no secret, token, grant or principal.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createWorkspaceClient } from '../../src/client';
import {
  connect,
  connectFormOptions,
  createCatalog,
  ConnectRolledBackError,
  detectConnectionStates,
  disconnect,
  inspectConnection,
  loadBuiltinCatalog,
  loadPartnerConfigFile,
  PreflightError,
  rotateCredential,
  type ConnectChoices,
  type DeliveredCredential,
  reasonsOf,
} from '../../src/domain';
import { workspaceCloud } from '../../src/domain/handoff/protocol';
import { withCleanup } from '../fixtures/cleanup';
import { startPartnerSim } from '../partner-sim';
import { snapshot, startEnv, type Env } from './helpers';
import { formatExpiry } from '../../src/vscode/ui/time';
import { grantsOf, spNamed } from '../fixtures/principals';
import { STARTER_WAREHOUSE } from '../fixtures/seed';
import { connectionReport } from '../../src/vscode/report/report';
import { partnerTooltip } from '../../src/vscode/tree/presentation';

const catalog = loadBuiltinCatalog();
const DAY = 86_400_000;
const sha = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

/** One partner of each permission profile with a service principal, and its choices on the demo seed. */
const PROFILE_PARTNERS: [string, ConnectChoices][] = [
  ['hevo-data', { catalog: 'analytics', warehouse: { kind: 'create', name: 'HEVO_DATA_ENDPOINT' } }],
  ['labelbox', {}],
  ['hightouch', { catalog: 'analytics', schemas: ['marketing'], warehouse: { kind: 'existing', id: STARTER_WAREHOUSE } }],
  ['dataiku', { catalog: 'analytics', schemas: ['marketing', 'finance'], warehouse: { kind: 'create', name: 'DATAIKU_ENDPOINT' } }],
  ['superannotate', { catalog: 'analytics', schemas: ['marketing', 'finance'], warehouse: { kind: 'existing', id: STARTER_WAREHOUSE } }],
  ['prophecy', {}],
];

interface Delivered {
  value: string;
  meta?: DeliveredCredential;
}
function receiver(): { got: Delivered[]; deliverSecretOnce: (value: string, meta?: DeliveredCredential) => void } {
  const got: Delivered[] = [];
  return { got, deliverSecretOnce: (value, meta) => void got.push({ value, meta }) };
}

const detect = (env: Env) => detectConnectionStates(env.client, catalog, { now: () => env.emu.state.now() });

for (const cloud of ['aws', 'gcp'] as const) {
  test(`${cloud}-like workspace: every profile gets a PAT with an explicit lifetime (the cap, 730 days), exact grants, nothing left after reset`, async () => {
    const env = await startEnv();
    env.emu.state.options.cloud = cloud;
    try {
      const before = snapshot(env.emu.state);
      for (const [id, choices] of PROFILE_PARTNERS) {
        const p = catalog.require(id);
        const r = receiver();
        const res = await connect(env.ctx, p, choices, r);
        const sp = spNamed(env.emu.state, p.servicePrincipalName ?? '');
        assert.ok(sp, id);
        const tokens = [...env.emu.state.tokens.values()].filter((t) => t.ownerId === sp.id);
        assert.equal(tokens.length, 1, `${id}: one token`);
        assert.equal(tokens[0].expiry_time - tokens[0].creation_time, 730 * DAY, `${id}: 730 days`);
        assert.equal(env.emu.state.servicePrincipals.get(sp.id)?.secrets.size, 0, `${id}: no OAuth secret`);
        assert.equal(res.record.credential?.kind, 'pat');
        assert.equal(res.record.credential?.id, tokens[0].token_id);
        assert.equal(r.got.length, 1);
        assert.equal(r.got[0].meta?.kind, 'pat');
        assert.equal(sha(r.got[0].value), tokens[0].valueHash, 'the delivered value is the token');
        assert.ok(!JSON.stringify(res).includes(r.got[0].value), 'the value is in nothing the engine returns');
        const obo = env.emu.requests.filter((q) => q.path === '/api/2.0/token-management/on-behalf-of/tokens').at(-1);
        assert.equal((obo?.body as { lifetime_seconds?: number }).lifetime_seconds, 730 * 86_400, 'lifetime_seconds is always sent');
        await disconnect(env.ctx, p, 'reset');
      }
      assert.deepEqual(snapshot(env.emu.state), before, 'no token, grant or principal left');
    } finally {
      await env.close();
    }
  });
}

test('Azure-like workspace: every profile gets an OAuth secret (the OBO refusal), the principal signs in with it, exact grants; reset leaves nothing', async () => {
  const env = await startEnv();
  env.emu.state.options.cloud = 'azure';
  try {
    const before = snapshot(env.emu.state);
    for (const [id, choices] of PROFILE_PARTNERS) {
      const p = catalog.require(id);
      const r = receiver();
      const res = await connect(env.ctx, p, choices, r);
      const sp = spNamed(env.emu.state, p.servicePrincipalName ?? '');
      assert.ok(sp, id);
      const rec = env.emu.state.servicePrincipals.get(sp.id);
      assert.equal(rec?.secrets.size, 1, `${id}: one OAuth secret`);
      const secret = [...(rec?.secrets.values() ?? [])][0];
      assert.equal(secret.expire_time - secret.create_time, 730 * DAY);
      assert.equal([...env.emu.state.tokens.values()].filter((t) => t.ownerId === sp.id).length, 0, `${id}: no token`);
      assert.deepEqual(res.record.credential && { kind: res.record.credential.kind, id: res.record.credential.id }, { kind: 'oauth-secret', id: secret.id });
      assert.equal(res.record.tokenId, null);
      assert.equal(r.got[0].meta?.kind, 'oauth-secret');
      assert.equal(r.got[0].meta?.clientId, sp.applicationId, 'the client id is the applicationId');
      assert.equal(sha(r.got[0].value), secret.valueHash);
      assert.equal(res.handoff.kind === 'manual' && res.handoff.credential?.kind, 'oauth-secret');
      // the partner can use it: OAuth M2M sign-in at /oidc/v1/token
      const asPartner = createWorkspaceClient({ host: env.emu.url, auth: { type: 'oauth-m2m', clientId: sp.applicationId, clientSecret: r.got[0].value }, env: {} });
      try {
        assert.equal((await asPartner.me()).userName, sp.applicationId);
      } finally {
        await asPartner.close();
      }
      // exact grants unchanged: the same as on AWS
      assert.ok(Object.keys(grantsOf(env.emu.state, sp.applicationId).tokenAcl).length > 0, `${id}: CAN_USE on tokens`);
      await disconnect(env.ctx, p, 'reset');
      assert.ok(env.emu.requests.some((q) => q.method === 'DELETE' && q.path === `/api/2.0/accounts/servicePrincipals/${sp.id}/credentials/secrets/${secret.id}`), 'the secret is deleted explicitly');
    }
    assert.deepEqual(snapshot(env.emu.state), before, 'no secret, grant or principal left');
  } finally {
    await env.close();
  }
});

test('a workspace cap of 30 days: the token lives 30 days; the form may choose fewer, never more', async () => {
  const env = await startEnv();
  env.emu.state.options.maxTokenLifetimeDays = 30;
  try {
    const p = catalog.require('hightouch');
    const choices: ConnectChoices = { catalog: 'analytics', schemas: ['marketing'], warehouse: { kind: 'existing', id: STARTER_WAREHOUSE } };
    // what the form offers: the cap as default and maximum, the kind and why
    const offered = await connectFormOptions(env.client, p);
    assert.deepEqual(offered.credential && { kind: offered.credential.kind, cap: offered.credential.cap }, { kind: 'pat', cap: { maxDays: 30, source: 'admin' } });
    assert.match(offered.credential?.capWords ?? '', /at most 30 days \(the workspace's maxTokenLifetimeDays\)/);
    assert.match(offered.credential?.why ?? '', /on behalf of a service principal \(AWS and GCP\)/);
    assert.equal(offered.credential?.fallbackToSecret, true);
    assert.equal((await connectFormOptions(env.client, catalog.require('prophecy'))).credential?.cap.maxDays, 30, 'every profile with a principal');
    const before = snapshot(env.emu.state);
    await assert.rejects(connect(env.ctx, p, { ...choices, credentialLifetimeDays: 31 }, receiver()), (e: Error) => e instanceof PreflightError && /at most 30 days \(the workspace's maxTokenLifetimeDays\)/.test(e.message));
    assert.deepEqual(snapshot(env.emu.state), before, 'refused before anything was created');
    let res = await connect(env.ctx, p, choices, receiver());
    assert.equal(res.record.credential?.lifetimeDays, 30);
    assert.equal(Date.parse(res.record.credential?.expiresAt ?? '') - Date.now() > 29 * DAY, true);
    await disconnect(env.ctx, p, 'reset');
    res = await connect(env.ctx, p, { ...choices, credentialLifetimeDays: 7 }, receiver());
    const t = env.emu.state.tokens.get(res.record.credential?.id ?? '');
    assert.equal((t?.expiry_time ?? 0) - (t?.creation_time ?? 0), 7 * DAY);
    // rotation keeps the chosen lifetime
    const r = receiver();
    const rot = await rotateCredential(env.ctx, p, r);
    const t2 = env.emu.state.tokens.get(rot.newCredentialId);
    assert.equal((t2?.expiry_time ?? 0) - (t2?.creation_time ?? 0), 7 * DAY);
    assert.equal(env.emu.state.tokens.has(res.record.credential?.id ?? ''), false, 'the old token is deleted');
  } finally {
    await env.close();
  }
});

test('AUTH_OAUTH_M2M through the partner simulator: service_principal_oauth_secret beside service_principal_id, personal_access_token null, valid against the spec', async () => {
  await withCleanup(async (started) => {
    const env = await startEnv();
    started.defer(() => env.close());
    const sim = await startPartnerSim({ authOptions: ['AUTH_OAUTH_M2M'] });
    started.defer(() => sim.close());
    const partner = loadPartnerConfigFile(JSON.stringify(sim.partnerConfig()), 'sim.json');
    const before = snapshot(env.emu.state);
    const res = await connect(env.ctx, partner, { catalog: 'analytics', schemas: ['marketing'], warehouse: { kind: 'existing', id: STARTER_WAREHOUSE } }, { partnerCredentials: sim.credentials });
    const [req] = sim.requests;
    assert.equal(req.valid, true, req.errors.join('; '));
    const body = req.body as { service_principal_id?: string; service_principal_oauth_secret?: string; workspace_id?: number; user_info: { auth?: { personal_access_token: unknown }; databricks_organization_id: number } };
    const sp = spNamed(env.emu.state, 'PARTNER_SIMULATOR_USER');
    assert.ok(sp);
    assert.equal(body.service_principal_id, sp.applicationId);
    assert.equal(body.service_principal_oauth_secret, '<redacted>');
    assert.equal(body.user_info.auth?.personal_access_token, null);
    assert.equal(body.workspace_id, 1234567890123456, 'from X-Databricks-Org-Id, never 0');
    assert.equal(body.user_info.databricks_organization_id, 1234567890123456);
    const secret = [...(env.emu.state.servicePrincipals.get(sp.id)?.secrets.values() ?? [])][0];
    assert.equal(req.secretSha256.service_principal_oauth_secret, secret.valueHash, 'the partner got the secret the workspace holds');
    assert.equal(res.record.credential?.kind, 'oauth-secret');
    assert.equal(res.handoff.kind === 'protocol' && res.handoff.credential?.kind, 'oauth-secret');
    assert.equal([...env.emu.state.tokens.values()].filter((t) => t.ownerId === sp.id).length, 0, 'no PAT for an M2M partner');
    await disconnect(env.ctx, partner, 'reset', { partnerCredentials: sim.credentials });
    assert.deepEqual(snapshot(env.emu.state), before);

    // an AUTH_PAT partner gets a PAT, and the simulator refuses a secret sent to it (checked by its rules)
    const pat = await startPartnerSim();
    try {
      const pp = loadPartnerConfigFile(JSON.stringify(pat.partnerConfig()), 'pat.json');
      await connect(env.ctx, pp, { catalog: 'analytics', schemas: ['marketing'], warehouse: { kind: 'existing', id: STARTER_WAREHOUSE } }, { partnerCredentials: pat.credentials });
      assert.equal(pat.requests[0].valid, true, pat.requests[0].errors.join('; '));
      assert.equal((pat.requests[0].body as Record<string, unknown>).service_principal_oauth_secret, undefined);
      await disconnect(env.ctx, pp, 'reset', { partnerCredentials: pat.credentials });
    } finally {
      await pat.close();
    }
  });
});

test('detection: expiring within 30 days and unused for 60+ days are warnings with dates; expired and auto-revoked (90 days unused) are degraded', async () => {
  const env = await startEnv();
  const s = env.emu.state;
  try {
    const choices: ConnectChoices = { catalog: 'analytics', schemas: ['marketing'], warehouse: { kind: 'existing', id: STARTER_WAREHOUSE } };
    await connect(env.ctx, catalog.require('hightouch'), choices, receiver());
    await connect(env.ctx, catalog.require('census'), { ...choices, credentialLifetimeDays: 20 }, receiver());
    await connect(env.ctx, catalog.require('sigma'), { ...choices, credentialLifetimeDays: 1 }, receiver());
    s.options.cloud = 'azure';
    await connect(env.ctx, catalog.require('anomalo'), { ...choices, credentialLifetimeDays: 10 }, receiver());
    s.options.cloud = 'aws';

    let snap = await detect(env);
    const st = (id: string) => snap.partners.find((p) => p.partnerId === id)!;
    assert.equal(st('hightouch').state, 'connected');
    assert.deepEqual(st('hightouch').warnings, []);
    assert.equal(st('census').state, 'connected', 'expiring is not degraded');
    assert.deepEqual(st('census').warnings.map((w) => w.code), ['credential-expiring']);
    assert.match(st('census').warnings[0].message, /expires on \d{4}-\d\d-\d\d \(in 20 days\)/);
    assert.equal(st('anomalo').credentials[0].kind, 'oauth-secret');
    assert.deepEqual(st('anomalo').warnings.map((w) => w.code), ['credential-expiring'], 'secrets too');

    // 2 days on: sigma's 1-day token has expired
    s.advanceClock(2 * DAY);
    snap = await detect(env);
    assert.deepEqual([st('sigma').state, ...reasonsOf(st('sigma')).map((r) => r.code)], ['degraded', 'credential-expired']);
    assert.match(reasonsOf(st('sigma'))[0].message, /expired on \d{4}-\d\d-\d\d/);

    // 61 days after the connect nobody used hightouch's token: a warning (revoked at 90)
    s.advanceClock(59 * DAY);
    snap = await detect(env);
    assert.equal(st('hightouch').state, 'connected');
    assert.deepEqual(st('hightouch').warnings.map((w) => w.code), ['credential-unused']);
    assert.match(st('hightouch').warnings[0].message, /not been used since it was created on .* \(61 days\).*revokes tokens unused for 90 days/);
    assert.equal(st('anomalo').state, 'degraded', 'the 10-day secret has expired');
    assert.deepEqual(reasonsOf(st('anomalo')).map((r) => r.code), ['credential-expired']);

    // 91 days: Databricks revoked it
    s.advanceClock(30 * DAY);
    snap = await detect(env);
    assert.deepEqual([st('hightouch').state, ...reasonsOf(st('hightouch')).map((r) => r.code)], ['degraded', 'token-revoked']);
    const ins = await inspectConnection(env.client, catalog.require('census'), { now: () => s.now() });
    assert.equal(ins.credentials.length, 0, 'census: revoked too');
  } finally {
    await env.close();
  }
});

test('rotation of both kinds keeps the lifetime and is atomic: a failed hand-off deletes the new credential; a lost create is found by its comment', async () => {
  const env = await startEnv();
  const s = env.emu.state;
  try {
    const choices: ConnectChoices = { catalog: 'analytics', schemas: ['marketing'], warehouse: { kind: 'existing', id: STARTER_WAREHOUSE } };
    const hightouch = catalog.require('hightouch');
    const res = await connect(env.ctx, hightouch, { ...choices, credentialLifetimeDays: 45 }, receiver());
    const sp = spNamed(s, 'HIGHTOUCH_USER');
    assert.ok(sp);
    const oldId = res.record.credential?.id ?? '';

    // the hand-off fails: the new token is deleted again, the old one and the record stay
    const recordBefore = s.files.get('/Shared/.partner-connect/hightouch.json')?.content.toString();
    await assert.rejects(rotateCredential(env.ctx, hightouch, { deliverSecretOnce: () => { throw new Error('clipboard unavailable'); } }), /clipboard unavailable/);
    assert.deepEqual([...s.tokens.values()].filter((t) => t.ownerId === sp.id).map((t) => t.token_id), [oldId]);
    assert.equal(s.files.get('/Shared/.partner-connect/hightouch.json')?.content.toString(), recordBefore);

    // the create's answer is lost (reset after the server acted): not re-sent, found by its comment and deleted
    env.emu.faults.add({ method: 'POST', path: '/api/2.0/token-management/on-behalf-of/tokens', after: true, reset: true, times: 1 });
    await assert.rejects(rotateCredential(env.ctx, hightouch, receiver()));
    assert.deepEqual([...s.tokens.values()].filter((t) => t.ownerId === sp.id).map((t) => t.token_id), [oldId], 'no stray token');

    // success: a new 45-day token, the old one deleted, the record updated
    const r = receiver();
    const rot = await rotateCredential(env.ctx, hightouch, r);
    assert.equal(rot.kind, 'pat');
    assert.equal(rot.lifetimeDays, 45);
    assert.deepEqual(rot.deletedCredentialIds, [oldId]);
    const t = s.tokens.get(rot.newCredentialId);
    assert.equal((t?.expiry_time ?? 0) - (t?.creation_time ?? 0), 45 * DAY);
    assert.equal(sha(r.got[0].value), t?.valueHash);

    // an OAuth secret rotates into an OAuth secret (Azure-like)
    s.options.cloud = 'azure';
    const hex = catalog.require('census');
    const c = await connect(env.ctx, hex, { ...choices, credentialLifetimeDays: 100 }, receiver());
    const csp = spNamed(s, 'CENSUS_USER');
    assert.ok(csp);
    const r2 = receiver();
    const rot2 = await rotateCredential(env.ctx, hex, r2);
    assert.equal(rot2.kind, 'oauth-secret');
    assert.equal(r2.got[0].meta?.clientId, csp.applicationId);
    const secrets = [...(s.servicePrincipals.get(csp.id)?.secrets.values() ?? [])];
    assert.deepEqual(secrets.map((x) => x.id), [rot2.newCredentialId], 'the old secret is deleted');
    assert.notEqual(rot2.newCredentialId, c.record.credential?.id);
    assert.equal(secrets[0].expire_time - secrets[0].create_time, 100 * DAY);
    // a lost secret create is found as the one that was not there before
    env.emu.faults.add({ method: 'POST', path: `/api/2.0/accounts/servicePrincipals/${csp.id}/credentials/secrets`, after: true, reset: true, times: 1 });
    await assert.rejects(rotateCredential(env.ctx, hex, receiver()));
    assert.deepEqual([...(s.servicePrincipals.get(csp.id)?.secrets.keys() ?? [])], [rot2.newCredentialId], 'no stray secret');
  } finally {
    await env.close();
  }
});

test('rollback after the secret step leaves no secret, grant or principal (Azure-like, the hand-off fails)', async () => {
  const env = await startEnv();
  env.emu.state.options.cloud = 'azure';
  try {
    const before = snapshot(env.emu.state);
    const p = catalog.require('dataiku');
    await assert.rejects(
      connect(env.ctx, p, { catalog: 'analytics', schemas: ['marketing'], warehouse: { kind: 'create', name: 'DATAIKU_ENDPOINT' } }, { deliverSecretOnce: () => { throw new Error('no clipboard'); } }),
      (e: Error) => e instanceof ConnectRolledBackError,
    );
    assert.deepEqual(snapshot(env.emu.state), before);
    assert.ok(env.emu.requests.some((q) => q.method === 'DELETE' && /\/credentials\/secrets\/[0-9a-f]+$/.test(q.path)), 'the secret was deleted explicitly');
    assert.ok(env.emu.requests.some((q) => q.method === 'PATCH' && q.path.startsWith('/api/2.1/unity-catalog/permissions') && JSON.stringify(q.body).includes('"remove"')), 'UC grants revoked explicitly');
  } finally {
    await env.close();
  }
});

test('Azure-like workspace, a protocol partner with AUTH_OAUTH_M2M, end to end: no on-behalf-of call, the OAuth secret in the ConnectRequest, and the record, detection, inspect and the report name the kind, id and expiry', async () => {
  await withCleanup(async (started) => {
    const env = await startEnv();
    started.defer(() => env.close());
    env.emu.state.options.cloud = 'azure';
    const sim = await startPartnerSim({ authOptions: ['AUTH_OAUTH_M2M'] });
    started.defer(() => sim.close());
    const partner = loadPartnerConfigFile(JSON.stringify(sim.partnerConfig()), 'sim.json');
    const withSim = createCatalog([...catalog.partners, partner]);
    const before = snapshot(env.emu.state);
    const res = await connect(env.ctx, partner, { catalog: 'analytics', schemas: ['marketing'], warehouse: { kind: 'existing', id: STARTER_WAREHOUSE } }, { partnerCredentials: sim.credentials });
    assert.equal(env.emu.requests.filter((q) => q.path.includes('/token-management/on-behalf-of/tokens')).length, 0, 'no on-behalf-of call: the partner asks for OAuth');
    const sp = spNamed(env.emu.state, 'PARTNER_SIMULATOR_USER');
    assert.ok(sp);
    const secret = [...(env.emu.state.servicePrincipals.get(sp.id)?.secrets.values() ?? [])][0];
    assert.ok(secret, 'an OAuth secret was created');
    // the ConnectRequest, as the simulator validated it against partner-connect-2.0.yaml
    const [req] = sim.requests;
    assert.equal(req.valid, true, req.errors.join('; '));
    const body = req.body as { cloud_provider?: string; service_principal_id?: string; user_info: { auth?: { personal_access_token: unknown } } };
    assert.equal(body.service_principal_id, sp.applicationId);
    assert.equal(body.user_info.auth?.personal_access_token, null);
    assert.equal(req.secretSha256.service_principal_oauth_secret, secret.valueHash);
    // the record
    assert.deepEqual(res.record.credential && { kind: res.record.credential.kind, id: res.record.credential.id }, { kind: 'oauth-secret', id: secret.id });
    assert.equal(res.record.tokenId, null);
    // detection (the tree): the kind, the id and the expiry, no warning for a fresh secret
    const snap = await detectConnectionStates(env.client, withSim, { now: () => env.emu.state.now() });
    const st = snap.partners.find((x) => x.partnerId === partner.id);
    assert.equal(st?.state, 'connected', JSON.stringify(st && reasonsOf(st)));
    const shown = st?.credentials.find((c) => c.id === secret.id);
    assert.equal(shown?.kind, 'oauth-secret');
    assert.equal(shown?.expiry.slice(0, 10), new Date(secret.expire_time).toISOString().slice(0, 10));
    assert.deepEqual(st?.warnings ?? [], []);
    assert.ok(st && partnerTooltip(st).includes('OAuth secret'), st && partnerTooltip(st));
    // inspect
    const ins = await inspectConnection(env.client, partner);
    assert.deepEqual(ins.credentials.map((c) => [c.kind, c.id]), [['oauth-secret', secret.id]]);
    // the connection report: every credential with its kind, id and expiry, never a value
    const report = connectionReport([{ name: 'Azure', host: env.emu.url, snapshot: snap }], '2026-12-02', '0.0.0');
    // (the expiry in the UI's one time format, like every time the extension shows)
    assert.ok(report.includes(`OAuth secret ${secret.id} (expires ${formatExpiry(shown?.expiry ?? '')}; last used not reported)`), report);
    // disconnect leaves no secret, grant or principal
    await disconnect(env.ctx, partner, 'reset', { partnerCredentials: sim.credentials });
    assert.deepEqual(snapshot(env.emu.state), before);
  });
});

/** An Azure workspace whose host name names no cloud (the emulator's 127.0.0.1): only its metastore says azure. */
async function azureBehindCustomHost(started: { defer: (fn: () => unknown) => void }): Promise<Env> {
  const env = await startEnv();
  started.defer(() => env.close());
  env.emu.state.options.cloud = 'azure';
  assert.ok(env.emu.state.metastore);
  env.emu.state.metastore.cloud = 'azure';
  return env;
}

test('a host name that names no cloud (a unified, private or custom host): the metastore tells it — on Azure no on-behalf-of call is tried, the ConnectRequest and the disconnect say azure, and a partner that takes only a PAT is refused before anything is made', async () => {
  assert.equal(workspaceCloud('adb-1.2.azuredatabricks.net', 'aws'), 'azure', 'the host name wins');
  assert.equal(workspaceCloud('dbc-1234.cloud.databricks.com', 'azure'), 'aws');
  assert.equal(workspaceCloud('1.2.gcp.databricks.com', null), 'gcp');
  assert.equal(workspaceCloud('databricks.example.internal', 'AZURE'), 'azure', 'else the metastore');
  assert.equal(workspaceCloud('127.0.0.1', null), 'aws', 'else aws, as before');
  await withCleanup(async (started) => {
    const env = await azureBehindCustomHost(started);
    const s = env.emu.state;
    const before = snapshot(s);
    // the form already offers the OAuth secret (its options read the metastore, the host name says nothing)
    const dataiku = catalog.require('dataiku');
    assert.equal((await connectFormOptions(env.client, dataiku))?.credential?.kind, 'oauth-secret');
    const both = await startPartnerSim({ authOptions: ['AUTH_PAT', 'AUTH_OAUTH_M2M'] });
    started.defer(() => both.close());
    const partner = loadPartnerConfigFile(JSON.stringify(both.partnerConfig()), 'both.json');
    env.emu.clearRequests();
    await connect(env.ctx, partner, { catalog: 'analytics', schemas: ['marketing'], warehouse: { kind: 'existing', id: STARTER_WAREHOUSE } }, { partnerCredentials: both.credentials });
    assert.equal(env.emu.requests.filter((q) => q.path.includes('/on-behalf-of/tokens')).length, 0, 'no on-behalf-of call to be refused first');
    const [req] = both.requests;
    assert.equal((req.body as { cloud_provider?: string }).cloud_provider, 'azure');
    await disconnect(env.ctx, partner, 'reset', { partnerCredentials: both.credentials });
    const deleted = both.requests.find((q) => q.method === 'DELETE' || /delete/i.test(q.path));
    assert.ok(deleted, 'the partner was told of the disconnect');
    assert.equal((deleted.body as { cloud_provider?: string }).cloud_provider, 'azure', 'the disconnect names the same cloud');
    // only a PAT: refused by the pre-flight, nothing made
    const patOnly = await startPartnerSim({ authOptions: ['AUTH_PAT'] });
    started.defer(() => patOnly.close());
    const pat = loadPartnerConfigFile(JSON.stringify({ ...patOnly.partnerConfig(), name: 'PAT Only' }), 'pat.json');
    await assert.rejects(
      connect(env.ctx, pat, { catalog: 'analytics', schemas: ['marketing'], warehouse: { kind: 'existing', id: STARTER_WAREHOUSE } }, { partnerCredentials: patOnly.credentials }),
      (e: Error) => e instanceof PreflightError && /takes only a personal access token.*Azure Databricks cannot create one/.test(e.message),
    );
    assert.equal(patOnly.requests.length, 0, 'the partner was not called');
    assert.deepEqual(snapshot(s), before, 'nothing left');
  });
});

test('rotating a credential of a principal that holds none, on a host that names no cloud: an Azure metastore makes it an OAuth secret at once, with no on-behalf-of call to be refused first', async () => {
  await withCleanup(async (started) => {
    const env = await azureBehindCustomHost(started);
    const s = env.emu.state;
    // made outside this extension (no record), its credential since deleted
    const dataiku = catalog.require('dataiku');
    const sp = await env.client.createServicePrincipal({ displayName: 'DATAIKU_USER', entitlements: [] });
    env.emu.clearRequests();
    const tokensBefore = s.tokens.size;
    const r = receiver();
    const rot = await rotateCredential(env.ctx, dataiku, r);
    assert.equal(rot.kind, 'oauth-secret');
    assert.equal(s.tokens.size, tokensBefore, 'no token made');
    assert.equal(env.emu.requests.filter((q) => q.path.includes('/on-behalf-of/tokens')).length, 0, 'no on-behalf-of call to be refused first');
    assert.equal(r.got.length, 1, 'handed over once');
    assert.equal(spNamed(s, 'DATAIKU_USER')?.id, sp.id);
  });
});
