/**
 * Export as Terraform: the HCL parses with a maintained HCL parser (@cdktf/hcl2json, HashiCorp's
 * hcl library compiled to WASM) and its JSON form names exactly the resources and ids the
 * connection holds in the emulator — never a token value.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '@cdktf/hcl2json';
import { connect, loadBuiltinCatalog, type ConnectChoices } from '../../src/domain';
import { gatherExportConnection } from '../../src/domain/export/gather';
import { block, attr, comment, renderHcl } from '../../src/domain/export/hcl';
import { terraformExport, type ExportWorkspace } from '../../src/domain/export/terraform';
import { seedPath } from '../emulator';
import { withCleanup } from '../fixtures/cleanup';
import { startEnv } from './helpers';
import { STARTER_WAREHOUSE } from '../fixtures/seed';

const catalog = loadBuiltinCatalog();
const META = { generatedAt: '2026-01-01T00:00:00.000Z', extensionVersion: '0.0.0-test' };

type Json = Record<string, unknown>;
/** resource type → name → the (single) body hcl2json gives */
function resourcesOf(json: Json): Map<string, Json> {
  const out = new Map<string, Json>();
  for (const [type, byName] of Object.entries((json.resource ?? {}) as Record<string, Record<string, Json[]>>)) {
    for (const [name, bodies] of Object.entries(byName)) {
      assert.equal(bodies.length, 1, `${type}.${name} declared once`);
      out.set(`${type}.${name}`, bodies[0]);
    }
  }
  return out;
}
function importsOf(json: Json): Map<string, { id: string; provider: string }> {
  const out = new Map<string, { id: string; provider: string }>();
  for (const i of (json.import ?? []) as Json[]) out.set(String(i.to).replace(/^\$\{|\}$/g, ''), { id: String(i.id), provider: String(i.provider) });
  return out;
}

test('a UC connection with a warehouse created for it exports the principal, entitlements, token and warehouse permissions, the warehouse and its grants — with the real ids', async () => {
  const env = await startEnv();
  let tokenValue = '';
  try {
    const p = catalog.require('rudderstack');
    const choices: ConnectChoices = { catalog: 'analytics', schemas: [], warehouse: { kind: 'create', name: 'RUDDERSTACK_ENDPOINT' } };
    const res = await connect(env.ctx, p, choices, { deliverSecretOnce: (v) => void (tokenValue = v) });
    const sp = res.record.servicePrincipal!;
    const whId = res.record.compute!.id;
    const conn = await gatherExportConnection(env.client, p);
    const ws: ExportWorkspace = { name: 'acme-prod', host: env.client.host, connections: [conn] };
    const out = terraformExport([ws], META);
    assert.ok(tokenValue.length > 10);
    assert.ok(!out.hcl.includes(tokenValue), 'no token value in the export');

    const json = (await parse('main.tf', out.hcl)) as Json;
    const resources = resourcesOf(json);
    const imports = importsOf(json);
    const expected = new Map<string, string>([
      ['databricks_service_principal.rudderstack_sp', sp.id],
      ['databricks_permission.rudderstack_token_usage', `/authorization/tokens/${sp.applicationId}`],
      ['databricks_sql_endpoint.rudderstack_warehouse', whId],
      ['databricks_permission.rudderstack_warehouse_usage', `/sql/warehouses/${whId}/${sp.applicationId}`],
      ['databricks_grant.rudderstack_catalog_analytics', `catalog/analytics/${sp.applicationId}`],
    ]);
    assert.deepEqual([...resources.keys()].sort(), [...expected.keys()].sort(), 'exactly the resources of the connection');
    assert.deepEqual(new Map([...imports].map(([k, v]) => [k, v.id])), expected, 'an import block with the real id for each');
    assert.deepEqual(out.resources.map((r) => [r.address, r.importId]).sort(), [...expected].sort());
    for (const i of imports.values()) assert.equal(i.provider, '${databricks.acme_prod}');

    const spBody = resources.get('databricks_service_principal.rudderstack_sp')!;
    const emuSp = env.emu.state.servicePrincipals.get(sp.id)!;
    assert.equal(spBody.display_name, 'RUDDERSTACK_USER');
    assert.equal(spBody.active, true);
    assert.deepEqual(
      { allow_cluster_create: spBody.allow_cluster_create, databricks_sql_access: spBody.databricks_sql_access, workspace_access: spBody.workspace_access, allow_instance_pool_create: spBody.allow_instance_pool_create },
      {
        allow_cluster_create: emuSp.entitlements.has('allow-cluster-create'),
        databricks_sql_access: emuSp.entitlements.has('databricks-sql-access'),
        workspace_access: emuSp.entitlements.has('workspace-access'),
        allow_instance_pool_create: false,
      },
    );
    const token = resources.get('databricks_permission.rudderstack_token_usage')!;
    assert.deepEqual([token.authorization, token.permission_level, token.service_principal_name], ['tokens', 'CAN_USE', '${databricks_service_principal.rudderstack_sp.application_id}']);
    const wh = resources.get('databricks_sql_endpoint.rudderstack_warehouse')!;
    const emuWh = env.emu.state.warehouses.get(whId)!;
    assert.deepEqual([wh.name, wh.cluster_size, wh.auto_stop_mins, wh.max_num_clusters], [emuWh.name, emuWh.cluster_size, emuWh.auto_stop_mins, emuWh.max_num_clusters]);
    assert.equal(resources.get('databricks_permission.rudderstack_warehouse_usage')!.sql_endpoint_id, '${databricks_sql_endpoint.rudderstack_warehouse.id}');
    const grant = resources.get('databricks_grant.rudderstack_catalog_analytics')!;
    const emuGrants = [...(env.emu.state.ucGrants.get('catalog:analytics')?.get(sp.applicationId) ?? [])].sort();
    assert.deepEqual([grant.catalog, grant.privileges], ['analytics', emuGrants]);
    // the provider: an alias per workspace, no credential
    assert.deepEqual((json.provider as Record<string, Json[]>).databricks, [{ alias: 'acme_prod', host: env.client.host }]);
    // the credential: its id in a comment, never importable
    assert.match(out.hcl, new RegExp(`personal access token ${res.record.tokenId}`));
    assert.match(out.hcl, /# resource "databricks_obo_token"/);
  } finally {
    await env.close();
  }
});

test('Hive: databricks_sql_permissions lists every principal on the object (it is authoritative); without a running warehouse it is not exported', async () => {
  const env = await startEnv({ seed: seedPath('hive-only.json') });
  try {
    const p = catalog.require('superannotate');
    const res = await connect(env.ctx, p, { catalog: 'hive_metastore', schemas: ['marketing'], warehouse: { kind: 'existing', id: '1a2b3c4d5e6f7a8b' } }, { deliverSecretOnce: () => undefined });
    const app = res.record.servicePrincipal!.applicationId;
    assert.equal(env.emu.state.warehouses.get('1a2b3c4d5e6f7a8b')!.state, 'RUNNING', 'the connect ran GRANTs on it');
    const out = terraformExport([{ name: 'legacy', host: env.client.host, connections: [await gatherExportConnection(env.client, p)] }], META);
    const resources = resourcesOf((await parse('main.tf', out.hcl)) as Json);
    const cat = resources.get('databricks_sql_permissions.superannotate_hive_catalog')!;
    assert.equal(cat.catalog, true);
    const grants = (cat.grant as Json[]).map((g) => [g.principal, g.privileges]);
    // the seed's `users` USAGE on the catalog is kept, next to the partner's own grant
    assert.deepEqual(grants, [
      ['${databricks_service_principal.superannotate_sp.application_id}', ['USAGE']],
      ['users', ['USAGE']],
    ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
    const db = resources.get('databricks_sql_permissions.superannotate_hive_database_marketing')!;
    assert.equal(db.database, 'marketing');
    assert.deepEqual(out.resources.find((r) => r.type === 'databricks_sql_permissions' && r.name.endsWith('marketing'))?.importId, 'database/marketing');
    assert.ok(!out.hcl.includes(`${app}\`;`));

    // stopped warehouse: the other principals cannot be read, so the authoritative resource is not written
    env.emu.state.warehouses.get('1a2b3c4d5e6f7a8b')!.state = 'STOPPED';
    const stopped = terraformExport([{ name: 'legacy', host: env.client.host, connections: [await gatherExportConnection(env.client, p)] }], META);
    assert.equal(env.emu.state.warehouses.get('1a2b3c4d5e6f7a8b')!.state, 'STOPPED', 'the export never starts a warehouse');
    const r2 = resourcesOf((await parse('main.tf', stopped.hcl)) as Json);
    assert.ok(![...r2.keys()].some((k) => k.startsWith('databricks_sql_permissions.')));
    assert.ok(stopped.notes.some((n) => /Hive grants .*not exported/.test(n)), stopped.hcl);
  } finally {
    await env.close();
  }
});

test('fleet export: several workspaces, one provider alias each, unique names, each import through its own provider', async () => {
  await withCleanup(async (started) => {
    const a = await startEnv();
    started.defer(() => a.close());
    const b = await startEnv();
    started.defer(() => b.close());
    const hex = catalog.require('hightouch');
    const choices: ConnectChoices = { catalog: 'analytics', schemas: ['marketing'], warehouse: { kind: 'existing', id: STARTER_WAREHOUSE } };
    await connect(a.ctx, hex, choices, { deliverSecretOnce: () => undefined });
    await connect(b.ctx, hex, choices, { deliverSecretOnce: () => undefined });
    const out = terraformExport(
      [
        { name: 'prod', host: a.client.host, profile: 'PROD', connections: [await gatherExportConnection(a.client, hex)] },
        { name: 'dev', host: b.client.host, connections: [await gatherExportConnection(b.client, hex)] },
      ],
      META,
    );
    const json = (await parse('main.tf', out.hcl)) as Json;
    assert.deepEqual((json.provider as Record<string, Json[]>).databricks, [
      { alias: 'prod', host: a.client.host, profile: 'PROD' },
      { alias: 'dev', host: b.client.host },
    ]);
    const resources = resourcesOf(json);
    assert.equal(resources.size, out.resources.length);
    for (const r of out.resources) assert.equal(resources.get(r.address)!.provider, `\${databricks.${r.alias}}`);
    const imports = importsOf(json);
    for (const r of out.resources) assert.equal(imports.get(r.address)?.provider, `\${databricks.${r.alias}}`);
    assert.ok(resources.has('databricks_service_principal.prod_hightouch_sp') && resources.has('databricks_service_principal.dev_hightouch_sp'));
    // a chosen (not created) warehouse: only the principal's permission on it
    assert.ok(![...resources.keys()].some((k) => k.startsWith('databricks_sql_endpoint.')));
    assert.equal(resources.get('databricks_permission.prod_hightouch_warehouse_usage')!.sql_endpoint_id, STARTER_WAREHOUSE);
  });
});

test('HCL strings are escaped: quotes, newlines, ${ and %{ round-trip through the parser as literal text', async () => {
  const hostile = 'we"ird\n${var.x} %{if} \\ name';
  const text = renderHcl([comment('a comment\nover two lines'), block('resource', ['databricks_sql_endpoint', 'x'], [attr('name', hostile), attr('tags', { 'a b': hostile })])]);
  const json = (await parse('x.tf', text)) as Json;
  const body = resourcesOf(json).get('databricks_sql_endpoint.x')!;
  // the JSON form of a literal `${` / `%{` is the escaped `$${` / `%%{` (Terraform's JSON syntax interpolates too)
  const asJson = hostile.replace(/\$\{/g, '$$$${').replace(/%\{/g, '%%{');
  assert.equal(body.name, asJson);
  assert.deepEqual(body.tags, { 'a b': asJson });
  assert.doesNotMatch(text, /[^$]\$\{var/, 'no live interpolation in the HCL text');
});
