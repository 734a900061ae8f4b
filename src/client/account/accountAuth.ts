/**
 * Account-level sign-in, on the same provider interface as the workspace methods (../auth/provider.ts):
 *
 * - OAuth M2M with an account service principal: client credentials at the account's OIDC token
 *   endpoint `{accounts host}/oidc/accounts/{account_id}/v1/token` (Go SDK u2m endpoint supplier).
 * - the Databricks CLI with an account login (`databricks auth login --host <accounts host>
 *   --account-id <id>`, saved as a profile such as `[ACCOUNT-<id>]`): `databricks auth token
 *   --profile P`, or `--host H --account-id X`.
 * - a `~/.databrickscfg` account profile (`host` = an accounts host, `account_id` set, no
 *   `workspace_id` — the CLI's own test): its client id/secret, or `auth_type = databricks-cli`.
 * - the Azure CLI (Azure accounts): `az account get-access-token --resource <Azure Databricks>`, a
 *   Microsoft Entra ID token that is valid for the account and for every Azure Databricks workspace.
 *
 * Reaching the workspaces: an account token is never sent to a workspace (whether workspaces accept
 * account-issued tokens is not established, and on GCP they do not). Each workspace gets its own:
 * the same client id/secret at that workspace's `/oidc/v1/token`, or the CLI's token for that
 * workspace host (which needs its own `databricks auth login --host <workspace>`; the CLI keeps one
 * token per OAuth endpoint).
 */
import type { AuthConfig } from '../api';
import { AuthConfigError } from '../errors';
import { azureCliAuth } from '../auth/azure';
import { databricksCliAuth } from '../auth/databricksCli';
import { oauthM2mAuth } from '../auth/oauthM2m';
import type { AuthProvider } from '../auth/provider';
import { readDatabricksConfig, type DatabricksConfigFile } from '../auth/config';
import type { HttpTransport } from '../http/transport';
import { normaliseAccountsHost } from './hosts';

export type AccountAuthConfig =
  | { type: 'oauth-m2m'; clientId: string; clientSecret: string }
  | { type: 'databricks-cli'; profile?: string; cliPath?: string }
  /** Azure accounts: the Azure CLI's Microsoft Entra ID token for the Azure Databricks resource (`az login`) */
  | { type: 'azure-cli'; tenantId?: string };

export function accountAuthProvider(o: {
  host: string;
  accountId: string;
  auth: AccountAuthConfig;
  transport: HttpTransport;
  env?: Record<string, string | undefined>;
  now?: () => number;
  timeoutMs?: number;
  /** Where else to look for the Databricks CLI (the official extension's bundled one). */
  fallbackCliPaths?: readonly string[];
}): AuthProvider {
  const auth = o.auth;
  switch (auth.type) {
    case 'oauth-m2m':
      return oauthM2mAuth({
        host: o.host,
        clientId: auth.clientId,
        clientSecret: auth.clientSecret,
        transport: o.transport,
        now: o.now,
        timeoutMs: o.timeoutMs,
        tokenUrl: `${o.host}/oidc/accounts/${encodeURIComponent(o.accountId)}/v1/token`,
        audience: `account ${o.accountId} (and has the account admin role)`,
      });
    case 'databricks-cli':
      return databricksCliAuth({ host: o.host, profile: auth.profile, accountId: auth.profile ? undefined : o.accountId, cliPath: auth.cliPath, fallbackCliPaths: o.fallbackCliPaths, env: o.env, now: o.now });
    case 'azure-cli':
      return azureCliAuth({ host: o.host, transport: o.transport, tenantId: auth.tenantId, env: o.env, now: o.now, timeoutMs: o.timeoutMs });
    default: {
      const t: unknown = (auth as { type?: unknown }).type;
      throw new AuthConfigError('UNSUPPORTED_AUTH_TYPE', `Account sign-in "${String(t)}" is not supported; use oauth-m2m, databricks-cli or azure-cli.`);
    }
  }
}

/**
 * The sign-in for the workspaces of an account signed in with `auth`: the same service principal's
 * client id/secret (minted at each workspace), or the Databricks CLI's token for each workspace host.
 */
export function workspaceAuthFor(auth: AccountAuthConfig): AuthConfig {
  switch (auth.type) {
    case 'oauth-m2m':
      return { type: 'oauth-m2m', clientId: auth.clientId, clientSecret: auth.clientSecret };
    case 'databricks-cli':
      return { type: 'databricks-cli', cliPath: auth.cliPath };
    case 'azure-cli':
      // an Entra ID token for the Azure Databricks resource, which is not workspace-specific: each workspace asks az itself
      return { type: 'azure-cli', tenantId: auth.tenantId };
  }
}

export interface AccountProfile {
  name: string;
  host: string;
  accountId: string;
  auth: AccountAuthConfig;
}

/** The CLI's "account profile" test: host and account_id set, workspace_id empty or "none". */
export function isAccountProfile(values: Record<string, string>): boolean {
  const ws = values.workspace_id?.trim();
  return !!values.host?.trim() && !!values.account_id?.trim() && (!ws || ws === 'none');
}

/** One account profile of a parsed config file → accounts host, account id and sign-in. */
export function accountProfileConfig(file: DatabricksConfigFile, name: string): AccountProfile {
  const values = file.profiles.get(name);
  const where = `Profile [${name}] in ${file.path || '.databrickscfg'}`;
  if (!values) throw new AuthConfigError('PROFILE_NOT_FOUND', `${where} does not exist.`);
  if (!isAccountProfile(values)) {
    throw new AuthConfigError(
      'MISSING_CREDENTIALS',
      `${where} is not an account profile: it needs "host = https://accounts.…" and "account_id = <id>" (create one with "databricks auth login --host https://accounts.cloud.databricks.com --account-id <id>").`,
    );
  }
  const host = normaliseAccountsHost(values.host);
  const accountId = values.account_id.trim();
  const authType = values.auth_type?.trim().toLowerCase();
  const clientId = values.client_id?.trim();
  const clientSecret = values.client_secret?.trim();
  if (authType === 'azure-cli') return { name, host, accountId, auth: { type: 'azure-cli', tenantId: values.azure_tenant_id?.trim() || undefined } };
  if (authType === 'databricks-cli' || (!authType && !clientId && !clientSecret && !values.token)) {
    return { name, host, accountId, auth: { type: 'databricks-cli', profile: name } };
  }
  if ((authType === undefined || authType === 'oauth-m2m') && clientId && clientSecret) {
    return { name, host, accountId, auth: { type: 'oauth-m2m', clientId, clientSecret } };
  }
  if (values.token) {
    throw new AuthConfigError('UNSUPPORTED_AUTH_TYPE', `${where} has a token: account APIs do not take personal access tokens. Use an account service principal (client_id, client_secret) or "auth_type = databricks-cli".`);
  }
  if (clientId || clientSecret) throw new AuthConfigError('MISSING_CREDENTIALS', `${where} has only one of client_id / client_secret; OAuth M2M needs both.`);
  throw new AuthConfigError(
    'UNSUPPORTED_AUTH_TYPE',
    `${where} uses auth_type = ${authType ?? '?'}, which is not supported for accounts here (supported: oauth-m2m with client_id/client_secret, databricks-cli).`,
  );
}

/** The account profiles of the config file (others are skipped), in file order. */
export function listAccountProfiles(o: { env?: Record<string, string | undefined>; path?: string } = {}): Array<{ name: string; host: string; accountId: string; authType: string }> {
  const file = readDatabricksConfig(o);
  const out: Array<{ name: string; host: string; accountId: string; authType: string }> = [];
  for (const [name, values] of file.profiles) {
    if (!isAccountProfile(values)) continue;
    out.push({ name, host: values.host.trim(), accountId: values.account_id.trim(), authType: values.auth_type?.trim() || (values.client_id ? 'oauth-m2m' : 'databricks-cli') });
  }
  return out;
}
