/**
 * The contract of the shared Databricks workspace client.
 *
 * Every call the extension makes to a Databricks workspace goes through an object of this
 * shape (see `createWorkspaceClient` in ./index.ts). Returned objects keep the REST API's own
 * field names; ids are always normalised to strings. The object types below are the zod-inferred
 * output types of the schemas in ./schemas; this file only names them for callers.
 *
 * No `vscode` import anywhere under src/client.
 */
import type {
  ServicePrincipal,
  SecretInfo,
  CreatedSecret,
  WorkspaceConf,
  WarehouseConfig,
  ScimUser,
  ScimPatchOperation,
  TokenInfo,
  CreatedToken,
  ObjectPermissions,
  AccessControlRequest,
  Warehouse,
  CreateWarehouseSpec,
  Catalog,
  Schema,
  PrivilegeAssignment,
  PermissionsChange,
  MetastoreAssignment,
  MetastoreSummary,
  StatementResult,
  WorkspaceObjectInfo,
  ScimGroup,
} from './schemas';
import type { NetworkOptions } from './http/proxy';

export type {
  ServicePrincipal,
  SecretInfo,
  CreatedSecret,
  WorkspaceConf,
  WarehouseConfig,
  ScimUser,
  ScimPatchOperation,
  TokenInfo,
  CreatedToken,
  ObjectPermissions,
  AccessControlRequest,
  Warehouse,
  CreateWarehouseSpec,
  Catalog,
  Schema,
  PrivilegeAssignment,
  PermissionsChange,
  MetastoreAssignment,
  MetastoreSummary,
  StatementResult,
  WorkspaceObjectInfo,
  ScimGroup,
};

/** Options every call accepts. */
/** A named parameter of a SQL statement (`:name` in the text); `type` is a Databricks SQL type, default STRING. */
export interface StatementParameter {
  name: string;
  value: string | null;
  type?: string;
}

export interface CallOptions {
  /** Cancels the request (and any retry wait). Rejects with an AbortError-named error. */
  signal?: AbortSignal;
  /** Per-request timeout in ms (overrides the client default). */
  timeoutMs?: number;
  /**
   * Called when an attempt got no answer after the request may have reached the workspace, even if a
   * retry then succeeded: a late copy of it may still land (a rollback re-checks such steps).
   */
  onAmbiguousAttempt?: () => void;
}

/** Azure cloud of an Azure Databricks host: PUBLIC, USGOVERNMENT or CHINA (`azure_environment`, `ARM_ENVIRONMENT`). */
export type AzureEnvironmentName = 'PUBLIC' | 'USGOVERNMENT' | 'CHINA';

/**
 * How the client signs in (see src/client/auth/README.md). `default` is a profile or environment
 * with a host and no credentials: the Databricks CLI's login is used, else (Azure hosts) the Azure CLI's.
 */
export type AuthConfig =
  | { type: 'pat'; token: string }
  | { type: 'oauth-m2m'; clientId: string; clientSecret: string }
  | {
      type: 'databricks-cli';
      /** `databricks auth token --profile <profile>` (else `--host`). */
      profile?: string;
      /** Path or name of the CLI (default `databricks` on PATH). */
      cliPath?: string;
      /** Config file the profile is in, passed to the CLI as DATABRICKS_CONFIG_FILE. */
      configFile?: string;
    }
  | { type: 'azure-cli'; tenantId?: string; azureEnvironment?: AzureEnvironmentName; azureResourceId?: string }
  | {
      type: 'azure-client-secret';
      clientId: string;
      clientSecret: string;
      /** Found from the workspace's login redirect (`/aad/auth`) when absent. */
      tenantId?: string;
      azureEnvironment?: AzureEnvironmentName;
      azureResourceId?: string;
      /** Microsoft Entra ID endpoint override, e.g. a local token endpoint in tests (default per cloud). */
      loginEndpoint?: string;
    }
  | {
      type: 'default';
      profile?: string;
      cliPath?: string;
      configFile?: string;
      tenantId?: string;
      azureEnvironment?: AzureEnvironmentName;
    };

export interface WorkspaceClientOptions {
  /** Workspace URL; normalised (scheme added, trailing slash and `?o=` removed). */
  host: string;
  auth: AuthConfig;
  /** Product name/version for the User-Agent. */
  product?: { name: string; version: string };
  /** Default per-request timeout in ms (default 60 000). */
  timeoutMs?: number;
  /**
   * A request's own timeout in ms by method and URL path (without the query), asked once per request
   * (its retries included) when the call gives no `CallOptions.timeoutMs`; undefined = `timeoutMs`.
   * For tests: a fault matrix lets exactly the request the emulator holds time out.
   */
  requestTimeoutMs?: (method: string, path: string) => number | undefined;
  /** Extra CA certificates (PEM), in addition to the OS store and NODE_EXTRA_CA_CERTS. */
  ca?: string | string[];
  /** VS Code's network settings (http.proxy, http.noProxy, http.proxyAuthorization, http.proxyStrictSSL, http.systemCertificates). */
  network?: NetworkOptions;
  /**
   * The workspace behind a unified host (sent as X-Databricks-Workspace-Id on every request);
   * default: the `?o=` / `?w=` / `?workspace_id=` of `host`.
   */
  workspaceId?: string;
  /** Retry policy overrides (mostly for tests). */
  retry?: { maxAttempts?: number; maxTotalMs?: number; baseDelayMs?: number; maxDelayMs?: number };
  /** Called for each request/response, already redacted (for the output channel). */
  logger?: (line: string) => void;
  /**
   * Environment used for proxy variables (HTTPS_PROXY/HTTP_PROXY/NO_PROXY), NODE_EXTRA_CA_CERTS and
   * the Databricks CLI's PATH (defaults to process.env).
   */
  env?: Record<string, string | undefined>;
  /** Polling of running SQL statements: first and maximum wait in ms (defaults 250 and 5 000). */
  statementPoll?: { initialDelayMs?: number; maxDelayMs?: number };
  /** Clock for cached-token expiry (tests); defaults to Date.now. */
  clock?: () => number;
  /** Where else the Databricks CLI may be when it is not on PATH (e.g. the official Databricks extension's bundled CLI). */
  fallbackCliPaths?: readonly string[];
}

export interface WorkspaceClient {
  readonly host: string;
  /** The workspace behind a unified host (sent as X-Databricks-Workspace-Id), if any. */
  readonly workspaceId: string | undefined;
  readonly authType: AuthConfig['type'];

  // Identity
  me(o?: CallOptions): Promise<ScimUser>;
  /**
   * SCIM Me plus the workspace id from its `X-Databricks-Org-Id` response header (null when the
   * header is absent). One request; works without a metastore and for hosts without a numeric id.
   */
  identify(o?: CallOptions): Promise<{ me: ScimUser; workspaceId: string | null }>;
  /** True when the caller is in the `admins` group. */
  isWorkspaceAdmin(o?: CallOptions): Promise<boolean>;
  /** All pages; `filter` is a SCIM filter expression evaluated server-side. */
  listServicePrincipals(q?: { filter?: string; attributes?: string }, o?: CallOptions): Promise<ServicePrincipal[]>;
  iterateServicePrincipals(q?: { filter?: string; attributes?: string; pageSize?: number }, o?: CallOptions): AsyncIterable<ServicePrincipal>;
  getServicePrincipal(id: string, o?: CallOptions): Promise<ServicePrincipal>;
  createServicePrincipal(p: { displayName: string; entitlements: string[]; active?: boolean }, o?: CallOptions): Promise<ServicePrincipal>;
  patchServicePrincipal(id: string, operations: ScimPatchOperation[], o?: CallOptions): Promise<void>;
  deleteServicePrincipal(id: string, o?: CallOptions): Promise<void>;
  listGroups(q?: { filter?: string }, o?: CallOptions): Promise<ScimGroup[]>;
  /** Workspace users matching a SCIM filter (e.g. `userName eq "x"`), with their groups. */
  listUsers(q: { filter: string }, o?: CallOptions): Promise<ScimUser[]>;

  // Tokens
  listTokens(q?: { createdById?: string; createdByUsername?: string }, o?: CallOptions): Promise<TokenInfo[]>;
  /**
   * On-behalf-of token (AWS and GCP; Azure refuses). Always pass `lifetimeSeconds`: what an omitted
   * lifetime yields is not documented, and the workspace's maxTokenLifetimeDays caps it (a request
   * above the cap is refused). The returned token_value is a secret.
   */
  createOboToken(p: { applicationId: string; comment: string; lifetimeSeconds: number }, o?: CallOptions): Promise<CreatedToken>;
  deleteToken(id: string, o?: CallOptions): Promise<void>;
  /**
   * The signed-in user's own tokens (Token API: `POST /token/create`, `GET /token/list`,
   * `POST /token/delete`) — what a connection that acts as the user (NON_ADMIN partners) uses; any user
   * who may use tokens. The same lifetime rules as on-behalf-of tokens; the created token_value is a secret.
   */
  createOwnToken(p: { comment: string; lifetimeSeconds: number }, o?: CallOptions): Promise<CreatedToken>;
  listOwnTokens(o?: CallOptions): Promise<TokenInfo[]>;
  deleteOwnToken(id: string, o?: CallOptions): Promise<void>;
  getTokenPermissions(o?: CallOptions): Promise<ObjectPermissions>;
  /** Workspace settings by key (`maxTokenLifetimeDays`, ...): string values, null when not set. */
  getWorkspaceConf(keys: string[], o?: CallOptions): Promise<WorkspaceConf>;

  // Service principal OAuth secrets (workspace level; every cloud). `scimId` is the principal's SCIM id.
  /** The answer's `secret` is the value, returned only here: a secret. `lifetimeSeconds` omitted = the default (730 days). */
  /**
   * `existingSecretIds`: the principal's secrets before this create. After a throttled answer the
   * create is sent again; a secret the first attempt may have made is deleted before that: one not
   * among `existingSecretIds`, or (without them) one created in the last minute.
   */
  createServicePrincipalSecret(scimId: string, p: { lifetimeSeconds?: number; existingSecretIds?: readonly string[] }, o?: CallOptions): Promise<CreatedSecret>;
  /** Metadata only (never a value); all pages. */
  listServicePrincipalSecrets(scimId: string, o?: CallOptions): Promise<SecretInfo[]>;
  deleteServicePrincipalSecret(scimId: string, secretId: string, o?: CallOptions): Promise<void>;
  /** PATCH (adds/updates entries); never PUT. */
  patchTokenPermissions(acl: AccessControlRequest[], o?: CallOptions): Promise<ObjectPermissions>;

  // Warehouses and clusters
  listWarehouses(o?: CallOptions): Promise<Warehouse[]>;
  getWarehouse(id: string, o?: CallOptions): Promise<Warehouse>;
  createWarehouse(spec: CreateWarehouseSpec, o?: CallOptions): Promise<{ id: string }>;
  /** The workspace's SQL warehouse settings (serverless switched on, warehouse types allowed); workspace admins. */
  getWarehouseConfig(o?: CallOptions): Promise<WarehouseConfig>;
  startWarehouse(id: string, o?: CallOptions): Promise<void>;
  deleteWarehouse(id: string, o?: CallOptions): Promise<void>;
  getWarehousePermissions(id: string, o?: CallOptions): Promise<ObjectPermissions>;
  patchWarehousePermissions(id: string, acl: AccessControlRequest[], o?: CallOptions): Promise<ObjectPermissions>;
  deleteCluster(id: string, o?: CallOptions): Promise<void>;

  // Unity Catalog
  listCatalogs(o?: CallOptions): Promise<Catalog[]>;
  listSchemas(catalogName: string, o?: CallOptions): Promise<Schema[]>;
  getGrants(securableType: string, fullName: string, o?: CallOptions): Promise<PrivilegeAssignment[]>;
  updateGrants(securableType: string, fullName: string, changes: PermissionsChange[], o?: CallOptions): Promise<PrivilegeAssignment[]>;
  /** null when the workspace has no metastore (not UC-enabled). */
  currentMetastoreAssignment(o?: CallOptions): Promise<MetastoreAssignment | null>;
  metastoreSummary(o?: CallOptions): Promise<MetastoreSummary>;
  /** The workspace default catalog setting; null when unset. */
  getDefaultNamespace(o?: CallOptions): Promise<string | null>;

  // SQL statements (legacy Hive metastore grants)
  /** Waits until done; a FAILED statement rejects with a DatabricksApiError carrying the statement's message. */
  /**
   * `parameters` bind named markers (`:name`) in the statement — values never go into the SQL text.
   * Submitting a statement to a stopped warehouse starts it: callers that must not start one check first.
   */
  executeStatement(p: { warehouseId: string; statement: string; parameters?: StatementParameter[] }, o?: CallOptions): Promise<StatementResult>;

  // Workspace files (the connection record)
  /** null when the path does not exist. */
  readWorkspaceFile(path: string, o?: CallOptions): Promise<string | null>;
  /** overwrite=false fails with RESOURCE_ALREADY_EXISTS when the file exists. Parent folders are created. */
  /** `parentMissing`: the caller knows the parent folder does not exist yet: mkdirs first (one round instead of a failed import, mkdirs, import) */
  writeWorkspaceFile(path: string, content: string, p: { overwrite: boolean; parentMissing?: boolean }, o?: CallOptions): Promise<void>;
  /** [] when the folder does not exist. */
  listWorkspaceFiles(path: string, o?: CallOptions): Promise<WorkspaceObjectInfo[]>;
  /** Already-absent is not an error. */
  deleteWorkspaceFile(path: string, o?: CallOptions): Promise<void>;
  /** `get-status`: the object's type and object_id; null when the path does not exist. */
  getWorkspaceObjectStatus(path: string, o?: CallOptions): Promise<WorkspaceObjectInfo | null>;
  /** The permissions of a workspace folder (direct and inherited), by its object_id. */
  getDirectoryPermissions(objectId: string, o?: CallOptions): Promise<ObjectPermissions>;

  /** Closes keep-alive connections. */
  close(): Promise<void>;
}
