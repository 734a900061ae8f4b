/**
 * zod schemas for the Partner Connect protocol (the API each partner hosts and Databricks calls),
 * following `partner-connect-2.0.yaml` (OpenAPI, API version 2.1.1) from
 * databrickslabs/partner-connect-api.
 *
 * - `PartnerConfig`: the published PartnerConfig JSON format. Tolerant of extra fields (they are
 *   kept), strict on the enums the spec defines.
 * - Request bodies we SEND (`ConnectRequest`, `DeleteConnectionRequest`, `TestConnectionRequest`)
 *   are strict objects: an unknown key is a programming error and is rejected before anything goes
 *   on the wire.
 * - Response bodies we READ (`ConnectResponse`, `ErrorResponse`, ...) are loose objects.
 *
 * Deliberate deviations from the YAML (the partner simulator's protocol description,
 * test/partner-sim/protocol.ts, makes the same ones: schemas.test.ts holds these schemas against it,
 * protocol-reference.test.ts holds it against the YAML):
 * - `PartnerConfig.allow_editable_email` is listed as required in the YAML but never declared there
 *   (no type), and none of the published sample PartnerConfigs has it: optional boolean here.
 * - `PartnerConfig.auth_options` is not in the 2.1.1 PartnerConfig schema, but the YAML's field
 *   descriptions refer to it (AUTH_PAT, AUTH_OAUTH_M2M, AUTH_OAUTH_U2M): optional here.
 * - `PartnerConfig.supported_features` is not in the YAML either: it is the self-testing partner
 *   config's list (`UNITY_CATALOG`, `NON_ADMIN`, `EXTERNAL_LOCATION`; self-testing-partner-cli
 *   README), kept because `NON_ADMIN` decides who may connect the partner: optional here.
 * - `ConnectRequest.cloud_provider`: the YAML enum reads `aws | azure | gpc`; `gpc` is a typo for
 *   `gcp` (the same file documents "Valid values are aws, azure, gcp" for every other
 *   cloud_provider field, and partners receive `gcp`). We send `gcp`, never `gpc`.
 * - `DeleteConnectionResponse.resource_status`: the YAML lists resources_deleted,
 *   resources_pending_deletion, deletion_acknowledged; Databricks' prose also names
 *   `user_unauthorized`, so it is accepted too.
 */
import * as z from 'zod';
import { checkPartnerBaseUrl } from '../urls';
import { jsonSyntaxProblem } from '../schemas/json';

// ------------------------------------------------------------------ enums
export const PartnerCategory = z.enum([
  'INGEST',
  'DATA_PREP_AND_TRANSFORM',
  'SECURITY_AND_GOVERNANCE',
  'BI_AND_VIZ',
  'ML',
  'DATA_QUALITY',
  'REVERSE_ETL',
  'SEMANTIC_LAYER',
  'DATA_GOVERNANCE',
]);
export type PartnerCategory = z.output<typeof PartnerCategory>;

export const ResourceType = z.enum(['PAT', 'SqlEndpoint', 'DestLocation', 'InteractiveCluster']);
export type ResourceType = z.output<typeof ResourceType>;

export const DataPermissionName = z.enum([
  'SELECT',
  'CREATE',
  'MODIFY',
  'USAGE',
  'READ_METADATA',
  'CREATE_NAMED_FUNCTION',
  'MODIFY_CLASSPATH',
  'ALL PRIVILEGES',
  'USE_CATALOG',
  'USE_SCHEMA',
  'CREATE_SCHEMA',
  'CREATE_TABLE',
]);
export type DataPermissionName = z.output<typeof DataPermissionName>;

export const ObjectPermissionName = z.enum([
  'Token',
  'Password',
  'Cluster',
  'Pool',
  'Job',
  'DLT_Pipeline',
  'Notebook',
  'Directory',
  'MLflow_Experiment',
  'MLflow_Registered_Model',
  'SQL_Endpoint',
  'Repo',
]);
export const ObjectPermissionLevel = z.enum([
  'CAN_MANAGE',
  'CAN_RESTART',
  'CAN_ATTACH_TO',
  'IS_OWNER',
  'CAN_MANAGE_RUN',
  'CAN_VIEW',
  'CAN_READ',
  'CAN_RUN',
  'CAN_EDIT',
  'CAN_USE',
  'CAN_MANAGE_STAGING_VERSIONS',
  'CAN_MANAGE_PRODUCTION_VERSIONS',
  'CAN_EDIT_METADATA',
  'CAN_VIEW_METADATA',
]);

export const NewUserAction = z.enum(['auto_add', 'invite', 'not_found', 'error']);
export type NewUserAction = z.output<typeof NewUserAction>;

export const TrialType = z.enum(['user', 'account']);
/** Not in the 2.1.1 YAML's PartnerConfig schema, but referenced by its field descriptions. */
export const AuthOption = z.enum(['AUTH_PAT', 'AUTH_OAUTH_M2M', 'AUTH_OAUTH_U2M']);
export const SupportedFeature = z.enum(['UNITY_CATALOG', 'NON_ADMIN', 'EXTERNAL_LOCATION']);
export type AuthOption = z.output<typeof AuthOption>;

/** The value we send. See the header comment for the YAML's `gpc` typo. */
export const CloudProvider = z.enum(['aws', 'azure', 'gcp']);
export type CloudProvider = z.output<typeof CloudProvider>;

export const ConnectionScope = z.enum(['workspace', 'user']);
export const RedirectValue = z.enum(['create_trial', 'purchase_product', 'sign_in', 'contact_admin', 'not_applicable']);
export type RedirectValue = z.output<typeof RedirectValue>;
export const UserStatus = z.enum(['new', 'existing', 'not_applicable']);
export type UserStatus = z.output<typeof UserStatus>;
export const AccountStatus = z.enum(['new', 'active', 'expired', 'not_applicable']);
export type AccountStatus = z.output<typeof AccountStatus>;
export const ErrorReason = z.enum(['unauthorized', 'bad_request', 'account_not_found', 'connection_not_found', 'general_error']);
export type ErrorReason = z.output<typeof ErrorReason>;
/** YAML values plus `user_unauthorized` from Databricks' prose (see header). */
export const ResourceStatus = z.enum(['resources_deleted', 'resources_pending_deletion', 'deletion_acknowledged', 'user_unauthorized']);
export type ResourceStatus = z.output<typeof ResourceStatus>;
export const TestStatus = z.enum(['PASS', 'FAIL', 'UNKNOWN']);

// ------------------------------------------------------------------ PartnerConfig
export const ResourceToProvision = z.looseObject({ resource_type: ResourceType });
export const DataPermission = z.looseObject({ permission: DataPermissionName });
export const ObjectPermission = z.looseObject({ name: ObjectPermissionName, level: ObjectPermissionLevel });

export const PartnerEndpoints = z.looseObject({
  connect_path: z.string().min(1),
  get_connectors_path: z.string().optional(),
  test_connection_path: z.string().optional(),
  delete_account_path: z.string().optional(),
  expire_account_path: z.string().optional(),
  delete_connection_path: z.string().optional(),
});
export type PartnerEndpoints = z.output<typeof PartnerEndpoints>;

export const TestWorkspaceDetail = z.looseObject({
  hostname: z.string(),
  port: z.number().int(),
  jdbc_url: z.string(),
  databricks_jdbc_url: z.string(),
  http_path: z.string(),
  cluster_id: z.string(),
});

/**
 * Where the partner's API lives, and so where the partner-issued password and the partner's new
 * credential are sent: https (http only for a loopback host), no user:password@, no query or
 * fragment, canonical (../urls.ts). Refused when the file is loaded, never at the first connect; the
 * message names the URL by origin and path only.
 */
export const PartnerBaseUrl = z.string().superRefine((s, ctx) => {
  const c = checkPartnerBaseUrl(s);
  if (!c.ok) ctx.addIssue({ code: 'custom', message: c.reason });
});

export const PartnerConfig = z.looseObject({
  api_version: z.string(),
  name: z.string().min(1),
  description_blurb: z.string(),
  category: PartnerCategory,
  base_url: PartnerBaseUrl,
  endpoints: PartnerEndpoints,
  sign_up_page: z.string(),
  privacy_policy: z.string(),
  terms_of_service: z.string(),
  logo_file: z.string(),
  icon_file: z.string(),
  /** Listed as required by the YAML but never declared there; absent from every published sample. */
  allow_editable_email: z.boolean().optional(),
  resources_to_provision: z.array(ResourceToProvision),
  data_permissions: z.array(DataPermission).optional(),
  object_permissions: z.array(ObjectPermission).optional(),
  supported_clouds: z.array(z.string()),
  /** The redirect allow-list (see `isRedirectAllowed`). */
  hostnames: z.array(z.string()),
  new_user_action: NewUserAction,
  require_manual_signup: z.boolean().optional(),
  trial_type: TrialType.optional(),
  supports_demo: z.boolean().optional(),
  test_workspace_detail: TestWorkspaceDetail.optional(),
  /** Absent means AUTH_PAT only. */
  auth_options: z.array(AuthOption).optional(),
  /**
   * The self-testing partner config's features (not in the YAML): NON_ADMIN = non-admins may connect
   * the partner (then AUTH_OAUTH_M2M falls back to AUTH_PAT); UNITY_CATALOG; EXTERNAL_LOCATION.
   */
  supported_features: z.array(SupportedFeature).optional(),
});
export type PartnerConfig = z.output<typeof PartnerConfig>;

/**
 * The part of a PartnerConfig the protocol client needs. A full PartnerConfig is assignable to it;
 * a catalog entry carrying only the handoff fields can be passed too.
 */
export type PartnerProtocolConfig = Pick<PartnerConfig, 'name' | 'base_url' | 'endpoints' | 'hostnames'> &
  Partial<Pick<PartnerConfig, 'sign_up_page' | 'auth_options'>>;

/** Parses a PartnerConfig JSON text; throws a readable error naming the offending fields. */
export function parsePartnerConfigJson(text: string, source = 'PartnerConfig'): PartnerConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`${source}: not valid JSON (${jsonSyntaxProblem(e)})`);
  }
  const r = PartnerConfig.safeParse(raw);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`${source}: not a valid PartnerConfig: ${issues}`);
  }
  return r.data;
}

// ------------------------------------------------------------------ requests (sent: strict)
/**
 * int64 in the spec (workspace ids, user ids). A JS number holds only integers up to 2^53 exactly, so
 * an id is given as a safe integer, a bigint or its decimal text, and sent as a bigint: the body is
 * written with stringifyJsonLossless, a plain JSON integer with every digit.
 */
const INT64_MAX = 2n ** 63n - 1n;
const Int64 = z
  .union([
    z.bigint(),
    z.number().int().refine(Number.isSafeInteger, 'an integer beyond 2^53 loses digits as a number: give it as a bigint or as decimal text'),
    z.string().regex(/^-?\d{1,19}$/, 'decimal digits'),
  ])
  .transform((v) => BigInt(v))
  .refine((v) => v >= -INT64_MAX - 1n && v <= INT64_MAX, 'outside the int64 range')
  // on the wire it is always a JSON integer, whatever form it was given in
  .meta({ type: 'integer', format: 'int64' });

export const Auth = z.strictObject({
  /**
   * Secret. Never log, display or store. null when the partner's auth_options do not contain AUTH_PAT
   * (AUTH_OAUTH_M2M: the OAuth secret travels in the request's top-level service_principal_oauth_secret).
   */
  personal_access_token: z.string().nullable(),
  oauth_token: z.string().optional(),
  oauth_scope: z.string().optional(),
});

export const UserInfo = z.strictObject({
  /** Present only when is_connection_established is false. */
  auth: Auth.optional(),
  email: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  databricks_user_id: Int64,
  databricks_organization_id: Int64,
  is_connection_established: z.boolean(),
});
export type UserInfo = z.output<typeof UserInfo>;

export const ConnectRequest = z.strictObject({
  user_info: UserInfo,
  /** Only when is_connection_established is true. */
  connection_id: z.string().optional(),
  hostname: z.string(),
  port: z.number().int().min(0).max(2147483647),
  workspace_url: z.string(),
  http_path: z.string().optional(),
  jdbc_url: z.string().optional(),
  databricks_jdbc_url: z.string().optional(),
  workspace_id: Int64,
  demo: z.boolean(),
  cloud_provider: CloudProvider,
  cloud_provider_region: z.string().optional(),
  is_free_trial: z.boolean(),
  destination_location: z.string().optional(),
  catalog_name: z.string().optional(),
  database_name: z.string().optional(),
  cluster_id: z.string().optional(),
  is_sql_endpoint: z.boolean().optional(),
  is_sql_warehouse: z.boolean().optional(),
  data_source_connector: z.string().optional(),
  /** The service principal's applicationId (UUID). */
  service_principal_id: z.string().optional(),
  /** Secret (AUTH_OAUTH_M2M only). Never log, display or store. */
  service_principal_oauth_secret: z.string().optional(),
  oauth_u2m_app_id: z.string().optional(),
  connection_scope: ConnectionScope.optional(),
});
export type ConnectRequest = z.output<typeof ConnectRequest>;
export type ConnectRequestInput = z.input<typeof ConnectRequest>;

export const DeleteConnectionRequest = z.strictObject({
  connection_id: z.string(),
  /** The YAML types this as a plain string ("Valid values are aws, azure, gcp"). */
  cloud_provider: CloudProvider,
  databricks_organization_id: Int64,
});
export type DeleteConnectionRequest = z.output<typeof DeleteConnectionRequest>;
export type DeleteConnectionRequestInput = z.input<typeof DeleteConnectionRequest>;

/** `ConnectionInfo` in the YAML. */
export const TestConnectionRequest = z.strictObject({ connection_id: z.string() });
export type TestConnectionRequest = z.output<typeof TestConnectionRequest>;

// ------------------------------------------------------------------ responses (read: loose)
/** `Connection` in the YAML: the 200/201 body of connect. */
export const ConnectResponse = z.looseObject({
  redirect_uri: z.string(),
  redirect_value: RedirectValue,
  /** Required when configured_resources is true. */
  connection_id: z.string().optional(),
  user_status: UserStatus,
  account_status: AccountStatus,
  configured_resources: z.boolean(),
  oauth_redirect_uri: z.string().optional(),
});
export type ConnectResponse = z.output<typeof ConnectResponse>;

export const ErrorResponse = z.looseObject({
  error_reason: ErrorReason,
  /** Shown to the user. */
  display_message: z.string().optional(),
  /** Logged, NEVER shown. */
  debugging_message: z.string().optional(),
});
export type ErrorResponse = z.output<typeof ErrorResponse>;

export const DeleteConnectionResponse = z.looseObject({ resource_status: ResourceStatus });
export type DeleteConnectionResponse = z.output<typeof DeleteConnectionResponse>;

export const TestResult = z.looseObject({ test_name: z.string(), status: TestStatus, message: z.string().optional() });
export type TestResult = z.output<typeof TestResult>;
/** `ConnectionTestResult` in the YAML. */
export const TestConnectionResponse = z.looseObject({ test_results: z.array(TestResult) });
export type TestConnectionResponse = z.output<typeof TestConnectionResponse>;

export const Connector = z.looseObject({
  identifier: z.string(),
  name: z.string(),
  type: z.enum(['source', 'target']),
  description: z.string().optional(),
});
export const ConnectorResponse = z.looseObject({ connectors: z.array(Connector), pagination_token: z.string().optional() });
export type ConnectorResponse = z.output<typeof ConnectorResponse>;
