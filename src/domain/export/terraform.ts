/**
 * "Export Connection as Terraform": HCL for what a connection holds, as pure functions over the
 * inspect result (+ the warehouse's settings and the Hive objects' full grant lists, which inspect
 * does not read). With `import` blocks carrying the real ids, `terraform plan` on the export
 * adopts the existing objects instead of creating new ones.
 *
 * Choices (Terraform provider docs, databricks/terraform-provider-databricks):
 * - `databricks_permissions` (plural) is authoritative for the WHOLE object: for `authorization =
 *   "tokens"` it would replace everyone's token ACL. The export uses `databricks_permission`
 *   (singular, provider ≥ 1.100.0), authoritative for one object–principal pair only; import id
 *   `/<object_type>/<object_id>/<principal>`.
 * - Unity Catalog: `databricks_grant` (singular), one principal per securable; import id
 *   `<securable_type>/<name>/<principal>`. `databricks_grants` would revoke everyone else's grants.
 * - Hive metastore: `databricks_sql_permissions` is authoritative for the object, so it lists EVERY
 *   principal's grants on it (read with SHOW GRANTS); without that list the resource is written
 *   commented out.
 * - Entitlements as attributes of `databricks_service_principal`, each set explicitly (its update
 *   sends the entitlements it holds, so leaving one out would remove it).
 * - A credential's value can never be imported: tokens and OAuth secrets are listed by id, with a
 *   commented `databricks_obo_token` / `databricks_service_principal_secret` showing how Terraform
 *   would create one instead. No secret is ever written.
 */
import type { Warehouse } from '../../client/api';
import type { Inspection } from '../inspect/types';
import { CREDENTIAL_WORDS } from '../credentials/types';
import { attr, blank, block, comment, identifier, ref, renderHcl, type HclItem, type HclValue } from './hcl';

export const MIN_PROVIDER_VERSION = '1.100.0';

export interface ExportConnection {
  inspection: Inspection;
  /** the warehouse's settings, when the warehouse exists (`databricks_sql_endpoint` only when created for the partner) */
  warehouse: Warehouse | null;
  /**
   * Hive metastore: every principal's grants on each object the principal has grants on
   * ('CATALOG' | 'SCHEMA <name>' → principal → privileges); null when they could not be read
   * (no running warehouse: the export never starts one).
   */
  hiveObjectGrants: Map<string, Map<string, string[]>> | null;
}

export interface ExportWorkspace {
  /** the workspace's name in VS Code (becomes the provider alias) */
  name: string;
  host: string;
  /** a ~/.databrickscfg profile to name in the provider block */
  profile?: string;
  connections: ExportConnection[];
}

export interface ExportedResource {
  workspace: string;
  /** the provider alias of its workspace */
  alias: string;
  partnerId: string;
  /** e.g. databricks_service_principal.dbt_cloud_sp */
  address: string;
  type: string;
  name: string;
  /** the id in its import block */
  importId: string;
}

export interface TerraformExport {
  hcl: string;
  resources: ExportedResource[];
  /** what could not be exported as live resources, in words */
  notes: string[];
}

const ENTITLEMENT_ATTRIBUTES: Record<string, string> = {
  'allow-cluster-create': 'allow_cluster_create',
  'allow-instance-pool-create': 'allow_instance_pool_create',
  'databricks-sql-access': 'databricks_sql_access',
  'workspace-access': 'workspace_access',
  'workspace-consume': 'workspace_consume',
};
/** always written, true or false, so the plan neither adds nor removes one */
const EXPLICIT_ENTITLEMENTS = ['allow-cluster-create', 'allow-instance-pool-create', 'databricks-sql-access', 'workspace-access'];

const privilege = (p: string): string => (p.trim().toUpperCase() === 'ALL PRIVILEGES' ? 'ALL PRIVILEGES' : p.trim().toUpperCase().replace(/\s+/g, '_'));

class Names {
  private readonly used = new Set<string>();
  take(base: string): string {
    let n = identifier(base);
    for (let i = 2; this.used.has(n); i++) n = `${identifier(base)}_${i}`;
    this.used.add(n);
    return n;
  }
}

interface Ctx {
  ws: ExportWorkspace;
  alias: string;
  provider: HclValue;
  names: Names;
  prefix: string;
  resources: ExportedResource[];
  imports: HclItem[];
  notes: string[];
}

function resource(ctx: Ctx, partnerId: string, type: string, base: string, body: HclItem[], importId: string, lead: HclItem[] = []): HclItem[] {
  const name = ctx.names.take(`${ctx.prefix}_${base}`);
  const address = `${type}.${name}`;
  ctx.resources.push({ workspace: ctx.ws.name, alias: ctx.alias, partnerId, address, type, name, importId });
  ctx.imports.push(block('import', [], [attr('provider', ctx.provider), attr('to', ref(address)), attr('id', importId)]));
  return [...lead, block('resource', [type, name], [attr('provider', ctx.provider), ...body]), blank];
}

function connectionItems(ctx: Ctx, c: ExportConnection): HclItem[] {
  const { inspection: ins } = c;
  const p = ins.partner;
  const out: HclItem[] = [comment(`${'-'.repeat(20)} ${p.displayName} (${p.id}) in ${ctx.ws.name}: ${ins.status.state}`)];
  const sp = ins.servicePrincipal;
  if (!sp) {
    out.push(comment(`${p.displayName} has no service principal: nothing to manage in Terraform${ins.compute ? ` (it uses the warehouse ${ins.compute.name ?? ins.compute.id}, ${ins.compute.id}, which is not the partner's)` : ''}.`), blank);
    return out;
  }
  if (!ins.drift.inSync && ins.drift.differences.length) {
    out.push(comment(`Exported as it is now. It differs from ${p.displayName}'s permission profile:\n${ins.drift.repairDescription.map((l) => `  - ${l}`).join('\n')}`));
  }
  // the service principal and its entitlements
  const held = new Set(sp.entitlements);
  const entitlementAttrs: HclItem[] = EXPLICIT_ENTITLEMENTS.map((e) => attr(ENTITLEMENT_ATTRIBUTES[e], held.has(e)));
  if (held.has('workspace-consume')) entitlementAttrs.push(attr('workspace_consume', true));
  const unknown = [...held].filter((e) => !(e in ENTITLEMENT_ATTRIBUTES));
  const spItems = resource(
    ctx,
    p.id,
    'databricks_service_principal',
    'sp',
    [attr('display_name', sp.displayName), attr('active', sp.active), ...entitlementAttrs, ...(unknown.length ? [comment(`not expressible as attributes: ${unknown.join(', ')}`)] : [])],
    sp.id,
    [comment(`applicationId ${sp.applicationId} (computed: a Databricks-managed principal's application_id cannot be set)`)],
  );
  out.push(...spItems);
  const spAddress = ctx.resources[ctx.resources.length - 1].address;
  const app = ref(`${spAddress}.application_id`);

  // token usage: one principal's entry, never the whole token ACL
  if (ins.tokenPermission) {
    out.push(
      ...resource(
        ctx,
        p.id,
        'databricks_permission',
        'token_usage',
        [attr('authorization', 'tokens'), attr('service_principal_name', app), attr('permission_level', ins.tokenPermission)],
        `/authorization/tokens/${sp.applicationId}`,
        [comment('Only this principal\'s entry in the token permissions (databricks_permissions would replace everyone\'s).')],
      ),
    );
  }

  // the warehouse
  const compute = ins.compute;
  if (compute?.kind === 'warehouse' && compute.exists) {
    let endpoint: HclValue = compute.id;
    const w = c.warehouse;
    if (compute.createdForPartner && w) {
      const body: HclItem[] = [attr('name', w.name)];
      if (w.cluster_size) body.push(attr('cluster_size', w.cluster_size));
      if (w.min_num_clusters !== undefined) body.push(attr('min_num_clusters', w.min_num_clusters));
      if (w.max_num_clusters !== undefined) body.push(attr('max_num_clusters', w.max_num_clusters));
      if (w.auto_stop_mins !== undefined) body.push(attr('auto_stop_mins', w.auto_stop_mins));
      if (w.warehouse_type) body.push(attr('warehouse_type', w.warehouse_type));
      if (w.enable_serverless_compute !== undefined) body.push(attr('enable_serverless_compute', w.enable_serverless_compute));
      const tags = w.tags?.custom_tags ?? [];
      if (tags.length) body.push(block('tags', [], tags.map((t) => block('custom_tags', [], [attr('key', t.key), attr('value', t.value)]))));
      out.push(...resource(ctx, p.id, 'databricks_sql_endpoint', 'warehouse', body, w.id, [comment(`created for ${p.displayName}`)]));
      endpoint = ref(`${ctx.resources[ctx.resources.length - 1].address}.id`);
    } else if (compute.createdForPartner) {
      ctx.notes.push(`${p.displayName} (${ctx.ws.name}): the settings of warehouse ${compute.id} could not be read; only its permission is exported.`);
    } else {
      out.push(comment(`The warehouse ${compute.name ?? compute.id} (${compute.id}) was chosen for ${p.displayName}, not created for it: only its permission is exported.`));
    }
    if (ins.warehousePermission) {
      out.push(
        ...resource(
          ctx,
          p.id,
          'databricks_permission',
          'warehouse_usage',
          [attr('sql_endpoint_id', endpoint), attr('service_principal_name', app), attr('permission_level', ins.warehousePermission)],
          `/sql/warehouses/${compute.id}/${sp.applicationId}`,
        ),
      );
    }
  } else if (compute?.kind === 'cluster') {
    out.push(comment(`The cluster ${compute.id} is not exported (the extension does not create clusters).`));
  }

  // Unity Catalog: one principal per securable
  for (const g of ins.ucGrants) {
    const type = g.securableType.toLowerCase() as 'catalog' | 'schema';
    out.push(
      ...resource(
        ctx,
        p.id,
        'databricks_grant',
        type === 'catalog' ? `catalog_${g.fullName}` : `schema_${g.fullName.split('.').slice(1).join('_')}`,
        [attr(type, g.fullName), attr('principal', app), attr('privileges', [...new Set(g.privileges.map(privilege))].sort())],
        `${type}/${g.fullName}/${sp.applicationId}`,
      ),
    );
  }

  // Hive metastore: the resource is authoritative for the object, so it must name every principal
  for (const g of ins.hiveGrants) {
    const isCatalog = g.securableType.toUpperCase() === 'CATALOG';
    const schemaName = isCatalog ? '' : g.fullName.replace(/^hive_metastore\./, '');
    const key = isCatalog ? 'CATALOG' : `SCHEMA ${schemaName}`;
    const all = c.hiveObjectGrants?.get(key);
    const target = isCatalog ? attr('catalog', true) : attr('database', schemaName);
    if (!all) {
      out.push(
        comment(
          [
            `Hive metastore grants of ${sp.applicationId} on ${isCatalog ? 'the catalog' : `database ${schemaName}`}: ${[...new Set(g.privileges.map(privilege))].sort().join(', ')}.`,
            'databricks_sql_permissions replaces EVERY principal\'s grants on the object, and the other principals\' grants',
            'could not be read (no running warehouse; the export never starts one). Not exported: start the warehouse and export again.',
          ].join('\n'),
        ),
        blank,
      );
      ctx.notes.push(`${p.displayName} (${ctx.ws.name}): Hive grants on ${isCatalog ? 'the catalog' : schemaName} not exported (the warehouse is not running).`);
      continue;
    }
    const grants = [...all].filter(([, privs]) => privs.some((x) => privilege(x) !== 'OWN')).sort(([a], [b]) => a.localeCompare(b));
    out.push(
      ...resource(
        ctx,
        p.id,
        'databricks_sql_permissions',
        isCatalog ? 'hive_catalog' : `hive_database_${schemaName}`,
        [
          target,
          ...grants.map(([principal, privs]) =>
            block('grant', [], [attr('principal', principal === sp.applicationId ? app : principal), attr('privileges', [...new Set(privs.map(privilege).filter((x) => x !== 'OWN'))].sort())]),
          ),
        ],
        isCatalog ? 'catalog/' : `database/${schemaName}`,
        [comment('Authoritative for the object: every principal\'s grants on it are listed, not only the partner\'s.')],
      ),
    );
  }

  if (ins.record?.isHive && ins.status.grants.hiveNotChecked) {
    out.push(comment('Hive metastore grants were not read (the warehouse is not running; the export never starts one): not exported.'), blank);
    ctx.notes.push(`${p.displayName} (${ctx.ws.name}): Hive grants not exported (the warehouse is not running).`);
  }

  // credentials: never importable, never written
  const creds: string[] = (ins.credentials ?? []).map((t) => `${CREDENTIAL_WORDS[t.kind]} ${t.id} (expires ${t.expiry}${t.createdAt ? `, created ${t.createdAt.slice(0, 10)}` : ''})`);
  out.push(
    comment(
      [
        `Credentials of ${sp.displayName}: ${creds.length ? '' : 'none.'}`,
        ...creds.map((c2) => `  - ${c2}`),
        'A credential\'s value cannot be imported into Terraform and is never exported. To let Terraform create the',
        'credential instead (then hand its value to the partner), uncomment one of:',
      ].join('\n'),
    ),
    comment(
      [
        `resource "databricks_obo_token" "${ctx.prefix}_token" {        # AWS and GCP workspaces`,
        `  provider         = databricks.${ctx.alias}`,
        `  application_id   = ${spAddress}.application_id`,
        `  comment          = "Partner Connect: ${p.displayName.replace(/["\\]/g, '')}"`,
        '  lifetime_seconds = 7776000',
        '}',
        `resource "databricks_service_principal_secret" "${ctx.prefix}_secret" {   # OAuth M2M, every cloud`,
        `  provider             = databricks.${ctx.alias}`,
        `  service_principal_id = ${spAddress}.id`,
        '}',
      ].join('\n'),
    ),
    blank,
  );
  return out;
}

/** The HCL for the connections of one or several workspaces (one provider alias per workspace). */
export function terraformExport(workspaces: readonly ExportWorkspace[], meta: { generatedAt: string; extensionVersion: string }): TerraformExport {
  const names = new Names();
  const aliases = new Names();
  const resources: ExportedResource[] = [];
  const notes: string[] = [];
  const body: HclItem[] = [
    comment(
      [
        `Generated by Partner Connect for VS Code ${meta.extensionVersion} on ${meta.generatedAt}.`,
        'What each connection holds now, with import blocks for the existing objects (Terraform >= 1.5):',
        'run `terraform init` and `terraform plan` to review. No token or secret value is in this file;',
        'the provider signs in with your environment or ~/.databrickscfg.',
      ].join('\n'),
    ),
    block('terraform', [], [block('required_providers', [], [attr('databricks', { source: 'databricks/databricks', version: `>= ${MIN_PROVIDER_VERSION}` })])]),
    blank,
  ];
  const multi = workspaces.length > 1;
  const resourceItems: HclItem[] = [];
  const importItems: HclItem[] = [];
  for (const ws of workspaces) {
    const alias = aliases.take(ws.name);
    body.push(block('provider', ['databricks'], [attr('alias', alias), attr('host', ws.host), ...(ws.profile ? [attr('profile', ws.profile)] : [])]), blank);
    for (const c of ws.connections) {
      const prefix = multi ? `${alias}_${identifier(c.inspection.partner.id)}` : identifier(c.inspection.partner.id);
      const ctx: Ctx = { ws, alias, provider: ref(`databricks.${alias}`), names, prefix, resources, imports: [], notes };
      resourceItems.push(...connectionItems(ctx, c));
      importItems.push(...ctx.imports);
    }
  }
  body.push(...resourceItems);
  if (importItems.length) body.push(comment('The existing objects: terraform plan adopts them instead of creating new ones.'), ...importItems);
  return { hcl: renderHcl(body), resources, notes };
}
