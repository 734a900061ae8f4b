/**
 * Our description of the Partner Connect protocol (test/partner-sim/protocol.ts) against the
 * published OpenAPI file, when that reference material is at hand (test/fixtures/reference.ts;
 * skipped with the reason otherwise): the two differ exactly where DEVIATIONS says, and what our
 * client sends is valid against the published file as well.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPartnerApiClient } from '../../src/client/partner/partnerApiClient';
import { reference } from '../fixtures/reference';
import { startPartnerSim } from '../partner-sim';
import { diffProtocols } from '../partner-sim/compare';
import { loadPublishedProtocol, parsePublishedProtocol } from '../partner-sim/openapi';
import { DEVIATIONS, PARTNER_CONNECT_PROTOCOL } from '../partner-sim/protocol';
import { fakePat, newConnectRequest, WORKSPACE_ID } from './helpers';

const spec = reference('partner-connect-api/partner-connect-2.0.yaml');
const published = () => loadPublishedProtocol(spec.path);

test('our protocol description differs from the published OpenAPI file exactly where DEVIATIONS says', { skip: spec.skip }, () => {
  const diffs = diffProtocols(PARTNER_CONNECT_PROTOCOL, published().protocol);
  const documented = DEVIATIONS.map((d) => d.diff);
  assert.deepEqual(
    diffs.filter((d) => !documented.includes(d)),
    [],
    'differences not documented in protocol.ts DEVIATIONS',
  );
  assert.deepEqual(
    documented.filter((d) => !diffs.includes(d)),
    [],
    'DEVIATIONS entries that no longer occur',
  );
});

test('the published file parses after its one documented YAML syntax repair', { skip: spec.skip }, () => {
  const p = published();
  assert.equal(p.protocol.version, '2.1.1');
  assert.ok(p.syntaxFixes.length > 0 && p.syntaxFixes.length < 10, `re-indented lines ${p.syntaxFixes.join(', ')}`);
  assert.deepEqual(Object.keys(p.protocol.paths).sort(), Object.keys(PARTNER_CONNECT_PROTOCOL.paths).sort());
});

test('the comparison reports each kind of difference', () => {
  const yaml = `openapi: 3.0.0
info: { version: "9.9.9" }
paths:
  /connect:
    post:
      operationId: connect
      parameters: [{ name: User-Agent, in: header, required: true, schema: { type: string, enum: [curl] } }]
      requestBody: { required: true, content: { application/json: { schema: { $ref: '#/components/schemas/ConnectRequest' } } } }
      responses: { '200': { content: { application/json: { schema: { $ref: '#/components/schemas/ConnectRequest' } } } } }
components:
  schemas:
    ConnectRequest: { type: object, required: [port], properties: { port: { type: string }, extra: { type: boolean } } }
`;
  const other = parsePublishedProtocol(yaml).protocol;
  const diffs = diffProtocols(PARTNER_CONNECT_PROTOCOL, other);
  for (const expected of [
    'version ours=2.1.1 published=9.9.9',
    'basic auth only in ours',
    '/test-connection: only in ours',
    'POST /connect: header user-agent enum ours=["databricks"] published=["curl"]',
    'POST /connect: header accept-language only in ours',
    'POST /connect 200: body ours=Connection published=ConnectRequest',
    'POST /connect: status 201 only in ours',
    'ConnectRequest.extra: only in published',
    'ConnectRequest.hostname: only in ours',
    'ConnectRequest.user_info: required only in ours',
    'ConnectRequest.port: type ours=integer published=string',
    'ConnectRequest.port: format ours=int32 published=undefined',
    'schema Auth: only in ours',
  ]) {
    assert.ok(diffs.includes(expected), `${expected} not in:\n${diffs.join('\n')}`);
  }
});

test('what our client sends is valid against the published file too (a simulator checking with it)', { skip: spec.skip }, async () => {
  const sim = await startPartnerSim({ protocol: published().protocol });
  const client = createPartnerApiClient({ config: sim.partnerConfig(), credentials: sim.credentials, retryDelaysMs: [1, 1, 1], env: {} });
  try {
    const out = await client.connect(newConnectRequest(fakePat()));
    assert.equal(out.kind, 'connected', JSON.stringify(sim.requests.map((r) => r.errors)));
    if (out.kind !== 'connected' || !out.response.connection_id) return;
    const id = out.response.connection_id;
    await client.testConnection({ connection_id: id });
    await client.deleteConnection({ connection_id: id, cloud_provider: 'azure', databricks_organization_id: WORKSPACE_ID });
    await client.getConnectors({});
    assert.deepEqual(
      sim.requests.map((r) => [r.path, r.status, r.errors, r.replyErrors]),
      [
        ['/connect', 201, [], []],
        ['/test-connection', 200, [], []],
        ['/delete-connection', 200, [], []],
        ['/connectors', 200, [], []],
      ],
    );
  } finally {
    await client.close();
    await sim.close();
  }
});
