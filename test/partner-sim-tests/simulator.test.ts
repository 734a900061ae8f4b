/**
 * The simulator's own contract: it validates every request against our description of the protocol
 * (test/partner-sim/protocol.ts) and rejects (400 bad_request, recorded with its errors) what does not
 * match; every reply it gives follows the same description; it redacts what it records.
 * Requests here are sent raw, bypassing our client.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { startPartnerSim, REDACTED_MARKER, type PartnerSim } from '../partner-sim';
import { PARTNER_CONNECT_PROTOCOL } from '../partner-sim/protocol';
import { ProtocolValidator } from '../partner-sim/validator';
import { establishedRequest, fakePat, goodHeaders, newConnectRequest, sha256, WORKSPACE_ID } from './helpers';
import { raw } from '../fixtures/http';

describe('partner simulator request validation', () => {
  let sim: PartnerSim;
  let h: Record<string, string>;
  before(async () => {
    sim = await startPartnerSim({ credentials: { username: 'dbx', password: 'sim-password-123' } });
    h = goodHeaders('dbx', 'sim-password-123');
  });
  after(() => sim.close());
  beforeEach(() => {
    sim.clearRequests();
    sim.setScenario('default');
  });
  afterEach(() => {
    // the simulator checks its own replies: none of this file's requests got one that breaks the protocol
    assert.deepEqual(
      sim.requests.filter((r) => r.replyErrors.length > 0).map((r) => `${r.method} ${r.path}: ${r.replyErrors.join('; ')}`),
      [],
    );
  });

  async function connectRaw(body: unknown, headers: Record<string, string> = h) {
    return raw(`${sim.url}/connect`, { headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  }
  function lastErrors(): string[] {
    const r = sim.requests.at(-1);
    assert.ok(r);
    return r.errors;
  }
  function assertRejected(res: { status: number; json: unknown }, pattern: RegExp) {
    assert.equal(res.status, 400);
    assert.equal((res.json as { error_reason: string }).error_reason, 'bad_request');
    const r = sim.requests.at(-1);
    assert.ok(r);
    assert.equal(r.valid, false);
    assert.equal(r.status, 400);
    assert.ok(
      r.errors.some((e) => pattern.test(e)),
      `expected an error matching ${pattern}, got ${JSON.stringify(r.errors)}`,
    );
  }

  test('a valid request passes and is recorded redacted', async () => {
    const pat = fakePat();
    const res = await connectRaw(newConnectRequest(pat));
    assert.equal(res.status, 201, JSON.stringify(res.json));
    const r = sim.requests.at(-1);
    assert.ok(r);
    assert.equal(r.valid, true);
    assert.deepEqual(r.errors, []);
    assert.equal(r.headers.authorization, 'Basic dbx:***');
    assert.equal(r.patSha256, sha256(pat));
    assert.deepEqual(Object.keys(r.secretSha256), ['user_info.auth.personal_access_token']);
    assert.equal((r.body as { user_info: { auth: { personal_access_token: string } } }).user_info.auth.personal_access_token, REDACTED_MARKER);
    assert.ok(!JSON.stringify(sim.requests).includes(pat));
    assert.ok(!JSON.stringify(sim.requests).includes('sim-password-123'));
  });

  test('missing required field', async () => {
    const body = newConnectRequest(fakePat()) as unknown as Record<string, Record<string, unknown>>;
    delete body.user_info?.email;
    assertRejected(await connectRaw(body), /^\$\.user_info\.email: is required$/);
    const body2 = newConnectRequest(fakePat()) as unknown as Record<string, unknown>;
    delete body2.is_free_trial;
    assertRejected(await connectRaw(body2), /^\$\.is_free_trial: is required$/);
  });

  test('wrong enum value and wrong types', async () => {
    assertRejected(await connectRaw(newConnectRequest(fakePat(), { cloud_provider: 'moon' as never })), /\$\.cloud_provider: must be one of aws, azure, gcp \(got "moon"\)/);
    // the published file's enum reads "gpc", a typo for gcp (protocol.ts DEVIATIONS): the typo is refused
    assertRejected(await connectRaw(newConnectRequest(fakePat(), { cloud_provider: 'gpc' as never })), /\$\.cloud_provider: must be one of aws, azure, gcp \(got "gpc"\)/);
    assertRejected(await connectRaw(newConnectRequest(fakePat(), { connection_scope: 'team' as never })), /connection_scope: must be one of/);
    assertRejected(await connectRaw(newConnectRequest(fakePat(), { port: '443' as never })), /\$\.port: must be an integer/);
    assertRejected(await connectRaw(newConnectRequest(fakePat(), { port: 2 ** 40 })), /\$\.port: must be an int32/);
    assertRejected(await connectRaw(newConnectRequest(fakePat(), { workspace_id: 1.5 })), /\$\.workspace_id: must be an integer/);
    const wrongTokenType = newConnectRequest('x');
    (wrongTokenType.user_info.auth as unknown as { personal_access_token: number }).personal_access_token = 12345;
    assertRejected(await connectRaw(wrongTokenType), /personal_access_token: must be a string/);
    const ok = await connectRaw(newConnectRequest(fakePat(), { cloud_provider: 'gcp' }));
    assert.equal(ok.status, 201, lastErrors().join('; '));
  });

  test('unknown fields are reported (a misspelt field is a sender bug)', async () => {
    assertRejected(await connectRaw({ ...newConnectRequest(fakePat()), workspaceId: 1 }), /\$\.workspaceId: is not a property of ConnectRequest/);
  });

  test('headers: Basic auth, User-Agent databricks, Content-Type application/json', async () => {
    const body = newConnectRequest(fakePat());
    const { authorization: _a, ...noAuth } = h;
    assertRejected(await connectRaw(body, noAuth), /Authorization: basic auth is required/);
    assertRejected(await connectRaw(body, { ...h, authorization: 'Bearer abc' }), /Authorization: must be "Basic/);
    assert.equal(sim.requests.at(-1)?.headers.authorization, 'Bearer ***');
    assertRejected(await connectRaw(body, { ...h, 'user-agent': 'curl/8' }), /header User-Agent: must be one of databricks \(got "curl\/8"\)/);
    const { 'user-agent': _u, ...noUa } = h;
    assertRejected(await connectRaw(body, { ...noUa, 'user-agent': '' }), /User-Agent/);
    assertRejected(await connectRaw(body, { ...h, 'content-type': 'text/plain' }), /Content-Type: must be application\/json/);
    const ok = await connectRaw(body, { ...h, 'content-type': 'application/json; charset=utf-8' });
    assert.equal(ok.status, 201, lastErrors().join('; '));
  });

  test('protocol rules from the spec prose', async () => {
    const pat = fakePat();
    const est = establishedRequest('c-1');
    const withToken = { ...est, user_info: { ...est.user_info, auth: { personal_access_token: pat } } };
    assertRejected(await connectRaw(withToken), /rule: user_info\.auth must be absent/);
    const { connection_id: _c, ...noId } = est;
    assertRejected(await connectRaw(noId), /rule: connection_id is required/);
    const fresh = newConnectRequest(fakePat());
    const { auth: _t, ...uiNoAuth } = fresh.user_info;
    assertRejected(await connectRaw({ ...fresh, user_info: uiNoAuth }), /rule: user_info\.auth is required/);
    assertRejected(await connectRaw(newConnectRequest(fakePat(), { connection_id: 'x' })), /rule: connection_id is only set/);
    assertRejected(await connectRaw(newConnectRequest(fakePat(), { workspace_id: 1 })), /rule: workspace_id must equal/);
    assertRejected(await connectRaw(newConnectRequest(fakePat(), { is_sql_endpoint: false })), /rule: is_sql_endpoint and is_sql_warehouse/);
    assertRejected(
      await connectRaw(newConnectRequest(fakePat(), { is_sql_endpoint: false, is_sql_warehouse: false })),
      /rule: http_path is only present when is_sql_endpoint is true/,
    );
    assert.ok(!JSON.stringify(sim.requests).includes(pat));
  });

  test('a body that is not JSON is rejected and never stored (it may contain a token)', async () => {
    const pat = fakePat();
    assertRejected(await connectRaw(`{"user_info": {"auth": {"personal_access_token": "${pat}"}`), /body: is not valid JSON/);
    assert.equal(sim.requests.at(-1)?.body, undefined);
    assert.ok(!JSON.stringify(sim.requests).includes(pat));
    const empty = await raw(`${sim.url}/connect`, { headers: h });
    assert.equal(empty.status, 400);
    assert.ok(lastErrors().includes('body: is required'));
  });

  test('methods: delete-connection accepts POST and DELETE; GET /connect is 405; unknown paths are 404', async () => {
    const c = await connectRaw(newConnectRequest(fakePat()));
    const id = (c.json as { connection_id: string }).connection_id;
    const body = JSON.stringify({ connection_id: id, cloud_provider: 'aws', databricks_organization_id: WORKSPACE_ID });
    const del = await raw(`${sim.url}/delete-connection`, { method: 'DELETE', headers: h, body });
    assert.equal(del.status, 200);
    assert.deepEqual(del.json, { resource_status: 'resources_deleted' });
    assert.equal(sim.requests.at(-1)?.valid, true);
    const again = await raw(`${sim.url}/delete-connection`, { method: 'POST', headers: h, body });
    assert.equal(again.status, 404);
    assert.equal((again.json as { error_reason: string }).error_reason, 'connection_not_found');
    assert.equal(sim.requests.at(-1)?.valid, true);
    const badDel = await raw(`${sim.url}/delete-connection`, { headers: h, body: JSON.stringify({ connection_id: id }) });
    assert.equal(badDel.status, 400);
    assert.ok(lastErrors().includes('$.cloud_provider: is required'));

    const get = await raw(`${sim.url}/connect`, { method: 'GET', headers: h });
    assert.equal(get.status, 405);
    assert.equal(sim.requests.at(-1)?.valid, false);
    const nowhere = await raw(`${sim.url}/nowhere`, { headers: h, body: '{}' });
    assert.equal(nowhere.status, 404);
  });

  test('wrong credentials: 401 unauthorized, but the request itself is valid', async () => {
    const res = await connectRaw(newConnectRequest(fakePat()), goodHeaders('dbx', 'wrong'));
    assert.equal(res.status, 401);
    assert.equal((res.json as { error_reason: string }).error_reason, 'unauthorized');
    assert.equal(sim.requests.at(-1)?.valid, true);
  });

  test('an invalid request does not consume a queued scenario', async () => {
    sim.queue('unauthorized');
    const { authorization: _a, ...noAuth } = h;
    assert.equal((await connectRaw(newConnectRequest(fakePat()), noAuth)).status, 400);
    assert.equal((await connectRaw(newConnectRequest(fakePat()))).status, 401);
    assert.equal((await connectRaw(newConnectRequest(fakePat()))).status, 201);
    assert.deepEqual(
      sim.requests.map((r) => r.scenario),
      ['none', 'unauthorized', 'default'],
    );
  });

  test('expire-account and delete-account (test-only endpoints, test domains only)', async () => {
    const email = 'zed@expiry.databricks-test.com';
    const c = await connectRaw(newConnectRequest(fakePat(), {}, email));
    const id = (c.json as { connection_id: string }).connection_id;
    const info = JSON.stringify({ email, databricks_user_id: 1, cloud_provider: 'aws', databricks_organization_id: WORKSPACE_ID });
    assert.equal((await raw(`${sim.url}/expire-account`, { method: 'PUT', headers: h, body: info })).status, 200);
    assert.equal(sim.accounts.get('expiry.databricks-test.com')?.status, 'expired');
    const again = await connectRaw(establishedRequest(id, email));
    assert.equal(again.status, 200);
    assert.equal((again.json as { account_status: string }).account_status, 'expired');
    assert.equal((again.json as { redirect_value: string }).redirect_value, 'purchase_product');

    const foreign = JSON.stringify({ email: 'a@gmail.com', databricks_user_id: 1, cloud_provider: 'aws', databricks_organization_id: 1 });
    assert.equal((await raw(`${sim.url}/expire-account`, { method: 'PUT', headers: h, body: foreign })).status, 400);

    const acct = JSON.stringify({ domain: 'expiry.databricks-test.com', cloud_provider: 'aws', databricks_organization_id: WORKSPACE_ID });
    assert.equal((await raw(`${sim.url}/delete-account`, { method: 'DELETE', headers: h, body: acct })).status, 200);
    assert.equal(sim.connections.has(id), false);
    assert.equal(sim.accounts.has('expiry.databricks-test.com'), false);
    assert.ok(sim.requests.every((r) => r.valid), JSON.stringify(sim.requests.map((r) => r.errors)));
  });

  test('redirect pages on the simulator host answer', async () => {
    const c = await connectRaw(newConnectRequest(fakePat()));
    const uri = (c.json as { redirect_uri: string }).redirect_uri;
    assert.ok(uri.startsWith(sim.url));
    const page = await raw(uri, { method: 'GET' });
    assert.equal(page.status, 200);
  });

  test('OAuth M2M hand-off: service_principal_oauth_secret with a null token is valid and kept only as a hash; both credentials, or the wrong one, are refused', async () => {
    const m2mSim = await startPartnerSim({ credentials: { username: 'dbx', password: 'sim-password-123' }, authOptions: ['AUTH_OAUTH_M2M'] });
    try {
      const connectM2m = (body: unknown) => raw(`${m2mSim.url}/connect`, { headers: h, body: JSON.stringify(body) });
      const rejected = (res: { status: number }, pattern: RegExp) => {
        assert.equal(res.status, 400);
        const errs = m2mSim.requests.at(-1)?.errors ?? [];
        assert.ok(errs.some((e) => pattern.test(e)), `expected ${pattern}, got ${JSON.stringify(errs)}`);
      };
      const secret = `dose${fakePat()}`;
      const m2m = newConnectRequest('unused', { service_principal_oauth_secret: secret });
      (m2m.user_info.auth as unknown as { personal_access_token: null }).personal_access_token = null;
      const res = await connectM2m(m2m);
      assert.equal(res.status, 201, m2mSim.requests.at(-1)?.errors.join('; '));
      const r = m2mSim.requests.at(-1);
      assert.ok(r);
      assert.deepEqual(r.replyErrors, []);
      assert.deepEqual(Object.keys(r.secretSha256), ['service_principal_oauth_secret']);
      assert.equal(r.patSha256, undefined);
      const conn = m2mSim.connections.get((res.json as { connection_id: string }).connection_id);
      assert.equal(conn?.oauthSecretSha256, sha256(secret));
      assert.equal(conn?.patSha256, undefined);

      rejected(await connectM2m(newConnectRequest(fakePat(), { service_principal_oauth_secret: secret })), /rule: personal_access_token \(AUTH_PAT\) and service_principal_oauth_secret \(AUTH_OAUTH_M2M\) are mutually exclusive/);
      const none = newConnectRequest('unused');
      (none.user_info.auth as unknown as { personal_access_token: null }).personal_access_token = null;
      rejected(await connectM2m(none), /rule: service_principal_oauth_secret is required/);
      const { service_principal_id: _s, ...noPrincipal } = m2m;
      rejected(await connectM2m(noPrincipal), /rule: service_principal_id is required with service_principal_oauth_secret/);
      rejected(await connectM2m({ ...establishedRequest('c-1'), service_principal_oauth_secret: secret }), /rule: service_principal_oauth_secret must be absent/);
      assert.ok(!JSON.stringify([m2mSim.requests, [...m2mSim.connections.values()]]).includes(secret));
      // a partner without AUTH_OAUTH_M2M refuses the secret
      assertRejected(await connectRaw(m2m), /rule: service_principal_oauth_secret is set only when auth_options contain AUTH_OAUTH_M2M/);
      assert.ok(!JSON.stringify(sim.requests).includes(secret));
    } finally {
      await m2mSim.close();
    }
  });
});

test('the reply check: a status the operation does not answer with, a body that breaks its schema, a body where none belongs', () => {
  const v = new ProtocolValidator(PARTNER_CONNECT_PROTOCOL);
  assert.deepEqual(v.validateResponse('/connect', 'POST', 418, { error_reason: 'general_error' }), ['reply: status 418 is not an answer of connect (200, 201, 400, 401, 404, 500)']);
  assert.deepEqual(v.validateResponse('/connect', 'POST', 201, { redirect_uri: 'x', redirect_value: 'sign_in', user_status: 'new', account_status: 'new' }), [
    'reply.configured_resources: is required',
  ]);
  assert.deepEqual(v.validateResponse('/connect', 'POST', 500, { error_reason: 'oops' }), [
    'reply.error_reason: must be one of unauthorized, bad_request, account_not_found, connection_not_found, general_error (got "oops")',
  ]);
  assert.deepEqual(v.validateResponse('/expire-account', 'PUT', 200, { ok: true }), ['reply: status 200 of expireAccount has no body']);
  assert.deepEqual(v.validateResponse('/test-connection', 'POST', 200, undefined), ['reply: status 200 of testConnection needs a ConnectionTestResult body']);
  assert.deepEqual(v.validateResponse('/delete-account', 'DELETE', 200, undefined), []);
});
