/** Error shapes, retries, cancellation and timeouts — over real HTTP against the emulator and tiny local servers. */
import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withCleanup } from '../fixtures/cleanup';
import {
  CancelledError,
  DatabricksApiError,
  NetworkError,
  RequestTimeoutError,
  UnexpectedResponseError,
  createHttpTransport,
  requestJson,
  type WorkspaceClient,
} from '../../src/client';
import { z } from 'zod';
import { clientFor, rejection } from './helpers';
import { DBT_APP, SCIM, USER } from '../fixtures/seed';
import { hits, useEmulator } from '../fixtures/emulator';
import { tinyServer } from '../fixtures/http';

let ws: WorkspaceClient;
let log: string[];
const emu = useEmulator({
  onStart: (e, started) => {
    ({ client: ws, log } = started.add(clientFor(e, { retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 } }), (c) => c.client.close()));
  },
});
const ME = `${SCIM}/Me`;
beforeEach(() => {
  log.length = 0;
});

describe('error shapes', () => {
  it('standard error body: status, code, message, request id, method, path', async () => {
    const e = await rejection(ws.getWarehouse('0000000000000000'));
    assert.ok(e instanceof DatabricksApiError, String(e));
    assert.equal(e.status, 404);
    assert.equal(e.errorCode, 'RESOURCE_DOES_NOT_EXIST');
    assert.equal(e.method, 'GET');
    assert.equal(e.path, '/api/2.0/sql/warehouses/0000000000000000');
    assert.match(e.requestId ?? '', /^[0-9a-f-]{36}$/);
    assert.ok(e.serverMessage.length > 0);
    assert.match(e.message, /^GET \/api\/2\.0\/sql\/warehouses\/0000000000000000 failed with HTTP 404 RESOURCE_DOES_NOT_EXIST: /);
    assert.equal(e.attempts, 1);
  });
  it('SCIM error body → SCIM_<status>', async () => {
    const e = await rejection(ws.getServicePrincipal('999999'));
    assert.ok(e instanceof DatabricksApiError);
    assert.equal(e.errorCode, 'SCIM_404');
    assert.ok(e.isNotFound);
  });
  it('403 for a non-admin carries workspace-admin guidance', async () => {
    const { client } = clientFor(emu, { auth: { type: 'pat', token: emu.tokenFor(USER) } });
    try {
      const e = await rejection(client.createServicePrincipal({ displayName: 'X', entitlements: [] }));
      assert.ok(e instanceof DatabricksApiError);
      assert.equal(e.status, 403);
      assert.match(e.message, /requires a workspace admin/);
    } finally {
      await client.close();
    }
  });
  it('401 with an unknown token, message without the token', async () => {
    const token = 'dapi0123456789abcdef0123456789abcdef';
    const { client, log: l } = clientFor(emu, { auth: { type: 'pat', token } });
    try {
      const e = await rejection(client.me());
      assert.ok(e instanceof DatabricksApiError);
      assert.equal(e.status, 401);
      assert.match(e.message, /credentials were rejected/);
      assert.ok(!e.message.includes(token) && !l.join('\n').includes(token));
      assert.equal(hits(emu, 'GET', ME), 1);
    } finally {
      await client.close();
    }
  });
  it('an HTML login page with HTTP 200 is a clear error, not a crash or an empty result', async () => {
    emu.faults.add({ path: ME, status: 200, rawBody: '<!DOCTYPE html><html><head><title>Sign in</title></head><body>SSO</body></html>', headers: { 'content-type': 'text/html' } });
    const e = await rejection(ws.me());
    assert.ok(e instanceof UnexpectedResponseError, String(e));
    assert.equal(e.reason, 'html');
    assert.equal(e.status, 200);
    assert.equal(e.contentType, 'text/html');
    assert.match(e.snippet, /<title>Sign in<\/title>/);
    assert.match(e.message, /HTML page .*sign-in page of a single-sign-on gateway or proxy, or a host that is not a Databricks workspace: check the workspace URL/);
    // Lists must not silently become empty either.
    emu.faults.add({ path: `${SCIM}/ServicePrincipals`, status: 200, rawBody: '<html>login</html>' });
    assert.equal((await rejection(ws.listServicePrincipals())).constructor, UnexpectedResponseError);
  });
  it('a truncated JSON body', async () => {
    emu.faults.add({ path: ME, status: 200, rawBody: '{"id": "1", "userName": "ava', headers: { 'content-type': 'application/json' } });
    const e = await rejection(ws.me());
    assert.ok(e instanceof UnexpectedResponseError);
    assert.equal(e.reason, 'truncated');
    assert.match(e.message, /JSON body was cut off/);
  });
  it('a body that is not JSON at all', async () => {
    emu.faults.add({ path: ME, status: 200, rawBody: 'OK', headers: { 'content-type': 'text/plain' } });
    const e = await rejection(ws.me());
    assert.ok(e instanceof UnexpectedResponseError);
    assert.equal(e.reason, 'not-json');
    assert.match(e.message, /not JSON \(text\/plain\)/);
  });
  it('a schema mismatch names the field, never its value', async () => {
    emu.faults.add({ path: ME, status: 200, body: { id: 7, userName: 42 } });
    const e = await rejection(ws.me());
    assert.ok(e instanceof UnexpectedResponseError);
    assert.equal(e.reason, 'schema');
    assert.match(e.message, /userName: /);
    // A mismatching token response: its secret must not reach the message.
    emu.faults.add({ method: 'POST', path: '/api/2.0/token-management/on-behalf-of/tokens', status: 200, body: { token_value: 'dapi-leaky-secret-value', token_info: {} } });
    const t = await rejection(ws.createOboToken({ applicationId: DBT_APP, comment: 'x', lifetimeSeconds: 3600 }));
    assert.ok(t instanceof UnexpectedResponseError);
    assert.ok(!t.message.includes('dapi-leaky-secret-value'), t.message);
  });
  it('an empty 200 body where JSON is expected', async () => {
    emu.faults.add({ path: ME, status: 200, rawBody: '' });
    const e = await rejection(ws.me());
    assert.ok(e instanceof UnexpectedResponseError);
    assert.equal(e.reason, 'empty');
  });
  it('an HTML error page from a gateway (502) becomes a DatabricksApiError that says so', async () => {
    emu.faults.add({ method: 'POST', path: '/api/2.0/sql/warehouses', status: 502, rawBody: '<html><body>Bad gateway</body></html>' });
    const e = await rejection(ws.createWarehouse({ name: 'w', cluster_size: 'Small' }));
    assert.ok(e instanceof DatabricksApiError);
    assert.equal(e.status, 502);
    assert.equal(e.errorCode, 'BAD_GATEWAY');
    assert.match(e.message, /an HTML page, which usually comes from a proxy/);
    assert.equal(hits(emu, 'POST', '/api/2.0/sql/warehouses'), 1, 'POST not retried on 502');
  });
  it('an unrecognised JSON error body and a numeric error_code', async () => {
    emu.faults.add({ path: ME, status: 400, body: { weird: true }, times: 1 });
    const e = await rejection(ws.me());
    assert.ok(e instanceof DatabricksApiError);
    assert.equal(e.errorCode, 'BAD_REQUEST');
    assert.match(e.message, /unrecognised error body/);
    emu.faults.add({ path: ME, status: 403, body: { error_code: 403, message: 'Invalid access token.' }, times: 1 });
    const n = await rejection(ws.me());
    assert.ok(n instanceof DatabricksApiError);
    assert.equal(n.errorCode, '403');
  });
  it('secrets echoed by a server never reach messages or the log', async () => {
    const token = 'dapiabcdef0123456789abcdef0123456789';
    await withCleanup(async (started) => {
      const srv = await tinyServer((req, res) => {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error_code: 'BAD_REQUEST', message: `Header was ${String(req.headers.authorization)}; token_value=${token}` }));
      });
      started.defer(() => srv.close());
      const { client, log: l } = clientFor({ url: srv.url, adminToken: token });
      started.defer(() => client.close());
      const e = await rejection(client.me());
      assert.ok(e instanceof DatabricksApiError);
      assert.ok(!e.message.includes(token), e.message);
      assert.ok(!JSON.stringify(e).includes(token));
      assert.ok(!l.join('\n').includes(token));
      assert.match(e.message, /\[REDACTED\]/);
      // What went over the wire: the Bearer token and our User-Agent.
      assert.equal(srv.requests[0].headers.authorization, `Bearer ${token}`);
      assert.match(String(srv.requests[0].headers['user-agent']), /^partner-connect-vscode\/\S+ undici\/\S+ node\/\S+ os\/\S+ auth\/pat$/);
    });
  });
  it('a redirect (e.g. to a login page) is reported, not followed', async () => {
    await withCleanup(async (started) => {
      const srv = await tinyServer((_req, res) => {
        res.writeHead(302, { location: 'https://login.example.com/sso?client=x' });
        res.end();
      });
      started.defer(() => srv.close());
      const { client } = clientFor({ url: srv.url, adminToken: 'dapi-x-123456' });
      started.defer(() => client.close());
      const e = await rejection(client.me());
      assert.ok(e instanceof UnexpectedResponseError);
      assert.equal(e.reason, 'redirect');
      assert.match(e.message, /redirected \(HTTP 302 to login\.example\.com\)/);
      assert.equal(srv.requests.length, 1);
    });
  });
  it('a body cut off mid-stream: GET retried, then a truncation error', async () => {
    await withCleanup(async (started) => {
      const srv = await tinyServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
        res.write('{"id": "1", "userName": "a');
        setTimeout(() => res.socket?.destroy(), 5);
      });
      started.defer(() => srv.close());
      const { client } = clientFor({ url: srv.url, adminToken: 'dapi-x-123456' }, { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 } });
      started.defer(() => client.close());
      const e = await rejection(client.me());
      assert.ok(e instanceof UnexpectedResponseError, String(e));
      assert.equal(e.reason, 'truncated');
      assert.equal(srv.requests.length, 3);
    });
  });
});

describe('retries', () => {
  it('429 with Retry-After: 1 is retried after the advertised wait', async () => {
    emu.faults.add({ path: ME, status: 429, headers: { 'Retry-After': '1' }, times: 1 });
    assert.equal((await ws.me()).userName, 'ava.admin@acme.example');
    assert.equal(hits(emu, 'GET', ME), 2);
    assert.match(log[0], /→ 429 REQUEST_LIMIT_EXCEEDED in \d+ ms \(attempt 1\), retrying in 1000 ms$/);
    assert.match(log[1], /→ 200 in \d+ ms \(attempt 2\)$/);
  });
  it('503 on a POST is retried (the server refused it) and creates exactly one object', async () => {
    emu.faults.add({ method: 'POST', path: `${SCIM}/ServicePrincipals`, status: 503, times: 2 });
    const sp = await ws.createServicePrincipal({ displayName: 'RETRIED_SP', entitlements: [] });
    assert.equal(hits(emu, 'POST', `${SCIM}/ServicePrincipals`), 3);
    assert.equal([...emu.state.servicePrincipals.values()].filter((s) => s.displayName === 'RETRIED_SP').length, 1);
    assert.equal(sp.displayName, 'RETRIED_SP');
  });
  it('throttling codes carried by 400 and by a SCIM 500 are retried', async () => {
    emu.faults.add({ path: ME, status: 400, body: { error_code: 'REQUEST_LIMIT_EXCEEDED', message: 'slow down' }, times: 1 });
    emu.faults.add({ path: `${SCIM}/ServicePrincipals`, status: 500, body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], detail: 'REQUEST_LIMIT_EXCEEDED', status: '500' }, times: 1 });
    await ws.me();
    await ws.listServicePrincipals();
    assert.equal(hits(emu, 'GET', ME), 2);
    assert.equal(hits(emu, 'GET', `${SCIM}/ServicePrincipals`), 2);
  });
  it('gives up after maxAttempts with the last error, counting attempts', async () => {
    emu.faults.add({ path: ME, status: 503 });
    const e = await rejection(ws.me());
    assert.ok(e instanceof DatabricksApiError);
    assert.equal(e.status, 503);
    assert.equal(e.attempts, 4);
    assert.equal(hits(emu, 'GET', ME), 4);
    assert.equal(log.filter((l) => /retrying in/.test(l)).length, 3);
  });
  it('does not start a wait that would exceed the total time budget', async () => {
    const { client } = clientFor(emu, { retry: { maxAttempts: 5, maxTotalMs: 2_000, baseDelayMs: 1 } });
    try {
      emu.faults.add({ path: ME, status: 429, headers: { 'Retry-After': '30' } });
      const e = await rejection(client.me());
      assert.ok(e instanceof DatabricksApiError);
      assert.equal(e.attempts, 1);
      assert.equal(hits(emu, 'GET', ME), 1);
    } finally {
      await client.close();
    }
  });
  it('500 INTERNAL_ERROR is not retried; 502 is retried for GET only', async () => {
    emu.faults.add({ path: ME, status: 500, times: 1 });
    assert.equal(((await rejection(ws.me())) as DatabricksApiError).status, 500);
    assert.equal(hits(emu, 'GET', ME), 1);
    emu.faults.add({ path: ME, status: 502, times: 1 });
    await ws.me();
    assert.equal(hits(emu, 'GET', ME), 3);
  });
  it('connection resets on GET are retried', async () => {
    emu.faults.add({ path: ME, reset: true, times: 2 });
    assert.equal((await ws.me()).userName, 'ava.admin@acme.example');
    assert.equal(hits(emu, 'GET', ME), 3);
  });
  it('a POST is NOT re-sent after a reset once the server has acted (after: true)', async () => {
    const path = '/api/2.0/token-management/on-behalf-of/tokens';
    const before = emu.state.tokens.size;
    emu.faults.add({ method: 'POST', path, after: true, reset: true, times: 1 });
    const e = await rejection(ws.createOboToken({ applicationId: DBT_APP, comment: 'maybe created', lifetimeSeconds: 3600 }));
    assert.ok(e instanceof NetworkError, String(e));
    assert.equal(e.attempts, 1);
    assert.match(e.message, /may have reached the workspace, so it was not re-sent/);
    assert.equal(hits(emu, 'POST', path), 1);
    assert.equal(emu.state.tokens.size, before + 1, 'the server did create the token');
  });
  it('a POST reset before the server answered is not re-sent either (the client cannot know)', async () => {
    emu.faults.add({ method: 'POST', path: `${SCIM}/ServicePrincipals`, reset: true, times: 1 });
    const e = await rejection(ws.createServicePrincipal({ displayName: 'X', entitlements: [] }));
    assert.ok(e instanceof NetworkError);
    assert.equal(hits(emu, 'POST', `${SCIM}/ServicePrincipals`), 1);
  });
  it('an idempotent POST (overwrite import) is re-sent after a reset', async () => {
    emu.faults.add({ method: 'POST', path: '/api/2.0/workspace/import', after: true, reset: true, times: 1 });
    await ws.writeWorkspaceFile('/Shared/x/y.json', '{"a":1}', { overwrite: true });
    assert.equal(hits(emu, 'POST', '/api/2.0/workspace/import'), 2);
    assert.equal(await ws.readWorkspaceFile('/Shared/x/y.json'), '{"a":1}');
  });
  it('a DELETE whose first attempt was reset after acting treats the retry’s 404 as done', async () => {
    const sp = await ws.createServicePrincipal({ displayName: 'TO_DELETE', entitlements: [] });
    emu.faults.add({ method: 'DELETE', path: `${SCIM}/ServicePrincipals/${sp.id}`, after: true, reset: true, times: 1 });
    await ws.deleteServicePrincipal(sp.id);
    assert.equal(hits(emu, 'DELETE', `${SCIM}/ServicePrincipals/${sp.id}`), 2);
    assert.ok(!emu.state.servicePrincipals.has(sp.id));
  });
  it('connection refused is retried even for POST, then reported with guidance', async () => {
    const srv = await tinyServer(() => undefined);
    const url = srv.url;
    await srv.close();
    const { client, log: l } = clientFor({ url, adminToken: 'dapi-x-123456' }, { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 } });
    try {
      const e = await rejection(client.createServicePrincipal({ displayName: 'X', entitlements: [] }));
      assert.ok(e instanceof NetworkError, String(e));
      assert.equal(e.code, 'ECONNREFUSED');
      assert.equal(e.attempts, 3);
      assert.match(e.message, /connection was refused: check the workspace URL/);
      assert.equal(l.length, 3);
    } finally {
      await client.close();
    }
  });
});

describe('cancellation and timeouts', () => {
  it('an AbortSignal aborts an in-flight request', async () => {
    emu.faults.add({ path: ME, delayMs: 1_500, times: 1 });
    const ac = new AbortController();
    const p = ws.me({ signal: ac.signal });
    while (hits(emu, 'GET', ME) === 0) await new Promise((r) => setTimeout(r, 2));
    ac.abort();
    const e = await rejection(p);
    assert.ok(e instanceof CancelledError, String(e));
    assert.equal(e.name, 'AbortError');
    assert.match(e.message, /was cancelled/);
  });
  it('an AbortSignal interrupts a retry wait', async () => {
    emu.faults.add({ path: ME, status: 429, headers: { 'Retry-After': '30' } });
    const ac = new AbortController();
    const p = ws.me({ signal: ac.signal });
    while (!log.some((l) => l.includes('retrying in 30000 ms'))) await new Promise((r) => setTimeout(r, 2));
    ac.abort();
    assert.ok((await rejection(p)) instanceof CancelledError);
    assert.equal(hits(emu, 'GET', ME), 1);
  });
  it('an already-aborted signal sends nothing', async () => {
    const ac = new AbortController();
    ac.abort();
    assert.ok((await rejection(ws.listWarehouses({ signal: ac.signal }))) instanceof CancelledError);
    assert.equal(emu.requests.length, 0);
  });
  it('the per-request timeout: GET retried then RequestTimeoutError; POST not retried', async () => {
    emu.faults.add({ path: ME, delayMs: 300 });
    const e = await rejection(ws.me({ timeoutMs: 40 }));
    assert.ok(e instanceof RequestTimeoutError, String(e));
    assert.equal(e.attempts, 4);
    assert.match(e.message, /got no answer within 0 s \(after 4 attempts\)/);
    assert.equal(hits(emu, 'GET', ME), 4);
    emu.faults.clear();
    emu.faults.add({ method: 'POST', path: '/api/2.0/sql/warehouses', delayMs: 300 });
    const p = await rejection(ws.createWarehouse({ name: 'slow', cluster_size: 'Small' }, { timeoutMs: 40 }));
    assert.ok(p instanceof RequestTimeoutError);
    assert.equal(p.attempts, 1);
    assert.equal(hits(emu, 'POST', '/api/2.0/sql/warehouses'), 1);
  });
  it("requestTimeoutMs: a request's own timeout by method and path; the others keep the default, a call's timeoutMs wins", async () => {
    const asked: string[] = [];
    const { client } = clientFor(emu, {
      retry: { maxAttempts: 1 },
      requestTimeoutMs: (method, path) => (asked.push(`${method} ${path}`), method === 'POST' ? 40 : undefined),
    });
    try {
      emu.faults.add({ path: '/api/2.0/sql/warehouses', delayMs: 300 });
      const p = await rejection(client.createWarehouse({ name: 'slow', cluster_size: 'Small' }));
      assert.ok(p instanceof RequestTimeoutError, String(p));
      assert.equal((await client.listWarehouses()).length > 0, true, 'the GET, held as long, kept the default timeout');
      assert.ok((await client.createWarehouse({ name: 'patient', cluster_size: 'Small' }, { timeoutMs: 5000 })).id);
      assert.deepEqual(asked, ['POST /api/2.0/sql/warehouses', 'GET /api/2.0/sql/warehouses'], 'not asked when the call has a timeout');
    } finally {
      await client.close();
    }
  });
});

describe('reusable transport', () => {
  it('requestJson: any URL, arbitrary headers, form bodies, retries', async () => {
    let n = 0;
    const srv = await tinyServer((req, res, body) => {
      n++;
      if (n === 1) {
        res.writeHead(503, { 'retry-after': '0' });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ got: req.headers['x-custom'], body, ua: req.headers['user-agent'] }));
    });
    try {
      const r = await requestJson(
        { method: 'POST', url: `${srv.url}/anything?x=1`, headers: { 'X-Custom': 'yes' }, form: { a: 'b' }, schema: z.object({ got: z.string(), body: z.string(), ua: z.string() }) },
        { userAgent: 'test/1', env: {}, retry: { baseDelayMs: 1 } },
      );
      assert.deepEqual(r, { got: 'yes', body: 'a=b', ua: 'test/1' });
      assert.equal(srv.requests.length, 2);
      const t = createHttpTransport({ userAgent: 'test/1', env: {} });
      await t.close();
      await assert.rejects(t.send({ method: 'GET', url: srv.url }), /after close/);
    } finally {
      await srv.close();
    }
  });
});
