/**
 * The partner API client against the partner simulator, over real HTTP on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  createPartnerApiClient,
  DEFAULT_RETRY_DELAYS_MS,
  isRedirectAllowed,
  type PartnerApiClient,
  type PartnerApiClientOptions,
} from '../../src/client/partner/partnerApiClient';
import { Cleanup, withCleanup } from '../fixtures/cleanup';
import { tinyServer } from '../fixtures/http';
import { startPartnerSim, FOREIGN_REDIRECT_URI, REDACTED_MARKER, type PartnerSim } from '../partner-sim';
import { establishedRequest, fakePat, newConnectRequest, sha256, WORKSPACE_ID } from './helpers';

const FAST = [5, 5, 5];

describe('partner API client against the simulator', () => {
  let sim: PartnerSim;
  let logs: string[];
  let client: PartnerApiClient;

  const started = new Cleanup();

  function makeClient(over: Partial<PartnerApiClientOptions> = {}): PartnerApiClient {
    const c = createPartnerApiClient({
      config: sim.partnerConfig(),
      credentials: sim.credentials,
      logger: (l) => logs.push(l),
      retryDelaysMs: FAST,
      env: {},
      ...over,
    });
    return started.add(c, (x) => x.close());
  }

  before(async () => {
    sim = started.add(await startPartnerSim(), (s) => s.close());
  });
  after(() => started.close());
  beforeEach(() => {
    logs = [];
    sim.setScenario('default');
    sim.clearRequests();
    client = makeClient();
  });

  /** Every token value a test used: none may appear in logs, records or outcomes. */
  const pats: string[] = [];
  const pat = () => {
    const p = fakePat();
    pats.push(p);
    return p;
  };
  function assertNoSecrets(...extra: unknown[]): void {
    const haystack = JSON.stringify([logs, sim.requests, [...sim.connections.values()], extra], (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    for (const p of pats) assert.ok(!haystack.includes(p), 'a token value leaked');
    assert.ok(!haystack.includes(sim.credentials.password), 'the partner password leaked');
  }

  test('connect, new user: 201, connection stored with the token hash, spec-conform headers', async () => {
    const token = pat();
    const out = await client.connect(newConnectRequest(token));
    assert.equal(out.kind, 'connected');
    if (out.kind !== 'connected') return;
    assert.equal(out.status, 201);
    assert.equal(out.attempts, 1);
    assert.equal(out.response.user_status, 'new');
    assert.equal(out.response.account_status, 'new');
    assert.equal(out.response.redirect_value, 'create_trial');
    assert.equal(out.response.configured_resources, true);
    assert.equal(out.redirectAllowed, true);
    const id = out.response.connection_id;
    assert.ok(id);
    assert.ok(out.response.redirect_uri.startsWith(`${sim.url}/trial?connection=`));

    const conn = sim.connections.get(id);
    assert.ok(conn);
    assert.equal(conn.workspace_id, WORKSPACE_ID);
    assert.equal(conn.patSha256, sha256(token));
    assert.equal(conn.service_principal_id, 'a2a25a05-3d59-4515-a73b-b8bc5ab79e31');
    assert.equal(conn.catalog_name, 'main');

    assert.equal(sim.requests.length, 1);
    const r = sim.requests[0];
    assert.ok(r);
    assert.deepEqual(r.errors, []);
    assert.equal(r.valid, true);
    assert.equal(r.method, 'POST');
    assert.equal(r.path, '/connect');
    assert.equal(r.headers['user-agent'], 'databricks');
    assert.equal(r.headers['accept-language'], 'en-US');
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.headers.authorization, `Basic ${sim.credentials.username}:***`);
    assert.equal(r.patSha256, sha256(token));
    const body = r.body as { user_info: { auth: { personal_access_token: string } } };
    assert.equal(body.user_info.auth.personal_access_token, REDACTED_MARKER);
    assertNoSecrets(out);
  });

  test('connect, established: is_connection_established true, no token, same connection_id, existing user', async () => {
    const first = await client.connect(newConnectRequest(pat(), {}, 'bob@databricks-test.com'));
    assert.equal(first.kind, 'connected');
    if (first.kind !== 'connected' || !first.response.connection_id) return;
    const id = first.response.connection_id;

    const again = await client.connect(establishedRequest(id, 'bob@databricks-test.com'));
    assert.equal(again.kind, 'connected');
    if (again.kind !== 'connected') return;
    assert.equal(again.status, 200);
    assert.equal(again.response.connection_id, id);
    assert.equal(again.response.user_status, 'existing');
    assert.equal(again.response.configured_resources, false);
    assert.equal(again.response.redirect_value, 'sign_in');
    const rec = sim.requests[1];
    assert.ok(rec);
    assert.equal(rec.valid, true, rec.errors.join('; '));
    assert.equal(rec.patSha256, undefined);
    const body = rec.body as { connection_id: string; user_info: Record<string, unknown> };
    assert.equal(body.connection_id, id);
    assert.equal(body.user_info.is_connection_established, true);
    assert.ok(!('auth' in body.user_info));
    assertNoSecrets(again);
  });

  test('the client refuses to send an inconsistent ConnectRequest (nothing reaches the partner)', async () => {
    const token = pat();
    const withToken = { ...establishedRequest('c-1') };
    withToken.user_info = { ...withToken.user_info, auth: { personal_access_token: token } };
    await assert.rejects(client.connect(withToken), (e: Error) => /no token/.test(e.message) && !e.message.includes(token));
    await assert.rejects(client.connect(newConnectRequest(pat(), { connection_id: 'x' })), /only sent when/);
    const bad = newConnectRequest(token, { cloud_provider: 'gpc' as never });
    await assert.rejects(client.connect(bad), (e: Error) => /cloud_provider/.test(e.message) && !e.message.includes(token));
    await assert.rejects(client.connect({ ...newConnectRequest(pat()), workspaceId: 1 } as never), /workspaceId/);
    assert.equal(sim.requests.length, 0);
    assertNoSecrets();
  });

  test('int64 ids: beyond 2^53 given as text or bigint and sent with every digit; a number that already lost digits is refused', async () => {
    const big = '9223372036854775807'; // int64 max
    const user = 9007199254740993n; // 2^53 + 1
    const req = newConnectRequest(pat(), { workspace_id: big });
    req.user_info = { ...req.user_info, databricks_organization_id: big, databricks_user_id: user };
    const out = await client.connect(req);
    assert.equal(out.kind, 'connected');
    const body = sim.requests[sim.requests.length - 1].body as { workspace_id: unknown; user_info: { databricks_organization_id: unknown; databricks_user_id: unknown } };
    assert.equal(body.workspace_id, BigInt(big));
    assert.equal(body.user_info.databricks_organization_id, BigInt(big));
    assert.equal(body.user_info.databricks_user_id, user);
    const n = sim.requests.length;
    await assert.rejects(client.connect(newConnectRequest(pat(), { workspace_id: 2 ** 53 + 2 })), /workspace_id.*beyond 2\^53/);
    await assert.rejects(client.connect(newConnectRequest(pat(), { workspace_id: '9223372036854775808' })), /workspace_id.*int64/);
    assert.equal(sim.requests.length, n, 'nothing was sent');
  });

  test('500 then success: retried with the injected delays, attempt count from the simulator log', async () => {
    sim.setScenario({ kind: 'fail_then_succeed', failures: 2 });
    const out = await client.connect(newConnectRequest(pat()));
    assert.equal(out.kind, 'connected');
    assert.equal(out.attempts, 3);
    assert.deepEqual(
      sim.requests.map((r) => [r.path, r.status]),
      [
        ['/connect', 500],
        ['/connect', 500],
        ['/connect', 201],
      ],
    );
    assert.ok(sim.requests.every((r) => r.valid));
    assert.equal(logs.filter((l) => /retrying in 5 ms/.test(l)).length, 2);
    assert.deepEqual(DEFAULT_RETRY_DELAYS_MS, [1000, 2000, 4000]);
    assertNoSecrets(out);
  });

  test('always 500: gives up after 4 attempts; display_message shown, debugging_message only logged', async () => {
    sim.setScenario('server_error');
    const out = await client.connect(newConnectRequest(pat()));
    assert.equal(out.kind, 'failed');
    if (out.kind !== 'failed') return;
    assert.equal(out.status, 500);
    assert.equal(out.reason, 'server_error');
    assert.equal(out.attempts, 4);
    assert.equal(out.displayMessage, 'The partner had a temporary problem.');
    assert.equal(out.signInUrl, `${sim.url}/signup`);
    assert.equal(sim.requests.length, 4);
    assert.ok(!JSON.stringify(out).includes('scenario server_error'), 'debugging_message must not be returned');
    assert.ok(logs.some((l) => l.includes('debugging_message="scenario server_error"')));
    assert.ok(logs.some((l) => /giving up after 4 attempts/.test(l)));
    assertNoSecrets(out);
  });

  test('queued 500s apply to the next requests only', async () => {
    sim.queue({ kind: 'fail_then_succeed', failures: 1 });
    const out = await client.connect(newConnectRequest(pat()));
    assert.equal(out.kind, 'connected');
    assert.equal(out.attempts, 2);
    const next = await client.connect(newConnectRequest(pat()));
    assert.equal(next.attempts, 1);
  });

  test('401: unauthorized with the partner sign-in page; wrong credentials too', async () => {
    sim.queue('unauthorized');
    const out = await client.connect(newConnectRequest(pat()));
    assert.deepEqual(out, { kind: 'unauthorized', displayMessage: 'Sign in to the partner again.', signInUrl: `${sim.url}/signup`, attempts: 1 });

    const wrong = makeClient({ credentials: { username: sim.credentials.username, password: 'not-the-password' } });
    const out2 = await wrong.connect(newConnectRequest(pat()));
    assert.equal(out2.kind, 'unauthorized');
    const rec = sim.requests.at(-1);
    assert.ok(rec);
    assert.equal(rec.status, 401);
    assert.equal(rec.valid, true);
    assert.ok(!logs.join('\n').includes('not-the-password'));
    assertNoSecrets(out, out2);
  });

  test('no credentials: the simulator rejects the request (basic auth is required by the spec)', async () => {
    const anon = makeClient({ credentials: undefined });
    const out = await anon.connect(newConnectRequest(pat()));
    assert.equal(out.kind, 'bad_request');
    const rec = sim.requests.at(-1);
    assert.ok(rec);
    assert.equal(rec.valid, false);
    assert.ok(rec.errors.some((e) => /Authorization/.test(e)));
  });

  test('404 connection_not_found for an established connection the partner forgot; 404 account_not_found', async () => {
    const out = await client.connect(establishedRequest('11111111-2222-3333-4444-555555555555'));
    assert.equal(out.kind, 'not_found');
    if (out.kind !== 'not_found') return;
    assert.equal(out.reason, 'connection_not_found');
    assert.match(out.displayMessage ?? '', /Delete it in Databricks and connect again/);
    assert.ok(!JSON.stringify(out).includes('unknown connection_id'), 'debugging_message must not be returned');

    sim.queue('account_not_found');
    const out2 = await client.connect(newConnectRequest(pat()));
    assert.equal(out2.kind, 'not_found');
    if (out2.kind === 'not_found') assert.equal(out2.reason, 'account_not_found');
  });

  test('configured_resources false: connected, but nothing configured and no connection stored', async () => {
    const before = sim.connections.size;
    sim.queue('configured_resources_false');
    const out = await client.connect(newConnectRequest(pat()));
    assert.equal(out.kind, 'connected');
    if (out.kind !== 'connected') return;
    assert.equal(out.response.configured_resources, false);
    assert.equal(out.response.connection_id, undefined);
    assert.equal(sim.connections.size, before);
  });

  test('redirect allow-list: a redirect to a host outside hostnames is reported as not allowed', async () => {
    sim.queue('foreign_redirect');
    const out = await client.connect(newConnectRequest(pat()));
    assert.equal(out.kind, 'connected');
    if (out.kind !== 'connected') return;
    assert.equal(out.response.redirect_uri, FOREIGN_REDIRECT_URI);
    assert.equal(out.redirectAllowed, false);
    sim.queue({ kind: 'redirect', uri: 'http://localhost:1/signin' });
    const ok = await client.connect(newConnectRequest(pat()));
    assert.ok(ok.kind === 'connected' && ok.redirectAllowed);
  });

  test('expired trial: account_status expired and purchase_product', async () => {
    sim.queue('expired_trial');
    const out = await client.connect(newConnectRequest(pat(), {}, 'carol@expired.databricks-test.com'));
    assert.equal(out.kind, 'connected');
    if (out.kind !== 'connected') return;
    assert.equal(out.response.account_status, 'expired');
    assert.equal(out.response.redirect_value, 'purchase_product');
    assert.ok(out.response.redirect_uri.startsWith(`${sim.url}/purchase`));
  });

  test('new_user_action: auto_add, invite, not_found (404), error (500)', async () => {
    const domain = 'nua.databricks-test.com';
    const first = await client.connect(newConnectRequest(pat(), {}, `owner@${domain}`));
    assert.ok(first.kind === 'connected' && first.response.user_status === 'new');

    sim.queue({ kind: 'new_user_action', action: 'auto_add' });
    const auto = await client.connect(newConnectRequest(pat(), {}, `dan@${domain}`));
    assert.ok(auto.kind === 'connected');
    if (auto.kind === 'connected') {
      assert.equal(auto.response.user_status, 'new');
      assert.equal(auto.response.account_status, 'active');
      assert.equal(auto.response.redirect_value, 'sign_in');
    }
    assert.ok(sim.accounts.get(domain)?.users.has(`dan@${domain}`));

    sim.queue({ kind: 'new_user_action', action: 'invite' });
    const invite = await client.connect(newConnectRequest(pat(), {}, `erin@${domain}`));
    assert.ok(invite.kind === 'connected');
    if (invite.kind === 'connected') {
      assert.equal(invite.response.user_status, 'not_applicable');
      assert.equal(invite.response.redirect_value, 'contact_admin');
    }
    assert.equal(sim.accounts.get(domain)?.users.has(`erin@${domain}`), false);

    sim.queue({ kind: 'new_user_action', action: 'not_found' });
    const nf = await client.connect(newConnectRequest(pat(), {}, `fay@${domain}`));
    assert.ok(nf.kind === 'not_found' && nf.reason === 'account_not_found');

    sim.setScenario({ kind: 'new_user_action', action: 'error' });
    const er = await client.connect(newConnectRequest(pat(), {}, `gus@${domain}`));
    assert.ok(er.kind === 'failed' && er.reason === 'server_error' && er.attempts === 4);
  });

  test('a simulator configured with new_user_action invite applies it to new users of known accounts', async () => {
    const inviteSim = await startPartnerSim({ newUserAction: 'invite' });
    try {
      const c = started.add(createPartnerApiClient({ config: inviteSim.partnerConfig(), credentials: inviteSim.credentials, retryDelaysMs: FAST, env: {} }), (x) => x.close());
      assert.equal(inviteSim.partnerConfig().new_user_action, 'invite');
      await c.connect(newConnectRequest(pat(), {}, 'a@acme.databricks-test.com'));
      const out = await c.connect(newConnectRequest(pat(), {}, 'b@acme.databricks-test.com'));
      assert.ok(out.kind === 'connected' && out.response.redirect_value === 'contact_admin');
    } finally {
      await inviteSim.close();
    }
  });

  test('a 200 whose body does not match the spec is a failure, not a connection', async () => {
    sim.queue('malformed_response');
    const out = await client.connect(newConnectRequest(pat()));
    assert.ok(out.kind === 'failed' && out.reason === 'invalid_response' && out.status === 200);
  });

  test('deleteConnection: deleted, then already gone; 404 scenario is already_gone too', async () => {
    const c = await client.connect(newConnectRequest(pat()));
    assert.ok(c.kind === 'connected' && c.response.connection_id);
    if (c.kind !== 'connected' || !c.response.connection_id) return;
    const id = c.response.connection_id;
    const req = { connection_id: id, cloud_provider: 'azure' as const, databricks_organization_id: WORKSPACE_ID };

    const del = await client.deleteConnection(req);
    assert.deepEqual(del, { kind: 'deleted', resource_status: 'resources_deleted', attempts: 1 });
    assert.equal(sim.connections.has(id), false);
    const rec = sim.requests.at(-1);
    assert.ok(rec);
    assert.equal(rec.method, 'POST');
    assert.equal(rec.path, '/delete-connection');
    assert.equal(rec.valid, true, rec.errors.join('; '));

    const again = await client.deleteConnection(req);
    assert.equal(again.kind, 'already_gone');

    const c2 = await client.connect(newConnectRequest(pat()));
    assert.ok(c2.kind === 'connected' && c2.response.connection_id);
    if (c2.kind !== 'connected' || !c2.response.connection_id) return;
    sim.queue('connection_not_found');
    const gone = await client.deleteConnection({ ...req, connection_id: c2.response.connection_id });
    assert.ok(gone.kind === 'already_gone' && gone.reason === 'connection_not_found');
    assert.ok(sim.connections.has(c2.response.connection_id), 'the scenario answered 404 without deleting');

    sim.setScenario({ kind: 'fail_then_succeed', failures: 1 });
    const retried = await client.deleteConnection({ ...req, connection_id: c2.response.connection_id });
    assert.ok(retried.kind === 'deleted' && retried.attempts === 2);

    const noPath = makeClient({ config: { ...sim.partnerConfig(), endpoints: { connect_path: '/connect' } } });
    assert.deepEqual(await noPath.deleteConnection(req), { kind: 'not_supported' });
  });

  test('testConnection and getConnectors', async () => {
    const c = await client.connect(newConnectRequest(pat()));
    assert.ok(c.kind === 'connected' && c.response.connection_id);
    if (c.kind !== 'connected' || !c.response.connection_id) return;
    const t = await client.testConnection({ connection_id: c.response.connection_id });
    assert.equal(t.kind, 'tested');
    if (t.kind === 'tested') {
      assert.equal(t.allPassed, true);
      assert.equal(t.results[0]?.status, 'PASS');
    }
    const missing = await client.testConnection({ connection_id: 'nope' });
    assert.equal(missing.kind, 'not_found');
    assert.ok(sim.requests.slice(-2).every((r) => r.valid));

    const conns = await client.getConnectors();
    assert.equal(conns.kind, 'connectors');
    if (conns.kind === 'connectors') assert.ok(conns.response.connectors.some((x) => x.type === 'target'));
    const rec = sim.requests.at(-1);
    assert.ok(rec && rec.method === 'GET' && rec.valid, rec?.errors.join('; '));
  });

  test('cancellation during a retry wait rejects with AbortError and stops retrying', async () => {
    const ac = new AbortController();
    const cancelSim = await startPartnerSim({ scenario: 'server_error', onRequest: () => ac.abort() });
    try {
      const c = started.add(createPartnerApiClient({ config: cancelSim.partnerConfig(), credentials: cancelSim.credentials, retryDelaysMs: [60_000], env: {} }), (x) => x.close());
      await assert.rejects(c.connect(newConnectRequest(pat()), { signal: ac.signal }), { name: 'AbortError' });
      assert.equal(cancelSim.requests.length, 1);
    } finally {
      await cancelSim.close();
    }
  });

  test('the PAT never appears in the simulator records, connections or client log lines', () => {
    assert.ok(pats.length > 10);
    assert.ok(logs.length >= 0);
    assertNoSecrets();
  });
});

// ------------------------------------------------------------------ without the simulator
const baseConfig = (url: string) => ({
  name: 'Echo',
  base_url: url,
  endpoints: { connect_path: '/connect' },
  hostnames: ['127.0.0.1'],
  sign_up_page: `${url}/signup`,
});

test('a partner echoing the token and password back cannot leak them to logs or outcomes', async () => {
  const token = fakePat();
  const password = 'echo-password-1234';
  await withCleanup(async (started) => {
    const srv = await tinyServer((req, res, body) => {
      const parsed = JSON.parse(body) as { user_info: { auth?: { personal_access_token: string } } };
      const t = parsed.user_info.auth?.personal_access_token ?? '';
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error_reason: 'general_error', display_message: `bad token ${t} / ${req.headers.authorization}`, debugging_message: `token=${t}` }));
    });
    started.defer(() => srv.close());
    const logs: string[] = [];
    const c = createPartnerApiClient({ config: baseConfig(srv.url), credentials: { username: 'u', password }, logger: (l) => logs.push(l), retryDelaysMs: [], env: {} });
    started.defer(() => c.close());
    const out = await c.connect(newConnectRequest(token));
    assert.ok(out.kind === 'failed' && out.attempts === 1);
    const all = JSON.stringify([out, logs]);
    assert.ok(!all.includes(token));
    assert.ok(!all.includes(password));
    assert.ok(!all.includes(Buffer.from(`u:${password}`).toString('base64')));
    assert.ok(logs.some((l) => l.includes('debugging_message="token=[REDACTED]"')));
  });
});

test('per-attempt timeout: failed with reason timeout, not retried', async () => {
  let hits = 0;
  await withCleanup(async (started) => {
    const srv = await tinyServer(() => {
      hits++; // never answers
    });
    started.defer(() => srv.close());
    const c = createPartnerApiClient({ config: baseConfig(srv.url), credentials: { username: 'u', password: 'p' }, retryDelaysMs: FAST, timeoutMs: 150, env: {} });
    started.defer(() => c.close());
    const out = await c.connect(newConnectRequest(fakePat()));
    assert.ok(out.kind === 'failed' && out.reason === 'timeout' && out.status === null && out.attempts === 1, JSON.stringify(out));
    assert.equal(hits, 1);
  });
});

test('connection refused is retried, then reported as a network failure', async () => {
  const srv = await tinyServer(() => undefined);
  const url = srv.url;
  await srv.close(); // nothing listens there any more
  const logs: string[] = [];
  const c = createPartnerApiClient({ config: baseConfig(url), credentials: undefined, retryDelaysMs: [1, 1], logger: (l) => logs.push(l), env: {} });
  try {
    const out = await c.connect(newConnectRequest(fakePat()));
    assert.ok(out.kind === 'failed' && out.reason === 'network' && out.attempts === 3, JSON.stringify(out));
    assert.equal(logs.filter((l) => /ECONNREFUSED/.test(l)).length, 3);
  } finally {
    await c.close();
  }
});

test('HTTPS_PROXY is honoured for partner hosts, NO_PROXY exempts them', () =>
  withCleanup(async (started) => {
    const connects: string[] = [];
    const proxy = http.createServer((_req, res) => {
      res.writeHead(502);
      res.end();
    });
    proxy.on('connect', (req: http.IncomingMessage, socket: import('node:net').Socket) => {
      connects.push(req.url ?? '');
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    });
    started.defer(
      () =>
        new Promise<void>((r) => {
          proxy.close(() => r());
          proxy.closeAllConnections();
        }),
    );
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const c = started.add(
      createPartnerApiClient({
        config: { name: 'Remote', base_url: 'https://partner.example.invalid', endpoints: { connect_path: '/connect' }, hostnames: ['partner.example.invalid'] },
        credentials: { username: 'u', password: 'p' },
        retryDelaysMs: [],
        env: { HTTPS_PROXY: proxyUrl },
      }),
      (x) => x.close(),
    );
    const out = await c.connect(newConnectRequest(fakePat()));
    assert.equal(out.kind, 'failed');
    assert.deepEqual(connects, ['partner.example.invalid:443']);
    // NO_PROXY exempts the host: the proxy sees nothing (the .invalid name then fails to resolve)
    const c2 = started.add(
      createPartnerApiClient({
        config: { name: 'Remote', base_url: 'https://partner.example.invalid', endpoints: { connect_path: '/connect' }, hostnames: [] },
        credentials: undefined,
        retryDelaysMs: [],
        env: { HTTPS_PROXY: proxyUrl, NO_PROXY: '.example.invalid' },
      }),
      (x) => x.close(),
    );
    const out2 = await c2.connect(newConnectRequest(fakePat()));
    assert.equal(out2.kind, 'failed');
    assert.equal(connects.length, 1);
  }));

test('base_url must be https except for loopback hosts', () => {
  const mk = (base_url: string) => () =>
    createPartnerApiClient({ config: { name: 'X', base_url, endpoints: { connect_path: '/c' }, hostnames: [] }, credentials: undefined, env: {} });
  assert.throws(mk('http://partner.example.com'), /https/);
  assert.throws(mk('ftp://partner.example.com'), /https/);
  for (const ok of ['https://partner.example.com/api/', 'http://localhost:8080', 'http://127.0.0.1:1', 'http://[::1]:9']) {
    const c = mk(ok)();
    void c.close();
  }
});

test('isRedirectAllowed: exact hostnames, case-insensitive, no subdomains, https only (http for loopback)', () => {
  const cfg = { hostnames: ['partner.com', 'App.Example.io', 'localhost', '127.0.0.1'] };
  const yes = [
    'https://partner.com/signin?x=1',
    'https://partner.com./a',
    'https://app.example.io/trial',
    'http://localhost:8080/signin',
    'http://127.0.0.1:9/x',
    'https://partner.com:8443/x',
  ];
  const no = [
    'http://partner.com/signin', // plain http to a remote host
    'https://www.partner.com/', // subdomain
    'https://evil-partner.com/',
    'https://partner.com.evil.io/',
    'https://example.io/', // parent domain
    'https://user:pw@partner.com/', // credentials in the URL
    'https://PARTNER.com/', // not canonical (the one URL parser: src/client/urls.ts)
    'https://partner.com.:443/a', // not canonical: a default port
    'https://partner.com\\@evil.io/', // read as partner.com by one parser, evil.io by another
    'javascript:alert(1)',
    'ftp://partner.com/',
    'not a url',
    '',
    '//partner.com/x',
    FOREIGN_REDIRECT_URI,
  ];
  for (const u of yes) assert.equal(isRedirectAllowed(cfg, u), true, u);
  for (const u of no) assert.equal(isRedirectAllowed(cfg, u), false, u);
  assert.equal(isRedirectAllowed({ hostnames: [] }, 'https://partner.com/'), false);
  // http is allowed only for loopback hosts that are themselves in the list
  assert.equal(isRedirectAllowed({ hostnames: ['partner.com'] }, 'http://localhost/'), false);
});
