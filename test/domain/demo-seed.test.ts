/**
 * The demo seed (test/emulator/seeds/demo-partners.json — what `npm run demo` and the e2e journeys
 * run on) shows partners in every state, as the engine detects them over real HTTP:
 * connected, connected outside this extension, check mark only, degraded (with reasons), and
 * leaves dbt Cloud and Hex not connected so the journeys can connect them.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createWorkspaceClient, type WorkspaceClient } from '../../src/client';
import { catalogOptions, detectConnectionStates, loadBuiltinCatalog, preflightConnect, reasonsOf, type PartnerStatus, type WorkspaceSnapshot } from '../../src/domain';
import { DEMO_PARTNERS_SEED_PATH } from '../harness/services';
import { useEmulator } from '../fixtures/emulator';
import { STARTER_WAREHOUSE } from '../fixtures/seed';

describe('demo seed: partners in every state', () => {
  const emu = useEmulator({ seed: DEMO_PARTNERS_SEED_PATH, reset: false });
  let client: WorkspaceClient;
  let snap: WorkspaceSnapshot;
  const catalog = loadBuiltinCatalog();
  const status = (id: string): PartnerStatus => {
    const s = snap.partners.find((p) => p.partnerId === id);
    assert.ok(s, `${id} is in the catalog`);
    return s;
  };

  before(async () => {
    client = createWorkspaceClient({ host: emu.url, auth: { type: 'pat', token: emu.adminToken }, env: {} });
    snap = await detectConnectionStates(client, catalog);
  });
  after(() => client?.close());

  it('signs the demo in as the workspace admin (not metastore admin) who owns only some catalogs', () => {
    assert.equal(snap.identity.userName, 'ava.admin@acme.example');
    assert.equal(snap.identity.isWorkspaceAdmin, true);
    assert.equal(snap.identity.isMetastoreAdmin, false);
    assert.equal(snap.metastore?.defaultCatalog, 'acme_prod');
    assert.deepEqual(snap.limitations, []);
  });

  it('connected: the record, the principal, its non-expiring token, the token ACL, the profile grants and the warehouse', () => {
    for (const [id, warehouse] of [
      ['dataiku', 'DATAIKU_ENDPOINT'],
      ['qlik-sense', 'Starter Warehouse'],
    ] as const) {
      const s = status(id);
      assert.equal(s.state, 'connected', `${id}: ${JSON.stringify(reasonsOf(s))}`);
      assert.deepEqual(reasonsOf(s), []);
      assert.equal(s.servicePrincipal?.displayName, s.partner.servicePrincipalName);
      assert.equal(s.tokens.length, 1);
      assert.equal(s.tokens[0].tokenId, s.record?.tokenId);
      assert.equal(s.tokens[0].expiry, 'never');
      assert.equal(s.compute?.name, warehouse);
      assert.equal(s.compute?.exists, true);
      assert.equal(s.grants.checked, true);
      assert.deepEqual(s.grants.differences, []);
    }
    assert.equal(status('dataiku').compute?.createdForPartner, true);
    assert.equal(status('dataiku').record?.connectionId, 'pc-demo-dataiku-7d2f1c', 'a protocol connection the partner simulator can be told about');
    assert.deepEqual(status('dataiku').schemas, ['marketing', 'default']);
  });

  it('connected outside this extension: a <PARTNER>_USER principal with a token and grants, no record', () => {
    const s = status('monte-carlo');
    assert.equal(s.state, 'connected-outside');
    assert.equal(s.record, null);
    assert.equal(s.servicePrincipal?.displayName, 'MONTE_CARLO_USER');
    assert.equal(s.tokens.length, 1);
    // the seed's own manual-disconnect example: a FIVETRAN_USER, although Fivetran needs no principal
    const f = status('fivetran');
    assert.equal(f.state, 'connected-outside');
    assert.equal(f.servicePrincipal?.displayName, 'FIVETRAN_USER');
    assert.equal(f.partner.needsServicePrincipal, false);
    assert.equal(f.tokens.length, 1);
  });

  it('check mark only: the record is kept, the service principal is gone', () => {
    const s = status('labelbox');
    assert.equal(s.state, 'check-mark-only');
    assert.equal(s.servicePrincipal, null);
    assert.equal(s.record?.servicePrincipal?.displayName, 'LABELBOX_USER');
  });

  it('degraded, with reasons the engine detects: token revoked and warehouse gone; grants that differ', () => {
    const rudder = status('rudderstack');
    assert.equal(rudder.state, 'degraded');
    assert.deepEqual(rudder.reasons.map((r) => r.code).sort(), ['compute-gone', 'token-revoked']);
    const anomalo = status('anomalo');
    assert.equal(anomalo.state, 'degraded');
    assert.deepEqual(anomalo.reasons.map((r) => r.code), ['grants-differ']);
    assert.deepEqual(anomalo.grants.differences, [{ kind: 'uc', change: 'missing', securable: 'schema:analytics.marketing', privilege: 'SELECT' }]);
  });

  it('leaves dbt Cloud and Hex (and every other partner) not connected', () => {
    const seeded = new Set(['dataiku', 'qlik-sense', 'monte-carlo', 'fivetran', 'labelbox', 'rudderstack', 'anomalo']);
    for (const s of snap.partners) {
      if (seeded.has(s.partnerId)) continue;
      assert.equal(s.state, 'not-connected', `${s.partnerId} is ${s.state}`);
    }
    assert.equal(status('dbt-cloud').servicePrincipal, null);
    assert.equal(status('hex').servicePrincipal, null);
  });

  it('journeys 2-4: dbt Cloud and Hex can connect on the admin-owned catalog; a partner without Unity Catalog support cannot (default catalog not owned)', async () => {
    const dbt = catalog.require('dbt-cloud');
    const options = await catalogOptions(client, dbt);
    const analytics = options.find((o) => o.name === 'analytics');
    assert.ok(analytics?.allowed, JSON.stringify(options));
    assert.equal(options.find((o) => o.name === 'sales'), undefined, 'a catalog the admin cannot see is not offered');
    const ok = await preflightConnect(client, dbt, { catalog: 'analytics', isHive: false, schemas: [], warehouse: { kind: 'existing', id: STARTER_WAREHOUSE } });
    assert.equal(ok.ok, true, JSON.stringify(ok));
    const hex = await preflightConnect(client, catalog.require('hex'), { catalog: 'analytics', isHive: false, schemas: ['marketing'], warehouse: { kind: 'existing', id: STARTER_WAREHOUSE } });
    assert.equal(hex.ok, true, JSON.stringify(hex));
    const noUc = catalog.partners.find((p) => !p.supportsUnityCatalog && p.needsServicePrincipal && p.profile === 'read');
    assert.ok(noUc, 'a read partner without Unity Catalog support');
    const denied = await preflightConnect(client, noUc, { catalog: 'acme_prod', isHive: false, schemas: ['default'], warehouse: { kind: 'existing', id: STARTER_WAREHOUSE } });
    assert.equal(denied.ok, false);
    assert.deepEqual(denied.problems.map((p) => p.code), ['default-catalog-not-owned']);
  });
});
