/**
 * `~/.databrickscfg` (or the file named by DATABRICKS_CONFIG_FILE): an INI file with a `[DEFAULT]`
 * section and named profiles holding `host` plus `token`, or `client_id`/`client_secret`, or
 * `auth_type = databricks-cli`. Section and key syntax errors, duplicate sections and duplicate keys
 * are reported with line numbers. Keys of `[DEFAULT]` are NOT inherited by other profiles (each
 * profile is self-contained, as the Databricks CLI and Go SDK read them).
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { AuthConfig } from '../api';
import { AuthConfigError } from '../errors';
import { normaliseHost } from './host';

export interface DatabricksConfigFile {
  /** Where it was read from ('' when parsed from text). */
  path: string;
  /** Profile name → keys (lower-cased) → values, in file order. */
  profiles: Map<string, Record<string, string>>;
}

export interface ResolvedWorkspaceConfig {
  /** Normalised workspace URL. */
  host: string;
  auth: AuthConfig;
  source: 'environment' | 'config-file';
  profile?: string;
  configFile?: string;
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

/** `DATABRICKS_CONFIG_FILE` (with `~` expanded) or `~/.databrickscfg`. */
export function databricksConfigPath(env: Record<string, string | undefined> = process.env): string {
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  const explicit = env.DATABRICKS_CONFIG_FILE?.trim();
  if (explicit) return explicit.startsWith('~') ? join(home, explicit.slice(1)) : explicit;
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
        `No Databricks configuration file at ${path}. Create it with "databricks configure" or "databricks auth login", or set DATABRICKS_CONFIG_FILE.`,
      );
    }
    throw new AuthConfigError('CONFIG_FILE_INVALID', `Cannot read ${path}: ${e instanceof Error ? e.message : String(e)}.`);
  }
  const parsed = parseDatabricksConfig(text, path);
  return { path, profiles: parsed.profiles };
}

const ProfileValues = z.looseObject({
  host: z.string().optional(),
  token: z.string().optional(),
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
  auth_type: z.string().optional(),
});

const UNSUPPORTED_HINTS: Record<string, string> = {
  'external-browser': 'sign in with "databricks auth login" and use auth_type = databricks-cli',
  'azure-cli': 'use a personal access token, OAuth M2M, or auth_type = databricks-cli',
  'azure-client-secret': 'use OAuth M2M with a Databricks-managed secret (client_id / client_secret)',
  'azure-msi': 'use a personal access token or OAuth M2M',
  'github-oidc': 'use OAuth M2M (client_id / client_secret)',
  basic: 'basic authentication is deprecated; use a personal access token or OAuth',
};

/** Attributes (from a profile and/or the environment) → host + auth. `where` labels messages. */
export function attributesToConfig(
  values: { host?: string; token?: string; client_id?: string; client_secret?: string; auth_type?: string },
  where: string,
): { host: string; auth: AuthConfig } {
  const v = ProfileValues.parse(values);
  const host = v.host?.trim();
  if (!host) {
    throw new AuthConfigError('MISSING_HOST', `${where} has no host. Add "host = https://<workspace-host>" (or set DATABRICKS_HOST).`);
  }
  const normalised = normaliseHost(host);
  const authType = v.auth_type?.trim().toLowerCase();
  const token = v.token?.trim();
  const clientId = v.client_id?.trim();
  const clientSecret = v.client_secret?.trim();
  if (authType !== undefined && authType !== '') {
    switch (authType) {
      case 'pat':
        if (!token) throw new AuthConfigError('MISSING_CREDENTIALS', `${where} says auth_type = pat but has no token. Add "token = <personal access token>".`);
        return { host: normalised, auth: { type: 'pat', token } };
      case 'oauth-m2m':
        if (!clientId || !clientSecret) {
          throw new AuthConfigError('MISSING_CREDENTIALS', `${where} says auth_type = oauth-m2m but lacks client_id or client_secret. Add both.`);
        }
        return { host: normalised, auth: { type: 'oauth-m2m', clientId, clientSecret } };
      case 'databricks-cli':
        return { host: normalised, auth: { type: 'databricks-cli' } };
      default: {
        const hint = UNSUPPORTED_HINTS[authType] ?? 'use pat, oauth-m2m or databricks-cli';
        throw new AuthConfigError(
          'UNSUPPORTED_AUTH_TYPE',
          `${where} uses auth_type = ${authType}, which this extension does not support (supported: pat, oauth-m2m, databricks-cli); ${hint}.`,
        );
      }
    }
  }
  if (token) return { host: normalised, auth: { type: 'pat', token } };
  if (clientId && clientSecret) return { host: normalised, auth: { type: 'oauth-m2m', clientId, clientSecret } };
  if (clientId || clientSecret) {
    throw new AuthConfigError('MISSING_CREDENTIALS', `${where} has only one of client_id / client_secret; OAuth M2M needs both.`);
  }
  throw new AuthConfigError(
    'MISSING_CREDENTIALS',
    `${where} has no credentials. Add "token = <personal access token>", or client_id and client_secret, or "auth_type = databricks-cli" after "databricks auth login".`,
  );
}

/** A named profile of a parsed config file → host + auth. */
export function profileConfig(file: DatabricksConfigFile, profile: string): ResolvedWorkspaceConfig {
  const values = file.profiles.get(profile);
  const label = file.path || '.databrickscfg';
  if (!values) {
    const known = [...file.profiles.keys()];
    throw new AuthConfigError(
      'PROFILE_NOT_FOUND',
      `Profile [${profile}] is not in ${label}${known.length > 0 ? ` (profiles there: ${known.join(', ')})` : ' (it has no profiles)'}. Pick an existing profile or add it with "databricks configure --profile ${profile}".`,
    );
  }
  const r = attributesToConfig(values, `Profile [${profile}] in ${label}`);
  const auth: AuthConfig = r.auth.type === 'databricks-cli' ? { type: 'databricks-cli', profile } : r.auth;
  return { host: r.host, auth, source: 'config-file', profile, configFile: file.path || undefined };
}

/** Reads the config file and resolves one profile. */
export function resolveProfile(profile: string, o: { env?: Record<string, string | undefined>; path?: string } = {}): ResolvedWorkspaceConfig {
  return profileConfig(readDatabricksConfig(o), profile);
}
