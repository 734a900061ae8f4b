/**
 * Every catalog partner connects and disconnects (reset) — with Unity Catalog and with the legacy
 * Hive metastore — and afterwards holds EXACTLY the grants of its profile, compared with a table
 * transcribed by hand from the seed (not with the engine's own PROFILES), read straight from the
 * emulator's state. After the reset the workspace is exactly as before.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildPlan, connect, describeOperation, disconnect, loadBuiltinCatalog, defaultWarehouseName, type CatalogPartner, type ConnectChoices } from '../../src/domain';
import type { HandoffResult } from '../../src/domain/handoff/types';
import { DEMO_SEED_PATH, seedPath, type Seed } from '../emulator';
import { snapshot, startEnv, type Env } from './helpers';
import { grantsOf, spNamed } from '../fixtures/principals';
import { STARTER_WAREHOUSE } from '../fixtures/seed';

/** The seed's permission table, transcribed (inferred additions marked). */
const SEED_TABLE: Record<string, { entitlements: string[]; token: boolean; warehouse: boolean; uc: { catalog: string[]; schema: string[] }; hive: { catalog: string[]; schema: string[] } }> = {
  write: {
    entitlements: ['allow-cluster-create', 'databricks-sql-access', 'workspace-access'],
    token: true,
    warehouse: true, // inferred: CAN USE on the warehouse chosen / created for it
    uc: { catalog: ['CREATE_SCHEMA', 'USE_CATALOG'], schema: [] },
    hive: { catalog: ['CREATE', 'USAGE'], schema: [] },
  },
  workspace: { entitlements: ['workspace-access'], token: true, warehouse: false, uc: { catalog: [], schema: [] }, hive: { catalog: [], schema: [] } },
  read: {
    entitlements: ['databricks-sql-access'], // inferred: needed to use a SQL warehouse
    token: true,
    warehouse: true,
    uc: { catalog: ['USE_CATALOG'], schema: ['SELECT', 'USE_SCHEMA'] },
    hive: { catalog: [], schema: ['READ_METADATA', 'SELECT', 'USAGE'] },
  },
  dataiku: {
    entitlements: ['allow-cluster-create', 'databricks-sql-access'],
    token: true,
    warehouse: true,
    uc: { catalog: ['CREATE_SCHEMA', 'USE_CATALOG'], schema: ['USE_SCHEMA'] },
    hive: { catalog: ['CREATE', 'USAGE'], schema: ['SELECT', 'USAGE'] },
  },
  'read-many': {
    entitlements: ['databricks-sql-access'],
    token: true,
    warehouse: true,
    uc: { catalog: ['USE_CATALOG'], schema: ['SELECT', 'USE_SCHEMA'] },
    hive: { catalog: ['USAGE'], schema: ['SELECT', 'USAGE'] },
  },
  cluster: { entitlements: ['allow-cluster-create', 'workspace-access'], token: true, warehouse: false, uc: { catalog: [], schema: [] }, hive: { catalog: [], schema: [] } },
};

/** Partners the seed names, by profile — the catalog must agree. */
const SEED_PROFILES: Record<string, string[]> = {
  none: ['Fivetran', 'Power BI', 'Tableau', 'erwin Data Modeler'],
  write: ['dbt Cloud', 'Hevo Data', 'Rudderstack', 'Snowplow'],
  workspace: ['Labelbox'],
  read: ['Anomalo', 'Census', 'Hex', 'Hightouch', 'Lightup', 'Monte Carlo', 'Qlik Sense', 'Sigma', 'Stardog'],
  dataiku: ['Dataiku'],
  'read-many': ['SuperAnnotate'],
};

const catalog = loadBuiltinCatalog();

test('the catalog assigns every seed partner the seed profile', () => {
  for (const [profile, names] of Object.entries(SEED_PROFILES)) {
    for (const n of names) {
      const p = catalog.partners.find((x) => x.displayName === n);
      assert.ok(p, `${n} is in the catalog`);
      assert.equal(p.profile, profile, `${n}'s profile`);
      assert.equal(p.provenance.profile?.basis, 'documented');
    }
  }
});

/** The demo seed with the default catalog switched to one the admin owns, so partners without UC support can connect too. */
function ucSeed(): Seed {
  const s = JSON.parse(readFileSync(DEMO_SEED_PATH, 'utf8')) as Seed & { defaultCatalog: string; defaultNamespaceSetting: string | null };
  s.defaultCatalog = 'analytics';
  s.defaultNamespaceSetting = 'analytics';
  // the demo's pre-existing partner principals would make DBT_CLOUD_USER / HEX_USER "connected outside"
  const drop = new Set(['DBT_CLOUD_USER', 'HEX_USER']);
  const raw = s as unknown as Record<string, unknown[]>;
  raw.servicePrincipals = (raw.servicePrincipals as { displayName: string }[]).filter((p) => !drop.has(p.displayName));
  raw.tokens = [];
  raw.tokenAcl = [];
  for (const w of raw.warehouses as { acl?: { service_principal_name?: string }[] }[]) w.acl = (w.acl ?? []).filter((a) => !a.service_principal_name);
  for (const c of raw.catalogs as { grants?: Record<string, string[]> }[]) for (const k of Object.keys(c.grants ?? {})) if (drop.has(k)) delete c.grants?.[k];
  for (const c of raw.schemas as { grants?: Record<string, string[]> }[]) for (const k of Object.keys(c.grants ?? {})) if (drop.has(k)) delete c.grants?.[k];
  return s;
}

function choicesFor(p: CatalogPartner, mode: 'uc' | 'hive'): ConnectChoices {
  const needsData = ['write', 'read', 'dataiku', 'read-many'].includes(p.profile);
  const catalogName = mode === 'hive' ? 'hive_metastore' : 'analytics';
  const schemas = mode === 'hive' ? (p.schemaSelection === 'many' ? ['marketing', 'finance'] : ['marketing']) : p.schemaSelection === 'many' ? ['marketing', 'finance'] : ['marketing'];
  const existing = mode === 'hive' ? '1a2b3c4d5e6f7a8b' : STARTER_WAREHOUSE;
  const usesWarehouse = p.compute === 'existing-warehouse' || p.compute === 'create-warehouse';
  return {
    catalog: needsData ? catalogName : null,
    schemas: p.schemaSelection === 'none' ? [] : schemas,
    isHive: mode === 'hive',
    warehouse: usesWarehouse ? (p.compute === 'create-warehouse' ? { kind: 'create', name: defaultWarehouseName(p) } : { kind: 'existing', id: existing }) : undefined,
  };
}

/**
 * The plan's hand-off sentence names the details the partner (or you) will get — e.g. Labelbox's
 * must not promise an HTTP path or a catalog it has none of; the result holds exactly those.
 */
function assertDeliversWhatThePlanPromised(p: CatalogPartner, choices: ConnectChoices, handoff: HandoffResult, tokensDelivered: number): void {
  const op = buildPlan(p, choices).find((x) => x.type === 'handoff');
  assert.ok(op && op.type === 'handoff');
  const sentence = describeOperation(op);
  if (handoff.kind === 'protocol') return;
  const d = handoff.details;
  const has: Record<string, boolean> = {
    host: !!d.host,
    httpPath: !!d.httpPath,
    jdbcUrl: !!d.jdbcUrl,
    catalog: !!d.catalog,
    schemas: d.schemas.length > 0,
    servicePrincipal: !!d.servicePrincipalName,
    token: tokensDelivered === 1,
  };
  // a desktop file holds no JDBC URL (the details shown beside it may)
  if (handoff.kind === 'desktop-file') delete has.jdbcUrl;
  for (const [k, present] of Object.entries(has)) {
    assert.equal(op.details.includes(k as never), present, `${p.id}: the plan ${present ? 'omits' : 'promises'} the ${k} ("${sentence}")`);
  }
  if (!has.httpPath) assert.doesNotMatch(sentence, /HTTP path|JDBC/, `${p.id}: ${sentence}`);
  if (!has.catalog) assert.doesNotMatch(sentence, /catalog/, `${p.id}: ${sentence}`);
}

async function connectAndCheck(env: Env, p: CatalogPartner, mode: 'uc' | 'hive'): Promise<void> {
  const before = snapshot(env.emu.state);
  const secrets: string[] = [];
  const choices = choicesFor(p, mode);
  const res = await connect(env.ctx, p, choices, { deliverSecretOnce: (v) => void secrets.push(v) });
  assert.equal(res.reused, false);
  assert.equal(res.record.state, 'connected');
  assertDeliversWhatThePlanPromised(p, choices, res.handoff, secrets.length);
  const s = env.emu.state;
  if (p.profile === 'none') {
    assert.equal(secrets.length, 0, `${p.id}: no token for a partner without service principal`);
    assert.equal(res.record.servicePrincipal, null);
  } else {
    assert.equal(secrets.length, 1, `${p.id}: the token is delivered exactly once`);
    const sp = spNamed(s, p.servicePrincipalName ?? '');
    assert.ok(sp, `${p.id}: ${p.servicePrincipalName} exists`);
    assert.equal(res.record.servicePrincipal?.applicationId, sp.applicationId);
    const want = SEED_TABLE[p.profile];
    assert.deepEqual([...sp.entitlements].sort(), want.entitlements, `${p.id}: entitlements`);
    const g = grantsOf(s, sp.applicationId);
    assert.deepEqual(g.tokenAcl, want.token ? ['CAN_USE'] : [], `${p.id}: token permission`);
    const whId = res.record.compute?.id;
    assert.deepEqual(g.warehouseAcl, want.warehouse && whId ? { [whId]: ['CAN_USE'] } : {}, `${p.id}: warehouse permission`);
    const expectUc: Record<string, string[]> = {};
    const expectHive: Record<string, string[]> = {};
    const schemas = choices.schemas ?? [];
    if (mode === 'uc' && choices.catalog) {
      if (want.uc.catalog.length) expectUc[`catalog:${choices.catalog}`] = want.uc.catalog;
      if (want.uc.schema.length) for (const x of schemas) expectUc[`schema:${choices.catalog}.${x}`] = want.uc.schema;
    }
    if (mode === 'hive' && choices.catalog) {
      if (want.hive.catalog.length) expectHive.CATALOG = want.hive.catalog;
      if (want.hive.schema.length) for (const x of schemas) expectHive[`SCHEMA ${x}`] = want.hive.schema;
    }
    assert.deepEqual(g.uc, expectUc, `${p.id}: Unity Catalog grants`);
    assert.deepEqual(g.hive, expectHive, `${p.id}: Hive grants`);
    const tokens = [...s.tokens.values()].filter((t) => t.ownerKind === 'sp' && t.ownerId === sp.id);
    assert.equal(tokens.length, 1, `${p.id}: one token`);
    // an explicit lifetime: the longest the workspace allows (730 days when maxTokenLifetimeDays is unset)
    assert.equal(tokens[0].expiry_time - tokens[0].creation_time, 730 * 86_400_000, `${p.id}: the token lives 730 days`);
    assert.equal(res.record.tokenId, tokens[0].token_id);
    assert.deepEqual(res.record.credential && { kind: res.record.credential.kind, id: res.record.credential.id, lifetimeDays: res.record.credential.lifetimeDays }, { kind: 'pat', id: tokens[0].token_id, lifetimeDays: 730 });
  }
  if (p.compute === 'create-warehouse') {
    assert.ok([...s.warehouses.values()].some((w) => w.name === defaultWarehouseName(p)), `${p.id}: warehouse created`);
    assert.equal(res.record.compute?.createdForPartner, true);
  }
  if (p.handoff === 'desktop-file') assert.equal(res.handoff.kind, 'desktop-file');
  // no secret in the record or the logs
  for (const v of secrets) {
    assert.ok(!JSON.stringify(snapshot(s)).includes(v), 'token value not stored in workspace files');
    assert.ok(!env.log.join('\n').includes(v), 'token value not logged');
  }

  const out = await disconnect(env.ctx, p, 'reset');
  assert.ok(out.deleted.some((d) => d.kind === 'record'));
  assert.deepEqual(snapshot(s), before, `${p.id} (${mode}): reset leaves the workspace exactly as before`);
}

test('every catalog partner connects and resets with Unity Catalog, holding exactly its profile', async () => {
  const env = await startEnv({ seed: ucSeed() });
  try {
    for (const p of catalog.partners) await connectAndCheck(env, p, 'uc');
  } finally {
    await env.close();
  }
});

test('every catalog partner connects and resets with the legacy Hive metastore, holding exactly its profile', async () => {
  const env = await startEnv({ seed: seedPath('hive-only.json') });
  try {
    for (const p of catalog.partners) await connectAndCheck(env, p, 'hive');
  } finally {
    await env.close();
  }
});
