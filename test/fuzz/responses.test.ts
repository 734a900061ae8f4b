/**
 * Fuzzing what servers answer, through the real clients over HTTP on 127.0.0.1 (issue 11, standing
 * guarantees): the workspace client against random JSON (some of it a mutated real shape), HTML
 * pages, truncated and cut-off bodies, huge bodies, any status and headers; the Partner Connect
 * client against random partner answers. Every call resolves, or rejects with the client's typed
 * errors (DatabricksClientError and its subclasses; the partner client: a typed outcome, never a
 * throw), and no error text or outcome holds a credential: the client's own token, the partner
 * password and token it sent, or a credential-shaped value the server put anywhere.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { createWorkspaceClient, DatabricksClientError, type WorkspaceClient } from '../../src/client';
import { createPartnerApiClient, type PartnerApiClient } from '../../src/client/partner/partnerApiClient';
import type { PartnerConfig } from '../../src/client/partner/partnerConfig';
import { withCleanup } from '../fixtures/cleanup';
import { fakeOAuthSecret, fakePassword, fakePat } from '../fixtures/secrets';
import { newConnectRequest } from '../partner-sim-tests/helpers';
import { assertNoSecret, checkAsync, messageOf, runs, shapedSecretArb, shapelessSecretArb } from './fuzz';

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** send only this many bytes of the body (Content-Length says all of them), then drop the connection */
  cutAt?: number;
  /** repeat the body this many times (a huge answer without building it in the test) */
  repeat?: number;
  reset?: boolean;
}

/** A server that answers every request with the current answer (after 40 requests, or 1 for a huge one: `{}`, so paging ends). */
async function scriptedServer(): Promise<{ url: string; set(a: Answer): void; close(): Promise<void> }> {
  let answer: Answer = { status: 200, headers: {}, body: '{}' };
  let served = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      // a huge answer is served once (a paging call would otherwise read it 40 times: 160 MB per run)
      const a = served++ < (answer.repeat ? 1 : 40) ? answer : { status: 200, headers: { 'content-type': 'application/json' }, body: '{}' };
      if (a.reset) return req.socket.destroy();
      const body = Buffer.from(a.body, 'utf8');
      const repeat = a.repeat ?? 1;
      try {
        res.writeHead(a.status, { ...a.headers, 'content-length': String(body.length * repeat) });
      } catch {
        res.writeHead(a.status, { 'content-length': String(body.length * repeat) }); // a header value node refuses
      }
      if (a.cutAt !== undefined) {
        res.write(body.subarray(0, Math.min(a.cutAt, body.length)), () => req.socket.destroy());
        return;
      }
      let left = repeat;
      const pump = (): void => {
        while (left > 0) {
          left--;
          if (!res.write(body)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    set: (a) => {
      answer = a;
      served = 0;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

// ------------------------------------------------------------------ answers
const SECRET_KEYS = ['token_value', 'access_token', 'client_secret', 'secret', 'password', 'personal_access_token', 'Authorization', 'refresh_token'];
/** A credential placed where a server might echo it: a value of a secret-named key, or (for recognisable shapes and the client's own token) anywhere. */
const planted = (value: unknown, key: string, secret: string): unknown =>
  value && typeof value === 'object' && !Array.isArray(value) ? { ...(value as object), [key]: secret } : { value, [key]: secret };

const SHAPES: unknown[] = [
  { id: '123', userName: 'ava@acme.example', groups: [{ display: 'admins', value: '1' }], emails: [{ value: 'ava@acme.example' }] },
  { totalResults: 3, itemsPerPage: 1, startIndex: 1, Resources: [{ id: '1', applicationId: 'a-b', displayName: 'X_USER', active: true }] },
  { token_infos: [{ token_id: 't1', comment: 'c', creation_time: 1, expiry_time: -1, owner_id: 9007199254740992 }] },
  { warehouses: [{ id: 'w', name: 'W', state: 'RUNNING', cluster_size: 'Small' }], next_page_token: 'p' },
  { content: Buffer.from('{"schemaVersion":1}').toString('base64'), file_type: 'json' },
  { maxTokenLifetimeDays: '90' },
  { token_value: 'dapi-will-be-replaced', token_info: { token_id: 'n', comment: 'c', creation_time: 1, expiry_time: 2 } },
  { id: 's', secret: 'dose-will-be-replaced', status: 'ACTIVE', create_time: '2024-01-01T00:00:00Z' },
  { statement_id: 's1', status: { state: 'SUCCEEDED' }, result: { data_array: [['1']] } },
  { statement_id: 's1', status: { state: 'FAILED', error: { error_code: 'PERMISSION_DENIED', message: 'no' } } },
  { error_code: 'INVALID_PARAMETER_VALUE', message: 'Invalid token' },
  { detail: 'x', status: '400', schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'] },
];

function answerArb(own: string): fc.Arbitrary<{ answer: Answer; secrets: string[] }> {
  return fc.tuple(shapedSecretArb, shapelessSecretArb).chain(([shaped, hidden]) => {
    const secrets = [own, shaped, hidden];
    const anyKey = fc.oneof(fc.constantFrom(...SECRET_KEYS), fc.string({ maxLength: 8 }));
    const json = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.constantFrom(...SHAPES),
      fc.constantFrom(...SHAPES).chain((s) => fc.tuple(fc.constant(s), fc.nat(), fc.anything({ maxDepth: 1 })).map(([v, i, x]) => {
        const keys = Object.keys(v as object);
        return { ...(v as object), [keys[i % keys.length]]: x };
      })),
    );
    const withSecret = fc.oneof(
      // the client's own token or a recognisable credential anywhere
      fc.tuple(json, anyKey, fc.constantFrom(own, shaped)).map(([v, k, s]) => planted(v, k, s)),
      // any credential under a secret-named key
      fc.tuple(json, fc.constantFrom(...SECRET_KEYS), fc.constantFrom(own, shaped, hidden)).map(([v, k, s]) => planted(v, k, s)),
      fc.constantFrom(own, shaped).map((s) => ({ error_code: 'INVALID_TOKEN', message: `Invalid access token ${s}` })),
      fc.constantFrom(own, shaped).map((s) => ({ error_code: s, message: `Bearer ${s}` })),
      fc.constantFrom(own, shaped).map((s) => ({ detail: `Authorization: Bearer ${s}`, status: '401' })),
      json,
    );
    const text = fc.oneof(
      withSecret.map((v) => JSON.stringify(v)),
      fc.tuple(withSecret, fc.nat(400)).map(([v, cut]) => JSON.stringify(v).slice(0, cut)), // a truncated body, sent as if whole
      fc.constantFrom(
        `<!doctype html><html><head><title>Sign in</title></head><body><form action="/login?token=${own}"><input name="password" value="${shaped}"><p>password: ${hidden}</p></form></body></html>`,
        `<html>${own}</html>`,
        `Authorization: Bearer ${own}`,
        `token=${hidden}&user=x`,
        '',
        ' ',
        'null',
        '[]',
        '\u0000\u0001\u0002',
      ),
      fc.string({ maxLength: 100 }),
    );
    const status = fc.oneof(fc.constantFrom(200, 201, 204, 301, 302, 400, 401, 403, 404, 409, 429, 500, 502, 503, 504), fc.integer({ min: 100, max: 599 }).filter((s) => s !== 101 && s >= 200));
    const headers = fc.record(
      {
        'content-type': fc.constantFrom('application/json', 'text/html; charset=utf-8', 'text/plain', 'application/octet-stream', ''),
        'retry-after': fc.constantFrom('0', '999999', 'Wed, 21 Oct 2099 07:28:00 GMT', 'soon', '-5'),
        location: fc.constantFrom(`https://login.example/?token=${own}`, `https://u:${hidden}@evil.example/`, '/login', 'javascript:alert(1)'),
        'x-request-id': fc.constantFrom('req-1', own, shaped),
        'x-databricks-org-id': fc.constantFrom('123', '9007199254740993', '0', 'abc', own),
      },
      { requiredKeys: [] },
    );
    const plain = fc.record({ status, headers, body: text });
    return fc
      .oneof(
        { weight: 16, arbitrary: plain },
        { weight: 1, arbitrary: plain.chain((a) => fc.nat(a.body.length).map((cutAt) => ({ ...a, status: 200, cutAt }))) }, // the connection drops mid-body
        { weight: 1, arbitrary: fc.constant<Answer>({ status: 200, headers: {}, body: '', reset: true }) },
        // huge: 1-4 MB of JSON-looking, HTML or garbage text
        {
          weight: 1,
          arbitrary: fc.tuple(fc.constantFrom('{"Resources":[', '<html>', 'x', `{"message":"${own}`), fc.integer({ min: 1, max: 4 })).map(([chunk, mb]) => ({
            status: 200,
            headers: { 'content-type': chunk.startsWith('<') ? 'text/html' : 'application/json' },
            body: chunk.padEnd(64 * 1024, chunk.startsWith('{') ? ' ' : chunk),
            repeat: mb * 16,
          })),
        },
      )
      .map((answer) => ({ answer, secrets }));
  });
}

// ------------------------------------------------------------------ the workspace client
const CALLS: [string, (c: WorkspaceClient) => Promise<unknown>][] = [
  ['me', (c) => c.me()],
  ['identify', (c) => c.identify()],
  ['listServicePrincipals', (c) => c.listServicePrincipals({ filter: 'displayName eq "X_USER"' })],
  ['listTokens', (c) => c.listTokens()],
  ['listWarehouses', (c) => c.listWarehouses()],
  ['listCatalogs', (c) => c.listCatalogs()],
  ['readWorkspaceFile', (c) => c.readWorkspaceFile('/.partner-connect/x.json')],
  ['getWorkspaceConf', (c) => c.getWorkspaceConf(['maxTokenLifetimeDays'])],
  ['createOboToken', (c) => c.createOboToken({ applicationId: 'a-b', comment: 'c', lifetimeSeconds: 3600 })],
  ['createServicePrincipalSecret', (c) => c.createServicePrincipalSecret('1', { lifetimeSeconds: 3600 })],
  ['executeStatement', (c) => c.executeStatement({ warehouseId: 'w', statement: 'SELECT 1' })],
  ['deleteToken', (c) => c.deleteToken('t1')],
  ['getGrants', (c) => c.getGrants('catalog', 'main')],
];

test('fuzz workspace responses: every call resolves or fails with a typed client error, and no error holds a credential', async (t) => {
  await withCleanup(async (started) => {
    const server = started.add(await scriptedServer(), (s) => s.close());
    const token = fakePat();
    const client = started.add(
      createWorkspaceClient({
        host: server.url,
        auth: { type: 'pat', token },
        env: {},
        timeoutMs: 3000,
        retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, maxTotalMs: 3000 },
        statementPoll: { initialDelayMs: 1, maxDelayMs: 2 },
      }),
      (c) => c.close(),
    );
    await checkAsync(
      t,
      fc.asyncProperty(answerArb(token), fc.nat(CALLS.length - 1), async ({ answer, secrets }, i) => {
        server.set(answer);
        const [name, call] = CALLS[i];
        try {
          await call(client);
        } catch (e) {
          assert.ok(e instanceof DatabricksClientError, `${name}: not a typed client error: ${messageOf(e).slice(0, 300)}`);
          // the one known token is never shown even in part; other credentials never whole
          assertNoSecret(e.message, [token], `${name}: the error`, { fragments: 12 });
          assertNoSecret(e.message, secrets, `${name}: the error`);
          for (const field of ['serverMessage', 'snippet', 'errorCode', 'requestId'] as const) {
            const v = (e as unknown as Record<string, unknown>)[field];
            if (typeof v === 'string') assertNoSecret(v, secrets, `${name}: error.${field}`);
          }
        }
      }),
      runs(80),
    );
  });
});

// ------------------------------------------------------------------ the Partner Connect client
test('fuzz partner responses: every call ends in a typed outcome, and no outcome holds the token, OAuth secret or password', async (t) => {
  await withCleanup(async (started) => {
    const server = started.add(await scriptedServer(), (s) => s.close());
    const password = fakePassword();
    const config = {
      name: 'Fuzz Partner',
      base_url: server.url,
      hostnames: ['127.0.0.1'],
      endpoints: { connect_path: '/connect', delete_connection_path: '/delete-connection', test_connection_path: '/test-connection', get_connectors_path: '/connectors' },
      sign_up_page: `${server.url}/signup`,
    } as unknown as PartnerConfig;
    const partner: PartnerApiClient = started.add(
      createPartnerApiClient({ config, credentials: { username: 'databricks', password }, retryDelaysMs: [1, 1], timeoutMs: 3000, env: {} }),
      (c) => c.close(),
    );
    const pat = fakePat();
    const oauthSecret = fakeOAuthSecret();
    const m2m = newConnectRequest(pat, { service_principal_oauth_secret: oauthSecret });
    m2m.user_info = { ...m2m.user_info, auth: { personal_access_token: null } };
    const calls: [string, () => Promise<unknown>][] = [
      ['connect (PAT)', () => partner.connect(newConnectRequest(pat))],
      ['connect (OAuth secret)', () => partner.connect(m2m)],
      ['deleteConnection', () => partner.deleteConnection({ connection_id: 'c1', cloud_provider: 'aws', databricks_organization_id: 2 })],
      ['testConnection', () => partner.testConnection({ connection_id: 'c1' })],
      ['getConnectors', () => partner.getConnectors()],
    ];
    await checkAsync(
      t,
      fc.asyncProperty(answerArb(pat), fc.constantFrom(pat, oauthSecret, password), fc.nat(calls.length - 1), async ({ answer, secrets }, echoed, i) => {
        // the partner echoes one of the credentials it was sent
        server.set({ ...answer, body: answer.body.split(pat).join(echoed) });
        const [name, call] = calls[i];
        let outcome: unknown;
        try {
          outcome = await call();
        } catch (e) {
          assert.fail(`${name} threw instead of returning an outcome: ${messageOf(e).slice(0, 300)}`);
        }
        assert.ok(outcome && typeof outcome === 'object' && typeof (outcome as { kind?: unknown }).kind === 'string', `${name}: ${JSON.stringify(outcome)?.slice(0, 200)}`);
        const text = JSON.stringify(outcome);
        // the token and password it sent never come back, even in part; what the partner says is shown only scrubbed
        assertNoSecret(text, [pat, oauthSecret, password], `${name}: the outcome`, { fragments: 12 });
        void secrets; // the partner's own values are its business: only what we sent must not come back
      }),
      runs(80),
    );
  });
});
