/**
 * The Partner Connect protocol's retry rule, expressed in the shared transport: Databricks retries a
 * partner's connect only on HTTP 500 (after 1 s, 2 s, 4 s — shortened here) and never re-sends one
 * that may have reached the partner (reset, timeout); the other calls also retry 502/503/504.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPartnerApiClient } from '../../src/client/partner/partnerApiClient';
import { withCleanup } from '../fixtures/cleanup';
import { fakePat, newConnectRequest } from './helpers';

const FAST = [2, 2, 2];

/** Answers requests from a script: a status code, or 'reset' (destroy the socket after reading the request). */
async function scripted(script: Array<number | 'reset'>): Promise<{ url: string; hits: () => number; close(): Promise<void> }> {
  let n = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const step = script[Math.min(n, script.length - 1)];
      n++;
      if (step === 'reset') {
        req.socket.destroy();
        return;
      }
      res.writeHead(step, { 'content-type': 'application/json' });
      res.end(
        step === 200
          ? JSON.stringify({ resource_status: 'resources_deleted', test_results: [{ test_name: 't', status: 'PASS' }], connectors: [] })
          : JSON.stringify({ error_reason: 'general_error', display_message: `status ${step}` }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits: () => n,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

const config = (url: string) => ({
  name: 'Policy',
  base_url: url,
  endpoints: { connect_path: '/connect', delete_connection_path: '/delete', test_connection_path: '/test', get_connectors_path: '/connectors' },
  hostnames: ['127.0.0.1'],
});

test('connect: 502 and 503 are not retried (Databricks retries a connect only on 500)', async () => {
  for (const status of [502, 503, 504]) {
    await withCleanup(async (started) => {
      const srv = await scripted([status, 200]);
      started.defer(() => srv.close());
      const c = createPartnerApiClient({ config: config(srv.url), credentials: undefined, retryDelaysMs: FAST, env: {} });
      started.defer(() => c.close());
      const out = await c.connect(newConnectRequest(fakePat()));
      assert.ok(out.kind === 'failed' && out.reason === 'server_error' && out.status === status && out.attempts === 1, JSON.stringify(out));
      assert.equal(srv.hits(), 1);
    });
  }
});

test('connect: a reset after the request arrived is never re-sent and is reported as interrupted', async () => {
  await withCleanup(async (started) => {
    const srv = await scripted(['reset', 200]);
    started.defer(() => srv.close());
    const logs: string[] = [];
    const c = createPartnerApiClient({ config: config(srv.url), credentials: undefined, retryDelaysMs: FAST, env: {}, logger: (l) => logs.push(l) });
    started.defer(() => c.close());
    const out = await c.connect(newConnectRequest(fakePat()));
    assert.ok(out.kind === 'failed' && out.reason === 'interrupted' && out.attempts === 1, JSON.stringify(out));
    assert.equal(srv.hits(), 1, 'the partner saw the connect once');
    assert.ok(!logs.some((l) => /retrying/.test(l)), logs.join('\n'));
  });
});

test('connect: 500 three times then success takes four attempts with the fixed waits', async () => {
  await withCleanup(async (started) => {
    const srv = await scripted([500, 500, 500, 200]);
    started.defer(() => srv.close());
    const logs: string[] = [];
    const c = createPartnerApiClient({ config: config(srv.url), credentials: undefined, retryDelaysMs: [3, 4, 5], env: {}, logger: (l) => logs.push(l) });
    started.defer(() => c.close());
    const out = await c.connect(newConnectRequest(fakePat()));
    // The body of 200 is not a ConnectResponse here: what matters is that the fourth attempt got it.
    assert.ok(out.kind === 'failed' && out.reason === 'invalid_response' && out.attempts === 4, JSON.stringify(out));
    assert.deepEqual(
      logs.filter((l) => /retrying in/.test(l)).map((l) => /retrying in (\d+) ms/.exec(l)?.[1]),
      ['3', '4', '5'],
    );
  });
});

test('delete-connection, test-connection and connectors retry 502/503/504 too, but never re-send after a reset', async () => {
  await withCleanup(async (started) => {
    const srv = await scripted([503, 502, 200]);
    started.defer(() => srv.close());
    const c = createPartnerApiClient({ config: config(srv.url), credentials: undefined, retryDelaysMs: FAST, env: {} });
    started.defer(() => c.close());
    const del = await c.deleteConnection({ connection_id: 'c-1', cloud_provider: 'aws', databricks_organization_id: 1 });
    assert.ok(del.kind === 'deleted' && del.attempts === 3, JSON.stringify(del));
  });
  await withCleanup(async (started) => {
    const srv = await scripted(['reset', 200]);
    started.defer(() => srv.close());
    const c = createPartnerApiClient({ config: config(srv.url), credentials: undefined, retryDelaysMs: FAST, env: {} });
    started.defer(() => c.close());
    const t = await c.testConnection({ connection_id: 'c-1' });
    assert.ok(t.kind === 'failed' && t.reason === 'network' && t.attempts === 1, JSON.stringify(t));
    assert.equal(srv.hits(), 1);
  });
});
