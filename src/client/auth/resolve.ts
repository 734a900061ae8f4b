/**
 * Databricks unified authentication: which host and credentials a configuration means, resolved
 * the way the Databricks SDKs and CLI resolve them (sdk-go `config`, sdk-py `config.py`):
 *
 * 1. Environment variables (DATABRICKS_HOST, DATABRICKS_TOKEN, DATABRICKS_CLIENT_ID/_SECRET,
 *    ARM_CLIENT_ID/_SECRET/ARM_TENANT_ID, DATABRICKS_AUTH_TYPE, ... — ./attributes.ts) are read first.
 * 2. The profile is the one named by the caller, else DATABRICKS_CONFIG_PROFILE, else none.
 * 3. With **no profile named** and a host or any credential attribute from the environment, the
 *    config file is **not read** at all: DATABRICKS_HOST is never combined with `[DEFAULT]`'s token
 *    (that would send one host's secret to another).
 * 4. Otherwise the file (the caller's, else DATABRICKS_CONFIG_FILE, else ~/.databrickscfg) is read:
 *    the named profile, else `[__settings__] default_profile`, else `[DEFAULT]` (optional). The
 *    profile fills only the attributes the environment left unset: environment values win
 *    attribute by attribute.
 * 5. Two authorization methods at once are refused unless `auth_type` chooses (./config.ts).
 */
import { AuthConfigError } from '../errors';
import { attributesFromEnvironment, authGroupsUsed, type Attributes } from './attributes';
import {
  attributesToConfig,
  databricksConfigPath,
  defaultProfile,
  profileAttributes,
  profileNames,
  profileValues,
  readDatabricksConfig,
  type DatabricksConfigFile,
  type ResolvedWorkspaceConfig,
} from './config';

export interface ResolveOptions {
  /** Environment variables (default process.env). */
  env?: Record<string, string | undefined>;
  /** Profile to use (like the SDKs' `profile` argument); overrides DATABRICKS_CONFIG_PROFILE. */
  profile?: string;
  /** Config file to read (e.g. the official extension's override setting); overrides DATABRICKS_CONFIG_FILE. */
  configFile?: string;
}

export function resolveWorkspaceConfig(o: ResolveOptions = {}): ResolvedWorkspaceConfig {
  const env = o.env ?? process.env;
  const { attrs: fromEnv, used } = attributesFromEnvironment(env);
  const attrs: Attributes = { ...fromEnv };
  const named = o.profile?.trim() || env.DATABRICKS_CONFIG_PROFILE?.trim() || undefined;
  const namedBy = o.profile?.trim() ? undefined : env.DATABRICKS_CONFIG_PROFILE?.trim() ? 'DATABRICKS_CONFIG_PROFILE' : undefined;
  const path = databricksConfigPath(env, o.configFile);
  const envConfiguresAuth = authGroupsUsed(attrs).length > 0 || attrs.host !== undefined;

  let profile: string | undefined;
  let file: DatabricksConfigFile | undefined;
  if (named !== undefined || !envConfiguresAuth) {
    file = readIfPresent(path, named !== undefined);
    if (file) {
      const chosen = named !== undefined ? { name: named, fallback: false } : defaultProfile(file);
      const present = file.profiles.get(chosen.name);
      if ((present === undefined || Object.keys(present).length === 0) && chosen.fallback) {
        // No (or an empty) [DEFAULT]: nothing from the file, as the SDKs do.
      } else {
        const values = profileAttributes(withOrigin(() => profileValues(file as DatabricksConfigFile, chosen.name), namedBy));
        for (const [k, v] of Object.entries(values) as Array<[keyof Attributes, string]>) if (attrs[k] === undefined) attrs[k] = v;
        profile = chosen.name;
      }
    }
  }

  if (attrs.host === undefined && authGroupsUsed(attrs).length === 0 && profile === undefined) {
    const known = file ? profileNames(file).filter((n) => n !== 'DEFAULT') : [];
    if (file && known.length > 0) {
      throw new AuthConfigError(
        'PROFILE_NOT_FOUND',
        `No profile was named and ${file.path} has no usable [DEFAULT] profile (profiles there: ${known.join(', ')}). ` +
          'Choose one (DATABRICKS_CONFIG_PROFILE, or "databricks auth switch" to set a default).',
      );
    }
    throw new AuthConfigError(
      'MISSING_CREDENTIALS',
      'No Databricks configuration found: set DATABRICKS_HOST with DATABRICKS_TOKEN (or DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET), ' +
        `or create a profile in ${path} (e.g. with "databricks auth login").`,
    );
  }
  const envPart = used.length > 0 ? ` with ${used.join(', ')} from the environment` : '';
  const where = profile !== undefined && file ? `Profile [${profile}] in ${file.path}${envPart}` : `The environment (${used.join(', ') || 'no DATABRICKS_* variables'})`;
  const r = attributesToConfig(attrs, where, { profile, configFile: profile !== undefined ? file?.path : undefined });
  return {
    ...r,
    source: profile !== undefined ? 'config-file' : 'environment',
    ...(profile !== undefined ? { profile, configFile: file?.path } : {}),
    ...(used.length > 0 ? { environment: used } : {}),
  };
}

/**
 * Compatible entry point: `resolveWorkspaceConfig({ env, profile })`.
 * @deprecated use resolveWorkspaceConfig
 */
export function resolveAuthFromEnvironment(env: Record<string, string | undefined> = process.env, o: { profile?: string } = {}): ResolvedWorkspaceConfig {
  return resolveWorkspaceConfig({ env, profile: o.profile });
}

/** Adds which variable named a missing profile to the error. */
function withOrigin<T>(fn: () => T, namedBy: string | undefined): T {
  try {
    return fn();
  } catch (e) {
    if (namedBy && e instanceof AuthConfigError && e.code === 'PROFILE_NOT_FOUND') {
      throw new AuthConfigError(e.code, `${e.message} (The profile is named by ${namedBy}.)`);
    }
    throw e;
  }
}

function readIfPresent(path: string, required: boolean): DatabricksConfigFile | undefined {
  try {
    return readDatabricksConfig({ path });
  } catch (e) {
    if (!required && e instanceof AuthConfigError && e.code === 'CONFIG_FILE_NOT_FOUND') return undefined;
    throw e;
  }
}
