/**
 * The configuration attributes of Databricks unified authentication, as every Databricks SDK names
 * them: the key in a `~/.databrickscfg` profile, the environment variable, and the authorization
 * method an attribute belongs to. Two different methods configured at once (e.g. `token` and
 * `client_id`) is refused unless `auth_type` picks one ("more than one authorization method
 * configured"), and any method attribute — or `host` — in the environment makes the SDKs skip the
 * config file when no profile is named.
 */

export type AuthGroup = 'pat' | 'basic' | 'oauth' | 'azure' | 'google' | 'metadata-service';

export const ATTRIBUTE_NAMES = [
  'host',
  'workspace_id',
  'account_id',
  'token',
  'username',
  'password',
  'client_id',
  'client_secret',
  'azure_workspace_resource_id',
  'azure_use_msi',
  'azure_client_id',
  'azure_client_secret',
  'azure_tenant_id',
  'azure_environment',
  'google_service_account',
  'google_credentials',
  'metadata_service_url',
  'auth_type',
  'databricks_cli_path',
] as const;
export type AttributeName = (typeof ATTRIBUTE_NAMES)[number];

export interface ConfigAttribute {
  name: AttributeName;
  env: string;
  /** The authorization method the attribute configures (undefined: not a credential attribute). */
  auth?: AuthGroup;
  /** Its value is a secret (never shown, logged or stored outside SecretStorage). */
  sensitive?: boolean;
}

export const CONFIG_ATTRIBUTES: readonly ConfigAttribute[] = [
  { name: 'host', env: 'DATABRICKS_HOST' },
  { name: 'workspace_id', env: 'DATABRICKS_WORKSPACE_ID' },
  { name: 'account_id', env: 'DATABRICKS_ACCOUNT_ID' },
  { name: 'token', env: 'DATABRICKS_TOKEN', auth: 'pat', sensitive: true },
  { name: 'username', env: 'DATABRICKS_USERNAME', auth: 'basic' },
  { name: 'password', env: 'DATABRICKS_PASSWORD', auth: 'basic', sensitive: true },
  { name: 'client_id', env: 'DATABRICKS_CLIENT_ID', auth: 'oauth' },
  { name: 'client_secret', env: 'DATABRICKS_CLIENT_SECRET', auth: 'oauth', sensitive: true },
  { name: 'azure_workspace_resource_id', env: 'DATABRICKS_AZURE_RESOURCE_ID', auth: 'azure' },
  { name: 'azure_use_msi', env: 'ARM_USE_MSI', auth: 'azure' },
  { name: 'azure_client_id', env: 'ARM_CLIENT_ID', auth: 'azure' },
  { name: 'azure_client_secret', env: 'ARM_CLIENT_SECRET', auth: 'azure', sensitive: true },
  { name: 'azure_tenant_id', env: 'ARM_TENANT_ID', auth: 'azure' },
  { name: 'azure_environment', env: 'ARM_ENVIRONMENT' },
  { name: 'google_service_account', env: 'DATABRICKS_GOOGLE_SERVICE_ACCOUNT', auth: 'google' },
  { name: 'google_credentials', env: 'GOOGLE_CREDENTIALS', auth: 'google', sensitive: true },
  { name: 'metadata_service_url', env: 'DATABRICKS_METADATA_SERVICE_URL', auth: 'metadata-service', sensitive: true },
  { name: 'auth_type', env: 'DATABRICKS_AUTH_TYPE' },
  { name: 'databricks_cli_path', env: 'DATABRICKS_CLI_PATH' },
];

export type Attributes = Partial<Record<AttributeName, string>>;

/** A value that counts as "set": non-empty, and for the boolean `azure_use_msi` not false. */
export function attributeValue(name: AttributeName, raw: string | undefined): string | undefined {
  const v = raw?.trim();
  if (v === undefined || v === '') return undefined;
  if (name === 'azure_use_msi' && /^(false|0|no)$/i.test(v)) return undefined;
  return v;
}

/** The authorization methods that `attrs` configure, sorted (e.g. ['oauth', 'pat']). */
export function authGroupsUsed(attrs: Attributes): AuthGroup[] {
  const used = new Set<AuthGroup>();
  for (const a of CONFIG_ATTRIBUTES) if (a.auth && attrs[a.name] !== undefined) used.add(a.auth);
  return [...used].sort();
}

/** Attributes read from the environment variables the SDKs read. */
export function attributesFromEnvironment(env: Record<string, string | undefined>): { attrs: Attributes; used: string[] } {
  const attrs: Attributes = {};
  const used: string[] = [];
  for (const a of CONFIG_ATTRIBUTES) {
    const v = attributeValue(a.name, env[a.env]);
    if (v === undefined) continue;
    attrs[a.name] = v;
    used.push(a.env);
  }
  return { attrs, used };
}
