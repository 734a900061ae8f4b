/** The partner catalog, PartnerConfig files, permission plans and their description. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildPlan,
  describePlan,
  hiveGrantStatement,
  loadBuiltinCatalog,
  loadPartnerConfigFile,
  mergeCatalog,
  parseCatalogEntries,
  quoteIdentifier,
  servicePrincipalNameFor,
  PROFILES,
  FACTS,
  type PlanOperation,
} from '../../src/domain';
import { reference, referenceJsonFiles } from '../fixtures/reference';

/** The published sample PartnerConfig files (reference material: skipped with the reason when absent). */
const samples = reference('partner-connect-api/partners');

test('the built-in catalog: every seed partner and the research partners, validated, with provenance for every fact', () => {
  const c = loadBuiltinCatalog();
  const names = c.partners.map((p) => p.displayName);
  for (const n of [
    'Fivetran', 'Power BI', 'Tableau', 'erwin Data Modeler', 'dbt Cloud', 'Hevo Data', 'Rudderstack', 'Snowplow', 'Labelbox', 'Anomalo', 'Census', 'Hex',
    'Hightouch', 'Lightup', 'Monte Carlo', 'Qlik Sense', 'Sigma', 'Stardog', 'Dataiku', 'SuperAnnotate',
    'Rivery', 'Prophecy', 'Matillion', 'Preset', 'ThoughtSpot', 'John Snow Labs', 'Alation', 'Privacera', 'Immuta', 'AtScale',
  ]) assert.ok(names.includes(n), n);
  for (const p of c.partners) {
    for (const f of FACTS) assert.ok(p.provenance[f], `${p.id}.${f}`);
    if (p.needsServicePrincipal) assert.equal(p.servicePrincipalName, servicePrincipalNameFor(p.displayName));
    else assert.equal(p.servicePrincipalName, null);
  }
  assert.equal(c.require('dbt-cloud').servicePrincipalName, 'DBT_CLOUD_USER');
  assert.equal(c.require('monte-carlo').servicePrincipalName, 'MONTE_CARLO_USER');
  assert.equal(c.byServicePrincipalName('HEX_USER')?.id, 'hex');
  // sign-in partners (seed): Fivetran and Rivery
  assert.deepEqual(c.partners.filter((p) => p.signInStyle === 'partner-account-admin').map((p) => p.id).sort(), ['fivetran', 'rivery']);
  // facts not in the seed are marked inferred
  assert.equal(c.require('prophecy').provenance.profile?.basis, 'inferred');
  assert.equal(c.require('rivery').provenance.profile?.basis, 'inferred');
  assert.equal(c.require('hightouch').provenance.profile?.basis, 'documented');
  // an entry that breaks a rule is refused at load
  assert.throws(() => parseCatalogEntries([{ ...c.require('hex'), servicePrincipalName: 'HEX' }]), /servicePrincipalName/);
  assert.throws(() => parseCatalogEntries([{ ...c.require('hex'), handoff: 'protocol' }]), /partnerConfig/);
});

test('every PartnerConfig file in partner-connect-api/partners loads, flagged inferred', { skip: samples.skip }, () => {
  const dir = samples.path;
  const files = referenceJsonFiles(samples);
  assert.ok(files.length >= 5);
  let merged = loadBuiltinCatalog();
  for (const f of files) {
    const p = loadPartnerConfigFile(readFileSync(join(dir, f), 'utf8'), f);
    assert.equal(p.handoff, 'protocol');
    assert.equal(p.source, f);
    assert.ok(p.partnerConfig?.base_url);
    assert.equal(p.provenance.profile?.basis, 'inferred');
    assert.equal(p.provenance.compute?.basis, 'inferred');
    merged = mergeCatalog(merged, [p]);
  }
  const test = loadPartnerConfigFile(readFileSync(join(dir, 'test.json'), 'utf8'), 'test.json');
  assert.equal(test.category, 'INGEST');
  assert.equal(test.compute, 'create-warehouse');
  assert.equal(test.profile, 'write'); // USAGE + CREATE
  assert.throws(() => loadPartnerConfigFile('{"name": "x"}', 'bad.json'), /bad\.json: not a valid PartnerConfig/);
});

test('plans follow the seed table; token and warehouse permissions are PATCHed, never PUT', () => {
  const c = loadBuiltinCatalog();
  const ops = (id: string, catalog: string, schemas: string[]): PlanOperation[] =>
    buildPlan(c.require(id), { catalog, schemas, warehouse: { kind: 'existing', id: 'w1' } });
  const grants = (plan: PlanOperation[]): string[] =>
    plan.flatMap((o) => (o.type === 'ucGrant' ? [`uc ${o.securableType} ${o.fullName}: ${o.privileges.join(',')}`] : o.type === 'hiveGrant' ? [`hive ${o.statement}`] : []));
  assert.deepEqual(grants(ops('dbt-cloud', 'main', [])), ['uc catalog main: USE_CATALOG,CREATE_SCHEMA']);
  assert.deepEqual(grants(ops('dbt-cloud', 'hive_metastore', [])), ['hive GRANT USAGE, CREATE ON CATALOG `hive_metastore` TO `<service principal applicationId>`']);
  assert.deepEqual(grants(ops('hex', 'main', ['s'])), ['uc catalog main: USE_CATALOG', 'uc schema main.s: USE_SCHEMA,SELECT']);
  assert.deepEqual(grants(ops('hex', 'hive_metastore', ['s'])), ['hive GRANT USAGE, READ_METADATA, SELECT ON SCHEMA `hive_metastore`.`s` TO `<service principal applicationId>`']);
  assert.deepEqual(grants(ops('dataiku', 'main', ['a', 'b'])), ['uc catalog main: USE_CATALOG,CREATE_SCHEMA', 'uc schema main.a: USE_SCHEMA', 'uc schema main.b: USE_SCHEMA']);
  assert.deepEqual(grants(ops('superannotate', 'hive_metastore', ['a'])), [
    'hive GRANT USAGE ON CATALOG `hive_metastore` TO `<service principal applicationId>`',
    'hive GRANT USAGE, SELECT ON SCHEMA `hive_metastore`.`a` TO `<service principal applicationId>`',
  ]);
  assert.deepEqual(grants(ops('labelbox', 'main', [])), []);
  const lb = ops('labelbox', 'main', []);
  assert.deepEqual(lb.find((o) => o.type === 'createServicePrincipal')?.type === 'createServicePrincipal' && lb.find((o) => o.type === 'createServicePrincipal'), {
    type: 'createServicePrincipal',
    step: 'create-sp',
    displayName: 'LABELBOX_USER',
    entitlements: ['workspace-access'],
    entitlementBasis: { 'workspace-access': { basis: 'documented', note: 'Access to your workspace' } },
    basis: { basis: 'documented', note: 'Partner Connect creates a <PARTNER-NAME>_USER service principal' },
  });
  for (const id of ['hex', 'dataiku', 'labelbox', 'dbt-cloud']) {
    for (const o of ops(id, 'main', ['s'])) if (o.type === 'grantTokenUse' || o.type === 'grantWarehouseUse') assert.equal(o.method, 'PATCH');
    // a new credential always has an explicit lifetime: by default the longest allowed (730 days), never "never"
    const cred = ops(id, 'main', ['s']).find((o) => o.type === 'createCredential');
    assert.equal(cred?.type === 'createCredential' && cred.lifetimeDays, 730);
    assert.equal(cred?.type === 'createCredential' && cred.kind, 'pat');
  }
  assert.deepEqual(ops('fivetran', 'main', []).map((o) => o.type), ['claimRecord', 'handoff', 'writeRecord']);
  // additions the seed does not list are flagged inferred, in the data and in the words
  assert.equal(PROFILES.read.entitlements[0].basis.basis, 'inferred');
  assert.equal(PROFILES.write.warehouseUse?.basis.basis, 'inferred');
  const words = describePlan(ops('hex', 'main', ['s']));
  assert.equal(words.length, ops('hex', 'main', ['s']).length, 'one sentence per operation');
  assert.ok(words.some((w) => /CAN USE on the SQL warehouse w1/.test(w)));
  assert.ok(words.some((w) => /HEX_USER with access to Databricks SQL \(assumed: not in Databricks’ permission table/.test(w)), words.join(' | '));
  assert.ok(words.some((w) => /Grant USE SCHEMA, SELECT on the schema main\.s/.test(w)));
});

test('identifiers are backtick-quoted with backticks doubled', () => {
  assert.equal(quoteIdentifier('a`b'), '`a``b`');
  assert.equal(
    hiveGrantStatement('GRANT', 'SCHEMA', 'we`ird name', ['USAGE', 'READ_METADATA'], 'app-1'),
    'GRANT USAGE, READ_METADATA ON SCHEMA `hive_metastore`.`we``ird name` TO `app-1`',
  );
  assert.equal(hiveGrantStatement('REVOKE', 'CATALOG', null, ['CREATE'], 'x'), 'REVOKE CREATE ON CATALOG `hive_metastore` FROM `x`');
});

test('each partner’s summary says what THIS partner gets (no list of other partners), and a badge in plain words', async () => {
  const { accessBadge, describeAccess } = await import('../../src/domain');
  const c = loadBuiltinCatalog();
  const names = c.partners.map((p) => p.displayName);
  for (const p of c.partners) {
    const text = describeAccess(p);
    assert.ok(text.startsWith(`${p.displayName} gets `), `${p.id}: ${text}`);
    for (const other of names) if (other !== p.displayName && !p.displayName.includes(other)) assert.ok(!text.includes(other), `${p.id} names ${other}: ${text}`);
    assert.ok((text.match(/service principal/g) ?? []).length <= 1, `${p.id}: "service principal" once at most: ${text}`);
    assert.doesNotMatch(accessBadge(p), /profile|none|write$|read$/, `${p.id}: ${accessBadge(p)}`);
  }
  assert.equal(accessBadge(c.require('power-bi')), 'no service principal');
  assert.equal(accessBadge(c.require('dbt-cloud')), 'writes to a catalog');
  assert.equal(accessBadge(c.require('hex')), 'reads one schema');
  assert.match(describeAccess(c.require('hex')), /HEX_USER .* read the one schema you choose/);
  assert.match(describeAccess(c.require('power-bi')), /signs in with your own account/);
  assert.match(describeAccess(c.require('snowplow')), /SNOWPLOW_ENDPOINT by default/);
  assert.match(describeAccess(c.require('labelbox')), /work in the workspace\. It gets no access to data\./);
  // the credential named is the one the workspace makes: a token, or an OAuth secret (Azure, AUTH_OAUTH_M2M)
  assert.match(describeAccess(c.require('hex')), /HEX_USER with a personal access token;/);
  assert.match(describeAccess(c.require('hex'), 'oauth-secret'), /HEX_USER with an OAuth secret;/);
  const m2m = { ...c.require('hex'), handoff: 'protocol' as const, partnerConfig: { ...(c.require('hex').partnerConfig ?? {}), auth_options: ['AUTH_OAUTH_M2M' as const] } } as Parameters<typeof describeAccess>[0];
  assert.match(describeAccess(m2m), /with an OAuth secret;/);
});
