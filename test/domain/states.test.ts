/**
 * State detection over real HTTP: every state (not connected, connected, connected outside,
 * check mark only, degraded with each reason) and the wave bound with 10 000 service principals.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, detectConnectionStates, loadBuiltinCatalog, reasonsOf, serializeRecord, type ConnectChoices } from '../../src/domain';
import { startEnv, statusIn } from './helpers';
import { STARTER_WAREHOUSE } from '../fixtures/seed';

const catalog = loadBuiltinCatalog();
const read = (schema = 'marketing'): ConnectChoices => ({ catalog: 'analytics', schemas: [schema], warehouse: { kind: 'existing', id: STARTER_WAREHOUSE } });
const noop = { deliverSecretOnce: (): void => undefined };

const st = statusIn;

test('every state is detected, with the exact degraded reasons', async () => {
  const env = await startEnv();
  const { ctx, emu } = env;
  const s = emu.state;
  try {
    // the demo seed's DBT_CLOUD_USER and HEX_USER have no record: connected outside this extension
    let snap = await detectConnectionStates(env.client, catalog);
    assert.equal(st(snap, 'dbt-cloud').state, 'connected-outside');
    assert.equal(st(snap, 'hex').state, 'connected-outside');
    assert.equal(st(snap, 'hex').tokens.length, 1);
    assert.equal(st(snap, 'hightouch').state, 'not-connected');
    assert.equal(snap.identity.isWorkspaceAdmin, true);
    assert.equal(snap.identity.isMetastoreAdmin, false);
    assert.equal(snap.metastore?.defaultCatalog, 'acme_prod');

    // connected
    await connect(ctx, catalog.require('hightouch'), read(), noop);
    await connect(ctx, catalog.require('power-bi'), { warehouse: { kind: 'existing', id: STARTER_WAREHOUSE } });
    // check mark only: the service principal was deleted by hand (the seed's manual disconnect)
    const lb = await connect(ctx, catalog.require('labelbox'), {}, noop);
    await env.client.deleteServicePrincipal(lb.record.servicePrincipal?.id ?? '');
    // token revoked
    const census = await connect(ctx, catalog.require('census'), read(), noop);
    await env.client.deleteToken(census.record.tokenId ?? '');
    // token missing: a record without a token id and a principal without tokens
    const sigma = await connect(ctx, catalog.require('sigma'), read(), noop);
    await env.client.deleteToken(sigma.record.tokenId ?? '');
    await env.client.writeWorkspaceFile('/.partner-connect/sigma.json', serializeRecord({ ...sigma.record, tokenId: null, credential: null }), { overwrite: true });
    // compute gone
    const dataiku = await connect(ctx, catalog.require('dataiku'), { catalog: 'analytics', schemas: ['marketing'], warehouse: { kind: 'create', name: 'DATAIKU_ENDPOINT' } }, noop);
    await env.client.deleteWarehouse(dataiku.record.compute?.id ?? '');
    // service principal inactive
    const lightup = await connect(ctx, catalog.require('lightup'), read(), noop);
    await env.client.patchServicePrincipal(lightup.record.servicePrincipal?.id ?? '', [{ op: 'replace', path: 'active', value: false }]);
    // grants differ: one missing (SELECT revoked), one extra (MODIFY added)
    const anomalo = await connect(ctx, catalog.require('anomalo'), read(), noop);
    const app = anomalo.record.servicePrincipal?.applicationId ?? '';
    await env.client.updateGrants('schema', 'analytics.marketing', [{ principal: app, remove: ['SELECT'], add: ['MODIFY'] }]);
    // an interrupted connect
    await env.client.writeWorkspaceFile(
      '/.partner-connect/stardog.json',
      serializeRecord({ ...anomalo.record, partner: 'stardog', state: 'connecting', servicePrincipal: null, tokenId: null }),
      { overwrite: false },
    );
    // a record that is not one
    await env.client.writeWorkspaceFile('/.partner-connect/qlik-sense.json', '{"not": "a record"}', { overwrite: false });
    // outside: a principal made by Databricks' Partner Connect page
    s.addServicePrincipal({ displayName: 'MONTE_CARLO_USER', entitlements: ['databricks-sql-access'] });

    snap = await detectConnectionStates(env.client, catalog);
    const states = Object.fromEntries(snap.partners.map((p) => [p.partnerId, [p.state, ...reasonsOf(p).map((r) => r.code)].join(':')]));
    assert.deepEqual(
      {
        hightouch: states.hightouch,
        'power-bi': states['power-bi'],
        labelbox: states.labelbox,
        census: states.census,
        sigma: states.sigma,
        dataiku: states.dataiku,
        lightup: states.lightup,
        anomalo: states.anomalo,
        stardog: states.stardog,
        'qlik-sense': states['qlik-sense'],
        'monte-carlo': states['monte-carlo'],
        'dbt-cloud': states['dbt-cloud'],
        fivetran: states.fivetran,
      },
      {
        hightouch: 'connected',
        'power-bi': 'connected',
        labelbox: 'check-mark-only',
        census: 'degraded:token-revoked',
        sigma: 'degraded:token-missing',
        dataiku: 'degraded:compute-gone',
        lightup: 'degraded:sp-inactive',
        anomalo: 'degraded:grants-differ',
        stardog: 'degraded:connect-incomplete',
        'qlik-sense': 'degraded:record-invalid',
        'monte-carlo': 'connected-outside',
        'dbt-cloud': 'connected-outside',
        fivetran: 'not-connected',
      },
    );
    assert.deepEqual(st(snap, 'anomalo').grants.differences, [
      { kind: 'uc', change: 'missing', securable: 'schema:analytics.marketing', privilege: 'SELECT' },
      { kind: 'uc', change: 'extra', securable: 'schema:analytics.marketing', privilege: 'MODIFY' },
    ]);
    assert.match(reasonsOf(st(snap, 'anomalo'))[0].message, /missing: SELECT on schema analytics\.marketing/);
    // each status carries the resources behind it
    const h = st(snap, 'hightouch');
    assert.equal(h.servicePrincipal?.displayName, 'HIGHTOUCH_USER');
    assert.equal(h.tokens.length, 1);
    assert.ok(Date.parse(h.tokens[0].expiry) - Date.now() > 729 * 86_400_000, 'a new token expires (730 days)');
    assert.equal(h.tokens[0].createdBy, 'ava.admin@acme.example');
    assert.equal(h.compute?.id, STARTER_WAREHOUSE);
    assert.equal(h.compute?.createdForPartner, false);
    assert.equal(h.catalog, 'analytics');
    assert.deepEqual(h.schemas, ['marketing']);
    assert.equal(h.grants.checked, true);
    assert.ok(h.grants.held.includes('USE SCHEMA, SELECT on schema analytics.marketing') || h.grants.held.includes('SELECT, USE SCHEMA on schema analytics.marketing'), h.grants.held.join(' | '));
    assert.equal(h.record?.connectedBy, 'ava.admin@acme.example');
    assert.equal(st(snap, 'labelbox').record?.servicePrincipal?.displayName, 'LABELBOX_USER');
    assert.ok(snap.stats.waves <= 2);
  } finally {
    await env.close();
  }
});

test('state detection stays within two waves and a bounded number of requests with 10 000 service principals', async () => {
  const env = await startEnv();
  const { emu } = env;
  try {
    await connect(env.ctx, catalog.require('hightouch'), read(), { deliverSecretOnce: () => undefined });
    await connect(env.ctx, catalog.require('dataiku'), { catalog: 'analytics', schemas: ['marketing', 'finance'], warehouse: { kind: 'create', name: 'DATAIKU_ENDPOINT' } }, { deliverSecretOnce: () => undefined });

    emu.clearRequests();
    const small = await detectConnectionStates(env.client, catalog);
    const smallRequests = emu.requests.length;

    for (let i = 0; i < 10_000; i++) emu.state.addServicePrincipal({ displayName: `svc-${String(i).padStart(5, '0')}`, entitlements: ['workspace-access'] });
    // and every principal has a token, as busy workspaces do
    const admin = emu.state.findUser('ava.admin@acme.example');
    assert.ok(admin);
    let n = 0;
    for (const sp of emu.state.servicePrincipals.values()) if (n++ < 2_000) emu.state.issueToken({ owner: sp, createdBy: admin, comment: 'automation' });

    emu.clearRequests();
    const big = await detectConnectionStates(env.client, catalog);
    const bigRequests = emu.requests.length;

    assert.equal(big.stats.waves, 2, `waves: ${JSON.stringify(big.stats)}`);
    assert.equal(bigRequests, smallRequests, 'the number of requests does not grow with the number of principals or tokens');
    assert.equal(bigRequests, big.stats.requests, 'one HTTP request per counted call (nothing paged)');
    // + 2 for the record folder's trust: get-status (instead of the folder listing), its permissions, and the legacy
    // folder listing; the creator's admin check reuses SCIM Me (no Users lookup)
    assert.ok(bigRequests <= catalog.partners.length + 22, `bounded: ${bigRequests} requests for ${catalog.partners.length} partners`);
    assert.equal(emu.requests.filter((r) => r.path.endsWith('/Users') || r.path === '/api/2.0/workspace/list' && r.query.path === '/.partner-connect').length, 0, 'a Users lookup or a record folder listing');
    assert.equal(emu.requests.filter((r) => r.path.endsWith('/scim/v2/Me')).length, 1, 'SCIM Me once');
    const scim = emu.requests.filter((r) => r.path.endsWith('/ServicePrincipals'));
    assert.equal(scim.length, 1, 'one SCIM list request: the 30 partners\' principals in one filter (59 nodes, under the 200-node cap)');
    for (const r of scim) {
      assert.match(r.query.filter ?? '', /^displayName eq "[A-Z0-9_]+_USER"( or displayName eq "[A-Z0-9_]+_USER")*$/, 'server-side filter on partner names only');
      assert.ok((r.query.filter ?? '').length <= 4000);
    }
    assert.equal(emu.requests.filter((r) => r.path === '/api/2.0/token-management/tokens').length, 1, 'one token listing');
    // wave order: every wave-2 request (grants) arrived after the last wave-1 answer
    const wave2 = emu.requests.filter(
      (r) => r.path.startsWith('/api/2.1/unity-catalog/permissions') || r.path.startsWith('/api/2.0/permissions/warehouses') || r.path.endsWith('/credentials/secrets'),
    );
    assert.equal(wave2.length, big.stats.requestsPerWave[1]);
    // partners that share a catalog, schema or warehouse check their principals in one answer
    const grantReads = wave2.filter((r) => !r.path.endsWith('/credentials/secrets')).map((r) => r.path);
    assert.ok(grantReads.filter((p) => p === '/api/2.1/unity-catalog/permissions/catalog/analytics').length === 1, `analytics read once: ${grantReads.join(', ')}`);
    assert.equal(new Set(grantReads).size, grantReads.length, `each grant read once: ${grantReads.join(', ')}`);
    assert.deepEqual(
      big.partners.filter((p) => p.state !== 'not-connected').map((p) => `${p.partnerId}:${p.state}`).sort(),
      small.partners.filter((p) => p.state !== 'not-connected').map((p) => `${p.partnerId}:${p.state}`).sort(),
    );
    assert.equal(big.partners.find((p) => p.partnerId === 'hightouch')?.state, 'connected');
  } finally {
    await env.close();
  }
});
