/**
 * zod schemas for every Databricks REST body the client reads or sends.
 * Tolerant of extra fields (zod objects strip unknown keys by default; use .loose() where callers
 * benefit from the rest). Ids documented as numbers may arrive as strings and vice versa: `Id`
 * accepts both and normalises to string.
 */
import * as z from 'zod';

export { parseJsonLossless } from './json';

/** A numeric-or-string id, normalised to string (int64 ids beyond 2^53 arrive as strings from parseJsonLossless). */
export const Id = z.union([z.string(), z.number()]).transform((v) => String(v));
/** A numeric-or-string epoch milliseconds value, normalised to number. */
export const EpochMs = z.union([z.number(), z.string()]).transform((v) => Number(v));

// ---------------------------------------------------------------- errors
export const StandardErrorBody = z.object({
  /** Some services send a numeric code; normalised to string. */
  error_code: z.union([z.string(), z.number()]).transform((v) => String(v)).optional(),
  message: z.string().optional(),
  details: z.array(z.record(z.string(), z.unknown())).optional(),
});
export const ScimErrorBody = z.object({
  schemas: z.array(z.string()).optional(),
  detail: z.string().optional(),
  status: z.union([z.string(), z.number()]).optional(),
  scimType: z.string().optional(),
});

// ---------------------------------------------------------------- SCIM
export const ScimValue = z.object({ value: z.string(), display: z.string().optional(), $ref: z.string().optional() });
export const ScimUser = z.object({
  id: Id,
  userName: z.string(),
  displayName: z.string().optional(),
  name: z.object({ givenName: z.string().optional(), familyName: z.string().optional() }).optional(),
  active: z.boolean().optional(),
  emails: z.array(z.object({ value: z.string(), primary: z.boolean().optional() })).optional(),
  groups: z.array(ScimValue).optional().default([]),
  entitlements: z.array(z.object({ value: z.string() })).optional().default([]),
});
export type ScimUser = z.output<typeof ScimUser>;

export const ServicePrincipal = z.object({
  id: Id,
  applicationId: z.string(),
  displayName: z.string().optional().default(''),
  active: z.boolean().optional().default(true),
  entitlements: z.array(z.object({ value: z.string() })).optional().default([]),
  groups: z.array(ScimValue).optional().default([]),
  externalId: z.string().optional(),
});
export type ServicePrincipal = z.output<typeof ServicePrincipal>;

export const ScimGroup = z.object({
  id: Id,
  displayName: z.string(),
  members: z.array(ScimValue).optional().default([]),
});
export type ScimGroup = z.output<typeof ScimGroup>;

export const scimListResponse = <T extends z.ZodTypeAny>(item: T) =>
  z.object({
    totalResults: z.union([z.number(), z.string()]).transform(Number).optional(),
    startIndex: z.union([z.number(), z.string()]).transform(Number).optional(),
    itemsPerPage: z.union([z.number(), z.string()]).transform(Number).optional(),
    Resources: z.array(item).optional().default([]),
  });

export const ScimPatchOperation = z.object({
  op: z.enum(['add', 'remove', 'replace']),
  path: z.string().optional(),
  value: z.unknown().optional(),
});
export type ScimPatchOperation = z.infer<typeof ScimPatchOperation>;

// ---------------------------------------------------------------- tokens
export const TokenInfo = z.object({
  token_id: Id,
  creation_time: EpochMs.optional(),
  /** -1 = never expires. */
  expiry_time: EpochMs.optional(),
  comment: z.string().optional().default(''),
  created_by_id: Id.optional(),
  created_by_username: z.string().optional(),
  owner_id: Id.optional(),
  last_used_day: EpochMs.optional(),
});
export type TokenInfo = z.output<typeof TokenInfo>;
export const ListTokensResponse = z.object({ token_infos: z.array(TokenInfo).optional().default([]) });
export const CreatedToken = z.object({ token_value: z.string(), token_info: TokenInfo });
export type CreatedToken = z.output<typeof CreatedToken>;

/** `GET /api/2.0/workspace-conf?keys=a,b` → `{ a: "90", b: null }` (values are strings; absent/null/"" = not set). */
export const WorkspaceConf = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]).transform((v) => (v === null ? null : String(v))));
export type WorkspaceConf = z.output<typeof WorkspaceConf>;

// ---------------------------------------------------------------- service principal OAuth secrets
/** RFC 3339 text (as the API sends) or epoch ms, normalised to an ISO string. */
const Timestamp = z
  .union([z.string(), z.number()])
  .transform((v, ctx) => {
    const ms = typeof v === 'number' ? v : /^\d+$/.test(v) ? Number(v) : Date.parse(v);
    if (!Number.isFinite(ms)) {
      ctx.addIssue({ code: 'custom', message: 'not a timestamp' });
      return z.NEVER;
    }
    return new Date(ms).toISOString();
  });
/** A workspace-level OAuth secret of a service principal, without its value. */
export const SecretInfo = z.object({
  id: Id,
  secret_hash: z.string().optional(),
  status: z.string().optional(),
  create_time: Timestamp.optional(),
  update_time: Timestamp.optional(),
  expire_time: Timestamp.optional(),
});
export type SecretInfo = z.output<typeof SecretInfo>;
/** The create answer: the only time `secret` (the value) is ever returned. */
export const CreatedSecret = SecretInfo.extend({ secret: z.string() });
export type CreatedSecret = z.output<typeof CreatedSecret>;
export const ListSecretsResponse = z.object({ secrets: z.array(SecretInfo).optional().default([]), next_page_token: z.string().optional() });

// ---------------------------------------------------------------- permissions (tokens, warehouses)
export const PermissionEntry = z.object({
  permission_level: z.string(),
  inherited: z.boolean().optional(),
  inherited_from_object: z.array(z.string()).optional(),
});
export const AccessControlResponse = z.object({
  user_name: z.string().optional(),
  group_name: z.string().optional(),
  service_principal_name: z.string().optional(),
  display_name: z.string().optional(),
  all_permissions: z.array(PermissionEntry).optional().default([]),
});
export const ObjectPermissions = z.object({
  object_id: z.string().optional(),
  object_type: z.string().optional(),
  access_control_list: z.array(AccessControlResponse).optional().default([]),
});
export type ObjectPermissions = z.output<typeof ObjectPermissions>;
export const AccessControlRequest = z.object({
  user_name: z.string().optional(),
  group_name: z.string().optional(),
  service_principal_name: z.string().optional(),
  permission_level: z.string(),
});
export type AccessControlRequest = z.infer<typeof AccessControlRequest>;

// ---------------------------------------------------------------- warehouses
export const Warehouse = z.object({
  id: Id,
  name: z.string(),
  state: z.string().optional(),
  cluster_size: z.string().optional(),
  min_num_clusters: z.number().optional(),
  max_num_clusters: z.number().optional(),
  auto_stop_mins: z.number().optional(),
  warehouse_type: z.string().optional(),
  enable_serverless_compute: z.boolean().optional(),
  creator_name: z.string().optional(),
  num_clusters: z.number().optional(),
  jdbc_url: z.string().optional(),
  odbc_params: z
    .object({ hostname: z.string().optional(), path: z.string().optional(), port: z.number().optional(), protocol: z.string().optional() })
    .optional(),
  tags: z.object({ custom_tags: z.array(z.object({ key: z.string(), value: z.string() })).optional() }).optional(),
});
export type Warehouse = z.output<typeof Warehouse>;
export const ListWarehousesResponse = z.object({
  warehouses: z.array(Warehouse).optional().default([]),
  next_page_token: z.string().optional(),
});
export const CreateWarehouseSpec = z.object({
  name: z.string().min(1).max(99),
  cluster_size: z.string(),
  min_num_clusters: z.number().int().optional(),
  max_num_clusters: z.number().int().optional(),
  auto_stop_mins: z.number().int().optional(),
  warehouse_type: z.enum(['PRO', 'CLASSIC']).optional(),
  enable_serverless_compute: z.boolean().optional(),
  tags: z.object({ custom_tags: z.array(z.object({ key: z.string(), value: z.string() })) }).optional(),
});
export type CreateWarehouseSpec = z.infer<typeof CreateWarehouseSpec>;
export const CreateWarehouseResponse = z.object({ id: Id });
/**
 * `GET /api/2.0/sql/config/warehouses` (the workspace's SQL warehouse settings; workspace admins).
 * `enable_serverless_compute`: serverless warehouses are switched on here (absent on some workspaces);
 * `enabled_warehouse_types`: which of PRO / CLASSIC may be created (absent = no restriction given).
 */
export const WarehouseConfig = z.object({
  enable_serverless_compute: z.boolean().optional(),
  enabled_warehouse_types: z.array(z.object({ warehouse_type: z.string(), enabled: z.boolean().optional() })).optional(),
});
export type WarehouseConfig = z.output<typeof WarehouseConfig>;

// ---------------------------------------------------------------- Unity Catalog
export const Catalog = z.object({
  name: z.string(),
  owner: z.string().optional(),
  catalog_type: z.string().optional(),
  comment: z.string().optional(),
  metastore_id: z.string().optional(),
  full_name: z.string().optional(),
});
export type Catalog = z.output<typeof Catalog>;
export const ListCatalogsResponse = z.object({ catalogs: z.array(Catalog).optional().default([]), next_page_token: z.string().optional() });
export const Schema = z.object({
  name: z.string(),
  catalog_name: z.string(),
  full_name: z.string().optional(),
  owner: z.string().optional(),
  comment: z.string().optional(),
});
export type Schema = z.output<typeof Schema>;
export const ListSchemasResponse = z.object({ schemas: z.array(Schema).optional().default([]), next_page_token: z.string().optional() });
export const PrivilegeAssignment = z.object({ principal: z.string(), privileges: z.array(z.string()).optional().default([]) });
export type PrivilegeAssignment = z.output<typeof PrivilegeAssignment>;
export const PermissionsList = z.object({
  privilege_assignments: z.array(PrivilegeAssignment).optional().default([]),
  next_page_token: z.string().optional(),
});
export const PermissionsChange = z.object({
  principal: z.string(),
  add: z.array(z.string()).optional(),
  remove: z.array(z.string()).optional(),
});
export type PermissionsChange = z.infer<typeof PermissionsChange>;
export const MetastoreAssignment = z.object({
  metastore_id: z.string(),
  workspace_id: Id.optional(),
  default_catalog_name: z.string().optional(),
});
export type MetastoreAssignment = z.output<typeof MetastoreAssignment>;
export const MetastoreSummary = z.object({
  metastore_id: z.string(),
  name: z.string().optional(),
  owner: z.string().optional(),
  region: z.string().optional(),
  cloud: z.string().optional(),
});
export type MetastoreSummary = z.output<typeof MetastoreSummary>;
export const DefaultNamespaceSetting = z.object({
  etag: z.string().optional(),
  setting_name: z.string().optional(),
  namespace: z.object({ value: z.string().optional() }),
});

// ---------------------------------------------------------------- SQL statements
export const StatementStatus = z.object({
  state: z.enum(['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELED', 'CLOSED']),
  error: z.object({ error_code: z.string().optional(), message: z.string().optional() }).optional(),
});
export const StatementResult = z.object({
  statement_id: z.string(),
  status: StatementStatus,
  manifest: z
    .object({ schema: z.object({ columns: z.array(z.object({ name: z.string() })).optional() }).optional() })
    .optional(),
  result: z.object({ data_array: z.array(z.array(z.union([z.string(), z.null()]))).optional() }).optional(),
});
export type StatementResult = z.output<typeof StatementResult>;

// ---------------------------------------------------------------- workspace files
export const WorkspaceObjectInfo = z.object({
  path: z.string(),
  object_type: z.string().optional(),
  object_id: Id.optional(),
  language: z.string().optional(),
  size: z.number().optional(),
  modified_at: z.number().optional(),
});
export type WorkspaceObjectInfo = z.output<typeof WorkspaceObjectInfo>;
export const WorkspaceListResponse = z.object({ objects: z.array(WorkspaceObjectInfo).optional().default([]) });
export const WorkspaceExportResponse = z.object({ content: z.string().optional().default(''), file_type: z.string().optional() });

// ---------------------------------------------------------------- OAuth / CLI
export const OAuthTokenResponse = z.object({
  access_token: z.string(),
  token_type: z.string().optional(),
  expires_in: z.union([z.number(), z.string()]).transform(Number).optional(),
});
export const CliTokenOutput = z.object({
  access_token: z.string(),
  token_type: z.string().optional(),
  expiry: z.string().optional(),
});
