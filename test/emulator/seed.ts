/**
 * The JSON seed that describes an emulated Databricks workspace, validated with zod.
 *
 * Principals are referenced by name everywhere in a seed: users by `userName`, service principals
 * by `applicationId` (or, in seed references only, by `displayName` when unique), groups by
 * `displayName` — the same names the REST APIs use in ACLs and grants.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const Entitlement = z.string();
const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export const SeedUser = z.strictObject({
  id: z.string().regex(/^\d+$/).optional(),
  userName: z.string().min(1),
  displayName: z.string().optional(),
  givenName: z.string().optional(),
  familyName: z.string().optional(),
  active: z.boolean().default(true),
  /** Group display names (e.g. "admins"). Everyone is implicitly in `users` and `account users`. */
  groups: z.array(z.string()).default([]),
  entitlements: z.array(Entitlement).default([]),
  /** A personal access token value for this user (emulator credential). */
  token: z.string().min(8).optional(),
  /** More PAT values for this user. */
  tokens: z.array(z.string().min(8)).default([]),
});
export type SeedUser = z.output<typeof SeedUser>;

export const SeedGroup = z.strictObject({
  id: z.string().regex(/^\d+$/).optional(),
  displayName: z.string().min(1),
  entitlements: z.array(Entitlement).default([]),
});

export const SeedServicePrincipal = z.strictObject({
  id: z.string().regex(/^\d+$/).optional(),
  applicationId: z.string().regex(UUID_RE, 'a UUID').optional(),
  displayName: z.string().default(''),
  active: z.boolean().default(true),
  entitlements: z.array(Entitlement).default([]),
  groups: z.array(z.string()).default([]),
  externalId: z.string().optional(),
  /** OAuth M2M client secret (client id = applicationId). */
  oauthSecret: z.string().min(8).optional(),
});
export type SeedServicePrincipal = z.output<typeof SeedServicePrincipal>;

export const SeedToken = z.strictObject({
  token_id: z.string().regex(/^[0-9a-f]+$/).optional(),
  /** Plain token value (lets tests authenticate with it). Generated when absent. */
  value: z.string().min(8).optional(),
  /** Owner: a userName, or a service principal applicationId / displayName. */
  owner: z.string(),
  /** Creator (userName); defaults to the owner. */
  createdBy: z.string().optional(),
  comment: z.string().default(''),
  creation_time: z.number().int().optional(),
  /** -1 = never expires (an old token; new ones cannot be). */
  expiry_time: z.number().int().default(-1),
  /** epoch ms of the day the token was last used (absent: today — a seeded token is in use) */
  last_used_day: z.number().int().optional(),
});

const PermissionLevel = z.enum(['CAN_VIEW', 'CAN_MONITOR', 'CAN_USE', 'CAN_MANAGE', 'IS_OWNER']);
export const SeedAclEntry = z
  .object({
    user_name: z.string().optional(),
    group_name: z.string().optional(),
    /** applicationId (or displayName in a seed) */
    service_principal_name: z.string().optional(),
    permission_level: PermissionLevel,
  })
  .refine((e) => [e.user_name, e.group_name, e.service_principal_name].filter((x) => x !== undefined).length === 1, {
    message: 'exactly one of user_name, group_name, service_principal_name',
  });
export type SeedAclEntry = z.output<typeof SeedAclEntry>;

export const WarehouseState = z.enum(['STARTING', 'RUNNING', 'STOPPING', 'STOPPED', 'DELETING', 'DELETED']);
export const SeedWarehouse = z.strictObject({
  id: z.string().regex(/^[0-9a-f]{16}$/).optional(),
  name: z.string().min(1).max(99),
  state: WarehouseState.default('STOPPED'),
  cluster_size: z.string().default('2X-Small'),
  min_num_clusters: z.number().int().default(1),
  max_num_clusters: z.number().int().default(1),
  auto_stop_mins: z.number().int().default(10),
  warehouse_type: z.enum(['PRO', 'CLASSIC']).default('PRO'),
  enable_serverless_compute: z.boolean().default(false),
  /** userName of the creator (gets IS_OWNER). Defaults to the first admin. */
  creator: z.string().optional(),
  tags: z.array(z.strictObject({ key: z.string(), value: z.string() })).default([]),
  acl: z.array(SeedAclEntry).default([]),
});

export const SeedCluster = z.strictObject({
  cluster_id: z.string().min(1),
  cluster_name: z.string().default(''),
  state: z.string().default('TERMINATED'),
  creator: z.string().optional(),
});

/** principal name → privileges */
const Grants = z.record(z.string(), z.array(z.string()));

export const SeedCatalog = z.strictObject({
  name: z.string().min(1),
  owner: z.string(),
  catalog_type: z.string().default('MANAGED_CATALOG'),
  comment: z.string().optional(),
  grants: Grants.default({}),
});

export const SeedSchema = z.strictObject({
  catalog: z.string().min(1),
  name: z.string().min(1),
  owner: z.string(),
  comment: z.string().optional(),
  grants: Grants.default({}),
});

export const SeedHive = z.strictObject({
  /** Hive metastore databases; `default` is always present. */
  schemas: z.array(z.strictObject({ name: z.string().min(1), owner: z.string().optional() })).default([]),
  /** Owner of the hive_metastore catalog (a principal name); default: the admins group. */
  catalogOwner: z.string().optional(),
  /**
   * Legacy table-ACL grants: securable → principal → privileges. Securable keys: `CATALOG`
   * (hive_metastore itself) or `SCHEMA <name>`.
   */
  grants: z.record(z.string(), Grants).default({}),
});

export const SeedOptions = z.strictObject({
  /** SCIM `count` cap (and default page size). */
  scimMaxCount: z.number().int().positive().default(100),
  /** Server-side page size cap for Unity Catalog lists (also applies when max_results is absent). */
  ucPageSize: z.number().int().positive().optional(),
  /** Insert an empty page carrying a next_page_token before every real UC page (incl. the first). */
  ucEmptyPages: z.boolean().default(false),
  /** Default page size of GET /sql/warehouses when page_size is absent (default: all). */
  warehousePageSize: z.number().int().positive().optional(),
  /** Insert an empty page carrying a token before every real warehouse page. */
  warehouseEmptyPages: z.boolean().default(false),
  /** A statement answers RUNNING for this many polls before its final state. */
  statementRunningPolls: z.number().int().min(0).default(0),
  /** A started warehouse answers STARTING for this many GETs before RUNNING. */
  warehouseStartingPolls: z.number().int().min(0).default(0),
  oauthTokenTtlSeconds: z.number().int().positive().default(3600),
  /**
   * The cloud the workspace runs on. `azure`: POST on-behalf-of/tokens is refused with 400 "On-behalf-of
   * token creation for service principals is not enabled for this workspace" (OBO tokens exist on AWS
   * and GCP only); the OAuth secrets API works on every cloud.
   */
  cloud: z.enum(['aws', 'gcp', 'azure']).default('aws'),
  /** false = POST on-behalf-of/tokens is refused as on Azure, whatever `cloud` says. */
  oboTokensEnabled: z.boolean().default(true),
  /** The admin setting `maxTokenLifetimeDays` (workspace-conf); null = not set (new tokens: at most 730 days). */
  maxTokenLifetimeDays: z.number().int().min(1).max(730).nullable().default(null),
  /**
   * Whether a non-admin may read `GET /api/2.0/workspace-conf` (no public source says; README). Default
   * false: 403 PERMISSION_DENIED, the stricter answer; true: the same answer an admin gets.
   */
  workspaceConfReadableByUsers: z.boolean().default(false),
  /** Serverless SQL warehouses can be created here (not every workspace has them). */
  serverlessAvailable: z.boolean().default(true),
  /** Warehouse types a create may use (e.g. ["CLASSIC"] where Pro is not offered). */
  warehouseTypes: z.array(z.enum(['PRO', 'CLASSIC'])).default(['PRO', 'CLASSIC']),
  /** false = GET /sql/config/warehouses leaves out enable_serverless_compute: only a refused create tells that serverless is missing. */
  warehouseConfigTellsServerless: z.boolean().default(true),
  /**
   * Identity federation: deleting a principal through workspace SCIM only removes its workspace
   * assignment, so its Unity Catalog (metastore) grants survive. false = they go with it.
   */
  identityFederation: z.boolean().default(true),
  /** List a synthetic `hive_metastore` catalog (catalog_type INTERNAL_CATALOG) in UC catalog lists. */
  hiveMetastoreInCatalogList: z.boolean().default(true),
  /** false = the `system.access` schema is not enabled: queries on system.access.audit fail (TABLE_OR_VIEW_NOT_FOUND). Without a metastore there are no system tables either. */
  systemTablesEnabled: z.boolean().default(true),
  /** Hostname used in warehouse odbc_params/jdbc_url (default: the Host the request came to). */
  publicHostname: z.string().optional(),
});
export type SeedOptions = z.output<typeof SeedOptions>;

export const Seed = z.strictObject({
  workspace: z
    .object({ id: z.string().regex(/^\d+$/).default('1234567890123456'), name: z.string().default('workspace') })
    .default({ id: '1234567890123456', name: 'workspace' }),
  users: z.array(SeedUser).min(1),
  groups: z.array(SeedGroup).default([]),
  servicePrincipals: z.array(SeedServicePrincipal).default([]),
  tokens: z.array(SeedToken).default([]),
  /** The token-usage ACL (/permissions/authorization/tokens); admins CAN_MANAGE is implicit. */
  tokenAcl: z.array(SeedAclEntry).default([]),
  warehouses: z.array(SeedWarehouse).default([]),
  clusters: z.array(SeedCluster).default([]),
  /** null/absent = the workspace has no Unity Catalog metastore. */
  metastore: z
    .object({
      id: z.string().regex(UUID_RE, 'a UUID').default('11111111-2222-4333-8444-555555555555'),
      name: z.string().default('metastore'),
      owner: z.string(),
      region: z.string().default('us-west-2'),
      cloud: z.string().default('aws'),
    })
    .nullable()
    .default(null),
  /** current-metastore-assignment default_catalog_name (default: hive_metastore). */
  defaultCatalog: z.string().default('hive_metastore'),
  /** The default_namespace_ws setting; absent/null = unset (404). */
  defaultNamespaceSetting: z.string().nullable().default(null),
  catalogs: z.array(SeedCatalog).default([]),
  schemas: z.array(SeedSchema).default([]),
  hive: SeedHive.default({ schemas: [], grants: {} }),
  /** Workspace files: absolute path → UTF-8 content. A path ending in "/" is a folder. */
  workspaceFiles: z.record(z.string(), z.string()).default({}),
  options: SeedOptions.default(SeedOptions.parse({})),
  /**
   * Free-form data for other test doubles and tests (e.g. partner connections of the demo); the
   * emulator keeps it in `state.extras` and serves nothing from it.
   */
  extras: z.record(z.string(), z.unknown()).default({}),
});
export type Seed = z.input<typeof Seed>;
export type ParsedSeed = z.output<typeof Seed>;

/** Validates a seed object or loads and validates a JSON seed file. */
export function loadSeed(seed: Seed | string): ParsedSeed {
  const raw: unknown = typeof seed === 'string' ? JSON.parse(readFileSync(seed, 'utf8')) : seed;
  const r = Seed.safeParse(raw);
  if (!r.success) {
    const where = typeof seed === 'string' ? seed : 'seed object';
    throw new Error(`Invalid emulator seed (${where}): ${z.prettifyError(r.error)}`);
  }
  return r.data;
}
