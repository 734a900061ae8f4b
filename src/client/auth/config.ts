/**
 * `~/.databrickscfg` (or the file named by DATABRICKS_CONFIG_FILE): an INI file of profiles, each a
 * set of configuration attributes (./attributes.ts) — `host` plus `token`, or `client_id` /
 * `client_secret`, or `auth_type = databricks-cli` / `azure-cli`, ... The section `[__settings__]`
 * is not a profile: its `default_profile` names the profile used when none is asked for (what
 * `databricks auth switch` writes). Section and key syntax errors, duplicate sections and duplicate
 * keys are reported with line numbers. Keys of `[DEFAULT]` are NOT inherited by other profiles (each
 * profile is self-contained, as the Databricks CLI and SDKs read them).
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { AuthConfig, AzureEnvironmentName } from '../api';
import { AuthConfigError } from '../errors';
import { ATTRIBUTE_NAMES, attributeValue, authGroupsUsed, type AttributeName, type Attributes } from './attributes';
import { parseWorkspaceHost } from './host';

/** The reserved section of tool settings; never a profile. */
export const SETTINGS_SECTION = '__settings__';

export interface DatabricksConfigFile {
  /** Where it was read from ('' when parsed from text). */
  path: string;
  /** Section name → keys (lower-cased) → values, in file order. Includes `[__settings__]` when present. */
  profiles: Map<string, Record<string, string>>;
}

export interface ResolvedWorkspaceConfig {
  /** Normalised workspace URL (origin). */
  host: string;
  /** The workspace behind a unified host (`?o=` / `?w=` / `?workspace_id=` or `workspace_id`). */
  workspaceId?: string;
  auth: AuthConfig;
  /** 'config-file' when a profile was read (environment values may still override some attributes). */
  source: 'environment' | 'config-file';
  profile?: string;
  configFile?: string;
  /** Environment variables that contributed (names only). */
  environment?: string[];
}

/** Parses INI text. `fileName` only labels error messages. */
export function parseDatabricksConfig(text: string, fileName = '.databrickscfg'): DatabricksConfigFile {
  const profiles = new Map<string, Record<string, string>>();
  const sectionLine = new Map<string, number>();
  let current: { name: string; values: Record<string, string>; keyLine: Map<string, number> } | undefined;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((rawLine, i) => {
    const n = i + 1;
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const section = /^\[([^\]]*)\]$/.exec(line);
    if (section) {
      const name = section[1].trim();
      if (name === '') throw new AuthConfigError('CONFIG_FILE_INVALID', `${fileName} line ${n}: empty section name "[]".`);
      const first = sectionLine.get(name);
      if (first !== undefined) {
        throw new AuthConfigError(
          'DUPLICATE_SECTION',
          `${fileName} line ${n}: profile [${name}] is defined twice (first on line ${first}). Merge or rename one of them.`,
        );
      }
      sectionLine.set(name, n);
      current = { name, values: {}, keyLine: new Map() };
      profiles.set(name, current.values);
      return;
    }
    if (line.startsWith('[')) throw new AuthConfigError('CONFIG_FILE_INVALID', `${fileName} line ${n}: malformed section header (expected "[name]").`);
    const eq = line.search(/[=:]/);
    if (eq <= 0) throw new AuthConfigError('CONFIG_FILE_INVALID', `${fileName} line ${n}: expected "key = value" or "[profile]".`);
    if (!current) throw new AuthConfigError('CONFIG_FILE_INVALID', `${fileName} line ${n}: a key before any [profile] section.`);
    const key = line.slice(0, eq).trim().toLowerCase();
    const value = line.slice(eq + 1).trim();
    const firstKey = current.keyLine.get(key);
    if (firstKey !== undefined) {
      throw new AuthConfigError(
        'CONFIG_FILE_INVALID',
        `${fileName} line ${n}: "${key}" is set twice in profile [${current.name}] (first on line ${firstKey}). Keep one.`,
      );
    }
    current.keyLine.set(key, n);
    current.values[key] = value;
  });
  return { path: '', profiles };
}

/** `explicit` (e.g. a setting), else `DATABRICKS_CONFIG_FILE`, else `~/.databrickscfg`; `~` expanded. */
export function databricksConfigPath(env: Record<string, string | undefined> = process.env, explicit?: string): string {
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  const chosen = explicit?.trim() || env.DATABRICKS_CONFIG_FILE?.trim();
  if (chosen) return chosen.startsWith('~') ? join(home, chosen.slice(1)) : chosen;
  return join(home, '.databrickscfg');
}

/** Reads and parses the config file; a missing file is an AuthConfigError (CONFIG_FILE_NOT_FOUND). */
export function readDatabricksConfig(o: { env?: Record<string, string | undefined>; path?: string } = {}): DatabricksConfigFile {
  const path = o.path ?? databricksConfigPath(o.env ?? process.env);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 'ENOENT') {
      throw new AuthConfigError(
        'CONFIG_FILE_NOT_FOUND',
        `No Databricks configuration file at ${path}. Create it with "databricks auth login" or "databricks configure", or set DATABRICKS_CONFIG_FILE.`,
      );
    }
    throw new AuthConfigError('CONFIG_FILE_INVALID', `Cannot read ${path}: ${e instanceof Error ? e.message : String(e)}.`);
  }
  const parsed = parseDatabricksConfig(text, path);
  return { path, profiles: parsed.profiles };
}

/** Profile names in file order, as `databricks auth profiles` lists them: never `[__settings__]`. */
export function profileNames(file: DatabricksConfigFile): string[] {
  return [...file.profiles.keys()].filter((n) => n !== SETTINGS_SECTION);
}

/**
 * The profile used when none is named: `[__settings__] default_profile`, else `DEFAULT`.
 * `fallback` is true for the implicit DEFAULT (a missing DEFAULT is then not an error).
 */
export function defaultProfile(file: DatabricksConfigFile): { name: string; fallback: boolean } {
  const chosen = file.profiles.get(SETTINGS_SECTION)?.default_profile?.trim();
  if (chosen) {
    if (chosen === SETTINGS_SECTION) throw reservedName(file);
    return { name: chosen, fallback: false };
  }
  return { name: 'DEFAULT', fallback: true };
}

function reservedName(file: DatabricksConfigFile): AuthConfigError {
  return new AuthConfigError(
    'PROFILE_NOT_FOUND',
    `[${SETTINGS_SECTION}] in ${file.path || '.databrickscfg'} is reserved for settings and is not a profile. Name a profile instead.`,
  );
}

/** The known attributes of a profile's keys (unknown keys such as cluster_id are ignored). */
export function profileAttributes(values: Record<string, string>): Attributes {
  const out: Attributes = {};
  for (const name of ATTRIBUTE_NAMES) {
    const v = attributeValue(name, values[name]);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

/** A profile of a parsed file (`[__settings__]` refused, a missing one listed against those there). */
export function profileValues(file: DatabricksConfigFile, profile: string): Record<string, string> {
  if (profile === SETTINGS_SECTION) throw reservedName(file);
  const values = file.profiles.get(profile);
  if (!values) {
    const known = profileNames(file);
    throw new AuthConfigError(
      'PROFILE_NOT_FOUND',
      `Profile [${profile}] is not in ${file.path || '.databrickscfg'}${known.length > 0 ? ` (profiles there: ${known.join(', ')})` : ' (it has no profiles)'}. ` +
        `Pick an existing profile, or create it with "databricks auth login --profile ${profile}".`,
    );
  }
  return values;
}

const AZURE_ENVIRONMENTS: Record<string, AzureEnvironmentName> = {
  PUBLIC: 'PUBLIC',
  AZUREPUBLICCLOUD: 'PUBLIC',
  USGOVERNMENT: 'USGOVERNMENT',
  AZUREUSGOVERNMENTCLOUD: 'USGOVERNMENT',
  USGOVERNMENTCLOUD: 'USGOVERNMENT',
  CHINA: 'CHINA',
  AZURECHINACLOUD: 'CHINA',
  CHINACLOUD: 'CHINA',
};

/** What an unsupported auth_type is, and what to use instead. */
const UNSUPPORTED_HINTS: Record<string, string> = {
  'external-browser': 'it is the SDKs\' own browser login; run "databricks auth login" for this host and use auth_type = databricks-cli',
  'azure-msi': 'managed identities only exist on Azure VMs; use azure-cli (after "az login") or azure-client-secret',
  'github-oidc': 'GitHub OIDC only works inside GitHub Actions; use oauth-m2m (client_id / client_secret) here',
  'github-oidc-azure': 'GitHub OIDC only works inside GitHub Actions; use azure-client-secret or azure-cli here',
  'azure-devops-oidc': 'Azure DevOps OIDC only works inside a pipeline; use azure-cli or azure-client-secret here',
  'env-oidc': 'workload identity federation needs a CI identity token; use oauth-m2m here',
  'file-oidc': 'workload identity federation needs a CI identity token; use oauth-m2m here',
  'metadata-service': 'it is meant for tools that embed a token server; use a personal access token or databricks-cli',
  'google-credentials': 'Google service-account sign-in is not supported here; use a personal access token, oauth-m2m or databricks-cli',
  'google-id': 'Google ID sign-in is not supported here; use a personal access token, oauth-m2m or databricks-cli',
  basic: 'user name and password sign-in is deprecated; use a personal access token or "databricks auth login"',
};
export const SUPPORTED_AUTH_TYPES = ['pat', 'oauth-m2m', 'databricks-cli', 'azure-cli', 'azure-client-secret'] as const;

/**
 * Attributes (from a profile and/or the environment) → host, workspace id and sign-in method, by the
 * SDKs' rules: `auth_type` picks the method; without it, the one method whose attributes are present
 * (PAT, then OAuth M2M, then Azure client secret), refusing two at once; a host alone means the
 * Databricks CLI's login (then the Azure CLI's on Azure hosts). `where` labels messages.
 */
export function attributesToConfig(
  attrs: Attributes,
  where: string,
  o: { profile?: string; configFile?: string } = {},
): { host: string; workspaceId?: string; auth: AuthConfig } {
  if (!attrs.host) {
    throw new AuthConfigError('MISSING_HOST', `${where} has no host. Add "host = https://<workspace-host>" (or set DATABRICKS_HOST).`);
  }
  const parsedHost = parseWorkspaceHost(attrs.host);
  const host = parsedHost.host;
  const workspaceId = attrs.workspace_id ?? parsedHost.workspaceId;
  const out = (auth: AuthConfig): { host: string; workspaceId?: string; auth: AuthConfig } =>
    workspaceId !== undefined ? { host, workspaceId, auth } : { host, auth };

  let azureEnvironment: AzureEnvironmentName | undefined;
  if (attrs.azure_environment) {
    azureEnvironment = AZURE_ENVIRONMENTS[attrs.azure_environment.toUpperCase().replace(/[^A-Z]/g, '')];
    if (!azureEnvironment) {
      throw new AuthConfigError('INVALID_CONFIG', `${where} sets azure_environment = ${attrs.azure_environment}; use PUBLIC, USGOVERNMENT or CHINA.`);
    }
  }
  const azure = {
    ...(attrs.azure_tenant_id ? { tenantId: attrs.azure_tenant_id } : {}),
    ...(azureEnvironment ? { azureEnvironment } : {}),
    ...(attrs.azure_workspace_resource_id ? { azureResourceId: attrs.azure_workspace_resource_id } : {}),
  };
  const cli = {
    ...(o.profile ? { profile: o.profile } : {}),
    ...(attrs.databricks_cli_path ? { cliPath: attrs.databricks_cli_path } : {}),
    ...(o.configFile ? { configFile: o.configFile } : {}),
  };
  const { token, client_id: clientId, client_secret: clientSecret } = attrs;
  const { azure_client_id: azureClientId, azure_client_secret: azureClientSecret } = attrs;
  const authType = attrs.auth_type?.toLowerCase();

  switch (authType) {
    case 'pat':
      if (!token) throw new AuthConfigError('MISSING_CREDENTIALS', `${where} says auth_type = pat but has no token. Add "token = <personal access token>".`);
      return out({ type: 'pat', token });
    case 'oauth-m2m':
      if (!clientId || !clientSecret) {
        throw new AuthConfigError('MISSING_CREDENTIALS', `${where} says auth_type = oauth-m2m but lacks client_id or client_secret. Add both.`);
      }
      return out({ type: 'oauth-m2m', clientId, clientSecret });
    case 'databricks-cli':
      return out({ type: 'databricks-cli', ...cli });
    case 'azure-cli':
      return out({ type: 'azure-cli', ...azure });
    case 'azure-client-secret':
      if (!azureClientId || !azureClientSecret) {
        throw new AuthConfigError(
          'MISSING_CREDENTIALS',
          `${where} says auth_type = azure-client-secret but lacks azure_client_id or azure_client_secret (ARM_CLIENT_ID / ARM_CLIENT_SECRET). Add both.`,
        );
      }
      return out({ type: 'azure-client-secret', clientId: azureClientId, clientSecret: azureClientSecret, ...azure });
    case undefined:
      break;
    default: {
      const hint = UNSUPPORTED_HINTS[authType] ?? `use one of ${SUPPORTED_AUTH_TYPES.join(', ')}`;
      throw new AuthConfigError(
        'UNSUPPORTED_AUTH_TYPE',
        `${where} uses auth_type = ${authType}, which this extension does not support (supported: ${SUPPORTED_AUTH_TYPES.join(', ')}): ${hint}.`,
      );
    }
  }

  const groups = authGroupsUsed(attrs);
  if (groups.length > 1) {
    throw new AuthConfigError(
      'MULTIPLE_AUTH_METHODS',
      `${where} has more than one authorization method configured: ${groups.join(' and ')}. ` +
        `Remove the ones you do not use, or set auth_type (e.g. auth_type = ${groups.includes('pat') ? 'pat' : SUPPORTED_AUTH_TYPES[1]}) to choose one.`,
    );
  }
  if (token) return out({ type: 'pat', token });
  if (clientId && clientSecret) return out({ type: 'oauth-m2m', clientId, clientSecret });
  if (clientId || clientSecret) {
    throw new AuthConfigError('MISSING_CREDENTIALS', `${where} has only one of client_id / client_secret; OAuth M2M needs both.`);
  }
  if (azureClientId && azureClientSecret) return out({ type: 'azure-client-secret', clientId: azureClientId, clientSecret: azureClientSecret, ...azure });
  if (attrs.username || attrs.password) throw unsupportedMethod(where, 'basic');
  if (attrs.google_credentials || attrs.google_service_account) throw unsupportedMethod(where, 'google-credentials');
  if (attrs.azure_use_msi) throw unsupportedMethod(where, 'azure-msi');
  if (attrs.metadata_service_url) throw unsupportedMethod(where, 'metadata-service');
  if (azureClientId || azureClientSecret) {
    throw new AuthConfigError('MISSING_CREDENTIALS', `${where} has only one of azure_client_id / azure_client_secret; an Azure client secret sign-in needs both.`);
  }
  // A host and no credentials: whatever `databricks auth login` (or `az login`) signed in.
  return out({ type: 'default', ...cli, ...(azure.tenantId ? { tenantId: azure.tenantId } : {}), ...(azureEnvironment ? { azureEnvironment } : {}) });
}

function unsupportedMethod(where: string, kind: string): AuthConfigError {
  return new AuthConfigError(
    'UNSUPPORTED_AUTH_TYPE',
    `${where} is configured for ${kind} sign-in, which this extension does not support (supported: ${SUPPORTED_AUTH_TYPES.join(', ')}): ${UNSUPPORTED_HINTS[kind]}.`,
  );
}

/** A named profile of a parsed config file alone (no environment) → host + auth. */
export function profileConfig(file: DatabricksConfigFile, profile: string): ResolvedWorkspaceConfig {
  const values = profileValues(file, profile);
  const label = file.path || '.databrickscfg';
  const r = attributesToConfig(profileAttributes(values), `Profile [${profile}] in ${label}`, { profile, configFile: file.path || undefined });
  return { ...r, source: 'config-file', profile, ...(file.path ? { configFile: file.path } : {}) };
}

/** Reads the config file and resolves one profile, without environment overrides. */
export function resolveProfile(profile: string, o: { env?: Record<string, string | undefined>; path?: string } = {}): ResolvedWorkspaceConfig {
  return profileConfig(readDatabricksConfig(o), profile);
}

export type { AttributeName };
