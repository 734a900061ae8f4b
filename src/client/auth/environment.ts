/**
 * "Unified auth" resolution from environment variables, falling back to a config-file profile:
 * DATABRICKS_HOST, DATABRICKS_TOKEN, DATABRICKS_CLIENT_ID, DATABRICKS_CLIENT_SECRET,
 * DATABRICKS_AUTH_TYPE, DATABRICKS_CONFIG_PROFILE, DATABRICKS_CONFIG_FILE.
 *
 * Environment values win over profile values, attribute by attribute (so DATABRICKS_HOST plus a
 * profile's token works). The profile is DATABRICKS_CONFIG_PROFILE, else the `profile` option, else
 * DEFAULT. The config file is only required when the environment alone is not complete, or when a
 * profile was asked for explicitly.
 */
import { AuthConfigError } from '../errors';
import { attributesToConfig, databricksConfigPath, readDatabricksConfig, type DatabricksConfigFile, type ResolvedWorkspaceConfig } from './config';

const ENV_ATTRS = {
  host: 'DATABRICKS_HOST',
  token: 'DATABRICKS_TOKEN',
  client_id: 'DATABRICKS_CLIENT_ID',
  client_secret: 'DATABRICKS_CLIENT_SECRET',
  auth_type: 'DATABRICKS_AUTH_TYPE',
} as const;
type Attr = keyof typeof ENV_ATTRS;

export function resolveAuthFromEnvironment(
  env: Record<string, string | undefined> = process.env,
  o: { profile?: string } = {},
): ResolvedWorkspaceConfig {
  const fromEnv: Partial<Record<Attr, string>> = {};
  for (const [attr, name] of Object.entries(ENV_ATTRS) as Array<[Attr, string]>) {
    const v = env[name]?.trim();
    if (v) fromEnv[attr] = v;
  }
  const explicitProfile = env.DATABRICKS_CONFIG_PROFILE?.trim() || o.profile?.trim() || undefined;
  const envComplete =
    fromEnv.host !== undefined &&
    (fromEnv.token !== undefined || (fromEnv.client_id !== undefined && fromEnv.client_secret !== undefined) || fromEnv.auth_type === 'databricks-cli');

  if (envComplete && explicitProfile === undefined) {
    const r = attributesToConfig(fromEnv, 'The DATABRICKS_* environment');
    return { ...r, source: 'environment' };
  }

  const profile = explicitProfile ?? 'DEFAULT';
  let file: DatabricksConfigFile;
  try {
    file = readDatabricksConfig({ env });
  } catch (e) {
    if (e instanceof AuthConfigError && e.code === 'CONFIG_FILE_NOT_FOUND' && explicitProfile === undefined) {
      throw new AuthConfigError(
        'MISSING_CREDENTIALS',
        'No Databricks credentials found: set DATABRICKS_HOST with DATABRICKS_TOKEN (or DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET), ' +
          `or create a [DEFAULT] profile in ${databricksConfigPath(env)} (e.g. with "databricks configure").`,
      );
    }
    throw e;
  }
  const values = file.profiles.get(profile);
  if (!values) {
    if (explicitProfile === undefined && fromEnv.host !== undefined) {
      // Only DATABRICKS_HOST and no usable profile: report what the environment lacks.
      const r = attributesToConfig(fromEnv, 'The DATABRICKS_* environment');
      return { ...r, source: 'environment' };
    }
    const known = [...file.profiles.keys()];
    throw new AuthConfigError(
      'PROFILE_NOT_FOUND',
      `Profile [${profile}] is not in ${file.path}${known.length > 0 ? ` (profiles there: ${known.join(', ')})` : ''}. ` +
        (explicitProfile ? 'Check DATABRICKS_CONFIG_PROFILE / the profile setting.' : 'Add a [DEFAULT] profile or set DATABRICKS_CONFIG_PROFILE.'),
    );
  }
  const merged: Record<string, string> = { ...values };
  for (const [k, v] of Object.entries(fromEnv)) merged[k] = v;
  // An explicit auth type in the environment overrides credentials implied by the profile.
  const r = attributesToConfig(merged, `Profile [${profile}] in ${file.path} (with DATABRICKS_* overrides)`);
  const auth = r.auth.type === 'databricks-cli' && fromEnv.host === undefined ? { type: 'databricks-cli' as const, profile } : r.auth;
  return { host: r.host, auth, source: 'config-file', profile, configFile: file.path };
}
