/**
 * Azure Databricks sign-in (sdk-go `auth_azure_cli.go`, `auth_azure_client_secret.go`, `azure.go`;
 * sdk-py `credentials_provider.py`):
 *
 * - `azure-cli`: `az account get-access-token --resource 2ff814a6-3304-4ab8-85cb-cd0e6f879c1d
 *   --output json [--tenant <tenant>]` → `{accessToken, expiresOn, expires_on?}`, cached until it expires.
 * - `azure-client-secret`: Microsoft Entra ID client credentials at
 *   `{login endpoint}{tenant}/oauth2/token` (resource = the AzureDatabricks application), plus a token
 *   for the Azure service management endpoint sent as `X-Databricks-Azure-SP-Management-Token` (lets a
 *   service principal with a role on the workspace resource in, as the SDKs send it).
 * - The tenant, when not configured, is found as the SDKs find it: `GET {host}/aad/auth` answers with
 *   a redirect to `https://login.microsoftonline.com/<tenant>/oauth2/authorize?…`.
 * - `azure_workspace_resource_id` rides along as `X-Databricks-Azure-Workspace-Resource-Id`.
 */
import type { AuthConfig, AzureEnvironmentName } from '../api';
import { AuthConfigError, DatabricksApiError, isCancellation } from '../errors';
import type { HttpTransport } from '../http/transport';
import { redactSecrets } from '../redact';
import * as z from 'zod';
import { findExecutable, oneLine, runCommand, type Env } from './commands';
import { isAzureHost } from './host';
import { TokenCache, type AuthProvider } from './provider';

/** The AzureDatabricks first-party application: the resource of every Azure Databricks token. */
export const AZURE_DATABRICKS_RESOURCE = '2ff814a6-3304-4ab8-85cb-cd0e6f879c1d';

interface AzureCloud {
  loginEndpoint: string;
  managementEndpoint: string;
}

export const AZURE_CLOUDS: Record<AzureEnvironmentName, AzureCloud> = {
  PUBLIC: { loginEndpoint: 'https://login.microsoftonline.com/', managementEndpoint: 'https://management.core.windows.net/' },
  USGOVERNMENT: { loginEndpoint: 'https://login.microsoftonline.us/', managementEndpoint: 'https://management.core.usgovcloudapi.net/' },
  CHINA: { loginEndpoint: 'https://login.chinacloudapi.cn/', managementEndpoint: 'https://management.core.chinacloudapi.cn/' },
};

/** The cloud: the configured one, else from the host name (`.databricks.azure.us` / `.cn`), else public. */
export function azureCloudOf(host: string, configured?: AzureEnvironmentName): AzureCloud {
  if (configured) return AZURE_CLOUDS[configured];
  const h = host.toLowerCase();
  if (/\.databricks\.azure\.us(:\d+)?$/.test(h)) return AZURE_CLOUDS.USGOVERNMENT;
  if (/\.databricks\.azure\.cn(:\d+)?$/.test(h)) return AZURE_CLOUDS.CHINA;
  return AZURE_CLOUDS.PUBLIC;
}

/**
 * The workspace's Entra ID tenant from its login redirect (`{host}/aad/auth` → Location
 * `https://login…/<tenant>/oauth2/authorize…`), or undefined when the host does not answer that way.
 */
export async function discoverAzureTenant(host: string, transport: HttpTransport, signal?: AbortSignal): Promise<string | undefined> {
  try {
    const res = await transport.send({
      method: 'GET',
      url: `${host}/aad/auth`,
      acceptStatus: (s) => s >= 300 && s < 400,
      retry: { statuses: [], delaysMs: [] },
      timeoutMs: 15_000,
      signal,
      label: 'Finding the Azure tenant of the workspace',
    });
    const location = res.status >= 300 && res.status < 400 ? res.headers.location : undefined;
    if (!location) return undefined;
    const tenant = new URL(location, host).pathname.split('/')[1];
    return tenant && /^[A-Za-z0-9.-]{3,}$/.test(tenant) ? tenant : undefined;
  } catch (e) {
    if (isCancellation(e)) throw e;
    return undefined;
  }
}

const AzCliToken = z.object({
  accessToken: z.string().min(1),
  expiresOn: z.string().optional(),
  /** Newer az versions: epoch seconds. */
  expires_on: z.union([z.number(), z.string()]).optional(),
});

/** `expires_on` (epoch s) when present, else `expiresOn` ("2024-03-20 10:30:00.123456", local time). */
export function azCliExpiry(t: z.output<typeof AzCliToken>): number | undefined {
  const epoch = t.expires_on !== undefined ? Number(t.expires_on) : NaN;
  if (Number.isFinite(epoch) && epoch > 0) return epoch * 1000;
  if (t.expiresOn) {
    const local = Date.parse(t.expiresOn.trim().replace(' ', 'T').replace(/(\.\d{3})\d+/, '$1'));
    if (!Number.isNaN(local)) return local;
  }
  return undefined;
}

/** stderr of az that means "sign in again". */
const AZ_LOGIN_REQUIRED = /az login|AADSTS(50173|50076|50079|70043|700082|50078|500133|50158)|refresh token .*expired|no subscription found|Please run 'az/i;

export interface AzureCliOptions {
  host: string;
  transport: HttpTransport;
  tenantId?: string;
  azureResourceId?: string;
  env?: Env;
  now?: () => number;
  timeoutMs?: number;
}

export function azureCliAuth(o: AzureCliOptions): AuthProvider {
  const env = o.env ?? process.env;
  const now = o.now ?? Date.now;
  const timeoutMs = o.timeoutMs ?? 60_000;
  let tenant: { id: string | undefined; discovered: boolean } | undefined = o.tenantId ? { id: o.tenantId, discovered: false } : undefined;

  const az = async (args: string[]): Promise<{ value: string; expiresAt: number | undefined }> => {
    const cli = findExecutable('az', env);
    if (!cli) {
      throw new AuthConfigError('AZURE_CLI_NOT_FOUND', 'The Azure CLI (az) was not found on PATH: install it (https://aka.ms/installazurecli), run "az login", then retry — or choose another sign-in method.');
    }
    const r = await runCommand(cli, args, env, timeoutMs);
    if (r.failure) {
      const stderr = redactSecrets(oneLine(r.stderr));
      if (r.failure.kind === 'timeout') throw new AuthConfigError('AZURE_CLI_FAILED', `"az ${args.join(' ')}" did not finish within ${Math.round(timeoutMs / 1000)} s: check "az account show" in a terminal, then retry.`);
      if (AZ_LOGIN_REQUIRED.test(r.stderr)) {
        const login = { command: cli, args: ['login', ...(tenant?.id ? ['--tenant', tenant.id] : [])] };
        throw new AuthConfigError('LOGIN_REQUIRED', `The Azure CLI is not signed in (or its sign-in expired): run "az ${login.args.join(' ')}", then retry.`, { login });
      }
      throw new AuthConfigError('AZURE_CLI_FAILED', `"az ${args.join(' ')}" failed${stderr ? `: ${stderr}` : ''}. Check "az account show" in a terminal, then retry.`);
    }
    let json: unknown;
    try {
      json = JSON.parse(r.stdout);
    } catch {
      throw new AuthConfigError('AZURE_CLI_FAILED', `"az ${args.join(' ')}" did not print JSON: update the Azure CLI.`);
    }
    const parsed = AzCliToken.safeParse(json);
    if (!parsed.success) throw new AuthConfigError('AZURE_CLI_FAILED', `"az ${args.join(' ')}" printed JSON without an accessToken: update the Azure CLI.`);
    return { value: parsed.data.accessToken, expiresAt: azCliExpiry(parsed.data) };
  };

  const fetchToken = async (): Promise<{ value: string; expiresAt: number | undefined }> => {
    // The workspace's tenant (as the SDKs find it) helps when az is signed in to several tenants.
    if (!tenant) tenant = { id: isAzureHost(o.host) ? await discoverAzureTenant(o.host, o.transport) : undefined, discovered: true };
    const base = ['account', 'get-access-token', '--resource', AZURE_DATABRICKS_RESOURCE, '--output', 'json'];
    if (!tenant.id) return az(base);
    try {
      return await az([...base, '--tenant', tenant.id]);
    } catch (e) {
      // A discovered tenant az cannot use: the signed-in default tenant may still work.
      if (tenant.discovered && e instanceof AuthConfigError && e.code !== 'AZURE_CLI_NOT_FOUND') return az(base);
      throw e;
    }
  };
  const cache = new TokenCache(fetchToken, now, 5 * 60_000);
  return {
    type: 'azure-cli',
    headers: async (signal) => ({
      authorization: `Bearer ${await cache.get(signal, 'Azure CLI sign-in')}`,
      ...(o.azureResourceId ? { 'x-databricks-azure-workspace-resource-id': o.azureResourceId } : {}),
    }),
    invalidate: () => {
      cache.invalidate();
      return Promise.resolve(true);
    },
    secrets: () => cache.values(),
  };
}

const EntraToken = z.object({
  access_token: z.string().min(1),
  expires_in: z.union([z.number(), z.string()]).transform(Number).optional(),
  expires_on: z.union([z.number(), z.string()]).transform(Number).optional(),
});

/** The `azure-client-secret` AuthConfig (client id, secret, tenant, cloud, resource id, login endpoint) and where it runs. */
export type AzureClientSecretOptions = Omit<Extract<AuthConfig, { type: 'azure-client-secret' }>, 'type'> & {
  host: string;
  transport: HttpTransport;
  now?: () => number;
  timeoutMs?: number;
};

export function azureClientSecretAuth(o: AzureClientSecretOptions): AuthProvider {
  if (o.clientId.trim() === '' || o.clientSecret.trim() === '') {
    throw new AuthConfigError('MISSING_CREDENTIALS', 'An Azure client secret sign-in needs the application (client) id and a client secret of the Entra ID service principal.');
  }
  const now = o.now ?? Date.now;
  const cloud = azureCloudOf(o.host, o.azureEnvironment);
  const login = (o.loginEndpoint ?? cloud.loginEndpoint).replace(/\/*$/, '/');
  let tenantPromise: Promise<string> | undefined;

  const tenant = (): Promise<string> => {
    tenantPromise ??= (async () => {
      if (o.tenantId) return o.tenantId;
      const found = await discoverAzureTenant(o.host, o.transport);
      if (found) return found;
      throw new AuthConfigError(
        'AZURE_TENANT_NOT_FOUND',
        `The Entra ID tenant of ${o.host} could not be found from its login page: set azure_tenant_id (ARM_TENANT_ID) to the directory (tenant) id.`,
      );
    })();
    tenantPromise.catch(() => (tenantPromise = undefined));
    return tenantPromise;
  };

  const tokenFor = (resource: string) => async (): Promise<{ value: string; expiresAt: number | undefined }> => {
    const t = await tenant();
    const started = now();
    try {
      const res = await o.transport.requestJson(
        {
          method: 'POST',
          url: `${login}${encodeURIComponent(t)}/oauth2/token`,
          form: { grant_type: 'client_credentials', client_id: o.clientId, client_secret: o.clientSecret, resource },
          idempotent: true,
          timeoutMs: o.timeoutMs,
          label: 'Entra ID token request',
        },
        EntraToken,
      );
      const expiresAt =
        res.expires_on !== undefined && Number.isFinite(res.expires_on) && res.expires_on > 1e9
          ? res.expires_on * 1000
          : res.expires_in !== undefined && Number.isFinite(res.expires_in)
            ? started + res.expires_in * 1000
            : undefined;
      return { value: res.access_token, expiresAt };
    } catch (e) {
      if (e instanceof DatabricksApiError && e.status >= 400 && e.status < 500) {
        // AADSTS messages: keep the sentence, drop the trace ids.
        const why = e.serverMessage.replace(/\s*Trace ID:[\s\S]*$/i, '').replace(/\.$/, '');
        throw new AuthConfigError(
          'OAUTH_FAILED',
          `Entra ID refused the client secret sign-in of ${o.clientId} in tenant ${t}${why ? ` (${why})` : ''}: check azure_client_id / azure_client_secret (ARM_CLIENT_ID / ARM_CLIENT_SECRET) and azure_tenant_id.`,
        );
      }
      throw e;
    }
  };
  const databricks = new TokenCache(tokenFor(AZURE_DATABRICKS_RESOURCE), now, 3_600_000);
  const management = new TokenCache(tokenFor(cloud.managementEndpoint), now, 3_600_000);
  let managementRefusedUntil = 0;

  return {
    type: 'azure-client-secret',
    headers: async (signal) => {
      const token = await databricks.get(signal, 'Entra ID sign-in');
      // The management token is a bonus (a principal with a role on the workspace resource): never a
      // reason to fail, and not asked for again for 10 minutes after it was refused.
      let mgmt: string | undefined;
      if (now() >= managementRefusedUntil) {
        mgmt = await management.get(signal, 'Entra ID sign-in').catch((e: unknown) => {
          if (isCancellation(e)) throw e;
          managementRefusedUntil = now() + 10 * 60_000;
          return undefined;
        });
      }
      return {
        authorization: `Bearer ${token}`,
        ...(mgmt ? { 'x-databricks-azure-sp-management-token': mgmt } : {}),
        ...(o.azureResourceId ? { 'x-databricks-azure-workspace-resource-id': o.azureResourceId } : {}),
      };
    },
    invalidate: () => {
      databricks.invalidate();
      management.invalidate();
      return Promise.resolve(true);
    },
    secrets: () => [o.clientSecret, ...databricks.values(), ...management.values()],
  };
}
