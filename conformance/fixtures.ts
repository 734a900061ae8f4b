/**
 * Creating the run's objects — always through the ledger, so that each one is deleted again.
 * Principals, tokens, warehouses, files and grants are created with the product's client; schemas
 * (which the extension never creates) with the raw client (UC REST) or a statement (Hive).
 */
import type { CreatedToken, ServicePrincipal, StatementResult } from '../src/client';
import { DatabricksApiError } from '../src/client';
import { hiveGrantStatement, quoteIdentifier } from '../src/domain';
import { directLevel } from '../src/domain/util';
import type { Run } from './check';
import { errorText } from './errors';
import { rawExpect } from './raw';
import { fileSpec, folderSpec, spSpec, tokenSpec, ucSchemaSpec, warehouseSpec } from './specs';

export const ONE_HOUR = 3_600;

/** A service principal `<prefix>-sp-<suffix>` (deleted at the end; its tokens and ACL entries go with it). */
export async function createSp(t: Run, suffix: string, entitlements: string[] = []): Promise<ServicePrincipal> {
  const displayName = t.names.name(`sp-${suffix}`);
  return t.ledger.create(
    spSpec(t.client, displayName),
    () => t.client.createServicePrincipal({ displayName, entitlements }, t.o),
    (sp) => sp.id,
  );
}

/** CAN_USE on tokens for a principal; there is no API to remove one entry, so it goes with its principal. */
export async function grantTokenUse(t: Run, sp: ServicePrincipal): Promise<void> {
  await t.client.patchTokenPermissions([{ service_principal_name: sp.applicationId, permission_level: 'CAN_USE' }], t.o);
  t.ledger.adopt(
    {
      kind: 'token-permission',
      name: `CAN_USE on tokens for ${sp.displayName}`,
      goesWith: `the service principal ${sp.displayName}`,
      exists: async (_id, signal) => directLevel(await t.client.getTokenPermissions({ signal }), sp.applicationId) !== null,
      manual: `Settings → Advanced → Personal access tokens → Permissions: remove ${sp.applicationId} (${sp.displayName})`,
    },
    sp.applicationId,
  );
}

/** An on-behalf-of token for a principal, commented `<prefix> …`, with an explicit lifetime. */
export async function createOboToken(t: Run, sp: ServicePrincipal, what: string, lifetimeSeconds = ONE_HOUR): Promise<CreatedToken> {
  const comment = `${t.names.prefix} ${what}`;
  return t.ledger.create(
    tokenSpec(t.client, comment, sp.displayName),
    () => t.client.createOboToken({ applicationId: sp.applicationId, comment, lifetimeSeconds }, t.o),
    (c) => c.token_info.token_id,
  );
}

/** A folder in the workspace tree (only ever one of this run's own, so a recursive delete is safe). */
export async function createFolder(t: Run, path: string): Promise<void> {
  if (!t.names.owns(path.split('/').pop())) throw new Error(`internal: folder ${path} is not named for this run`);
  await t.ledger.create(
    folderSpec(t.client, t.raw, path),
    async () => {
      await rawExpect(t.raw, 'POST', '/api/2.0/workspace/mkdirs', { body: { path }, signal: t.signal });
      return path;
    },
    (p) => p,
  );
}

/** A file written with the product's writeWorkspaceFile (parents created); deleted with deleteWorkspaceFile. */
export async function writeFile(t: Run, path: string, content: string, overwrite: boolean): Promise<void> {
  await t.ledger.create(
    fileSpec(t.client, path),
    () => t.client.writeWorkspaceFile(path, content, { overwrite }, t.o),
    () => path,
  );
}

/** A warehouse `<prefix>-<suffix>` of the smallest size, tagged with the run id. */
export async function createWarehouse(t: Run, suffix: string, o: { serverless: boolean }): Promise<{ id: string; name: string }> {
  const name = t.names.name(suffix);
  const r = await t.ledger.create(
    warehouseSpec(t.client, name),
    () =>
      t.client.createWarehouse(
        {
          name,
          cluster_size: '2X-Small',
          min_num_clusters: 1,
          max_num_clusters: 1,
          auto_stop_mins: 10,
          warehouse_type: 'PRO',
          enable_serverless_compute: o.serverless,
          tags: { custom_tags: [t.names.tag] },
        },
        t.o,
      ),
    (w) => w.id,
  );
  return { id: r.id, name };
}

/** Runs a statement on the `--warehouse`. */
export function statement(t: Run, sql: string): Promise<StatementResult> {
  if (!t.warehouseId) throw new Error('internal: no --warehouse');
  return t.client.executeStatement({ warehouseId: t.warehouseId, statement: sql }, t.o);
}

/** `<catalog>.pc_conformance_<id>` through the UC REST API (owned by the caller; dropped with its grants). */
export async function createUcSchema(t: Run, catalog: string): Promise<string> {
  const name = t.names.sqlName();
  const full = `${catalog}.${name}`;
  const comment = `Created by the Partner Connect conformance suite, run ${t.names.runId}; deleted at the end of the run.`;
  await t.ledger.create(
    ucSchemaSpec(t.client, t.raw, catalog, name),
    async () => {
      await rawExpect(t.raw, 'POST', '/api/2.1/unity-catalog/schemas', { body: { name, catalog_name: catalog, comment }, signal: t.signal });
      return full;
    },
    (x) => x,
  );
  return name;
}

/** `hive_metastore.pc_conformance_<id>` with a CREATE SCHEMA statement on the `--warehouse`. */
export async function createHiveSchema(t: Run): Promise<string> {
  const name = t.names.sqlName();
  const target = `${quoteIdentifier('hive_metastore')}.${quoteIdentifier(name)}`;
  await t.ledger.create(
    {
      kind: 'hive-schema',
      name: `hive_metastore.${name}`,
      remove: async (_id, signal) => {
        await t.client.executeStatement({ warehouseId: t.warehouseId ?? '', statement: `DROP SCHEMA IF EXISTS ${target} CASCADE` }, { signal });
      },
      // DROP SCHEMA IF EXISTS is safe to run whether or not the create went through
      find: async () => [`hive_metastore.${name}`],
      manual: `Run DROP SCHEMA ${target} CASCADE on a SQL warehouse`,
    },
    () => statement(t, `CREATE SCHEMA ${target}`),
    () => `hive_metastore.${name}`,
  );
  return name;
}

/** Grants UC privileges to a principal on one of this run's schemas (revoked at the end). */
export async function ucGrant(t: Run, type: 'catalog' | 'schema', full: string, sp: ServicePrincipal, privileges: string[]): Promise<void> {
  // on the run's own schema a grant goes with the schema (its drop takes every grant, whoever holds it)
  const own = type === 'schema' && full.split('.')[1]?.toLowerCase() === t.names.sqlName();
  await t.ledger.create(
    {
      kind: 'uc-grant',
      goesWith: own ? `the schema ${full}` : undefined,
      name: `${privileges.join(', ')} on ${type} ${full} for ${sp.displayName}`,
      remove: async (_id, signal) => {
        await t.client.updateGrants(type, full, [{ principal: sp.applicationId, remove: privileges }], { signal });
      },
      find: async () => [`${type}:${full}:${sp.applicationId}`],
      exists: async (_id, signal) => {
        try {
          const a = await t.client.getGrants(type, full, { signal });
          return a.some((x) => x.principal.toLowerCase() === sp.applicationId.toLowerCase() && x.privileges.some((p) => privileges.includes(p)));
        } catch (e) {
          if (e instanceof DatabricksApiError && e.isNotFound) return false;
          throw e;
        }
      },
      manual: `REVOKE ${privileges.join(', ').replace(/_/g, ' ')} ON ${type.toUpperCase()} ${full} FROM \`${sp.applicationId}\``,
    },
    () => t.client.updateGrants(type, full, [{ principal: sp.applicationId, add: privileges }], t.o),
    () => `${type}:${full}:${sp.applicationId}`,
  );
}

/** Grants Hive privileges with the engine's own statement (revoked at the end). */
export async function hiveGrant(t: Run, type: 'CATALOG' | 'SCHEMA', schema: string | null, sp: ServicePrincipal, privileges: string[], sql?: string): Promise<StatementResult> {
  const revoke = hiveGrantStatement('REVOKE', type, schema, privileges, sp.applicationId);
  return t.ledger.create(
    {
      kind: 'hive-grant',
      name: `${privileges.join(', ')} on ${type} ${schema ? `hive_metastore.${schema}` : 'hive_metastore'} for ${sp.displayName}`,
      remove: async (_id, signal) => {
        try {
          await t.client.executeStatement({ warehouseId: t.warehouseId ?? '', statement: revoke }, { signal });
        } catch (e) {
          // the schema (and its grants) may be gone already, or the principal with them
          if (/SCHEMA_NOT_FOUND|PRINCIPAL_DOES_NOT_EXIST|Could not find principal/i.test(errorText(e))) return;
          throw e;
        }
      },
      find: async () => [revoke],
      manual: `Run ${revoke} on a SQL warehouse`,
    },
    () => statement(t, sql ?? hiveGrantStatement('GRANT', type, schema, privileges, sp.applicationId)),
    () => revoke,
  );
}
